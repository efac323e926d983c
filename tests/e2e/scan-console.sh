#!/usr/bin/env bash
# Scan a guest console log for every kind of report the kernel's checkers
# print.  One line per kind found ("kasan 3: <first line>"), nothing when
# the log is clean; exit 1 if anything was found, 0 if not, 2 on misuse.
# tests/e2e/provoke.sh proves each pattern fires on the debug kernel.
# usage: tests/e2e/scan-console.sh LOG
set -euo pipefail
log=${1:?usage: scan-console.sh LOG}
[ -r "$log" ] || { echo "scan-console: cannot read $log" >&2; exit 2; }

# kind|extended regex.  A report often matches several kinds (a KASAN
# report is also a "BUG:"); each is counted under every kind it matches.
kinds='kasan|KASAN:
ubsan|UBSAN:
lockdep|circular locking dependency|recursive locking detected|inconsistent lock state|possible irq lock inversion|bad unlock balance|lock held when returning to user|held lock freed
rcu|suspicious RCU usage|rcu: INFO: .* detected stalls|RCU stall
sleep|sleeping function called from invalid context|scheduling while atomic
slub|BUG [A-Za-z0-9_:.-]+ \((Not tainted|Tainted)
hang|blocked for more than [0-9]+ seconds|soft lockup|hard LOCKUP
bug|BUG:|kernel BUG at
warning|WARNING:
oops|Oops|general protection fault|Kernel panic|invalid opcode'

found=0
while IFS='|' read -r kind re; do
	n=$(grep -acE "$re" "$log" || true)
	[ "$n" -gt 0 ] || continue
	found=1
	printf '%s %s: %s\n' "$kind" "$n" "$(grep -aE -m1 "$re" "$log" | tr -d '\r' | cut -c1-160)"
done <<<"$kinds"
exit "$found"

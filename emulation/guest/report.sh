#!/bin/sh
# emulation/guest/report.sh — print what the backend did: frontswap's
# counters, the backend's stats (fsnvmctl stats) and the wear report of the
# bound namespace (fsnvmctl wear), given as $1.
. /guest/lib.sh
dev=${1:-}
echo "---- frontswap counters (/sys/kernel/debug/frontswap_nvm) ----"
for c in succ_stores failed_stores loads invalidates; do
	printf '%-16s %s\n' "$c" "$(cat /sys/kernel/debug/frontswap_nvm/$c)"
done
echo "---- fsnvmctl stats ----"
fsnvmctl stats
if [ -n "$dev" ]; then
	echo "---- fsnvmctl wear $dev ----"
	fsnvmctl wear "$dev" --top 5
fi

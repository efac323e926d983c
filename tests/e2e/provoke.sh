#!/usr/bin/env bash
# Prove the console scan of the e2e tests: boot the debug kernel, provoke
# each kind of report once (emulation/guest/e2e-provoke.sh), and check
# that tests/e2e/scan-console.sh finds, in each provoked segment of the
# console, the kind it was provoked for, and nothing before the first.
# A pattern that never fires would let that kind of report pass silently.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$top/build/emu/e2e-provoke
scan=$top/tests/e2e/scan-console.sh
rm -rf "$dir"
mkdir -p "$dir"
rc=0
# no5lvl: as tests/e2e/run-guest.sh --debug boots it.
"$top/emulation/run-qemu.sh" --run e2e-provoke --kernel "$top/build/kernel-debug/arch/x86/boot/bzImage" \
	--append no5lvl \
	--nvdimm-img "$dir/nvdimm.img" --swap-img "$dir/swap.img" --log "$dir/console.log" \
	--mem 512 --timeout 900 || rc=$?
log=$dir/console.log
# The oops ends the boot: no exit line (125).
[ "$rc" = 125 ] || { echo "provoke: guest rc $rc, expected 125 (panic after the oops)" >&2; exit 1; }

# word -> the kind its segment must show
want='warn warning
kasan kasan
ubsan ubsan
slub slub
rcu rcu
sleep sleep
lockdep lockdep
spin hang
block hang
oops oops'
fail=0
# Before the first provocation the boot must be clean.
sed -n '1,/^E2E-PROVOKE-CLEAN/p' "$log" | tr -d '\r' >"$dir/seg-boot.log"
grep -q '^E2E-PROVOKE-CLEAN' "$dir/seg-boot.log" || { echo "provoke: guest never got going" >&2; exit 1; }
if "$scan" "$dir/seg-boot.log" >"$dir/seg-boot.found"; then :; else
	echo "provoke: reports before anything was provoked:" >&2; cat "$dir/seg-boot.found" >&2; fail=1
fi
kinds_seen=
while read -r word kind; do
	tr -d '\r' <"$log" | sed -n "/^E2E-PROVOKE-BEGIN $word\$/,/^E2E-PROVOKE-END $word\$/p" >"$dir/seg-$word.log"
	# The oops segment has no end line: it runs to the end of the log.
	if [ ! -s "$dir/seg-$word.log" ]; then
		echo "provoke: no segment for $word" >&2; fail=1; continue
	fi
	"$scan" "$dir/seg-$word.log" >"$dir/seg-$word.found" || true
	if grep -q "^$kind " "$dir/seg-$word.found"; then
		printf 'provoke %-8s -> %-8s caught: %s\n' "$word" "$kind" \
			"$(grep "^$kind " "$dir/seg-$word.found" | cut -d: -f2- | cut -c2-90)"
		kinds_seen="$kinds_seen $kind"
	else
		echo "provoke: $word did not show as $kind; the scan found: $(tr '\n' ';' <"$dir/seg-$word.found")" >&2
		fail=1
	fi
done <<<"$want"
# Every kind the scan knows must have been proven here.
for kind in $(sed -n "/^kinds='/,/'\$/p" "$scan" | sed "s/^kinds='//" | cut -d'|' -f1); do
	case " $kinds_seen " in *" $kind "*) ;; *)
		# "bug" shows in the kasan and sleep segments, not as a segment of its own.
		if grep -q "^$kind " "$dir"/seg-*.found; then continue; fi
		echo "provoke: the scan's kind '$kind' was never proven" >&2; fail=1 ;;
	esac
done
[ "$fail" = 0 ] && echo "E2E-PROVOKE: every kind of report the scan looks for was caught"
exit "$fail"

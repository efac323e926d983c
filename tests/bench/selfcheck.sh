#!/usr/bin/env bash
# The guest benchmark's own checks can fail, on the host: every swapbench
# workload catches pages corrupted on purpose (--break) and passes clean;
# the report refuses a run that lacks a mode (--require-all) and accepts
# a complete one, with the ratios and endurance worked out by hand.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
sb=$top/build/emu/swapbench
gr=$top/build/user/guest_report
[ -x "$sb" ] || { echo "no $sb (scripts/build-guest.sh builds it)" >&2; exit 1; }
make -s -C "$top" "$gr" || exit 1
fail() { echo "bench self-check: $*" >&2; exit 1; }
for w in random same skewed seq fork aging; do
	extra=()
	[ $w = aging ] && extra=(--cold-mib 8 --passes 3)
	out=$("$sb" --workload $w --mib 4 "${extra[@]}" --break 2>/dev/null)
	rc=$?
	[ "$rc" = 1 ] && grep -q ' corrupt=[1-9]' <<<"$out" || fail "$w: a broken page was not caught (rc $rc): $out"
	out=$("$sb" --workload $w --mib 4 "${extra[@]}") || fail "$w: a clean run failed: $out"
done
# aging verifies its cold set after the hot passes: 2048 + 3 x 1024 pages.
grep -q ' verified=5120 corrupt=0' <<<"$out" || fail "aging did not verify every page: $out"

log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
for m in nvm pmem disk zswap zswap-big swapdev; do
	s=$(case $m in nvm) echo 10 ;; pmem) echo 12 ;; disk) echo 30 ;; swapdev) echo 8 ;; *) echo 20 ;; esac)
	echo "BENCH-ROW mode=$m workload=random round=1 seconds=$s pswpout=9 pswpin=9 stores=900 loads=800 refused=100"
done >"$log/full.log"
cat >>"$log/full.log" <<'X'
BENCH-WEAR workload=random round=1 kind=nvm frames=1000 writes=1500 max=3
BENCH-HIST workload=random round=1 kind=nvm from=0 to=3 frames=1000
BENCH-WEAR workload=random round=1 kind=inplace frames=1000 writes=1000 max=40
BENCH-HIST workload=random round=1 kind=inplace from=0 to=40 frames=1000
BENCH-WEAR workload=random round=1 kind=swapdev frames=1000 writes=1200 max=4
X
# The wear workload runs in nvm and pmem only, in rounds of its own.
cat >>"$log/full.log" <<'X'
BENCH-ROW mode=nvm workload=aging round=1 seconds=50 pswpout=9 pswpin=9 stores=9000 loads=8000 refused=0
BENCH-ROW mode=pmem workload=aging round=1 seconds=40 pswpout=9000 pswpin=8000 stores=0 loads=0 refused=0
BENCH-WEAR workload=aging round=1 kind=nvm frames=1000 writes=9100 max=11
BENCH-HIST workload=aging round=1 kind=nvm from=0 to=11 frames=1000
BENCH-WEAR workload=aging round=1 kind=inplace frames=1000 writes=9000 max=130
BENCH-HIST workload=aging round=1 kind=inplace from=0 to=130 frames=1000
BENCH-ROW mode=swapdev workload=aging round=1 seconds=45 pswpout=9000 pswpin=8000 stores=9000 loads=8000 refused=0
BENCH-WEAR workload=aging round=1 kind=swapdev frames=1000 writes=9000 max=10
X
grep -v 'mode=zswap-big' "$log/full.log" >"$log/partial.log"
"$gr" --require-all "$log/partial.log" >/dev/null 2>&1 && fail "a run without zswap-big was accepted"
grep -v 'mode=pmem workload=aging' "$log/full.log" >"$log/partial.log"
"$gr" --require-all "$log/partial.log" >/dev/null 2>&1 && fail "an aging run without pmem was accepted"
grep -v 'mode=swapdev workload=random' "$log/full.log" >"$log/partial.log"
"$gr" --require-all "$log/partial.log" >/dev/null 2>&1 && fail "a run without the swap device was accepted"
grep -v 'kind=swapdev workload=aging\|workload=aging round=1 kind=swapdev' "$log/full.log" >"$log/partial.log"
"$gr" --require-all "$log/partial.log" >/dev/null 2>&1 && fail "an aging run without the swap device's wear was accepted"
"$gr" --require-all --json "$log/r.json" --svg "$log/r.svg" "$log/full.log" >"$log/table" ||
	fail "a complete run was refused"
# pmem 12 s / nvm 10 s = 1.2; endurance nvm 1.5/3 = 0.5, in place 1/40 = 0.025:
# 20x; lifetime (40/1000) / (3/(900+100)) = 13.33x.
jq -e '.rows[] | select(.mode == "frontswap-nvm" and .workload == "random") |
	.ratio_to_pmem == 1.2 and .endurance_ratio == 20 and .lifetime_ratio == 13.33' \
	"$log/r.json" >/dev/null || fail "wrong figures: $(cat "$log/r.json")"
# aging: (9100/1000/11) / (9000/1000/130) = 11.95x, and its histograms are
# the picture's (the highest in-place wear).
jq -e '.rows[] | select(.mode == "frontswap-nvm" and .workload == "aging") |
	.endurance_ratio == 11.95' "$log/r.json" >/dev/null || fail "wrong aging figures: $(cat "$log/r.json")"
grep -q 'aging, round 1' "$log/r.svg" || fail "the chart does not show the most worn run's histograms"
# The swap device: 12 s / 8 s = 1.5 against pmem; its aging endurance 9/10.
jq -e '.rows[] | select(.mode == "swap-device" and .workload == "random") | .ratio_to_pmem == 1.5' \
	"$log/r.json" >/dev/null || fail "wrong swap-device ratio: $(cat "$log/r.json")"
jq -e '.rows[] | select(.mode == "frontswap-nvm" and .workload == "aging") | .endurance_swapdev == 0.9' \
	"$log/r.json" >/dev/null || fail "wrong swap-device endurance: $(cat "$log/r.json")"
xmllint --noout "$log/r.svg" || fail "the chart is not well-formed XML"
echo "bench self-check: 6 workloads catch corruption; the report's figures and checks hold"

#!/usr/bin/env bash
# Reboot persistence: boot, swap, power off with pages stored; boot again on
# the same NVDIMM image and check recovery and wear (e2e-reboot1/2.sh).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$top/build/emu/e2e-reboot
rm -rf "$dir"
mkdir -p "$dir"
run() {
	local name=$1
	shift
	"$top/tests/e2e/run-guest.sh" "$name" --nvdimm-img "$dir/nvdimm.img" --swap-img "$dir/swap.img" "$@"
}
# run-guest.sh wipes build/emu/NAME/, not $dir: both boots share the image.
run e2e-reboot1 --mem 256 --timeout 900
line=$(tr -d '\r' <"$top/build/emu/e2e-reboot1/console.log" | grep -a '^E2E-REBOOT1 ' | tail -n 1)
used=$(sed -n 's/.* used=\([0-9]*\).*/\1/p' <<<"$line")
max=$(sed -n 's/.* wear_max=\([0-9]*\).*/\1/p' <<<"$line")
sum=$(sed -n 's/.* wear_sum=\([0-9]*\).*/\1/p' <<<"$line")
[ -n "$sum" ] || { echo "reboot: first boot printed no wear" >&2; exit 1; }
run e2e-reboot2 --mem 256 --timeout 900 --append "frontswap_nvm.device=/dev/pmem0 fsnvm.prev_used=$used fsnvm.prev_max=$max fsnvm.prev_sum=$sum"

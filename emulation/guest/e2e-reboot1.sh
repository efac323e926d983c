#!/bin/sh
# emulation/guest/e2e-reboot1.sh — first boot of the reboot test: format,
# bind, swap, then power off with the pages still stored (no swapoff, no
# unbind), printing the wear the tool reads.  e2e-reboot2 boots next on the
# same NVDIMM image.
. /guest/lib.sh
. /guest/backend.sh
ram_mib=$(ram_mib)
fresh_bind
# Pages that stay stored until power-off: a tmpfs file bigger than RAM.
mkdir -p /mnt/hold && mount -t tmpfs -o size=2g hold /mnt/hold
dd if=/dev/urandom of=/mnt/hold/data bs=1M count=$ram_mib 2>/dev/null || die "dd failed"
memstress --mib "$ram_mib" --passes 1 --same-filled || die "memstress failed"
sync
used=$(counter frames_used)
[ "$used" -gt 0 ] || die "nothing stored at power-off"
wear=$(sh /guest/wear-summary.sh "$pmem")
[ -n "$wear" ] || die "cannot read wear from fsnvmctl wear --json"
set -- $wear
[ "$3" -gt 0 ] || die "no wear recorded"
echo "E2E-REBOOT1 used=$used wear_min=$1 wear_max=$2 wear_sum=$3"

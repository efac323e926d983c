#!/bin/sh
# emulation/guest/e2e-swapoff.sh — swapoff while the workload keeps
# verifying its pages: every page comes back from the backend, none is
# corrupt, and invalidate_area leaves 0 frames used.
. /guest/lib.sh
. /guest/backend.sh
ram_mib=$(ram_mib)
fresh_bind
# The workload fits in RAM once the filler is gone; the filler pushes it out.
memstress --mib $((ram_mib / 2)) --passes 6 >/tmp/ms.out 2>&1 &
ms=$!
sleep 3
mkdir -p /mnt/fill && mount -t tmpfs -o size=2g fill /mnt/fill
dd if=/dev/urandom of=/mnt/fill/data bs=1M count="$ram_mib" 2>/dev/null || die "filler failed"
used=$(counter frames_used)
log "pages in the backend before swapoff: $used"
[ "$used" -gt 0 ] || die "the workload was not pushed into the backend"
rm -f /mnt/fill/data
swapoff "$swap" || die "swapoff failed"
areas=$(counter invalidate_areas) left=$(counter frames_used)
wait $ms || { cat /tmp/ms.out; die "memstress failed across swapoff"; }
tail -n 1 /tmp/ms.out
[ "$left" = 0 ] || die "$left frames still used after swapoff"
[ "$areas" -ge 1 ] || die "invalidate_area was not called"
unbind || die "unbind failed"
echo "E2E-SWAPOFF held=$used after_swapoff=$left invalidate_areas=$areas corrupt=0"

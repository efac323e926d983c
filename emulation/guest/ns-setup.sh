#!/bin/sh
# emulation/guest/ns-setup.sh — make sure an fsdax namespace exists and print
# its /dev/pmemN on stdout (progress and ndctl output go to stderr).
#
# QEMU's NVDIMM starts as a raw label-less namespace; share=on keeps whatever
# we create for the next boot, so an existing fsdax namespace is kept.
#  - No label area (run-qemu.sh without --label-size): the label-less
#    namespace0.0 can only change mode: create-namespace -f -e namespace0.0.
#  - Label area (--label-size): the region is image size minus the label area,
#    e.g. 1G-128K, and -e fails ("size ... is misaligned" to the 16M region
#    alignment) unless the image is 1G+128K. Then: init-labels (region
#    disabled) and create-namespace -r region0, which rounds down to the
#    16M alignment (992 MiB of 1G-128K).
. /guest/lib.sh

fsdax_dev() {
	ndctl list -N -m fsdax | sed -n 's/.*"blockdev":"\([^"]*\)".*/\1/p' | head -n 1
}

# A DIMM with a label area has readable available_slots; without one the
# read fails with ENXIO.
has_label_area() {
	cat /sys/bus/nd/devices/nmem*/available_slots >/dev/null 2>&1
}

dev=$(fsdax_dev)
if [ -n "$dev" ]; then
	log "keeping existing fsdax namespace /dev/$dev"
	echo "/dev/$dev"
	exit 0
fi

log "no fsdax namespace yet; reconfiguring namespace0.0"
if ndctl create-namespace -f -e namespace0.0 -m fsdax >&2; then
	:
elif has_label_area; then
	# Had the labels been valid, -e would have reconfigured namespace0.0
	# (label-rich sizes are aligned), so re-initialising them loses nothing.
	log "(that misalignment error is expected with a label area) init-labels + create-namespace -r region0"
	ndctl disable-region all >&2 || die "disable-region failed"
	ndctl init-labels -f all >&2 || die "init-labels failed"
	ndctl enable-region all >&2 || die "enable-region failed"
	ndctl create-namespace -r region0 -m fsdax >&2 || die "create-namespace -r region0 failed"
else
	die "create-namespace -e namespace0.0 failed and there is no label area"
fi

dev=$(fsdax_dev)
[ -n "$dev" ] || die "create-namespace succeeded but ndctl lists no fsdax namespace"
log "created fsdax namespace /dev/$dev"
echo "/dev/$dev"

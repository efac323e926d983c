# emulation/guest/backend.sh — helpers for the frontswap-nvm backend; source it
# after lib.sh:
#   bind DEV          bind the backend to DEV (fails with the kernel's error)
#   unbind            unbind
#   bound             print the bound device (empty when none)
#   counter NAME      one counter (sysfs), e.g. counter succ_stores
#   fresh_bind        fsdax namespace, formatted, bound, swap on: sets
#                     $pmem and $swap
#   expect_refused DEV ERRTEXT KLOGTEXT
#                     binding DEV must fail with ERRTEXT (strerror text) and
#                     the kernel log must say KLOGTEXT
FSNVM_SYSFS=/sys/kernel/mm/frontswap_nvm
FSNVM_DEVICE=$FSNVM_SYSFS/device
FSNVM_DEBUGFS=/sys/kernel/debug/frontswap_nvm

[ -e "$FSNVM_DEVICE" ] || die "this kernel has no frontswap-nvm backend registered ($FSNVM_DEVICE missing)"

bind() { echo "$1" >"$FSNVM_DEVICE"; }
unbind() { echo >"$FSNVM_DEVICE"; }
bound() { cat "$FSNVM_DEVICE"; }
counter() { cat "$FSNVM_SYSFS/stats/$1"; }

expect_refused() {
	local dev=$1 err=$2 klog=$3 before
	before=$(dmesg | wc -l)
	if ( echo "$dev" >"$FSNVM_DEVICE" ) 2>/tmp/bind.err; then
		die "binding '$dev' was accepted; expected: $err"
	fi
	grep -q "$err" /tmp/bind.err || die "binding '$dev': got '$(cat /tmp/bind.err)', expected '$err'"
	dmesg | tail -n +"$((before + 1))" | grep -q "$klog" ||
		die "binding '$dev': kernel log lacks '$klog'"
	log "refused as expected: '$dev' -> $err / $(dmesg | tail -n +"$((before + 1))" | grep "$klog" | tail -n 1 | sed 's/^\[[^]]*\] //')"
}


fresh_bind() {
	pmem=$(sh /guest/ns-setup.sh)
	fsnvmctl format "$pmem" || die "fsnvmctl format $pmem failed"
	bind "$pmem" || die "bind $pmem failed"
	swap=$(sh /guest/swap-setup.sh)
}

#!/bin/sh
# emulation/guest/e2e-provoke.sh — make the debug kernel print each kind of
# report on purpose (CONFIG_FRONTSWAP_NVM_PROVOKE), one per marked segment
# of the console, so tests/e2e/provoke.sh can prove that the console scan
# of every e2e test catches each kind.  The last, an oops, ends the boot.
. /guest/lib.sh

file=/sys/kernel/debug/frontswap_nvm/provoke
[ -w "$file" ] || die "$file missing: not a kernel with CONFIG_FRONTSWAP_NVM_PROVOKE"
# A soft lockup after 2 s (twice the threshold), a hung task after 2 s.
echo 1 >/proc/sys/kernel/watchdog_thresh
echo 2 >/proc/sys/kernel/hung_task_timeout_secs
# Markers go through printk (/dev/kmsg), in order with the reports: a
# shell's own console writes would interleave with them mid-line.
mark() { echo "$*" >/dev/kmsg; }
mark "E2E-PROVOKE-CLEAN"
# Order matters: lockdep's first report turns RCU checking off, and any
# report that taints the kernel (KASAN, UBSAN, a WARN) turns lockdep off.
for word in rcu lockdep warn sleep ubsan kasan slub spin block oops; do
	mark "E2E-PROVOKE-BEGIN $word"
	echo "$word" >"$file" || log "provoke $word: write failed"
	# KASAN holds freed objects back, so SLUB checks the red zone of the
	# one written past when asked to validate the cache.
	[ "$word" != slub ] || echo 1 >/sys/kernel/slab/kmalloc-16/validate
	# Reports are printed from other contexts (hung-task daemon, watchdog
	# timer): give them time before the segment closes.
	case $word in spin|block) sleep 4 ;; *) sleep 1 ;; esac
	mark "E2E-PROVOKE-END $word"
done
die "still running after the oops"

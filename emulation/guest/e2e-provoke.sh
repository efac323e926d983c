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
echo "E2E-PROVOKE-CLEAN"
# rcu before lockdep: lockdep's first report turns RCU checking off too.
for word in warn kasan ubsan slub rcu sleep lockdep spin block oops; do
	echo "E2E-PROVOKE-BEGIN $word"
	echo "$word" >"$file" || log "provoke $word: write failed"
	# Reports are printed from other contexts (hung-task daemon, watchdog
	# timer): give them time before the segment closes.
	case $word in spin|block) sleep 4 ;; *) sleep 1 ;; esac
	echo "E2E-PROVOKE-END $word"
done
die "still running after the oops"

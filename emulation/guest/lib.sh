# emulation/guest/lib.sh — helpers shared by the guest scripts; source it:
#   . /guest/lib.sh
# log MSG...       message on stderr, prefixed with seconds since boot
# die MSG...       log "FATAL: MSG" and exit 1
# param KEY [DEF]  value of fsnvm.KEY=VALUE on the kernel command line, or DEF
# jnum KEY         the first number named KEY in the JSON on stdin
# ram_mib          the guest's RAM in MiB
# hold FILE OUT MEMSTRESS-ARGS...
#                  memstress --hold FILE in the background (output in OUT,
#                  pid in $held), back once its pages are written
set -euo pipefail
export PATH=/bin

log() {
	local up
	up=$(cut -d' ' -f1 /proc/uptime)
	echo "[$up s] ${0##*/}: $*" >&2
}

die() {
	log "FATAL: $*"
	exit 1
}

param() {
	local arg
	for arg in $(cat /proc/cmdline); do
		case $arg in "fsnvm.$1="*) echo "${arg#*=}"; return 0 ;; esac
	done
	echo "${2:-}"
}

# jnum KEY   the first number named KEY in the JSON on stdin ("KEY": N)
jnum() {
	tr -d ' \n' | sed -n "s/.*\"$1\":\([0-9][0-9]*\).*/\1/p" | head -n 1
}


ram_mib() {
	echo $(($(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo) / 1024))
}

# hold FILE OUT ARGS...: start memstress ARGS --hold FILE in the background,
# its pid in $held, and return once it has written its set (FILE exists);
# die if it ends before that.  rm FILE lets it verify and exit.
hold() {
	local file=$1 out=$2
	shift 2
	rm -f "$file"
	memstress "$@" --hold "$file" >"$out" 2>&1 &
	held=$!
	while [ ! -e "$file" ]; do
		kill -0 "$held" 2>/dev/null || die "memstress $* ended early: $(cat "$out")"
		sleep 1
	done
}

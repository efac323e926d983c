# Shared by the fsnvmctl tests in tests/tool/ (sourced).  Each script runs
# a list of checks, prints "ok: ..." or "FAIL: ..." per check and ends with
# "N checks, M failed"; its exit status is 0 only when none failed.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
U=build/user
T=$PWD/$U/fsnvmctl-asan	# the ASan build: every run is also a memory check
FILL=$PWD/$U/fill_image
EXPECT=$PWD/tests/tool/expect
TMP=$(mktemp -d /tmp/fsnvmctl-test.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
checks=0 failures=0
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

ok() { checks=$((checks + 1)); echo "ok: $*"; }
bad() {
	checks=$((checks + 1)) failures=$((failures + 1))
	echo "FAIL: $*"
	[ -s "$TMP/err" ] && sed 's/^/    stderr| /' "$TMP/err" | head -n 20
	return 0
}
finish() {
	echo "$checks checks, $failures failed"
	[ "$failures" -eq 0 ]
}

# run_cmd CMD...: run, stdout to $TMP/out, stderr to $TMP/err, rc in $rc
run_cmd() {
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
}

# expect RC CMD...: exit status RC
expect() {
	local want=$1
	shift
	run_cmd "$@"
	if [ "$rc" -eq "$want" ]; then ok "rc $want: ${*#"$T "}"; else bad "rc $rc (want $want): $*"; fi
}

# expect_err RC TEXT CMD...: exit status RC, stdout empty, and stderr one
# line: "fsnvmctl: ..." containing TEXT (fixed string)
expect_err() {
	local want=$1 text=$2
	shift 2
	run_cmd "$@"
	if [ "$rc" -ne "$want" ]; then
		bad "rc $rc (want $want): $*"
	elif [ -s "$TMP/out" ]; then
		bad "stdout not empty: $*"
	elif [ "$(wc -l <"$TMP/err")" -ne 1 ] || ! grep -qF -- "$text" "$TMP/err" ||
	     ! grep -q '^fsnvmctl' "$TMP/err"; then
		bad "stderr is not one line with '$text': $*"
	else
		ok "rc $want, '$(cat "$TMP/err")'"
	fi
}

# refuses RC TEXT IMG CMD...: expect_err, and IMG is byte-identical after
refuses() {
	local want=$1 text=$2 img=$3
	shift 3
	cp "$img" "$TMP/before"
	expect_err "$want" "$text" "$@"
	if cmp -s "$img" "$TMP/before"; then ok "unchanged: $img"; else bad "modified by a refusal: $*"; fi
}

# untouched IMG CMD...: runs CMD (any rc) and IMG is byte-identical after
untouched() {
	local img=$1
	shift
	cp "$img" "$TMP/before"
	run_cmd "$@"
	if cmp -s "$img" "$TMP/before"; then ok "read-only: ${*#"$T "}"; else bad "modified: $*"; fi
}

# jeq FILE FILTER WANT: jq -c FILTER on FILE prints WANT
jeq() {
	local got
	got=$(jq -c "$2" "$1" 2>&1)
	if [ "$got" = "$3" ]; then ok "$2 == $3"; else bad "$2: got $got, want $3 ($1)"; fi
}

# jtrue FILE FILTER: FILTER is true on FILE
jtrue() {
	if [ "$(jq "$2" "$1" 2>&1)" = true ]; then ok "$2"; else bad "not true: $2 ($1)"; fi
}

# subset EXPECTED ACTUAL: every leaf of EXPECTED equals ACTUAL's, field by field
subset() {
	local diffs
	diffs=$(jq -n --slurpfile e "$1" --slurpfile a "$2" -r '
		$e[0] | paths(scalars) as $p
		| select(($a[0] | getpath($p)) != ($e[0] | getpath($p)))
		| "\($p | map(tostring) | join(".")): got \($a[0] | getpath($p)), want \($e[0] | getpath($p))"')
	if [ -z "$diffs" ]; then
		ok "$(jq -r '[paths(scalars)] | length' "$1") fields of $(basename "$1") match"
	else
		bad "$(basename "$1"): $diffs"
	fi
}

# new_image NAME SIZE: a formatted image file
new_image() {
	rm -f "$TMP/$1"
	truncate -s "$2" "$TMP/$1"
	"$T" format "$TMP/$1" >/dev/null || bad "format $1"
}

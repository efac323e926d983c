#!/usr/bin/env bash
# The test runner behind `make check`: fast userspace tests first, the
# kernel build and the QEMU tests last.  Each test is one line PASS/FAIL
# with its time; its output goes to build/test-logs/NAME.log.  Ends with
# the one line CI counts: "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
LOGS=build/test-logs
mkdir -p "$LOGS"
passed=0 failed=0 failed_names=()
export UBSAN_OPTIONS=print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1

# run NAME COMMAND...: one test
run() {
	local name=$1 start=$SECONDS rc
	shift
	"$@" >"$LOGS/$name.log" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1))
		printf 'PASS %-32s %4ss  %s\n' "$name" $((SECONDS - start)) \
			"$(tail -n 1 "$LOGS/$name.log")"
	else
		failed=$((failed + 1))
		failed_names+=("$name")
		printf 'FAIL %-32s %4ss  (rc %d, log %s)\n' "$name" $((SECONDS - start)) $rc "$LOGS/$name.log"
		tail -n 15 "$LOGS/$name.log" | sed 's/^/    | /'
	fi
}

for t in tests/suites/*.sh; do
	# shellcheck source=/dev/null
	. "$t"
done

[ ${#failed_names[@]} -eq 0 ] || echo "failed: ${failed_names[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

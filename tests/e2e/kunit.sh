#!/usr/bin/env bash
# The core's KUnit suites (kernel-backend/fsnvm_kunit.c) in the debug
# kernel: boots it with kunit.enable=1 and reads the KTAP the suites print
# on the console.  Prints one line per case, "KUNIT-CASE ok|not-ok|skip
# SUITE.CASE" (tests/suites/30-kernel.sh counts them in make check's
# total), and fails unless every expected suite ran and no case failed.
# usage: tests/e2e/kunit.sh
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
suites="frontswap_nvm_keymap frontswap_nvm_wear_pool frontswap_nvm_entry frontswap_nvm_recover"
rc=0
"$top/tests/e2e/run-guest.sh" kunit --debug --mem 256 --timeout 300 \
	--append "kunit.enable=1 kunit.filter_glob=frontswap_nvm*" || rc=$?
log=$top/build/emu/kunit-debug/console.log
# KTAP: "    ok N case" inside "# Subtest: suite", then "ok N suite" (the
# console may prefix a timestamp).
tr -d '\r' <"$log" | sed 's/^\[[^]]*\] //' | awk -v want="$suites" '
	/^    # Subtest: / { suite = $3 }
	/^        (not )?ok [0-9]+ / || /^    (not )?ok [0-9]+ / {
		line = $0; sub(/^ +/, "", line)
		if (line ~ /^ok/) { st = (line ~ /# SKIP/) ? "skip" : "ok"; split(line, w, " "); name = w[3] }
		else { st = "not-ok"; split(line, w, " "); name = w[4] }
		if (suite != "") { print "KUNIT-CASE " st " " suite "." name; cases++; if (st == "not-ok") bad++ }
		next
	}
	/^(not )?ok [0-9]+ frontswap_nvm_/ { split($0, w, " "); s = (w[1] == "not") ? w[4] : w[3]; ran[s] = 1; suite = "" }
	END {
		n = split(want, ws, " ")
		for (i = 1; i <= n; i++) if (!(ws[i] in ran)) { print "KUNIT: suite " ws[i] " did not run"; bad++ }
		printf "KUNIT: %d cases, %d failed or missing\n", cases, bad + 0
		exit bad > 0 || cases == 0
	}' || rc=1
exit "$rc"

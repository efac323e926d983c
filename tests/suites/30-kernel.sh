# Kernel builds and QEMU end-to-end tests, last (slowest): sourced by tests/run.sh.
# The release kernel (demo, benchmarks) and the debug kernel (KASAN, UBSAN,
# lockdep, full preemption, memory-failure injection): the injection,
# teardown and soak tests run on the debug one, whose every kind of report
# the console scan is first proven to catch (e2e-provoke).
# kunit_count LOG: each KUnit case (tests/e2e/kunit.sh's KUNIT-CASE lines)
# counts in the total as a test of its own.
kunit_count() {
	local st name
	while read -r _ st name; do
		case $st in
		ok) passed=$((passed + 1))
			printf 'PASS %-32s %4s  KUnit\n' "kunit:$name" - ;;
		not-ok) failed=$((failed + 1))
			failed_names+=("kunit:$name")
			printf 'FAIL %-32s %4s  KUnit\n' "kunit:$name" - ;;
		esac
	done < <(grep -a '^KUNIT-CASE ' "$1" 2>/dev/null)
}

run kernel-build scripts/build-kernel.sh
run kernel-checkpatch scripts/checkpatch.sh
run guest-build scripts/build-guest.sh
run soak-selfcheck tests/e2e/soak-selfcheck.sh
run bench-selfcheck tests/bench/selfcheck.sh
run e2e-basic tests/e2e/run-guest.sh e2e-basic --mem 256 --timeout 900
run e2e-reboot tests/e2e/reboot.sh
run e2e-fallback tests/e2e/run-guest.sh e2e-fallback --mem 256 --nvdimm-size 64M --timeout 900
run e2e-swapoff tests/e2e/run-guest.sh e2e-swapoff --mem 256 --timeout 900
run e2e-devdax tests/e2e/run-guest.sh e2e-devdax --mem 256 --timeout 600
run e2e-badblocks tests/e2e/run-guest.sh e2e-badblocks --mem 256 --nvdimm-size 64M --timeout 900
run bench-guest-quick tests/bench/guest.sh quick
# The swap device module on Debian's own kernels (downloaded, not
# installed): DKMS and the package, then each kernel booted twice.
run module-dkms tests/e2e/module-dkms.sh
run stock-6.1 tests/e2e/stock.sh 6.1
run stock-6.12 tests/e2e/stock.sh 6.12
run kernel-debug-build scripts/build-kernel.sh debug
run e2e-provoke tests/e2e/provoke.sh
# The swap device module beside the built-in frontswap backend, its I/O
# path and teardown under KASAN, lockdep and the atomic-sleep checks.
run swapdev-own-debug tests/e2e/swapdev-own.sh debug
run kunit-debug tests/e2e/kunit.sh
kunit_count "$LOGS/kunit-debug.log"
run e2e-poison-debug tests/e2e/run-guest.sh e2e-poison --debug --mem 256 --nvdimm-size 256M --timeout 900
run e2e-teardown-debug tests/e2e/run-guest.sh e2e-teardown --debug --mem 256 --nvdimm-size 256M --timeout 900
run soak-short-debug tests/e2e/soak.sh short

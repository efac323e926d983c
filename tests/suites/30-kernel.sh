# Kernel build and QEMU end-to-end tests, last (slowest): sourced by tests/run.sh.
run kernel-build scripts/build-kernel.sh
run kernel-checkpatch scripts/checkpatch.sh
run guest-build scripts/build-guest.sh
run e2e-basic tests/e2e/run-guest.sh e2e-basic --mem 256 --timeout 900
run e2e-reboot tests/e2e/reboot.sh
run e2e-fallback tests/e2e/run-guest.sh e2e-fallback --mem 256 --nvdimm-size 64M --timeout 900
run e2e-swapoff tests/e2e/run-guest.sh e2e-swapoff --mem 256 --timeout 900
run e2e-devdax tests/e2e/run-guest.sh e2e-devdax --mem 256 --timeout 600

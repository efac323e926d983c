#!/bin/sh
# emulation/guest/kunit.sh — nothing to do in userspace: the core's KUnit
# suites ran during boot (kunit.enable=1 on the command line), and
# tests/e2e/kunit.sh reads their KTAP from the console.
. /guest/lib.sh
grep -q 'kunit.enable=1' /proc/cmdline || die "booted without kunit.enable=1: no suite ran"
echo "E2E-KUNIT: booted"

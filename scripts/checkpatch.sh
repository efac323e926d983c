#!/usr/bin/env bash
# checkpatch --strict on every kernel-side file (kernel-backend/, pmem-layout/,
# swap-device/);
# fails on any ERROR, WARNING or CHECK.  Needs the extracted kernel tree
# (scripts/build-kernel.sh extracts it).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cp=$top/build/linux-source-6.1/scripts/checkpatch.pl
[ -f "$cp" ] || { echo "checkpatch: $cp missing (run make kernel)" >&2; exit 1; }
cd "$top"
out=$(perl "$cp" --strict --no-tree --terse -f kernel-backend/*.[ch] pmem-layout/*.[ch] \
	swap-device/*.c 2>&1 || true)
findings=$(grep -cE 'ERROR|WARNING|CHECK' <<<"$out" || true)
[ "$findings" = 0 ] || { echo "$out"; echo "checkpatch: $findings findings"; exit 1; }
echo "checkpatch --strict: $(ls kernel-backend/*.[ch] pmem-layout/*.[ch] swap-device/*.c | wc -l) files, 0 errors, 0 warnings, 0 checks"

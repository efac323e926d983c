#!/bin/sh
# emulation/guest/wear-summary.sh DEV — one line "min max sum" of the wear of
# DEV's frames, from `fsnvmctl wear --json` (the tool's numbers, raw).
. /guest/lib.sh
fsnvmctl wear "$1" --json | tr -d ' \n' |
	sed -n 's/.*"wear":{[^}]*"min":\([0-9]*\)[^}]*"max":\([0-9]*\)[^}]*"sum":\([0-9]*\).*/\1 \2 \3/p'

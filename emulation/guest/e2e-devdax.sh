#!/bin/sh
# emulation/guest/e2e-devdax.sh — fsnvmctl on a devdax namespace
# (/dev/daxN.M, written through libpmem): format, info, check, wear and
# list work on it, and the backend, which needs fsdax, refuses it.
. /guest/lib.sh
. /guest/backend.sh
ndctl create-namespace -f -e namespace0.0 -m devdax >&2 || die "create devdax namespace failed"
dax=/dev/$(ndctl list -N -m devdax | sed -n 's/.*"chardev":"\([^"]*\)".*/\1/p' | head -n 1)
[ -c "$dax" ] || die "no devdax character device ($dax)"
expect_refused "$dax" "Block device required" "must be in fsdax mode, not devdax"
fsnvmctl format "$dax" || die "fsnvmctl format $dax failed"
fsnvmctl info "$dax" || die "fsnvmctl info $dax failed"
frames=$(fsnvmctl info "$dax" --json | tr -d ' \n' | sed -n 's/.*"nr_frames":\([0-9]*\).*/\1/p')
[ -n "$frames" ] && [ "$frames" -gt 200000 ] || die "info --json: nr_frames '$frames'"
fsnvmctl check "$dax" || die "fsnvmctl check $dax found damage"
set -- $(sh /guest/wear-summary.sh "$dax")
[ "$3" = 0 ] || die "fresh format has wear $3"
fsnvmctl list
fsnvmctl list --json | tr -d ' \n' >/tmp/list.json
for want in '"mode":"devdax"' '"format":"frontswap-nvm"'; do
	grep -q "$want" /tmp/list.json || die "fsnvmctl list --json lacks $want: $(cat /tmp/list.json)"
done
echo "E2E-DEVDAX device=$dax frames=$frames"

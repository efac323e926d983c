#!/usr/bin/env bash
# list: runs cleanly on any machine.  Without NVDIMMs (this one) it says so
# and exits 0, JSON is an empty array; with namespaces (the QEMU guest)
# every entry has a mode, a size and a format.
. "$(dirname "$0")/lib.sh"

expect 0 "$T" list
[ ! -s "$TMP/err" ] && ok "list: nothing on stderr" || bad "list stderr"
expect 0 "$T" list --json
cp "$TMP/out" "$TMP/list.json"
jtrue "$TMP/list.json" 'type == "array"'
if ls /sys/bus/nd/devices/namespace*.* >/dev/null 2>&1 &&
   [ "$(jq length "$TMP/list.json")" -gt 0 ]; then
	jtrue "$TMP/list.json" 'all(.mode and .size > 0 and .format and (.bound | type == "boolean"))'
	jtrue "$TMP/list.json" 'map(select(.bound)) | length <= 1'
else
	jeq "$TMP/list.json" . "[]"
	"$T" list | grep -q "^no pmem namespaces found" && ok "says there are none" ||
		bad "no 'no pmem namespaces' line"
fi

finish

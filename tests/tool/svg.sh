#!/usr/bin/env bash
# wear --svg: well-formed SVG (xmllint), one cell per frame with its wear
# in the tooltip on a small device, grouped cells on a large one, a legend;
# renders to PNG when rsvg-convert is there; a bad path fails cleanly.
. "$(dirname "$0")/lib.sh"

img=$TMP/img
truncate -s 4M "$img"
"$T" format "$img" >/dev/null
"$FILL" fill "$img" 700 --rewrites 30 --balance 100 >/dev/null
expect 0 "$T" wear --svg "$TMP/heat.svg" "$img"
if command -v xmllint >/dev/null; then
	xmllint --noout "$TMP/heat.svg" 2>"$TMP/err" && ok "well-formed XML" || bad "xmllint"
fi
frames=$("$T" info --json "$img" | jq .nr_frames)
[ "$(grep -c '<rect x=.*<title>frame [0-9]*: wear [0-9]*</title>' "$TMP/heat.svg")" -eq "$frames" ] &&
	ok "$frames cells, one per frame" || bad "cell count"
# the tooltips carry the index's wear
"$FILL" wear "$img" >"$TMP/w.json"
grep -o '<title>frame [0-9]*: wear [0-9]*</title>' "$TMP/heat.svg" |
	sed 's/[^0-9]*\([0-9]*\)[^0-9]*\([0-9]*\).*/\1 \2/' >"$TMP/cells"
jq -r 'to_entries[] | "\(.key) \(.value)"' "$TMP/w.json" | cmp -s - "$TMP/cells" &&
	ok "every cell's tooltip has its frame's wear" || bad "cell wear differs"
grep -q 'linearGradient id="scale"' "$TMP/heat.svg" && grep -q ">wear (writes per frame)<" "$TMP/heat.svg" &&
	ok "legend" || bad "legend"
max=$(jq max "$TMP/w.json")
grep -q "text-anchor=\"end\">$max</text>" "$TMP/heat.svg" && ok "legend max $max" || bad "legend max"
if command -v rsvg-convert >/dev/null; then
	rsvg-convert "$TMP/heat.svg" -o "$TMP/heat.png" 2>"$TMP/err" && [ -s "$TMP/heat.png" ] &&
		ok "renders to PNG" || bad "rsvg-convert"
fi

# 128 MiB: more frames than cells, two frames a cell
truncate -s 128M "$TMP/big"
"$T" format "$TMP/big" >/dev/null
expect 0 "$T" wear --svg "$TMP/big.svg" "$TMP/big"
big=$("$T" info --json "$TMP/big" | jq .nr_frames)
grep -q "$big frames, 2 per cell" "$TMP/big.svg" && ok "grouped cells" || bad "grouping"
[ "$(grep -c '<title>frames ' "$TMP/big.svg")" -eq $(((big + 1) / 2)) ] &&
	ok "$(((big + 1) / 2)) cells" || bad "big cell count"
command -v xmllint >/dev/null && { xmllint --noout "$TMP/big.svg" && ok "big: well-formed" || bad "big: xmllint"; }

# a path that cannot be written: one line, rc 1, no report printed
expect_err 1 "fsnvmctl: $TMP: Is a directory" "$T" wear --svg "$TMP" "$img"
expect_err 1 "fsnvmctl: $TMP/no/such.svg: No such file or directory" "$T" wear --svg "$TMP/no/such.svg" "$img"

finish

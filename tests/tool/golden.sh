#!/usr/bin/env bash
# Golden test: format an image, fill it through the engine (fill_image),
# then compare `info`, `wear` and `check --json` field by field with
#  - fixed expectations (tests/tool/expect/*.json): geometry and what the
#    fill script determines, independent of the engine's policy;
#  - the engine's own counters printed by fill_image (used, free, filled,
#    wear sum and max);
#  - statistics computed here with jq from every frame's wear (min, max,
#    mean, stddev, nearest-rank percentiles, histogram, hottest frames).
# Also: read-only commands leave the image byte-identical, and the text
# output of info matches tests/tool/expect/info-8M.txt.
. "$(dirname "$0")/lib.sh"

img=$TMP/img
truncate -s 8M "$img"
t0=$(date +%s)
expect 0 "$T" format "$img"
t1=$(date +%s)
grep -q "formatted for frontswap-nvm: 2015 frames of 4096 bytes" "$TMP/out" &&
	ok "format summary" || bad "format summary: $(cat "$TMP/out")"

# --- info -------------------------------------------------------------
expect 0 "$T" info --json "$img"
cp "$TMP/out" "$TMP/info.json"
subset "$EXPECT/info-8M.json" "$TMP/info.json"
jeq "$TMP/info.json" .device "\"$img\""
jeq "$TMP/info.json" .features '["backup_sb"]'
jtrue "$TMP/info.json" '.uuid | test("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")'
jtrue "$TMP/info.json" ".format_time >= $t0 and .format_time <= $t1"
expect 0 "$T" info "$img"
sed -e "s|$img|IMG|" -e 's/^\(uuid: *\).*/\1UUID/' -e 's/^\(formatted: *\).*/\1TIME/' \
	-e 's/crc 0x[0-9a-f]*/crc CRC/' "$TMP/out" >"$TMP/info.txt"
if diff -u "$EXPECT/info-8M.txt" "$TMP/info.txt"; then ok "info text matches"; else bad "info text"; fi

# a 1 MiB image: the smallest
truncate -s 1M "$TMP/small"
expect 0 "$T" format "$TMP/small"
expect 0 "$T" info --json "$TMP/small"
cp "$TMP/out" "$TMP/info1.json"
subset "$EXPECT/info-1M.json" "$TMP/info1.json"

# --- fill through the engine ------------------------------------------------
"$FILL" fill "$img" 1000 --rewrites 40 --balance 200 --dump-wear "$TMP/wear-engine.json" \
	>"$TMP/fill.json" 2>"$TMP/err" && ok "fill_image" || bad "fill_image"
"$FILL" wear "$img" >"$TMP/wear-media.json"
if cmp -s <(jq -c . "$TMP/wear-engine.json") <(jq -c . "$TMP/wear-media.json"); then
	ok "per-frame wear: engine and index agree"
else
	bad "per-frame wear differs between engine and index"
fi

# --- wear ---------------------------------------------------------------
expect 0 "$T" wear --json "$img"
w=$TMP/wear.json
cp "$TMP/out" "$w"
subset "$EXPECT/wear-fill.json" "$w"
for pair in total:frames_total used:frames_used free:frames_free bad:frames_bad filled:pages_filled; do
	jeq "$w" ".frames.${pair%%:*}" "$(jq ".${pair#*:}" "$TMP/fill.json")"
done
jeq "$w" .wear.sum "$(jq .wear_sum "$TMP/fill.json")"
jeq "$w" .wear.max "$(jq .wear_max "$TMP/fill.json")"

# independent statistics from the per-frame wear
W=$TMP/wear-media.json
pct() { jq "sort as \$s | (\$s | length) as \$n | ((($1 * \$n) + 9999) / 10000 | floor) as \$r | \$s[\$r - 1]" "$W"; }
jeq "$w" .wear.min "$(jq min "$W")"
jeq "$w" .wear.max "$(jq max "$W")"
jeq "$w" .wear.sum "$(jq add "$W")"
jeq "$w" .wear.p50 "$(pct 5000)"
jeq "$w" .wear.p90 "$(pct 9000)"
jeq "$w" .wear.p99 "$(pct 9900)"
jeq "$w" .wear.p99_9 "$(pct 9990)"
mean=$(jq 'add / length' "$W")
sd=$(jq '(add / length) as $m | (map((. - $m) * (. - $m)) | add / length) | sqrt' "$W")
jtrue "$w" "(.wear.mean - $mean | fabs) < 1e-6"
jtrue "$w" "(.wear.stddev - $sd | fabs) < 1e-6"
jtrue "$w" "(.endurance.used_max - (.wear.max / 10000000) | fabs) < 1e-12"
jtrue "$w" "(.endurance.used_mean - ($mean / 10000000) | fabs) < 1e-12"
jtrue "$w" "(.endurance.levelling - ($mean / .wear.max) | fabs) < 1e-9"
# histogram: contiguous bins from min to max covering every frame
jtrue "$w" '.histogram | (map(.frames) | add) == 2015'
jtrue "$w" '.histogram[0].from == .wear.min and .histogram[-1].to == .wear.max'
jtrue "$w" '[.histogram | range(1; length) as $i | .[$i].from == .[$i - 1].to + 1] | all'
for b in $(jq -c '.histogram[]' "$w"); do
	lo=$(jq .from <<<"$b") hi=$(jq .to <<<"$b") n=$(jq .frames <<<"$b")
	[ "$(jq "map(select(. >= $lo and . <= $hi)) | length" "$W")" = "$n" ] ||
		bad "histogram bin $b"
done
ok "every histogram bin counts its frames"
# hottest: the 5 most worn, in order, with their real wear
jeq "$w" '.hottest | length' 5
jtrue "$w" '.hottest[0].wear == .wear.max'
jtrue "$w" '[.hottest | range(1; length) as $i | .[$i - 1].wear >= .[$i].wear] | all'
for h in $(jq -c '.hottest[]' "$w"); do
	[ "$(jq ".[$(jq .frame <<<"$h")]" "$W")" = "$(jq .wear <<<"$h")" ] || bad "hottest $h"
done
ok "hottest frames carry their index wear"
# the bins tile [min, max] exactly also when the span is not a multiple of
# their number: wears 0..16 (17 values, 16 bins at most) were put in 16
# bins of width 2, the last 7 starting past the max ("30-16")
new_image tiles 1M
for k in $(seq 1 40); do
	"$FILL" forge "$TMP/tiles" entry-field "$k" wear "$k" >/dev/null
	case $k in 16 | 17 | 31 | 33 | 40) ;; *) continue ;; esac
	expect 0 "$T" wear --json "$TMP/tiles"
	jeq "$TMP/out" '[.wear.min, .wear.max]' "[0,$k]"
	jtrue "$TMP/out" '.histogram[0].from == .wear.min and .histogram[-1].to == .wear.max'
	jtrue "$TMP/out" '[.histogram[] | .from <= .to] | all'
	jtrue "$TMP/out" '[.histogram | range(1; length) as $i | .[$i].from == .[$i - 1].to + 1] | all'
	jtrue "$TMP/out" '.frames.total as $t | [.histogram[].frames] | add == $t'
done
expect 0 "$T" wear --json --top 12 "$img"
jeq "$TMP/out" '.hottest | length' 12
expect 0 "$T" wear --json --top 0 "$img"
jeq "$TMP/out" '.hottest | length' 0

# projection: fresh format, no rate yet; endurance arithmetic
jeq "$w" .projection.remaining_writes_per_frame "$((10000000 - $(jq .wear.max "$w")))"
jeq "$w" .projection.remaining_writes "$(((10000000 - $(jq .wear.max "$w")) * 2015))"
expect 0 "$T" wear --json --endurance 100 "$img"
jeq "$TMP/out" .projection.remaining_writes_per_frame "$((100 - $(jq .wear.max "$w")))"
jeq "$TMP/out" .endurance.writes_per_frame 100
expect 0 "$T" wear --json --endurance 3 "$img"
jeq "$TMP/out" .projection.remaining_writes_per_frame 0
expect 0 "$T" wear --endurance 3 "$img"
grep -q "at or past the assumed endurance" "$TMP/out" && ok "worn-out projection text" ||
	bad "worn-out projection text"
# an image formatted a day ago: a rate and a remaining time
cp "$img" "$TMP/aged"
"$FILL" forge "$TMP/aged" super-age 86400 >/dev/null
expect 0 "$T" wear --json "$TMP/aged"
a=$TMP/aged.json
cp "$TMP/out" "$a"
jtrue "$a" '.projection.elapsed_seconds >= 86400 and .projection.elapsed_seconds < 86400 + 600'
jtrue "$a" '(.projection.write_rate - (.wear.sum / .projection.elapsed_seconds) | fabs) < 1e-9'
jtrue "$a" '((.projection.remaining_seconds - (.projection.remaining_writes / .projection.write_rate)) / .projection.remaining_seconds | fabs) < 1e-6'
expect 0 "$T" wear "$TMP/aged"
grep -q "at the observed .* writes/s (formatted 24.0 hours ago): about .* years" "$TMP/out" &&
	ok "lifetime text with a rate" || bad "lifetime text: $(grep -A1 lifetime "$TMP/out")"

# the text output has every part
expect 0 "$T" wear "$img"
for part in "frames:" "wear:" "percentiles: p50" "endurance:" "histogram" "hottest frames:" "lifetime:"; do
	grep -q "$part" "$TMP/out" && ok "wear text has '$part'" || bad "wear text lacks '$part'"
done

# --- check ----------------------------------------------------------------
expect 0 "$T" check --json "$img"
c=$TMP/check.json
cp "$TMP/out" "$c"
subset "$EXPECT/check-fill.json" "$c"
jeq "$c" .used "$(jq .frames_used "$TMP/fill.json")"
jeq "$c" .filled "$(jq .pages_filled "$TMP/fill.json")"
jeq "$c" .problems "[]"
expect 0 "$T" check "$img"
grep -q "clean: 0 errors, 0 warnings" "$TMP/out" && ok "check text: clean" || bad "check text"

# --- with data crc --------------------------------------------------------
expect 0 "$T" format --force --data-crc "$img"
expect 0 "$T" info --json "$img"
jeq "$TMP/out" .features '["data_crc","backup_sb"]'
jeq "$TMP/out" .compat 3
"$FILL" fill "$img" 500 >/dev/null
expect 0 "$T" check --json "$img"
jeq "$TMP/out" .status '"clean"'

# --- read-only commands write nothing ---------------------------------------
for cmd in "info" "info --json" "wear" "wear --json" "check" "check --json"; do
	# shellcheck disable=SC2086
	untouched "$img" "$T" $cmd "$img"
done
untouched "$img" "$T" wear --svg "$TMP/x.svg" "$img"

finish

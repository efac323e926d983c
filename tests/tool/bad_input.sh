#!/usr/bin/env bash
# Bad input: nonexistent path, a directory, a character device that is not
# DAX, permission denied, too small, a foreign format, usage errors and a
# full stdout.  Each: one clear line on stderr, the documented exit status
# (1 failure, 2 usage), stdout empty, and nothing written.
. "$(dirname "$0")/lib.sh"

img=$TMP/img
truncate -s 2M "$img"
"$T" format "$img" >/dev/null

for cmd in info wear check format "info --json" "wear --json" "check --json"; do
	# shellcheck disable=SC2086
	expect_err 1 "fsnvmctl: $TMP/nosuch: No such file or directory" "$T" $cmd "$TMP/nosuch"
	[ -e "$TMP/nosuch" ] && bad "$cmd created the path"
	# shellcheck disable=SC2086
	expect_err 1 "fsnvmctl: $TMP: Is a directory" "$T" $cmd "$TMP"
	# shellcheck disable=SC2086
	expect_err 1 "fsnvmctl: /dev/null: not a pmem block device, DAX device or image file" "$T" $cmd /dev/null
done

# Permission denied.  Root is not denied by file modes, so run the tool as
# nobody (setpriv); skip, saying so, when that is impossible here.
chmod 755 "$TMP"
chmod 600 "$img"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null &&
   setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
	asnobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	for cmd in info wear check format; do
		refuses 1 "fsnvmctl: $img: Permission denied" "$img" asnobody "$T" "$cmd" "$img"
	done
	chmod 644 "$img"
	refuses 1 "fsnvmctl: $img: Permission denied" "$img" asnobody "$T" format --force "$img"
	mkdir -m 700 "$TMP/private"
	expect_err 1 "fsnvmctl: $TMP/private/x: Permission denied" asnobody "$T" info "$TMP/private/x"
elif [ "$(id -u)" -ne 0 ]; then
	chmod 000 "$img"
	refuses 1 "Permission denied" "$img" "$T" info "$img"
	chmod 644 "$img"
else
	echo "skip: permission denied (cannot switch to an unprivileged user here)"
fi
chmod 644 "$img"

# too small to format
truncate -s 512K "$TMP/small"
refuses 1 "fsnvmctl: $TMP/small: device too small (needs at least 1 MiB)" "$TMP/small" "$T" format "$TMP/small"
refuses 1 "device too small (needs at least 1 MiB)" "$TMP/small" "$T" format --force "$TMP/small"
truncate -s $((1024 * 1024 - 1)) "$TMP/small"
refuses 1 "device too small (needs at least 1 MiB)" "$TMP/small" "$T" format "$TMP/small"
: >"$TMP/zero"
refuses 1 "device too small (needs at least 1 MiB)" "$TMP/zero" "$T" format "$TMP/zero"

# foreign formats: refused without --force; --force wipes the signature
foreign() {
	local name=$1 text=$2 f=$TMP/$1
	refuses 1 "fsnvmctl: $f: contains $text; --force overwrites it" "$f" "$T" format "$f"
	refuses 1 "not formatted for frontswap-nvm" "$f" "$T" info "$f"
	refuses 1 "not formatted for frontswap-nvm" "$f" "$T" check "$f"
	refuses 1 "cannot keep wear" "$f" "$T" format --keep-wear "$f"
	expect 0 "$T" format --force "$f"
	grep -q "wiped [1-9][0-9]* foreign signature" "$TMP/out" && ok "$name: wiped" || bad "$name: no wipe reported"
	expect 0 "$T" check "$f"
	if command -v blkid >/dev/null; then
		run_cmd blkid -p "$f"
		[ "$rc" -eq 2 ] && ok "$name: blkid finds nothing after --force" ||
			bad "$name: blkid still finds: $(cat "$TMP/out")"
	fi
}
truncate -s 4M "$TMP/ext2"
mkfs.ext2 -q -F "$TMP/ext2" >/dev/null 2>&1 || bad "mkfs.ext2"
foreign ext2 "an ext2 filesystem"
truncate -s 4M "$TMP/swap"
mkswap "$TMP/swap" >/dev/null 2>&1 || bad "mkswap"
foreign swap "a swap signature"
# a DOS partition table: one Linux partition, boot signature 55 aa
truncate -s 4M "$TMP/mbr"
printf '\x00\x20\x21\x00\x83\x3f\x20\x00\x00\x08\x00\x00\x00\x10\x00\x00' |
	dd of="$TMP/mbr" bs=1 seek=446 conv=notrunc status=none
printf '\x55\xaa' | dd of="$TMP/mbr" bs=1 seek=510 conv=notrunc status=none
foreign mbr "a dos partition table"

# a sparse image on a full filesystem: reading or writing its holes fails
# (SIGBUS on the mapping, or ENOSPC allocating): one line, rc 1, and the
# image is not left looking formatted
full=$TMP/full
mkdir "$full"
trap 'umount "$full" 2>/dev/null; rm -rf "$TMP"' EXIT
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=1M tmpfs "$full" 2>/dev/null; then
	truncate -s 8M "$full/img"
	head -c 2M /dev/zero >"$full/filler" 2>/dev/null
	for cmd in format info check wear; do
		run_cmd "$T" "$cmd" "$full/img"
		if [ "$rc" -eq 1 ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] &&
		   grep -Eq "^fsnvmctl: $full/img: (bus error accessing the device|allocating the index: No space left)" "$TMP/err"; then
			ok "full filesystem, $cmd: $(cat "$TMP/err")"
		else
			bad "full filesystem, $cmd: rc $rc"
		fi
	done
	rm -f "$full/filler"
	expect_err 1 "not formatted for frontswap-nvm" "$T" info "$full/img"
	umount "$full"
else
	echo "skip: full filesystem (cannot mount a tmpfs here)"
fi

# usage errors: exit 2, the usage on stderr, the image untouched
usage() {
	cp "$img" "$TMP/before"
	run_cmd "$T" "$@"
	if [ "$rc" -eq 2 ] && [ ! -s "$TMP/out" ] && grep -q "usage: fsnvmctl" "$TMP/err"; then
		ok "usage error (rc 2): fsnvmctl $* -> $(head -n 1 "$TMP/err")"
	else
		bad "usage: fsnvmctl $*: rc $rc"
	fi
	cmp -s "$img" "$TMP/before" || bad "usage error wrote: $*"
}
usage
usage info
usage info "$img" "$img"
usage info --bogus "$img"
usage info -x "$img"
usage wear --endurance "$img"
usage wear --endurance abc "$img"
usage wear --endurance -5 "$img"
usage wear --endurance 0 "$img"
usage wear --top 99999 "$img"
usage format "$img" --page-size 8192
usage format --page-size 0x2000 "$img"
usage check
usage stats extra
usage list extra
expect_err 2 "fsnvmctl: unknown command 'frobnicate'" "$T" frobnicate
expect_err 2 "fsnvmctl: unknown command 'nosuch'" "$T" help nosuch
for a in --help -h help; do
	expect 0 "$T" $a
	grep -q "^    format " "$TMP/out" && ok "$a lists the commands" || bad "$a"
done
for c in format info wear check stats list; do
	expect 0 "$T" "$c" --help
	grep -q "^usage: fsnvmctl $c" "$TMP/out" && ok "$c --help" || bad "$c --help"
	expect 0 "$T" help "$c"
done
expect 0 "$T" --version
grep -q "^fsnvmctl .* (format version 1)$" "$TMP/out" && ok "--version" || bad "--version"
expect 0 "$T" info "$img" --json
jeq "$TMP/out" .nr_frames 503

# a full stdout is an error, not a silent success
for cmd in info wear check "info --json" "wear --json" "check --json"; do
	# shellcheck disable=SC2086
	"$T" $cmd "$img" >/dev/full 2>"$TMP/err"
	rc=$?
	[ "$rc" -eq 1 ] && grep -q "write error on standard output" "$TMP/err" &&
		ok "$cmd >/dev/full: rc 1, write error" || bad "$cmd >/dev/full: rc $rc"
done
# ...except for format once the device is formatted (fsnvmctl-format(1)):
# 0 says the device changed, the lost report is a warning on stderr
for opt in --force --keep-wear; do
	uuid=$("$T" info --json "$img" | jq -r .uuid)
	"$T" format $opt "$img" >/dev/full 2>"$TMP/err"
	rc=$?
	if [ "$rc" -eq 0 ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] &&
	   grep -q "^fsnvmctl: warning: $img: formatted, but the report could not be written to standard output: No space left on device$" "$TMP/err" &&
	   [ "$("$T" info --json "$img" | jq -r .uuid)" != "$uuid" ]; then
		ok "format $opt >/dev/full: rc 0, formatted, one warning"
	else
		bad "format $opt >/dev/full: rc $rc, $(cat "$TMP/err")"
	fi
done
# a refusal is still 1, with its own message
"$FILL" fill "$img" 50 >/dev/null
"$T" format "$img" >/dev/full 2>"$TMP/err"
[ "$?" -eq 1 ] && grep -q "holds a frontswap-nvm format with wear" "$TMP/err" &&
	ok "format refused >/dev/full: rc 1" || bad "format refused >/dev/full"

# a FIFO: refused at once, never a blocking open() (timeout: it would hang)
mkfifo "$TMP/fifo"
for cmd in info wear check format "format --force" "info --force" "check --json"; do
	# shellcheck disable=SC2086
	run_cmd timeout 10 "$T" $cmd "$TMP/fifo"
	if [ "$rc" -eq 1 ] && [ ! -s "$TMP/out" ] &&
	   [ "$(cat "$TMP/err")" = "fsnvmctl: $TMP/fifo: not a pmem block device, DAX device or image file (a FIFO)" ]; then
		ok "$cmd on a FIFO: rc 1 at once"
	else
		bad "$cmd on a FIFO: rc $rc (124: it blocked), $(cat "$TMP/err")"
	fi
done
# a FIFO behind a symlink: the same
ln -s "$TMP/fifo" "$TMP/fifolink"
expect_err 1 "image file (a FIFO)" timeout 10 "$T" info "$TMP/fifolink"

finish

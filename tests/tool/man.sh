#!/usr/bin/env bash
# Man pages: one per subcommand of the command table, each with NAME,
# SYNOPSIS, OPTIONS, EXIT STATUS and EXAMPLE, naming every long option the
# command's --help lists, and rendering without a groff warning.
. "$(dirname "$0")/lib.sh"

M=docs/man
cmds=$("$T" --help | sed -n 's/^    \([a-z]*\)  .*/\1/p')
[ -n "$cmds" ] && ok "commands: $(echo $cmds)" || bad "no commands in --help"
for page in "$M/fsnvmctl.1" $(for c in $cmds; do echo "$M/fsnvmctl-$c.1"; done); do
	[ -f "$page" ] || { bad "missing $page"; continue; }
	for s in NAME SYNOPSIS OPTIONS "EXIT STATUS" EXAMPLE; do
		grep -q "^\.SH \"\{0,1\}$s\"\{0,1\}$" "$page" || bad "$page: no $s section"
	done
	warn=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$page" 2>&1)
	[ -z "$warn" ] && ok "$page renders cleanly" || bad "$page: $warn"
done
for c in $cmds; do
	for o in $("$T" "$c" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		grep -q -- "$(sed 's/-/\\\\-/g' <<<"$o")" "$M/fsnvmctl-$c.1" ||
			bad "fsnvmctl-$c.1 does not document $o"
	done
	ok "fsnvmctl-$c.1 documents every option of '$c --help'"
	grep -q "fsnvmctl\\\\-$c (1)" "$M/fsnvmctl.1" && ok "fsnvmctl.1 points to fsnvmctl-$c(1)" ||
		bad "fsnvmctl.1 lacks fsnvmctl-$c(1)"
done
# the default endurance is documented where it is used
grep -q "10000000 (10^7)" "$M/fsnvmctl-wear.1" && grep -q "FSNVMCTL_DEFAULT_ENDURANCE	10000000ULL" tools/fsnvmctl/fsnvmctl.h &&
	ok "default endurance documented" || bad "default endurance"

finish

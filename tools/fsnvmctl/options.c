// SPDX-License-Identifier: GPL-2.0
/* Declarative option parsing on top of getopt_long (see options.h). */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

#define MAX_OPTS 32
#define LONG_BASE 256	/* getopt values of long-only options */

static void print_help(FILE *out, const struct cmd_usage *u)
{
	const struct opt *o;

	fprintf(out, "usage: fsnvmctl %s %s\n\n%s\n\n", u->name, u->synopsis,
		u->summary);
	for (o = u->opts; o->type != OPT_TYPE_END; o++) {
		char left[64];

		snprintf(left, sizeof(left), "%c%c%c --%s%s%s",
			 o->short_name ? '-' : ' ',
			 o->short_name ? o->short_name : ' ',
			 o->short_name ? ',' : ' ', o->long_name,
			 o->argh ? " " : "", o->argh ? o->argh : "");
		fprintf(out, "    %-26s %s\n", left, o->help);
	}
	fprintf(out, "    %-26s %s\n", "-h, --help", "show this help");
	fprintf(out, "\nSee fsnvmctl-%s(1).\n", u->name);
}

int usage_error(const struct cmd_usage *u, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fsnvmctl %s: ", u->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: fsnvmctl %s %s (see fsnvmctl %s --help)\n",
		u->name, u->synopsis, u->name);
	return PARSE_USAGE;
}

/* Unsigned decimal or 0x hex, the whole string, no sign. */
static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || *end ? -1 : 0;
}

static int set_value(const struct opt *o, const char *arg,
		     const struct cmd_usage *u)
{
	switch (o->type) {
	case OPT_TYPE_BOOL:
		*(bool *)o->value = true;
		return 0;
	case OPT_TYPE_U64:
		if (parse_u64(arg, o->value))
			return usage_error(u, "--%s: '%s' is not an unsigned number",
					   o->long_name, arg);
		return 0;
	case OPT_TYPE_STRING:
		*(const char **)o->value = arg;
		return 0;
	case OPT_TYPE_END:
		break;
	}
	return PARSE_USAGE;
}

int parse_options(int argc, char **argv, const struct cmd_usage *u)
{
	struct option longopts[MAX_OPTS + 2];
	char shortopts[3 * MAX_OPTS + 4] = ":h";
	const struct opt *o;
	int n = 0, c, r;

	for (o = u->opts; o->type != OPT_TYPE_END && n < MAX_OPTS; o++, n++) {
		longopts[n] = (struct option){
			.name = o->long_name,
			.has_arg = o->type == OPT_TYPE_BOOL ? no_argument
							     : required_argument,
			.val = LONG_BASE + n,
		};
		if (o->short_name) {
			size_t l = strlen(shortopts);

			shortopts[l++] = (char)o->short_name;
			if (o->type != OPT_TYPE_BOOL)
				shortopts[l++] = ':';
			shortopts[l] = 0;
		}
	}
	longopts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	longopts[n] = (struct option){ 0 };

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == 'h') {
			print_help(stdout, u);
			return PARSE_HELP;
		}
		if (c == '?') {
			if (optopt && optopt < LONG_BASE)
				return usage_error(u, "unknown option '-%c'", optopt);
			return usage_error(u, "unknown option '%s'", argv[optind - 1]);
		}
		if (c == ':')
			return usage_error(u, "option '%s' needs an argument",
					   argv[optind - 1]);
		for (o = u->opts; o->type != OPT_TYPE_END; o++)
			if ((c >= LONG_BASE && o == &u->opts[c - LONG_BASE]) ||
			    (c < LONG_BASE && o->short_name == c))
				break;
		if (o->type == OPT_TYPE_END)
			return usage_error(u, "unhandled option");
		r = set_value(o, optarg, u);
		if (r)
			return r;
	}
	return optind;
}

int parse_args(int argc, char **argv, const struct cmd_usage *u, int min,
	       int max)
{
	int first = parse_options(argc, argv, u);

	if (first < 0)
		return first;
	if (argc - first < min)
		return usage_error(u, "missing device");
	if (argc - first > max)
		return usage_error(u, "unexpected operand '%s'", argv[first + max]);
	return first;
}

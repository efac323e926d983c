/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Declarative command-line options, in the manner of ndctl's parse-options:
 * each command lists its options in a table ended by OPT_END(), and
 * parse_options() fills the variables, prints --help from the table and
 * reports bad usage.
 */
#ifndef FSNVMCTL_OPTIONS_H
#define FSNVMCTL_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

enum opt_type { OPT_TYPE_END, OPT_TYPE_BOOL, OPT_TYPE_U64, OPT_TYPE_STRING };

struct opt {
	enum opt_type type;
	int short_name;		/* 0: long only */
	const char *long_name;
	void *value;		/* bool *, uint64_t *, const char ** */
	const char *argh;	/* the argument's name in --help */
	const char *help;
};

#define OPT_BOOLEAN(s, l, v, h)	{ OPT_TYPE_BOOL, (s), (l), (v), NULL, (h) }
#define OPT_U64(s, l, v, a, h)	{ OPT_TYPE_U64, (s), (l), (v), (a), (h) }
#define OPT_STRING(s, l, v, a, h) { OPT_TYPE_STRING, (s), (l), (v), (a), (h) }
#define OPT_END()		{ OPT_TYPE_END, 0, NULL, NULL, NULL, NULL }

/* What a command is called and how, for messages and --help. */
struct cmd_usage {
	const char *name;	/* "format" */
	const char *synopsis;	/* "DEV [options]" */
	const char *summary;	/* one line */
	const struct opt *opts;
};

#define PARSE_HELP	(-1)	/* --help was printed: exit 0 */
#define PARSE_USAGE	(-2)	/* usage error was printed: exit 2 */

/*
 * Parse argv (argv[0] is the command name).  Returns the index of the
 * first operand, or PARSE_HELP / PARSE_USAGE.
 */
int parse_options(int argc, char **argv, const struct cmd_usage *u);
/* parse_options() and between min and max operands (device paths). */
int parse_args(int argc, char **argv, const struct cmd_usage *u, int min,
	       int max);
/* Print "fsnvmctl NAME: message" and the synopsis on stderr; returns 2. */
int usage_error(const struct cmd_usage *u, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Map a parse result to an exit status. */
static inline int parse_exit(int r)
{
	return r == PARSE_HELP ? 0 : 2;
}

#endif /* FSNVMCTL_OPTIONS_H */

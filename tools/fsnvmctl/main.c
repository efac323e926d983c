// SPDX-License-Identifier: GPL-2.0
/*
 * fsnvmctl: format a persistent-memory namespace for frontswap-nvm and
 * inspect it.  The command table below dispatches to one cmd_* per
 * subcommand; see fsnvmctl(1).
 *
 * Exit status: 0 ok, 1 failure (or damage found by check), 2 usage.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fsnvm_format.h"
#include "fsnvmctl.h"
#include "output.h"

struct cmd_struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct cmd_struct commands[] = {
	{ "format", cmd_format, "write a fresh superblock and empty index" },
	{ "info", cmd_info, "show the superblock and geometry" },
	{ "wear", cmd_wear, "show wear, hottest frames and a lifetime projection" },
	{ "check", cmd_check, "verify the superblock and every index entry" },
	{ "stats", cmd_stats, "show the kernel backend's live counters" },
	{ "list", cmd_list, "list pmem namespaces and their format" },
};

#define NR_COMMANDS ARRAY_SIZE(commands)

static void usage(FILE *out)
{
	unsigned int i;

	fprintf(out, "usage: fsnvmctl COMMAND [options] [DEV]\n\n"
		"DEV is an fsdax namespace (/dev/pmemN), a devdax one (/dev/daxN.M)\n"
		"or an image file.  Commands:\n");
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(out, "    %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n'fsnvmctl COMMAND --help' shows a command's options; see fsnvmctl(1).\n"
		"Exit status: 0 ok, 1 failure or damage found, 2 usage error.\n");
}

/* A full disk or closed pipe must not pass as success. */
static int close_stdout(int ret)
{
	if (fflush(stdout) || ferror(stdout)) {
		fail("write error on standard output: %s",
		     errno ? strerror(errno) : "I/O error");
		return ret ? ret : EXIT_FAIL;
	}
	return ret;
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : NULL;
	unsigned int i;

	if (!name) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(name, "-h") || !strcmp(name, "--help") ||
	    (!strcmp(name, "help") && argc == 2)) {
		usage(stdout);
		return close_stdout(EXIT_OK);
	}
	if (!strcmp(name, "--version")) {
		printf("fsnvmctl %s (format version %d)\n", FSNVMCTL_VERSION,
		       FSNVM_VERSION);
		return close_stdout(EXIT_OK);
	}
	if (!strcmp(name, "help")) {	/* help COMMAND: its --help */
		static char help[] = "--help";
		char *av[] = { argv[2], help, NULL };

		for (i = 0; i < NR_COMMANDS; i++)
			if (!strcmp(argv[2], commands[i].name))
				return close_stdout(commands[i].fn(2, av));
		name = argv[2];
	}
	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(name, commands[i].name))
			return close_stdout(commands[i].fn(argc - 1, argv + 1));
	fprintf(stderr, "fsnvmctl: unknown command '%s' (see fsnvmctl --help)\n", name);
	return EXIT_USAGE;
}

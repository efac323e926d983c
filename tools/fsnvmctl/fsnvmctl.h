/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fsnvmctl: format a persistent-memory namespace for frontswap-nvm and
 * inspect it.  One cmd_* per subcommand (cmd_*.c), dispatched from the
 * command table in main.c.  Every command returns its exit status:
 */
#ifndef FSNVMCTL_H
#define FSNVMCTL_H

#define FSNVMCTL_VERSION	"0.1"

#define EXIT_OK		0	/* done; for check: no error found */
#define EXIT_FAIL	1	/* failure, or check found damage */
#define EXIT_USAGE	2	/* bad command line; nothing was touched */

/*
 * Default endurance of a frame, in writes, for the lifetime projection of
 * `wear`.  An assumption about the media, not a measured property:
 * 3D XPoint-class media is quoted between 10^6 and 10^8 writes per cell;
 * 10^7 sits in the middle.  `wear --endurance N` overrides it.
 */
#define FSNVMCTL_DEFAULT_ENDURANCE	10000000ULL

int cmd_format(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_wear(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_list(int argc, char **argv);

#endif /* FSNVMCTL_H */

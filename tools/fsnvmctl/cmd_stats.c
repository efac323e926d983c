// SPDX-License-Identifier: GPL-2.0
/*
 * fsnvmctl stats: the live counters of the kernel backend, from its sysfs
 * directory (the ABI, docs/ABI/sysfs-kernel-mm-frontswap_nvm):
 *
 *   SYSFS/device        the bound path, empty when unbound
 *   SYSFS/stats/NAME    one unsigned decimal per file
 *
 * shown in the kernel's order of the counters, with names this fsnvmctl
 * does not know after them (sorted).  A kernel without that directory
 * (or --debugfs) is read from DEBUGFS/frontswap_nvm/stats, versioned text:
 *
 *   frontswap-nvm-stats 2
 *   device /dev/pmem0          (a path, or "-" when unbound)
 *   succ_stores 1234
 *   ...
 *
 * Names are parsed generically, so counters a newer backend adds show up
 * without a new fsnvmctl; a newer version number is refused.  Version 2
 * counts events since boot where version 1 counted them per binding; the
 * lines read the same.  The value (the rest of the line after one space)
 * of device is a path or "-"; every other value is an unsigned decimal
 * integer that fits 64 bits (fsnvmctl-stats(1)), anything else makes the
 * file malformed: a counter shown as a string would pass wrong numbers on
 * to scripts.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "device.h"
#include "fsnvmctl.h"
#include "options.h"
#include "output.h"

#define STATS_MAGIC	"frontswap-nvm-stats"
#define STATS_VERSION_MIN	1
#define STATS_VERSION	2	/* the newest this fsnvmctl reads */
#define STATS_MAX	256	/* counters; far more than version 2 has */

struct stat_line {
	char *name, *value;
	bool number;
	unsigned long long v;
};

static bool valid_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return false;
	return true;
}

/* Digits only: no sign, no space, no base prefix other than decimal. */
static bool parse_number(const char *s, unsigned long long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return !errno && !*end;
}

/* Parse the file into lines[]; 0, or EXIT_FAIL after the message. */
static int stats_read(FILE *f, const char *path, struct stat_line *lines,
		      unsigned int *n, int *version_out)
{
	char *buf = NULL, *name, *value;
	unsigned int lineno = 1, i;
	size_t cap = 0;
	ssize_t len;
	int version;
	char tail;

	*n = 0;
	len = getline(&buf, &cap, f);
	if (len < 0) {
		int ret = ferror(f) ? fail_errno(path) :
			  fail("%s: empty, not a frontswap-nvm stats file", path);

		free(buf);
		return ret;
	}
	buf[strcspn(buf, "\n")] = 0;
	if (sscanf(buf, STATS_MAGIC " %d%c", &version, &tail) != 1 ||
	    strncmp(buf, STATS_MAGIC " ", sizeof(STATS_MAGIC))) {
		free(buf);
		return fail("%s: not a frontswap-nvm stats file (first line is not '%s %d')",
			    path, STATS_MAGIC, STATS_VERSION);
	}
	if (version < STATS_VERSION_MIN || version > STATS_VERSION) {
		free(buf);
		return fail("%s: stats format version %d is not supported (this fsnvmctl reads versions %d to %d)",
			    path, version, STATS_VERSION_MIN, STATS_VERSION);
	}
	*version_out = version;
	while ((len = getline(&buf, &cap, f)) >= 0) {
		lineno++;
		buf[strcspn(buf, "\n")] = 0;
		if (!buf[0])
			continue;
		name = buf;
		value = strchr(buf, ' ');
		if (value)
			*value++ = 0;
		if (!value || !valid_name(name) || !*value) {
			free(buf);
			return fail("%s:%u: malformed line (want 'name value')",
				    path, lineno);
		}
		for (i = 0; i < *n; i++)
			if (!strcmp(lines[i].name, name)) {
				int ret = fail("%s:%u: '%s' appears twice", path,
					       lineno, name);

				free(buf);
				return ret;
			}
		if (*n == STATS_MAX) {
			free(buf);
			return fail("%s: more than %d counters", path, STATS_MAX);
		}
		if (strcmp(name, "device") &&
		    !parse_number(value, &lines[*n].v)) {
			int ret = fail("%s:%u: '%s' value '%s' is not an unsigned 64-bit decimal integer",
				       path, lineno, name, value);

			free(buf);
			return ret;
		}
		lines[*n].name = strdup(name);
		lines[*n].value = strdup(value);
		lines[*n].number = strcmp(name, "device");
		(*n)++;
		if (!lines[*n - 1].name || !lines[*n - 1].value) {
			free(buf);
			return fail("out of memory");
		}
	}
	free(buf);
	if (ferror(f))
		return fail_errno(path);
	return 0;
}

/* The kernel's order (fsnvm_stats.c, then the derived values). */
static const char *const known_order[] = {
	"succ_stores", "failed_stores", "loads", "invalidates", "failed_loads",
	"invalidate_areas", "same_filled", "duplicate_stores", "refused_full",
	"refused_range", "load_errors", "crc_errors", "frames_retired",
	"migrations", "balancer_runs", "data_writes", "wear_max", "wear_sum",
	"frames_total", "frames_used", "frames_free", "frames_bad",
	"pages_filled", "frames_poisoned", "pages_lost", "refused_unbound",
	"wear_min", "wear_mean", "device_gone",
};

static int rank(const char *name)
{
	unsigned int i;

	for (i = 0; i < sizeof(known_order) / sizeof(known_order[0]); i++)
		if (!strcmp(known_order[i], name))
			return (int)i;
	return -1;
}

static int by_rank(const void *a, const void *b)
{
	const struct stat_line *x = a, *y = b;
	int rx = rank(x->name), ry = rank(y->name);

	if (rx >= 0 && ry >= 0)
		return rx - ry;
	if (rx >= 0 || ry >= 0)
		return rx >= 0 ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* One sysfs value: its single line, without the newline; NULL on error. */
static char *read_value(const char *path)
{
	char *buf = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *f = fopen(path, "re");

	if (!f)
		return NULL;
	len = getline(&buf, &cap, f);
	if (len < 0) {
		if (ferror(f)) {
			fclose(f);
			free(buf);
			return NULL;
		}
		free(buf);
		buf = strdup("");	/* an empty file: an empty value */
	} else {
		buf[strcspn(buf, "\n")] = 0;
	}
	fclose(f);
	return buf;
}

/* Read SYSFS/device and SYSFS/stats/ into lines[]; 0 or EXIT_FAIL. */
static int stats_read_sysfs(const char *dir, struct stat_line *lines,
			    unsigned int *n)
{
	char path[4096];
	struct dirent *de;
	char *value;
	DIR *d;

	*n = 0;
	snprintf(path, sizeof(path), "%s/device", dir);
	value = read_value(path);
	if (!value)
		return fail_errno(path);
	lines[0].name = strdup("device");
	lines[0].value = value[0] ? value : strdup("-");
	lines[0].number = false;
	if (!value[0])
		free(value);
	*n = 1;
	if (!lines[0].name || !lines[0].value)
		return fail("out of memory");
	snprintf(path, sizeof(path), "%s/stats", dir);
	d = opendir(path);
	if (!d)
		return fail_errno(path);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/stats/%s", dir, de->d_name);
		if (!valid_name(de->d_name)) {
			closedir(d);
			return fail("%s: not a counter's name", path);
		}
		if (*n == STATS_MAX) {
			closedir(d);
			return fail("%s/stats: more than %d counters", dir, STATS_MAX);
		}
		value = read_value(path);
		if (!value) {
			closedir(d);
			return fail_errno(path);
		}
		lines[*n].name = strdup(de->d_name);
		lines[*n].value = value;
		lines[*n].number = true;
		(*n)++;
		if (!lines[*n - 1].name) {
			closedir(d);
			return fail("out of memory");
		}
		if (!parse_number(value, &lines[*n - 1].v)) {
			closedir(d);
			return fail("%s: value '%s' is not an unsigned 64-bit decimal integer",
				    path, value);
		}
	}
	closedir(d);
	qsort(lines + 1, *n - 1, sizeof(*lines), by_rank);
	return 0;
}

static void stats_json(const struct stat_line *l, unsigned int n, int version)
{
	struct json_object *o = json_object_new_object();
	unsigned int i;

	jadd_u64(o, "version", (unsigned long long)version);
	for (i = 0; i < n; i++) {
		if (l[i].number)
			jadd_u64(o, l[i].name, l[i].v);
		else if (!strcmp(l[i].name, "device") && !strcmp(l[i].value, "-"))
			jadd_null(o, l[i].name);
		else
			jadd_str(o, l[i].name, l[i].value);
	}
	json_emit(o);
}

static void stats_text(const struct stat_line *l, unsigned int n)
{
	unsigned int i;
	int width = 0;

	for (i = 0; i < n; i++)
		if ((int)strlen(l[i].name) > width)
			width = (int)strlen(l[i].name);
	for (i = 0; i < n; i++) {
		if (!strcmp(l[i].name, "device") && !strcmp(l[i].value, "-"))
			printf("%-*s  - (unbound)\n", width, l[i].name);
		else
			printf("%-*s  %s\n", width, l[i].name, l[i].value);
	}
}

int cmd_stats(int argc, char **argv)
{
	const char *debugfs = NULL, *sysfs = NULL;
	bool json = false;
	const struct opt opts[] = {
		OPT_BOOLEAN('j', "json", &json, "print JSON (raw numbers)"),
		OPT_STRING(0, "sysfs", &sysfs, "DIR",
			   "the front end's sysfs directory (default: the bound one's, /sys/kernel/mm/frontswap_nvm or /sys/kernel/fsnvm_swap)"),
		OPT_STRING(0, "debugfs", &debugfs, "DIR",
			   "read DIR/frontswap_nvm/stats instead (default: when the sysfs directory is missing, /sys/kernel/debug)"),
		OPT_END(),
	};
	const struct cmd_usage u = {
		"stats", "[--json] [--sysfs DIR] [--debugfs DIR]",
		"Show the live counters of a frontswap-nvm front end in the kernel.", opts,
	};
	struct stat_line lines[STATS_MAX];
	unsigned int n = 0, j;
	char path[4096];
	int i = parse_args(argc, argv, &u, 0, 0), ret, version = 0;
	enum front_end fe;
	FILE *f;

	if (i < 0)
		return parse_exit(i);
	/*
	 * The front end that is bound (the frontswap backend's first), else
	 * the first one present.
	 */
	for (fe = 0; !sysfs && fe < FE_COUNT; fe++)
		if (backend_device(fe, path, sizeof(path)))
			sysfs = front_end_sysfs(fe);
	for (fe = 0; !sysfs && fe < FE_COUNT; fe++) {
		snprintf(path, sizeof(path), "%s/device", front_end_sysfs(fe));
		if (!access(path, F_OK))
			sysfs = front_end_sysfs(fe);
	}
	if (!sysfs)
		sysfs = front_end_sysfs(FE_FRONTSWAP);
	snprintf(path, sizeof(path), "%s/device", sysfs);
	if (!debugfs && !access(path, F_OK)) {
		ret = stats_read_sysfs(sysfs, lines, &n);
		version = STATS_VERSION;	/* what the sysfs files count */
	} else {
		snprintf(path, sizeof(path), "%s/frontswap_nvm/stats",
			 debugfs ? debugfs : "/sys/kernel/debug");
		f = fopen(path, "re");
		if (!f && (errno == ENOENT || errno == ENOTDIR))
			return fail("no frontswap-nvm backend in this kernel (%s/device and %s not found; is debugfs mounted?)",
				    sysfs, path);
		if (!f)
			return fail_errno(path);
		ret = stats_read(f, path, lines, &n, &version);
		fclose(f);
	}
	if (!ret) {
		if (json)
			stats_json(lines, n, version);
		else
			stats_text(lines, n);
	}
	for (j = 0; j < n; j++) {
		free(lines[j].name);
		free(lines[j].value);
	}
	return ret;
}

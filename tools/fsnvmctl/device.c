// SPDX-License-Identifier: GPL-2.0
/* Opening and mapping a device or image (see device.h). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <libpmem.h>
#include <linux/fs.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "device.h"
#include "fsnvm_platform.h"

#define BACKEND_PARAM "/sys/module/frontswap_nvm/parameters/device"

static const struct {
	const char *name, *sysfs;
} front_ends[FE_COUNT] = {
	[FE_FRONTSWAP] = { "frontswap", "/sys/kernel/mm/frontswap_nvm" },
	[FE_SWAPDEV] = { "swap-device", "/sys/kernel/fsnvm_swap" },
};

const char *front_end_name(enum front_end fe)
{
	return front_ends[fe].name;
}

const char *front_end_sysfs(enum front_end fe)
{
	return front_ends[fe].sysfs;
}

const char *dev_kind_str(enum dev_kind kind)
{
	switch (kind) {
	case DEV_FILE:
		return "file";
	case DEV_BLOCK:
		return "block";
	case DEV_DAX:
		return "devdax";
	}
	return "?";
}

static int dev_fail(struct dev *d, const char *fmt, const char *arg)
{
	snprintf(d->err, sizeof(d->err), fmt, arg);
	dev_close(d);
	return -1;
}

static int dev_fail_errno(struct dev *d)
{
	const char *hint = "";

	if (errno == EBUSY && d->writable)
		hint = " (mounted, used as swap, or bound to the backend?)";
	snprintf(d->err, sizeof(d->err), "%s%s", strerror(errno), hint);
	dev_close(d);
	return -1;
}

/* Read a small sysfs attribute of a character device. */
static int sysfs_char_attr(dev_t rdev, const char *attr, char *buf,
			   size_t len)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/%s", major(rdev),
		 minor(rdev), attr);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

/* A devdax device: its sysfs subsystem is "dax". */
static bool is_dax(dev_t rdev, uint64_t *bytes)
{
	char path[128], link[256], size[32], *end;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/subsystem",
		 major(rdev), minor(rdev));
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return false;
	link[n] = 0;
	if (strcmp(basename(link), "dax"))
		return false;
	if (sysfs_char_attr(rdev, "size", size, sizeof(size)))
		return false;
	*bytes = strtoull(size, &end, 0);
	return end != size;
}

/*
 * A mapped device raises SIGBUS on a poisoned pmem line (userspace has no
 * machine-check-safe copy), on a page of a block device that holds a bad
 * block, and on an image file whose holes cannot be allocated (a full
 * filesystem).  On a device, a read through fsnvm_pmem_read() (index
 * entries, page data) then just fails, as in the kernel: the entry is
 * unreadable.  On an image file SIGBUS means the filesystem is full, which
 * no entry should be blamed for.  Anything else is said in one line
 * instead of dumping core.  A format
 * cut short this way leaves the old format, or nothing usable on a device
 * that held none (fsnvm_format.h gives the order).
 */
static const char *sigbus_path = "the device";
static const char *sigbus_base;		/* the mapping, once there is one */
static size_t sigbus_bytes;
static bool sigbus_media;		/* a device, not an image file */

/* " at byte 0x...": async-signal-safe, no stdio. */
static void write_offset(const void *addr)
{
	char buf[32] = " at byte 0x", *p = buf + 11;
	size_t off = (size_t)((const char *)addr - sigbus_base);
	int shift;
	ssize_t r;

	if (!sigbus_base || (const char *)addr < sigbus_base || off >= sigbus_bytes)
		return;
	for (shift = 60; shift > 0 && !(off >> shift); shift -= 4)
		;
	for (; shift >= 0; shift -= 4)
		*p++ = "0123456789abcdef"[(off >> shift) & 15];
	r = write(STDERR_FILENO, buf, (size_t)(p - buf));
	(void)r;
}

static void sigbus_handler(int sig, siginfo_t *si, void *uc)
{
	static const char a[] = "fsnvmctl: ";
	static const char b[] = ": bus error accessing the device";
	static const char c[] = " (a media error, or an image file on a full filesystem); aborted\n";
	ssize_t r;

	(void)sig;
	(void)uc;
	if (sigbus_media)
		fsnvm_pmem_read_fault();
	r = write(STDERR_FILENO, a, sizeof(a) - 1);
	r = write(STDERR_FILENO, sigbus_path, strlen(sigbus_path));
	r = write(STDERR_FILENO, b, sizeof(b) - 1);
	write_offset(si->si_addr);
	r = write(STDERR_FILENO, c, sizeof(c) - 1);
	(void)r;
	_exit(1);
}

static void catch_sigbus(const char *path)
{
	/* NODEFER: a read the handler returned from may fault again. */
	struct sigaction sa = { .sa_sigaction = sigbus_handler,
				.sa_flags = SA_SIGINFO | SA_NODEFER };

	sigbus_path = path;
	sigbus_base = NULL;
	sigbus_media = false;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
}

/*
 * /dev/pmemN mapped here goes through the block device's page cache, but
 * the backend reads and writes the namespace through DAX, behind it.  While
 * anyone holds the device open (the bound backend does) cached pages
 * survive our close and would show a stale index to the next command: drop
 * the clean ones before mapping and after unmapping.  Our own writes are
 * made durable (dev_persist) before the unmap.
 */
static void drop_cache(struct dev *d)
{
	posix_fadvise(d->fd, 0, 0, POSIX_FADV_DONTNEED);
}

/* What a path is, for the refusal of anything but a file or a device. */
static const char *mode_str(mode_t mode)
{
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode))
		return "a character device that is not devdax";
	return "not a regular file";
}

static int dev_refuse(struct dev *d, mode_t mode)
{
	snprintf(d->err, sizeof(d->err),
		 "not a pmem block device, DAX device or image file (%s)",
		 mode_str(mode));
	dev_close(d);
	return -1;
}

static bool usable_kind(const struct stat *st, uint64_t *dax_bytes)
{
	return S_ISREG(st->st_mode) || S_ISBLK(st->st_mode) ||
	       (S_ISCHR(st->st_mode) && is_dax(st->st_rdev, dax_bytes));
}

/*
 * Only a regular file, a block device or a devdax character device is
 * opened: open() of a FIFO blocks until a writer comes, and of another
 * character device (a tty, a tape) may act on it.  The path is looked at
 * before open() and, in case it was swapped in between, the opened file
 * after; O_NONBLOCK keeps open() itself from waiting either way.
 */
int dev_open(struct dev *d, const char *path, bool writable)
{
	int prot = writable ? PROT_READ | PROT_WRITE : PROT_READ;
	int flags = (writable ? O_RDWR | O_EXCL : O_RDONLY) | O_CLOEXEC;
	struct stat pre, st;
	uint64_t dax_bytes = 0;
	size_t len;
	int is_pmem;

	memset(d, 0, sizeof(*d));
	d->fd = -1;
	d->path = path;
	catch_sigbus(path);
	d->writable = writable;
	if (stat(path, &pre))
		return dev_fail_errno(d);
	if (S_ISDIR(pre.st_mode)) {
		errno = EISDIR;
		return dev_fail_errno(d);
	}
	if (!usable_kind(&pre, &dax_bytes))
		return dev_refuse(d, pre.st_mode);
	/* O_EXCL on a block device: refused while mounted or swapped on. */
	d->fd = open(path, flags | O_NONBLOCK);
	if (d->fd < 0 || fstat(d->fd, &st))
		return dev_fail_errno(d);
	if (st.st_dev != pre.st_dev || st.st_ino != pre.st_ino ||
	    (st.st_mode & S_IFMT) != (pre.st_mode & S_IFMT)) {
		if (!usable_kind(&st, &dax_bytes))
			return dev_refuse(d, st.st_mode);
		return dev_fail(d, "%s", "changed while being opened; try again");
	}
	if (fcntl(d->fd, F_SETFL, fcntl(d->fd, F_GETFL) & ~O_NONBLOCK))
		return dev_fail_errno(d);
	if (S_ISREG(st.st_mode)) {
		d->kind = DEV_FILE;
		d->bytes = st.st_size;
	} else if (S_ISBLK(st.st_mode)) {
		d->kind = DEV_BLOCK;
		d->rdev = st.st_rdev;
		if (ioctl(d->fd, BLKGETSIZE64, &d->bytes))
			return dev_fail_errno(d);
	} else {
		d->kind = DEV_DAX;
		d->rdev = st.st_rdev;
		d->bytes = dax_bytes;
	}
	if (!d->bytes)
		return 0;
	if (d->kind == DEV_DAX && writable) {
		/* devdax takes no read()/write(): libpmem maps it whole. */
		close(d->fd);
		d->fd = -1;
		d->base = pmem_map_file(path, 0, 0, 0, &len, &is_pmem);
		if (!d->base)
			return dev_fail(d, "%s", pmem_errormsg());
		d->libpmem_map = true;
		d->bytes = len;
		d->is_pmem = is_pmem;
		sigbus_base = d->base;
		sigbus_bytes = d->bytes;
		sigbus_media = true;
		return 0;
	}
	if (d->kind == DEV_BLOCK)
		drop_cache(d);
	d->base = mmap(NULL, d->bytes, prot, MAP_SHARED, d->fd, 0);
	if (d->base == MAP_FAILED) {
		d->base = NULL;
		return dev_fail_errno(d);
	}
	d->is_pmem = pmem_is_pmem(d->base, d->bytes);
	sigbus_base = d->base;
	sigbus_bytes = d->bytes;
	sigbus_media = d->kind != DEV_FILE;
	return 0;
}

void dev_close(struct dev *d)
{
	if (d->base) {
		if (d->libpmem_map)
			pmem_unmap(d->base, d->bytes);
		else
			munmap(d->base, d->bytes);
	}
	d->base = NULL;
	if (d->fd >= 0 && d->kind == DEV_BLOCK)
		drop_cache(d);
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

/*
 * fsnvm_format() writes through fsnvm_pmem_copy()/fence(), libpmem's
 * flushes.  They are enough on real pmem; a page-cache mapping (an image
 * file, /dev/pmemN opened as a block device) also needs msync and fsync.
 */
int dev_persist(struct dev *d)
{
	if (!d->base || d->is_pmem)
		return 0;
	if (pmem_msync(d->base, d->bytes))
		return -1;
	if (d->fd >= 0 && fsync(d->fd))
		return -1;
	return 0;
}

void dev_bad_ranges(const struct dev *d,
		    void (*range)(void *ctx, uint64_t start, uint64_t end),
		    void *ctx)
{
	unsigned long long sector, count;
	char path[128];
	FILE *f;

	if (d->kind != DEV_BLOCK)
		return;
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/badblocks",
		 major(d->rdev), minor(d->rdev));
	f = fopen(path, "re");
	if (!f)
		return;
	/* "first-sector count" per line, 512-byte sectors */
	while (fscanf(f, "%llu %llu", &sector, &count) == 2)
		range(ctx, sector * 512, (sector + count) * 512);
	fclose(f);
}

const char *backend_device(enum front_end fe, char *buf, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/device", front_ends[fe].sysfs);
	f = fopen(path, "re");
	if (!f && fe == FE_FRONTSWAP)
		f = fopen(BACKEND_PARAM, "re");	/* an older backend */
	if (!f)
		return NULL;
	if (!fgets(buf, (int)len, f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return buf[0] && strcmp(buf, "-") ? buf : NULL;
}

static bool bound_to(const char *bound, const char *path, dev_t rdev)
{
	char want[256], other[256];
	struct stat st;

	if (!bound || !rdev)	/* the front ends bind namespaces, not files */
		return false;
	if (bound[0] == '/' && !stat(bound, &st) &&
	    (S_ISBLK(st.st_mode) || S_ISCHR(st.st_mode)))
		return st.st_rdev == rdev;
	/* A bare name ("pmem0") or an unresolvable path: compare names. */
	snprintf(want, sizeof(want), "%s", path);
	snprintf(other, sizeof(other), "%s", bound);
	return !strcmp(basename(want), basename(other));
}

enum front_end dev_bound_by(const char *path, dev_t rdev)
{
	enum front_end fe;
	char buf[256];

	for (fe = 0; fe < FE_COUNT; fe++)
		if (bound_to(backend_device(fe, buf, sizeof(buf)), path, rdev))
			return fe;
	return FE_COUNT;
}

bool dev_is_bound(const char *path, dev_t rdev)
{
	return dev_bound_by(path, rdev) != FE_COUNT;
}

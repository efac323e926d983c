/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Foreign signatures through libblkid's low-level probing: filesystems,
 * swap, RAID/LVM members and partition tables.  `format` refuses a device
 * that carries one, and with --force wipes them all (as wipefs -a does) so
 * that nothing else claims the namespace after it is formatted.
 */
#ifndef FSNVMCTL_PROBE_H
#define FSNVMCTL_PROBE_H

#include <stddef.h>

/*
 * 1: found, what = "an ext4 filesystem" and the like; 0: none;
 * -1: the probe failed (errno).
 */
int probe_foreign(int fd, char *what, size_t len);
/* Erase every signature found; the number erased, or -1 (errno). */
int probe_wipe(int fd);

#endif /* FSNVMCTL_PROBE_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output of fsnvmctl: error lines, human units for the text output, and
 * JSON through json-c.  JSON carries raw numbers only (bytes, counts,
 * seconds); human units are for the text display.
 */
#ifndef FSNVMCTL_OUTPUT_H
#define FSNVMCTL_OUTPUT_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "fsnvmctl: <message>" on stderr; returns EXIT_FAIL. */
int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "fsnvmctl: <what>: <strerror(errno)>"; returns EXIT_FAIL. */
int fail_errno(const char *what);
/* "fsnvmctl: warning: <message>" on stderr. */
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* 8388608 -> "8.0 MiB" */
const char *fmt_bytes(uint64_t bytes, char *buf, size_t len);
/* 90061 -> "1.0 days" */
const char *fmt_duration(double seconds, char *buf, size_t len);
/* seconds since the epoch -> "2024-05-01 12:00:00 UTC", 0 -> "unknown" */
const char *fmt_time(uint64_t t, char *buf, size_t len);
/* 16 bytes -> "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (37 bytes with NUL) */
void fmt_uuid(const uint8_t uuid[16], char out[37]);

void jadd_u64(struct json_object *o, const char *key, uint64_t v);
void jadd_double(struct json_object *o, const char *key, double v);
/* NULL adds a JSON null. */
void jadd_str(struct json_object *o, const char *key, const char *v);
void jadd_bool(struct json_object *o, const char *key, bool v);
void jadd_null(struct json_object *o, const char *key);
/* Print o to stdout, pretty, and drop the reference. */
void json_emit(struct json_object *o);

#endif /* FSNVMCTL_OUTPUT_H */

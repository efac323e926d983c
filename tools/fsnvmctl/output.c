// SPDX-License-Identifier: GPL-2.0
/* Messages, human units and JSON output (see output.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fsnvmctl.h"
#include "output.h"

int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fsnvmctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_FAIL;
}

int fail_errno(const char *what)
{
	return fail("%s: %s", what, strerror(errno));
}

void warn(const char *fmt, ...)
{
	va_list ap;

	fputs("fsnvmctl: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

const char *fmt_bytes(uint64_t bytes, char *buf, size_t len)
{
	static const char * const unit[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double v = (double)bytes;
	int u = -1;

	if (bytes < 1024) {
		snprintf(buf, len, "%llu B", (unsigned long long)bytes);
		return buf;
	}
	while (v >= 1024 && u < 5) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, "%.1f %s", v, unit[u]);
	return buf;
}

const char *fmt_duration(double s, char *buf, size_t len)
{
	if (s < 120)
		snprintf(buf, len, "%.0f seconds", s);
	else if (s < 2 * 3600)
		snprintf(buf, len, "%.0f minutes", s / 60);
	else if (s < 2 * 86400)
		snprintf(buf, len, "%.1f hours", s / 3600);
	else if (s < 2 * 365.25 * 86400)
		snprintf(buf, len, "%.1f days", s / 86400);
	else if (s < 1e6 * 365.25 * 86400)
		snprintf(buf, len, "%.1f years", s / (365.25 * 86400));
	else
		snprintf(buf, len, "%.3g years", s / (365.25 * 86400));
	return buf;
}

const char *fmt_time(uint64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!t || (uint64_t)tt != t || !gmtime_r(&tt, &tm) ||
	    !strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(buf, len, "%s", t ? "out of range" : "unknown");
	return buf;
}

void fmt_uuid(const uint8_t u[16], char out[37])
{
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		 u[10], u[11], u[12], u[13], u[14], u[15]);
}

void jadd_u64(struct json_object *o, const char *key, uint64_t v)
{
	json_object_object_add(o, key, json_object_new_uint64(v));
}

void jadd_double(struct json_object *o, const char *key, double v)
{
	json_object_object_add(o, key, json_object_new_double(v));
}

void jadd_str(struct json_object *o, const char *key, const char *v)
{
	json_object_object_add(o, key, v ? json_object_new_string(v) : NULL);
}

void jadd_bool(struct json_object *o, const char *key, bool v)
{
	json_object_object_add(o, key, json_object_new_boolean(v));
}

void jadd_null(struct json_object *o, const char *key)
{
	json_object_object_add(o, key, NULL);
}

void json_emit(struct json_object *o)
{
	/* Doubles as "%.10g": 3.12, not 3.1200000000000001. */
	json_c_set_serialization_double_format("%.10g", JSON_C_OPTION_GLOBAL);
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * crc32c_test: every crc32c implementation of the userspace build gives
 * the table's result (crc32c_selftest(), tools/shim/crc32c.c), and the
 * one crc32c() picked agrees with known check values.
 */
#include "test_util.h"

int main(void)
{
	static const u8 zeros[32];
	u8 ones[32];

	memset(ones, 0xff, sizeof(ones));
	/* RFC 3720 B.4, with the inversions the convention leaves out. */
	CHECK(~crc32c(~0U, "123456789", 9) == 0xe3069283U, "check value");
	CHECK(~crc32c(~0U, zeros, 32) == 0x8a9136aaU, "32 zero bytes");
	CHECK(~crc32c(~0U, ones, 32) == 0x62a8ab43U, "32 0xff bytes");
	CHECK(crc32c_selftest() == 0, "an implementation differs from the table");
	printf("crc32c: every implementation matches the table\n");
	return 0;
}

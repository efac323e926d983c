// SPDX-License-Identifier: GPL-2.0
/*
 * crc32c (Castagnoli) for the userspace build: the SSE4.2 instruction when
 * the CPU has it (as the kernel's crc32c-intel does), a table otherwise.
 * Same convention as the kernel's crc32c(): no pre/post inversion inside.
 */
#include "fsnvm_platform.h"

static u32 crc32c_table[256];
static pthread_once_t crc32c_once = PTHREAD_ONCE_INIT;
static bool crc32c_have_sse42;

static void crc32c_init(void)
{
	for (u32 i = 0; i < 256; i++) {
		u32 c = i;

		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0x82f63b78U & (0U - (c & 1)));
		crc32c_table[i] = c;
	}
#if defined(__x86_64__)
	crc32c_have_sse42 = __builtin_cpu_supports("sse4.2");
#endif
}

#if defined(__x86_64__)
__attribute__((target("sse4.2")))
static u32 crc32c_hw(u32 crc, const u8 *p, size_t len)
{
	u64 c = crc;

	while (len >= 8) {
		u64 w;

		memcpy(&w, p, 8);
		c = __builtin_ia32_crc32di(c, w);
		p += 8;
		len -= 8;
	}
	while (len--)
		c = __builtin_ia32_crc32qi((u32)c, *p++);
	return (u32)c;
}
#endif

u32 crc32c(u32 crc, const void *buf, unsigned int len)
{
	const u8 *p = buf;

	pthread_once(&crc32c_once, crc32c_init);
#if defined(__x86_64__)
	if (crc32c_have_sse42)
		return crc32c_hw(crc, p, len);
#endif
	while (len--)
		crc = crc32c_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

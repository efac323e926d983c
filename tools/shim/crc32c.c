// SPDX-License-Identifier: GPL-2.0
/*
 * crc32c (Castagnoli) for the userspace build.  Same convention as the
 * kernel's crc32c(): no pre/post inversion inside.  It is the on-media
 * checksum of every entry, superblock and (optionally) page, so every
 * implementation must give the table's result bit for bit;
 * crc32c_selftest() checks that.
 *
 * Implementations, the best the CPU has picked once at first use:
 *  table    a byte at a time: the reference, and the fallback
 *  sse42    one stream of crc32q: each waits for the previous one's result
 *           (3 cycles), so it runs at a third of the instruction's rate
 *  pclmul   three crc32q streams over three consecutive blocks, which keep
 *           the unit busy every cycle, combined at the end by carry-less
 *           multiplication, as the kernel's crc32c-intel does
 *           (arch/x86/crypto/crc32c-pcl-intel-asm_64.S)
 *
 * Combining: with c the crc of a block followed by n more bytes, the crc
 * over both is c * x^(8n) mod P xor the crc of the n bytes alone.  For a
 * 32-bit reflected c and K = x^(8n - 33) mod P, clmul(c, K) is a 64-bit
 * value (one more power of x from the reflection) whose crc32q from 0
 * (32 more) is exactly c * x^(8n) mod P.  crc32c_shift[] holds K for
 * every multiple of 8 bytes up to twice the longest block.
 */
#include "fsnvm_platform.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#define CRC32C_POLY		0x82f63b78U	/* reflected */
#define CRC32C_BLOCK_MAX	2048	/* bytes per stream and pass */

typedef u32 (*crc32c_fn)(u32 crc, const u8 *p, size_t len);

static u32 crc32c_table[256];
static u32 crc32c_shift[2 * CRC32C_BLOCK_MAX / 8 + 1];	/* by n / 8 */
static pthread_once_t crc32c_once = PTHREAD_ONCE_INIT;
static crc32c_fn crc32c_best;

static u32 crc32c_sw(u32 crc, const u8 *p, size_t len)
{
	while (len--)
		crc = crc32c_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

/* x^k mod P for k = 8n - 33, n every multiple of 8 bytes. */
static void crc32c_shift_init(void)
{
	u32 v = 0x80000000U;	/* x^0, reflected */
	u32 k;

	for (k = 0; k <= 8 * 2 * CRC32C_BLOCK_MAX - 33; k++) {
		if ((k + 33) % 64 == 0)
			crc32c_shift[(k + 33) / 64] = v;
		v = (v >> 1) ^ (CRC32C_POLY & (0U - (v & 1)));
	}
}

#if defined(__x86_64__)
__attribute__((target("sse4.2")))
static u32 crc32c_sse42(u32 crc, const u8 *p, size_t len)
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

/* c * x^(8n) mod P, n a multiple of 8 in [8, 2 * CRC32C_BLOCK_MAX]. */
__attribute__((target("sse4.2,pclmul")))
static u64 crc32c_clmul_shift(u32 c, size_t n)
{
	__m128i prod = _mm_clmulepi64_si128(_mm_cvtsi32_si128((int)c),
					    _mm_cvtsi32_si128((int)crc32c_shift[n / 8]),
					    0x00);

	return (u64)_mm_cvtsi128_si64(prod);
}

/* Three blocks of n bytes each (n a multiple of 8), as one. */
__attribute__((target("sse4.2,pclmul")))
static u32 crc32c_3way(u32 crc, const u8 *p, size_t n)
{
	u64 a = crc, b = 0, c = 0, wa, wb, wc;
	size_t i;

	for (i = 0; i < n; i += 8) {
		memcpy(&wa, p + i, 8);
		memcpy(&wb, p + n + i, 8);
		memcpy(&wc, p + 2 * n + i, 8);
		a = __builtin_ia32_crc32di(a, wa);
		b = __builtin_ia32_crc32di(b, wb);
		c = __builtin_ia32_crc32di(c, wc);
	}
	return (u32)__builtin_ia32_crc32di(0, crc32c_clmul_shift((u32)a, 2 * n) ^
					   crc32c_clmul_shift((u32)b, n)) ^ (u32)c;
}

__attribute__((target("sse4.2,pclmul")))
static u32 crc32c_pclmul(u32 crc, const u8 *p, size_t len)
{
	/* Below 3 x 8 bytes per block, a single stream is as fast. */
	while (len >= 3 * 64) {
		size_t n = len / 24 * 8;

		if (n > CRC32C_BLOCK_MAX)
			n = CRC32C_BLOCK_MAX;
		crc = crc32c_3way(crc, p, n);
		p += 3 * n;
		len -= 3 * n;
	}
	return crc32c_sse42(crc, p, len);
}
#endif

static void crc32c_init(void)
{
	for (u32 i = 0; i < 256; i++) {
		u32 c = i;

		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (CRC32C_POLY & (0U - (c & 1)));
		crc32c_table[i] = c;
	}
	crc32c_shift_init();
	crc32c_best = crc32c_sw;
#if defined(__x86_64__)
	if (__builtin_cpu_supports("sse4.2"))
		crc32c_best = crc32c_sse42;
	if (__builtin_cpu_supports("sse4.2") && __builtin_cpu_supports("pclmul"))
		crc32c_best = crc32c_pclmul;
#endif
}

static u64 crc32c_lcg(u64 *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s;
}

u32 crc32c(u32 crc, const void *buf, unsigned int len)
{
	pthread_once(&crc32c_once, crc32c_init);
	return crc32c_best(crc, buf, len);
}

/*
 * Every implementation this CPU can run against the table: lengths
 * 0..8192 (every block split the pclmul one makes for them), at every
 * alignment 0..63, from random seeds.  0, or -1 after printing the first
 * mismatch.
 */
int crc32c_selftest(void)
{
	struct {
		const char *name;
		crc32c_fn fn;
		bool usable;
	} impl[] = {
#if defined(__x86_64__)
		{ "sse42", crc32c_sse42, __builtin_cpu_supports("sse4.2") },
		{ "pclmul", crc32c_pclmul, __builtin_cpu_supports("sse4.2") &&
					   __builtin_cpu_supports("pclmul") },
#else
		{ "table", crc32c_sw, true },	/* nothing else to check */
#endif
	};
	const size_t max = 8192, align = 64;
	u8 *buf = malloc(max + align);
	u64 rng = 0x2545f4914f6cdd1dULL;
	size_t len, off, k;
	int ret = 0;

	if (!buf)
		return -1;
	pthread_once(&crc32c_once, crc32c_init);
	for (k = 0; k < max + align; k++)
		buf[k] = (u8)(crc32c_lcg(&rng) >> 56);
	for (len = 0; len <= max && !ret; len++) {
		for (off = 0; off < align && !ret; off++) {
			u32 seed = (u32)(crc32c_lcg(&rng) >> 32);
			u32 want = crc32c_sw(seed, buf + off, len);

			for (k = 0; k < ARRAY_SIZE(impl) && !ret; k++) {
				u32 got = impl[k].usable ?
					  impl[k].fn(seed, buf + off, len) : want;

				if (got == want)
					continue;
				fprintf(stderr, "crc32c %s: len %zu offset %zu seed %08x: %08x, table %08x\n",
					impl[k].name, len, off, seed, got, want);
				ret = -1;
			}
		}
	}
	free(buf);
	return ret;
}

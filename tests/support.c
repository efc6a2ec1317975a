/* support.c - helpers shared by the unit tests (see support.h) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "support.h"

/* libsodium's hex helpers; sodium_hex2bin stops at the first non-hex
 * character, so the whole text must have been taken. */
long
hex_decode(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = strlen(hex), got;
	const char *end;

	if (n % 2U != 0 || n / 2U > cap || n / 2U > (size_t)LONG_MAX)
		return -1;
	if (sodium_hex2bin(out, cap, hex, n, NULL, &got, &end) != 0 ||
	    end != hex + n || got != n / 2U)
		return -1;
	return (long)got;
}

void
hex_encode(const uint8_t *in, size_t len, char *out)
{
	(void)sodium_bin2hex(out, 2U * len + 1U, in, len);
}

void
st16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

void
st32(uint8_t *p, uint32_t v)
{
	st16(p, v);
	st16(p + 2, v >> 16);
}

void
st64(uint8_t *p, uint64_t v)
{
	st32(p, (uint32_t)v);
	st32(p + 4, (uint32_t)(v >> 32));
}

const char *
vector_path(const char *name)
{
	static char path[4096];
	const char *dir = getenv("LKEY_VECTORS");
	int n;

	if (dir == NULL || dir[0] == '\0')
		dir = "tests/vectors";
	n = snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(path))
		fail_msg("vector path too long: %s/%s", dir, name);
	return path;
}

uint64_t
test_seed(void)
{
	static int have;
	static uint64_t seed;
	const char *env;

	if (have)
		return seed;
	env = getenv("LKEY_TEST_SEED");
	if (env != NULL && env[0] != '\0') {
		const char *p;

		/* Decimal digits only: a typo must not run some other seed. */
		seed = 0;
		for (p = env; *p != '\0'; p++) {
			unsigned d = (unsigned)(*p - '0');

			if (*p < '0' || *p > '9' || seed > (UINT64_MAX - d) / 10U)
				fail_msg("LKEY_TEST_SEED is not a decimal "
				    "uint64: \"%s\"", env);
			seed = seed * 10U + d;
		}
	} else {
		struct timespec ts;

		if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
			ts.tv_sec = time(NULL), ts.tv_nsec = 0;
		seed = (uint64_t)ts.tv_sec * 1000000007U ^
		    (uint64_t)ts.tv_nsec ^ (uint64_t)getpid() << 40;
	}
	have = 1;
	printf("seed: %" PRIu64 " (repeat with LKEY_TEST_SEED=%" PRIu64 ")\n",
	    seed, seed);
	fflush(stdout);
	return seed;
}

void
rng_init(test_rng *rng, uint64_t seed)
{
	rng->state = seed;
}

uint64_t
rng_next(test_rng *rng)
{
	uint64_t z = (rng->state += 0x9e3779b97f4a7c15U);

	z = (z ^ z >> 30) * 0xbf58476d1ce4e5b9U;
	z = (z ^ z >> 27) * 0x94d049bb133111ebU;
	return z ^ z >> 31;
}

size_t
rng_below(test_rng *rng, size_t n)
{
	uint64_t bound = (uint64_t)n, limit, r;

	assert_true(n > 0);
	/* Rejection sampling: no modulo bias. */
	limit = UINT64_MAX - UINT64_MAX % bound;
	do
		r = rng_next(rng);
	while (r >= limit);
	return (size_t)(r % bound);
}

void
rng_bytes(test_rng *rng, uint8_t *out, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		out[i] = (uint8_t)(rng_next(rng) >> 56);
}

bool
names_has(const struct names *ns, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		if (strlen(ns->name[i]) == len &&
		    strncmp(ns->name[i], s, len) == 0)
			return true;
	return false;
}

void
names_add(struct names *ns, const char *s, size_t len)
{
	if (names_has(ns, s, len))
		return;
	if (ns->n == NAMES_MAX || len >= NAME_CAP)
		fail_msg("more than %u names, or one of %zu bytes: %.*s",
		    NAMES_MAX, len, (int)len, s);
	memcpy(ns->name[ns->n], s, len);
	ns->name[ns->n][len] = '\0';
	ns->n++;
}

/*
 * support.h - helpers shared by the unit tests: hex, vector files, a seeded
 * generator for randomised tests, sets of names, rows of bad input. Test
 * code only: failures end the current cmocka test rather than returning an
 * error.
 */
#ifndef LKEY_TEST_SUPPORT_H
#define LKEY_TEST_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Strict hex: an even number of [0-9a-fA-F], nothing else (no prefix, no
 * whitespace). Returns the number of bytes written to out, or -1 if the text
 * is not hex or needs more than cap bytes.
 */
long hex_decode(const char *hex, uint8_t *out, size_t cap);

/* Lowercase hex of len bytes into out, which holds 2 * len + 1 bytes. */
void hex_encode(const uint8_t *in, size_t len, char *out);

/* A row of a table of bad input: the text, and what refusing it says. */
struct bad_text {
	const char *text;
	const char *want;
};

/*
 * A set of names in the order first added, for tests that compare lists
 * (options, commands, symbols). Large: make it static.
 */
#define NAMES_MAX 256U
#define NAME_CAP 256U		/* a name's bytes, its NUL included */

struct names {
	size_t n;
	char name[NAMES_MAX][NAME_CAP];
};

/* Whether the len bytes at s are one of the names. */
bool names_has(const struct names *ns, const char *s, size_t len);
/* Adds the len bytes at s unless they are a name already; fails the test
 * if the set is full or the name too long. */
void names_add(struct names *ns, const char *s, size_t len);

/* Little-endian stores, for formats built by hand from their documents. */
void st16(uint8_t *p, uint32_t v);
void st32(uint8_t *p, uint32_t v);
void st64(uint8_t *p, uint64_t v);

/*
 * Path of a vector file: $LKEY_VECTORS/name if that is set, else
 * tests/vectors/name (the tests run from the repository root). The result
 * lives in a static buffer, valid until the next call.
 */
const char *vector_path(const char *name);

/*
 * The seed of this run's randomised tests: LKEY_TEST_SEED if set (decimal),
 * else taken from the clock. Printed once as "seed: N" so that a failing run
 * can be repeated with LKEY_TEST_SEED=N.
 */
uint64_t test_seed(void);

/* splitmix64: small, fast, reproducible; not for keys. */
typedef struct test_rng {
	uint64_t state;
} test_rng;

void rng_init(test_rng *rng, uint64_t seed);
uint64_t rng_next(test_rng *rng);
/* Uniform in [0, n); n > 0. */
size_t rng_below(test_rng *rng, size_t n);
void rng_bytes(test_rng *rng, uint8_t *out, size_t len);

#endif

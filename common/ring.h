/*
 * ring.h - key rings: public key files with one key or several, as both
 * programs read them (internal)
 */
#ifndef LKEY_RING_H
#define LKEY_RING_H

#include <stddef.h>
#include <stdint.h>

#include "lkey.h"

/* Bound on a public key file's size; the same as lkey_pubkey_parse's. */
#define RING_FILE_MAX 4096U

/* Most keys a verifier holds: a key ring, or all --pubkey files together. */
#define LKEY_RING_MAX 16

/* Results of pubkey_ring_parse. */
#define PUBKEY_RING_OK 0
#define PUBKEY_RING_TOO_BIG 1	/* over RING_FILE_MAX bytes */
#define PUBKEY_RING_EMPTY 2	/* no key line at all */
#define PUBKEY_RING_BAD_LINE 3	/* a line that is no public key */
#define PUBKEY_RING_TOO_MANY 4	/* more than LKEY_RING_MAX (or cap) keys */
#define PUBKEY_RING_DUPLICATE 5	/* a key id a second time */

/* Where a ring was refused. */
typedef struct pubkey_ring_error {
	size_t line;	/* 1-based; 0: the file as a whole */
	uint32_t id;	/* PUBKEY_RING_DUPLICATE: the key id seen twice */
} pubkey_ring_error;

/*
 * Parses a key ring: a public key file with one or more key lines, each
 * checked as lkey_pubkey_parse checks its one line, '#' comments and blank
 * lines anywhere. At most min(cap, LKEY_RING_MAX) keys, and no key id
 * twice. On success out[0..*n) holds the keys in file order; on failure
 * *n is 0, out is zeroed, and `why` (may be NULL) says where. Returns a
 * PUBKEY_RING_* result (for the tools; not part of liblkey's API).
 */
int pubkey_ring_parse(const char *text, size_t len, lkey_pubkey *out,
    size_t cap, size_t *n, pubkey_ring_error *why);

/* "not a public key", ...: the phrase for a PUBKEY_RING_* result. */
const char *pubkey_ring_result_text(int result);

#endif

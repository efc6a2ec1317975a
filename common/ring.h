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

/*
 * Several public key files given together (lkey-verify --pubkey A --pubkey
 * B, lkey-keygen pubkey A B): their keys in one ring, file by file, in
 * order. A licence signed by any of them is accepted, which is what lets a
 * vendor rotate keys (docs/ROTATION.md).
 */
typedef struct ring_set {
	lkey_pubkey key[LKEY_RING_MAX];
	const char *from[LKEY_RING_MAX];	/* the file of each key */
	size_t n;
	char text[RING_FILE_MAX + 1U];	/* the file added last, as read */
	size_t len;
} ring_set;

/* What ring_set_add made of a file: RING_OK, or the class of its refusal. */
typedef enum ring_result {
	RING_OK = 0,
	RING_NO_PATH,		/* the path is empty */
	RING_UNREADABLE,	/* the file cannot be read (where.err) */
	RING_TOO_BIG,		/* over RING_FILE_MAX bytes (where.err) */
	RING_BAD_FILE,		/* not a key ring: where.parse says why */
	RING_SAME_FILE,		/* the path given before (where.first) */
	RING_IN_BOTH,		/* key id where.id is in where.first too */
	RING_TOO_MANY		/* more than LKEY_RING_MAX keys in all */
} ring_result;

/* Where ring_set_add refused a file; the caller words the message. */
typedef struct ring_where {
	const char *file;	/* the path refused */
	const char *first;	/* RING_SAME_FILE, RING_IN_BOTH: the path of
				 * the key given before */
	int parse;		/* RING_BAD_FILE: the PUBKEY_RING_* result */
	size_t line;		/* RING_BAD_FILE: its 1-based line, 0: the
				 * file as a whole */
	uint32_t id;		/* the key id in two places (RING_IN_BOTH,
				 * PUBKEY_RING_DUPLICATE) */
	char err[256];		/* RING_UNREADABLE, RING_TOO_BIG: why, as
				 * textfile_read says it */
} ring_where;

/* An empty set. */
void ring_set_init(ring_set *set);

/*
 * Reads the key ring at `path` ("-" is standard input) and adds its keys
 * to the set: each key id once in all the files. Returns RING_OK, with the
 * file's text in set->text and its keys at the end of set->key; or the
 * class of the refusal with `where` filled, the set then being fit only to
 * stop with. `path` must live as long as the set.
 */
ring_result ring_set_add(ring_set *set, const char *path, ring_where *where);

#endif

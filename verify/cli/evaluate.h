/*
 * evaluate.h - one key checked with lkey-verify's options, as far as its
 * verdict: the single check and each line of --check (internal to
 * lkey-verify)
 */
#ifndef LKEY_EVALUATE_H
#define LKEY_EVALUATE_H

#include <stddef.h>

#include "cli.h"
#include "lkey.h"
#include "ring.h"
#include "stop.h"
#include "verdict.h"

/* One check of one key: what it was given, and its verdict. */
typedef struct job {
	verdict v;
	ring_set ring;
	lkey_revocations revocations;
	lkey_state state;
	const char *keyname;	/* for messages */
	const char *keytext;
	size_t keylen;
	char text[LKEY_TEXT_MAX + 1U];	/* a key read from a file */
} job;

/*
 * A key checked with the options of `a`, as far as its verdict (j->v):
 * the options, the catalog, the public keys, the revocation list, the state
 * file and the key, in that order. Returns 0, or the exit status with its
 * message in s when something stops the check before the verdict. Prints
 * nothing and writes nothing: what follows the verdict is the caller's.
 */
int evaluate(const args *a, job *j, stop *s);

/*
 * Every key of every --pubkey file of `a`, in order, into ring: 0, or the
 * exit status with its message in s (a file that cannot be read or is no
 * key ring: 1; no --pubkey path, too many keys, a key in two files: 2).
 */
int evaluate_ring(const args *a, ring_set *ring, stop *s);

#endif

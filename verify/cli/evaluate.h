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
	const char *keytext;	/* the text as given */
	size_t keylen;
	char text[LKEY_TEXT_MAX + 1U];	/* a key read from a file */
	/* The key found in the text (lkey_key_find): its characters, and
	 * where[i], the offset in keytext of key[i]. */
	char key[LKEY_TEXT_MAX + 1U];
	size_t key_len;
	size_t where[LKEY_TEXT_MAX + 1U];
} job;

/*
 * A key checked with the options of `a`, as far as its verdict (j->v):
 * the options, the catalog, the public keys, the revocation list, the state
 * file and the key, in that order. The key is found in the text given
 * (lkey_key_find: pasted text forgiven around the key), then decoded and
 * checked. Returns 0, or the exit status with its message in s when
 * something stops the check before the verdict. Writes nothing and prints
 * nothing but, when the key is read from a terminal, a one-line prompt on
 * standard error: what follows the verdict is the caller's.
 */
int evaluate(const args *a, job *j, stop *s);

/*
 * The options every check needs, and those that go with --users: 0, or
 * 2 with the message in s. The rest of the checks' options are each
 * command's own.
 */
int evaluate_required(const args *a, stop *s);

/* --host HOSTID, if given, into ctx (has_host): 0, or 2 with the message
 * in s. */
int evaluate_host(const args *a, lkey_context *ctx, stop *s);

/*
 * The key's text: the argument KEY as it is (*text points into a), or
 * --key-file FILE or "-" (standard input) read into buf (cap bytes; a
 * longer text gives *len = cap, which lkey_key_find refuses as too long),
 * and the name to call it by ("key", the file, "standard input"). 0, or
 * 1 with the message in s when it cannot be read.
 */
int evaluate_key_text(const args *a, char *buf, size_t cap, const char **text,
    size_t *len, const char **name, stop *s);

/*
 * Before the key is read from `src`: when it is standard input ("-") and
 * that is a terminal, one line on standard error that says what to do.
 */
void evaluate_prompt(const char *src);

/*
 * Every key of every --pubkey file of `a`, in order, into ring: 0, or the
 * exit status with its message in s (a file that cannot be read or is no
 * key ring: 1; no --pubkey path, too many keys, a key in two files: 2).
 */
int evaluate_ring(const args *a, ring_set *ring, stop *s);

#endif

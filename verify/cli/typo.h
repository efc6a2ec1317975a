/*
 * typo.h - the likely typo in a key that does not verify, as lkey-verify
 * looks for it and says it (internal to lkey-verify)
 */
#ifndef LKEY_TYPO_H
#define LKEY_TYPO_H

#include <stdbool.h>
#include <stddef.h>

#include "lkey.h"
#include "verdict.h"

/*
 * Whether lkey-verify looks for a typo for this verdict: bad_signature,
 * and malformed for what one character missing or too many gives (a wrong
 * length or padding, unused bits set, too few bytes).
 */
bool typo_wanted(const verdict *v);

/*
 * Looks (lkey_suggest) where typo_wanted says so and points
 * v->suggestion at what it found, if anything. The verdict stays as it is:
 * the corrected key is only shown.
 */
void typo_look(verdict *v, const char *text, size_t len,
    const lkey_pubkey *keys, size_t nkeys);

/*
 * For a search in the key lkey_key_find found in the text (n characters,
 * key[i] at where[i] in text): the suggestion's offset made a position in
 * the text as given, 0-based, counted in characters of UTF-8 (a byte that
 * is not UTF-8 counts as one).
 */
void typo_place(verdict *v, const size_t *where, size_t n, const char *text,
    size_t len);

/* The sentence, characters counted from 1: "character 57 is probably 'l',
 * not 'I'". */
void typo_text(const lkey_suggestion *s, char *out, size_t cap);

#endif

/*
 * suggest.c - typo location: where a mistyped key went wrong
 *
 * A key copied by hand from paper, or read out on the telephone, fails its
 * signature for one wrong character, and "altered or mistyped" does not say
 * which. Here every change of one character is tried: each substitution by
 * another base64 character or '=', each deletion, each insertion, each swap
 * of two neighbours. Where exactly one of them gives a text that lkey_decode
 * accepts, that text and the change are reported, for the person to confirm:
 * the corrected key is never used by this file or by anything it returns to.
 *
 * Speed: one Ed25519 verification is the cost of a candidate, and a
 * 160-character key has some 10 000 of them. So everything that can refuse a
 * candidate without the signature comes first, in the order of lkey_decode's
 * own checks: the length (a text that is not whole groups of four cannot be
 * a key, so only one kind of change is ever tried: substitutions and swaps
 * for a text of the right length, deletions for one character too many,
 * insertions for one too few), the strict base64 (padding, unused bits), the
 * version and the key id (a change in the first seven characters names
 * another key), the length bounds, and the payload reader (a change in an
 * extension's type or length, a date out of order, a name that is not
 * UTF-8). Only a candidate that passes all of them costs a signature check.
 *
 * Reading the payload before its signature is what lkey_decode never does.
 * It is safe here: what the reader says is only used to skip a candidate
 * that could never decode, nothing of it is kept, and lkey__wire_parse is
 * written for any bytes (tests/fuzz/fz_key.c gives it unsigned payloads).
 * The one candidate reported has then passed lkey_decode itself, whole.
 *
 * No heap, no I/O: the characters, their positions and one candidate live on
 * the stack, some 12 KiB at the deepest with the base64 decoder's own.
 */
#include <string.h>

#include "codec.h"
#include "sig.h"
#include "wire.h"

/* The characters kept: a key's, and one extra that a deletion removes. */
#define CHARS_MAX (LKEY_KEY_TEXT_MAX + 1U)

/* The alphabet a change may bring in: base64, and '=' for the padding. */
static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
#define ALPHABET_LEN (sizeof(alphabet) - 1U)

/* The text reduced to its characters, each with its position. */
typedef struct typed {
	char c[CHARS_MAX];
	uint16_t at[CHARS_MAX];	/* its position in the text as given */
	size_t n;
	size_t end;		/* position just after the last character */
} typed;

/* One search: the text, the ring, and what was found so far. */
typedef struct search {
	const typed *t;
	const lkey_pubkey *keys;
	size_t nkeys;
	char cand[CHARS_MAX + 1U];
	size_t found;		/* distinct candidates that decode */
	lkey_suggestion *out;
} search;

/*
 * Drops ASCII whitespace and keeps every other character with its position
 * in the text. A character outside printable ASCII (a byte of UTF-8 among
 * them) is not a typo of a key character, and typed[] could not show it:
 * false then, and for more characters than a key and one more. So every
 * byte is one character, and a position counts characters.
 */
static bool
reduce(const char *text, size_t len, typed *t)
{
	size_t i;
	unsigned char b;

	t->n = 0;
	for (i = 0; i < len; i++) {
		b = (unsigned char)text[i];
		if (lkey__b64_is_space(b))
			continue;
		if (b < 0x21 || b > 0x7e || t->n == CHARS_MAX)
			return false;
		t->c[t->n] = (char)b;
		t->at[t->n++] = (uint16_t)i;
	}
	t->end = t->n > 0 ? t->at[t->n - 1] + 1U : 0;
	return t->n > 0;
}

/*
 * Whether the candidate decodes: lkey_decode's checks, every one that needs
 * no signature first (see the top of this file).
 */
static bool
decodes(const search *s, size_t n)
{
	uint8_t raw[LKEY_KEY_MAX];
	const lkey_pubkey *key;
	lkey_license lic;
	size_t len, plen;

	if (lkey__b64_decode(s->cand, n, raw, sizeof(raw), &len, NULL) !=
	    LKEY_OK)
		return false;
	if (lkey__sig_key(raw, len, &lkey__licence_head, s->keys, s->nkeys, &key,
	    NULL) != LKEY_OK)
		return false;
	plen = len - LKEY_SIGNATUREBYTES;
	if (lkey__wire_parse(raw, plen, &lic, NULL) != LKEY_OK)
		return false;
	return lkey__sig_verify_license(raw + plen, raw, plen, key->pk) == 0;
}

/*
 * The candidate in s->cand (n characters) made by one change at character
 * `i` of the reduced text; fills out on the first that decodes. Returns
 * false once a second, different one has: the answer is then "none".
 */
static bool
candidate(search *s, size_t n, lkey_typo kind, size_t i, const char *was,
    const char *is)
{
	lkey_suggestion *o = s->out;

	if (!decodes(s, n))
		return true;
	if (s->found > 0 && o->key_len == n && memcmp(o->key, s->cand, n) == 0)
		return true;
	if (++s->found > 1)
		return false;
	o->kind = kind;
	o->offset = i < s->t->n ? s->t->at[i] : s->t->end;
	memcpy(o->typed, was, strlen(was) + 1U);
	memcpy(o->expected, is, strlen(is) + 1U);
	memcpy(o->key, s->cand, n);
	o->key[n] = '\0';
	o->key_len = n;
	return true;
}

/* Each character replaced by each other one; each pair of unequal
 * neighbours swapped. */
static bool
substitutions(search *s)
{
	const typed *t = s->t;
	char was[3] = "", is[3] = "";
	size_t i, k;

	memcpy(s->cand, t->c, t->n);
	for (i = 0; i < t->n; i++) {
		for (k = 0; k < ALPHABET_LEN; k++) {
			if (alphabet[k] == t->c[i])
				continue;
			s->cand[i] = alphabet[k];
			was[0] = t->c[i];
			is[0] = alphabet[k];
			if (!candidate(s, t->n, LKEY_TYPO_SUBSTITUTED, i, was, is))
				return false;
		}
		s->cand[i] = t->c[i];
	}
	for (i = 0; i + 1U < t->n; i++) {
		if (t->c[i] == t->c[i + 1U])
			continue;
		s->cand[i] = t->c[i + 1U];
		s->cand[i + 1U] = t->c[i];
		memcpy(was, t->c + i, 2);
		memcpy(is, s->cand + i, 2);
		if (!candidate(s, t->n, LKEY_TYPO_SWAPPED, i, was, is))
			return false;
		s->cand[i] = t->c[i];
		s->cand[i + 1U] = t->c[i + 1U];
	}
	return true;
}

/* Each character left out: one extra was typed. Of a run of equal
 * characters only the first, which gives the same text as the others. */
static bool
deletions(search *s)
{
	const typed *t = s->t;
	char was[2] = "";
	size_t i;

	for (i = 0; i < t->n; i++) {
		if (i > 0 && t->c[i - 1U] == t->c[i])
			continue;
		memcpy(s->cand, t->c, i);
		memcpy(s->cand + i, t->c + i + 1U, t->n - i - 1U);
		was[0] = t->c[i];
		if (!candidate(s, t->n - 1U, LKEY_TYPO_INSERTED, i, was, ""))
			return false;
	}
	return true;
}

/* Each character put in at each place: one was left out. Before a run of
 * its own kind only, which gives the same text as within it. */
static bool
insertions(search *s)
{
	const typed *t = s->t;
	char is[2] = "";
	size_t i, k;

	for (i = 0; i <= t->n; i++) {
		memcpy(s->cand, t->c, i);
		memcpy(s->cand + i + 1U, t->c + i, t->n - i);
		for (k = 0; k < ALPHABET_LEN; k++) {
			if (i > 0 && t->c[i - 1U] == alphabet[k])
				continue;
			s->cand[i] = alphabet[k];
			is[0] = alphabet[k];
			if (!candidate(s, t->n + 1U, LKEY_TYPO_DELETED, i, "", is))
				return false;
		}
	}
	return true;
}

bool
lkey_suggest(const char *text, size_t len, const lkey_pubkey *keys,
    size_t nkeys, lkey_suggestion *out)
{
	lkey_license lic;
	typed t;
	search s;
	bool one;

	memset(out, 0, sizeof(*out));
	if (text == NULL || len > LKEY_TEXT_MAX || keys == NULL ||
	    nkeys == 0 || !reduce(text, len, &t))
		return false;
	/* A key that decodes has nothing to correct. */
	if (lkey_decode(text, len, keys, nkeys, &lic, NULL) == LKEY_OK)
		return false;
	memset(&s, 0, sizeof(s));
	s.t = &t;
	s.keys = keys;
	s.nkeys = nkeys;
	s.out = out;
	/* Only one kind of change can give whole groups of four. */
	switch (t.n % 4U) {
	case 0:
		one = t.n <= LKEY_KEY_TEXT_MAX && substitutions(&s);
		break;
	case 1:
		one = deletions(&s);
		break;
	case 3:
		one = t.n < LKEY_KEY_TEXT_MAX && insertions(&s);
		break;
	default:
		one = false;
		break;
	}
	/* The one candidate is what lkey_decode itself accepts. */
	if (one && s.found == 1 && lkey_decode(out->key, out->key_len, keys,
	    nkeys, &lic, NULL) == LKEY_OK)
		return true;
	memset(out, 0, sizeof(*out));
	return false;
}

/*
 * ring.c - key rings: several public key lines in one file
 *
 * Each line is held to the one-key file's rules (lkey_pubkey_parse); blank
 * lines and '#' comments are skipped.
 */
#include <string.h>

#include "ring.h"

/* The next line of text[*pos..len), without its line end. */
static int
next_line(const char *text, size_t len, size_t *pos, size_t *start,
    size_t *end)
{
	size_t i = *pos;

	if (i >= len)
		return 0;
	*start = i;
	while (i < len && text[i] != '\n')
		i++;
	*end = i;
	*pos = i < len ? i + 1 : i;
	return 1;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	    c == '\r';
}

/* Whether text[s..e) is blank or a comment: a line that holds no key. */
static int
ignored_line(const char *text, size_t s, size_t e)
{
	while (s < e && is_space(text[s]))
		s++;
	return s == e || text[s] == '#';
}

static int
ring_fail(int result, size_t line, uint32_t id, lkey_pubkey *out,
    size_t cap, size_t *n, pubkey_ring_error *why)
{
	if (out != NULL && cap > 0)
		memset(out, 0, cap * sizeof(*out));
	*n = 0;
	if (why != NULL) {
		why->line = line;
		why->id = id;
	}
	return result;
}

/*
 * A ring is what lets a vendor rotate keys: licences signed by the old key
 * and by the new one are both accepted while both are in it. Each line is
 * held to the one-key file's rules; a repeated id is refused because
 * lkey_decode takes the first key of an id, so a second key of the same id
 * would be dead weight at best and a mix-up at worst.
 */
int
pubkey_ring_parse(const char *text, size_t len, lkey_pubkey *out, size_t cap,
    size_t *n, pubkey_ring_error *why)
{
	size_t pos = 0, s, e, line = 0, i, max;
	lkey_pubkey key;

	if (why != NULL) {
		why->line = 0;
		why->id = 0;
	}
	*n = 0;
	max = cap < LKEY_RING_MAX ? cap : LKEY_RING_MAX;
	if (out != NULL && cap > 0)
		memset(out, 0, cap * sizeof(*out));
	if (text == NULL || len > RING_FILE_MAX)
		return ring_fail(PUBKEY_RING_TOO_BIG, 0, 0, out, cap, n, why);
	while (next_line(text, len, &pos, &s, &e)) {
		line++;
		if (ignored_line(text, s, e))
			continue;
		if (lkey_pubkey_parse(text + s, e - s, &key) != LKEY_OK)
			return ring_fail(PUBKEY_RING_BAD_LINE, line, 0, out,
			    cap, n, why);
		if (out == NULL || *n == max)
			return ring_fail(PUBKEY_RING_TOO_MANY, line, 0, out,
			    cap, n, why);
		for (i = 0; i < *n; i++)
			if (out[i].id == key.id)
				return ring_fail(PUBKEY_RING_DUPLICATE, line,
				    key.id, out, cap, n, why);
		out[(*n)++] = key;
	}
	if (*n == 0)
		return ring_fail(PUBKEY_RING_EMPTY, 0, 0, out, cap, n, why);
	return PUBKEY_RING_OK;
}

const char *
pubkey_ring_result_text(int result)
{
	switch (result) {
	case PUBKEY_RING_OK:
		return "ok";
	case PUBKEY_RING_TOO_BIG:
		return "too big for a public key file";
	case PUBKEY_RING_EMPTY:
		return "not an lkey public key file (no key in it)";
	case PUBKEY_RING_BAD_LINE:
		return "not an lkey public key";
	case PUBKEY_RING_TOO_MANY:
		return "too many public keys";
	case PUBKEY_RING_DUPLICATE:
		return "key id given twice";
	default:
		return "not an lkey public key file";
	}
}

/*
 * ring.c - key rings: several public key lines in one file, and several
 * files together
 *
 * Each line is held to the one-key file's rules (lkey_pubkey_parse); blank
 * lines and '#' comments are skipped.
 */
#include <stdbool.h>
#include <string.h>

#include "ring.h"
#include "textfile.h"

/*
 * Whether the line [p, end) holds a key: anything but whitespace and a
 * '#' comment. Such a line is one key, for lkey_pubkey_parse to judge.
 */
static bool
holds_key(const char *p, const char *end)
{
	while (p < end && strchr(" \t\v\f\r", *p) != NULL && *p != '\0')
		p++;
	return p < end && *p != '#';
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
	const char *p, *eol, *end;
	size_t line = 0, i, max;
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
	end = text + len;
	for (p = text; p < end; p = eol + 1) {
		line++;
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		if (!holds_key(p, eol))
			continue;
		if (lkey_pubkey_parse(p, (size_t)(eol - p), &key) != LKEY_OK)
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

void
ring_set_init(ring_set *set)
{
	memset(set, 0, sizeof(*set));
}

/*
 * A key id in two files is refused rather than one of them chosen: each
 * file given is meant to count, and lkey_decode would only ever use the
 * first key of an id.
 */
ring_result
ring_set_add(ring_set *set, const char *path, ring_where *where)
{
	lkey_pubkey keys[LKEY_RING_MAX];
	pubkey_ring_error why;
	size_t n, j, k;
	int rc;

	memset(where, 0, sizeof(*where));
	where->file = path;
	set->len = 0;
	if (path[0] == '\0')
		return RING_NO_PATH;
	rc = textfile_read(path, 0, set->text, sizeof(set->text), &set->len,
	    where->err, sizeof(where->err));
	if (rc != TEXTFILE_OK)
		return rc == TEXTFILE_TOO_BIG ? RING_TOO_BIG : RING_UNREADABLE;
	where->parse = pubkey_ring_parse(set->text, set->len, keys,
	    LKEY_RING_MAX, &n, &why);
	if (where->parse != PUBKEY_RING_OK) {
		where->line = why.line;
		where->id = why.id;
		return RING_BAD_FILE;
	}
	for (j = 0; j < n; j++) {
		for (k = 0; k < set->n; k++) {
			if (set->key[k].id != keys[j].id)
				continue;
			where->first = set->from[k];
			where->id = keys[j].id;
			return strcmp(set->from[k], path) == 0 ?
			    RING_SAME_FILE : RING_IN_BOTH;
		}
		if (set->n == LKEY_RING_MAX)
			return RING_TOO_MANY;
		set->from[set->n] = path;
		set->key[set->n++] = keys[j];
	}
	return RING_OK;
}

/*
 * keysfile.c - DIR/licence.keys: a line of comment naming the product,
 * then the canonical text of each registered key, one a line, in the order
 * registered (docs/STORE.md)
 *
 * The file has one form and nothing else is read as it: its first line
 * exactly as written for the product, then lines of canonical base64 each
 * ended by a newline. Each key is authenticated again on every read, so an
 * edited or swapped line is damage the user sees, not a licence.
 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "store_int.h"

#define HEAD_START "# lkey licence store of product "
#define HEAD_END ": the registered keys, one a line, in the order " \
	"registered. Do not edit.\n"

size_t
lkey__store_head(uint32_t product, char *out, size_t cap)
{
	int n = snprintf(out, cap, HEAD_START "%u" HEAD_END, product);

	return n < 0 || (size_t)n >= cap ? 0 : (size_t)n;
}

static bool
keysfile_is_b64(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
}

/* The product a first line names, when it has the shape of one. */
static bool
head_product(const char *text, size_t len, uint32_t *product)
{
	size_t i = sizeof(HEAD_START) - 1U;
	uint64_t n = 0;

	if (len < i || memcmp(text, HEAD_START, i) != 0)
		return false;
	for (; i < len && text[i] >= '0' && text[i] <= '9' && n <= UINT32_MAX;
	    i++)
		n = n * 10U + (uint64_t)(text[i] - '0');
	if (n > UINT32_MAX || len - i < sizeof(HEAD_END) - 1U ||
	    memcmp(text + i, HEAD_END, sizeof(HEAD_END) - 1U) != 0)
		return false;
	*product = (uint32_t)n;
	return true;
}

static lkey_store_result
damaged(lkey_store *st, const lkey__store_view *v, size_t line,
    const char *what)
{
	return lkey__store_say(st, LKEY_STORE_DAMAGED, "%.*s/%s: line %zu: "
	    "%s: the store is damaged; restore the file from a backup",
	    STORE_DIR_SHOWN, v->dir, STORE_KEYS, line, what);
}

/* The first line: this product's, another's, or none. */
static lkey_store_result
read_head(lkey_store *st, lkey__store_view *v, const char *text, size_t len,
    size_t *pos)
{
	char head[STORE_HEAD_MAX], what[96];
	uint32_t other;
	size_t n;

	n = lkey__store_head(v->product, head, sizeof(head));
	if (n > 0 && len >= n && memcmp(text, head, n) == 0) {
		*pos = n;
		return LKEY_STORE_OK;
	}
	if (head_product(text, len, &other) && other != v->product) {
		(void)snprintf(what, sizeof(what), "the store of product %u, "
		    "not of product %u", other, v->product);
		return damaged(st, v, 1, what);
	}
	return damaged(st, v, 1, "not the first line of a licence store");
}

size_t
lkey__store_held(const lkey__store_view *v, size_t count, const char *text,
    const char *key, size_t n)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (v->line_len[i] == n &&
		    memcmp(text + v->line_off[i], key, n) == 0)
			return i;
	return SIZE_MAX;
}

/*
 * Line `line` (at p in text, n bytes, no newline): one more authenticated
 * key.
 */
static lkey_store_result
read_key(lkey_store *st, lkey__store_view *v, const char *text, size_t line,
    const char *p, size_t n)
{
	lkey_license *k = &st->keys[st->history];
	char what[128];
	lkey_status s;
	size_t i;

	if (st->history == LKEY_STORE_KEYS_MAX) {
		(void)snprintf(what, sizeof(what), "more than %u keys",
		    LKEY_STORE_KEYS_MAX);
		return damaged(st, v, line, what);
	}
	for (i = 0; i < n && keysfile_is_b64(p[i]); i++)
		continue;
	if (n == 0 || i < n || n > LKEY_KEY_TEXT_MAX)
		return damaged(st, v, line, "not the text of a licence key");
	s = lkey_decode(p, n, v->ring, v->nring, k, NULL);
	if (s != LKEY_OK) {
		(void)snprintf(what, sizeof(what), "a key that does not verify "
		    "with this application's public keys (%s)",
		    lkey_status_name(s));
		return damaged(st, v, line, what);
	}
	if (k->product != v->product) {
		(void)snprintf(what, sizeof(what), "a key for product %u, not "
		    "for product %u", k->product, v->product);
		return damaged(st, v, line, what);
	}
	if ((i = lkey__store_held(v, st->history, text, p, n)) != SIZE_MAX) {
		(void)snprintf(what, sizeof(what), "the same key as line %zu",
		    i + 2U);
		return damaged(st, v, line, what);
	}
	v->line_off[st->history] = (size_t)(p - text);
	v->line_len[st->history] = n;
	st->history++;
	return LKEY_STORE_OK;
}

lkey_store_result
lkey__store_keys_parse(lkey_store *st, lkey__store_view *v, const char *text,
    size_t len)
{
	lkey_store_result r;
	size_t pos, line = 2;
	const char *end;

	if ((r = read_head(st, v, text, len, &pos)) != LKEY_STORE_OK)
		return r;
	for (; pos < len; pos = (size_t)(end - text) + 1U, line++) {
		end = memchr(text + pos, '\n', len - pos);
		if (end == NULL)
			return damaged(st, v, line, "cut short (no newline at "
			    "its end)");
		r = read_key(st, v, text, line, text + pos,
		    (size_t)(end - text) - pos);
		if (r != LKEY_STORE_OK)
			return r;
	}
	v->keys_len = len;
	return LKEY_STORE_OK;
}

lkey_store_result
lkey__store_keys_read(lkey_store *st, lkey__store_view *v)
{
	lkey_store_result r;
	size_t len;
	bool missing;

	r = lkey__store_read(st, v, STORE_KEYS, st->text, STORE_KEYS_TEXT_MAX +
	    1U, &len, &missing);
	if (r != LKEY_STORE_OK || missing)
		return r;
	r = lkey__store_keys_parse(st, v, st->text, len);
	if (r != LKEY_STORE_OK) {
		/* Fail closed: no key of a damaged file is left behind. */
		memset(st->keys, 0, sizeof(st->keys));
		st->history = 0;
	}
	return r;
}

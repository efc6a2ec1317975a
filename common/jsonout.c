/*
 * jsonout.c - JSON text written into a caller's buffer
 *
 * One writer for every JSON line the programs print or record (ledger
 * lines, batch output), so that each is escaped the same strict way and
 * none can be cut off unnoticed: a buffer too small, or text that is not
 * UTF-8, fails the whole value rather than writing part of it.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "jsonout.h"
#include "utf8.h"

void
jsonout_init(jsonout *j, char *buf, size_t cap)
{
	memset(j, 0, sizeof *j);
	j->buf = buf;
	j->cap = cap;
	if (cap > 0)
		buf[0] = '\0';
	else
		j->err = JSONOUT_ERR_ROOM;
}

/* n bytes as they are, with room kept for the NUL. */
static void
put(jsonout *j, const char *p, size_t n)
{
	if (j->err != 0)
		return;
	if (j->cap - j->len <= n) {
		j->err |= JSONOUT_ERR_ROOM;
		return;
	}
	memcpy(j->buf + j->len, p, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

/*
 * The escape of the character c (a byte below 0x80, or the code point of
 * a C1 control) into esc, and its length; 0 when it stands for itself.
 */
static size_t
escape(unsigned c, char esc[6])
{
	/* The characters JSON has a short escape for, and their letters. */
	static const char named[] = "\"\\\b\f\n\r\t", letter[] = "\"\\bfnrt";
	static const char hex[] = "0123456789abcdef";
	const char *p;

	esc[0] = '\\';
	if (c < 0x80 && (p = memchr(named, (int)c, sizeof named - 1)) != NULL) {
		esc[1] = letter[p - named];
		return 2;
	}
	if (c >= 0x20 && (c < 0x7f || c >= 0xa0))
		return 0;
	memcpy(esc + 1, "u00", 3);
	esc[4] = hex[c >> 4];
	esc[5] = hex[c & 0xf];
	return 6;
}

/*
 * s as a JSON string with its quotes. Checked as UTF-8 first and whole,
 * even once the buffer is full, so that a caller can tell the two apart.
 */
static void
put_string(jsonout *j, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	char esc[6];
	size_t i, k, n;
	unsigned c;

	if (!utf8_valid(u, len)) {
		j->err |= JSONOUT_ERR_TEXT;
		return;
	}
	put(j, "\"", 1);
	for (i = 0; i < len && j->err == 0; i += k) {
		c = u[i];
		k = utf8_len(u + i, len - i);
		if (k == 2 && c == 0xc2 && u[i + 1] < 0xa0)
			c = u[i + 1];	/* U+0080..U+009F */
		else if (k > 1)
			c = 0xa0;	/* any other stands for itself */
		if ((n = escape(c, esc)) > 0)
			put(j, esc, n);
		else
			put(j, s + i, k);
	}
	put(j, "\"", 1);
}

/*
 * Starts a value: the comma after the one before it at its level, then
 * its name. A name belongs to a value inside an object and only there,
 * and the top level holds one value. False if the value breaks those
 * rules; after any other failure the levels are still followed, so that
 * a buffer too small is not taken for bad nesting.
 */
static bool
begin(jsonout *j, const char *name)
{
	bool in_object = j->depth > 0 && j->object[j->depth];

	if ((name != NULL) != in_object || (j->depth == 0 && j->more[0])) {
		j->err |= JSONOUT_ERR_NEST;
		return false;
	}
	if (j->more[j->depth])
		put(j, ",", 1);
	j->more[j->depth] = true;
	if (name != NULL) {
		put_string(j, name, strlen(name));
		put(j, ":", 1);
	}
	return true;
}

static void
open_level(jsonout *j, const char *name, bool object)
{
	if (!begin(j, name))
		return;
	if (j->depth == JSONOUT_DEPTH_MAX) {
		j->err |= JSONOUT_ERR_NEST;
		return;
	}
	put(j, object ? "{" : "[", 1);
	j->depth++;
	j->object[j->depth] = object;
	j->more[j->depth] = false;
}

void
jsonout_object(jsonout *j, const char *name)
{
	open_level(j, name, true);
}

void
jsonout_array(jsonout *j, const char *name)
{
	open_level(j, name, false);
}

void
jsonout_close(jsonout *j)
{
	if (j->depth == 0) {
		j->err |= JSONOUT_ERR_NEST;
		return;
	}
	put(j, j->object[j->depth] ? "}" : "]", 1);
	j->depth--;
}

void
jsonout_strn(jsonout *j, const char *name, const char *s, size_t len)
{
	if (begin(j, name))
		put_string(j, s, len);	/* checks s even after a failure */
	else if (!utf8_valid((const unsigned char *)s, len))
		j->err |= JSONOUT_ERR_TEXT;
}

void
jsonout_str(jsonout *j, const char *name, const char *s)
{
	jsonout_strn(j, name, s, strlen(s));
}

/* A number as snprintf wrote it into num: n bytes (a failure, below 0,
 * takes more room than any buffer has). */
static void
put_number(jsonout *j, const char *name, const char *num, int n)
{
	if (begin(j, name))
		put(j, num, n < 0 ? SIZE_MAX : (size_t)n);
}

void
jsonout_uint(jsonout *j, const char *name, uint64_t v)
{
	char num[24];

	put_number(j, name, num, snprintf(num, sizeof num, "%" PRIu64, v));
}

void
jsonout_int(jsonout *j, const char *name, int64_t v)
{
	char num[24];

	put_number(j, name, num, snprintf(num, sizeof num, "%" PRId64, v));
}

void
jsonout_bool(jsonout *j, const char *name, bool v)
{
	if (begin(j, name))
		put(j, v ? "true" : "false", v ? 4 : 5);
}

void
jsonout_null(jsonout *j, const char *name)
{
	if (begin(j, name))
		put(j, "null", 4);
}

void
jsonout_day(jsonout *j, const char *name, lkey_day day)
{
	char d[11];

	lkey_day_format(day, d);
	jsonout_str(j, name, d);
}

size_t
jsonout_finish(jsonout *j)
{
	if (j->depth != 0)
		j->err |= JSONOUT_ERR_NEST;
	if (j->err == 0)
		return j->len;
	if (j->cap > 0)
		j->buf[0] = '\0';
	j->len = 0;
	return 0;
}

/*
 * jsonout.c - JSON text written into a caller's buffer
 *
 * One writer for every JSON text the programs print or record (ledger
 * lines, batch output, lkey-verify --json), so that each is escaped the
 * same strict way and none can be cut off unnoticed: a buffer too small,
 * or text that is not UTF-8, fails the whole value rather than writing
 * part of it.
 *
 * It is written small, for lkey-verify, which every customer's machine
 * carries: one byte at a time, and every call after a failure goes
 * through the motions and writes nothing.
 */
#include <stdbool.h>
#include <stdint.h>
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

/* One byte, with room kept for the NUL that jsonout_finish writes. */
static void
put_byte(jsonout *j, int c)
{
	if (j->err != 0)
		return;
	if (j->cap - j->len <= 1) {
		j->err |= JSONOUT_ERR_ROOM;
		return;
	}
	j->buf[j->len++] = (char)c;
}

static void
put(jsonout *j, const char *s)
{
	while (*s != '\0')
		put_byte(j, *s++);
}

/*
 * s as a JSON string with its quotes. Checked as UTF-8 first and whole,
 * even once the buffer is full, so that a caller can tell the two apart.
 * Every control character is escaped, DEL and C1 (U+0080..U+009F, 0xc2
 * and a byte below 0xa0) too: a value shown on a terminal must not carry
 * ESC or CSI to it.
 */
static void
put_string(jsonout *j, const char *s, size_t len)
{
	/* The controls JSON has a short escape for, and their letters. */
	static const char named[] = "\b\f\n\r\t", letter[] = "bfnrt";
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	const char *p;
	size_t i;
	unsigned c;

	if (!utf8_valid(u, len)) {
		j->err |= JSONOUT_ERR_TEXT;
		return;
	}
	put_byte(j, '"');
	for (i = 0; i < len; i++) {
		c = u[i];
		if (c == 0xc2 && u[i + 1] < 0xa0) {
			c = u[++i];	/* valid UTF-8: a second byte follows */
		} else if (c >= 0x80 || (c >= 0x20 && c != 0x7f)) {
			if (c == '"' || c == '\\')
				put_byte(j, '\\');
			put_byte(j, (int)c);
			continue;
		}
		put_byte(j, '\\');
		if ((p = memchr(named, (int)c, sizeof named - 1)) != NULL) {
			put_byte(j, letter[p - named]);
		} else {
			put(j, "u00");
			put_byte(j, hex[c >> 4]);
			put_byte(j, hex[c & 0xf]);
		}
	}
	put_byte(j, '"');
}

/*
 * Starts a value: the comma after the one before it at its level, then
 * its name. A name belongs to a value inside an object and only there,
 * and the top level holds one value; a value that breaks those rules
 * fails, and after any failure the value writes nothing. The levels are
 * still followed, so that a buffer too small is not taken for bad
 * nesting.
 */
static void
begin(jsonout *j, const char *name)
{
	if ((name != NULL) != j->object[j->depth] ||
	    (j->depth == 0 && j->more[0]))
		j->err |= JSONOUT_ERR_NEST;
	if (j->more[j->depth])
		put_byte(j, ',');
	j->more[j->depth] = true;
	if (name != NULL) {
		put_string(j, name, strlen(name));
		put_byte(j, ':');
	}
}

static void
open_level(jsonout *j, const char *name, bool object)
{
	begin(j, name);
	if (j->depth == JSONOUT_DEPTH_MAX) {
		j->err |= JSONOUT_ERR_NEST;
		return;
	}
	put_byte(j, object ? '{' : '[');
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
	put_byte(j, j->object[j->depth] ? '}' : ']');
	j->depth--;
}

void
jsonout_strn(jsonout *j, const char *name, const char *s, size_t len)
{
	begin(j, name);
	put_string(j, s, len);	/* checks s even after a failure */
}

void
jsonout_str(jsonout *j, const char *name, const char *s)
{
	jsonout_strn(j, name, s, strlen(s));
}

/* A value written as it is: a number, true, false or null. */
static void
put_word(jsonout *j, const char *name, const char *word)
{
	begin(j, name);
	put(j, word);
}

/* v in decimal, most significant digit first. */
static void
put_digits(jsonout *j, uint64_t v)
{
	if (v >= 10)
		put_digits(j, v / 10);
	put_byte(j, (int)('0' + v % 10));
}

/* The magnitude v of a number, after a '-' when neg. */
static void
put_number(jsonout *j, const char *name, uint64_t v, bool neg)
{
	begin(j, name);
	if (neg)
		put_byte(j, '-');
	put_digits(j, v);
}

void
jsonout_uint(jsonout *j, const char *name, uint64_t v)
{
	put_number(j, name, v, false);
}

void
jsonout_int(jsonout *j, const char *name, int64_t v)
{
	/* 0 - v in unsigned arithmetic: INT64_MIN has no positive twin. */
	put_number(j, name, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, v < 0);
}

void
jsonout_bool(jsonout *j, const char *name, bool v)
{
	put_word(j, name, v ? "true" : "false");
}

void
jsonout_null(jsonout *j, const char *name)
{
	put_word(j, name, "null");
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
	if (j->err != 0)
		j->len = 0;
	if (j->cap > 0)
		j->buf[j->len] = '\0';
	return j->len;
}

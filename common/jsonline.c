/*
 * jsonline.c - one flat JSON object per line
 *
 * Orders come from shops, spreadsheets and scripts, so this parser is
 * strict in the way the customer-side decoder is: one reading per line and
 * nothing guessed. A parser that took "01", a lone surrogate or a repeated
 * name would let two tools read the same line differently (which "seats"
 * wins?), and a key would be issued for terms nobody wrote. Values are
 * checked as UTF-8 here so no later step has to.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "jsonline.h"
#include "jsonout.h"
#include "utf8.h"

/* Bytes of a name quoted in a message. */
#define SHOW_MAX 40

struct parser {
	const unsigned char *s;
	size_t len;
	size_t i;
	char *buf;
	size_t cap;
	size_t used;
	char *err;
	size_t errcap;
};

static int fail(struct parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int fail_at(struct parser *p, size_t pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	if (p->err != NULL && p->errcap > 0) {
		va_start(ap, fmt);
		vsnprintf(p->err, p->errcap, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* "column N: ...", N counting bytes from 1. */
static int
fail_at(struct parser *p, size_t pos, const char *fmt, ...)
{
	char msg[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return fail(p, "column %zu: %s", pos + 1, msg);
}

static int
expected(struct parser *p, const char *what)
{
	if (p->i >= p->len)
		return fail_at(p, p->i, "expected %s, found the end of the "
		    "line", what);
	return fail_at(p, p->i, "expected %s", what);
}

static void
skip_ws(struct parser *p)
{
	while (p->i < p->len && (p->s[p->i] == ' ' || p->s[p->i] == '\t'))
		p->i++;
}

static int
put(struct parser *p, size_t pos, const unsigned char *b, size_t n)
{
	if (p->cap - p->used < n)
		return fail_at(p, pos, "no room for the value (buffer of %zu "
		    "bytes too small)", p->cap);
	memcpy(p->buf + p->used, b, n);
	p->used += n;
	return 0;
}

static int
hex4(const unsigned char *s, size_t n, uint32_t *v)
{
	size_t k;
	unsigned char c;

	*v = 0;
	if (n < 4)
		return -1;
	for (k = 0; k < 4; k++) {
		c = s[k];
		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

/* A \uXXXX escape (and its low surrogate) at p->i to UTF-8 in buf. */
static int
unicode_escape(struct parser *p)
{
	unsigned char u[4];
	size_t at = p->i, n;
	uint32_t cp, lo;

	if (hex4(p->s + at + 2, p->len - at - 2, &cp) != 0)
		return fail_at(p, at, "bad \\u escape (four hex digits "
		    "expected)");
	p->i = at + 6;
	if (cp == 0)
		return fail_at(p, at, "\\u0000 is not allowed");
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return fail_at(p, at, "lone surrogate \\u%04X (a low surrogate "
		    "needs a high one before it)", (unsigned)cp);
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (p->len - p->i < 6 || p->s[p->i] != '\\' ||
		    p->s[p->i + 1] != 'u' ||
		    hex4(p->s + p->i + 2, 4, &lo) != 0 ||
		    lo < 0xdc00 || lo > 0xdfff)
			return fail_at(p, at, "lone surrogate \\u%04X (a high "
			    "surrogate needs a low one after it)",
			    (unsigned)cp);
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		p->i += 6;
	}
	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (unsigned char)(0xc0 | cp >> 6);
		u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (unsigned char)(0xe0 | cp >> 12);
		u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xf0 | cp >> 18);
		u[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return put(p, at, u, n);
}

/* A string at p->i (its opening quote), unescaped into buf with a NUL. */
static int
parse_string(struct parser *p, const char **out, size_t *outlen)
{
	static const unsigned char nul = 0;
	size_t open = p->i, start = p->used, n;
	unsigned char c, e;

	p->i++;
	for (;;) {
		if (p->i >= p->len)
			return fail_at(p, open, "string not closed before the "
			    "end of the line");
		c = p->s[p->i];
		if (c == '"') {
			p->i++;
			break;
		}
		if (c == '\\') {
			if (p->i + 1 >= p->len)
				return fail_at(p, open, "string not closed "
				    "before the end of the line");
			e = p->s[p->i + 1];
			switch (e) {
			case '"': case '\\': case '/':
				break;
			case 'b':
				e = '\b';
				break;
			case 'f':
				e = '\f';
				break;
			case 'n':
				e = '\n';
				break;
			case 'r':
				e = '\r';
				break;
			case 't':
				e = '\t';
				break;
			case 'u':
				if (unicode_escape(p) != 0)
					return -1;
				continue;
			default:
				return fail_at(p, p->i, "bad escape (one of "
				    "\\\" \\\\ \\/ \\b \\f \\n \\r \\t "
				    "\\uXXXX expected)");
			}
			if (put(p, p->i, &e, 1) != 0)
				return -1;
			p->i += 2;
			continue;
		}
		if (c < 0x20)
			return fail_at(p, p->i, "control character in a string "
			    "(escape it)");
		if ((n = utf8_len(p->s + p->i, p->len - p->i)) == 0)
			return fail_at(p, p->i, "invalid UTF-8");
		if (put(p, p->i, p->s + p->i, n) != 0)
			return -1;
		p->i += n;
	}
	if (put(p, p->i - 1, &nul, 1) != 0)
		return -1;
	*out = p->buf + start;
	*outlen = p->used - start - 1;
	return 0;
}

static int
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static void
digits(struct parser *p)
{
	while (p->i < p->len && is_digit(p->s[p->i]))
		p->i++;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? copied into buf. */
static int
parse_number(struct parser *p, const char **out, size_t *outlen)
{
	static const unsigned char nul = 0;
	size_t start = p->i, n;
	char *dst;

	if (p->s[p->i] == '-')
		p->i++;
	if (p->i >= p->len || !is_digit(p->s[p->i]))
		return expected(p, "a digit after '-'");
	if (p->s[p->i] == '0') {
		p->i++;
		if (p->i < p->len && is_digit(p->s[p->i]))
			return fail_at(p, start, "number with a leading zero");
	} else
		digits(p);
	if (p->i < p->len && p->s[p->i] == '.') {
		p->i++;
		if (p->i >= p->len || !is_digit(p->s[p->i]))
			return expected(p, "a digit after '.'");
		digits(p);
	}
	if (p->i < p->len && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
		p->i++;
		if (p->i < p->len && (p->s[p->i] == '+' || p->s[p->i] == '-'))
			p->i++;
		if (p->i >= p->len || !is_digit(p->s[p->i]))
			return expected(p, "a digit in the exponent");
		digits(p);
	}
	n = p->i - start;
	dst = p->buf + p->used;
	if (put(p, start, p->s + start, n) != 0 || put(p, start, &nul, 1) != 0)
		return -1;
	*out = dst;
	*outlen = n;
	return 0;
}

static int
literal(struct parser *p, const char *word)
{
	size_t n = strlen(word);

	if (p->len - p->i < n || memcmp(p->s + p->i, word, n) != 0)
		return -1;
	p->i += n;
	return 0;
}

static int
parse_value(struct parser *p, jl_field *f)
{
	unsigned char c;

	if (p->i >= p->len)
		return expected(p, "a value");
	c = p->s[p->i];
	f->value = "";
	f->len = 0;
	if (c == '"') {
		f->type = JL_STRING;
		return parse_string(p, &f->value, &f->len);
	}
	if (c == '-' || is_digit(c)) {
		f->type = JL_NUMBER;
		return parse_number(p, &f->value, &f->len);
	}
	if (c == '{' || c == '[')
		return fail_at(p, p->i, "nested values are not supported");
	if (literal(p, "true") == 0)
		f->type = JL_TRUE;
	else if (literal(p, "false") == 0)
		f->type = JL_FALSE;
	else if (literal(p, "null") == 0)
		f->type = JL_NULL;
	else
		return expected(p, "a value (a string needs double quotes)");
	return 0;
}

/* name as a JSON string for a message, cut at a character boundary. */
static const char *
show_name(const char *name, char *out, size_t cap)
{
	size_t n = strlen(name);

	if (n > SHOW_MAX) {
		n = SHOW_MAX;
		while (n > 0 && ((unsigned char)name[n] & 0xc0) == 0x80)
			n--;
	}
	if (jsonline_quote(name, n, out, cap) == 0)
		return "\"?\"";
	return out;
}

/* One "name": value pair at p->i into out. */
static int
parse_member(struct parser *p, jl_object *out)
{
	char shown[SHOW_MAX * 6 + 3];
	jl_field f;
	size_t k;

	if (p->i >= p->len || p->s[p->i] != '"')
		return expected(p, "a name in double quotes");
	memset(&f, 0, sizeof(f));
	if (parse_string(p, &f.name, &k) != 0)
		return -1;
	for (k = 0; k < out->n; k++) {
		if (strcmp(out->f[k].name, f.name) == 0)
			return fail(p, "duplicate name %s", show_name(f.name,
			    shown, sizeof(shown)));
	}
	if (out->n == JSONLINE_FIELDS_MAX)
		return fail(p, "more than %d fields", JSONLINE_FIELDS_MAX);
	skip_ws(p);
	if (p->i >= p->len || p->s[p->i] != ':')
		return expected(p, "':'");
	p->i++;
	skip_ws(p);
	if (parse_value(p, &f) != 0)
		return -1;
	out->f[out->n++] = f;
	return 0;
}

/* The members of an object and its closing brace, after its '{'. */
static int
parse_members(struct parser *p, jl_object *out)
{
	skip_ws(p);
	if (p->i < p->len && p->s[p->i] == '}') {
		p->i++;
		return 0;
	}
	for (;;) {
		if (parse_member(p, out) != 0)
			return -1;
		skip_ws(p);
		if (p->i < p->len && p->s[p->i] == ',') {
			p->i++;
			skip_ws(p);
			continue;
		}
		if (p->i < p->len && p->s[p->i] == '}') {
			p->i++;
			return 0;
		}
		return expected(p, "',' or '}'");
	}
}

int
jsonline_parse(const char *line, size_t len, char *buf, size_t cap,
    jl_object *out, char *err, size_t errcap)
{
	struct parser p;

	memset(out, 0, sizeof(*out));
	p.s = (const unsigned char *)line;
	p.len = len;
	p.i = 0;
	p.buf = buf;
	p.cap = cap;
	p.used = 0;
	p.err = err;
	p.errcap = errcap;
	if (err != NULL && errcap > 0)
		err[0] = '\0';

	skip_ws(&p);
	if (p.i >= p.len || p.s[p.i] != '{')
		fail(&p, "not a JSON object");
	else {
		p.i++;
		if (parse_members(&p, out) == 0) {
			skip_ws(&p);
			if (p.i == p.len)
				return 0;
			fail_at(&p, p.i, "text after the object");
		}
	}
	memset(out, 0, sizeof(*out));
	return -1;
}

const jl_field *
jsonline_get(const jl_object *o, const char *name)
{
	size_t k;

	for (k = 0; k < o->n && k < JSONLINE_FIELDS_MAX; k++) {
		if (strcmp(o->f[k].name, name) == 0)
			return &o->f[k];
	}
	return NULL;
}

size_t
jsonline_quote(const char *s, size_t len, char *out, size_t cap)
{
	jsonout j;

	jsonout_init(&j, out, cap);
	jsonout_strn(&j, NULL, s, len);
	return jsonout_finish(&j);
}

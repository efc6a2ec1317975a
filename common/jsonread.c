/*
 * jsonread.c - JSON read: one strict reader into a caller's tokens
 * (jsonline_read); jsonline.c reads a flat object per line on top of it
 *
 * Orders come from shops, spreadsheets and scripts, so this reader is
 * strict in the way the customer-side decoder is: one reading per text and
 * nothing guessed. A reader that took "01", a lone surrogate or a repeated
 * name would let two tools read the same line differently (which "seats"
 * wins?), and a key would be issued for terms nobody wrote. Values are
 * checked as UTF-8 here so no later step has to. The tests read every
 * JSON text they check with this same reader, so that what they accept is
 * what the programs accept.
 *
 * Bounded: no heap, the caller's tokens and buffer, and a recursion no
 * deeper than the rules' depth.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "jsonline.h"
#include "utf8.h"

/* Bytes of a name quoted in a message. */
#define SHOW_MAX 40

struct reader {
	const unsigned char *s;
	size_t len;
	size_t i;
	const jl_rules *rules;
	jl_token *tok;
	size_t maxtok;
	size_t ntok;
	char *buf;
	size_t cap;
	size_t used;
	const char *member;	/* name of the outermost object's member
				 * being read, or NULL */
	jl_error *err;
};

static int fail(struct reader *r, jl_fault fault, size_t at,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
fail(struct reader *r, jl_fault fault, size_t at, const char *fmt, ...)
{
	va_list ap;

	r->err->fault = fault;
	r->err->at = at;
	r->err->member = r->member;
	va_start(ap, fmt);
	vsnprintf(r->err->what, sizeof(r->err->what), fmt, ap);
	va_end(ap);
	return -1;
}

/* What ends the text, in a message. */
static const char *
the_end(const struct reader *r)
{
	return r->rules->line ? "the end of the line" : "the end of the text";
}

static int
expected(struct reader *r, const char *what)
{
	if (r->i >= r->len)
		return fail(r, JL_SYNTAX, r->i, "expected %s, found %s", what,
		    the_end(r));
	return fail(r, JL_SYNTAX, r->i, "expected %s", what);
}

static void
skip_ws(struct reader *r)
{
	unsigned char c;

	for (; r->i < r->len; r->i++) {
		c = r->s[r->i];
		if (c != ' ' && c != '\t' &&
		    (r->rules->line || (c != '\n' && c != '\r')))
			break;
	}
}

static int
put(struct reader *r, size_t at, const unsigned char *b, size_t n)
{
	if (r->cap - r->used < n)
		return fail(r, JL_SYNTAX, at, "no room for the value (buffer "
		    "of %zu bytes too small)", r->cap);
	memcpy(r->buf + r->used, b, n);
	r->used += n;
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

/* A \uXXXX escape (and its low surrogate) at r->i to UTF-8 in buf. */
static int
unicode_escape(struct reader *r)
{
	unsigned char u[4];
	size_t at = r->i, n;
	uint32_t cp, lo;

	if (hex4(r->s + at + 2, r->len - at - 2, &cp) != 0)
		return fail(r, JL_SYNTAX, at, "bad \\u escape (four hex "
		    "digits expected)");
	r->i = at + 6;
	if (cp == 0)
		return fail(r, JL_SYNTAX, at, "\\u0000 is not allowed");
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return fail(r, JL_SYNTAX, at, "lone surrogate \\u%04X (a low "
		    "surrogate needs a high one before it)", (unsigned)cp);
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (r->len - r->i < 6 || r->s[r->i] != '\\' ||
		    r->s[r->i + 1] != 'u' ||
		    hex4(r->s + r->i + 2, 4, &lo) != 0 ||
		    lo < 0xdc00 || lo > 0xdfff)
			return fail(r, JL_SYNTAX, at, "lone surrogate \\u%04X "
			    "(a high surrogate needs a low one after it)",
			    (unsigned)cp);
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		r->i += 6;
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
	return put(r, at, u, n);
}

/* A string at r->i (its opening quote), unescaped into buf with a NUL. */
static int
parse_string(struct reader *r, const char **out, size_t *outlen)
{
	static const unsigned char nul = 0;
	size_t open = r->i, start = r->used, n;
	unsigned char c, e;

	r->i++;
	for (;;) {
		if (r->i >= r->len)
			return fail(r, JL_SYNTAX, open, "string not closed "
			    "before %s", the_end(r));
		c = r->s[r->i];
		if (c == '"') {
			r->i++;
			break;
		}
		if (c == '\\') {
			if (r->i + 1 >= r->len)
				return fail(r, JL_SYNTAX, open, "string not "
				    "closed before %s", the_end(r));
			e = r->s[r->i + 1];
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
				if (unicode_escape(r) != 0)
					return -1;
				continue;
			default:
				return fail(r, JL_SYNTAX, r->i, "bad escape (one "
				    "of \\\" \\\\ \\/ \\b \\f \\n \\r \\t "
				    "\\uXXXX expected)");
			}
			if (put(r, r->i, &e, 1) != 0)
				return -1;
			r->i += 2;
			continue;
		}
		if (c < 0x20)
			return fail(r, JL_SYNTAX, r->i, "control character in "
			    "a string (escape it)");
		if ((n = utf8_len(r->s + r->i, r->len - r->i)) == 0)
			return fail(r, JL_SYNTAX, r->i, "invalid UTF-8");
		if (put(r, r->i, r->s + r->i, n) != 0)
			return -1;
		r->i += n;
	}
	if (put(r, r->i - 1, &nul, 1) != 0)
		return -1;
	*out = r->buf + start;
	*outlen = r->used - start - 1;
	return 0;
}

static int
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static void
digits(struct reader *r)
{
	while (r->i < r->len && is_digit(r->s[r->i]))
		r->i++;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? copied into buf. */
static int
parse_number(struct reader *r, const char **out, size_t *outlen)
{
	static const unsigned char nul = 0;
	size_t start = r->i, n;
	char *dst;

	if (r->s[r->i] == '-')
		r->i++;
	if (r->i >= r->len || !is_digit(r->s[r->i]))
		return expected(r, "a digit after '-'");
	if (r->s[r->i] == '0') {
		r->i++;
		if (r->i < r->len && is_digit(r->s[r->i]))
			return fail(r, JL_SYNTAX, start, "number with a "
			    "leading zero");
	} else
		digits(r);
	if (r->i < r->len && r->s[r->i] == '.') {
		r->i++;
		if (r->i >= r->len || !is_digit(r->s[r->i]))
			return expected(r, "a digit after '.'");
		digits(r);
	}
	if (r->i < r->len && (r->s[r->i] == 'e' || r->s[r->i] == 'E')) {
		r->i++;
		if (r->i < r->len && (r->s[r->i] == '+' || r->s[r->i] == '-'))
			r->i++;
		if (r->i >= r->len || !is_digit(r->s[r->i]))
			return expected(r, "a digit in the exponent");
		digits(r);
	}
	n = r->i - start;
	dst = r->buf + r->used;
	if (put(r, start, r->s + start, n) != 0 || put(r, start, &nul, 1) != 0)
		return -1;
	*out = dst;
	*outlen = n;
	return 0;
}

static int
literal(struct reader *r, const char *word)
{
	size_t n = strlen(word);

	if (r->len - r->i < n || memcmp(r->s + r->i, word, n) != 0)
		return -1;
	r->i += n;
	return 0;
}

/* The next token, or SIZE_MAX when the caller's array is full. */
static size_t
new_token(struct reader *r, const char *name)
{
	jl_token *t;

	if (r->ntok == r->maxtok) {
		fail(r, JL_TOKENS, r->i, "more than %zu values", r->maxtok);
		return SIZE_MAX;
	}
	t = &r->tok[r->ntok];
	memset(t, 0, sizeof(*t));
	t->name = name;
	t->value = "";
	return r->ntok++;
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

/* The name at byte `at` is one that the object has already. */
static int
duplicate(struct reader *r, size_t at, const char *name)
{
	char shown[SHOW_MAX * 6 + 3];

	return fail(r, JL_DUPLICATE, at, "duplicate name %s",
	    show_name(name, shown, sizeof(shown)));
}

static int parse_value(struct reader *r, size_t k, unsigned depth);

/*
 * One "name": value pair at r->i, a member of the object tok[obj]. The
 * name is checked against the members before it, and given its token,
 * before anything after it is read.
 */
static int
parse_member(struct reader *r, size_t obj, unsigned depth)
{
	const char *name;
	size_t at = r->i, k, n;

	if (r->i >= r->len || r->s[r->i] != '"')
		return expected(r, "a name in double quotes");
	if (parse_string(r, &name, &n) != 0)
		return -1;
	/* Every token after tok[obj] so far is a whole member of it. */
	for (k = obj + 1; k < r->ntok; k = r->tok[k].end) {
		if (strcmp(r->tok[k].name, name) == 0)
			return duplicate(r, at, name);
	}
	if ((k = new_token(r, name)) == SIZE_MAX)
		return -1;
	skip_ws(r);
	if (r->i >= r->len || r->s[r->i] != ':')
		return expected(r, "':'");
	r->i++;
	skip_ws(r);
	/* A fault inside the value names the field it belongs to. */
	if (depth == 1)
		r->member = name;
	if (parse_value(r, k, depth) != 0)
		return -1;
	if (depth == 1)
		r->member = NULL;
	return 0;
}

/* The members or elements of tok[k] and its closing bracket, after its
 * opening one. */
static int
parse_items(struct reader *r, size_t k, unsigned depth)
{
	bool object = r->tok[k].type == JL_OBJECT;
	unsigned char close = object ? '}' : ']';
	size_t e;

	skip_ws(r);
	if (r->i < r->len && r->s[r->i] == close) {
		r->i++;
		return 0;
	}
	for (;;) {
		if (object) {
			if (parse_member(r, k, depth) != 0)
				return -1;
		} else if ((e = new_token(r, NULL)) == SIZE_MAX ||
		    parse_value(r, e, depth) != 0)
			return -1;
		r->tok[k].count++;
		skip_ws(r);
		if (r->i < r->len && r->s[r->i] == ',') {
			r->i++;
			skip_ws(r);
			continue;
		}
		if (r->i < r->len && r->s[r->i] == close) {
			r->i++;
			return 0;
		}
		return expected(r, object ? "',' or '}'" : "',' or ']'");
	}
}

/* The value at r->i into tok[k], with depth objects and arrays open
 * around it. */
static int
parse_value(struct reader *r, size_t k, unsigned depth)
{
	jl_token *t = &r->tok[k];
	unsigned char c;
	int rc;

	if (r->i >= r->len)
		return expected(r, "a value");
	c = r->s[r->i];
	if (c == '{' || c == '[') {
		if (depth == r->rules->depth)
			return fail(r, JL_DEPTH, r->i, "nested more than %u "
			    "deep", r->rules->depth);
		t->type = c == '{' ? JL_OBJECT : JL_ARRAY;
		r->i++;
		rc = parse_items(r, k, depth + 1);
	} else if (c == '"') {
		t->type = JL_STRING;
		rc = parse_string(r, &t->value, &t->len);
	} else if (c == '-' || is_digit(c)) {
		t->type = JL_NUMBER;
		rc = parse_number(r, &t->value, &t->len);
	} else if (literal(r, "true") == 0) {
		t->type = JL_TRUE;
		rc = 0;
	} else if (literal(r, "false") == 0) {
		t->type = JL_FALSE;
		rc = 0;
	} else if (literal(r, "null") == 0) {
		t->type = JL_NULL;
		rc = 0;
	} else
		return expected(r, "a value (a string needs double quotes)");
	t->end = r->ntok;
	return rc;
}

size_t
jsonline_read(const char *text, size_t len, const jl_rules *rules,
    jl_token *tok, size_t ntok, char *buf, size_t cap, jl_error *err)
{
	struct reader r;
	size_t k;

	memset(err, 0, sizeof(*err));
	r = (struct reader){ .s = (const unsigned char *)text, .len = len,
	    .rules = rules, .tok = tok, .maxtok = ntok, .buf = buf,
	    .cap = cap, .err = err };

	skip_ws(&r);
	if ((k = new_token(&r, NULL)) == SIZE_MAX ||
	    parse_value(&r, k, 0) != 0)
		return 0;
	skip_ws(&r);
	if (r.i != r.len) {
		fail(&r, JL_SYNTAX, r.i, "text after the %s",
		    tok[0].type == JL_OBJECT ? "object" :
		    tok[0].type == JL_ARRAY ? "array" : "value");
		return 0;
	}
	return r.ntok;
}

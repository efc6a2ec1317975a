/*
 * json.c - a small strict JSON reader for the test vectors (see json.h)
 *
 * RFC 8259 grammar, parsed by recursive descent into a flat array of
 * values. Each value records where its subtree ends, so skipping one is a
 * single step. Strings are unescaped in place in a private copy of the text
 * (an unescaped string is never longer than its source) and NUL-terminated.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"

typedef struct json_val {
	json_type type;
	size_t start;	/* offset in buf: string text, or raw number/literal */
	size_t len;
	size_t end;	/* index of the first value after this subtree */
	size_t count;	/* array elements or object members */
} json_val;

struct json_doc {
	char *buf;
	size_t buflen;
	json_val *vals;
	size_t nvals, capvals;
	char name[256];
	/* Parse state. */
	size_t pos;
	const char *err;
	size_t errpos;
};

static void
set_name(json_doc *d, const char *name)
{
	snprintf(d->name, sizeof(d->name), "%s", name != NULL ? name : "json");
}

static int
fail_at(json_doc *d, const char *why)
{
	if (d->err == NULL) {
		d->err = why;
		d->errpos = d->pos;
	}
	return -1;
}

static size_t
new_val(json_doc *d, json_type type)
{
	if (d->nvals == d->capvals) {
		size_t cap = d->capvals ? d->capvals * 2U : 256U;
		json_val *v = realloc(d->vals, cap * sizeof(*v));

		if (v == NULL)
			return JSON_NONE;
		d->vals = v;
		d->capvals = cap;
	}
	memset(&d->vals[d->nvals], 0, sizeof(d->vals[0]));
	d->vals[d->nvals].type = type;
	d->vals[d->nvals].start = d->pos;
	return d->nvals++;
}

static void
skip_ws(json_doc *d)
{
	while (d->pos < d->buflen) {
		char c = d->buf[d->pos];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		d->pos++;
	}
}

static int
hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* At the opening quote. Unescapes in place; the value's start/len name it. */
static int
parse_string(json_doc *d)
{
	size_t v = new_val(d, JSON_STRING), w;

	if (v == JSON_NONE)
		return fail_at(d, "out of memory");
	d->pos++;
	w = d->pos;
	d->vals[v].start = w;
	for (;;) {
		unsigned char c;

		if (d->pos >= d->buflen)
			return fail_at(d, "unterminated string");
		c = (unsigned char)d->buf[d->pos];
		if (c == '"')
			break;
		if (c < 0x20U)
			return fail_at(d, "control character in string");
		if (c != '\\') {
			d->buf[w++] = (char)c;
			d->pos++;
			continue;
		}
		if (d->pos + 1U >= d->buflen)
			return fail_at(d, "unterminated string");
		switch (d->buf[d->pos + 1U]) {
		case '"': d->buf[w++] = '"'; break;
		case '\\': d->buf[w++] = '\\'; break;
		case '/': d->buf[w++] = '/'; break;
		case 'b': d->buf[w++] = '\b'; break;
		case 'f': d->buf[w++] = '\f'; break;
		case 'n': d->buf[w++] = '\n'; break;
		case 'r': d->buf[w++] = '\r'; break;
		case 't': d->buf[w++] = '\t'; break;
		case 'u': {
			unsigned cp;

			if (d->buflen - d->pos < 6U ||
			    hex4(d->buf + d->pos + 2U, &cp) != 0)
				return fail_at(d, "bad \\u escape");
			if (cp == 0 || cp > 0x7fU)
				return fail_at(d, "\\u escape outside "
				    "U+0001..U+007F not supported");
			d->buf[w++] = (char)cp;
			d->pos += 4U;
			break;
		}
		default:
			return fail_at(d, "bad escape in string");
		}
		d->pos += 2U;
	}
	d->vals[v].len = w - d->vals[v].start;
	d->buf[w] = '\0';	/* w <= pos: at most the closing quote */
	d->pos++;
	d->vals[v].end = d->nvals;
	return 0;
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
parse_number(json_doc *d)
{
	size_t v = new_val(d, JSON_NUMBER);
	const char *b = d->buf;
	size_t n = d->buflen;

	if (v == JSON_NONE)
		return fail_at(d, "out of memory");
	if (d->pos < n && b[d->pos] == '-')
		d->pos++;
	if (d->pos < n && b[d->pos] == '0')
		d->pos++;
	else if (d->pos < n && is_digit(b[d->pos]))
		while (d->pos < n && is_digit(b[d->pos]))
			d->pos++;
	else
		return fail_at(d, "bad number");
	if (d->pos < n && b[d->pos] == '.') {
		d->pos++;
		if (d->pos >= n || !is_digit(b[d->pos]))
			return fail_at(d, "bad number");
		while (d->pos < n && is_digit(b[d->pos]))
			d->pos++;
	}
	if (d->pos < n && (b[d->pos] == 'e' || b[d->pos] == 'E')) {
		d->pos++;
		if (d->pos < n && (b[d->pos] == '+' || b[d->pos] == '-'))
			d->pos++;
		if (d->pos >= n || !is_digit(b[d->pos]))
			return fail_at(d, "bad number");
		while (d->pos < n && is_digit(b[d->pos]))
			d->pos++;
	}
	d->vals[v].len = d->pos - d->vals[v].start;
	d->vals[v].end = d->nvals;
	return 0;
}

static int
parse_literal(json_doc *d, const char *word, json_type type)
{
	size_t v, n = strlen(word);

	if (d->buflen - d->pos < n || memcmp(d->buf + d->pos, word, n) != 0)
		return fail_at(d, "unexpected character");
	v = new_val(d, type);
	if (v == JSON_NONE)
		return fail_at(d, "out of memory");
	d->pos += n;
	d->vals[v].len = n;
	d->vals[v].end = d->nvals;
	return 0;
}

static int parse_value(json_doc *d, unsigned depth);

/* At '[' or '{'. Object members are stored as key string, then value. */
static int
parse_container(json_doc *d, unsigned depth)
{
	int object = d->buf[d->pos] == '{';
	char close = object ? '}' : ']';
	size_t v = new_val(d, object ? JSON_OBJECT : JSON_ARRAY);

	if (v == JSON_NONE)
		return fail_at(d, "out of memory");
	if (depth >= JSON_MAX_DEPTH)
		return fail_at(d, "nested too deeply");
	d->pos++;
	skip_ws(d);
	if (d->pos < d->buflen && d->buf[d->pos] == close) {
		d->pos++;
		d->vals[v].end = d->nvals;
		return 0;
	}
	for (;;) {
		skip_ws(d);
		if (object) {
			if (d->pos >= d->buflen || d->buf[d->pos] != '"')
				return fail_at(d, "expected a member name");
			if (parse_string(d) != 0)
				return -1;
			skip_ws(d);
			if (d->pos >= d->buflen || d->buf[d->pos] != ':')
				return fail_at(d, "expected ':'");
			d->pos++;
		}
		if (parse_value(d, depth + 1U) != 0)
			return -1;
		d->vals[v].count++;
		skip_ws(d);
		if (d->pos >= d->buflen)
			return fail_at(d, "unexpected end of text");
		if (d->buf[d->pos] == ',') {
			d->pos++;
			continue;
		}
		if (d->buf[d->pos] == close) {
			d->pos++;
			break;
		}
		return fail_at(d, object ? "expected ',' or '}'" :
		    "expected ',' or ']'");
	}
	d->vals[v].end = d->nvals;
	return 0;
}

static int
parse_value(json_doc *d, unsigned depth)
{
	skip_ws(d);
	if (d->pos >= d->buflen)
		return fail_at(d, "unexpected end of text");
	switch (d->buf[d->pos]) {
	case '{':
	case '[':
		return parse_container(d, depth);
	case '"':
		return parse_string(d);
	case 't':
		return parse_literal(d, "true", JSON_TRUE);
	case 'f':
		return parse_literal(d, "false", JSON_FALSE);
	case 'n':
		return parse_literal(d, "null", JSON_NULL);
	default:
		return parse_number(d);
	}
}

void
json_free(json_doc *doc)
{
	if (doc == NULL)
		return;
	free(doc->buf);
	free(doc->vals);
	free(doc);
}

/* Takes ownership of buf (len bytes, room for one more). */
static json_doc *
parse_owned(char *buf, size_t len, const char *name, int fatal)
{
	json_doc *d = calloc(1, sizeof(*d));
	char msg[512];
	size_t line = 1, i;

	if (d == NULL) {
		free(buf);
		fail_msg("%s: out of memory", name);
	}
	set_name(d, name);
	d->buf = buf;
	d->buflen = len;
	d->buf[len] = '\0';
	if (parse_value(d, 0) == 0) {
		skip_ws(d);
		if (d->pos == d->buflen)
			return d;
		fail_at(d, "text after the top-level value");
	}
	if (!fatal) {
		json_free(d);
		return NULL;
	}
	for (i = 0; i < d->errpos && i < d->buflen; i++)
		if (d->buf[i] == '\n')
			line++;
	snprintf(msg, sizeof(msg), "%s: line %zu (byte %zu): malformed JSON: "
	    "%s", d->name, line, d->errpos, d->err);
	json_free(d);
	fail_msg("%s", msg);
	return NULL;
}

static char *
copy_text(const char *text, size_t len, const char *name)
{
	char *buf;

	if (len > JSON_MAX_BYTES)
		fail_msg("%s: more than %u bytes", name, JSON_MAX_BYTES);
	buf = malloc(len + 1U);
	if (buf == NULL)
		fail_msg("%s: out of memory", name);
	memcpy(buf, text, len);
	return buf;
}

json_doc *
json_parse(const char *text, size_t len, const char *name)
{
	return parse_owned(copy_text(text, len, name), len, name, 1);
}

json_doc *
json_try_parse(const char *text, size_t len, const char *name)
{
	return parse_owned(copy_text(text, len, name), len, name, 0);
}

json_doc *
json_load(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;
	int bad;

	if (f == NULL)
		fail_msg("%s: cannot open (run the tests from the repository "
		    "root, or set LKEY_VECTORS)", path);
	buf = malloc(JSON_MAX_BYTES + 1U);
	if (buf == NULL) {
		fclose(f);
		fail_msg("%s: out of memory", path);
	}
	/* One byte more than the bound tells a file that is too big. */
	n = fread(buf, 1, JSON_MAX_BYTES + 1U, f);
	bad = ferror(f);
	fclose(f);
	if (bad || n > JSON_MAX_BYTES) {
		free(buf);
		fail_msg("%s: %s", path, bad ? "read error" :
		    "larger than JSON_MAX_BYTES");
	}
	return parse_owned(buf, n, path, 1);
}

size_t
json_root(const json_doc *doc)
{
	(void)doc;
	return 0;
}

static const json_val *
val(const json_doc *doc, size_t v)
{
	if (v >= doc->nvals)
		fail_msg("%s: no such value (%zu)", doc->name, v);
	return &doc->vals[v];
}

static const char *
type_name(json_type t)
{
	static const char *const names[] = { "null", "false", "true",
	    "number", "string", "array", "object" };

	return names[t];
}

static const json_val *
want(const json_doc *doc, size_t v, json_type t)
{
	const json_val *p = val(doc, v);

	if (p->type != t)
		fail_msg("%s: expected %s, found %s", doc->name, type_name(t),
		    type_name(p->type));
	return p;
}

json_type
json_type_of(const json_doc *doc, size_t v)
{
	return val(doc, v)->type;
}

size_t
json_count(const json_doc *doc, size_t v)
{
	const json_val *p = val(doc, v);

	if (p->type != JSON_ARRAY && p->type != JSON_OBJECT)
		fail_msg("%s: expected array or object, found %s", doc->name,
		    type_name(p->type));
	return p->count;
}

size_t
json_first(const json_doc *doc, size_t arr)
{
	const json_val *p = want(doc, arr, JSON_ARRAY);

	return p->count > 0 ? arr + 1U : JSON_NONE;
}

size_t
json_next(const json_doc *doc, size_t arr, size_t elem)
{
	const json_val *p = want(doc, arr, JSON_ARRAY);
	size_t next = val(doc, elem)->end;

	if (elem <= arr || elem >= p->end)
		fail_msg("%s: value %zu is not in array %zu", doc->name, elem,
		    arr);
	return next < p->end ? next : JSON_NONE;
}

size_t
json_at(const json_doc *doc, size_t arr, size_t i)
{
	size_t e, k = 0;

	JSON_FOR_EACH(doc, arr, e) {
		if (k++ == i)
			return e;
	}
	fail_msg("%s: array index %zu out of range", doc->name, i);
	return JSON_NONE;
}

size_t
json_find(const json_doc *doc, size_t obj, const char *name)
{
	const json_val *p = want(doc, obj, JSON_OBJECT);
	size_t k, found = JSON_NONE;

	/* Members alternate: key string, value subtree. */
	for (k = obj + 1U; k < p->end; k = doc->vals[k + 1U].end) {
		const json_val *key = &doc->vals[k];

		if (strcmp(doc->buf + key->start, name) != 0 ||
		    strlen(name) != key->len)
			continue;
		if (found != JSON_NONE)
			fail_msg("%s: member \"%s\" repeated", doc->name,
			    name);
		found = k + 1U;
	}
	return found;
}

bool
json_has(const json_doc *doc, size_t obj, const char *name)
{
	return json_find(doc, obj, name) != JSON_NONE;
}

const char *
json_string(const json_doc *doc, size_t v, size_t *len)
{
	const json_val *p = want(doc, v, JSON_STRING);

	if (len != NULL)
		*len = p->len;
	return doc->buf + p->start;
}

bool
json_bool(const json_doc *doc, size_t v)
{
	const json_val *p = val(doc, v);

	if (p->type != JSON_TRUE && p->type != JSON_FALSE)
		fail_msg("%s: expected a boolean, found %s", doc->name,
		    type_name(p->type));
	return p->type == JSON_TRUE;
}

bool
json_is_null(const json_doc *doc, size_t v)
{
	return val(doc, v)->type == JSON_NULL;
}

int64_t
json_int(const json_doc *doc, size_t v)
{
	const json_val *p = want(doc, v, JSON_NUMBER);
	const char *s = doc->buf + p->start;
	size_t i = 0;
	uint64_t mag = 0, limit;
	int neg = 0;

	if (s[0] == '-') {
		neg = 1;
		i = 1;
	}
	limit = neg ? (uint64_t)INT64_MAX + 1U : (uint64_t)INT64_MAX;
	for (; i < p->len; i++) {
		unsigned dig = (unsigned)(s[i] - '0');

		if (!is_digit(s[i]))
			fail_msg("%s: %.*s is not an integer", doc->name,
			    (int)p->len, s);
		if (mag > (limit - dig) / 10U)
			fail_msg("%s: %.*s does not fit int64", doc->name,
			    (int)p->len, s);
		mag = mag * 10U + dig;
	}
	if (!neg)
		return (int64_t)mag;
	return mag == (uint64_t)INT64_MAX + 1U ? INT64_MIN : -(int64_t)mag;
}

static size_t
member(const json_doc *doc, size_t obj, const char *name)
{
	size_t v = json_find(doc, obj, name);

	if (v == JSON_NONE)
		fail_msg("%s: member \"%s\" missing", doc->name, name);
	return v;
}

const char *
json_get_string(const json_doc *doc, size_t obj, const char *name)
{
	return json_string(doc, member(doc, obj, name), NULL);
}

bool
json_get_bool(const json_doc *doc, size_t obj, const char *name)
{
	return json_bool(doc, member(doc, obj, name));
}

bool
json_get_is_null(const json_doc *doc, size_t obj, const char *name)
{
	return json_is_null(doc, member(doc, obj, name));
}

int64_t
json_get_int(const json_doc *doc, size_t obj, const char *name)
{
	return json_int(doc, member(doc, obj, name));
}

size_t
json_get_array(const json_doc *doc, size_t obj, const char *name)
{
	size_t v = member(doc, obj, name);

	want(doc, v, JSON_ARRAY);
	return v;
}

size_t
json_get_object(const json_doc *doc, size_t obj, const char *name)
{
	size_t v = member(doc, obj, name);

	want(doc, v, JSON_OBJECT);
	return v;
}

/* Appends text to out at *len, failing the test when out is full. */
static void
put_text(char *out, size_t cap, size_t *len, const char *text, size_t n)
{
	if (*len + n >= cap)
		fail_msg("rendered JSON longer than %zu bytes", cap);
	memcpy(out + *len, text, n);
	*len += n;
	out[*len] = '\0';
}

static void
render(const json_doc *doc, size_t v, char *out, size_t cap, size_t *len)
{
	const json_val *p = val(doc, v);
	size_t k;

	switch (p->type) {
	case JSON_STRING:
		put_text(out, cap, len, "'", 1);
		put_text(out, cap, len, doc->buf + p->start, p->len);
		put_text(out, cap, len, "'", 1);
		break;
	case JSON_ARRAY:
		put_text(out, cap, len, "[", 1);
		for (k = v + 1U; k < p->end; k = doc->vals[k].end) {
			if (k > v + 1U)
				put_text(out, cap, len, ",", 1);
			render(doc, k, out, cap, len);
		}
		put_text(out, cap, len, "]", 1);
		break;
	case JSON_OBJECT:
		put_text(out, cap, len, "{", 1);
		for (k = v + 1U; k < p->end; k = doc->vals[k + 1U].end) {
			if (k > v + 1U)
				put_text(out, cap, len, ",", 1);
			put_text(out, cap, len, doc->buf + doc->vals[k].start,
			    doc->vals[k].len);
			put_text(out, cap, len, ":", 1);
			render(doc, k + 1U, out, cap, len);
		}
		put_text(out, cap, len, "}", 1);
		break;
	default:
		put_text(out, cap, len, doc->buf + p->start, p->len);
	}
}

void
json_render(const json_doc *doc, size_t v, char *out, size_t cap)
{
	size_t len = 0;

	out[0] = '\0';
	render(doc, v, out, cap, &len);
}

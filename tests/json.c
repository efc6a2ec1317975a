/*
 * json.c - the tests' view of a JSON text (see json.h), over the programs'
 * own reader
 *
 * The text is read by jsonline_read (common/jsonline.c), the one JSON
 * reader of the project, so a test accepts exactly what the programs
 * accept. This file only gives that reader heap memory of the size a text
 * needs, names values by their token's index and fails the running test
 * where the programs would return an error.
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
#include "jsonline.h"

struct json_doc {
	char *buf;		/* the strings and numbers of tok */
	jl_token *tok;
	size_t n;
	char name[256];
};

/* How the tests read a text: a whole file, nested as deep as json.h says. */
static const jl_rules doc_rules = { JSON_MAX_DEPTH, false };

void
json_free(json_doc *doc)
{
	if (doc == NULL)
		return;
	free(doc->buf);
	free(doc->tok);
	free(doc);
}

/*
 * Reads text into d with room for ntok tokens; 0, or -1 with the reason in
 * e (JL_TOKENS when ntok was too few).
 */
static int
read_with(json_doc *d, const char *text, size_t len, size_t ntok,
    jl_error *e)
{
	free(d->tok);
	d->tok = malloc(ntok * sizeof(*d->tok));
	if (d->tok == NULL)
		fail_msg("%s: out of memory", d->name);
	d->n = jsonline_read(text, len, &doc_rules, d->tok, ntok, d->buf,
	    len + 1U, e);
	return d->n > 0 ? 0 : -1;
}

static json_doc *
parse(const char *text, size_t len, const char *name, int fatal)
{
	json_doc *d = calloc(1, sizeof(*d));
	size_t line = 1, i;
	jl_error e;
	char msg[sizeof(e.what) + 320];	/* and the name and the place */

	if (len > JSON_MAX_BYTES)
		fail_msg("%s: more than %u bytes", name, JSON_MAX_BYTES);
	if (d == NULL || (d->buf = malloc(len + 1U)) == NULL)
		fail_msg("%s: out of memory", name);
	snprintf(d->name, sizeof(d->name), "%s", name != NULL ? name : "json");
	/* A guess first; then enough for any text of len bytes. */
	if (read_with(d, text, len, len / 8U + 16U, &e) == 0 ||
	    (e.fault == JL_TOKENS &&
	    read_with(d, text, len, (len + 1U) / 2U + 1U, &e) == 0))
		return d;
	if (!fatal) {
		json_free(d);
		return NULL;
	}
	for (i = 0; i < e.at && i < len; i++)
		if (text[i] == '\n')
			line++;
	snprintf(msg, sizeof(msg), "%s: line %zu (byte %zu): malformed JSON: "
	    "%s", d->name, line, e.at, e.what);
	json_free(d);
	fail_msg("%s", msg);
	return NULL;
}

json_doc *
json_parse(const char *text, size_t len, const char *name)
{
	return parse(text, len, name, 1);
}

json_doc *
json_try_parse(const char *text, size_t len, const char *name)
{
	return parse(text, len, name, 0);
}

json_doc *
json_load(const char *path)
{
	FILE *f = fopen(path, "rb");
	json_doc *d;
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
	d = parse(buf, n, path, 1);
	free(buf);
	return d;
}

size_t
json_root(const json_doc *doc)
{
	(void)doc;
	return 0;
}

static const jl_token *
val(const json_doc *doc, size_t v)
{
	if (v >= doc->n)
		fail_msg("%s: no such value (%zu)", doc->name, v);
	return &doc->tok[v];
}

json_type
json_type_of(const json_doc *doc, size_t v)
{
	switch (val(doc, v)->type) {
	case JL_STRING:
		return JSON_STRING;
	case JL_NUMBER:
		return JSON_NUMBER;
	case JL_TRUE:
		return JSON_TRUE;
	case JL_FALSE:
		return JSON_FALSE;
	case JL_OBJECT:
		return JSON_OBJECT;
	case JL_ARRAY:
		return JSON_ARRAY;
	default:
		return JSON_NULL;
	}
}

static const char *
type_name(json_type t)
{
	static const char *const names[] = { "null", "false", "true",
	    "number", "string", "array", "object" };

	return names[t];
}

static const jl_token *
want(const json_doc *doc, size_t v, json_type t)
{
	const jl_token *p = val(doc, v);

	if (json_type_of(doc, v) != t)
		fail_msg("%s: expected %s, found %s", doc->name, type_name(t),
		    type_name(json_type_of(doc, v)));
	return p;
}

size_t
json_count(const json_doc *doc, size_t v)
{
	const jl_token *p = val(doc, v);

	if (p->type != JL_ARRAY && p->type != JL_OBJECT)
		fail_msg("%s: expected array or object, found %s", doc->name,
		    type_name(json_type_of(doc, v)));
	return p->count;
}

size_t
json_first(const json_doc *doc, size_t arr)
{
	const jl_token *p = want(doc, arr, JSON_ARRAY);

	return p->count > 0 ? arr + 1U : JSON_NONE;
}

size_t
json_next(const json_doc *doc, size_t arr, size_t elem)
{
	const jl_token *p = want(doc, arr, JSON_ARRAY);
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
	const jl_token *p = want(doc, obj, JSON_OBJECT);
	size_t k;

	/* The reader refused a name given twice: the first is the one. */
	for (k = obj + 1U; k < p->end; k = doc->tok[k].end)
		if (strcmp(doc->tok[k].name, name) == 0)
			return k;
	return JSON_NONE;
}

bool
json_has(const json_doc *doc, size_t obj, const char *name)
{
	return json_find(doc, obj, name) != JSON_NONE;
}

const char *
json_string(const json_doc *doc, size_t v, size_t *len)
{
	const jl_token *p = want(doc, v, JSON_STRING);

	if (len != NULL)
		*len = p->len;
	return p->value;
}

bool
json_bool(const json_doc *doc, size_t v)
{
	json_type t = json_type_of(doc, v);

	if (t != JSON_TRUE && t != JSON_FALSE)
		fail_msg("%s: expected a boolean, found %s", doc->name,
		    type_name(t));
	return t == JSON_TRUE;
}

bool
json_is_null(const json_doc *doc, size_t v)
{
	return json_type_of(doc, v) == JSON_NULL;
}

int64_t
json_int(const json_doc *doc, size_t v)
{
	const jl_token *p = want(doc, v, JSON_NUMBER);
	const char *s = p->value;
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

		if (s[i] < '0' || s[i] > '9')
			fail_msg("%s: %s is not an integer", doc->name, s);
		if (mag > (limit - dig) / 10U)
			fail_msg("%s: %s does not fit int64", doc->name, s);
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
	const jl_token *p = val(doc, v);
	size_t k;

	switch (p->type) {
	case JL_STRING:
		put_text(out, cap, len, "'", 1);
		put_text(out, cap, len, p->value, p->len);
		put_text(out, cap, len, "'", 1);
		break;
	case JL_ARRAY:
	case JL_OBJECT:
		put_text(out, cap, len, p->type == JL_ARRAY ? "[" : "{", 1);
		for (k = v + 1U; k < p->end; k = doc->tok[k].end) {
			if (k > v + 1U)
				put_text(out, cap, len, ",", 1);
			if (p->type == JL_OBJECT) {
				put_text(out, cap, len, doc->tok[k].name,
				    strlen(doc->tok[k].name));
				put_text(out, cap, len, ":", 1);
			}
			render(doc, k, out, cap, len);
		}
		put_text(out, cap, len, p->type == JL_ARRAY ? "]" : "}", 1);
		break;
	case JL_NUMBER:
		put_text(out, cap, len, p->value, p->len);
		break;
	default:
		put_text(out, cap, len, p->type == JL_TRUE ? "true" :
		    p->type == JL_FALSE ? "false" : "null",
		    p->type == JL_FALSE ? 5 : 4);
	}
}

void
json_render(const json_doc *doc, size_t v, char *out, size_t cap)
{
	size_t len = 0;

	out[0] = '\0';
	render(doc, v, out, cap, &len);
}

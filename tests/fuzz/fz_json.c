/*
 * fz_json.c - the JSON reader (common/jsonread.c, jsonline_read), which the
 * programs read orders and the ledger with and the tests read every JSON
 * text with, nested ones included
 *
 * The input is read as a document (depth 64, as the tests read) and as one
 * line (depth 1, as orders and ledger lines are read).
 *
 * Checked: a refusal says why (a fault, a place within the text, a phrase);
 * an accepted text gives a tree of tokens that holds together (each value's
 * end within its parent's, the count of an object or array its children,
 * strings of valid UTF-8 with no NUL, names only inside objects); what one
 * line accepts, the document reading accepts alike; and the tokens written
 * back with jsonout read back to the same tokens (up to jsonout's depth,
 * past which it must refuse).
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "jsonline.h"
#include "jsonout.h"
#include "targets.h"
#include "utf8.h"

#define TEXT_MAX 65536U
#define NTOK ((TEXT_MAX + 1U) / 2U + 1U)
/* Written back: a byte of a string is at most 6 ("\u00XX"), and each
 * token adds its name's quotes, a colon, a comma and brackets. */
#define OUT_CAP (8U * TEXT_MAX + 64U)

static jl_token tok[NTOK], again[NTOK];
static char buf[TEXT_MAX + 1U], buf2[OUT_CAP + 1U], out[OUT_CAP];

static const jl_rules document = { 64, false };
static const jl_rules one_line = { 1, true };

/* The value at k and all inside it, `level` objects and arrays deep; the
 * index after it. *deepest: the most objects and arrays open at once. */
static size_t
check_value(const jl_token *t, size_t k, size_t end, bool in_object,
    unsigned level, unsigned *deepest)
{
	size_t child, n = 0;

	FUZZ_CHECK(t[k].end > k && t[k].end <= end);
	FUZZ_CHECK((t[k].name != NULL) == in_object);
	if (t[k].name != NULL)
		FUZZ_CHECK(utf8_valid((const unsigned char *)t[k].name,
		    strlen(t[k].name)));
	switch (t[k].type) {
	case JL_STRING:
		FUZZ_CHECK(strlen(t[k].value) == t[k].len);
		FUZZ_CHECK(utf8_valid((const unsigned char *)t[k].value,
		    t[k].len));
		break;
	case JL_NUMBER:
		FUZZ_CHECK(t[k].len > 0 && strlen(t[k].value) == t[k].len);
		break;
	case JL_OBJECT:
	case JL_ARRAY:
		if (level + 1U > *deepest)
			*deepest = level + 1U;
		for (child = k + 1; child < t[k].end; n++)
			child = check_value(t, child, t[k].end,
			    t[k].type == JL_OBJECT, level + 1U, deepest);
		FUZZ_CHECK(child == t[k].end && n == t[k].count);
		return t[k].end;
	default:
		FUZZ_CHECK(t[k].type == JL_TRUE || t[k].type == JL_FALSE ||
		    t[k].type == JL_NULL);
	}
	FUZZ_CHECK(t[k].end == k + 1);
	return k + 1;
}

/* A number jsonout can write as the same text: plain integers. */
static bool
plain_integer(const char *s, uint64_t *u, int64_t *i, bool *neg)
{
	uint64_t v = 0;
	size_t k = 0;

	*neg = s[0] == '-';
	if (*neg)
		k++;
	if (s[k] == '\0' || (s[k] == '0' && s[k + 1] != '\0'))
		return false;
	for (; s[k] != '\0'; k++) {
		if (s[k] < '0' || s[k] > '9' ||
		    v > (UINT64_MAX - (uint64_t)(s[k] - '0')) / 10U)
			return false;
		v = v * 10U + (uint64_t)(s[k] - '0');
	}
	if (*neg && (v == 0 || v > (uint64_t)INT64_MAX))
		return false;
	*u = v;
	*i = *neg ? -(int64_t)v : 0;
	return true;
}

/* The value at k written with jsonout; false if it has a number jsonout
 * cannot write as it was. The index after it in *next. */
static bool
write_value(jsonout *j, const jl_token *t, size_t k, size_t *next)
{
	size_t child;
	uint64_t u;
	int64_t i;
	bool neg;

	switch (t[k].type) {
	case JL_OBJECT:
	case JL_ARRAY:
		if (t[k].type == JL_OBJECT)
			jsonout_object(j, t[k].name);
		else
			jsonout_array(j, t[k].name);
		for (child = k + 1; child < t[k].end;)
			if (!write_value(j, t, child, &child))
				return false;
		jsonout_close(j);
		break;
	case JL_STRING:
		jsonout_strn(j, t[k].name, t[k].value, t[k].len);
		break;
	case JL_NUMBER:
		if (!plain_integer(t[k].value, &u, &i, &neg))
			return false;
		if (neg)
			jsonout_int(j, t[k].name, i);
		else
			jsonout_uint(j, t[k].name, u);
		break;
	case JL_TRUE:
	case JL_FALSE:
		jsonout_bool(j, t[k].name, t[k].type == JL_TRUE);
		break;
	default:
		jsonout_null(j, t[k].name);
	}
	*next = t[k].end;
	return true;
}

static bool
same_text(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

int
fuzz_json(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	jl_error err;
	jsonout j;
	size_t n, n2, len, k, next;
	unsigned deepest = 0;

	if (size > TEXT_MAX)
		return 0;
	n = jsonline_read(text, size, &document, tok, NTOK, buf, sizeof(buf),
	    &err);
	if (n == 0) {
		FUZZ_CHECK(err.fault >= JL_SYNTAX && err.fault <= JL_DEPTH);
		FUZZ_CHECK(err.at <= size);
		FUZZ_CHECK(err.what[0] != '\0' &&
		    memchr(err.what, '\0', sizeof(err.what)) != NULL);
		/* The line reading is stricter: it refuses too. */
		FUZZ_CHECK(jsonline_read(text, size, &one_line, again, NTOK,
		    buf2, sizeof(buf2), &err) == 0);
		return 0;
	}
	FUZZ_CHECK(check_value(tok, 0, n, false, 0, &deepest) == n);

	n2 = jsonline_read(text, size, &one_line, again, NTOK, buf2,
	    sizeof(buf2), &err);
	FUZZ_CHECK(n2 == 0 || n2 == n);

	jsonout_init(&j, out, sizeof(out));
	if (!write_value(&j, tok, 0, &next))
		return 0;
	len = jsonout_finish(&j);
	/* The writer nests no deeper than it says, and refuses the rest. */
	if (deepest > JSONOUT_DEPTH_MAX) {
		FUZZ_CHECK(len == 0);
		return 0;
	}
	FUZZ_CHECK(len > 0);
	n2 = jsonline_read(out, len, &document, again, NTOK, buf2,
	    sizeof(buf2), &err);
	FUZZ_CHECK(n2 == n);
	for (k = 0; k < n; k++) {
		FUZZ_CHECK(again[k].type == tok[k].type);
		FUZZ_CHECK(same_text(again[k].name, tok[k].name));
		FUZZ_CHECK(again[k].len == tok[k].len &&
		    memcmp(again[k].value, tok[k].value, tok[k].len) == 0);
		FUZZ_CHECK(again[k].count == tok[k].count &&
		    again[k].end == tok[k].end);
	}
	return 0;
}

/*
 * test_jsonline.c - the one JSON reader. One flat JSON object per line:
 * every value kind, every escape, every refusal with its exact message,
 * the field limit, and jsonline_quote round trips (fixed cases and a
 * seeded random run). Any JSON text (jsonline_read): tokens of nested
 * values in order with their names, counts and ends, whole documents, the
 * bounds on depth and tokens, names repeated at any depth, and random
 * documents written by jsonout read back as written.
 *
 * Every parse gets a line, a buffer and tokens on the heap of exactly the
 * size promised (len bytes, no NUL after them; len + 1 bytes of buf), so a
 * read or write one byte too far is caught under AddressSanitizer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jsonline.h"
#include "jsonout.h"
#include "support.h"

static jl_object obj;
static char err[256];
static char *line_copy, *buf;
static jl_token *tok;
static jl_error jerr;

static void
release(void)
{
	free(line_copy);
	free(buf);
	free(tok);
	line_copy = NULL;
	buf = NULL;
	tok = NULL;
}

static int
teardown(void **state)
{
	(void)state;
	release();
	return 0;
}

/* Parses len bytes of s with a buffer of cap bytes; both exact on the heap. */
static int
parse_cap(const char *s, size_t len, size_t cap)
{
	release();
	line_copy = malloc(len > 0 ? len : 1);
	buf = malloc(cap > 0 ? cap : 1);
	assert_non_null(line_copy);
	assert_non_null(buf);
	memcpy(line_copy, s, len);
	memset(err, 'X', sizeof(err));
	err[sizeof(err) - 1] = '\0';
	return jsonline_parse(line_copy, len, buf, cap, &obj, err,
	    sizeof(err));
}

static int
parse_n(const char *s, size_t len)
{
	return parse_cap(s, len, len + 1);
}

static void
accept(const char *s, size_t nfields)
{
	if (parse_n(s, strlen(s)) != 0)
		fail_msg("refused '%s': %s", s, err);
	assert_int_equal(obj.n, nfields);
}

static void
refuse_n(const char *s, size_t len, const char *want)
{
	int rc = parse_n(s, len);

	if (rc == 0)
		fail_msg("accepted '%.*s'", (int)len, s);
	assert_int_equal(rc, -1);
	assert_string_equal(err, want);
	assert_int_equal(obj.n, 0);
}

static void
refuse(const char *s, const char *want)
{
	refuse_n(s, strlen(s), want);
}

static void
field_is(size_t k, const char *name, jl_type type, const char *value,
    size_t len)
{
	assert_true(k < obj.n);
	assert_string_equal(obj.f[k].name, name);
	assert_int_equal(obj.f[k].type, type);
	assert_int_equal(obj.f[k].len, len);
	assert_memory_equal(obj.f[k].value, value, len);
	assert_int_equal(obj.f[k].value[len], '\0');
}

/* The same for a NUL-terminated value. */
static void
field_str(size_t k, const char *name, jl_type type, const char *value)
{
	field_is(k, name, type, value, strlen(value));
}

/* ---- accepted --------------------------------------------------------- */

static void
test_value_kinds(void **state)
{
	(void)state;
	accept("{\"s\":\"text\",\"n\":-12.5e+3,\"t\":true,\"f\":false,"
	    "\"z\":null,\"i\":0,\"e\":\"\"}", 7);
	field_is(0, "s", JL_STRING, "text", 4);
	field_is(1, "n", JL_NUMBER, "-12.5e+3", 8);
	field_is(2, "t", JL_TRUE, "", 0);
	field_is(3, "f", JL_FALSE, "", 0);
	field_is(4, "z", JL_NULL, "", 0);
	field_is(5, "i", JL_NUMBER, "0", 1);
	field_is(6, "e", JL_STRING, "", 0);
	/* Names and values point into buf (or are ""), not into the line. */
	assert_true(obj.f[0].name >= buf && obj.f[0].name < buf + 64);
	assert_true(obj.f[1].value >= buf && obj.f[1].value < buf + 64);
}

static void
test_get(void **state)
{
	(void)state;
	accept("{\"order\":\"A-1\",\"seats\":5}", 2);
	assert_ptr_equal(jsonline_get(&obj, "seats"), &obj.f[1]);
	assert_string_equal(jsonline_get(&obj, "order")->value, "A-1");
	assert_null(jsonline_get(&obj, "Seats"));
	assert_null(jsonline_get(&obj, "seat"));
	assert_null(jsonline_get(&obj, ""));
	accept("{}", 0);
	assert_null(jsonline_get(&obj, "order"));
}

static void
test_empty_object_and_whitespace(void **state)
{
	(void)state;
	accept("{}", 0);
	accept(" { } ", 0);
	accept("\t{\t}\t", 0);
	accept("  {  \"a\"  :  1  ,\t\"b\"\t:\t\"x y\"\t}  ", 2);
	field_is(0, "a", JL_NUMBER, "1", 1);
	field_is(1, "b", JL_STRING, "x y", 3);
	accept("{\"\":\"empty name\"}", 1);
	field_is(0, "", JL_STRING, "empty name", 10);
}

static void
test_escapes(void **state)
{
	(void)state;
	accept("{\"e\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}", 1);
	field_is(0, "e", JL_STRING, "\"\\/\b\f\n\r\t", 8);
	accept("{\"u\":\"\\u0041\\u00e9\\u00E9\\u20AC\\u07ff\\uffff\"}", 1);
	field_str(0, "u", JL_STRING,
	    "A\xc3\xa9\xc3\xa9\xe2\x82\xac\xdf\xbf\xef\xbf\xbf");
	/* Surrogate pairs, either case, at both ends of the range. */
	accept("{\"p\":\"\\uD83D\\uDE00|\\ud83d\\ude00|\\uD800\\uDC00|"
	    "\\uDBFF\\uDFFF\"}", 1);
	field_str(0, "p", JL_STRING, "\xf0\x9f\x98\x80|\xf0\x9f\x98\x80|"
	    "\xf0\x90\x80\x80|\xf4\x8f\xbf\xbf");
	/* Escapes in names too; C1 and DEL may be escaped or raw. */
	accept("{\"n\\u0061me\":\"\\u0085\x7f\\u001f\"}", 1);
	field_is(0, "name", JL_STRING, "\xc2\x85\x7f\x1f", 4);
}

static void
test_utf8_passthrough(void **state)
{
	(void)state;
	accept("{\"caf\xc3\xa9\":\"\xe2\x82\xac \xf0\x9f\x98\x80 "
	    "\xe4\xb8\xad \xdf\xbf \xef\xbf\xbd \xf4\x8f\xbf\xbf\"}", 1);
	field_str(0, "caf\xc3\xa9", JL_STRING, "\xe2\x82\xac \xf0\x9f\x98\x80 "
	    "\xe4\xb8\xad \xdf\xbf \xef\xbf\xbd \xf4\x8f\xbf\xbf");
}

static void
test_numbers(void **state)
{
	static const char *const good[] = {
		"0", "-0", "1", "-1", "10", "1.5", "0.5", "-0.0", "1e5",
		"1E5", "1e+5", "1e-5", "-0.0e0", "2.5E-10",
		"123456789012345678901234567890", "16777214",
	};
	char line[128];
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(good) / sizeof(good[0]); k++) {
		snprintf(line, sizeof(line), "{\"n\":%s}", good[k]);
		accept(line, 1);
		field_is(0, "n", JL_NUMBER, good[k], strlen(good[k]));
		/* Followed by blanks or another field. */
		snprintf(line, sizeof(line), "{\"n\": %s ,\"m\":%s}", good[k],
		    good[k]);
		accept(line, 2);
		field_is(1, "m", JL_NUMBER, good[k], strlen(good[k]));
	}
}

/* ---- refused ---------------------------------------------------------- */

static void
test_not_an_object(void **state)
{
	(void)state;
	refuse("", "not a JSON object");
	refuse("   ", "not a JSON object");
	refuse("[]", "not a JSON object");
	refuse("[{\"a\":1}]", "not a JSON object");
	refuse("\"a\"", "not a JSON object");
	refuse("42", "not a JSON object");
	refuse("null", "not a JSON object");
	refuse("order,product,seats", "not a JSON object");
	refuse("\xef\xbb\xbf{}", "not a JSON object");
}

static void
test_nested(void **state)
{
	(void)state;
	refuse("{\"a\":{}}", "column 6: nested values are not supported");
	refuse("{\"a\":1,\"b\": [1,2]}", "column 13: nested values are not "
	    "supported");
}

static void
test_syntax(void **state)
{
	(void)state;
	refuse("{", "column 2: expected a name in double quotes, found the "
	    "end of the line");
	refuse("{\"a\"", "column 5: expected ':', found the end of the line");
	refuse("{\"a\":", "column 6: expected a value, found the end of the "
	    "line");
	refuse("{\"a\":1", "column 7: expected ',' or '}', found the end of "
	    "the line");
	refuse("{\"a\":1,", "column 8: expected a name in double quotes, "
	    "found the end of the line");
	refuse("{\"a\" 1}", "column 6: expected ':'");
	refuse("{\"a\":1 \"b\":2}", "column 8: expected ',' or '}'");
	refuse("{\"a\":1,}", "column 8: expected a name in double quotes");
	refuse("{,}", "column 2: expected a name in double quotes");
	refuse("{a:1}", "column 2: expected a name in double quotes");
	refuse("{'a':1}", "column 2: expected a name in double quotes");
	refuse("{\"a\":'x'}", "column 6: expected a value (a string needs "
	    "double quotes)");
	refuse("{\"a\":timetracker}", "column 6: expected a value (a string "
	    "needs double quotes)");
	refuse("{\"a\":tru}", "column 6: expected a value (a string needs "
	    "double quotes)");
	refuse("{\"a\":True}", "column 6: expected a value (a string needs "
	    "double quotes)");
	refuse("{\"a\":nul}", "column 6: expected a value (a string needs "
	    "double quotes)");
	refuse("{\"a\":truex}", "column 10: expected ',' or '}'");
	refuse("{\"a\":1}}", "column 8: text after the object");
	refuse("{\"a\":1} x", "column 9: text after the object");
	refuse("{}{}", "column 3: text after the object");
	refuse("{\"a\":\"x}", "column 6: string not closed before the end of "
	    "the line");
	refuse("{\"a", "column 2: string not closed before the end of the "
	    "line");
	/* The caller strips line ends; CR and LF are not whitespace here. */
	refuse("{\"a\":1}\r", "column 8: text after the object");
	refuse("\r{}", "not a JSON object");
	refuse("{\n}", "column 2: expected a name in double quotes");
	refuse("{\"a\":\r1}", "column 6: expected a value (a string needs "
	    "double quotes)");
	/* Other Unicode whitespace is not JSON whitespace. */
	refuse("{\xc2\xa0}", "column 2: expected a name in double quotes");
	refuse_n("{\"a\":1}\0", 8, "column 8: text after the object");
	refuse_n("{\0}", 3, "column 2: expected a name in double quotes");
}

static void
test_bad_numbers(void **state)
{
	(void)state;
	refuse("{\"n\":01}", "column 6: number with a leading zero");
	refuse("{\"n\":-01}", "column 6: number with a leading zero");
	refuse("{\"n\":00}", "column 6: number with a leading zero");
	refuse("{\"n\":1.}", "column 8: expected a digit after '.'");
	refuse("{\"n\":1.e5}", "column 8: expected a digit after '.'");
	refuse("{\"n\":1.5.}", "column 9: expected ',' or '}'");
	refuse("{\"n\":.5}", "column 6: expected a value (a string needs "
	    "double quotes)");
	refuse("{\"n\":-}", "column 7: expected a digit after '-'");
	refuse("{\"n\":-", "column 7: expected a digit after '-', found the "
	    "end of the line");
	refuse("{\"n\":--1}", "column 7: expected a digit after '-'");
	refuse("{\"n\":-.5}", "column 7: expected a digit after '-'");
	refuse("{\"n\":+1}", "column 6: expected a value (a string needs "
	    "double quotes)");
	refuse("{\"n\":1e}", "column 8: expected a digit in the exponent");
	refuse("{\"n\":1e+}", "column 9: expected a digit in the exponent");
	refuse("{\"n\":1E-x}", "column 9: expected a digit in the exponent");
	refuse("{\"n\":0x10}", "column 7: expected ',' or '}'");
	refuse("{\"n\":1 2}", "column 8: expected ',' or '}'");
	refuse("{\"n\":Infinity}", "column 6: expected a value (a string "
	    "needs double quotes)");
	refuse("{\"n\":NaN}", "column 6: expected a value (a string needs "
	    "double quotes)");
}

static void
test_bad_escapes(void **state)
{
	(void)state;
	refuse("{\"a\":\"\\x41\"}", "column 7: bad escape (one of \\\" \\\\ "
	    "\\/ \\b \\f \\n \\r \\t \\uXXXX expected)");
	refuse("{\"a\":\"\\a\"}", "column 7: bad escape (one of \\\" \\\\ "
	    "\\/ \\b \\f \\n \\r \\t \\uXXXX expected)");
	refuse("{\"a\":\"\\'\"}", "column 7: bad escape (one of \\\" \\\\ "
	    "\\/ \\b \\f \\n \\r \\t \\uXXXX expected)");
	refuse("{\"a\":\"\\U0041\"}", "column 7: bad escape (one of \\\" "
	    "\\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX expected)");
	refuse("{\"a\":\"\\u41\"}", "column 7: bad \\u escape (four hex "
	    "digits expected)");
	refuse("{\"a\":\"\\u004g\"}", "column 7: bad \\u escape (four hex "
	    "digits expected)");
	refuse("{\"a\":\"\\u00", "column 7: bad \\u escape (four hex digits "
	    "expected)");
	refuse("{\"a\":\"\\", "column 6: string not closed before the end of "
	    "the line");
	refuse("{\"a\":\"\\u0000\"}", "column 7: \\u0000 is not allowed");
	refuse("{\"\\u0000\":1}", "column 3: \\u0000 is not allowed");
}

static void
test_lone_surrogates(void **state)
{
	(void)state;
	refuse("{\"a\":\"\\uD83D\"}", "column 7: lone surrogate \\uD83D (a "
	    "high surrogate needs a low one after it)");
	refuse("{\"a\":\"\\uD83Dx\\uDE00\"}", "column 7: lone surrogate "
	    "\\uD83D (a high surrogate needs a low one after it)");
	refuse("{\"a\":\"\\uD83D\\u0041\"}", "column 7: lone surrogate "
	    "\\uD83D (a high surrogate needs a low one after it)");
	refuse("{\"a\":\"\\uD83D\\uD83D\"}", "column 7: lone surrogate "
	    "\\uD83D (a high surrogate needs a low one after it)");
	refuse("{\"a\":\"\\uD83D\\uDE0", "column 7: lone surrogate \\uD83D "
	    "(a high surrogate needs a low one after it)");
	refuse("{\"a\":\"\\uDE00\"}", "column 7: lone surrogate \\uDE00 (a "
	    "low surrogate needs a high one before it)");
	refuse("{\"a\":\"x\\udfff\"}", "column 8: lone surrogate \\uDFFF (a "
	    "low surrogate needs a high one before it)");
}

static void
test_control_characters(void **state)
{
	char line[32];
	int c;

	(void)state;
	for (c = 1; c < 0x20; c++) {
		snprintf(line, sizeof(line), "{\"a\":\"x%cy\"}", c);
		refuse(line, "column 8: control character in a string (escape "
		    "it)");
	}
	refuse_n("{\"a\":\"x\0y\"}", 11, "column 8: control character in a "
	    "string (escape it)");
	refuse("{\"a\tb\":1}", "column 4: control character in a string "
	    "(escape it)");
}

static void
test_invalid_utf8(void **state)
{
	static const char *const bad[] = {
		"\x80",			/* continuation byte first */
		"\xbf",
		"\xc0\x80",		/* overlong NUL */
		"\xc1\xbf",		/* overlong */
		"\xe0\x80\x80",		/* overlong */
		"\xe0\x9f\xbf",		/* overlong */
		"\xed\xa0\x80",		/* encoded surrogate U+D800 */
		"\xed\xbf\xbf",		/* encoded surrogate U+DFFF */
		"\xf0\x80\x80\x80",	/* overlong */
		"\xf0\x8f\xbf\xbf",	/* overlong */
		"\xf4\x90\x80\x80",	/* past U+10FFFF */
		"\xf5\x80\x80\x80",
		"\xf8\x88\x80\x80\x80",
		"\xfe",
		"\xff",
		"\xc3",			/* cut short */
		"\xe2\x82",
		"\xf0\x9f\x98",
		"\xc3\x28",		/* bad continuation */
		"\xe2\x28\xa1",
		"\xf0\x9f\x28\x80",
	};
	char line[32];
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		snprintf(line, sizeof(line), "{\"a\":\"x%s\"}", bad[k]);
		refuse(line, "column 8: invalid UTF-8");
		snprintf(line, sizeof(line), "{\"x%s\":1}", bad[k]);
		refuse(line, "column 4: invalid UTF-8");
	}
	/* Cut at the very end of the line, after the quote is gone. */
	refuse("{\"a\":\"\xe2\x82", "column 7: invalid UTF-8");
}

static void
test_duplicates(void **state)
{
	(void)state;
	refuse("{\"seats\":1,\"seats\":2}", "duplicate name \"seats\"");
	refuse("{\"seats\":1,\"seats\":\"1\"}", "duplicate name \"seats\"");
	refuse("{\"a\":null,\"b\":1,\"a\":null}", "duplicate name \"a\"");
	/* The same name spelt with an escape is the same name. */
	refuse("{\"a\":1,\"\\u0061\":2}", "duplicate name \"a\"");
	refuse("{\"\":1,\"\":2}", "duplicate name \"\"");
	/* Shown escaped: no raw control characters in a message. */
	refuse("{\"\\u001b[2J\":1,\"\\u001b[2J\":2}",
	    "duplicate name \"\\u001b[2J\"");
	/* Long names are cut, at a character boundary. */
	refuse("{\"0123456789012345678901234567890123456789\xc3\xa9z\":1,"
	    "\"0123456789012345678901234567890123456789\xc3\xa9z\":2}",
	    "duplicate name \"0123456789012345678901234567890123456789\"");
	/* Names differing in case are different. */
	accept("{\"seats\":1,\"Seats\":2}", 2);
}

static void
test_fields_max(void **state)
{
	char line[1024];
	size_t n = 0, k;

	(void)state;
	line[n++] = '{';
	for (k = 0; k < JSONLINE_FIELDS_MAX; k++)
		n += (size_t)snprintf(line + n, sizeof(line) - n,
		    "%s\"f%zu\":%zu", k > 0 ? "," : "", k, k);
	snprintf(line + n, sizeof(line) - n, "}");
	accept(line, JSONLINE_FIELDS_MAX);
	field_is(31, "f31", JL_NUMBER, "31", 2);
	snprintf(line + n, sizeof(line) - n, ",\"f32\":32}");
	refuse(line, "more than 32 fields");
	/* A duplicate among the first 32 is still a duplicate. */
	snprintf(line + n, sizeof(line) - n, ",\"f0\":32}");
	refuse(line, "duplicate name \"f0\"");
}

/* Every string of the worst shapes fits in exactly len + 1 bytes. */
static void
test_buffer(void **state)
{
	static const struct {
		const char *line;
		size_t n;
	} lines[] = {
		{ "{\"a\":1,\"b\":2,\"c\":3,\"d\":4}", 4 },
		{ "{\"a\":1,\"b\":-0,\"c\":true,\"d\":null}", 4 },
		{ "{\"\":\"\",\"x\":\"\"}", 2 },
		{ "{\"a\":-1.5e-7}", 1 },
		{ "{\"a\":\"\\u00e9\\uD83D\\uDE00\"}", 1 },
	};
	const char *s = "{\"aaaa\":\"bbbb\"}";
	size_t k, len = strlen(s);

	(void)state;
	for (k = 0; k < sizeof(lines) / sizeof(lines[0]); k++)
		accept(lines[k].line, lines[k].n);
	/* "aaaa\0bbbb\0" needs 10 bytes; 9 is too few. */
	assert_int_equal(parse_cap(s, len, 10), 0);
	field_is(0, "aaaa", JL_STRING, "bbbb", 4);
	assert_int_equal(parse_cap(s, len, 9), -1);
	assert_string_equal(err, "column 14: no room for the value (buffer "
	    "of 9 bytes too small)");
	assert_int_equal(obj.n, 0);
	assert_int_equal(parse_cap(s, len, 0), -1);
	assert_int_equal(obj.n, 0);
}

static void
test_error_args(void **state)
{
	char small[8];

	(void)state;
	assert_int_equal(jsonline_parse("[", 1, small, sizeof(small), &obj,
	    NULL, 0), -1);
	memset(small, 'X', sizeof(small));
	assert_int_equal(jsonline_parse("x", 1, (char [2]){ 0 }, 2, &obj,
	    small, 5), -1);
	assert_string_equal(small, "not ");
	assert_int_equal(small[5], 'X');
}

/* ---- jsonline_quote --------------------------------------------------- */

/*
 * jsonline_quote is the writer's escaping (test_jsonout holds the table of
 * what each byte becomes): the same bytes as jsonout_strn, and "" with 0
 * where the writer refuses.
 */
static void
quote_is_writers(const char *s, size_t len)
{
	char out[256], want[256];
	jsonout j;
	size_t n, wn;

	memset(out, 'X', sizeof(out));
	jsonout_init(&j, want, sizeof(want));
	jsonout_strn(&j, NULL, s, len);
	wn = jsonout_finish(&j);
	n = jsonline_quote(s, len, out, sizeof(out));
	assert_int_equal(n, wn);
	if (wn == 0)
		assert_string_equal(out, "");
	else
		assert_string_equal(out, want);
}

/* quote, wrap in an object, parse: the same bytes come back. */
static void
round_trip(const char *s, size_t len)
{
	char q[1024], line[1100];
	size_t n;
	int m;

	n = jsonline_quote(s, len, q, sizeof(q));
	assert_true(n >= 2);
	assert_int_equal(strlen(q), n);
	m = snprintf(line, sizeof(line), "{\"k\":%s}", q);
	assert_true(m > 0 && (size_t)m < sizeof(line));
	if (parse_n(line, (size_t)m) != 0)
		fail_msg("%s: %s", line, err);
	field_is(0, "k", JL_STRING, s, len);
	/* As a name too. */
	m = snprintf(line, sizeof(line), "{%s:null}", q);
	assert_true(m > 0 && (size_t)m < sizeof(line));
	if (parse_n(line, (size_t)m) != 0)
		fail_msg("%s: %s", line, err);
	assert_int_equal(strlen(obj.f[0].name), len);
	assert_memory_equal(obj.f[0].name, s, len);
}

static void
test_quote(void **state)
{
	static const struct {
		const char *s;
		size_t len;
	} cases[] = {
		{ "", 0 }, { "plain", 5 }, { "a\"b\\c/", 6 },
		{ "\n\r\t\b\f", 5 }, { "\x01\x1b\x1f\x7f", 4 },
		{ "\xc2\x80\xc2\x85\xc2\x9f\xc2\xa0", 8 },
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14 },
		{ "a\0b", 3 },
		/* Not UTF-8: refused, not passed on to make a line nobody
		 * can read. */
		{ "\xff", 1 }, { "ok\xc3", 3 }, { "\xed\xa0\x80", 3 },
		{ "\xc0\x80", 2 },
	};
	char out[16];
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
		quote_is_writers(cases[k].s, cases[k].len);
	/* And the refusals are refusals, not empty strings. */
	assert_int_equal(jsonline_quote("\xff", 1, out, sizeof(out)), 0);
	assert_string_equal(out, "");
}

static void
test_quote_round_trip(void **state)
{
	static const char *const cases[] = {
		"", "Acme, Inc.", "\"quoted\" \\ back/slash",
		"tab\there\nnew line\r\b\f", "\x01\x02\x1b[31m\x7f",
		"\xc2\x85\xc2\x9f\xc2\xa0 caf\xc3\xa9 \xe2\x82\xac \xf0\x9f"
		"\x98\x80 \xf4\x8f\xbf\xbf \xef\xbf\xbf",
	};
	char s[256];
	test_rng rng;
	size_t k, n, i, len;
	uint32_t cp;

	(void)state;
	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
		round_trip(cases[k], strlen(cases[k]));

	/* Random scalar values (no NUL, no surrogates) of every length. */
	rng_init(&rng, test_seed());
	for (k = 0; k < 2000; k++) {
		n = rng_below(&rng, 40);
		len = 0;
		for (i = 0; i < n; i++) {
			switch (rng_below(&rng, 4)) {
			case 0:
				cp = (uint32_t)rng_below(&rng, 0x80);
				break;
			case 1:
				cp = (uint32_t)rng_below(&rng, 0x800);
				break;
			case 2:
				cp = (uint32_t)rng_below(&rng, 0x10000);
				break;
			default:
				cp = (uint32_t)rng_below(&rng, 0x110000);
			}
			if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff))
				cp = 'x';
			if (cp < 0x80) {
				s[len++] = (char)cp;
			} else if (cp < 0x800) {
				s[len++] = (char)(0xc0 | cp >> 6);
				s[len++] = (char)(0x80 | (cp & 0x3f));
			} else if (cp < 0x10000) {
				s[len++] = (char)(0xe0 | cp >> 12);
				s[len++] = (char)(0x80 | (cp >> 6 & 0x3f));
				s[len++] = (char)(0x80 | (cp & 0x3f));
			} else {
				s[len++] = (char)(0xf0 | cp >> 18);
				s[len++] = (char)(0x80 | (cp >> 12 & 0x3f));
				s[len++] = (char)(0x80 | (cp >> 6 & 0x3f));
				s[len++] = (char)(0x80 | (cp & 0x3f));
			}
		}
		round_trip(s, len);
	}
}

static void
test_quote_cap(void **state)
{
	char *out;
	size_t cap;

	(void)state;
	/* "a\nb" -> "\"a\\nb\"": 6 bytes and the NUL. */
	for (cap = 0; cap <= 8; cap++) {
		out = malloc(cap > 0 ? cap : 1);
		assert_non_null(out);
		memset(out, 'X', cap > 0 ? cap : 1);
		if (cap >= 7) {
			assert_int_equal(jsonline_quote("a\nb", 3, out, cap),
			    6);
			assert_string_equal(out, "\"a\\nb\"");
		} else {
			assert_int_equal(jsonline_quote("a\nb", 3, out, cap),
			    0);
			if (cap > 0)
				assert_int_equal(out[0], '\0');
			else
				assert_int_equal(out[0], 'X');
		}
		free(out);
	}
	out = malloc(3);
	assert_non_null(out);
	assert_int_equal(jsonline_quote("", 0, out, 3), 2);
	assert_string_equal(out, "\"\"");
	assert_int_equal(jsonline_quote("", 0, out, 2), 0);
	/* A multi-byte character is never cut. */
	assert_int_equal(jsonline_quote("\xe2\x82\xac", 3, out, 3), 0);
	free(out);
}

/* ---- jsonline_read: any JSON text ------------------------------------- */

static const jl_rules doc = { 64, false };
static const jl_rules one_line = { 64, true };

/* Reads len bytes of s with ntok tokens and len + 1 bytes of buf, all
 * exact on the heap. */
static size_t
read_n(const char *s, size_t len, const jl_rules *rules, size_t ntok)
{
	release();
	line_copy = malloc(len > 0 ? len : 1);
	buf = malloc(len + 1);
	tok = malloc(ntok > 0 ? ntok * sizeof(*tok) : 1);
	assert_non_null(line_copy);
	assert_non_null(buf);
	assert_non_null(tok);
	memcpy(line_copy, s, len);
	memset(&jerr, 'X', sizeof(jerr));
	return jsonline_read(line_copy, len, rules, tok, ntok, buf, len + 1,
	    &jerr);
}

/* s read as a document, with as many tokens as any text of its length
 * can need: n tokens. */
static void
reads(const char *s, size_t n)
{
	size_t len = strlen(s), got;

	got = read_n(s, len, &doc, (len + 1) / 2);
	if (got == 0)
		fail_msg("refused '%s': byte %zu: %s", s, jerr.at, jerr.what);
	assert_int_equal(got, n);
}

static void
read_refused(const char *s, const jl_rules *rules, jl_fault fault,
    size_t at, const char *what)
{
	size_t len = strlen(s);

	if (read_n(s, len, rules, len + 1) != 0)
		fail_msg("accepted '%s'", s);
	assert_int_equal(jerr.fault, fault);
	assert_int_equal(jerr.at, at);
	assert_string_equal(jerr.what, what);
}

static void
token_is(size_t k, int type, const char *name, const char *value,
    size_t count, size_t end)
{
	if (name == NULL)
		assert_null(tok[k].name);
	else
		assert_string_equal(tok[k].name, name);
	assert_int_equal(tok[k].type, type);
	assert_string_equal(tok[k].value, value);
	assert_int_equal(tok[k].len, strlen(value));
	assert_int_equal(tok[k].count, count);
	assert_int_equal(tok[k].end, end);
}

static void
test_read_nested(void **state)
{
	(void)state;
	reads("{\"a\":[1,{\"b\":null,\"c\":\"x\\u00e9\"},[]],\"d\":{},"
	    "\"e\":true}", 9);
	token_is(0, JL_OBJECT, NULL, "", 3, 9);
	token_is(1, JL_ARRAY, "a", "", 3, 7);
	token_is(2, JL_NUMBER, NULL, "1", 0, 3);
	token_is(3, JL_OBJECT, NULL, "", 2, 6);
	token_is(4, JL_NULL, "b", "", 0, 5);
	token_is(5, JL_STRING, "c", "x\xc3\xa9", 0, 6);
	token_is(6, JL_ARRAY, NULL, "", 0, 7);
	token_is(7, JL_OBJECT, "d", "", 0, 8);
	token_is(8, JL_TRUE, "e", "", 0, 9);
	/* Any value at the top. */
	reads("-1.5e3", 1);
	token_is(0, JL_NUMBER, NULL, "-1.5e3", 0, 1);
	reads("\"\"", 1);
	token_is(0, JL_STRING, NULL, "", 0, 1);
	reads("false", 1);
	token_is(0, JL_FALSE, NULL, "", 0, 1);
	reads("[]", 1);
	token_is(0, JL_ARRAY, NULL, "", 0, 1);
	reads("[[[]],[{}]]", 5);
	token_is(1, JL_ARRAY, NULL, "", 1, 3);
	token_is(3, JL_ARRAY, NULL, "", 1, 5);
	token_is(4, JL_OBJECT, NULL, "", 0, 5);
}

/* A document may span lines; a line may not. */
static void
test_read_whitespace(void **state)
{
	static const char text[] = "\r\n{\n\t\"a\" :\r\n [ 1 ,\n2 ]\n}\n";

	(void)state;
	reads(text, 4);
	token_is(1, JL_ARRAY, "a", "", 2, 4);
	read_refused(text, &one_line, JL_SYNTAX, 0, "expected a value (a "
	    "string needs double quotes)");
	read_refused("[1,\n2]", &one_line, JL_SYNTAX, 3, "expected a value "
	    "(a string needs double quotes)");
	assert_int_equal(read_n("[1, 2]", 6, &one_line, 3), 3);
}

static void
test_read_refused(void **state)
{
	(void)state;
	read_refused("", &doc, JL_SYNTAX, 0, "expected a value, found the "
	    "end of the text");
	read_refused("", &one_line, JL_SYNTAX, 0, "expected a value, found "
	    "the end of the line");
	read_refused("[1] 2", &doc, JL_SYNTAX, 4, "text after the array");
	read_refused("1 2", &doc, JL_SYNTAX, 2, "text after the value");
	read_refused("{}\n}", &doc, JL_SYNTAX, 3, "text after the object");
	read_refused("[1,]", &doc, JL_SYNTAX, 3, "expected a value (a string "
	    "needs double quotes)");
	read_refused("[1", &doc, JL_SYNTAX, 2, "expected ',' or ']', found "
	    "the end of the text");
	read_refused("[1}", &doc, JL_SYNTAX, 2, "expected ',' or ']'");
	read_refused("{\"a\":[}", &doc, JL_SYNTAX, 6, "expected a value (a "
	    "string needs double quotes)");
	read_refused("[\"x", &doc, JL_SYNTAX, 1, "string not closed before "
	    "the end of the text");
	read_refused("{\"a\":[1,\n 2,\n x]}", &doc, JL_SYNTAX, 14,
	    "expected a value (a string needs double quotes)");
	read_refused("[[\"\\u0000\"]]", &doc, JL_SYNTAX, 3, "\\u0000 is not "
	    "allowed");
	read_refused("[\"\xc0\x80\"]", &doc, JL_SYNTAX, 2, "invalid UTF-8");
	read_refused("[01]", &doc, JL_SYNTAX, 1, "number with a leading "
	    "zero");
}

/* Names repeated in one object are refused at any depth; the same name in
 * two objects is not a repetition. */
static void
test_read_duplicates(void **state)
{
	(void)state;
	read_refused("{\"a\":{\"a\":1},\"b\":[{\"a\":1,\"a\":2}]}", &doc,
	    JL_DUPLICATE, 25, "duplicate name \"a\"");
	/* After a nested value: the members before are hopped by their end. */
	read_refused("{\"a\":{\"x\":[1,2],\"y\":{\"a\":0}},\"a\":2}", &doc,
	    JL_DUPLICATE, 29, "duplicate name \"a\"");
	reads("[{\"a\":1},{\"a\":2,\"b\":{\"a\":3,\"b\":4}}]", 8);
}

static void
test_read_depth(void **state)
{
	static const jl_rules three = { 3, false };
	char text[256];
	size_t d, k;

	(void)state;
	reads("[[[]]]", 3);
	assert_int_equal(read_n("[[[]]]", 6, &three, 3), 3);
	read_refused("[[[[]]]]", &three, JL_DEPTH, 3, "nested more than 3 "
	    "deep");
	read_refused("{\"a\":[{\"b\":{}}]}", &three, JL_DEPTH, 11, "nested "
	    "more than 3 deep");
	/* Flat: an object or array holds no other. */
	read_refused("[1,[2]]", &(jl_rules){ 1, true }, JL_DEPTH, 3,
	    "nested more than 1 deep");
	/* Depth 64 is read, 65 is not. */
	for (d = 64; d <= 65; d++) {
		for (k = 0; k < d; k++) {
			text[k] = '[';
			text[2 * d - 1 - k] = ']';
		}
		text[2 * d] = '\0';
		if (d == 64)
			reads(text, 64);
		else
			read_refused(text, &doc, JL_DEPTH, 64, "nested more "
			    "than 64 deep");
	}
}

/* A fault names the member of the outermost object it is in, if any. */
static void
test_read_member(void **state)
{
	static const jl_rules two = { 2, true };

	(void)state;
	read_refused("{\"a\":1,\"features\":[\"x\" \"y\"]}", &two, JL_SYNTAX,
	    23, "expected ',' or ']'");
	assert_string_equal(jerr.member, "features");
	read_refused("{\"m\":{\"p\":[1]}}", &two, JL_DEPTH, 10,
	    "nested more than 2 deep");
	assert_string_equal(jerr.member, "m");
	read_refused("{\"m\":{\"p\":1,\"p\":2}}", &two, JL_DUPLICATE, 12,
	    "duplicate name \"p\"");
	assert_string_equal(jerr.member, "m");
	/* Between members, in a name, or at the top: no member. */
	read_refused("{\"a\":1,\"a\":2}", &two, JL_DUPLICATE, 7,
	    "duplicate name \"a\"");
	assert_null(jerr.member);
	read_refused("{\"a\":1 \"b\":2}", &two, JL_SYNTAX, 7,
	    "expected ',' or '}'");
	assert_null(jerr.member);
	read_refused("[1,[2,[3]]]", &two, JL_DEPTH, 6, "nested more than 2 "
	    "deep");
	assert_null(jerr.member);
}

/* Exactly the tokens needed are enough; one fewer is a fault of its own. */
static void
test_read_tokens(void **state)
{
	static const char *const texts[] = {
		"1", "[]", "[1]", "[1,2,3]", "[[],[],[]]", "[{},{}]",
		"{\"a\":1,\"b\":[2]}", "\"s\"",
	};
	static const size_t need[] = { 1, 1, 2, 4, 4, 3, 4, 1 };
	size_t k, len;

	(void)state;
	for (k = 0; k < sizeof(texts) / sizeof(texts[0]); k++) {
		len = strlen(texts[k]);
		assert_int_equal(read_n(texts[k], len, &doc, need[k]),
		    need[k]);
		/* The bound of the header holds, and is reached. */
		assert_true(need[k] <= (len + 1) / 2);
		assert_int_equal(read_n(texts[k], len, &doc, need[k] - 1), 0);
		assert_int_equal(jerr.fault, JL_TOKENS);
	}
	assert_int_equal(read_n("[1,1,1,1]", 9, &doc, 5), 5);
}

/* A random value of at most `depth` levels, written by jsonout; want[] gets
 * each token's type, name and (for scalars) value, in document order. */
struct expect {
	int type;
	char name[24];
	char value[64];
};

static size_t
random_value(test_rng *rng, jsonout *j, const char *name, unsigned depth,
    struct expect *want, size_t n, size_t max)
{
	size_t k, m, at = n;
	char sub[24];
	uint64_t mag;
	int64_t num;

	if (n == max)
		return n;
	want[n].type = (int)rng_below(rng, depth > 0 ? 7 : 5);
	snprintf(want[n].name, sizeof(want[n].name), "%s",
	    name != NULL ? name : "");
	want[n].value[0] = '\0';
	n++;
	switch (want[at].type) {
	case JL_STRING:
		for (k = 0, m = rng_below(rng, 20); k < m; k++)
			want[at].value[k] = (char)(1 + rng_below(rng, 0x7f));
		want[at].value[m] = '\0';
		jsonout_str(j, name, want[at].value);
		break;
	case JL_NUMBER:
		mag = rng_next(rng) >> (1 + rng_below(rng, 63));
		num = rng_below(rng, 2) ? -(int64_t)mag : (int64_t)mag;
		snprintf(want[at].value, sizeof(want[at].value), "%lld",
		    (long long)num);
		jsonout_int(j, name, num);
		break;
	case JL_TRUE:
	case JL_FALSE:
		jsonout_bool(j, name, want[at].type == JL_TRUE);
		break;
	case JL_NULL:
		jsonout_null(j, name);
		break;
	default:
		if (want[at].type == JL_OBJECT)
			jsonout_object(j, name);
		else
			jsonout_array(j, name);
		for (k = 0, m = rng_below(rng, 8); k < m; k++) {
			snprintf(sub, sizeof(sub), "k%zu", k);
			n = random_value(rng, j, want[at].type == JL_OBJECT ?
			    sub : NULL, depth - 1, want, n, max);
		}
		jsonout_close(j);
	}
	return n;
}

/* What the one writer writes, the one reader reads back as written. */
static void
test_read_what_jsonout_writes(void **state)
{
	static struct expect want[256];
	static char text[16384];
	test_rng rng;
	size_t round, n, len, k;
	jsonout j;

	(void)state;
	rng_init(&rng, test_seed());
	for (round = 0; round < 2000; round++) {
		jsonout_init(&j, text, sizeof(text));
		n = random_value(&rng, &j, NULL,
		    (unsigned)(1 + rng_below(&rng, 5)), want, 0,
		    sizeof(want) / sizeof(want[0]));
		len = jsonout_finish(&j);
		if (len == 0 || n == sizeof(want) / sizeof(want[0]))
			continue;	/* too big for this test: try another */
		assert_int_equal(read_n(text, len, &doc, (len + 1) / 2), n);
		for (k = 0; k < n; k++) {
			assert_int_equal(tok[k].type, want[k].type);
			assert_string_equal(tok[k].name != NULL ?
			    tok[k].name : "", want[k].name);
			assert_string_equal(tok[k].value, want[k].value);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_value_kinds, teardown),
		cmocka_unit_test_teardown(test_get, teardown),
		cmocka_unit_test_teardown(test_empty_object_and_whitespace,
		    teardown),
		cmocka_unit_test_teardown(test_escapes, teardown),
		cmocka_unit_test_teardown(test_utf8_passthrough, teardown),
		cmocka_unit_test_teardown(test_numbers, teardown),
		cmocka_unit_test_teardown(test_not_an_object, teardown),
		cmocka_unit_test_teardown(test_nested, teardown),
		cmocka_unit_test_teardown(test_syntax, teardown),
		cmocka_unit_test_teardown(test_bad_numbers, teardown),
		cmocka_unit_test_teardown(test_bad_escapes, teardown),
		cmocka_unit_test_teardown(test_lone_surrogates, teardown),
		cmocka_unit_test_teardown(test_control_characters, teardown),
		cmocka_unit_test_teardown(test_invalid_utf8, teardown),
		cmocka_unit_test_teardown(test_duplicates, teardown),
		cmocka_unit_test_teardown(test_fields_max, teardown),
		cmocka_unit_test_teardown(test_buffer, teardown),
		cmocka_unit_test_teardown(test_error_args, teardown),
		cmocka_unit_test_teardown(test_quote, teardown),
		cmocka_unit_test_teardown(test_quote_round_trip, teardown),
		cmocka_unit_test_teardown(test_quote_cap, teardown),
		cmocka_unit_test_teardown(test_read_nested, teardown),
		cmocka_unit_test_teardown(test_read_whitespace, teardown),
		cmocka_unit_test_teardown(test_read_refused, teardown),
		cmocka_unit_test_teardown(test_read_duplicates, teardown),
		cmocka_unit_test_teardown(test_read_depth, teardown),
		cmocka_unit_test_teardown(test_read_member, teardown),
		cmocka_unit_test_teardown(test_read_tokens, teardown),
		cmocka_unit_test_teardown(test_read_what_jsonout_writes,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

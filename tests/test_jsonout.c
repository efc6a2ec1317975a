/*
 * test_jsonout.c - the JSON writer (common/jsonout.c): exact bytes for
 * every kind of value, nested objects and arrays with their commas, every
 * buffer size around the needed one, text that is not UTF-8 told apart
 * from a buffer too small, misuse of names and nesting, and a round trip
 * through the tests' own JSON reader.
 *
 * Buffers that must be too small are on the heap at exactly their size,
 * so that a write one byte too far is caught under AddressSanitizer.
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

#include "json.h"
#include "jsonout.h"

/* The object of test_nested, and what it must read. */
static const char nested_want[] =
    "{\"status\":\"valid\",\"seats\":25,\"left\":-3,\"trial\":false,"
    "\"host\":null,\"starts\":\"1970-01-01\",\"expires\":\"never\","
    "\"features\":[\"payroll\",[],{}],\"store\":{\"pending\":[{\"serial\":"
    "7}],\"history\":2}}";

static void
write_nested(jsonout *j)
{
	jsonout_object(j, NULL);
	jsonout_str(j, "status", "valid");
	jsonout_uint(j, "seats", 25);
	jsonout_int(j, "left", -3);
	jsonout_bool(j, "trial", false);
	jsonout_null(j, "host");
	jsonout_day(j, "starts", 0);
	jsonout_day(j, "expires", LKEY_NEVER);
	jsonout_array(j, "features");
	jsonout_str(j, NULL, "payroll");
	jsonout_array(j, NULL);
	jsonout_close(j);
	jsonout_object(j, NULL);
	jsonout_close(j);
	jsonout_close(j);
	jsonout_object(j, "store");
	jsonout_array(j, "pending");
	jsonout_object(j, NULL);
	jsonout_uint(j, "serial", 7);
	jsonout_close(j);
	jsonout_close(j);
	jsonout_uint(j, "history", 2);
	jsonout_close(j);
	jsonout_close(j);
}

static void
test_nested(void **state)
{
	char buf[512];
	jsonout j;

	(void)state;
	jsonout_init(&j, buf, sizeof(buf));
	write_nested(&j);
	assert_int_equal(jsonout_finish(&j), strlen(nested_want));
	assert_int_equal(j.err, 0);
	assert_string_equal(buf, nested_want);
}

/* Every cap from 0 to one past the need: all or nothing, never a byte more. */
static void
test_every_size(void **state)
{
	size_t need = strlen(nested_want) + 1, cap;
	jsonout j;
	char *buf;

	(void)state;
	for (cap = 0; cap <= need + 1; cap++) {
		buf = malloc(cap > 0 ? cap : 1);
		assert_non_null(buf);
		memset(buf, 'X', cap > 0 ? cap : 1);
		jsonout_init(&j, buf, cap);
		write_nested(&j);
		if (cap >= need) {
			assert_int_equal(jsonout_finish(&j), need - 1);
			assert_string_equal(buf, nested_want);
		} else {
			assert_int_equal(jsonout_finish(&j), 0);
			assert_int_equal(j.err, JSONOUT_ERR_ROOM);
			if (cap > 0)
				assert_int_equal(buf[0], '\0');
			else
				assert_int_equal(buf[0], 'X');
		}
		free(buf);
	}
}

static void
string_is(const char *s, size_t len, const char *want)
{
	char buf[256];
	jsonout j;

	jsonout_init(&j, buf, sizeof(buf));
	jsonout_strn(&j, NULL, s, len);
	assert_int_equal(jsonout_finish(&j), strlen(want));
	assert_string_equal(buf, want);
}

static void
test_escapes(void **state)
{
	(void)state;
	string_is("", 0, "\"\"");
	string_is("plain", 5, "\"plain\"");
	string_is("a\"b\\c/", 6, "\"a\\\"b\\\\c/\"");
	string_is("\n\r\t\b\f", 5, "\"\\n\\r\\t\\b\\f\"");
	string_is("\x01\x1b\x1f\x7f", 4, "\"\\u0001\\u001b\\u001f\\u007f\"");
	string_is("\xc2\x80\xc2\x85\xc2\x9f\xc2\xa0", 8,
	    "\"\\u0080\\u0085\\u009f\xc2\xa0\"");
	string_is("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14,
	    "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
	string_is("a\0b", 3, "\"a\\u0000b\"");
}

/* Text that is not UTF-8 is its own failure, even in a buffer too small. */
static void
test_not_utf8(void **state)
{
	static const char *const bad[] = {
		"\xff", "ok\xc3", "\xed\xa0\x80", "\xc0\x80",
		"\xf4\x90\x80\x80",
	};
	char buf[64], small[4];
	size_t k;
	jsonout j;

	(void)state;
	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		jsonout_init(&j, buf, sizeof(buf));
		jsonout_object(&j, NULL);
		jsonout_str(&j, "v", bad[k]);
		jsonout_close(&j);
		assert_int_equal(jsonout_finish(&j), 0);
		assert_int_equal(j.err, JSONOUT_ERR_TEXT);
		assert_string_equal(buf, "");

		jsonout_init(&j, buf, sizeof(buf));
		jsonout_object(&j, NULL);
		jsonout_null(&j, bad[k]);
		jsonout_close(&j);
		assert_int_equal(jsonout_finish(&j), 0);
		assert_int_equal(j.err, JSONOUT_ERR_TEXT);

		jsonout_init(&j, small, sizeof(small));
		jsonout_object(&j, NULL);
		jsonout_str(&j, "a long name", "x");
		jsonout_str(&j, "v", bad[k]);
		jsonout_close(&j);
		assert_int_equal(jsonout_finish(&j), 0);
		assert_int_equal(j.err, JSONOUT_ERR_ROOM | JSONOUT_ERR_TEXT);
	}
}

static void
nest_fails(void (*write)(jsonout *))
{
	char buf[256];
	jsonout j;

	jsonout_init(&j, buf, sizeof(buf));
	write(&j);
	assert_int_equal(jsonout_finish(&j), 0);
	assert_true((j.err & JSONOUT_ERR_NEST) != 0);
	assert_string_equal(buf, "");
}

static void
unnamed_in_object(jsonout *j)
{
	jsonout_object(j, NULL);
	jsonout_uint(j, NULL, 1);
	jsonout_close(j);
}

static void
named_in_array(jsonout *j)
{
	jsonout_array(j, NULL);
	jsonout_uint(j, "n", 1);
	jsonout_close(j);
}

static void
named_at_top(jsonout *j)
{
	jsonout_uint(j, "n", 1);
}

static void
two_at_top(jsonout *j)
{
	jsonout_uint(j, NULL, 1);
	jsonout_uint(j, NULL, 2);
}

static void
closed_twice(jsonout *j)
{
	jsonout_object(j, NULL);
	jsonout_close(j);
	jsonout_close(j);
}

static void
left_open(jsonout *j)
{
	jsonout_object(j, NULL);
	jsonout_array(j, "a");
}

static void
too_deep(jsonout *j)
{
	int k;

	for (k = 0; k <= JSONOUT_DEPTH_MAX; k++)
		jsonout_array(j, NULL);
	for (k = 0; k <= JSONOUT_DEPTH_MAX; k++)
		jsonout_close(j);
}

static void
test_nesting(void **state)
{
	char buf[64];
	jsonout j;
	int k;

	(void)state;
	nest_fails(unnamed_in_object);
	nest_fails(named_in_array);
	nest_fails(named_at_top);
	nest_fails(two_at_top);
	nest_fails(closed_twice);
	nest_fails(left_open);
	nest_fails(too_deep);
	/* As deep as allowed. */
	jsonout_init(&j, buf, sizeof(buf));
	for (k = 0; k < JSONOUT_DEPTH_MAX; k++)
		jsonout_array(&j, NULL);
	for (k = 0; k < JSONOUT_DEPTH_MAX; k++)
		jsonout_close(&j);
	assert_int_equal(jsonout_finish(&j), 2 * JSONOUT_DEPTH_MAX);
}

static void
test_numbers_and_days(void **state)
{
	char buf[256];
	jsonout j;

	(void)state;
	jsonout_init(&j, buf, sizeof(buf));
	jsonout_array(&j, NULL);
	jsonout_uint(&j, NULL, 0);
	jsonout_uint(&j, NULL, UINT64_MAX);
	jsonout_int(&j, NULL, INT64_MIN);
	jsonout_int(&j, NULL, INT64_MAX);
	jsonout_day(&j, NULL, LKEY_DAY_MAX);
	jsonout_day(&j, NULL, 20819);
	jsonout_bool(&j, NULL, true);
	jsonout_close(&j);
	assert_true(jsonout_finish(&j) > 0);
	assert_string_equal(buf, "[0,18446744073709551615,"
	    "-9223372036854775808,9223372036854775807,\"2149-06-05\","
	    "\"2027-01-01\",true]");
}

/* What jsonout writes, a JSON reader reads back as written. */
static void
test_round_trip(void **state)
{
	char buf[512];
	json_doc *d;
	size_t root, arr;
	jsonout j;

	(void)state;
	jsonout_init(&j, buf, sizeof(buf));
	jsonout_object(&j, NULL);
	jsonout_str(&j, "quote \"\\", "tab\there\nline");
	jsonout_uint(&j, "n", 42);
	jsonout_array(&j, "a");
	jsonout_bool(&j, NULL, true);
	jsonout_null(&j, NULL);
	jsonout_close(&j);
	jsonout_close(&j);
	assert_true(jsonout_finish(&j) > 0);
	d = json_parse(buf, strlen(buf), "jsonout");
	root = json_root(d);
	assert_string_equal(json_get_string(d, root, "quote \"\\"),
	    "tab\there\nline");
	assert_int_equal(json_get_int(d, root, "n"), 42);
	arr = json_get_array(d, root, "a");
	assert_int_equal(json_count(d, arr), 2);
	assert_int_equal(json_type_of(d, json_at(d, arr, 0)), JSON_TRUE);
	assert_int_equal(json_type_of(d, json_at(d, arr, 1)), JSON_NULL);
	json_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_every_size),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_not_utf8),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_numbers_and_days),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

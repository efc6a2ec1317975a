/*
 * test_date.c - whole UTC days since 1970-01-01 (include/lkey.h)
 *
 * Expected values come from fixed anchors (2000-01-01 is day 10957,
 * 2027-12-31 is day 21183, 9999-12-31 is day 2932896) and from a calendar
 * stepped one day at a time here, not from the closed form under test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lkey.h"

#define DAY_2000_01_01 10957U
#define DAY_2027_12_31 21183U
#define DAY_9999_12_31 2932896U

static int
leap(int y)
{
	if (y % 400 == 0)
		return 1;
	if (y % 100 == 0)
		return 0;
	return y % 4 == 0;
}

static int
mdays(int y, int m)
{
	static const int len[13] = { 0, 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };

	return m == 2 ? 28 + leap(y) : len[m];
}

static void
expect_day(int y, int m, int d, lkey_day want)
{
	lkey_day got = 12345;

	if (!lkey_day_from_ymd(y, m, d, &got))
		fail_msg("%04d-%02d-%02d refused", y, m, d);
	if (got != want)
		fail_msg("%04d-%02d-%02d is day %u, expected %u", y, m, d,
		    (unsigned)got, (unsigned)want);
}

static void
expect_no_day(int y, int m, int d)
{
	lkey_day got;

	if (lkey_day_from_ymd(y, m, d, &got))
		fail_msg("%d-%d-%d accepted as day %u", y, m, d,
		    (unsigned)got);
}

static void
test_epoch(void **state)
{
	int y, m, d;

	(void)state;
	expect_day(1970, 1, 1, 0);
	expect_day(1970, 1, 2, 1);
	expect_day(1970, 12, 31, 364);
	expect_day(1971, 1, 1, 365);
	expect_day(2000, 1, 1, DAY_2000_01_01);
	expect_day(2027, 12, 31, DAY_2027_12_31);
	expect_no_day(1969, 12, 31);
	expect_no_day(1969, 1, 1);
	lkey_day_to_ymd(0, &y, &m, &d);
	assert_int_equal(y, 1970);
	assert_int_equal(m, 1);
	assert_int_equal(d, 1);
}

/* Gregorian leap years: /4, but not /100, unless /400. */
static void
test_leap_years(void **state)
{
	(void)state;
	expect_day(2000, 2, 29, DAY_2000_01_01 + 31U + 28U);
	expect_day(2000, 3, 1, DAY_2000_01_01 + 31U + 29U);
	expect_no_day(1900, 2, 29);	/* not leap, and before 1970 anyway */
	expect_no_day(1900, 2, 28);
	expect_no_day(2100, 2, 29);
	expect_day(2100, 2, 28, 47540);
	expect_day(2024, 2, 29, 19782);
	expect_no_day(2027, 2, 29);
	expect_day(2027, 2, 28, 20877);
	expect_day(2027, 3, 1, 20878);
	expect_day(2400, 2, 29, 157113);
	expect_no_day(2200, 2, 29);
	expect_no_day(2300, 2, 29);
	expect_no_day(2023, 2, 29);
	expect_day(1972, 2, 29, 365U + 365U + 31U + 28U);
}

/* Every month end of a leap and a common year; the day after is not. */
static void
test_month_ends(void **state)
{
	static const int years[] = { 2024, 2027 };
	static const int ends[2][13] = {
		{ 0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 },
		{ 0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 },
	};
	size_t i;
	int m;

	(void)state;
	for (i = 0; i < 2; i++) {
		int y = years[i];
		lkey_day first, last, next;

		assert_true(lkey_day_from_ymd(y, 1, 1, &first));
		for (m = 1; m <= 12; m++) {
			if (!lkey_day_from_ymd(y, m, ends[i][m], &last))
				fail_msg("%d-%02d-%02d refused", y, m,
				    ends[i][m]);
			expect_no_day(y, m, ends[i][m] + 1);
			if (m < 12)
				assert_true(lkey_day_from_ymd(y, m + 1, 1,
				    &next));
			else
				assert_true(lkey_day_from_ymd(y + 1, 1, 1,
				    &next));
			assert_int_equal(next, last + 1U);
		}
		/* 366 or 365 days from January 1st to the next one. */
		assert_int_equal(next - first, i == 0 ? 366 : 365);
	}
	expect_day(2024, 12, 31, 20088);
}

static void
test_bad_fields(void **state)
{
	(void)state;
	expect_no_day(2027, 0, 1);
	expect_no_day(2027, 13, 1);
	expect_no_day(2027, 1, 0);
	expect_no_day(2027, 1, 32);
	expect_no_day(2027, 4, 31);
	expect_no_day(2027, -1, 1);
	expect_no_day(2027, 1, -1);
	expect_no_day(2027, INT_MAX, 1);
	expect_no_day(2027, 1, INT_MAX);
	expect_no_day(2027, INT_MIN, INT_MIN);
	expect_no_day(0, 1, 1);
	expect_no_day(-2027, 1, 1);
	expect_no_day(INT_MIN, 1, 1);
	expect_no_day(INT_MAX, 12, 31);
}

static void
test_range_ends(void **state)
{
	char buf[11];
	int y, m, d;

	(void)state;
	expect_day(9999, 12, 31, DAY_9999_12_31);
	expect_no_day(10000, 1, 1);
	expect_no_day(9999, 12, 32);
	expect_no_day(9999, 13, 1);

	expect_day(2149, 6, 5, LKEY_DAY_MAX);
	lkey_day_to_ymd(LKEY_DAY_MAX, &y, &m, &d);
	assert_int_equal(y, 2149);
	assert_int_equal(m, 6);
	assert_int_equal(d, 5);
	memset(buf, 'x', sizeof(buf));
	lkey_day_format(LKEY_DAY_MAX, buf);
	assert_string_equal(buf, "2149-06-05");
	lkey_day_to_ymd(DAY_9999_12_31, &y, &m, &d);
	assert_int_equal(y, 9999);
	assert_int_equal(m, 12);
	assert_int_equal(d, 31);
}

static void
test_format(void **state)
{
	static const struct {
		lkey_day day;
		const char *text;
	} cases[] = {
		{ 0, "1970-01-01" },
		{ 1, "1970-01-02" },
		{ DAY_2000_01_01, "2000-01-01" },
		{ DAY_2027_12_31, "2027-12-31" },
		{ 19782, "2024-02-29" },
		{ LKEY_DAY_MAX, "2149-06-05" },
		{ LKEY_DAY_MAX + 1U, "2149-06-06" },
		{ DAY_9999_12_31, "9999-12-31" },
		{ LKEY_NEVER, "never" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[11];

		memset(buf, 'x', sizeof(buf));
		lkey_day_format(cases[i].day, buf);
		if (strcmp(buf, cases[i].text) != 0)
			fail_msg("day %u formats as \"%.11s\", expected %s",
			    (unsigned)cases[i].day, buf, cases[i].text);
	}
}

/*
 * Every day from 1970-01-01 to 9999-12-31, against a calendar stepped one
 * day at a time: day -> ymd -> day, and format -> parse, for all of them
 * (the first 65536 are the ones a key can carry).
 */
static void
test_round_trip(void **state)
{
	int y = 1970, m = 1, d = 1;
	lkey_day day;

	(void)state;
	for (day = 0;; day++) {
		int gy, gm, gd;
		lkey_day back = 0, parsed = 0;
		char want[48], buf[11];

		lkey_day_to_ymd(day, &gy, &gm, &gd);
		if (gy != y || gm != m || gd != d)
			fail_msg("day %u is %d-%d-%d, expected %04d-%02d-%02d",
			    (unsigned)day, gy, gm, gd, y, m, d);
		if (!lkey_day_from_ymd(y, m, d, &back) || back != day)
			fail_msg("%04d-%02d-%02d gives day %u, expected %u", y,
			    m, d, (unsigned)back, (unsigned)day);
		snprintf(want, sizeof(want), "%04d-%02d-%02d", y, m, d);
		lkey_day_format(day, buf);
		if (strcmp(buf, want) != 0)
			fail_msg("day %u formats as \"%.11s\", expected %s",
			    (unsigned)day, buf, want);
		if (!lkey_day_parse(want, &parsed) || parsed != day)
			fail_msg("\"%s\" parses to %u, expected %u", want,
			    (unsigned)parsed, (unsigned)day);
		if (y == 9999 && m == 12 && d == 31)
			break;
		if (++d > mdays(y, m)) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	assert_int_equal(day, DAY_9999_12_31);
}

static void
test_parse_strict(void **state)
{
	static const char *const bad[] = {
		"2027-1-01", "2027-01-1", " 2027-01-01", "2027-01-01 ",
		"2027/01/01", "+2027-01-01", "tomorrow", "", "never",
		"2027-02-29", "2027-13-01", "2027-00-01", "2027-01-00",
		"2027-01-32", "2027-04-31", "1969-12-31", "0000-01-01",
		"10000-01-01", "02027-01-01", "2027-01-01x", "2027-01-01\n",
		"\t2027-01-01", "2027-+1-01", "2027- 1-01", "2027-01-+1",
		"2027-01- 1", "+027-01-01", "-027-01-01", " 027-01-01",
		"2027-0x-01", "2027-01-0a", "20270101", "2027-0101",
		"2027--01-01", "2027_01_01", "27-01-01", "2027-01",
		"2027-001-01", "2027-01-001", "2027-1-1", "2027-12-31T00:00",
		"2027-12-31Z", "\xef\xbc\x92\xef\xbc\x90" "27-01-01",
		/* Neighbours of the digits: '0' - 1 and '0' + 10 as digits. */
		"2027-0:-01", "2027-1/-01", "2027-01-1:", "20:7-01-01",
		"2027-01-2/", "199:-01-01",
	};
	static const struct {
		const char *text;
		lkey_day day;
	} good[] = {
		{ "1970-01-01", 0 },
		{ "2000-01-01", DAY_2000_01_01 },
		{ "2000-02-29", DAY_2000_01_01 + 59U },
		{ "2024-02-29", 19782 },
		{ "2027-12-31", DAY_2027_12_31 },
		{ "2149-06-05", LKEY_DAY_MAX },
		{ "9999-12-31", DAY_9999_12_31 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		lkey_day got;

		if (lkey_day_parse(bad[i], &got))
			fail_msg("\"%s\" parsed as day %u", bad[i],
			    (unsigned)got);
	}
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		lkey_day got = 12345;

		if (!lkey_day_parse(good[i].text, &got))
			fail_msg("\"%s\" refused", good[i].text);
		assert_int_equal(got, good[i].day);
	}
	{
		/* A NUL inside ends the text: "2027-01" is too short. */
		static const char cut[] = "2027-01\0-01";
		lkey_day got;

		assert_false(lkey_day_parse(cut, &got));
	}
}

static void
test_from_unix(void **state)
{
	(void)state;
	assert_int_equal(lkey_day_from_unix(0), 0);
	assert_int_equal(lkey_day_from_unix(1), 0);
	assert_int_equal(lkey_day_from_unix(86399), 0);
	assert_int_equal(lkey_day_from_unix(86400), 1);
	assert_int_equal(lkey_day_from_unix(86401), 1);
	assert_int_equal(lkey_day_from_unix(-1), 0);
	assert_int_equal(lkey_day_from_unix(-86400), 0);
	assert_int_equal(lkey_day_from_unix(-86401), 0);
	assert_int_equal(lkey_day_from_unix(INT64_MIN), 0);
	/* 2000-01-01T00:00:00Z and one second before. */
	assert_int_equal(lkey_day_from_unix(946684800), DAY_2000_01_01);
	assert_int_equal(lkey_day_from_unix(946684799), DAY_2000_01_01 - 1U);
	assert_int_equal(lkey_day_from_unix(1700000000), 19675);
	/* 2027-12-31T23:59:59Z: still that day (terms are inclusive). */
	assert_int_equal(lkey_day_from_unix((int64_t)DAY_2027_12_31 * 86400 +
	    86399), DAY_2027_12_31);
	/* Past 2038 and past LKEY_DAY_MAX: no 32-bit seconds anywhere. */
	assert_int_equal(lkey_day_from_unix(4102444800), 47482);
	assert_int_equal(lkey_day_from_unix((int64_t)LKEY_DAY_MAX * 86400),
	    LKEY_DAY_MAX);
	/* 9999-12-31T23:59:59Z. */
	assert_int_equal(lkey_day_from_unix(253402300799), DAY_9999_12_31);
	/* Whatever far future gives, it must not wrap round to the past. */
	assert_true(lkey_day_from_unix(INT64_MAX) >= DAY_9999_12_31);
	assert_true(lkey_day_from_unix((int64_t)UINT32_MAX * 86400) >=
	    DAY_9999_12_31);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_epoch),
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_month_ends),
		cmocka_unit_test(test_bad_fields),
		cmocka_unit_test(test_range_ends),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_parse_strict),
		cmocka_unit_test(test_from_unix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

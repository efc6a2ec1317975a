/*
 * test_terms.c - each verdict of lkey_check at its boundary, the order of
 * the checks, and what the report says
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lkey.h"

static lkey_day
day(const char *s)
{
	lkey_day d;

	assert_true(lkey_day_parse(s, &d));
	return d;
}

/* 25 seats of product 1, 2027-01-01..2027-12-31, maintenance to 06-30. */
static lkey_license
licence(void)
{
	lkey_license l;

	memset(&l, 0, sizeof(l));
	l.version = 1;
	l.key_id = 0x12345678;
	l.product = 1;
	l.edition = 2;
	l.seats = 25;
	l.starts = day("2027-01-01");
	l.expires = day("2027-12-31");
	l.maintenance = day("2027-06-30");
	l.serial = 7;
	return l;
}

static lkey_context
context(const char *today)
{
	lkey_context c;

	memset(&c, 0, sizeof(c));
	c.product = 1;
	c.today = day(today);
	return c;
}

static lkey_status
check(const lkey_license *l, const lkey_context *c, lkey_report *r)
{
	lkey_report local;

	return lkey_check(l, c, r != NULL ? r : &local);
}

static void
test_valid(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2027-03-01");
	lkey_report r;

	(void)state;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.status, LKEY_OK);
	assert_true(r.maintenance_active);
	assert_int_equal(r.remaining, 25);
}

static void
test_product(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2027-03-01");

	(void)state;
	c.product = 2;
	assert_int_equal(check(&l, &c, NULL), LKEY_WRONG_PRODUCT);
	l.product = 2;
	assert_int_equal(check(&l, &c, NULL), LKEY_OK);
}

static void
test_start_boundary(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2026-12-31");
	lkey_report r;

	(void)state;
	assert_int_equal(check(&l, &c, &r), LKEY_NOT_YET_VALID);
	c.today = day("2027-01-01");
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
}

static void
test_expiry_boundary(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2027-12-31");
	lkey_report r;

	(void)state;
	l.maintenance = LKEY_NEVER;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.license_days_left, 1);	/* all of today */
	c.today = day("2028-01-01");
	assert_int_equal(check(&l, &c, &r), LKEY_EXPIRED);
	assert_int_equal(r.license_days_left, 0);
	c.today = day("2027-12-01");
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.license_days_left, 31);
	/* Never expires: valid far into the future, unlimited days. */
	l.expires = LKEY_NEVER;
	c.today = day("2149-06-05");
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_true(r.license_days_left == LKEY_DAYS_UNLIMITED);
	c.today = day("9999-12-31");
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
}

/* A release built on or before the end of maintenance keeps working. */
static void
test_maintenance_boundary(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2027-09-01");
	lkey_report r;

	(void)state;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);	/* no release given */
	assert_false(r.maintenance_active);
	assert_int_equal(r.maintenance_days_left, 0);
	c.has_release = true;
	c.release = day("2027-06-30");
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	c.release = day("2027-07-01");
	assert_int_equal(check(&l, &c, &r), LKEY_MAINTENANCE_LAPSED);
	l.maintenance = LKEY_NEVER;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_true(r.maintenance_active);
	assert_true(r.maintenance_days_left == LKEY_DAYS_UNLIMITED);
	/* Last day of maintenance: active, one day left. */
	l.maintenance = day("2027-06-30");
	c.today = day("2027-06-30");
	c.release = day("2027-06-01");
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_true(r.maintenance_active);
	assert_int_equal(r.maintenance_days_left, 1);
}

static void
test_seats_boundary(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2027-03-01");
	lkey_report r;

	(void)state;
	c.has_users = true;
	c.users = 25;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.remaining, 0);
	c.users = 22;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.remaining, 3);
	c.users = 26;
	assert_int_equal(check(&l, &c, &r), LKEY_SEATS_EXCEEDED);
	assert_int_equal(r.remaining, -1);
	c.admin = true;
	assert_int_equal(check(&l, &c, &r), LKEY_ADMIN_ONLY);
	c.users = 25;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	l.seats = LKEY_SEATS_UNLIMITED;
	c.admin = false;
	c.users = UINT32_MAX - 1;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.remaining, 0);
	/* Users not reported: seats are not checked. */
	l.seats = 1;
	c.has_users = false;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.remaining, 1);
}

/* More than one day behind the release's build date: clock set back. */
static void
test_clock_rollback(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2027-03-01");
	lkey_report r;

	(void)state;
	c.has_release = true;
	c.release = day("2027-03-02");
	assert_int_equal(check(&l, &c, &r), LKEY_OK);	/* 24 h tolerance */
	c.release = day("2027-03-03");
	assert_int_equal(check(&l, &c, &r), LKEY_CLOCK_ROLLBACK);
	/* A perpetual licence is never refused for the clock. */
	l.expires = LKEY_NEVER;
	l.maintenance = LKEY_NEVER;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
}

/* The first failed check is the verdict: the documented order. */
static void
test_order(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2028-01-01");
	lkey_report r;

	(void)state;
	c.has_users = true;
	c.users = 30;
	c.has_release = true;
	c.release = day("2027-12-01");
	assert_int_equal(check(&l, &c, &r), LKEY_EXPIRED);
	c.product = 9;
	assert_int_equal(check(&l, &c, &r), LKEY_WRONG_PRODUCT);
	c.product = 1;
	c.today = day("2027-11-01");
	c.release = day("2027-12-01");
	assert_int_equal(check(&l, &c, &r), LKEY_CLOCK_ROLLBACK);
	c.today = day("2027-12-01");
	assert_int_equal(check(&l, &c, &r), LKEY_MAINTENANCE_LAPSED);
	c.release = day("2027-06-30");
	assert_int_equal(check(&l, &c, &r), LKEY_SEATS_EXCEEDED);
	/* The report is filled in whatever the verdict. */
	assert_int_equal(r.remaining, -5);
	assert_int_equal(r.license_days_left, 31);
}

/* A licence that lkey_decode refused (zeroed) never passes. */
static void
test_fail_closed(void **state)
{
	lkey_license l;
	lkey_context c = context("2027-03-01");

	(void)state;
	memset(&l, 0, sizeof(l));
	assert_int_not_equal(check(&l, &c, NULL), LKEY_OK);
	c.product = 0;
	assert_int_not_equal(check(&l, &c, NULL), LKEY_OK);
}

static void
test_names_and_messages(void **state)
{
	int i, j;

	(void)state;
	for (i = 0; i < LKEY_STATUS_COUNT; i++) {
		const char *n = lkey_status_name((lkey_status)i);
		const char *m = lkey_status_message((lkey_status)i);

		assert_non_null(n);
		assert_true(strlen(m) > 10);
		assert_int_equal(m[strlen(m) - 1], '.');
		for (j = 0; j < i; j++)
			assert_string_not_equal(n,
			    lkey_status_name((lkey_status)j));
	}
	assert_string_equal(lkey_status_name(LKEY_OK), "valid");
	assert_string_equal(lkey_status_name(LKEY_MAINTENANCE_LAPSED),
	    "maintenance_lapsed");
	assert_string_equal(lkey_status_name(LKEY_CLOCK_ROLLBACK),
	    "clock_rollback");
	assert_string_equal(lkey_status_name((lkey_status)99), "unknown");
	assert_non_null(strstr(lkey_status_message(LKEY_SEATS_EXCEEDED),
	    "number of licences is exceeded"));
	for (i = 0; i <= LKEY_R_BAD_FIELD; i++)
		assert_true(strlen(lkey_reason_text((lkey_reason)i)) > 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_product),
		cmocka_unit_test(test_start_boundary),
		cmocka_unit_test(test_expiry_boundary),
		cmocka_unit_test(test_maintenance_boundary),
		cmocka_unit_test(test_seats_boundary),
		cmocka_unit_test(test_clock_rollback),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_fail_closed),
		cmocka_unit_test(test_names_and_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

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

#define WARN(w) (1U << (w))

/* Reports and desktop (features 0 and 1); only desktop needs maintenance. */
#define F_REPORTS 0x1U
#define F_DESKTOP 0x2U

/* 26 users for 25 seats with a 7-day grace, over since 2027-03-01. */
static void
over_limit(lkey_license *l, lkey_context *c)
{
	l->grace_days = 7;
	l->features = F_REPORTS | F_DESKTOP;
	c->has_users = true;
	c->users = 26;
	c->has_over_since = true;
	c->over_since = day("2027-03-01");
}

/* The first and the last day of grace, and the day after. */
static void
test_grace_boundary(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2027-03-01");
	lkey_report r;

	(void)state;
	over_limit(&l, &c);
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.status, LKEY_OK);
	assert_int_equal(r.nproblems, 0);
	assert_int_equal(r.warnings, WARN(LKEY_W_SEATS_GRACE));
	assert_int_equal(r.grace_days_left, 7);
	assert_int_equal(r.grace_ends, day("2027-03-07"));
	assert_int_equal(r.remaining, -1);
	assert_int_equal(r.features_available, F_REPORTS | F_DESKTOP);

	c.today = day("2027-03-07");
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.warnings, WARN(LKEY_W_SEATS_GRACE));
	assert_int_equal(r.grace_days_left, 1);
	assert_int_equal(r.grace_ends, day("2027-03-07"));

	c.today = day("2027-03-08");
	assert_int_equal(check(&l, &c, &r), LKEY_SEATS_EXCEEDED);
	assert_int_equal(r.status, LKEY_SEATS_EXCEEDED);
	assert_int_equal(r.nproblems, 1);
	assert_int_equal(r.problems[0].status, LKEY_SEATS_EXCEEDED);
	assert_int_equal(r.problems[0].module, LKEY_MODULE_NONE);
	assert_int_equal(r.warnings & WARN(LKEY_W_SEATS_GRACE), 0);
	assert_int_equal(r.grace_days_left, 0);
	assert_int_equal(r.grace_ends, day("2027-03-07"));
	assert_int_equal(r.features_available, 0);

	/* Long after: still the same last day. */
	c.today = day("2027-11-30");
	assert_int_equal(check(&l, &c, &r), LKEY_SEATS_EXCEEDED);
	assert_int_equal(r.grace_ends, day("2027-03-07"));
	assert_int_equal(r.grace_days_left, 0);
}

static void
test_grace_admin(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2027-03-07");
	lkey_report r;

	(void)state;
	over_limit(&l, &c);
	c.admin = true;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.warnings, WARN(LKEY_W_SEATS_GRACE));
	assert_int_equal(r.grace_days_left, 1);
	c.today = day("2027-03-08");
	assert_int_equal(check(&l, &c, &r), LKEY_ADMIN_ONLY);
	assert_int_equal(r.nproblems, 1);
	assert_int_equal(r.problems[0].status, LKEY_ADMIN_ONLY);
	assert_int_equal(r.problems[0].module, LKEY_MODULE_NONE);
	assert_int_equal(r.grace_ends, day("2027-03-07"));
	assert_int_equal(r.grace_days_left, 0);
	assert_int_equal(r.features_available, 0);
}

/* A first day over the limit after today counts as today. */
static void
test_grace_over_since_future(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2027-03-01");
	lkey_report r;

	(void)state;
	over_limit(&l, &c);
	c.over_since = day("2027-03-20");
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.warnings, WARN(LKEY_W_SEATS_GRACE));
	assert_int_equal(r.grace_ends, day("2027-03-07"));
	assert_int_equal(r.grace_days_left, 7);
	c.over_since = LKEY_NEVER;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.grace_ends, day("2027-03-07"));
	/* Over since the day before: one day of grace used. */
	c.over_since = day("2027-02-28");
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.grace_ends, day("2027-03-06"));
	assert_int_equal(r.grace_days_left, 6);
}

/* At the limit nobody is over it: no grace, no warning. */
static void
test_grace_not_over(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2027-03-10");
	lkey_report r;

	(void)state;
	over_limit(&l, &c);
	c.users = 25;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.warnings, 0);
	assert_int_equal(r.grace_ends, LKEY_NEVER);
	assert_int_equal(r.grace_days_left, 0);
	assert_int_equal(r.remaining, 0);
	assert_int_equal(r.features_available, F_REPORTS | F_DESKTOP);
	/* Unlimited seats, or users not reported: never over. */
	c.users = 26;
	l.seats = LKEY_SEATS_UNLIMITED;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.warnings, 0);
	assert_int_equal(r.grace_ends, LKEY_NEVER);
	l.seats = 25;
	c.has_users = false;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.warnings, 0);
	assert_int_equal(r.grace_ends, LKEY_NEVER);
}

/* Without the first day over the limit, or without grace: refused now. */
static void
test_grace_none(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2027-03-01");
	lkey_report r;

	(void)state;
	over_limit(&l, &c);
	c.has_over_since = false;
	assert_int_equal(check(&l, &c, &r), LKEY_SEATS_EXCEEDED);
	assert_int_equal(r.grace_ends, LKEY_NEVER);
	assert_int_equal(r.grace_days_left, 0);
	assert_int_equal(r.warnings, 0);
	c.has_over_since = true;
	l.grace_days = 0;
	assert_int_equal(check(&l, &c, &r), LKEY_SEATS_EXCEEDED);
	assert_int_equal(r.grace_ends, LKEY_NEVER);
	assert_int_equal(r.grace_days_left, 0);
	assert_int_equal(r.warnings, 0);
	c.admin = true;
	assert_int_equal(check(&l, &c, &r), LKEY_ADMIN_ONLY);
	assert_int_equal(r.grace_ends, LKEY_NEVER);
}

/* One day of grace is today only; 365 days is a whole year. */
static void
test_grace_extremes(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2027-03-01");
	lkey_report r;

	(void)state;
	over_limit(&l, &c);
	l.grace_days = 1;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.grace_ends, day("2027-03-01"));
	assert_int_equal(r.grace_days_left, 1);
	c.today = day("2027-03-02");
	assert_int_equal(check(&l, &c, &r), LKEY_SEATS_EXCEEDED);

	l.grace_days = LKEY_GRACE_DAYS_MAX;
	l.expires = LKEY_NEVER;
	c.over_since = day("2027-01-01");
	c.today = day("2027-12-31");
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.grace_ends, day("2027-12-31"));
	assert_int_equal(r.grace_days_left, 1);
	c.today = day("2028-01-01");
	assert_int_equal(check(&l, &c, &r), LKEY_SEATS_EXCEEDED);
}

/* The licence's end: warned from notice_days before, counting today. */
static void
test_notice_licence(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2027-12-01");
	lkey_report r;

	(void)state;
	l.maintenance = LKEY_NEVER;
	l.notice_days = LKEY_NOTICE_DAYS_DEFAULT;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.license_days_left, 31);
	assert_int_equal(r.warnings, 0);
	c.today = day("2027-12-02");
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.license_days_left, 30);
	assert_int_equal(r.warnings, WARN(LKEY_W_LICENSE_EXPIRING));
	c.today = day("2027-12-31");
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.license_days_left, 1);
	assert_int_equal(r.warnings, WARN(LKEY_W_LICENSE_EXPIRING));
	/* Once it has expired it is a problem, not a warning. */
	c.today = day("2028-01-01");
	assert_int_equal(check(&l, &c, &r), LKEY_EXPIRED);
	assert_int_equal(r.warnings, 0);
	/* Not started yet: nothing to warn about either. */
	l.starts = day("2027-12-20");
	c.today = day("2027-12-19");
	assert_int_equal(check(&l, &c, &r), LKEY_NOT_YET_VALID);
	assert_int_equal(r.warnings, 0);
	l.starts = day("2027-01-01");

	/* Notice 0: never warned, not even on the last day. */
	l.notice_days = 0;
	c.today = day("2027-12-31");
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.warnings, 0);
	/* Notice 1: the last day only. */
	l.notice_days = 1;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.warnings, WARN(LKEY_W_LICENSE_EXPIRING));
	c.today = day("2027-12-30");
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.warnings, 0);
	/* Notice 365 of a one-year licence: from its first day. */
	l.notice_days = LKEY_NOTICE_DAYS_MAX;
	c.today = day("2027-01-01");
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.license_days_left, 365);
	assert_int_equal(r.warnings, WARN(LKEY_W_LICENSE_EXPIRING));
	/* Perpetual: never. */
	l.expires = LKEY_NEVER;
	c.today = day("2149-06-05");
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.warnings, 0);
}

/* The end of maintenance, while maintenance is active. */
static void
test_notice_maintenance(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2027-05-31");
	lkey_report r;

	(void)state;
	l.expires = LKEY_NEVER;
	l.notice_days = LKEY_NOTICE_DAYS_DEFAULT;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.maintenance_days_left, 31);
	assert_int_equal(r.warnings, 0);
	c.today = day("2027-06-01");
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.maintenance_days_left, 30);
	assert_int_equal(r.warnings, WARN(LKEY_W_MAINTENANCE_EXPIRING));
	c.today = day("2027-06-30");
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.maintenance_days_left, 1);
	assert_int_equal(r.warnings, WARN(LKEY_W_MAINTENANCE_EXPIRING));
	/* Ended (no add-ons in this key): nothing to warn about. */
	c.today = day("2027-07-01");
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_false(r.maintenance_active);
	assert_int_equal(r.warnings, 0);
	/* Notice 0: none. */
	l.notice_days = 0;
	c.today = day("2027-06-30");
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.warnings, 0);
	/* Maintenance that never ends: none. */
	l.notice_days = LKEY_NOTICE_DAYS_DEFAULT;
	l.maintenance = LKEY_NEVER;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.warnings, 0);
	/* Both ends within notice: both warnings. */
	l.expires = day("2027-12-31");
	l.maintenance = day("2027-12-20");
	c.today = day("2027-12-15");
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.warnings, WARN(LKEY_W_LICENSE_EXPIRING) |
	    WARN(LKEY_W_MAINTENANCE_EXPIRING));
	/* Maintenance beyond an expired licence: the licence does not run. */
	l.maintenance = day("2028-01-15");
	c.today = day("2028-01-05");
	assert_int_equal(check(&l, &c, &r), LKEY_EXPIRED);
	assert_true(r.maintenance_active);
	assert_int_equal(r.warnings, 0);
}

/* Add-ons that need maintenance stop with it; the product does not. */
static void
test_addons(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2027-06-30");
	lkey_report r;

	(void)state;
	l.features = F_REPORTS | F_DESKTOP;
	c.maintenance_features = F_DESKTOP;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_true(r.maintenance_active);
	assert_int_equal(r.features_available, F_REPORTS | F_DESKTOP);
	assert_int_equal(r.warnings & WARN(LKEY_W_ADDONS_UNAVAILABLE), 0);

	c.today = day("2027-07-01");
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.nproblems, 0);
	assert_false(r.maintenance_active);
	assert_int_equal(r.features_available, F_REPORTS);
	assert_int_equal(r.warnings, WARN(LKEY_W_ADDONS_UNAVAILABLE));

	/* A key without the add-on: nothing unavailable to warn about. */
	l.features = F_REPORTS;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.features_available, F_REPORTS);
	assert_int_equal(r.warnings, 0);
	/* No add-on needs maintenance: everything stays. */
	l.features = F_REPORTS | F_DESKTOP;
	c.maintenance_features = 0;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.features_available, F_REPORTS | F_DESKTOP);
	assert_int_equal(r.warnings, 0);
	/* A mask naming features the key lacks adds nothing. */
	c.maintenance_features = 0xf0U;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.features_available, F_REPORTS | F_DESKTOP);
	assert_int_equal(r.warnings, 0);

	/* Maintenance that never ends: available for good. */
	c.maintenance_features = F_DESKTOP;
	l.maintenance = LKEY_NEVER;
	c.today = day("2027-12-31");
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_true(r.maintenance_active);
	assert_int_equal(r.features_available, F_REPORTS | F_DESKTOP);
	assert_int_equal(r.warnings, 0);
	l.expires = LKEY_NEVER;
	c.today = day("2149-06-05");
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.features_available, F_REPORTS | F_DESKTOP);

	/* Expired: nothing is available, and no add-on warning. */
	l.expires = day("2027-12-31");
	l.maintenance = day("2027-06-30");
	c.today = day("2028-01-01");
	assert_int_equal(check(&l, &c, &r), LKEY_EXPIRED);
	assert_int_equal(r.features_available, 0);
	assert_int_equal(r.warnings & WARN(LKEY_W_ADDONS_UNAVAILABLE), 0);
}

/* Any problem of the product itself leaves no feature available. */
static void
test_features_need_product(void **state)
{
	lkey_license l;
	lkey_context c;
	lkey_report r;

	(void)state;
#define NONE_AVAILABLE(want) do {					\
	assert_int_equal(check(&l, &c, &r), (want));			\
	assert_int_equal(r.features_available, 0);			\
} while (0)
#define RESET(today) do {						\
	l = licence();							\
	l.features = F_REPORTS | F_DESKTOP;				\
	c = context(today);						\
} while (0)
	RESET("2027-03-01");
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.features_available, F_REPORTS | F_DESKTOP);
	c.product = 2;
	NONE_AVAILABLE(LKEY_WRONG_PRODUCT);
	RESET("2027-03-01");
	c.has_release = true;
	c.release = day("2027-03-05");
	NONE_AVAILABLE(LKEY_CLOCK_ROLLBACK);
	RESET("2026-12-31");
	NONE_AVAILABLE(LKEY_NOT_YET_VALID);
	RESET("2028-01-01");
	NONE_AVAILABLE(LKEY_EXPIRED);
	RESET("2027-09-01");
	c.has_release = true;
	c.release = day("2027-07-01");
	NONE_AVAILABLE(LKEY_MAINTENANCE_LAPSED);
	RESET("2027-03-01");
	c.has_users = true;
	c.users = 26;
	NONE_AVAILABLE(LKEY_SEATS_EXCEEDED);
	c.admin = true;
	NONE_AVAILABLE(LKEY_ADMIN_ONLY);
	/* A decoded licence is required. */
	RESET("2027-03-01");
	l.version = 0;
	assert_int_not_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.features_available, 0);
#undef RESET
#undef NONE_AVAILABLE
}

/* Bit 1 (desktop) has 25 seats of its own; bit 0 has none. */
static void
test_module_seats(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2027-03-01");
	lkey_report r;

	(void)state;
	l.features = F_REPORTS | F_DESKTOP;
	l.module_seats[1] = 25;
	/* Users not given: the whole count remains, nothing checked. */
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.module_remaining[1], 25);
	assert_int_equal(r.module_remaining[0], 0);
	assert_int_equal(r.features_available, F_REPORTS | F_DESKTOP);

	c.module_users_set = 1U << 1;
	c.module_users[1] = 25;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.nproblems, 0);
	assert_int_equal(r.module_remaining[1], 0);
	assert_int_equal(r.features_available, F_REPORTS | F_DESKTOP);

	c.module_users[1] = 26;
	assert_int_equal(check(&l, &c, &r), LKEY_SEATS_EXCEEDED);
	assert_int_equal(r.status, LKEY_SEATS_EXCEEDED);
	assert_int_equal(r.nproblems, 1);
	assert_int_equal(r.problems[0].status, LKEY_SEATS_EXCEEDED);
	assert_int_equal(r.problems[0].module, 1);
	assert_int_equal(r.module_remaining[1], -1);
	/* Only that module is off; the product's own seats are fine. */
	assert_int_equal(r.features_available, F_REPORTS);
	assert_int_equal(r.remaining, 25);

	c.admin = true;
	assert_int_equal(check(&l, &c, &r), LKEY_ADMIN_ONLY);
	assert_int_equal(r.nproblems, 1);
	assert_int_equal(r.problems[0].status, LKEY_ADMIN_ONLY);
	assert_int_equal(r.problems[0].module, 1);
	assert_int_equal(r.features_available, F_REPORTS);
	c.admin = false;

	/* Licensed without a count of its own: limited by nothing here. */
	c.module_users_set = 1U << 0;
	c.module_users[0] = 1000;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.nproblems, 0);
	assert_int_equal(r.features_available, F_REPORTS | F_DESKTOP);
	/* The product's seats are a separate count from the module's. */
	c.module_users_set = 1U << 1;
	c.module_users[1] = 25;
	c.has_users = true;
	c.users = 25;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.remaining, 0);
	assert_int_equal(r.module_remaining[1], 0);
}

/* A module the key does not licence has no seats at all. */
static void
test_module_unlicensed(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2027-03-01");
	lkey_report r;

	(void)state;
	l.features = F_REPORTS | F_DESKTOP;
	c.module_users_set = 1U << 7;
	c.module_users[7] = 1;
	assert_int_equal(check(&l, &c, &r), LKEY_SEATS_EXCEEDED);
	assert_int_equal(r.nproblems, 1);
	assert_int_equal(r.problems[0].status, LKEY_SEATS_EXCEEDED);
	assert_int_equal(r.problems[0].module, 7);
	assert_int_equal(r.module_remaining[7], -1);
	assert_int_equal(r.features_available, F_REPORTS | F_DESKTOP);
	c.admin = true;
	assert_int_equal(check(&l, &c, &r), LKEY_ADMIN_ONLY);
	assert_int_equal(r.problems[0].module, 7);
	c.admin = false;
	c.module_users[7] = 0;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.nproblems, 0);
	assert_int_equal(r.module_remaining[7], 0);
	/* The highest bit too. */
	c.module_users_set = 1U << 31;
	c.module_users[31] = 1;
	assert_int_equal(check(&l, &c, &r), LKEY_SEATS_EXCEEDED);
	assert_int_equal(r.problems[0].module, 31);
}

/* Every problem at once, most severe first; the verdict is the first. */
static void
test_problem_list(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2028-01-05");
	lkey_report r;
	lkey_status st;

	(void)state;
	l.features = F_REPORTS | F_DESKTOP;
	l.module_seats[1] = 5;
	c.has_release = true;
	c.release = day("2027-12-01");
	c.has_users = true;
	c.users = 26;
	c.module_users_set = 1U << 1;
	c.module_users[1] = 6;
	st = check(&l, &c, &r);
	assert_int_equal(st, LKEY_EXPIRED);
	assert_int_equal(r.status, st);
	assert_int_equal(r.nproblems, 4);
	assert_int_equal(r.problems[0].status, LKEY_EXPIRED);
	assert_int_equal(r.problems[0].module, LKEY_MODULE_NONE);
	assert_int_equal(r.problems[1].status, LKEY_MAINTENANCE_LAPSED);
	assert_int_equal(r.problems[1].module, LKEY_MODULE_NONE);
	assert_int_equal(r.problems[2].status, LKEY_SEATS_EXCEEDED);
	assert_int_equal(r.problems[2].module, LKEY_MODULE_NONE);
	assert_int_equal(r.problems[3].status, LKEY_SEATS_EXCEEDED);
	assert_int_equal(r.problems[3].module, 1);
	assert_int_equal(r.features_available, 0);

	/* Administrators: admin_only for both seat counts. */
	c.admin = true;
	assert_int_equal(check(&l, &c, &r), LKEY_EXPIRED);
	assert_int_equal(r.nproblems, 4);
	assert_int_equal(r.problems[2].status, LKEY_ADMIN_ONLY);
	assert_int_equal(r.problems[3].status, LKEY_ADMIN_ONLY);
	assert_int_equal(r.problems[3].module, 1);
	c.admin = false;

	/* Another product: that one problem, nothing else. */
	c.product = 2;
	st = check(&l, &c, &r);
	assert_int_equal(st, LKEY_WRONG_PRODUCT);
	assert_int_equal(r.status, st);
	assert_int_equal(r.nproblems, 1);
	assert_int_equal(r.problems[0].status, LKEY_WRONG_PRODUCT);
	assert_int_equal(r.problems[0].module, LKEY_MODULE_NONE);
	assert_int_equal(r.features_available, 0);
	assert_int_equal(r.warnings, 0);
	c.product = 1;

	/* Clock set back before the start: rollback, then not yet valid. */
	c.today = day("2026-12-01");
	c.release = day("2027-07-01");
	c.users = 25;
	c.module_users_set = 0;
	st = check(&l, &c, &r);
	assert_int_equal(st, LKEY_CLOCK_ROLLBACK);
	assert_int_equal(r.nproblems, 3);
	assert_int_equal(r.problems[0].status, LKEY_CLOCK_ROLLBACK);
	assert_int_equal(r.problems[1].status, LKEY_NOT_YET_VALID);
	assert_int_equal(r.problems[2].status, LKEY_MAINTENANCE_LAPSED);

	/* Modules over their counts come after the product, in bit order. */
	l = licence();
	l.features = 0xffU;
	l.module_seats[2] = 1;
	l.module_seats[5] = 3;
	c = context("2027-03-01");
	c.has_users = true;
	c.users = 30;
	c.module_users_set = (1U << 5) | (1U << 2) | (1U << 9);
	c.module_users[2] = 2;
	c.module_users[5] = 4;
	c.module_users[9] = 1;
	st = check(&l, &c, &r);
	assert_int_equal(st, LKEY_SEATS_EXCEEDED);
	assert_int_equal(r.nproblems, 4);
	assert_int_equal(r.problems[0].module, LKEY_MODULE_NONE);
	assert_int_equal(r.problems[1].module, 2);
	assert_int_equal(r.problems[2].module, 5);
	assert_int_equal(r.problems[3].module, 9);
	/* Only modules over: the product runs without them. */
	c.users = 25;
	st = check(&l, &c, &r);
	assert_int_equal(st, LKEY_SEATS_EXCEEDED);
	assert_int_equal(r.status, LKEY_SEATS_EXCEEDED);
	assert_int_equal(r.nproblems, 3);
	assert_int_equal(r.problems[0].module, 2);
	assert_int_equal(r.features_available, 0xffU & ~((1U << 2) |
	    (1U << 5)));

	/* Nothing wrong: no problems, verdict valid. */
	c.module_users_set = 0;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.status, LKEY_OK);
	assert_int_equal(r.nproblems, 0);
}

static void
test_trial(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2027-03-01");
	lkey_report r;

	(void)state;
	l.trial = true;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.warnings, WARN(LKEY_W_TRIAL));
	l.notice_days = LKEY_NOTICE_DAYS_DEFAULT;
	c.today = day("2027-12-31");
	l.maintenance = LKEY_NEVER;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.warnings, WARN(LKEY_W_TRIAL) |
	    WARN(LKEY_W_LICENSE_EXPIRING));
	l.trial = false;
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.warnings, WARN(LKEY_W_LICENSE_EXPIRING));
}

static void
test_starts_in_days(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2026-12-29");
	lkey_report r;

	(void)state;
	assert_int_equal(check(&l, &c, &r), LKEY_NOT_YET_VALID);
	assert_int_equal(r.starts_in_days, 3);
	assert_int_equal(r.nproblems, 1);
	assert_int_equal(r.problems[0].status, LKEY_NOT_YET_VALID);
	c.today = day("2026-12-31");
	assert_int_equal(check(&l, &c, &r), LKEY_NOT_YET_VALID);
	assert_int_equal(r.starts_in_days, 1);
	c.today = day("2027-01-01");
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.starts_in_days, 0);
	c.today = day("2027-06-01");
	assert_int_equal(check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.starts_in_days, 0);
	/* A perpetual licence can start in the future too. */
	l.expires = LKEY_NEVER;
	c.today = day("2026-01-01");
	assert_int_equal(check(&l, &c, &r), LKEY_NOT_YET_VALID);
	assert_int_equal(r.starts_in_days, 365);
}

static void
test_license_order(void **state)
{
	lkey_license a = licence(), b = licence();

	(void)state;
	/* Same issue day and serial: neither is older. */
	assert_int_equal(lkey_license_order(&a, &b), 0);
	assert_int_equal(lkey_license_order(&a, &a), 0);
	/* Same day: the serial decides. */
	b.serial = a.serial + 1;
	assert_true(lkey_license_order(&a, &b) < 0);
	assert_true(lkey_license_order(&b, &a) > 0);
	/* An earlier issue day wins over a higher serial. */
	a.issued = day("2026-12-01");
	b.issued = day("2026-12-02");
	a.serial = UINT32_MAX;
	b.serial = 0;
	assert_true(lkey_license_order(&a, &b) < 0);
	assert_true(lkey_license_order(&b, &a) > 0);
	/* The start day is not the issue day. */
	a.issued = b.issued;
	a.serial = b.serial;
	a.starts = day("2030-01-01");
	assert_int_equal(lkey_license_order(&a, &b), 0);
	/* The extremes of both fields. */
	a.issued = 0;
	b.issued = LKEY_DAY_MAX;
	assert_true(lkey_license_order(&a, &b) < 0);
	assert_true(lkey_license_order(&b, &a) > 0);
	a.issued = b.issued;
	a.serial = 0;
	b.serial = UINT32_MAX;
	assert_true(lkey_license_order(&a, &b) < 0);
	assert_true(lkey_license_order(&b, &a) > 0);
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
		cmocka_unit_test(test_grace_boundary),
		cmocka_unit_test(test_grace_admin),
		cmocka_unit_test(test_grace_over_since_future),
		cmocka_unit_test(test_grace_not_over),
		cmocka_unit_test(test_grace_none),
		cmocka_unit_test(test_grace_extremes),
		cmocka_unit_test(test_notice_licence),
		cmocka_unit_test(test_notice_maintenance),
		cmocka_unit_test(test_addons),
		cmocka_unit_test(test_features_need_product),
		cmocka_unit_test(test_module_seats),
		cmocka_unit_test(test_module_unlicensed),
		cmocka_unit_test(test_problem_list),
		cmocka_unit_test(test_trial),
		cmocka_unit_test(test_starts_in_days),
		cmocka_unit_test(test_license_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

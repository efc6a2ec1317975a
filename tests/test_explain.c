/*
 * test_explain.c - the sentences a licence screen shows for each problem
 * and warning: the right dates and counts, module names, truncation, and
 * the stable warning names
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lkey.h"

#define TEXT_MAX 512

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
	l.seats = 25;
	l.starts = day("2027-01-01");
	l.expires = day("2027-12-31");
	l.maintenance = day("2027-06-30");
	l.serial = 7;
	l.features = 0x3;
	l.notice_days = LKEY_NOTICE_DAYS_DEFAULT;
	l.issued = l.starts;
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

/* The text of problem i of a fresh report; checks the returned length. */
static const char *
problem(const lkey_license *l, const lkey_context *c, size_t i,
    const char *name)
{
	static char out[TEXT_MAX];
	lkey_report r;
	size_t n;

	assert_int_not_equal(lkey_check(l, c, &r), LKEY_OK);
	assert_true(i < r.nproblems);
	memset(out, 'x', sizeof(out));
	n = lkey_problem_text(&r.problems[i], l, c, &r, name, out,
	    sizeof(out));
	assert_true(n > 0 && n < sizeof(out));
	assert_int_equal(strlen(out), n);
	assert_int_equal(out[n - 1], '.');
	return out;
}

/* The text of warning w, which the report must carry. */
static const char *
warning(const lkey_license *l, const lkey_context *c, lkey_warning w)
{
	static char out[TEXT_MAX];
	lkey_report r;
	size_t n;

	assert_int_equal(lkey_check(l, c, &r), LKEY_OK);
	assert_true(r.warnings & (1U << w));
	memset(out, 'x', sizeof(out));
	n = lkey_warning_text(w, l, c, &r, out, sizeof(out));
	assert_true(n > 0 && n < sizeof(out));
	assert_int_equal(strlen(out), n);
	assert_int_equal(out[n - 1], '.');
	return out;
}

static void
contains(const char *text, const char *part)
{
	if (strstr(text, part) == NULL)
		fail_msg("\"%s\" lacks \"%s\"", text, part);
}

static void
lacks(const char *text, const char *part)
{
	if (strstr(text, part) != NULL)
		fail_msg("\"%s\" has \"%s\"", text, part);
}

static void
test_expired(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2028-01-01");

	(void)state;
	assert_string_equal(problem(&l, &c, 0, NULL),
	    "The licence expired on 2027-12-31. Register a renewed licence "
	    "key.");
	c.today = day("2030-06-15");
	assert_string_equal(problem(&l, &c, 0, NULL),
	    "The licence expired on 2027-12-31. Register a renewed licence "
	    "key.");
}

static void
test_not_yet_valid(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2026-12-29");
	const char *t;

	(void)state;
	t = problem(&l, &c, 0, NULL);
	contains(t, "2027-01-01");
	contains(t, "in 3 days");
	c.today = day("2026-12-31");
	t = problem(&l, &c, 0, NULL);
	contains(t, "2027-01-01");
	contains(t, "in 1 day)");
}

static void
test_clock_and_maintenance(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2027-09-01");
	const char *t;

	(void)state;
	c.has_release = true;
	c.release = day("2027-09-10");
	t = problem(&l, &c, 0, NULL);		/* clock_rollback */
	contains(t, "2027-09-01");
	contains(t, "2027-09-10");
	t = problem(&l, &c, 1, NULL);		/* maintenance_lapsed */
	contains(t, "2027-06-30");
	contains(t, "2027-09-10");
	lacks(t, "2027-09-01");
}

static void
test_wrong_product(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2027-03-01");
	const char *t;

	(void)state;
	l.product = 4711;
	c.product = 815;
	t = problem(&l, &c, 0, NULL);
	contains(t, "4711");
	contains(t, "815");
}

/* The product's own seats: counts, what to do, admin or not. */
static void
test_seats(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2027-03-01");
	const char *t;

	(void)state;
	c.has_users = true;
	c.users = 28;
	t = problem(&l, &c, 0, NULL);
	contains(t, "28 users");
	contains(t, "25 licences");
	contains(t, "deactivate 3 users.");
	lacks(t, "administrators can");
	c.users = 26;
	t = problem(&l, &c, 0, NULL);
	contains(t, "deactivate 1 user.");
	c.admin = true;
	t = problem(&l, &c, 0, NULL);
	contains(t, "administrators can sign in");
	contains(t, "26 users");
}

/* After the grace period the sentence names the day it ended. */
static void
test_seats_after_grace(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2027-03-08");
	const char *t;

	(void)state;
	l.grace_days = 7;
	c.has_users = true;
	c.users = 26;
	c.has_over_since = true;
	c.over_since = day("2027-03-01");
	t = problem(&l, &c, 0, NULL);
	contains(t, "grace period ended on 2027-03-07");
	contains(t, "26 users");
	contains(t, "25 licences");
	/* Without grace no grace is mentioned. */
	l.grace_days = 0;
	t = problem(&l, &c, 0, NULL);
	lacks(t, "grace");
}

/* One seat is one licence, not "1 licences". */
static void
test_seats_singular(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2027-03-01");
	const char *t;

	(void)state;
	l.seats = 1;
	c.has_users = true;
	c.users = 2;
	t = problem(&l, &c, 0, NULL);
	contains(t, "2 users");
	contains(t, "deactivate 1 user.");
	lacks(t, "1 licences");
	contains(t, "1 licence");
	/* The same in the grace warning. */
	l.grace_days = 3;
	c.has_over_since = true;
	c.over_since = c.today;
	t = warning(&l, &c, LKEY_W_SEATS_GRACE);
	lacks(t, "1 licences");
}

/* A module over its own count: named as the caller names it. */
static void
test_module(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2027-03-01");
	const char *t;

	(void)state;
	l.features = 0xffU;
	l.module_seats[7] = 10;
	c.module_users_set = 1U << 7;
	c.module_users[7] = 13;
	t = problem(&l, &c, 0, "payroll");
	contains(t, "module payroll");
	contains(t, "13 users");
	contains(t, "10 licences");
	contains(t, "remove 3 users");
	lacks(t, "module 7");
	t = problem(&l, &c, 0, NULL);
	contains(t, "module 7");
	c.module_users[7] = 11;
	t = problem(&l, &c, 0, NULL);
	contains(t, "remove 1 user ");
	c.admin = true;
	t = problem(&l, &c, 0, "payroll");
	contains(t, "administrators can sign in");
	contains(t, "module payroll");
	/* One seat of its own. */
	c.admin = false;
	l.module_seats[7] = 1;
	c.module_users[7] = 2;
	t = problem(&l, &c, 0, "payroll");
	contains(t, "1 licence:");
}

/* A module the licence does not include at all. */
static void
test_module_unlicensed(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2027-03-01");
	const char *t;

	(void)state;
	c.module_users_set = 1U << 12;
	c.module_users[12] = 1;
	t = problem(&l, &c, 0, "payroll");
	contains(t, "1 user ");
	lacks(t, "1 users");
	contains(t, "module payroll");
	contains(t, "does not include");
	t = problem(&l, &c, 0, NULL);
	contains(t, "module 12");
	c.module_users[12] = 4;
	t = problem(&l, &c, 0, "payroll");
	contains(t, "4 users");
	contains(t, "module payroll");
}

/* A long module name is part of the sentence, whole. */
static void
test_module_long_name(void **state)
{
	static const char name[] = "payroll and human resources management "
	    "suite for enterprises";
	lkey_license l = licence();
	lkey_context c = context("2027-03-01");
	const char *t;

	(void)state;
	l.module_seats[1] = 10;
	c.module_users_set = 1U << 1;
	c.module_users[1] = 13;
	t = problem(&l, &c, 0, name);
	contains(t, name);
}

/* Every problem of a report has a sentence; the caller's order stands. */
static void
test_every_problem(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2028-01-05");
	lkey_report r;
	char out[TEXT_MAX];
	size_t i;
	static const lkey_status others[] = { LKEY_MALFORMED,
	    LKEY_UNKNOWN_KEY, LKEY_BAD_SIGNATURE };
	static const lkey_status own[] = { LKEY_HOST_MISMATCH, LKEY_REVOKED };

	(void)state;
	l.module_seats[1] = 5;
	c.has_release = true;
	c.release = day("2027-12-01");
	c.has_users = true;
	c.users = 26;
	c.module_users_set = 1U << 1;
	c.module_users[1] = 6;
	assert_int_equal(lkey_check(&l, &c, &r), LKEY_EXPIRED);
	assert_int_equal(r.nproblems, 4);
	for (i = 0; i < r.nproblems; i++) {
		size_t n = lkey_problem_text(&r.problems[i], &l, &c, &r,
		    "desktop", out, sizeof(out));

		assert_int_equal(strlen(out), n);
		assert_true(n > 20);
		assert_int_equal(out[n - 1], '.');
	}
	/* Statuses without a sentence of their own: the status message. */
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		lkey_problem p = { others[i], LKEY_MODULE_NONE };

		(void)lkey_problem_text(&p, &l, &c, &r, NULL, out,
		    sizeof(out));
		assert_string_equal(out, lkey_status_message(others[i]));
	}
	/* A revoked or node-locked key: a sentence naming it. */
	for (i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
		lkey_problem p = { own[i], LKEY_MODULE_NONE };
		size_t n = lkey_problem_text(&p, &l, &c, &r, NULL, out,
		    sizeof(out));

		assert_int_equal(strlen(out), n);
		assert_true(n > 20);
		assert_int_equal(out[n - 1], '.');
	}
	/* Without this computer's id, a node-locked key says so. */
	{
		lkey_problem p = { LKEY_HOST_MISMATCH, LKEY_MODULE_NONE };

		c.has_host = false;
		(void)lkey_problem_text(&p, &l, &c, &r, NULL, out,
		    sizeof(out));
		assert_non_null(strstr(out, "could not be read"));
		c.has_host = true;
		(void)lkey_problem_text(&p, &l, &c, &r, NULL, out,
		    sizeof(out));
		assert_non_null(strstr(out, "another computer"));
	}
	{
		lkey_problem p = { LKEY_REVOKED, LKEY_MODULE_NONE };

		(void)lkey_problem_text(&p, &l, &c, &r, NULL, out,
		    sizeof(out));
		assert_non_null(strstr(out, "revoked"));
	}
}

static void
test_warning_trial(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2027-03-01");
	const char *t;

	(void)state;
	l.trial = true;
	t = warning(&l, &c, LKEY_W_TRIAL);
	contains(t, "trial");
	contains(t, "2027-12-31");
}

static void
test_warning_expiring(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2027-12-02");
	const char *t;

	(void)state;
	t = warning(&l, &c, LKEY_W_LICENSE_EXPIRING);
	contains(t, "2027-12-31");
	contains(t, "30 days left");
	c.today = day("2027-12-31");
	t = warning(&l, &c, LKEY_W_LICENSE_EXPIRING);
	contains(t, "2027-12-31");
	contains(t, "(1 day left)");
}

static void
test_warning_maintenance(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2027-06-21");
	const char *t;

	(void)state;
	t = warning(&l, &c, LKEY_W_MAINTENANCE_EXPIRING);
	contains(t, "2027-06-30");
	contains(t, "10 days left");
	c.today = day("2027-06-30");
	t = warning(&l, &c, LKEY_W_MAINTENANCE_EXPIRING);
	contains(t, "(1 day left)");
	/* Ended, with an add-on that needs it. */
	c.today = day("2027-07-01");
	c.maintenance_features = 0x2;
	t = warning(&l, &c, LKEY_W_ADDONS_UNAVAILABLE);
	contains(t, "2027-06-30");
	contains(t, "add-ons");
}

static void
test_warning_grace(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2027-03-01");
	const char *t;

	(void)state;
	l.grace_days = 7;
	c.has_users = true;
	c.users = 27;
	c.has_over_since = true;
	c.over_since = day("2027-03-01");
	t = warning(&l, &c, LKEY_W_SEATS_GRACE);
	contains(t, "2027-03-07");
	contains(t, "(7 days left)");
	contains(t, "27 users");
	contains(t, "25 licences");
	contains(t, "deactivate 2 users");
	c.today = day("2027-03-07");
	c.users = 26;
	t = warning(&l, &c, LKEY_W_SEATS_GRACE);
	contains(t, "2027-03-07");
	contains(t, "(1 day left)");
	contains(t, "deactivate 1 user by");
}

/* A small buffer: cut, NUL-terminated, full length returned. */
static void
test_truncation(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2028-01-01");
	lkey_report r;
	char full[TEXT_MAX], out[16];
	size_t n, k;

	(void)state;
	assert_int_equal(lkey_check(&l, &c, &r), LKEY_EXPIRED);
	n = lkey_problem_text(&r.problems[0], &l, &c, &r, NULL, full,
	    sizeof(full));
	assert_int_equal(n, strlen("The licence expired on 2027-12-31. "
	    "Register a renewed licence key."));
	for (k = 1; k <= sizeof(out); k++) {
		memset(out, 'x', sizeof(out));
		assert_int_equal(lkey_problem_text(&r.problems[0], &l, &c, &r,
		    NULL, out, k), n);
		assert_int_equal(strlen(out), k - 1);
		assert_memory_equal(out, full, k - 1);
		if (k < sizeof(out))
			assert_int_equal(out[k], 'x');
	}
	/* Cap 0 writes nothing at all. */
	memset(out, 'x', sizeof(out));
	assert_int_equal(lkey_problem_text(&r.problems[0], &l, &c, &r, NULL,
	    out, 0), n);
	assert_int_equal(out[0], 'x');
	/* Exactly enough room; one byte less cuts the final period. */
	{
		char exact[TEXT_MAX];

		assert_int_equal(lkey_problem_text(&r.problems[0], &l, &c, &r,
		    NULL, exact, n + 1), n);
		assert_string_equal(exact, full);
		assert_int_equal(lkey_problem_text(&r.problems[0], &l, &c, &r,
		    NULL, exact, n), n);
		assert_int_equal(strlen(exact), n - 1);
		assert_int_equal(exact[n - 2], 'y');
	}

	/* Warnings likewise. */
	c.today = day("2027-12-31");
	l.trial = true;
	assert_int_equal(lkey_check(&l, &c, &r), LKEY_OK);
	n = lkey_warning_text(LKEY_W_LICENSE_EXPIRING, &l, &c, &r, full,
	    sizeof(full));
	assert_true(n > sizeof(out));
	memset(out, 'x', sizeof(out));
	assert_int_equal(lkey_warning_text(LKEY_W_LICENSE_EXPIRING, &l, &c,
	    &r, out, 5), n);
	assert_string_equal(out, "The ");
	assert_int_equal(out[5], 'x');
	memset(out, 'x', sizeof(out));
	assert_int_equal(lkey_warning_text(LKEY_W_TRIAL, &l, &c, &r, out, 0),
	    lkey_warning_text(LKEY_W_TRIAL, &l, &c, &r, full, sizeof(full)));
	assert_int_equal(out[0], 'x');

	/* A module problem with its name, cut inside the name. */
	l.trial = false;
	l.module_seats[1] = 1;
	c.module_users_set = 1U << 1;
	c.module_users[1] = 2;
	assert_int_equal(lkey_check(&l, &c, &r), LKEY_SEATS_EXCEEDED);
	n = lkey_problem_text(&r.problems[0], &l, &c, &r, "payroll", full,
	    sizeof(full));
	memset(out, 'x', sizeof(out));
	assert_int_equal(lkey_problem_text(&r.problems[0], &l, &c, &r,
	    "payroll", out, sizeof(out)), n);
	assert_int_equal(strlen(out), sizeof(out) - 1);
	assert_memory_equal(out, full, sizeof(out) - 1);
}

/* An unknown warning: nothing to say, an empty string. */
static void
test_warning_out_of_range(void **state)
{
	lkey_license l = licence();
	lkey_context c = context("2027-03-01");
	lkey_report r;
	char out[8];

	(void)state;
	assert_int_equal(lkey_check(&l, &c, &r), LKEY_OK);
	memset(out, 'x', sizeof(out));
	assert_int_equal(lkey_warning_text((lkey_warning)LKEY_WARNING_COUNT,
	    &l, &c, &r, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	memset(out, 'x', sizeof(out));
	assert_int_equal(lkey_warning_text((lkey_warning)99, &l, &c, &r, out,
	    0), 0);
	assert_int_equal(out[0], 'x');
}

static void
test_warning_names(void **state)
{
	int i, j;

	(void)state;
	assert_string_equal(lkey_warning_name(LKEY_W_TRIAL), "trial");
	assert_string_equal(lkey_warning_name(LKEY_W_LICENSE_EXPIRING),
	    "license_expiring");
	assert_string_equal(lkey_warning_name(LKEY_W_MAINTENANCE_EXPIRING),
	    "maintenance_expiring");
	assert_string_equal(lkey_warning_name(LKEY_W_ADDONS_UNAVAILABLE),
	    "addons_unavailable");
	assert_string_equal(lkey_warning_name(LKEY_W_SEATS_GRACE),
	    "seats_grace");
	assert_string_equal(lkey_warning_name((lkey_warning)LKEY_WARNING_COUNT),
	    "unknown");
	assert_string_equal(lkey_warning_name((lkey_warning)99), "unknown");
	assert_string_equal(lkey_warning_name((lkey_warning)-1), "unknown");
	for (i = 0; i < LKEY_WARNING_COUNT; i++)
		for (j = 0; j < i; j++)
			assert_string_not_equal(
			    lkey_warning_name((lkey_warning)i),
			    lkey_warning_name((lkey_warning)j));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expired),
		cmocka_unit_test(test_not_yet_valid),
		cmocka_unit_test(test_clock_and_maintenance),
		cmocka_unit_test(test_wrong_product),
		cmocka_unit_test(test_seats),
		cmocka_unit_test(test_seats_after_grace),
		cmocka_unit_test(test_seats_singular),
		cmocka_unit_test(test_module),
		cmocka_unit_test(test_module_unlicensed),
		cmocka_unit_test(test_module_long_name),
		cmocka_unit_test(test_every_problem),
		cmocka_unit_test(test_warning_trial),
		cmocka_unit_test(test_warning_expiring),
		cmocka_unit_test(test_warning_maintenance),
		cmocka_unit_test(test_warning_grace),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_warning_out_of_range),
		cmocka_unit_test(test_warning_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

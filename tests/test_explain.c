/*
 * test_explain.c - the sentences a licence screen shows for each problem
 * and warning: the right dates and counts, module names, truncation, and
 * the stable warning names. The sentences are what end users read, so a
 * table of cases checks the parts each must say (and must not).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "lkey.h"

#define TEXT_MAX 512

/* Features 0 and 1, the default notice, issued on its first day. */
#define BASE "features=0x3 notice=30 issued=2027-01-01 "

/* Which sentence of a case: problem i of the report, or warning w. */
#define P(i) (i)
#define W(w) (100 + (w))

struct ecase {
	const char *what, *lic, *ctx;
	int text;			/* P(i) or W(w) */
	const char *module;		/* the caller's name for it, or NULL */
	const char *exact;		/* the whole sentence, or NULL */
	const char *has[5], *lacks[2];
};

#define LONG_NAME "payroll and human resources management suite for " \
	"enterprises"
#define EXPIRED "The licence expired on 2027-12-31. Register a renewed " \
	"licence key."

static const struct ecase cases[] = {
	{ "expired", BASE, "today=2028-01-01", P(0), NULL, EXPIRED, { 0 },
	  { 0 } },
	{ "expired long ago", BASE, "today=2030-06-15", P(0), NULL, EXPIRED,
	  { 0 }, { 0 } },
	{ "starts in 3 days", BASE, "today=2026-12-29", P(0), NULL, NULL,
	  { "2027-01-01", "in 3 days" }, { 0 } },
	{ "starts tomorrow", BASE, "today=2026-12-31", P(0), NULL, NULL,
	  { "2027-01-01", "in 1 day)" }, { 0 } },
	{ "clock set back", BASE, "today=2027-09-01 release=2027-09-10",
	  P(0), NULL, NULL, { "2027-09-01", "2027-09-10" }, { 0 } },
	{ "maintenance lapsed", BASE, "today=2027-09-01 release=2027-09-10",
	  P(1), NULL, NULL, { "2027-06-30", "2027-09-10" }, { "2027-09-01" } },
	{ "wrong product", BASE "product=4711", "product=815", P(0), NULL,
	  NULL, { "4711", "815" }, { 0 } },
	/* The product's own seats: counts, what to do, admin or not. */
	{ "28 users of 25", BASE, "users=28", P(0), NULL, NULL,
	  { "28 users", "25 licences", "deactivate 3 users." },
	  { "administrators can" } },
	{ "26 users of 25", BASE, "users=26", P(0), NULL, NULL,
	  { "deactivate 1 user." }, { 0 } },
	{ "26 users of 25, admin", BASE, "users=26 admin=1", P(0), NULL, NULL,
	  { "administrators can sign in", "26 users" }, { 0 } },
	{ "after the grace period", BASE "grace=7",
	  "today=2027-03-08 users=26 over_since=2027-03-01", P(0), NULL, NULL,
	  { "grace period ended on 2027-03-07", "26 users", "25 licences" },
	  { 0 } },
	{ "without grace none is mentioned", BASE "grace=0",
	  "today=2027-03-08 users=26 over_since=2027-03-01", P(0), NULL, NULL,
	  { 0 }, { "grace" } },
	/* One seat is one licence, not "1 licences". */
	{ "one seat", BASE "seats=1", "users=2", P(0), NULL, NULL,
	  { "2 users", "deactivate 1 user.", "1 licence" }, { "1 licences" } },
	{ "one seat, in grace", BASE "seats=1 grace=3",
	  "users=2 over_since=2027-03-01", W(LKEY_W_SEATS_GRACE), NULL, NULL,
	  { 0 }, { "1 licences" } },
	/* A module over its own count: named as the caller names it, what
	 * to do about the module, and that the product is not affected. */
	{ "module by name", BASE "features=0xff module_seats[7]=10",
	  "module_users[7]=13", P(0), "payroll",
	  "The payroll module has 13 users for 10 seats: the module is "
	  "unavailable, the rest of the product is not affected. Remove 3 "
	  "users from the module or add seats to it.", { 0 }, { 0 } },
	{ "module without a name", BASE "features=0xff module_seats[7]=10",
	  "module_users[7]=13", P(0), NULL, NULL, { "Module 7 has" },
	  { "The " } },
	{ "module, one user over", BASE "features=0xff module_seats[7]=10",
	  "module_users[7]=11", P(0), NULL, NULL, { "Remove 1 user " },
	  { 0 } },
	/* admin_only is the product's: an administrator gets the same. */
	{ "module, admin", BASE "features=0xff module_seats[7]=10",
	  "module_users[7]=11 admin=1", P(0), "payroll", NULL,
	  { "The payroll module has 11 users for 10 seats" },
	  { "administrators" } },
	{ "module of one seat", BASE "features=0xff module_seats[7]=1",
	  "module_users[7]=2", P(0), "payroll", NULL, { "for 1 seat:" },
	  { "1 seats" } },
	{ "module not licensed", BASE, "module_users[12]=1", P(0), "payroll",
	  "The payroll module is not licensed, but 1 user is assigned to it: "
	  "the module is unavailable, the rest of the product is not "
	  "affected. Remove that user from the module or register a licence "
	  "key that includes it.", { 0 }, { 0 } },
	{ "module not licensed, no name", BASE, "module_users[12]=1", P(0),
	  NULL, NULL, { "Module 12 is not licensed" }, { 0 } },
	{ "module not licensed, 4 users", BASE, "module_users[12]=4", P(0),
	  "payroll", NULL, { "4 users are", "The payroll module",
	  "those users" }, { 0 } },
	{ "a long module name, whole", BASE "module_seats[1]=10",
	  "module_users[1]=13", P(0), LONG_NAME, NULL, { LONG_NAME }, { 0 } },
	/* The product over its seats as well: its own sentence first. */
	{ "product and module over", BASE "module_seats[1]=10",
	  "users=26 module_users[1]=13", P(0), "payroll", NULL,
	  { "26 users are active for 25 licences" }, { "payroll" } },
	{ "product and module over: the module", BASE "module_seats[1]=10",
	  "users=26 module_users[1]=13", P(1), "payroll", NULL,
	  { "The payroll module has 13 users" }, { 0 } },
	/* Warnings. */
	{ "trial", BASE "trial=1", "", W(LKEY_W_TRIAL), NULL, NULL,
	  { "trial", "2027-12-31" }, { 0 } },
	{ "licence expiring", BASE, "today=2027-12-02",
	  W(LKEY_W_LICENSE_EXPIRING), NULL, NULL,
	  { "2027-12-31", "30 days left" }, { 0 } },
	{ "licence expiring, last day", BASE, "today=2027-12-31",
	  W(LKEY_W_LICENSE_EXPIRING), NULL, NULL,
	  { "2027-12-31", "(1 day left)" }, { 0 } },
	{ "maintenance expiring", BASE, "today=2027-06-21",
	  W(LKEY_W_MAINTENANCE_EXPIRING), NULL, NULL,
	  { "2027-06-30", "10 days left" }, { 0 } },
	{ "maintenance expiring, last day", BASE, "today=2027-06-30",
	  W(LKEY_W_MAINTENANCE_EXPIRING), NULL, NULL, { "(1 day left)" },
	  { 0 } },
	{ "add-ons unavailable", BASE,
	  "today=2027-07-01 maintenance_features=0x2",
	  W(LKEY_W_ADDONS_UNAVAILABLE), NULL, NULL,
	  { "2027-06-30", "add-ons" }, { 0 } },
	/* A perpetual licence with the clock set back: the add-ons wait
	 * for a correct clock only while maintenance has an end. */
	{ "clock behind", BASE "expires=never maintenance=2027-12-31",
	  "today=2027-09-01 release=2027-09-10", W(LKEY_W_CLOCK_BEHIND), NULL,
	  "The system clock says 2027-09-01, before this release was built "
	  "(2027-09-10): the clock is set back. The licence keeps running, "
	  "but add-ons that need maintenance and any grace period wait until "
	  "the date and time are corrected.", { 0 }, { 0 } },
	{ "clock behind, maintenance never ends",
	  BASE "expires=never maintenance=never",
	  "today=2027-09-01 release=2027-09-10", W(LKEY_W_CLOCK_BEHIND), NULL,
	  "The system clock says 2027-09-01, before this release was built "
	  "(2027-09-10): the clock is set back. The licence keeps running, "
	  "but any grace period waits until the date and time are "
	  "corrected.", { 0 }, { 0 } },
	{ "grace, first day", BASE "grace=7",
	  "users=27 over_since=2027-03-01", W(LKEY_W_SEATS_GRACE), NULL, NULL,
	  { "2027-03-07", "(7 days left)", "27 users", "25 licences",
	    "deactivate 2 users" }, { 0 } },
	{ "grace, last day", BASE "grace=7",
	  "today=2027-03-07 users=26 over_since=2027-03-01",
	  W(LKEY_W_SEATS_GRACE), NULL, NULL,
	  { "2027-03-07", "(1 day left)", "deactivate 1 user by" }, { 0 } },
};

/*
 * The sentence of case c into out, checked as every sentence must be: the
 * report has that problem or warning, the length returned is the length
 * written, and it ends with a period. false (counted in t) if not.
 */
static bool
sentence(struct tally *t, const struct ecase *c, char *out, size_t cap)
{
	lkey_license l = lic_make(c->lic);
	lkey_context x = ctx_make(c->ctx);
	lkey_report r;
	lkey_status st = lkey_check(&l, &x, &r);
	int before = t->failures;
	size_t n;

	memset(out, 'x', cap);
	if (c->text >= W(0)) {
		lkey_warning w = (lkey_warning)(c->text - W(0));

		tcheck(t, st == LKEY_OK && (r.warnings & (1U << w)), c->what,
		    NULL, "%s, warnings %#x: not valid with warning %d",
		    lkey_status_name(st), (unsigned)r.warnings, (int)w);
		if (t->failures != before)
			return false;
		n = lkey_warning_text(w, &l, &x, &r, out, cap);
	} else {
		size_t i = (size_t)c->text;

		tcheck(t, i < r.nproblems, c->what, NULL,
		    "%s with %zu problems: no problem %zu",
		    lkey_status_name(st), r.nproblems, i);
		if (t->failures != before)
			return false;
		n = lkey_problem_text(&r.problems[i], &l, &x, &r, c->module,
		    out, cap);
	}
	tcheck(t, n > 0 && n < cap && strlen(out) == n && out[n - 1] == '.',
	    c->what, NULL, "length %zu for \"%s\": not a whole sentence", n,
	    out);
	return true;
}

static void
test_sentences(void **state)
{
	struct tally t = { 0, 0, 0 };
	char out[TEXT_MAX];
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct ecase *c = &cases[i];

		t.cases++;
		if (!sentence(&t, c, out, sizeof(out)))
			continue;
		if (c->exact != NULL)
			tcheck(&t, strcmp(out, c->exact) == 0, c->what, NULL,
			    "\"%s\", expected \"%s\"", out, c->exact);
		for (k = 0; k < 5 && c->has[k] != NULL; k++)
			tcheck(&t, strstr(out, c->has[k]) != NULL, c->what,
			    NULL, "\"%s\" lacks \"%s\"", out, c->has[k]);
		for (k = 0; k < 2 && c->lacks[k] != NULL; k++)
			tcheck(&t, strstr(out, c->lacks[k]) == NULL, c->what,
			    NULL, "\"%s\" has \"%s\"", out, c->lacks[k]);
	}
	tally_done(&t, "sentences");
}

/* Every problem of a report has a sentence; the caller's order stands. */
static void
test_every_problem(void **state)
{
	lkey_license l = lic_make(BASE "module_seats[1]=5");
	lkey_context c = ctx_make("today=2028-01-05 release=2027-12-01 "
	    "users=26 module_users[1]=6");
	lkey_report r;
	char out[TEXT_MAX];
	size_t i;
	static const lkey_status others[] = { LKEY_MALFORMED,
	    LKEY_UNKNOWN_KEY, LKEY_BAD_SIGNATURE };
	static const lkey_status own[] = { LKEY_HOST_MISMATCH, LKEY_REVOKED };

	(void)state;
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

/* A revocation list older than one seen here, or none: which, and what
 * to do. */
static void
test_revocations_outdated(void **state)
{
	static lkey_revocations list;
	lkey_license l = lic_make(BASE);
	lkey_context c = ctx_make("");
	lkey_problem p = { LKEY_REVOCATIONS_OUTDATED, LKEY_MODULE_NONE };
	lkey_state s;
	lkey_report r;
	char out[TEXT_MAX];
	size_t n;

	(void)state;
	lkey_state_init(&s, 1);
	s.revocation_sequence = 5;
	c.state = &s;
	assert_int_equal(lkey_check(&l, &c, &r), LKEY_REVOCATIONS_OUTDATED);
	n = lkey_problem_text(&r.problems[0], &l, &c, &r, NULL, out,
	    sizeof(out));
	assert_int_equal(strlen(out), n);
	assert_string_equal(out, "No revocation list was given, but list 5 "
	    "was already used on this computer. Install the latest "
	    "revocation list from the vendor.");
	memset(&list, 0, sizeof(list));
	list.sequence = 3;
	c.revocations = &list;
	(void)lkey_problem_text(&p, &l, &c, &r, NULL, out, sizeof(out));
	assert_string_equal(out, "The vendor's revocation list given is "
	    "number 3, older than list 5, already used on this computer. "
	    "Install the latest revocation list from the vendor.");
}

/* A small buffer: cut, NUL-terminated, full length returned. */
static void
test_truncation(void **state)
{
	lkey_license l = lic_make(BASE);
	lkey_context c = ctx_make("today=2028-01-01");
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
	lic_issue(&l);
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
	lic_issue(&l);
	c.module_users_set = 1U << 1;
	c.module_users[1] = 2;
	assert_int_equal(lkey_check(&l, &c, &r), LKEY_OK);
	assert_int_equal(r.nproblems, 1);
	assert_int_equal(r.problems[0].module, 1);
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
	lkey_license l = lic_make(BASE);
	lkey_context c = ctx_make("");
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
		cmocka_unit_test(test_sentences),
		cmocka_unit_test(test_every_problem),
		cmocka_unit_test(test_revocations_outdated),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_warning_out_of_range),
		cmocka_unit_test(test_warning_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

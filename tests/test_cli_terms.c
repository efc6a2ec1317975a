/*
 * test_cli_terms.c - the licence terms end to end: keys issued with
 * lkey-keygen's term options (--grace-days, --notice-days, --module-seats,
 * --trial, --issued), checked by lkey-verify (--over-since,
 * --module-users, --users, --admin, --release) on a fixed --today, mostly
 * through --json. Programs are started by proc.c from the repository root.
 *
 * Each period is tested on both sides of its boundary: the last day of
 * grace and the day after, the first day of the notice period and the day
 * before, the last day of maintenance and the day after, a module's seat
 * count and one more. Table-driven: a run lists every case that goes
 * wrong.
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
#include "proc.h"

#define TEXTCAP 1024U

/* ---- helpers ------------------------------------------------------------ */

/* A timetracker key (demo vendor, catalog names, edition professional)
 * with the options that follow key (NULL-terminated). */
static void tt_key(const struct fx *fx, char *key, ...);

static void
tt_key(const struct fx *fx, char *key, ...)
{
	static const char *const prefix[] = { "--secret", DEMO_SEC,
	    "--catalog", CATALOG, "--product", "timetracker", "--edition",
	    "professional", NULL };
	const char *opts[ARGMAX + 1U];
	va_list ap;

	va_start(ap, key);
	prefix_args(prefix, ap, opts);
	va_end(ap);
	issue_argv(fx, NULL, key, KEYCAP, opts);
}

/* lkey-verify --pubkey DEMO_PUB --catalog CATALOG --product timetracker
 * and the arguments that follow r (NULL-terminated). */
static void tt_verify(const struct fx *fx, struct result *r, ...);

static void
tt_verify(const struct fx *fx, struct result *r, ...)
{
	static const char *const prefix[] = { "lkey-verify", "--pubkey",
	    DEMO_PUB, "--catalog", CATALOG, "--product", "timetracker", NULL };
	const char *argv[ARGMAX + 1U];
	va_list ap;

	va_start(ap, r);
	prefix_args(prefix, ap, argv);
	va_end(ap);
	run(fx, argv, NULL, 0, r);
}

/* Member `field` of each object in array `name` (strings quoted, numbers
 * bare, absent members as "-"), comma-joined. */
static void
member_text(const json_doc *d, const char *name, const char *field,
    char *out, size_t cap)
{
	size_t arr = json_get_array(d, json_root(d), name), e, len = 0;

	out[0] = '\0';
	JSON_FOR_EACH(d, arr, e)
		json_value_append(d, json_find(d, e, field), out, cap, &len);
}

/*
 * An object member as "name:value,..." (string values quoted) for the
 * names the tests use, in that order; other members fail the test (the
 * JSON reader finds members by name, it does not list them).
 */
static void
object_text(const json_doc *d, const char *name, char *out, size_t cap)
{
	static const char *const names[] = { "desktop", "reports", "payroll",
	    "mobile", "2", "7" };
	size_t obj = json_get_object(d, json_root(d), name);
	size_t left = json_count(d, obj), i, len = 0;

	out[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t v = json_find(d, obj, names[i]), vlen = 0;
		char val[64];

		if (v == JSON_NONE)
			continue;
		json_value_append(d, v, val, sizeof(val), &vlen);
		bprintf(out + len, cap - len, "%s%s:%s", len > 0 ? "," : "",
		    names[i], val);
		len += strlen(out + len);
		left--;
	}
	if (left != 0)
		fail_msg("JSON \"%s\" has %zu members besides %s", name, left,
		    out);
}

/*
 * Runs lkey-verify (tt_verify) with --json and the arguments, checks the
 * verdict (exit code, status, stderr) as a new case of t and returns the
 * report.
 */
static json_doc *check(const struct fx *fx, struct tally *t,
    struct result *r, const char *what, const char *status, int code, ...);

static json_doc *
check(const struct fx *fx, struct tally *t, struct result *r,
    const char *what, const char *status, int code, ...)
{
	static const char *const prefix[] = { "lkey-verify", "--pubkey",
	    DEMO_PUB, "--catalog", CATALOG, "--product", "timetracker",
	    "--json", NULL };
	const char *argv[ARGMAX + 1U];
	va_list ap;

	va_start(ap, code);
	prefix_args(prefix, ap, argv);
	va_end(ap);
	run(fx, argv, NULL, 0, r);
	expect_verdict(t, what, r, "key", status, code);
	return report(r);
}

/* Checks of one report member, each a failure of the current case. */
static void
jstr(struct tally *t, const char *what, const struct result *r,
    const json_doc *d, const char *name, const char *want)
{
	const char *got = json_get_string(d, json_root(d), name);

	tcheck(t, strcmp(got, want) == 0, what, r, "\"%s\" is \"%s\", "
	    "expected \"%s\"", name, got, want);
}

static void
jint(struct tally *t, const char *what, const struct result *r,
    const json_doc *d, const char *name, int64_t want)
{
	int64_t got = json_get_int(d, json_root(d), name);

	tcheck(t, got == want, what, r, "\"%s\" is %lld, expected %lld", name,
	    (long long)got, (long long)want);
}

static void
jbool(struct tally *t, const char *what, const struct result *r,
    const json_doc *d, const char *name, bool want)
{
	bool got = json_get_bool(d, json_root(d), name);

	tcheck(t, got == want, what, r, "\"%s\" is %s, expected %s", name,
	    got ? "true" : "false", want ? "true" : "false");
}

static void
jnull(struct tally *t, const char *what, const struct result *r,
    const json_doc *d, const char *name)
{
	tcheck(t, json_has(d, json_root(d), name) &&
	    json_get_is_null(d, json_root(d), name), what, r,
	    "\"%s\" is not null", name);
}

static void
jabsent(struct tally *t, const char *what, const struct result *r,
    const json_doc *d, const char *name)
{
	tcheck(t, !json_has(d, json_root(d), name), what, r,
	    "\"%s\" is there; it should not be", name);
}

/* Compares text built from the report (array, members, object). */
static void
jtext(struct tally *t, const char *what, const struct result *r,
    const char *name, const char *got, const char *want)
{
	tcheck(t, strcmp(got, want) == 0, what, r, "%s is [%s], expected [%s]",
	    name, got, want);
}

static void
jarray(struct tally *t, const char *what, const struct result *r,
    const json_doc *d, const char *name, const char *want)
{
	char got[TEXTCAP];

	json_array_text(d, json_root(d), name, got, sizeof(got));
	jtext(t, what, r, name, got, want);
}

/* The codes of the warnings, the statuses or modules of the problems. */
static void
jmembers(struct tally *t, const char *what, const struct result *r,
    const json_doc *d, const char *name, const char *field, const char *want)
{
	char got[TEXTCAP], label[64];

	member_text(d, name, field, got, sizeof(got));
	bprintf(label, sizeof(label), "%s[].%s", name, field);
	jtext(t, what, r, label, got, want);
}

static void
jobject(struct tally *t, const char *what, const struct result *r,
    const json_doc *d, const char *name, const char *want)
{
	char got[TEXTCAP];

	object_text(d, name, got, sizeof(got));
	jtext(t, what, r, name, got, want);
}

/* Message i of array `name` (problems or warnings) holds needle. */
static void
jmessage(struct tally *t, const char *what, const struct result *r,
    const json_doc *d, const char *name, size_t i, const char *needle)
{
	size_t arr = json_get_array(d, json_root(d), name);
	const char *msg;

	if (i >= json_count(d, arr)) {
		tcheck(t, false, what, r, "%s has no element %zu", name, i);
		return;
	}
	msg = json_get_string(d, json_at(d, arr, i), "message");
	tcheck(t, strstr(msg, needle) != NULL, what, r,
	    "%s[%zu].message \"%s\" does not hold \"%s\"", name, i, msg,
	    needle);
}

static void
out_has(struct tally *t, const char *what, const struct result *r,
    const char *needle)
{
	tcheck(t, strstr(r->out, needle) != NULL, what, r,
	    "stdout does not hold \"%s\"", needle);
}

/*
 * A usage error of PROG: exit 2, nothing on stdout, one stderr line
 * "PROG: ... (see PROG --help)" that holds needle (if not NULL).
 */
static void
expect_usage(struct tally *t, const char *what, const struct result *r,
    const char *prog, const char *needle)
{
	char head[32], tail[64];

	bprintf(head, sizeof(head), "%s: ", prog);
	bprintf(tail, sizeof(tail), " (see %s --help)\n", prog);
	t->cases++;
	tcheck(t, r->code == 2, what, r, "exit %d, expected 2", r->code);
	tcheck(t, r->outlen == 0, what, r, "stdout is not empty");
	tcheck(t, err_lines(r) == 1 && strncmp(r->err, head,
	    strlen(head)) == 0 && r->errlen > strlen(tail) &&
	    strcmp(r->err + r->errlen - strlen(tail), tail) == 0, what, r,
	    "stderr is not one line \"%s...%.*s\"", head,
	    (int)strlen(tail) - 1, tail);
	if (needle != NULL)
		tcheck(t, strstr(r->err, needle) != NULL, what, r,
		    "stderr does not mention \"%s\"", needle);
}

/* ---- 1. lkey-keygen's term options -------------------------------------- */

static void
test_keygen_term_options(void **state)
{
	const struct fx *fx = *state;
	static const struct {
		const char *what, *opt, *val, *opt2, *val2, *needle;
	} bad[] = {
		{ "--grace-days 366", "--grace-days", "366", NULL, NULL,
		  "--grace-days" },
		{ "--grace-days 07", "--grace-days", "07", NULL, NULL, NULL },
		{ "--notice-days -1", "--notice-days", "-1", NULL, NULL,
		  "--notice-days" },
		{ "--notice-days abc", "--notice-days", "abc", NULL, NULL,
		  "--notice-days" },
		{ "--notice-days 366", "--notice-days", "366", NULL, NULL,
		  NULL },
		{ "module not in the catalog", "--module-seats", "nosuch=5",
		  NULL, NULL, "nosuch" },
		{ "module not in --features", "--module-seats", "mobile=5",
		  NULL, NULL, "--features" },
		{ "module given twice", "--module-seats", "payroll=5,payroll=6",
		  NULL, NULL, "twice" },
		{ "module by name and number", "--module-seats",
		  "2=5,payroll=6", NULL, NULL, "twice" },
		{ "module seats 0", "--module-seats", "payroll=0", NULL, NULL,
		  "payroll" },
		{ "module seats 16777215", "--module-seats",
		  "payroll=16777215", NULL, NULL, NULL },
		{ "module without a count", "--module-seats", "payroll", NULL,
		  NULL, NULL },
		{ "--trial --expires never", "--trial", NULL, "--expires",
		  "never", "--trial" },
		{ "--issued 2027-02-30", "--issued", "2027-02-30", NULL, NULL,
		  "--issued" },
	};
	struct tally t = { 0, 0, 0 };
	char a[KEYCAP], b[KEYCAP];
	struct result r;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *argv[ARGMAX + 1U];
		size_t n = 0;

		argv[n++] = "lkey-keygen";
		argv[n++] = "issue";
		argv[n++] = "--no-ledger";
		argv[n++] = "--secret";
		argv[n++] = DEMO_SEC;
		argv[n++] = "--catalog";
		argv[n++] = CATALOG;
		argv[n++] = "--product";
		argv[n++] = "timetracker";
		argv[n++] = "--edition";
		argv[n++] = "professional";
		argv[n++] = "--seats";
		argv[n++] = "25";
		argv[n++] = "--starts";
		argv[n++] = "2027-01-01";
		argv[n++] = "--maintenance";
		argv[n++] = "2027-12-31";
		argv[n++] = "--features";
		argv[n++] = "desktop,payroll";
		argv[n++] = bad[i].opt;
		if (bad[i].val != NULL)
			argv[n++] = bad[i].val;
		argv[n++] = "--expires";
		argv[n++] = bad[i].opt2 != NULL ? bad[i].val2 : "2027-12-31";
		argv[n] = NULL;
		run(fx, argv, NULL, 0, &r);
		expect_usage(&t, bad[i].what, &r, "lkey-keygen", bad[i].needle);
	}

	/* The largest values are keys; a module by number is the same key. */
	tt_key(fx, a, "--seats", "25", "--starts", "2027-01-01", "--expires",
	    "2027-12-31", "--maintenance", "2027-12-31", "--serial", "1",
	    "--features", "desktop,payroll", "--module-seats",
	    "payroll=16777214", "--grace-days", "365", "--notice-days", "365",
	    NULL);
	tt_key(fx, a, "--seats", "25", "--starts", "2027-01-01", "--expires",
	    "2027-12-31", "--maintenance", "2027-12-31", "--serial", "1",
	    "--features", "desktop,payroll", "--module-seats", "payroll=25",
	    NULL);
	tt_key(fx, b, "--seats", "25", "--starts", "2027-01-01", "--expires",
	    "2027-12-31", "--maintenance", "2027-12-31", "--serial", "1",
	    "--features", "0,2", "--module-seats", "2=25", NULL);
	t.cases++;
	tcheck(&t, strcmp(a, b) == 0, "--module-seats 2=25 vs payroll=25",
	    NULL, "different keys:\n  %s\n  %s", a, b);
	tally_done(&t, "lkey-keygen term options");
}

/* ---- 2. lkey-verify's term options -------------------------------------- */

static void
test_verify_term_options(void **state)
{
	const struct fx *fx = *state;
	struct tally t = { 0, 0, 0 };
	char key[KEYCAP];
	struct result r;
	json_doc *d;

	tt_key(fx, key, "--seats", "25", "--starts", "2027-01-01", "--expires",
	    "2027-12-31", "--maintenance", "2027-12-31", "--serial", "1",
	    "--features", "desktop,payroll", "--module-seats", "payroll=5",
	    NULL);
	tt_verify(fx, &r, "--today", "2027-03-01", "--over-since",
	    "2027-03-01", key, NULL);
	expect_usage(&t, "--over-since without --users", &r, "lkey-verify",
	    "--over-since");
	tt_verify(fx, &r, "--today", "2027-03-01", "--users", "26",
	    "--over-since", "2027-03-02", key, NULL);
	expect_usage(&t, "--over-since after --today", &r, "lkey-verify",
	    "--over-since");
	tt_verify(fx, &r, "--today", "2027-03-01", "--users", "26",
	    "--over-since", "2027-02-30", key, NULL);
	expect_usage(&t, "--over-since 2027-02-30", &r, "lkey-verify",
	    "--over-since");
	tt_verify(fx, &r, "--today", "2027-03-01", "--module-users",
	    "nosuch=1", key, NULL);
	expect_usage(&t, "--module-users nosuch=1", &r, "lkey-verify",
	    "nosuch");
	tt_verify(fx, &r, "--today", "2027-03-01", "--module-users",
	    "payroll=-1", key, NULL);
	expect_usage(&t, "--module-users payroll=-1", &r, "lkey-verify",
	    "--module-users");
	tt_verify(fx, &r, "--today", "2027-03-01", "--module-users",
	    "payroll=1,payroll=2", key, NULL);
	expect_usage(&t, "--module-users payroll twice", &r, "lkey-verify",
	    "twice");
	tt_verify(fx, &r, "--today", "2027-03-01", "--module-users", "payroll",
	    key, NULL);
	expect_usage(&t, "--module-users payroll (no count)", &r,
	    "lkey-verify", "--module-users");
	tt_verify(fx, &r, "--today", "2027-03-01", "--module-users", "32=1",
	    key, NULL);
	expect_usage(&t, "--module-users 32=1", &r, "lkey-verify",
	    "--module-users");

	/* --over-since on --today itself is fine: the first day over. */
	d = check(fx, &t, &r, "--over-since = --today", "seats_exceeded", 17,
	    "--today", "2027-03-01", "--users", "26", "--over-since",
	    "2027-03-01", key, NULL);
	json_free(d);
	tally_done(&t, "lkey-verify term options");
}

/* ---- 3. the new JSON fields --------------------------------------------- */

static void
test_json_fields(void **state)
{
	const struct fx *fx = *state;
	struct tally t = { 0, 0, 0 };
	char key[KEYCAP];
	struct result r;
	json_doc *d;
	const char *w;

	/* A key with none of the new options: their defaults. */
	tt_key(fx, key, "--seats", "25", "--starts", "2027-01-01", "--expires",
	    "2027-12-31", "--maintenance", "2027-09-30", "--serial", "4",
	    "--features", "desktop,reports", NULL);
	w = "defaults";
	d = check(fx, &t, &r, w, "valid", 0, "--today", "2027-06-15", key,
	    NULL);
	jstr(&t, w, &r, d, "detail", "");
	jmembers(&t, w, &r, d, "problems", "status", "");
	jmembers(&t, w, &r, d, "warnings", "code", "");
	jstr(&t, w, &r, d, "issued", "2027-01-01");
	jbool(&t, w, &r, d, "trial", false);
	jint(&t, w, &r, d, "grace_days", 0);
	jint(&t, w, &r, d, "notice_days", 30);
	jint(&t, w, &r, d, "starts_in_days", 0);
	jint(&t, w, &r, d, "days_left", 200);
	jint(&t, w, &r, d, "license_days_left", 200);
	jint(&t, w, &r, d, "maintenance_days_left", 108);
	jbool(&t, w, &r, d, "maintenance_active", true);
	jarray(&t, w, &r, d, "features_available", "\"desktop\",\"reports\"");
	jobject(&t, w, &r, d, "module_seats", "");
	jabsent(&t, w, &r, d, "module_users");
	jabsent(&t, w, &r, d, "module_remaining");
	jnull(&t, w, &r, d, "grace_days_left");
	jabsent(&t, w, &r, d, "grace_ends");
	jabsent(&t, w, &r, d, "install");
	json_free(d);

	/* Every new option set. */
	tt_key(fx, key, "--seats", "25", "--starts", "2027-01-01", "--expires",
	    "2027-12-31", "--maintenance", "2027-09-30", "--serial", "4",
	    "--features", "desktop,payroll", "--module-seats", "payroll=10",
	    "--grace-days", "14", "--notice-days", "10", "--trial",
	    "--issued", "2026-12-20", NULL);
	w = "every option";
	d = check(fx, &t, &r, w, "valid", 0, "--today", "2027-06-15",
	    "--module-users", "payroll=4", key, NULL);
	jstr(&t, w, &r, d, "issued", "2026-12-20");
	jstr(&t, w, &r, d, "starts", "2027-01-01");
	jbool(&t, w, &r, d, "trial", true);
	jint(&t, w, &r, d, "grace_days", 14);
	jint(&t, w, &r, d, "notice_days", 10);
	jobject(&t, w, &r, d, "module_seats", "payroll:10");
	jobject(&t, w, &r, d, "module_users", "payroll:4");
	jobject(&t, w, &r, d, "module_remaining", "payroll:6");
	jmembers(&t, w, &r, d, "warnings", "code", "\"trial\"");
	json_free(d);

	/* Perpetual: days left are "unlimited". */
	tt_key(fx, key, "--seats", "25", "--starts", "2027-01-01", "--expires",
	    "never", "--maintenance", "never", "--serial", "4", NULL);
	w = "perpetual";
	d = check(fx, &t, &r, w, "valid", 0, "--today", "2027-06-15", key,
	    NULL);
	jstr(&t, w, &r, d, "days_left", "unlimited");
	jstr(&t, w, &r, d, "license_days_left", "unlimited");
	jstr(&t, w, &r, d, "maintenance_days_left", "unlimited");
	jbool(&t, w, &r, d, "maintenance_active", true);
	jmembers(&t, w, &r, d, "warnings", "code", "");
	json_free(d);
	tally_done(&t, "JSON fields");
}

/* ---- 4. grace period over the seat limit -------------------------------- */

static void
test_grace_period(void **state)
{
	const struct fx *fx = *state;
	struct tally t = { 0, 0, 0 };
	char key[KEYCAP];
	struct result r;
	json_doc *d;
	const char *w;

	tt_key(fx, key, "--seats", "25", "--starts", "2027-01-01", "--expires",
	    "2027-12-31", "--maintenance", "2027-12-31", "--serial", "5",
	    "--grace-days", "7", NULL);

	w = "first day over, grace 7";
	d = check(fx, &t, &r, w, "valid", 0, "--today", "2027-03-01",
	    "--users", "26", "--over-since", "2027-03-01", key, NULL);
	jmembers(&t, w, &r, d, "warnings", "code", "\"seats_grace\"");
	jint(&t, w, &r, d, "grace_days_left", 7);
	jstr(&t, w, &r, d, "grace_ends", "2027-03-07");
	jint(&t, w, &r, d, "remaining", -1);
	json_free(d);

	w = "last day of grace (03-07)";
	d = check(fx, &t, &r, w, "valid", 0, "--today", "2027-03-07",
	    "--users", "26", "--over-since", "2027-03-01", key, NULL);
	jmembers(&t, w, &r, d, "warnings", "code", "\"seats_grace\"");
	jint(&t, w, &r, d, "grace_days_left", 1);
	jstr(&t, w, &r, d, "grace_ends", "2027-03-07");
	jmessage(&t, w, &r, d, "warnings", 0, "2027-03-07 (1 day left)");
	jmembers(&t, w, &r, d, "problems", "status", "");
	json_free(d);

	w = "day after grace (03-08)";
	d = check(fx, &t, &r, w, "seats_exceeded", 17, "--today", "2027-03-08",
	    "--users", "26", "--over-since", "2027-03-01", key, NULL);
	jmembers(&t, w, &r, d, "problems", "status", "\"seats_exceeded\"");
	jmessage(&t, w, &r, d, "problems", 0, "grace period ended on "
	    "2027-03-07");
	jnull(&t, w, &r, d, "grace_days_left");
	jmembers(&t, w, &r, d, "warnings", "code", "");
	json_free(d);

	w = "day after grace, --admin";
	d = check(fx, &t, &r, w, "admin_only", 18, "--today", "2027-03-08",
	    "--users", "26", "--admin", "--over-since", "2027-03-01", key,
	    NULL);
	jmembers(&t, w, &r, d, "problems", "status", "\"admin_only\"");
	json_free(d);

	w = "over, no --over-since: no grace";
	d = check(fx, &t, &r, w, "seats_exceeded", 17, "--today", "2027-03-01",
	    "--users", "26", key, NULL);
	jnull(&t, w, &r, d, "grace_days_left");
	json_free(d);

	w = "--over-since, but within the seats";
	d = check(fx, &t, &r, w, "valid", 0, "--today", "2027-03-20",
	    "--users", "25", "--over-since", "2027-03-01", key, NULL);
	jmembers(&t, w, &r, d, "warnings", "code", "");
	jnull(&t, w, &r, d, "grace_days_left");
	json_free(d);

	/* The licence screen. */
	w = "screen, last day of grace";
	tt_verify(fx, &r, "--today", "2027-03-07", "--users", "26",
	    "--over-since", "2027-03-01", key, NULL);
	t.cases++;
	tcheck(&t, r.code == 0 && r.errlen == 0, w, &r, "expected exit 0");
	out_has(&t, w, &r, "\nSeats:        25 valid, 26 in use, 1 over the "
	    "limit (grace until 2027-03-07, 1 day left)\n");
	out_has(&t, w, &r, "\n\nWarnings:\n  - 26 users are active for 25 "
	    "licences. Add licences or deactivate 1 user by 2027-03-07 (1 day "
	    "left); after that day users are refused.\n");
	tcheck(&t, strstr(r.out, "Problems:") == NULL, w, &r,
	    "a Problems: section for a valid key");

	/* A key without grace: over is over at once. */
	tt_key(fx, key, "--seats", "25", "--starts", "2027-01-01", "--expires",
	    "2027-12-31", "--maintenance", "2027-12-31", "--serial", "6",
	    NULL);
	w = "no grace in the key";
	d = check(fx, &t, &r, w, "seats_exceeded", 17, "--today", "2027-03-01",
	    "--users", "26", "--over-since", "2027-03-01", key, NULL);
	jnull(&t, w, &r, d, "grace_days_left");
	json_free(d);
	tally_done(&t, "grace period");
}

/* ---- 5. notice period before an end ------------------------------------- */

static void
test_notice_period(void **state)
{
	const struct fx *fx = *state;
	struct tally t = { 0, 0, 0 };
	char def[KEYCAP], none[KEYCAP], maint[KEYCAP];
	struct result r;
	json_doc *d;
	const char *w;

	tt_key(fx, def, "--seats", "25", "--starts", "2027-01-01", "--expires",
	    "2027-12-31", "--maintenance", "never", "--serial", "7", NULL);
	tt_key(fx, none, "--seats", "25", "--starts", "2027-01-01",
	    "--expires", "2027-12-31", "--maintenance", "never", "--serial",
	    "8", "--notice-days", "0", NULL);
	tt_key(fx, maint, "--seats", "25", "--starts", "2027-01-01",
	    "--expires", "2028-12-31", "--maintenance", "2027-06-30",
	    "--serial", "9", NULL);

	w = "notice 30, 12-01 (31 days left)";
	d = check(fx, &t, &r, w, "valid", 0, "--today", "2027-12-01", def,
	    NULL);
	jint(&t, w, &r, d, "days_left", 31);
	jmembers(&t, w, &r, d, "warnings", "code", "");
	json_free(d);

	w = "notice 30, 12-02 (30 days left)";
	d = check(fx, &t, &r, w, "valid", 0, "--today", "2027-12-02", def,
	    NULL);
	jint(&t, w, &r, d, "days_left", 30);
	jmembers(&t, w, &r, d, "warnings", "code", "\"license_expiring\"");
	jmessage(&t, w, &r, d, "warnings", 0, "2027-12-31 (30 days left)");
	json_free(d);

	w = "notice 30, last day";
	d = check(fx, &t, &r, w, "valid", 0, "--today", "2027-12-31", def,
	    NULL);
	jint(&t, w, &r, d, "days_left", 1);
	jmembers(&t, w, &r, d, "warnings", "code", "\"license_expiring\"");
	jmessage(&t, w, &r, d, "warnings", 0, "(1 day left)");
	json_free(d);

	w = "notice 0, last day";
	d = check(fx, &t, &r, w, "valid", 0, "--today", "2027-12-31", none,
	    NULL);
	jint(&t, w, &r, d, "notice_days", 0);
	jmembers(&t, w, &r, d, "warnings", "code", "");
	json_free(d);

	w = "notice 0, 12-02";
	d = check(fx, &t, &r, w, "valid", 0, "--today", "2027-12-02", none,
	    NULL);
	jmembers(&t, w, &r, d, "warnings", "code", "");
	json_free(d);

	w = "expired: no expiring warning";
	d = check(fx, &t, &r, w, "expired", 15, "--today", "2028-01-01", def,
	    NULL);
	jmembers(&t, w, &r, d, "warnings", "code", "");
	jint(&t, w, &r, d, "days_left", 0);
	json_free(d);

	w = "maintenance, 31 days left";
	d = check(fx, &t, &r, w, "valid", 0, "--today", "2027-05-31", maint,
	    NULL);
	jint(&t, w, &r, d, "maintenance_days_left", 31);
	jmembers(&t, w, &r, d, "warnings", "code", "");
	json_free(d);

	w = "maintenance, 30 days left";
	d = check(fx, &t, &r, w, "valid", 0, "--today", "2027-06-01", maint,
	    NULL);
	jint(&t, w, &r, d, "maintenance_days_left", 30);
	jmembers(&t, w, &r, d, "warnings", "code",
	    "\"maintenance_expiring\"");
	jmessage(&t, w, &r, d, "warnings", 0, "2027-06-30 (30 days left)");
	json_free(d);

	w = "screen, expiring";
	tt_verify(fx, &r, "--today", "2027-12-02", def, NULL);
	t.cases++;
	tcheck(&t, r.code == 0, w, &r, "exit %d, expected 0", r.code);
	out_has(&t, w, &r, "\nLicence:      2027-01-01 to 2027-12-31, 30 days "
	    "left\n");
	out_has(&t, w, &r, "\nWarnings:\n  - The licence expires on 2027-12-31 "
	    "(30 days left). Register a renewed licence key before then.\n");
	tally_done(&t, "notice period");
}

/* ---- 6. add-ons that need maintenance ----------------------------------- */

static void
test_maintenance_addons(void **state)
{
	const struct fx *fx = *state;
	struct tally t = { 0, 0, 0 };
	char key[KEYCAP], plain[KEYCAP];
	struct result r;
	json_doc *d;
	const char *w;

	/* desktop is marked `maintenance` in keys/catalog; reports is not. */
	tt_key(fx, key, "--seats", "25", "--starts", "2027-01-01", "--expires",
	    "2027-12-31", "--maintenance", "2027-06-30", "--serial", "10",
	    "--features", "desktop,reports", NULL);
	tt_key(fx, plain, "--seats", "25", "--starts", "2027-01-01",
	    "--expires", "2027-12-31", "--maintenance", "2027-06-30",
	    "--serial", "11", "--features", "reports", NULL);

	w = "last day of maintenance";
	d = check(fx, &t, &r, w, "valid", 0, "--today", "2027-06-30", key,
	    NULL);
	jbool(&t, w, &r, d, "maintenance_active", true);
	jint(&t, w, &r, d, "maintenance_days_left", 1);
	jarray(&t, w, &r, d, "features_available", "\"desktop\",\"reports\"");
	jmembers(&t, w, &r, d, "warnings", "code",
	    "\"maintenance_expiring\"");
	json_free(d);

	w = "day after maintenance";
	d = check(fx, &t, &r, w, "valid", 0, "--today", "2027-07-01", key,
	    NULL);
	jbool(&t, w, &r, d, "maintenance_active", false);
	jint(&t, w, &r, d, "maintenance_days_left", 0);
	jarray(&t, w, &r, d, "features", "\"desktop\",\"reports\"");
	jarray(&t, w, &r, d, "features_available", "\"reports\"");
	jmembers(&t, w, &r, d, "warnings", "code", "\"addons_unavailable\"");
	jmessage(&t, w, &r, d, "warnings", 0, "Maintenance ended on "
	    "2027-06-30");
	json_free(d);

	w = "day after maintenance, no maintenance add-on";
	d = check(fx, &t, &r, w, "valid", 0, "--today", "2027-07-01", plain,
	    NULL);
	jarray(&t, w, &r, d, "features_available", "\"reports\"");
	jmembers(&t, w, &r, d, "warnings", "code", "");
	json_free(d);

	w = "screen, day after maintenance";
	tt_verify(fx, &r, "--today", "2027-07-01", key, NULL);
	t.cases++;
	tcheck(&t, r.code == 0 && r.errlen == 0, w, &r, "expected exit 0");
	out_has(&t, w, &r, "\nFeatures:     desktop [unavailable: maintenance "
	    "ended], reports\n");
	out_has(&t, w, &r, "\nMaintenance:  ended 2027-06-30; releases built "
	    "until then keep working\n");
	out_has(&t, w, &r, "\n\nWarnings:\n  - Maintenance ended on "
	    "2027-06-30: the product keeps running");
	tally_done(&t, "add-ons that need maintenance");
}

/* ---- 7. module seats ---------------------------------------------------- */

static void
test_module_seats(void **state)
{
	const struct fx *fx = *state;
	struct tally t = { 0, 0, 0 };
	char key[KEYCAP];
	struct result r;
	json_doc *d;
	const char *w;

	tt_key(fx, key, "--seats", "50", "--starts", "2027-01-01", "--expires",
	    "2027-12-31", "--maintenance", "2027-12-31", "--serial", "12",
	    "--features", "desktop,payroll", "--module-seats", "payroll=25",
	    NULL);

	w = "payroll 25 of 25";
	d = check(fx, &t, &r, w, "valid", 0, "--today", "2027-06-15",
	    "--module-users", "payroll=25", key, NULL);
	jobject(&t, w, &r, d, "module_seats", "payroll:25");
	jobject(&t, w, &r, d, "module_users", "payroll:25");
	jobject(&t, w, &r, d, "module_remaining", "payroll:0");
	jarray(&t, w, &r, d, "features_available", "\"desktop\",\"payroll\"");
	json_free(d);

	w = "payroll 26 of 25";
	d = check(fx, &t, &r, w, "seats_exceeded", 17, "--today",
	    "2027-06-15", "--module-users", "payroll=26", key, NULL);
	jmembers(&t, w, &r, d, "problems", "status", "\"seats_exceeded\"");
	jmembers(&t, w, &r, d, "problems", "module", "\"payroll\"");
	jmessage(&t, w, &r, d, "problems", 0, "26 users are assigned module "
	    "payroll, which has 25 licences");
	jobject(&t, w, &r, d, "module_remaining", "payroll:-1");
	jarray(&t, w, &r, d, "features_available", "\"desktop\"");
	json_free(d);

	w = "payroll 26 of 25, --admin";
	d = check(fx, &t, &r, w, "admin_only", 18, "--today", "2027-06-15",
	    "--users", "10", "--admin", "--module-users", "payroll=26", key,
	    NULL);
	jmembers(&t, w, &r, d, "problems", "status", "\"admin_only\"");
	jmembers(&t, w, &r, d, "problems", "module", "\"payroll\"");
	json_free(d);

	w = "module without its own count";
	d = check(fx, &t, &r, w, "valid", 0, "--today", "2027-06-15",
	    "--module-users", "desktop=1000", key, NULL);
	jobject(&t, w, &r, d, "module_remaining", "desktop:\"unlimited\"");
	json_free(d);

	w = "module the key does not licence";
	d = check(fx, &t, &r, w, "seats_exceeded", 17, "--today",
	    "2027-06-15", "--module-users", "mobile=1", key, NULL);
	jmembers(&t, w, &r, d, "problems", "module", "\"mobile\"");
	jmessage(&t, w, &r, d, "problems", 0, "1 user is assigned module "
	    "mobile, which this licence does not include");
	jarray(&t, w, &r, d, "features_available", "\"desktop\",\"payroll\"");
	json_free(d);

	w = "module the key does not licence, 0 users";
	d = check(fx, &t, &r, w, "valid", 0, "--today", "2027-06-15",
	    "--module-users", "mobile=0", key, NULL);
	jobject(&t, w, &r, d, "module_remaining", "mobile:0");
	json_free(d);

	w = "two modules over";
	d = check(fx, &t, &r, w, "seats_exceeded", 17, "--today",
	    "2027-06-15", "--module-users", "payroll=30,mobile=2", key, NULL);
	jmembers(&t, w, &r, d, "problems", "module", "\"payroll\",\"mobile\"");
	json_free(d);

	/* Without a catalog: numbers, module keys as strings. */
	w = "no catalog";
	{
		const char *argv[] = { "lkey-verify", "--pubkey", DEMO_PUB,
		    "--product", "1", "--today", "2027-06-15", "--json",
		    "--module-users", "2=26,7=1", key, NULL };

		run(fx, argv, NULL, 0, &r);
		expect_verdict(&t, w, &r, "key", "seats_exceeded", 17);
		d = report(&r);
		jobject(&t, w, &r, d, "module_seats", "2:25");
		jmembers(&t, w, &r, d, "problems", "module", "2,7");
		jmessage(&t, w, &r, d, "problems", 1, "module 7");
		json_free(d);
	}

	w = "screen, payroll 26 of 25";
	tt_verify(fx, &r, "--today", "2027-06-15", "--module-users",
	    "payroll=26", key, NULL);
	t.cases++;
	tcheck(&t, r.code == 17 && verdict_line_ok(&r, "key",
	    "seats_exceeded"), w, &r, "expected exit 17 and one verdict line");
	out_has(&t, w, &r, "\nFeatures:     desktop, payroll (25 seats) "
	    "[unavailable: over its seats]\n");
	out_has(&t, w, &r, "\n\nProblems:\n  - 26 users are assigned module "
	    "payroll, which has 25 licences");
	tally_done(&t, "module seats");
}

/* ---- 8. trial and future keys ------------------------------------------- */

static void
test_trial_and_future(void **state)
{
	const struct fx *fx = *state;
	struct tally t = { 0, 0, 0 };
	char trial[KEYCAP], future[KEYCAP];
	struct result r;
	json_doc *d;
	const char *w;

	tt_key(fx, trial, "--seats", "5", "--starts", "2027-01-01", "--expires",
	    "2027-03-31", "--maintenance", "2027-03-31", "--serial", "13",
	    "--trial", NULL);
	tt_key(fx, future, "--seats", "25", "--starts", "2028-01-01",
	    "--expires", "2028-12-31", "--maintenance", "2028-12-31",
	    "--serial", "14", NULL);

	w = "trial";
	d = check(fx, &t, &r, w, "valid", 0, "--today", "2027-01-15", trial,
	    NULL);
	jbool(&t, w, &r, d, "trial", true);
	jmembers(&t, w, &r, d, "warnings", "code", "\"trial\"");
	jmessage(&t, w, &r, d, "warnings", 0, "trial licence; it ends on "
	    "2027-03-31");
	json_free(d);

	w = "trial, expired";
	d = check(fx, &t, &r, w, "expired", 15, "--today", "2027-04-01", trial,
	    NULL);
	jmembers(&t, w, &r, d, "warnings", "code", "\"trial\"");
	jmessage(&t, w, &r, d, "warnings", 0, "trial licence; it ended on "
	    "2027-03-31");
	json_free(d);

	w = "trial, screen";
	tt_verify(fx, &r, "--today", "2027-01-15", trial, NULL);
	t.cases++;
	tcheck(&t, r.code == 0, w, &r, "exit %d, expected 0", r.code);
	out_has(&t, w, &r, "\nEdition:      professional (trial)\n");
	out_has(&t, w, &r, "\nWarnings:\n  - This is a trial licence");

	w = "future key, 2027-12-15";
	d = check(fx, &t, &r, w, "not_yet_valid", 14, "--today", "2027-12-15",
	    future, NULL);
	jint(&t, w, &r, d, "starts_in_days", 17);
	jmembers(&t, w, &r, d, "problems", "status", "\"not_yet_valid\"");
	jmessage(&t, w, &r, d, "problems", 0, "2028-01-01");
	tcheck(&t, strstr(json_get_string(d, json_root(d), "detail"),
	    "2028-01-01") != NULL, w, &r, "detail does not name 2028-01-01");
	tcheck(&t, strstr(r.err, "2028-01-01") != NULL, w, &r,
	    "stderr does not name 2028-01-01");
	json_free(d);

	w = "future key, day before";
	d = check(fx, &t, &r, w, "not_yet_valid", 14, "--today", "2027-12-31",
	    future, NULL);
	jint(&t, w, &r, d, "starts_in_days", 1);
	jmessage(&t, w, &r, d, "problems", 0, "(in 1 day)");
	json_free(d);

	w = "future key, first day";
	d = check(fx, &t, &r, w, "valid", 0, "--today", "2028-01-01", future,
	    NULL);
	jint(&t, w, &r, d, "starts_in_days", 0);
	json_free(d);

	w = "future key, screen";
	tt_verify(fx, &r, "--today", "2027-12-15", future, NULL);
	t.cases++;
	tcheck(&t, r.code == 14, w, &r, "exit %d, expected 14", r.code);
	out_has(&t, w, &r, "\nLicence:      2028-01-01 to 2028-12-31, starts "
	    "in 17 days\n");
	out_has(&t, w, &r, "\n\nProblems:\n  - The licence starts on "
	    "2028-01-01 (in 17 days).");
	tally_done(&t, "trial and future keys");
}

/* ---- 9. everything wrong at once ---------------------------------------- */

static void
test_full_diagnosis(void **state)
{
	const struct fx *fx = *state;
	static const char line0[] = "lkey-verify: key: expired: The licence "
	    "expired on 2027-12-31. Register a renewed licence key. Also: "
	    "maintenance_lapsed, seats_exceeded.\n";
	struct tally t = { 0, 0, 0 };
	char key[KEYCAP];
	struct result r;
	json_doc *d;
	size_t arr, e;
	const char *w = "expired, maintenance lapsed, over the seats";

	tt_key(fx, key, "--seats", "5", "--starts", "2027-01-01", "--expires",
	    "2027-12-31", "--maintenance", "2027-06-30", "--serial", "15",
	    NULL);
	d = check(fx, &t, &r, w, "expired", 15, "--today", "2028-02-01",
	    "--release", "2027-09-01", "--users", "9", key, NULL);
	jmembers(&t, w, &r, d, "problems", "status", "\"expired\","
	    "\"maintenance_lapsed\",\"seats_exceeded\"");
	jmembers(&t, w, &r, d, "problems", "module", "-,-,-");
	arr = json_get_array(d, json_root(d), "problems");
	JSON_FOR_EACH(d, arr, e)
		tcheck(&t, strlen(json_get_string(d, e, "message")) > 20, w,
		    &r, "a problem without a message");
	jmessage(&t, w, &r, d, "problems", 0, "The licence expired on "
	    "2027-12-31.");
	jmessage(&t, w, &r, d, "problems", 1, "Maintenance ended on "
	    "2027-06-30, before this release was built (2027-09-01).");
	jmessage(&t, w, &r, d, "problems", 2, "9 users are active for 5 "
	    "licences");
	jstr(&t, w, &r, d, "detail", "The licence expired on 2027-12-31. "
	    "Register a renewed licence key.");
	jarray(&t, w, &r, d, "features_available", "");
	tcheck(&t, strcmp(r.err, line0) == 0, w, &r, "stderr is not \"%s\"",
	    line0);
	json_free(d);

	w = "everything wrong, screen";
	tt_verify(fx, &r, "--today", "2028-02-01", "--release", "2027-09-01",
	    "--users", "9", key, NULL);
	t.cases++;
	tcheck(&t, r.code == 15 && strcmp(r.err, line0) == 0, w, &r,
	    "expected exit 15 and \"%s\"", line0);
	out_has(&t, w, &r, "\nStatus:       expired\n");
	out_has(&t, w, &r, "\n\nProblems:\n  - The licence expired on "
	    "2027-12-31. Register a renewed licence key.\n  - Maintenance "
	    "ended on 2027-06-30, before this release was built (2027-09-01). "
	    "Renew maintenance, or use a release built on or before "
	    "2027-06-30.\n  - 9 users are active for 5 licences: the number "
	    "of licences is exceeded. Ask your administrator to add licences "
	    "or deactivate 4 users.\n");
	tally_done(&t, "full diagnosis");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keygen_term_options),
		cmocka_unit_test(test_verify_term_options),
		cmocka_unit_test(test_json_fields),
		cmocka_unit_test(test_grace_period),
		cmocka_unit_test(test_notice_period),
		cmocka_unit_test(test_maintenance_addons),
		cmocka_unit_test(test_module_seats),
		cmocka_unit_test(test_trial_and_future),
		cmocka_unit_test(test_full_diagnosis),
	};

	return cmocka_run_group_tests_name("cli-terms", tests, proc_setup,
	    proc_teardown);
}

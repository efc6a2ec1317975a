/*
 * test_cli_terms.c - the licence terms end to end: keys issued with
 * lkey-keygen's term options (--grace-days, --notice-days, --module-seats,
 * --trial, --issued), checked by lkey-verify (--over-since,
 * --module-users, --users, --admin, --release) on a fixed --today, mostly
 * through --json. Programs are started by proc.c from the repository root.
 *
 * Golden cases (golden.h): arguments, exit status, the JSON fields and
 * the parts of the licence screen each case is about. Where a period
 * ends is tested day by day on the library (test_terms.c); here each
 * option, field and message is tested on both sides of its boundary.
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

#include "golden.h"
#include "proc.h"

/* lkey-verify for timetracker with the demo key and catalog. */
#define VERIFY "lkey-verify --pubkey " DEMO_PUB " --catalog " CATALOG \
	" --product timetracker "
#define TT VERIFY "--json "

/* The keys of the cases, issued once (demo vendor, timetracker,
 * professional, 25 seats from 2027-01-01 unless the options say). */
static const struct {
	const char *name;
	const char *opts;
} key_opts[] = {
	{ "OPTS", "--expires 2027-12-31 --maintenance 2027-12-31 --serial 1 "
	  "--features desktop,payroll --module-seats payroll=5" },
	{ "DEFAULTS", "--expires 2027-12-31 --maintenance 2027-09-30 "
	  "--serial 4 --features desktop,reports" },
	{ "EVERY", "--expires 2027-12-31 --maintenance 2027-09-30 --serial 4 "
	  "--features desktop,payroll --module-seats payroll=10 "
	  "--grace-days 14 --notice-days 10 --trial --issued 2026-12-20" },
	{ "PERPETUAL", "--expires never --maintenance never --serial 4" },
	{ "GRACE", "--expires 2027-12-31 --maintenance 2027-12-31 --serial 5 "
	  "--grace-days 7" },
	{ "NOGRACE", "--expires 2027-12-31 --maintenance 2027-12-31 "
	  "--serial 6" },
	{ "NOTICE", "--expires 2027-12-31 --maintenance never --serial 7" },
	{ "NONOTICE", "--expires 2027-12-31 --maintenance never --serial 8 "
	  "--notice-days 0" },
	{ "MAINT", "--expires 2028-12-31 --maintenance 2027-06-30 "
	  "--serial 9" },
	{ "ADDON", "--expires 2027-12-31 --maintenance 2027-06-30 --serial 10 "
	  "--features desktop,reports" },
	{ "PLAIN", "--expires 2027-12-31 --maintenance 2027-06-30 --serial 11 "
	  "--features reports" },
	{ "MODULE", "--seats 50 --expires 2027-12-31 --maintenance 2027-12-31 "
	  "--serial 12 --features desktop,payroll --module-seats payroll=25" },
	{ "TRIAL", "--seats 5 --expires 2027-03-31 --maintenance 2027-03-31 "
	  "--serial 13 --trial" },
	{ "FUTURE", "--starts 2028-01-01 --expires 2028-12-31 "
	  "--maintenance 2028-12-31 --serial 14" },
	{ "FULL", "--seats 5 --expires 2027-12-31 --maintenance 2027-06-30 "
	  "--serial 15" },
	/* ADDON's terms, desktop not signed as needing maintenance. */
	{ "UNSIGNED", "--expires 2027-12-31 --maintenance 2027-06-30 "
	  "--serial 16 --features desktop,reports --maintenance-features "
	  "none" },
	{ "SIGNEDREPORTS", "--expires 2027-12-31 --maintenance 2027-06-30 "
	  "--serial 17 --features desktop,reports --maintenance-features "
	  "reports" },
	{ "UNLIMITED", "--seats unlimited --expires never --maintenance never "
	  "--serial 18 --features desktop,payroll --module-seats payroll=3" },
	/* Perpetual, with an add-on that needs maintenance. */
	{ "PERPADDON", "--expires never --maintenance 2028-06-30 --serial 19 "
	  "--features desktop,reports" },
};

#define NKEYS (sizeof(key_opts) / sizeof(key_opts[0]))

static char keys[NKEYS][KEYCAP];
static struct var vars[NKEYS + 1U];

/*
 * A timetracker key: the demo vendor, catalog names, edition professional,
 * opts (split at spaces), and 25 seats from 2027-01-01 where opts gives
 * no --seats or --starts.
 */
static void
tt_key(const struct fx *fx, const char *opts, char *key)
{
	static char words[1024];
	const char *argv[ARGMAX + 1U];
	char *w, *save = NULL;
	size_t n = 0;

	argv[n++] = "--secret";
	argv[n++] = DEMO_SEC;
	argv[n++] = "--catalog";
	argv[n++] = CATALOG;
	argv[n++] = "--product";
	argv[n++] = "timetracker";
	argv[n++] = "--edition";
	argv[n++] = "professional";
	if (strstr(opts, "--seats ") == NULL) {
		argv[n++] = "--seats";
		argv[n++] = "25";
	}
	if (strstr(opts, "--starts ") == NULL) {
		argv[n++] = "--starts";
		argv[n++] = "2027-01-01";
	}
	bprintf(words, sizeof(words), "%s", opts);
	for (w = strtok_r(words, " ", &save); w != NULL;
	    w = strtok_r(NULL, " ", &save)) {
		assert_true(n < ARGMAX);
		argv[n++] = w;
	}
	argv[n] = NULL;
	issue_argv(fx, NULL, key, KEYCAP, argv);
}

static int
setup(void **state)
{
	size_t i;

	if (proc_setup(state) != 0)
		return -1;
	for (i = 0; i < NKEYS; i++) {
		tt_key(*state, key_opts[i].opts, keys[i]);
		vars[i].name = key_opts[i].name;
		vars[i].value = keys[i];
	}
	return 0;
}

/* ---- the options -------------------------------------------------------- */

/* lkey-keygen issue, all but --expires and the option under test. */
#define KG "lkey-keygen issue --no-ledger --secret " DEMO_SEC \
	" --catalog " CATALOG " --product timetracker --edition professional" \
	" --seats 25 --starts 2027-01-01 --maintenance 2027-12-31" \
	" --features desktop,payroll "
#define EXP " --expires 2027-12-31"

static const struct golden options[] = {
	{ "--grace-days 366", KG "--grace-days 366" EXP, 2,
	  { "usage~--grace-days" } },
	{ "--grace-days 07", KG "--grace-days 07" EXP, 2, { "usage~" } },
	{ "--notice-days -1", KG "--notice-days -1" EXP, 2,
	  { "usage~--notice-days" } },
	{ "--notice-days abc", KG "--notice-days abc" EXP, 2,
	  { "usage~--notice-days" } },
	{ "--notice-days 366", KG "--notice-days 366" EXP, 2, { "usage~" } },
	{ "module not in the catalog", KG "--module-seats nosuch=5" EXP, 2,
	  { "usage~nosuch" } },
	{ "module not in --features", KG "--module-seats mobile=5" EXP, 2,
	  { "usage~--features" } },
	{ "module given twice", KG "--module-seats payroll=5,payroll=6" EXP,
	  2, { "usage~twice" } },
	{ "module by name and number", KG "--module-seats 2=5,payroll=6" EXP,
	  2, { "usage~twice" } },
	{ "module seats 0", KG "--module-seats payroll=0" EXP, 2,
	  { "usage~payroll" } },
	{ "module seats 16777215", KG "--module-seats payroll=16777215" EXP,
	  2, { "usage~" } },
	{ "module seats above the licence's", KG "--module-seats payroll=26"
	  EXP, 2, { "usage~--module-seats: payroll=26 exceeds the licence's "
	  "25 seats" } },
	{ "module without a count", KG "--module-seats payroll" EXP, 2,
	  { "usage~" } },
	{ "--trial --expires never", KG "--trial --expires never", 2,
	  { "usage~--trial" } },
	{ "--issued 2027-02-30", KG "--issued 2027-02-30" EXP, 2,
	  { "usage~--issued" } },
	{ "--maintenance-features not in --features",
	  KG "--maintenance-features mobile" EXP, 2,
	  { "usage~--maintenance-features: every feature must also be in "
	    "--features" } },
	{ "--maintenance-features unknown",
	  KG "--maintenance-features nosuch" EXP, 2, { "usage~nosuch" } },
	{ "--maintenance-features twice",
	  KG "--maintenance-features desktop,0" EXP, 2, { "usage~twice" } },
	{ "--maintenance-features 32", KG "--maintenance-features 32" EXP, 2,
	  { "usage~--maintenance-features" } },
	{ "--maintenance-features given twice",
	  KG "--maintenance-features desktop --maintenance-features none" EXP,
	  2, { "usage~--maintenance-features" } },
	{ "--over-since without --users",
	  VERIFY "--today 2027-03-01 --over-since 2027-03-01 $OPTS", 2,
	  { "usage~--over-since" } },
	/* A day after the day checked: both days named, and where the day
	 * checked comes from (the library would count it as today). */
	{ "--over-since after --today",
	  VERIFY "--today 2027-03-01 --users 26 --over-since 2027-03-02 $OPTS",
	  2, { "usage~: --over-since 2027-03-02 is after the day checked, "
	  "2027-03-01 (--today): give the first day users were over the "
	  "limit, on or before it (see lkey-verify --help)" } },
	{ "--over-since after the system clock's day",
	  VERIFY "--users 26 --over-since 2149-06-05 $OPTS", 2,
	  { "usage~: --over-since 2149-06-05 is after the day checked, ",
	    "err~ (today by the system clock): give the first day users were "
	    "over the limit, on or before it" } },
	{ "--over-since 2027-02-30",
	  VERIFY "--today 2027-03-01 --users 26 --over-since 2027-02-30 $OPTS",
	  2, { "usage~--over-since" } },
	{ "--module-users nosuch=1",
	  VERIFY "--today 2027-03-01 --module-users nosuch=1 $OPTS", 2,
	  { "usage~nosuch" } },
	{ "--module-users payroll=-1",
	  VERIFY "--today 2027-03-01 --module-users payroll=-1 $OPTS", 2,
	  { "usage~--module-users" } },
	{ "--module-users payroll twice",
	  VERIFY "--today 2027-03-01 --module-users payroll=1,payroll=2 $OPTS",
	  2, { "usage~twice" } },
	{ "--module-users payroll (no count)",
	  VERIFY "--today 2027-03-01 --module-users payroll $OPTS", 2,
	  { "usage~--module-users" } },
	{ "--module-users 32=1",
	  VERIFY "--today 2027-03-01 --module-users 32=1 $OPTS", 2,
	  { "usage~--module-users" } },
	/* --over-since on --today itself is fine: the first day over. */
	{ "--over-since = --today",
	  TT "--today 2027-03-01 --users 26 --over-since 2027-03-01 $OPTS", 17,
	  { "verdict=seats_exceeded" } },
};

static void
test_options(void **state)
{
	const struct fx *fx = *state;
	char a[KEYCAP], b[KEYCAP];

	GOLDEN_TABLE(fx, options, vars);
	/* The largest values are keys; a module by number is the same key. */
	tt_key(fx, "--seats 16777214 --expires 2027-12-31 --maintenance "
	    "2027-12-31 --serial 1 --features desktop,payroll --module-seats "
	    "payroll=16777214 --grace-days 365 --notice-days 365", a);
	tt_key(fx, "--expires 2027-12-31 --maintenance 2027-12-31 --serial 1 "
	    "--features desktop,payroll --module-seats payroll=25", a);
	tt_key(fx, "--expires 2027-12-31 --maintenance 2027-12-31 --serial 1 "
	    "--features 0,2 --module-seats 2=25", b);
	if (strcmp(a, b) != 0)
		fail_msg("--module-seats 2=25 and payroll=25 give different "
		    "keys:\n  %s\n  %s", a, b);
}

/* ---- the JSON fields ---------------------------------------------------- */

static const struct golden fields[] = {
	{ "a key with none of the term options: their defaults",
	  TT "--today 2027-06-15 $DEFAULTS", 0,
	  { "verdict=valid", "detail=''", "problems=[]", "warnings=[]",
	    "issued='2027-01-01'", "trial=false", "grace_days=0",
	    "notice_days=30", "starts_in_days=0", "days_left=200",
	    "license_days_left=200", "maintenance_days_left=108",
	    "maintenance_active=true",
	    "features_available=['desktop','reports']", "module_seats={}",
	    "!module_users", "!module_remaining", "grace_days_left=null",
	    "!grace_ends", "!install" } },
	{ "every term option set",
	  TT "--today 2027-06-15 --module-users payroll=4 $EVERY", 0,
	  { "verdict=valid", "issued='2026-12-20'", "starts='2027-01-01'",
	    "trial=true", "grace_days=14", "notice_days=10",
	    "module_seats={payroll:10}", "module_users={payroll:4}",
	    "module_remaining={payroll:6}", "warnings[].code=['trial']" } },
	{ "perpetual: days left are unlimited",
	  TT "--today 2027-06-15 $PERPETUAL", 0,
	  { "verdict=valid", "days_left='unlimited'",
	    "license_days_left='unlimited'",
	    "maintenance_days_left='unlimited'", "maintenance_active=true",
	    "warnings=[]" } },
	/* --release alone, no --state: a day more than one before it is
	 * the clock set back, a warning for a perpetual licence. */
	{ "perpetual, --today two days before --release",
	  TT "--today 2027-06-15 --release 2027-06-17 $PERPETUAL", 0,
	  { "verdict=valid", "warnings[].code=['clock_behind']",
	    "warnings[0].message~before this release was built (2027-06-17)"
	  } },
	{ "perpetual, --today one day before --release",
	  TT "--today 2027-06-16 --release 2027-06-17 $PERPETUAL", 0,
	  { "verdict=valid", "warnings=[]" } },
	{ "time-limited, --today two days before --release",
	  TT "--today 2027-06-15 --release 2027-06-17 $OPTS", 21,
	  { "verdict=clock_rollback", "warnings=[]" } },
};

static void
test_json_fields(void **state)
{
	GOLDEN_TABLE(*state, fields, vars);
}

/* ---- grace, notice, add-ons --------------------------------------------- */

#define OVER "--users 26 --over-since 2027-03-01 "
/* The report's one warning: its code, and its message holding text. */
#define WARNING(code, text) "warnings[].code=['" code "']", \
	"warnings[0].message~" text

static const struct golden periods[] = {
	{ "first day over, grace 7", TT "--today 2027-03-01 " OVER "$GRACE", 0,
	  { "verdict=valid", "warnings[].code=['seats_grace']",
	    "grace_days_left=7", "grace_ends='2027-03-07'", "remaining=-1" } },
	{ "last day of grace", TT "--today 2027-03-07 " OVER "$GRACE", 0,
	  { "verdict=valid", WARNING("seats_grace", "2027-03-07 (1 day left)"),
	    "grace_days_left=1", "grace_ends='2027-03-07'", "problems=[]" } },
	{ "day after grace", TT "--today 2027-03-08 " OVER "$GRACE", 17,
	  { "verdict=seats_exceeded", "problems[].status=['seats_exceeded']",
	    "problems[0].message~grace period ended on 2027-03-07",
	    "grace_days_left=null", "warnings=[]" } },
	{ "day after grace, --admin",
	  TT "--today 2027-03-08 --admin " OVER "$GRACE", 18,
	  { "verdict=admin_only", "problems[].status=['admin_only']" } },
	{ "over, no --over-since: no grace",
	  TT "--today 2027-03-01 --users 26 $GRACE", 17,
	  { "verdict=seats_exceeded", "grace_days_left=null" } },
	{ "--over-since, but within the seats",
	  TT "--today 2027-03-20 --users 25 --over-since 2027-03-01 $GRACE", 0,
	  { "verdict=valid", "warnings=[]", "grace_days_left=null" } },
	{ "no grace in the key", TT "--today 2027-03-01 " OVER "$NOGRACE", 17,
	  { "verdict=seats_exceeded", "grace_days_left=null" } },
	{ "screen, last day of grace",
	  VERIFY "--today 2027-03-07 " OVER "$GRACE", 0,
	  { "err=", "out~\nSeats:        25 valid, 26 in use, 1 over the limit "
	    "(grace until 2027-03-07, 1 day left)\n",
	    "out~\n\nWarnings:\n  - 26 users are active for 25 licences. Add "
	    "licences or deactivate 1 user by 2027-03-07 (1 day left); after "
	    "that day users are refused.\n", "out!~Problems:" } },

	{ "notice 30, 31 days left", TT "--today 2027-12-01 $NOTICE", 0,
	  { "verdict=valid", "days_left=31", "warnings=[]" } },
	{ "notice 30, 30 days left", TT "--today 2027-12-02 $NOTICE", 0,
	  { "verdict=valid", "days_left=30",
	    WARNING("license_expiring", "2027-12-31 (30 days left)") } },
	{ "notice 30, last day", TT "--today 2027-12-31 $NOTICE", 0,
	  { "verdict=valid", "days_left=1",
	    WARNING("license_expiring", "(1 day left)") } },
	{ "notice 0, last day", TT "--today 2027-12-31 $NONOTICE", 0,
	  { "verdict=valid", "notice_days=0", "warnings=[]" } },
	{ "notice 0, 30 days left", TT "--today 2027-12-02 $NONOTICE", 0,
	  { "verdict=valid", "warnings=[]" } },
	{ "expired: no expiring warning", TT "--today 2028-01-01 $NOTICE", 15,
	  { "verdict=expired", "warnings=[]", "days_left=0" } },
	{ "maintenance, 31 days left", TT "--today 2027-05-31 $MAINT", 0,
	  { "verdict=valid", "maintenance_days_left=31", "warnings=[]" } },
	{ "maintenance, 30 days left", TT "--today 2027-06-01 $MAINT", 0,
	  { "verdict=valid", "maintenance_days_left=30",
	    WARNING("maintenance_expiring", "2027-06-30 (30 days left)") } },
	{ "screen, expiring", VERIFY "--today 2027-12-02 $NOTICE", 0,
	  { "out~\nLicence:      2027-01-01 to 2027-12-31, 30 days left\n",
	    "out~\nWarnings:\n  - The licence expires on 2027-12-31 (30 days "
	    "left). Register a renewed licence key before then.\n" } },

	/* desktop is marked `maintenance` in keys/catalog; reports not. */
	{ "last day of maintenance", TT "--today 2027-06-30 $ADDON", 0,
	  { "verdict=valid", "maintenance_active=true",
	    "maintenance_days_left=1",
	    "features_available=['desktop','reports']",
	    "warnings[].code=['maintenance_expiring']" } },
	{ "day after maintenance", TT "--today 2027-07-01 $ADDON", 0,
	  { "verdict=valid", "maintenance_active=false",
	    "maintenance_days_left=0", "features=['desktop','reports']",
	    "features_available=['reports']",
	    WARNING("addons_unavailable",
	    "Maintenance ended on 2027-06-30") } },
	{ "day after maintenance, no maintenance add-on",
	  TT "--today 2027-07-01 $PLAIN", 0,
	  { "verdict=valid", "features_available=['reports']",
	    "warnings=[]" } },
	{ "screen, day after maintenance", VERIFY "--today 2027-07-01 $ADDON",
	  0, { "err=", "out~\nFeatures:     desktop [unavailable: maintenance "
	    "ended], reports\n", "out~\nMaintenance:  ended 2027-06-30; "
	    "releases built until then keep working\n",
	    "out~\n\nWarnings:\n  - Maintenance ended on 2027-06-30: the "
	    "product keeps running" } },
	/* Admin-only mode: the administrator has the features a valid
	 * licence gives, maintenance rules included. */
	{ "admin-only mode, day after maintenance",
	  TT "--today 2027-07-01 --users 26 --admin $ADDON", 18,
	  { "verdict=admin_only", "problems[].status=['admin_only']",
	    "features=['desktop','reports']",
	    "features_available=['reports']",
	    "warnings[].code=['addons_unavailable']" } },
	{ "admin-only mode, last day of maintenance",
	  TT "--today 2027-06-30 --users 26 --admin $ADDON", 18,
	  { "verdict=admin_only",
	    "features_available=['desktop','reports']" } },
	{ "over the seats, not admin: no feature",
	  TT "--today 2027-07-01 --users 26 $ADDON", 17,
	  { "verdict=seats_exceeded", "features_available=[]" } },
	{ "screen, admin-only mode, day after maintenance",
	  VERIFY "--today 2027-07-01 --users 26 --admin $ADDON", 18,
	  { "out~\nStatus:       admin_only\n",
	    "out~\nFeatures:     desktop [unavailable: maintenance ended], "
	    "reports\n" } },
	{ "screen, over the seats: features not marked",
	  VERIFY "--today 2027-07-01 --users 26 $ADDON", 17,
	  { "out~\nFeatures:     desktop, reports\n" } },
	/* The clock set back: the add-on waits for it, and says why. */
	{ "screen, clock set back: the add-on's reason",
	  VERIFY "--today 2027-03-01 --release 2027-06-01 $PERPADDON", 0,
	  { "out~\nFeatures:     desktop [unavailable: clock set back], "
	    "reports\n" } },
};

static void
test_periods(void **state)
{
	GOLDEN_TABLE(*state, periods, vars);
}

/* ---- module seats, trial and future keys -------------------------------- */

/*
 * A module over its own seats, or used without being licensed, is
 * unavailable and a problem naming it; the verdict (and the exit status)
 * stays the product's own. --admin is about the product's users.
 */
static const struct golden modules[] = {
	{ "payroll 25 of 25",
	  TT "--today 2027-06-15 --module-users payroll=25 $MODULE", 0,
	  { "verdict=valid", "module_seats={payroll:25}",
	    "module_users={payroll:25}", "module_remaining={payroll:0}",
	    "features_available=['desktop','payroll']", "problems=[]" } },
	{ "payroll 26 of 25: valid, payroll unavailable",
	  TT "--today 2027-06-15 --module-users payroll=26 $MODULE", 0,
	  { "verdict=valid", "detail=''", "err=",
	    "problems[].status=['seats_exceeded']",
	    "problems[].module=['payroll']",
	    "problems[0].message='The payroll module has 26 users for 25 "
	    "seats: the module is unavailable, the rest of the product is not "
	    "affected. Remove 1 user from the module or add seats to it.'",
	    "module_remaining={payroll:-1}",
	    "features_available=['desktop']" } },
	{ "payroll 26 of 25, --admin", TT "--today 2027-06-15 --users 10 "
	  "--admin --module-users payroll=26 $MODULE", 0,
	  { "verdict=valid", "problems[].status=['seats_exceeded']",
	    "problems[].module=['payroll']", "remaining=40" } },
	{ "payroll 26 of 25 and the product over its seats",
	  TT "--today 2027-06-15 --users 51 --module-users payroll=26 $MODULE",
	  17, { "verdict=seats_exceeded",
	    "problems[].status=['seats_exceeded','seats_exceeded']",
	    "problems[].module=[-,'payroll']",
	    "detail~51 users are active for 50 licences",
	    "err~seats_exceeded: 51 users are active for 50 licences",
	    "features_available=[]" } },
	{ "the same, --admin: admin_only is the product's",
	  TT "--today 2027-06-15 --users 51 --admin --module-users payroll=26 "
	  "$MODULE", 18, { "verdict=admin_only",
	    "problems[].status=['admin_only','seats_exceeded']",
	    "problems[].module=[-,'payroll']",
	    "features_available=['desktop']",
	    "module_remaining={payroll:-1}" } },
	{ "module without its own count",
	  TT "--today 2027-06-15 --module-users desktop=1000 $MODULE", 0,
	  { "verdict=valid", "module_remaining={desktop:'unlimited'}" } },
	{ "module the key does not licence",
	  TT "--today 2027-06-15 --module-users mobile=1 $MODULE", 0,
	  { "verdict=valid", "problems[].module=['mobile']",
	    "problems[0].message~The mobile module is not licensed, but 1 "
	    "user is assigned to it",
	    "features_available=['desktop','payroll']" } },
	{ "module the key does not licence, 0 users",
	  TT "--today 2027-06-15 --module-users mobile=0 $MODULE", 0,
	  { "verdict=valid", "module_remaining={mobile:0}", "problems=[]" } },
	{ "two modules over",
	  TT "--today 2027-06-15 --module-users payroll=30,mobile=2 $MODULE",
	  0, { "verdict=valid", "problems[].module=['payroll','mobile']",
	    "features_available=['desktop']" } },
	/* A key for another product: that one problem, but the counts are
	 * filled as for any other verdict. */
	{ "another product: the counts still filled", "lkey-verify --pubkey "
	  DEMO_PUB " --product 2 --today 2027-06-15 --json --users 51 "
	  "--module-users 2=26 $MODULE", 13,
	  { "verdict=wrong_product", "problems[].status=['wrong_product']",
	    "warnings=[]", "remaining=-1", "module_remaining={2:-1}",
	    "days_left=200", "maintenance_active=true",
	    "features_available=[]" } },
	{ "no catalog: numbers", "lkey-verify --pubkey " DEMO_PUB " --product 1 "
	  "--today 2027-06-15 --json --module-users 2=26,7=1 $MODULE", 0,
	  { "verdict=valid", "module_seats={2:25}",
	    "problems[].module=[2,7]", "problems[1].message~Module 7" } },
	{ "screen, payroll 26 of 25",
	  VERIFY "--today 2027-06-15 --module-users payroll=26 $MODULE", 0,
	  { "err=", "out~\nStatus:       valid\n",
	    "out~\nModule:       payroll: 25 valid, 26 in use, 1 over the "
	    "limit\n", "out~\nFeatures:     desktop, payroll "
	    "(25 seats) [unavailable: over its seats]\n",
	    "out~\n\nProblems:\n  - The payroll module has 26 users for 25 "
	    "seats" } },
	{ "screen, a line per module", VERIFY "--today 2027-06-15 --users 40 "
	  "--module-users payroll=20,desktop=3,mobile=1 $MODULE", 0,
	  { "out~\nSeats:        50 valid, 40 in use, 10 remaining\n"
	    "Module:       desktop: no seats of its own, 3 in use\n"
	    "Module:       payroll: 25 valid, 20 in use, 5 remaining\n"
	    "Module:       mobile: not licensed, 1 in use\n" } },
	{ "screen, module seats without users",
	  VERIFY "--today 2027-06-15 $MODULE", 0,
	  { "out~\nSeats:        50\nModule:       payroll: 25 seats\n"
	    "Licence:" } },
	{ "unlimited seats: remaining is unlimited",
	  TT "--today 2027-06-15 --users 5000 --module-users payroll=2,"
	  "desktop=9 $UNLIMITED", 0,
	  { "verdict=valid", "seats='unlimited'", "users=5000",
	    "remaining='unlimited'",
	    "module_remaining={desktop:'unlimited',payroll:1}" } },
	{ "unlimited seats, screen",
	  VERIFY "--today 2027-06-15 --users 5000 --module-users payroll=2 "
	  "$UNLIMITED", 0,
	  { "out~\nSeats:        unlimited, 5000 in use\nModule:       "
	    "payroll: 3 valid, 2 in use, 1 remaining\n" } },

	{ "trial", TT "--today 2027-01-15 $TRIAL", 0,
	  { "verdict=valid", "trial=true",
	    WARNING("trial", "trial licence; it ends on 2027-03-31") } },
	{ "trial, expired", TT "--today 2027-04-01 $TRIAL", 15,
	  { "verdict=expired",
	    WARNING("trial", "trial licence; it ended on 2027-03-31") } },
	{ "trial, screen", VERIFY "--today 2027-01-15 $TRIAL", 0,
	  { "out~\nEdition:      professional (trial)\n",
	    "out~\nWarnings:\n  - This is a trial licence" } },
	/* The days of a licence not yet begun count from its start. */
	{ "future key", TT "--today 2027-12-15 $FUTURE", 14,
	  { "verdict=not_yet_valid", "starts_in_days=17",
	    "license_days_left=366", "days_left=366",
	    "maintenance_days_left=366",
	    "problems[].status=['not_yet_valid']",
	    "problems[0].message~2028-01-01", "detail~2028-01-01",
	    "err~2028-01-01" } },
	{ "future key, day before", TT "--today 2027-12-31 $FUTURE", 14,
	  { "verdict=not_yet_valid", "starts_in_days=1",
	    "problems[0].message~(in 1 day)" } },
	{ "future key, first day", TT "--today 2028-01-01 $FUTURE", 0,
	  { "verdict=valid", "starts_in_days=0", "license_days_left=366" } },
	{ "future key, second day", TT "--today 2028-01-02 $FUTURE", 0,
	  { "verdict=valid", "license_days_left=365" } },
	{ "future key, screen", VERIFY "--today 2027-12-15 $FUTURE", 14,
	  { "verdict=not_yet_valid", "out~\nLicence:      2028-01-01 to "
	    "2028-12-31, starts in 17 days\n", "out~\nMaintenance:  until "
	    "2028-12-31, 366 days from the start\n",
	    "out~\n\nProblems:\n  - The "
	    "licence starts on 2028-01-01 (in 17 days)." } },
};

static void
test_modules_trial_future(void **state)
{
	GOLDEN_TABLE(*state, modules, vars);
}

/* ---- everything wrong at once: the whole diagnosis ---------------------- */

#define LINE0 "lkey-verify: key: expired: The licence expired on 2027-12-31. " \
	"Register a renewed licence key. Also: maintenance_lapsed, " \
	"seats_exceeded.\n"
#define ALL_WRONG "--today 2028-02-01 --release 2027-09-01 --users 9 $FULL"

static const struct golden diagnosis[] = {
	{ "expired, maintenance lapsed, over the seats", TT ALL_WRONG, 15,
	  { "verdict=expired", "err=" LINE0, "problems[].status=['expired',"
	    "'maintenance_lapsed','seats_exceeded']",
	    "problems[].module=[-,-,-]",
	    "problems[0].message~The licence expired on 2027-12-31.",
	    "problems[1].message~Maintenance ended on 2027-06-30, before this "
	    "release was built (2027-09-01).",
	    "problems[2].message~9 users are active for 5 licences",
	    "detail='The licence expired on 2027-12-31. Register a renewed "
	    "licence key.'", "features_available=[]" } },
	{ "everything wrong, screen", VERIFY ALL_WRONG, 15,
	  { "err=" LINE0, "out~\nStatus:       expired\n",
	    "out~\n\nProblems:\n  - The licence expired on 2027-12-31. "
	    "Register a renewed licence key.\n  - Maintenance ended on "
	    "2027-06-30, before this release was built (2027-09-01). Renew "
	    "maintenance, or use a release built on or before 2027-06-30.\n"
	    "  - 9 users are active for 5 licences: the number of licences is "
	    "exceeded. Ask your administrator to add licences or deactivate 4 "
	    "users.\n" } },
};

static void
test_full_diagnosis(void **state)
{
	GOLDEN_TABLE(*state, diagnosis, vars);
}

/* ---- what decides a verdict: the signed key, not the catalog ------------ */

/* lkey-verify for timetracker with the catalog $CAT. */
#define WITH(cat) "lkey-verify --pubkey " DEMO_PUB " --catalog " cat \
	" --product timetracker "
/* With no catalog: numbers. */
#define NUMBERS "lkey-verify --pubkey " DEMO_PUB " --json "

/* keys/catalog, edited by a customer: no maintenance marks; features
 * renamed (0 and 1 swapped); timetracker given timelog's number. */
static const char nomarks[] =
    "product timetracker 1\nproduct timelog 2\nedition professional 2\n"
    "feature desktop 0\nfeature reports 1\nfeature payroll 2\n"
    "feature mobile 3\n";
static const char renamed[] =
    "product timetracker 1\nedition professional 2\n"
    "feature reports 0\nfeature desktop 1\n";
static const char swapped[] =
    "product timetracker 2\nproduct timelog 1\nedition professional 2\n"
    "feature desktop 0 maintenance\nfeature reports 1\n";

static const struct golden marks[] = {
	/* $ADDON was issued with keys/catalog: desktop is signed into it
	 * (extension 0x88), and so held back whatever the catalog says. */
	{ "signed mark, the demo catalog",
	  WITH(CATALOG) "--json --today 2027-07-01 $ADDON", 0,
	  { "verdict=valid", "maintenance_features=['desktop']",
	    "features_available=['reports']",
	    WARNING("addons_unavailable", "Maintenance ended on 2027-06-30") } },
	{ "signed mark, a catalog without marks",
	  WITH("$NOMARKS") "--json --today 2027-07-01 $ADDON", 0,
	  { "verdict=valid", "maintenance_features=['desktop']",
	    "features_available=['reports']",
	    WARNING("addons_unavailable", "Maintenance ended on 2027-06-30") } },
	{ "signed mark, no catalog",
	  NUMBERS "--product 1 --today 2027-07-01 $ADDON", 0,
	  { "verdict=valid", "maintenance_features=[0]",
	    "features_available=[1]", "warnings[].code=['addons_unavailable']" } },
	{ "signed mark, screen, a catalog without marks",
	  WITH("$NOMARKS") "--today 2027-07-01 $ADDON", 0,
	  { "err=", "out~\nFeatures:     desktop [unavailable: maintenance "
	    "ended], reports\n" } },
	{ "signed mark, screen, a licence store, a catalog without marks",
	  WITH("$NOMARKS") "--today 2027-07-01 --store $STORE --register "
	  "$ADDON", 0,
	  { "out~\nFeatures:     desktop [unavailable: maintenance ended], "
	    "reports\n" } },
	{ "signed mark, maintenance active",
	  WITH("$NOMARKS") "--json --today 2027-06-30 $ADDON", 0,
	  { "verdict=valid", "features_available=['desktop','reports']" } },
	/* Renamed features change names only: the same bits are held back. */
	{ "renamed features: the same verdict and bits",
	  WITH("$RENAMED") "--json --today 2027-07-01 $ADDON", 0,
	  { "verdict=valid", "features=['reports','desktop']",
	    "maintenance_features=['reports']",
	    "features_available=['desktop']",
	    "warnings[].code=['addons_unavailable']" } },
	/* A key issued without the extension: the catalog's marks are the
	 * caller's input, as --today is; without them nothing is held. */
	{ "unsigned: the catalog's mark holds desktop back",
	  WITH(CATALOG) "--json --today 2027-07-01 $UNSIGNED", 0,
	  { "verdict=valid", "maintenance_features=[]",
	    "features_available=['reports']",
	    "warnings[].code=['addons_unavailable']" } },
	{ "unsigned: a catalog without marks holds nothing back",
	  WITH("$NOMARKS") "--json --today 2027-07-01 $UNSIGNED", 0,
	  { "verdict=valid", "maintenance_features=[]",
	    "features_available=['desktop','reports']", "warnings=[]" } },
	/* Signed marks and the catalog's add up. */
	{ "signed reports, the catalog marks desktop",
	  WITH(CATALOG) "--json --today 2027-07-01 $SIGNEDREPORTS", 0,
	  { "verdict=valid", "maintenance_features=['reports']",
	    "features_available=[]" } },
	{ "signed reports, a catalog without marks",
	  WITH("$NOMARKS") "--json --today 2027-07-01 $SIGNEDREPORTS", 0,
	  { "verdict=valid", "features_available=['desktop']" } },
	/* The product number is the caller's choice: by name through the
	 * catalog, as by number with --product 2; the report says which. */
	{ "timelog key, --product timetracker",
	  TT "--today 2027-06-15 $TIMELOG", 13,
	  { "verdict=wrong_product", "checked_product=1",
	    "product='timelog'" } },
	{ "timelog key, a catalog that gives timetracker number 2",
	  WITH("$SWAPPED") "--json --today 2027-06-15 $TIMELOG", 0,
	  { "verdict=valid", "checked_product=2", "product='timetracker'" } },
	{ "timelog key, --product 2",
	  NUMBERS "--product 2 --today 2027-06-15 $TIMELOG", 0,
	  { "verdict=valid", "checked_product=2", "product=2" } },
	{ "timelog key, swapped catalog, screen",
	  WITH("$SWAPPED") "--today 2027-06-15 $TIMELOG", 0,
	  { "err=", "out^=Product:      timetracker (2)\n" } },
	{ "a key that does not decode: the number checked",
	  WITH("$SWAPPED") "--json --today 2027-06-15 AAAA", 10,
	  { "verdict=malformed", "checked_product=2",
	    "maintenance_features=null" } },
};

static void
test_signed_marks(void **state)
{
	const struct fx *fx = *state;
	static char timelog[KEYCAP];
	static struct var mvars[NKEYS + 6U];
	char nomarks_p[PATHCAP], renamed_p[PATHCAP], swapped_p[PATHCAP];
	char store_p[PATHCAP];
	size_t i;

	path_in(fx, "nomarks.catalog", nomarks_p, sizeof(nomarks_p));
	write_file(nomarks_p, nomarks, sizeof(nomarks) - 1);
	path_in(fx, "renamed.catalog", renamed_p, sizeof(renamed_p));
	write_file(renamed_p, renamed, sizeof(renamed) - 1);
	path_in(fx, "marks-store", store_p, sizeof(store_p));
	path_in(fx, "swapped.catalog", swapped_p, sizeof(swapped_p));
	write_file(swapped_p, swapped, sizeof(swapped) - 1);
	issue(fx, NULL, timelog, sizeof(timelog), "--secret", DEMO_SEC,
	    "--product", "2", "--edition", "2", "--seats",
	    "5", "--starts", "2027-01-01", "--expires", "2027-12-31",
	    "--maintenance", "2027-12-31", "--serial", "20", NULL);
	for (i = 0; i < NKEYS; i++)
		mvars[i] = vars[i];
	mvars[i++] = (struct var){ "NOMARKS", nomarks_p };
	mvars[i++] = (struct var){ "RENAMED", renamed_p };
	mvars[i++] = (struct var){ "SWAPPED", swapped_p };
	mvars[i++] = (struct var){ "TIMELOG", timelog };
	mvars[i++] = (struct var){ "STORE", store_p };
	mvars[i] = (struct var){ NULL, NULL };
	GOLDEN_TABLE(fx, marks, mvars);
	/* The extension costs 8 characters; without it a key keeps 120. */
	for (i = 0; i < NKEYS; i++) {
		if (strcmp(key_opts[i].name, "ADDON") == 0)
			assert_int_equal(strlen(keys[i]), 128);
		if (strcmp(key_opts[i].name, "UNSIGNED") == 0)
			assert_int_equal(strlen(keys[i]), 120);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_json_fields),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_modules_trial_future),
		cmocka_unit_test(test_full_diagnosis),
		cmocka_unit_test(test_signed_marks),
	};

	return cmocka_run_group_tests_name("cli-terms", tests, setup,
	    proc_teardown);
}

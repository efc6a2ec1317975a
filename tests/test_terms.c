/*
 * test_terms.c - each verdict of lkey_check at its boundary, the order of
 * the checks, and what the report says. Table-driven: a case is a licence
 * and a context as specs (fixture.h) and the report expected of them; one
 * run lists every case that goes wrong.
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

struct tcase {
	const char *what, *lic, *ctx, *want;
};

#define RUN(cases) run_cases(cases, sizeof(cases) / sizeof(cases[0]), #cases)

static void
run_cases(const struct tcase *tc, size_t n, const char *name)
{
	struct tally t = { 0, 0, 0 };
	size_t i;

	for (i = 0; i < n; i++) {
		lkey_license l = lic_make(tc[i].lic);
		lkey_context c = ctx_make(tc[i].ctx);

		report_is(&t, tc[i].what, &l, &c, tc[i].want);
	}
	tally_done(&t, name);
}

/* Each verdict on both sides of its boundary; the first failed check is
 * the verdict, in the documented order. */
static const struct tcase boundaries[] = {
	{ "valid", "", "", "valid maintenance_active=1 remaining=25" },
	{ "another product", "", "product=2", "wrong_product" },
	{ "that product", "product=2", "product=2", "valid" },
	{ "day before the start", "", "today=2026-12-31", "not_yet_valid" },
	{ "first day", "", "today=2027-01-01", "valid" },
	{ "last day", "maintenance=never", "today=2027-12-31",
	  "valid license_days_left=1" },
	{ "day after", "maintenance=never", "today=2028-01-01",
	  "expired license_days_left=0" },
	{ "a month before the end", "maintenance=never", "today=2027-12-01",
	  "valid license_days_left=31" },
	{ "never expires", "expires=never maintenance=never",
	  "today=2149-06-05", "valid license_days_left=unlimited" },
	{ "never expires, last day", "expires=never maintenance=never",
	  "today=9999-12-31", "valid" },
	/* A release built on or before the end of maintenance works. */
	{ "maintenance ended, no release", "", "today=2027-09-01",
	  "valid maintenance_active=0 maintenance_days_left=0" },
	{ "release on maintenance's end", "",
	  "today=2027-09-01 release=2027-06-30", "valid" },
	{ "release after it", "", "today=2027-09-01 release=2027-07-01",
	  "maintenance_lapsed" },
	{ "maintenance never ends", "maintenance=never",
	  "today=2027-09-01 release=2027-07-01",
	  "valid maintenance_active=1 maintenance_days_left=unlimited" },
	{ "last day of maintenance", "",
	  "today=2027-06-30 release=2027-06-01",
	  "valid maintenance_active=1 maintenance_days_left=1" },
	{ "25 users of 25", "", "users=25", "valid remaining=0" },
	{ "22 users", "", "users=22", "valid remaining=3" },
	{ "26 users", "", "users=26", "seats_exceeded remaining=-1" },
	{ "26 users, admin", "", "users=26 admin=1", "admin_only" },
	{ "25 users, admin", "", "users=25 admin=1", "valid" },
	{ "unlimited seats", "seats=unlimited", "users=4294967294",
	  "valid remaining=0" },
	{ "users not reported", "seats=1", "", "valid remaining=1" },
	/* A day behind the release's build date is tolerated, two not. */
	{ "release tomorrow", "", "release=2027-03-02", "valid" },
	{ "release in two days", "", "release=2027-03-03", "clock_rollback" },
	{ "perpetual, release in two days", "expires=never maintenance=never",
	  "release=2027-03-03", "valid" },
	/* The report is filled in whatever the verdict. */
	{ "order: expired first", "",
	  "today=2028-01-01 users=30 release=2027-12-01", "expired" },
	{ "order: product before all", "",
	  "product=9 today=2028-01-01 users=30 release=2027-12-01",
	  "wrong_product" },
	{ "order: clock before maintenance", "",
	  "today=2027-11-01 users=30 release=2027-12-01", "clock_rollback" },
	{ "order: maintenance before seats", "",
	  "today=2027-12-01 users=30 release=2027-12-01",
	  "maintenance_lapsed" },
	{ "order: seats last", "",
	  "today=2027-12-01 users=30 release=2027-06-30",
	  "seats_exceeded remaining=-5 license_days_left=31" },
	{ "not a decoded licence", "version=0", "", "malformed" },
};

/* 26 users for 25 seats with a 7-day grace, over since 2027-03-01. */
#define GRACE "grace=7 features=0x3"
#define OVER "users=26 over_since=2027-03-01"

static const struct tcase grace[] = {
	{ "first day of grace", GRACE, OVER,
	  "valid problems=none warnings=seats_grace grace_days_left=7 "
	  "grace_ends=2027-03-07 remaining=-1 features_available=0x3" },
	{ "last day of grace", GRACE, OVER " today=2027-03-07",
	  "valid warnings=seats_grace grace_days_left=1 "
	  "grace_ends=2027-03-07" },
	{ "day after grace", GRACE, OVER " today=2027-03-08",
	  "seats_exceeded problems=seats_exceeded warnings=none "
	  "grace_days_left=0 grace_ends=2027-03-07 features_available=0" },
	{ "long after: the same last day", GRACE, OVER " today=2027-11-30",
	  "seats_exceeded grace_ends=2027-03-07 grace_days_left=0" },
	{ "admin, last day", GRACE, OVER " admin=1 today=2027-03-07",
	  "valid warnings=seats_grace grace_days_left=1" },
	{ "admin, day after", GRACE, OVER " admin=1 today=2027-03-08",
	  "admin_only problems=admin_only grace_ends=2027-03-07 "
	  "grace_days_left=0 features_available=0x3" },
	/* A first day over the limit after today counts as today. */
	{ "over since a later day", GRACE, OVER " over_since=2027-03-20",
	  "valid warnings=seats_grace grace_ends=2027-03-07 "
	  "grace_days_left=7" },
	{ "over since never", GRACE, OVER " over_since=never",
	  "valid grace_ends=2027-03-07" },
	{ "over since the day before", GRACE, OVER " over_since=2027-02-28",
	  "valid grace_ends=2027-03-06 grace_days_left=6" },
	/* At the limit nobody is over it: no grace, no warning. */
	{ "at the limit", GRACE, OVER " users=25 today=2027-03-10",
	  "valid warnings=none grace_ends=never grace_days_left=0 "
	  "remaining=0 features_available=0x3" },
	{ "unlimited seats", GRACE " seats=unlimited", OVER " today=2027-03-10",
	  "valid warnings=none grace_ends=never" },
	{ "users not reported", GRACE,
	  "over_since=2027-03-01 today=2027-03-10",
	  "valid warnings=none grace_ends=never" },
	/* Without the first day over, or without grace: refused at once. */
	{ "first day over not given", GRACE, "users=26",
	  "seats_exceeded grace_ends=never grace_days_left=0 warnings=none" },
	{ "no grace", GRACE " grace=0", OVER,
	  "seats_exceeded grace_ends=never grace_days_left=0 warnings=none" },
	{ "no grace, admin", GRACE " grace=0", OVER " admin=1",
	  "admin_only grace_ends=never" },
	/* One day of grace is today only; 365 days is a whole year. */
	{ "one day of grace", GRACE " grace=1", OVER,
	  "valid grace_ends=2027-03-01 grace_days_left=1" },
	{ "one day of grace, day after", GRACE " grace=1",
	  OVER " today=2027-03-02", "seats_exceeded" },
	{ "365 days of grace, last day", GRACE " grace=365 expires=never",
	  "users=26 over_since=2027-01-01 today=2027-12-31",
	  "valid grace_ends=2027-12-31 grace_days_left=1" },
	{ "365 days of grace, day after", GRACE " grace=365 expires=never",
	  "users=26 over_since=2027-01-01 today=2028-01-01",
	  "seats_exceeded" },
};

/* Warned from notice days before an end, counting today. */
#define LNOTICE "maintenance=never notice=30"
#define MNOTICE "expires=never notice=30"

static const struct tcase notice[] = {
	{ "licence: 31 days left", LNOTICE, "today=2027-12-01",
	  "valid license_days_left=31 warnings=none" },
	{ "licence: 30 days left", LNOTICE, "today=2027-12-02",
	  "valid license_days_left=30 warnings=license_expiring" },
	{ "licence: last day", LNOTICE, "today=2027-12-31",
	  "valid license_days_left=1 warnings=license_expiring" },
	{ "licence: expired is a problem", LNOTICE, "today=2028-01-01",
	  "expired warnings=none" },
	{ "licence: not started", LNOTICE " starts=2027-12-20",
	  "today=2027-12-19", "not_yet_valid warnings=none" },
	{ "licence: notice 0, last day", LNOTICE " notice=0",
	  "today=2027-12-31", "valid warnings=none" },
	{ "licence: notice 1, last day", LNOTICE " notice=1",
	  "today=2027-12-31", "valid warnings=license_expiring" },
	{ "licence: notice 1, day before", LNOTICE " notice=1",
	  "today=2027-12-30", "valid warnings=none" },
	{ "licence: notice 365, first day", LNOTICE " notice=365",
	  "today=2027-01-01",
	  "valid license_days_left=365 warnings=license_expiring" },
	{ "licence: perpetual", LNOTICE " notice=365 expires=never",
	  "today=2149-06-05", "valid warnings=none" },
	{ "maintenance: 31 days left", MNOTICE, "today=2027-05-31",
	  "valid maintenance_days_left=31 warnings=none" },
	{ "maintenance: 30 days left", MNOTICE, "today=2027-06-01",
	  "valid maintenance_days_left=30 warnings=maintenance_expiring" },
	{ "maintenance: last day", MNOTICE, "today=2027-06-30",
	  "valid maintenance_days_left=1 warnings=maintenance_expiring" },
	{ "maintenance: ended, no add-ons", MNOTICE, "today=2027-07-01",
	  "valid maintenance_active=0 warnings=none" },
	{ "maintenance: notice 0", MNOTICE " notice=0", "today=2027-06-30",
	  "valid warnings=none" },
	{ "maintenance: never ends", MNOTICE " maintenance=never",
	  "today=2027-06-30", "valid warnings=none" },
	{ "both ends within notice",
	  "notice=30 expires=2027-12-31 maintenance=2027-12-20",
	  "today=2027-12-15",
	  "valid warnings=license_expiring,maintenance_expiring" },
	{ "maintenance beyond an expired licence",
	  "notice=30 maintenance=2028-01-15", "today=2028-01-05",
	  "expired maintenance_active=1 warnings=none" },
	/* maintenance_expiring only while the licence runs: neither before
	 * its start nor after its end, though maintenance is active. */
	{ "maintenance: within notice, before the start",
	  "notice=30 starts=2027-12-20 expires=2028-12-31 "
	  "maintenance=2027-12-31", "today=2027-12-19",
	  "not_yet_valid maintenance_active=1 maintenance_days_left=12 "
	  "warnings=none" },
	{ "maintenance: within notice, first day",
	  "notice=30 starts=2027-12-20 expires=2028-12-31 "
	  "maintenance=2027-12-31", "today=2027-12-20",
	  "valid maintenance_active=1 maintenance_days_left=12 "
	  "warnings=maintenance_expiring" },
	{ "maintenance: within notice, licence expired",
	  "notice=30 expires=2027-12-31 maintenance=2028-01-15",
	  "today=2028-01-01",
	  "expired maintenance_active=1 maintenance_days_left=15 "
	  "warnings=none" },
	/* maintenance_active means maintenance has not ended: true before
	 * the start, however far off (maintenance never ends before it). */
	{ "maintenance: a year before the start",
	  "starts=2028-01-01 expires=2028-12-31 maintenance=2028-01-01",
	  "today=2027-01-01",
	  "not_yet_valid maintenance_active=1 maintenance_days_left=1 "
	  "starts_in_days=365 features_available=0 addons_off=0" },
	{ "maintenance: ends on the start day, day before",
	  "starts=2027-06-30 expires=2027-12-31 maintenance=2027-06-30",
	  "today=2027-06-29", "not_yet_valid maintenance_active=1" },
	/* Apart from the licence period, warnings do not depend on the
	 * verdict. */
	{ "over the seats, within notice", LNOTICE, "today=2027-12-02 users=26",
	  "seats_exceeded warnings=license_expiring" },
	{ "expired trial", "trial=1", "today=2028-01-01",
	  "expired warnings=trial" },
	{ "trial, another product", "trial=1 " LNOTICE,
	  "today=2027-12-31 product=2", "wrong_product warnings=none" },
	{ "trial", "trial=1", "", "valid warnings=trial" },
	{ "trial, expiring", "trial=1 " LNOTICE, "today=2027-12-31",
	  "valid warnings=trial,license_expiring" },
	{ "not a trial, expiring", "trial=0 " LNOTICE, "today=2027-12-31",
	  "valid warnings=license_expiring" },
	{ "starts in 3 days", "", "today=2026-12-29",
	  "not_yet_valid starts_in_days=3 problems=not_yet_valid" },
	{ "starts tomorrow", "", "today=2026-12-31",
	  "not_yet_valid starts_in_days=1" },
	{ "started today", "", "today=2027-01-01", "valid starts_in_days=0" },
	{ "started", "", "today=2027-06-01", "valid starts_in_days=0" },
	{ "perpetual, starts in a year", "expires=never", "today=2026-01-01",
	  "not_yet_valid starts_in_days=365" },
};

/*
 * Reports and desktop are features 0 and 1; only desktop needs
 * maintenance. Add-ons that need it stop with it; the product does not.
 * Any problem of the product itself leaves no feature available.
 */
#define DESKTOP_MAINT "maintenance_features=0x2"

static const struct tcase features[] = {
	{ "last day of maintenance", "features=0x3",
	  DESKTOP_MAINT " today=2027-06-30",
	  "valid maintenance_active=1 features_available=0x3 warnings=none" },
	{ "maintenance ended", "features=0x3", DESKTOP_MAINT " today=2027-07-01",
	  "valid problems=none maintenance_active=0 features_available=0x1 "
	  "warnings=addons_unavailable" },
	{ "key without the add-on", "features=0x1",
	  DESKTOP_MAINT " today=2027-07-01",
	  "valid features_available=0x1 warnings=none" },
	{ "no add-on needs maintenance", "features=0x3", "today=2027-07-01",
	  "valid features_available=0x3 warnings=none" },
	{ "mask of features the key lacks", "features=0x3",
	  "maintenance_features=0xf0 today=2027-07-01",
	  "valid features_available=0x3 warnings=none" },
	{ "maintenance never ends", "features=0x3 maintenance=never",
	  DESKTOP_MAINT " today=2027-12-31",
	  "valid maintenance_active=1 features_available=0x3 warnings=none" },
	{ "perpetual", "features=0x3 maintenance=never expires=never",
	  DESKTOP_MAINT " today=2149-06-05", "valid features_available=0x3" },
	{ "expired: nothing, no add-on warning", "features=0x3",
	  DESKTOP_MAINT " today=2028-01-01",
	  "expired features_available=0 warnings=none" },
	{ "wrong product", "features=0x3", "product=2",
	  "wrong_product features_available=0" },
	{ "clock set back", "features=0x3", "release=2027-03-05",
	  "clock_rollback features_available=0" },
	{ "not yet valid", "features=0x3", "today=2026-12-31",
	  "not_yet_valid features_available=0" },
	{ "maintenance lapsed", "features=0x3",
	  "today=2027-09-01 release=2027-07-01",
	  "maintenance_lapsed features_available=0" },
	{ "seats exceeded", "features=0x3", "users=26",
	  "seats_exceeded features_available=0" },
	/* Admin-only mode: the administrator uses the product, and the
	 * features as a valid licence gives them. */
	{ "admin only", "features=0x3", DESKTOP_MAINT " users=26 admin=1",
	  "admin_only features_available=0x3 addons_off=0" },
	{ "admin only, maintenance ended", "features=0x3",
	  DESKTOP_MAINT " users=26 admin=1 today=2027-07-01",
	  "admin_only problems=admin_only maintenance_active=0 "
	  "features_available=0x1 addons_off=1 warnings=addons_unavailable" },
	{ "admin only, signed mark, maintenance ended",
	  "features=0x3 maintenance_features=0x1",
	  "users=26 admin=1 today=2027-07-01",
	  "admin_only features_available=0x2 addons_off=1" },
	{ "admin only, perpetual, clock set back",
	  "features=0x3 expires=never maintenance_features=0x2",
	  "users=26 admin=1 release=2027-03-05",
	  "admin_only features_available=0x1 addons_off=2 "
	  "warnings=clock_behind" },
	{ "admin only, expired: nothing", "features=0x3",
	  "users=26 admin=1 today=2028-01-01",
	  "expired problems=expired,admin_only features_available=0 "
	  "addons_off=0" },
	{ "admin only, clock set back: nothing", "features=0x3",
	  "users=26 admin=1 release=2027-03-05",
	  "clock_rollback problems=clock_rollback,admin_only "
	  "features_available=0" },
	{ "not a decoded licence", "features=0x3 version=0", "",
	  "malformed features_available=0" },
	/* The key's signed marks (extension 0x88) count without the
	 * application's, and add to them. */
	{ "signed mark, last day of maintenance",
	  "features=0x3 maintenance_features=0x2", "today=2027-06-30",
	  "valid features_available=0x3" },
	{ "signed mark, maintenance ended",
	  "features=0x3 maintenance_features=0x2", "today=2027-07-01",
	  "valid problems=none features_available=0x1 "
	  "warnings=addons_unavailable" },
	{ "signed and compiled-in marks add up",
	  "features=0x3 maintenance_features=0x1",
	  DESKTOP_MAINT " today=2027-07-01",
	  "valid features_available=0 warnings=addons_unavailable" },
	{ "signed mark, the same compiled in",
	  "features=0x3 maintenance_features=0x2",
	  DESKTOP_MAINT " today=2027-07-01",
	  "valid features_available=0x1 warnings=addons_unavailable" },
	{ "signed mark, maintenance never ends",
	  "features=0x3 maintenance=never maintenance_features=0x2",
	  "today=2027-12-31", "valid features_available=0x3 warnings=none" },
	{ "signed mark, perpetual, clock set back",
	  "features=0x3 expires=never maintenance_features=0x2",
	  "release=2027-03-05",
	  "valid features_available=0x1 warnings=clock_behind" },
	/* Add-ons wait for a correct clock only while maintenance has an
	 * end: with maintenance that never ends they stay available. */
	{ "signed mark, perpetual, clock set back, maintenance never",
	  "features=0x3 expires=never maintenance=never "
	  "maintenance_features=0x2", "release=2027-03-05",
	  "valid features_available=0x3 addons_off=0 warnings=clock_behind "
	  "clock_behind=2027-03-05" },
	{ "compiled-in mark, perpetual, clock set back, maintenance never",
	  "features=0x3 expires=never maintenance=never",
	  DESKTOP_MAINT " release=2027-03-05",
	  "valid features_available=0x3 addons_off=0 warnings=clock_behind" },
	{ "signed mark, perpetual, clock set back, maintenance ends",
	  "features=0x3 expires=never maintenance=2099-12-31 "
	  "maintenance_features=0x2", "release=2027-03-05",
	  "valid maintenance_active=1 features_available=0x1 addons_off=2 "
	  "warnings=clock_behind" },
	/* A grace period waits for a correct clock all the same. */
	{ "perpetual, clock set back, maintenance never, over the seats",
	  "features=0x3 expires=never maintenance=never grace=7",
	  "release=2027-03-05 users=26 over_since=2027-03-01",
	  "seats_exceeded grace_ends=never grace_days_left=0 "
	  "warnings=clock_behind features_available=0" },
	{ "signed mark, expired: nothing",
	  "features=0x3 maintenance_features=0x2", "today=2028-01-01",
	  "expired features_available=0 warnings=none" },
};

/* Desktop (bit 1) has 25 seats of its own; reports (bit 0) has none. */
#define MODULE "features=0x3 module_seats[1]=25"

static const struct tcase modules[] = {
	{ "users not given: the whole count", MODULE, "",
	  "valid module_remaining[1]=25 module_remaining[0]=0 "
	  "features_available=0x3" },
	{ "25 of 25", MODULE, "module_users[1]=25",
	  "valid problems=none module_remaining[1]=0 features_available=0x3" },
	/* A module's problem is its own: the product stays valid. */
	{ "26 of 25: only that module is off", MODULE, "module_users[1]=26",
	  "valid problems=seats_exceeded@1 module_remaining[1]=-1 "
	  "features_available=0x1 remaining=25" },
	/* admin_only is about the product's users, never a module's. */
	{ "26 of 25, admin", MODULE, "module_users[1]=26 admin=1",
	  "valid problems=seats_exceeded@1 features_available=0x1" },
	{ "26 of 25, the product over too", MODULE,
	  "module_users[1]=26 users=26",
	  "seats_exceeded problems=seats_exceeded,seats_exceeded@1 "
	  "features_available=0" },
	{ "26 of 25, the product over too, admin", MODULE,
	  "module_users[1]=26 users=26 admin=1",
	  "admin_only problems=admin_only,seats_exceeded@1 "
	  "features_available=0x1 module_remaining[1]=-1" },
	{ "25 of 25, the product over too, admin", MODULE,
	  "module_users[1]=25 users=26 admin=1",
	  "admin_only problems=admin_only features_available=0x3" },
	{ "26 of 25, the product expired", MODULE,
	  "module_users[1]=26 today=2028-01-01",
	  "expired problems=expired,seats_exceeded@1" },
	{ "no count of its own: no limit", MODULE, "module_users[0]=1000",
	  "valid problems=none features_available=0x3" },
	{ "the product's seats are separate", MODULE,
	  "module_users[1]=25 users=25",
	  "valid remaining=0 module_remaining[1]=0" },
	{ "a module not licensed", "features=0x3", "module_users[7]=1",
	  "valid problems=seats_exceeded@7 module_remaining[7]=-1 "
	  "features_available=0x3" },
	{ "a module not licensed, admin", "features=0x3",
	  "module_users[7]=1 admin=1", "valid problems=seats_exceeded@7" },
	{ "a module not licensed, no users", "features=0x3",
	  "module_users[7]=0", "valid problems=none module_remaining[7]=0" },
	{ "the highest bit", "features=0x3", "module_users[31]=1",
	  "valid problems=seats_exceeded@31" },
	{ "two modules over, one not licensed", MODULE,
	  "module_users[1]=30 module_users[4]=2 users=3",
	  "valid problems=seats_exceeded@1,seats_exceeded@4 "
	  "features_available=0x1 remaining=22" },
};

/* Every problem at once, most severe first; the verdict is the first. */
#define ALL_WRONG "today=2028-01-05 release=2027-12-01 users=26 " \
	"module_users[1]=6"
#define MANY "features=0xff module_seats[2]=1 module_seats[5]=3"

static const struct tcase problems[] = {
	{ "all at once", "features=0x3 module_seats[1]=5", ALL_WRONG,
	  "expired problems=expired,maintenance_lapsed,seats_exceeded,"
	  "seats_exceeded@1 features_available=0" },
	{ "all at once, admin", "features=0x3 module_seats[1]=5",
	  ALL_WRONG " admin=1",
	  "expired problems=expired,maintenance_lapsed,admin_only,"
	  "seats_exceeded@1" },
	{ "another product: that alone", "features=0x3 module_seats[1]=5",
	  ALL_WRONG " product=2",
	  "wrong_product problems=wrong_product features_available=0 "
	  "warnings=none" },
	{ "clock set back before the start", "features=0x3 module_seats[1]=5",
	  "today=2026-12-01 release=2027-07-01 users=25",
	  "clock_rollback problems=clock_rollback,not_yet_valid,"
	  "maintenance_lapsed" },
	{ "modules after the product, in bit order", MANY,
	  "users=30 module_users[5]=4 module_users[2]=2 module_users[9]=1",
	  "seats_exceeded problems=seats_exceeded,seats_exceeded@2,"
	  "seats_exceeded@5,seats_exceeded@9" },
	{ "only modules over: the product runs", MANY,
	  "users=25 module_users[5]=4 module_users[2]=2 module_users[9]=1",
	  "valid problems=seats_exceeded@2,seats_exceeded@5,"
	  "seats_exceeded@9 features_available=0xdb" },
	{ "nothing wrong", MANY, "users=25", "valid problems=none" },
};

/*
 * A key for another product: that one problem, no warning, no feature;
 * but the figures as for any verdict (lkey(3): the report is filled
 * whatever the verdict once the signature verified).
 */
#define FIGURES "features=0x3 module_seats[1]=5 grace=7 notice=30"
#define OVERALL "users=30 over_since=2027-02-27 module_users[1]=6 " \
	"module_users[7]=2"

static const struct tcase other_product[] = {
	{ "another product: figures filled", FIGURES " trial=1",
	  OVERALL " product=2",
	  "wrong_product problems=wrong_product warnings=none "
	  "features_available=0 addons_off=0 remaining=-5 "
	  "license_days_left=306 maintenance_days_left=122 "
	  "maintenance_active=1 starts_in_days=0 grace_ends=2027-03-05 "
	  "grace_days_left=5 module_remaining[1]=-1 module_remaining[7]=-2 "
	  "module_remaining[0]=0 clock_behind=0" },
	{ "another product, not yet begun", FIGURES " starts=2027-06-01",
	  OVERALL " product=2",
	  "wrong_product starts_in_days=92 license_days_left=214 "
	  "maintenance_days_left=30 grace_ends=2027-03-05" },
	{ "another product, expired", FIGURES, OVERALL " product=2 "
	  "today=2028-01-01", "wrong_product license_days_left=0 "
	  "maintenance_days_left=0 maintenance_active=0 "
	  "grace_ends=2027-03-05 grace_days_left=0" },
	{ "another product, clock set back", FIGURES,
	  OVERALL " product=2 release=2027-03-10",
	  "wrong_product problems=wrong_product warnings=none "
	  "clock_behind=2027-03-10 clock_anchor=1 grace_ends=never "
	  "grace_days_left=0" },
};

/* The figures of a report, and what it leaves out: the verdict, its
 * problems and warnings, and the features that run. */
static lkey_report
figures_of(const lkey_report *r)
{
	lkey_report f = *r;

	f.status = LKEY_OK;
	f.nproblems = 0;
	memset(f.problems, 0, sizeof(f.problems));
	f.warnings = 0;
	f.features_available = 0;
	f.addons_off = 0;
	return f;
}

/*
 * Every verdict after the signature verified fills the figures alike: the
 * report of a key for another product differs from that of the same key
 * for this product in the verdict, problems, warnings and features only,
 * whatever else is wrong. Compared as whole structs (lkey_check zeroes
 * the report first, padding too), so a field added later is held to it.
 */
static void
test_same_figures(void **state)
{
	static const char *const ctxs[] = {
		"", OVERALL, OVERALL " admin=1", OVERALL " today=2027-03-03",
		OVERALL " today=2026-12-01", OVERALL " today=2028-02-01",
		OVERALL " release=2027-03-10", OVERALL " release=2027-08-01 "
		"today=2027-09-01", "users=5 module_users[1]=5",
		"release=2027-02-01 maintenance_features=0x2 today=2027-07-01",
	};
	static const char *const lics[] = {
		FIGURES, FIGURES " trial=1", FIGURES " expires=never",
		FIGURES " seats=unlimited",
		FIGURES " starts=2027-06-01", "maintenance=never",
	};
	struct tally t = { 0, 0, 0 };
	size_t i, j;

	(void)state;
	RUN(other_product);
	for (i = 0; i < sizeof(lics) / sizeof(lics[0]); i++) {
		for (j = 0; j < sizeof(ctxs) / sizeof(ctxs[0]); j++) {
			lkey_license l = lic_make(lics[i]);
			lkey_context c = ctx_make(ctxs[j]);
			lkey_report mine, other, a, b;
			lkey_status st = lkey_check(&l, &c, &mine);

			c.product = l.product + 1U;
			t.cases++;
			tcheck(&t, lkey_check(&l, &c, &other) ==
			    LKEY_WRONG_PRODUCT && other.nproblems == 1 &&
			    other.warnings == 0, lics[i], NULL, "for another "
			    "product with %s: not that one problem alone",
			    ctxs[j]);
			a = figures_of(&mine);
			b = figures_of(&other);
			tcheck(&t, memcmp(&a, &b, sizeof(a)) == 0, lics[i],
			    NULL, "with %s (%s here): other figures for "
			    "another product", ctxs[j],
			    lkey_status_name(st));
		}
	}
	tally_done(&t, "the same figures");
}

static void
test_boundaries(void **state)
{
	(void)state;
	RUN(boundaries);
}

static void
test_grace(void **state)
{
	(void)state;
	RUN(grace);
}

static void
test_notice_trial_start(void **state)
{
	(void)state;
	RUN(notice);
}

static void
test_features(void **state)
{
	(void)state;
	RUN(features);
}

static void
test_modules(void **state)
{
	(void)state;
	RUN(modules);
}

static void
test_problem_list(void **state)
{
	(void)state;
	RUN(problems);
}

/*
 * The report of a licence lkey_decode did not make: malformed, that one
 * problem, and nothing else: no figure, as for a key that does not
 * decode (its terms are nobody's).
 */
static lkey_report
refused(void)
{
	lkey_report r;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.status = LKEY_MALFORMED;
	r.nproblems = 1;
	r.problems[0].status = LKEY_MALFORMED;
	for (i = 0; i < LKEY_PROBLEMS_MAX; i++)
		r.problems[i].module = LKEY_MODULE_NONE;
	return r;
}

/* A licence that lkey_decode refused (zeroed) never passes, and its
 * report says nothing of the context. */
static void
test_fail_closed(void **state)
{
	lkey_license l;
	lkey_context c = ctx_make("");
	lkey_report r;

	lkey_report want = refused();

	(void)state;
	memset(&l, 0, sizeof(l));
	assert_int_equal(lkey_check(&l, &c, &r), LKEY_MALFORMED);
	assert_memory_equal(&r, &want, sizeof(r));
	c.product = 0;
	assert_int_equal(lkey_check(&l, &c, &r), LKEY_MALFORMED);
	assert_memory_equal(&r, &want, sizeof(r));
	/* Whatever the context gives: the report says nothing of it. */
	c = ctx_make("users=30 over_since=2027-02-27 module_users[1]=6 "
	    "release=2027-03-10 today=2026-01-01");
	c.product = 0;
	assert_int_equal(lkey_check(&l, &c, &r), LKEY_MALFORMED);
	assert_memory_equal(&r, &want, sizeof(r));
	/* lkey_verify's report of a text with no key is the same. */
	c = ctx_make("");
	memset(&r, 0xa5, sizeof(r));
	assert_int_equal(lkey_verify("", 0, NULL, 0, &c, &l, &r, NULL),
	    LKEY_MALFORMED);
	assert_memory_equal(&r, &want, sizeof(r));
}

/* Each field of lkey_license above the seal, and the seal: where, how big,
 * its type's alignment, and whether it is a bool (toggled rather than
 * bit-flipped). */
#define FIELD(m, t) { #m, offsetof(lkey_license, m), \
	sizeof(((lkey_license *)0)->m), _Alignof(t), \
	sizeof(t) == sizeof(bool) && (t)1 == (t)2 }

static const struct lfield {
	const char *name;
	size_t off, size, align;
	bool is_bool;
} lfields[] = {
	FIELD(version, uint8_t), FIELD(key_id, uint32_t),
	FIELD(product, uint32_t), FIELD(edition, uint32_t),
	FIELD(seats, uint32_t), FIELD(starts, lkey_day),
	FIELD(expires, lkey_day), FIELD(maintenance, lkey_day),
	FIELD(serial, uint32_t), FIELD(features, uint32_t),
	FIELD(licensee_len, size_t), FIELD(licensee, char),
	FIELD(issued, lkey_day), FIELD(grace_days, uint32_t),
	FIELD(notice_days, uint32_t), FIELD(trial, bool),
	FIELD(module_seats, uint32_t), FIELD(host_bound, bool),
	FIELD(host, uint8_t), FIELD(maintenance_features, uint32_t),
	FIELD(seal, uint8_t),
};

#define NFIELDS (sizeof(lfields) / sizeof(lfields[0]))

/* lkey_check of l for ctx c: malformed, that one problem, nothing on. */
static bool
refused_unsealed(const lkey_license *l, const lkey_context *c)
{
	lkey_report r;

	lkey_report want = refused();

	return lkey_check(l, c, &r) == LKEY_MALFORMED &&
	    memcmp(&r, &want, sizeof(r)) == 0;
}

/*
 * lkey_check takes only what lkey_decode made: every bit of every field
 * changed after decoding makes the licence malformed. The fields are
 * sealed by value, not as the struct's bytes: a copy made field by field
 * into a struct whose padding holds anything is still the licence.
 */
static void
test_seal(void **state)
{
	lkey_license l = lic_make("features=0x5 module_seats[2]=3 grace=7 "
	    "notice=10 issued=2026-12-30 trial=1"), m, copy;
	lkey_context c = ctx_make("users=3");
	lkey_report r;
	unsigned char *p;
	size_t f, i, n, end;
	unsigned bit;
	char out[512];

	(void)state;
	memcpy(l.licensee, "Example GmbH", 13);
	l.licensee_len = 12;
	lic_issue(&l);
	assert_int_equal(lkey_check(&l, &c, &r), LKEY_OK);
	/*
	 * The fields listed are all there is: each follows the one before
	 * with no more padding than its alignment needs, so a field added
	 * to lkey_license and not listed here (nor sealed) shows.
	 */
	for (f = 0; f < NFIELDS; f++) {
		end = f == 0 ? 0 : lfields[f - 1U].off + lfields[f - 1U].size;
		if (lfields[f].off < end || lfields[f].off - end >=
		    (lfields[f].align > 1 ? lfields[f].align : 1U))
			fail_msg("lkey_license: something between %s and %s",
			    f == 0 ? "the start" : lfields[f - 1U].name,
			    lfields[f].name);
	}
	end = lfields[NFIELDS - 1U].off + lfields[NFIELDS - 1U].size;
	assert_true(sizeof(lkey_license) - end < _Alignof(lkey_license));
	for (f = 0; f < NFIELDS; f++) {
		const struct lfield *x = &lfields[f];

		if (x->is_bool) {
			m = l;
			p = (unsigned char *)&m + x->off;
			*(bool *)(void *)p = !*(bool *)(void *)p;
			if (!refused_unsealed(&m, &c))
				fail_msg("%s toggled: not malformed", x->name);
			continue;
		}
		/* The licensee is the text up to its NUL. */
		n = strcmp(x->name, "licensee") == 0 ? l.licensee_len + 1U :
		    x->size;
		for (i = 0; i < n; i++)
			for (bit = 0; bit < 8; bit++) {
				m = l;
				p = (unsigned char *)&m + x->off + i;
				*p ^= (unsigned char)(1U << bit);
				if (!refused_unsealed(&m, &c))
					fail_msg("%s byte %zu bit %u flipped: "
					    "not malformed", x->name, i, bit);
			}
	}
	/* A copy field by field over other padding: the same licence. */
	memset(&copy, 0xa5, sizeof(copy));
	for (f = 0; f < NFIELDS; f++)
		memcpy((unsigned char *)&copy + lfields[f].off,
		    (const unsigned char *)&l + lfields[f].off,
		    lfields[f].size);
	assert_int_equal(lkey_check(&copy, &c, &r), LKEY_OK);
	/* What follows the licensee's NUL is no part of it. */
	memset(copy.licensee + l.licensee_len + 1U, 'x',
	    sizeof(copy.licensee) - l.licensee_len - 1U);
	assert_int_equal(lkey_check(&copy, &c, &r), LKEY_OK);
	assert_string_equal(copy.licensee, "Example GmbH");
	m = l;
	assert_int_equal(lkey_check(&m, &c, &r), LKEY_OK);

	/* Filled in by hand: the same terms, no seal. */
	memset(&m, 0, sizeof(m));
	m.version = 1;
	m.key_id = l.key_id;
	m.product = 1;
	m.edition = 2;
	m.seats = 1000;
	m.starts = day("2027-01-01");
	m.expires = LKEY_NEVER;
	m.maintenance = LKEY_NEVER;
	m.issued = m.starts;
	m.notice_days = 30;
	assert_true(refused_unsealed(&m, &c));
	assert_int_equal(lkey_check(&m, &c, &r), LKEY_MALFORMED);
	(void)lkey_problem_text(&r.problems[0], &m, &c, &r, NULL, out,
	    sizeof(out));
	assert_non_null(strstr(out, "not made by lkey_decode or was changed "
	    "since"));
	/* lkey_decode's own refusal still says what the status says. */
	memset(&m, 0, sizeof(m));
	assert_int_equal(lkey_check(&m, &c, &r), LKEY_MALFORMED);
	(void)lkey_problem_text(&r.problems[0], &m, &c, &r, NULL, out,
	    sizeof(out));
	assert_string_equal(out, lkey_status_message(LKEY_MALFORMED));
	assert_string_equal(lkey_reason_text(LKEY_R_NOT_SEALED), "licence was "
	    "not made by lkey_decode, or changed since");
	/* Ordering needs no seal: it reads two fields. */
	m = l;
	m.serial++;
	assert_true(lkey_license_order(&l, &m) < 0);
	assert_true(lkey_license_order(&m, &l) > 0);
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
	assert_string_equal(lkey_status_name(LKEY_REVOCATIONS_OUTDATED),
	    "revocations_outdated");
	for (i = 0; i <= LKEY_R_NOT_SEALED; i++)
		assert_true(strlen(lkey_reason_text((lkey_reason)i)) > 3);
	assert_string_equal(lkey_reason_text((lkey_reason)(LKEY_R_NOT_SEALED +
	    1)), "unknown reason");
}

/* The issue day decides which licence is older, then the serial. */
static void
test_license_order(void **state)
{
	static const struct {
		const char *a, *b;
		int sign;
	} cases[] = {
		{ "", "", 0 },
		{ "serial=7", "serial=8", -1 },
		{ "issued=2026-12-01 serial=4294967295",
		  "issued=2026-12-02 serial=0", -1 },
		{ "issued=2026-12-02 serial=0 starts=2027-06-01",
		  "issued=2026-12-02 serial=0", 0 },
		{ "issued=0", "issued=65534", -1 },
		{ "issued=65534 serial=0", "issued=65534 serial=4294967295",
		  -1 },
	};
	struct tally t = { 0, 0, 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		lkey_license a = lic_make(cases[i].a), b = lic_make(cases[i].b);
		int ab = lkey_license_order(&a, &b);
		int ba = lkey_license_order(&b, &a);

		t.cases++;
		tcheck(&t, (ab > 0) - (ab < 0) == cases[i].sign &&
		    (ba > 0) - (ba < 0) == -cases[i].sign &&
		    lkey_license_order(&a, &a) == 0, cases[i].a, NULL,
		    "order %d and %d against \"%s\", expected %d", ab, ba,
		    cases[i].b, cases[i].sign);
	}
	tally_done(&t, "licence order");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boundaries),
		cmocka_unit_test(test_grace),
		cmocka_unit_test(test_notice_trial_start),
		cmocka_unit_test(test_features),
		cmocka_unit_test(test_modules),
		cmocka_unit_test(test_problem_list),
		cmocka_unit_test(test_same_figures),
		cmocka_unit_test(test_fail_closed),
		cmocka_unit_test(test_seal),
		cmocka_unit_test(test_names_and_messages),
		cmocka_unit_test(test_license_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

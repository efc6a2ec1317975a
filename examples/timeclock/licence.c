/*
 * licence.c - timeclock's licence, with liblkey (see licence.h)
 *
 * What each call defends against:
 * - lkey_decode checks the signature with the vendor's public key, compiled
 *   in (vendor_keys.h, made by lkey-keygen pubkey --c-header), before it
 *   reads any field: an edited licence file is not genuine, whatever it says.
 * - lkey_check gets today, this release's build date and the employees:
 *   the licence period, the maintenance period (a release built after
 *   maintenance ended does not run) and the seats.
 * - The clock guard (DATA/state): a machine clock set back to before a day
 *   already seen, or before this release was built, does not extend a
 *   licence that ends. A perpetual licence is never refused for the clock.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "licence.h"
#include "store.h"
#include "vendor_keys.h"

#define LICENCE_FILE "licence"
#define STATE_FILE "state"

/* The editions and add-ons of the vendor's catalog (keys/catalog). */
static const char *const editions[] = {
	[1] = "Basic", [2] = "Professional", [3] = "Enterprise",
};
static const char *const addons[LKEY_FEATURES_MAX] = {
	[0] = "Desktop companion", [1] = "Reports", [2] = "Payroll",
	[3] = "Mobile app",
};
/* Add-ons that run only while maintenance is active. */
#define MAINTENANCE_ADDONS ((1U << 0) | (1U << 3))

bool
licence_release(lkey_day *out)
{
	return lkey_day_parse(TIMECLOCK_RELEASE, out);
}

const char *
licence_edition(uint32_t edition, char buf[24])
{
	if (edition < sizeof(editions) / sizeof(editions[0]) &&
	    editions[edition] != NULL)
		return editions[edition];
	(void)snprintf(buf, 24, "edition %u", (unsigned)edition);
	return buf;
}

/* The add-on of a module's problem, NULL for "module N". */
static const char *
addon(uint32_t module)
{
	return module < LKEY_FEATURES_MAX ? addons[module] : NULL;
}

/*
 * The clock guard's memory. Missing: a new one. Damaged or another
 * product's: refused, never reset, or deleting it would be the way to
 * turn the clock back.
 */
static int
state_load(const char *dir, lkey_state *st, char *err, size_t errcap)
{
	char text[LKEY_STATE_TEXT_MAX + 1U];
	size_t len;
	int rc;

	rc = store_read(dir, STATE_FILE, text, sizeof(text), &len, err,
	    errcap);
	if (rc == STORE_NONE) {
		lkey_state_init(st, TIMECLOCK_PRODUCT);
		return 0;
	}
	if (rc == 0 && lkey_state_parse(text, len, TIMECLOCK_PRODUCT, st) ==
	    LKEY_STATE_OK)
		return 0;
	if (rc == 0)
		(void)snprintf(err, errcap, "%s/%s: the clock guard's state is "
		    "damaged or not timeclock's; restore it from a backup "
		    "(deleting it deletes the record of the latest day seen)",
		    dir, STATE_FILE);
	return -1;
}

/* After a check: the state moves on (a valid check only) and is saved. */
static int
state_update(const char *dir, struct licence *l, char *err, size_t errcap)
{
	char text[LKEY_STATE_TEXT_MAX];
	size_t n;

	if (!lkey_state_update(&l->state, &l->ctx, l->status))
		return 0;
	n = lkey_state_format(&l->state, text, sizeof(text));
	if (n == 0) {
		(void)snprintf(err, errcap, "%s/%s: cannot format the clock "
		    "guard's state", dir, STATE_FILE);
		return -1;
	}
	return store_replace(dir, STATE_FILE, text, n, err, errcap);
}

static void
context(struct licence *l, bool has_users, uint32_t users, bool admin)
{
	lkey_context *c = &l->ctx;

	memset(c, 0, sizeof(*c));
	c->product = TIMECLOCK_PRODUCT;
	c->today = lkey_day_from_unix((int64_t)time(NULL));
	c->has_release = licence_release(&c->release);
	c->has_users = has_users;
	c->users = users;
	c->admin = admin;
	c->maintenance_features = MAINTENANCE_ADDONS;
	c->state = &l->state;
	c->build_day = c->release;
}

int
licence_load(const char *dir, bool has_users, uint32_t users, bool admin,
    struct licence *l, char *err, size_t errcap)
{
	char text[LKEY_TEXT_MAX + 1U];
	size_t len;
	int rc;

	memset(l, 0, sizeof(*l));
	rc = store_read(dir, LICENCE_FILE, text, sizeof(text), &len, err,
	    errcap);
	if (rc != 0)
		return rc == STORE_NONE ? LICENCE_NONE : -1;
	if (state_load(dir, &l->state, err, errcap) != 0)
		return -1;
	context(l, has_users, users, admin);
	l->status = lkey_decode(text, len, lkey_vendor_keys,
	    LKEY_VENDOR_KEYS_COUNT, &l->lic, &l->detail);
	if (l->status != LKEY_OK)
		return 0;
	l->decoded = true;
	l->status = lkey_check(&l->lic, &l->ctx, &l->rep);
	return state_update(dir, l, err, errcap);
}

int
licence_register(const char *dir, const char *text, size_t len,
    struct licence *l, char *err, size_t errcap)
{
	char canon[LKEY_TEXT_MAX + 2U];
	size_t i, n = 0;

	memset(l, 0, sizeof(*l));
	l->status = lkey_decode(text, len, lkey_vendor_keys,
	    LKEY_VENDOR_KEYS_COUNT, &l->lic, &l->detail);
	if (l->status != LKEY_OK)
		return LICENCE_REFUSED;
	l->decoded = true;
	if (state_load(dir, &l->state, err, errcap) != 0)
		return -1;
	context(l, false, 0, false);
	l->status = lkey_check(&l->lic, &l->ctx, &l->rep);
	if (l->status != LKEY_OK && l->status != LKEY_MAINTENANCE_LAPSED)
		return LICENCE_REFUSED;
	/* Stored as its one canonical line: the key without whitespace.
	 * lkey_decode accepted it, so it is at most LKEY_TEXT_MAX bytes. */
	for (i = 0; i < len; i++)
		if (strchr(" \t\n\v\f\r", text[i]) == NULL)
			canon[n++] = text[i];
	canon[n++] = '\n';
	if (store_mkdir(dir, err, errcap) != 0 ||
	    store_replace(dir, LICENCE_FILE, canon, n, err, errcap) != 0)
		return -1;
	return state_update(dir, l, err, errcap);
}

void
licence_problem(const struct licence *l, char *out, size_t cap)
{
	const char *msg = lkey_status_message(l->status);

	if (l->decoded && l->rep.nproblems > 0)
		(void)lkey_problem_text(&l->rep.problems[0], &l->lic, &l->ctx,
		    &l->rep, addon(l->rep.problems[0].module), out, cap);
	else if (l->status == LKEY_MALFORMED &&
	    l->detail.reason == LKEY_R_BAD_CHAR)
		(void)snprintf(out, cap, "%s (%s: character %zu)", msg,
		    lkey_reason_text(l->detail.reason), l->detail.offset + 1U);
	else if (l->status == LKEY_MALFORMED)
		(void)snprintf(out, cap, "%s (%s)", msg,
		    lkey_reason_text(l->detail.reason));
	else
		(void)snprintf(out, cap, "%s", msg);
}

static const char *
plural(int64_t n, const char *one, const char *more)
{
	return n == 1 ? one : more;
}

/* "25 valid, 22 in use, 3 remaining: you can add 3 more employees". */
static void
seats_line(FILE *out, const lkey_license *lic, size_t users)
{
	int64_t left = (int64_t)lic->seats - (int64_t)users;

	if (lic->seats == LKEY_SEATS_UNLIMITED) {
		fprintf(out, "unlimited, %zu in use\n", users);
		return;
	}
	fprintf(out, "%u valid, %zu in use, ", (unsigned)lic->seats, users);
	if (left > 0)
		fprintf(out, "%lld remaining: you can add %lld more %s\n",
		    (long long)left, (long long)left,
		    plural(left, "employee", "employees"));
	else if (left == 0)
		fprintf(out, "0 remaining: you cannot add more employees\n");
	else
		fprintf(out, "%lld too many: remove %lld %s or register a "
		    "licence key with more seats\n", (long long)-left,
		    (long long)-left, plural(-left, "employee", "employees"));
}

/* "starts 2027-01-01, expires 2027-12-31, 200 days left". */
static void
periods(FILE *out, const struct licence *l)
{
	const lkey_report *r = &l->rep;
	char a[11], b[11];

	lkey_day_format(l->lic.starts, a);
	lkey_day_format(l->lic.expires, b);
	fprintf(out, "Licence:      starts %s", a);
	if (r->starts_in_days > 0)
		fprintf(out, " (in %lld %s)", (long long)r->starts_in_days,
		    plural(r->starts_in_days, "day", "days"));
	if (l->lic.expires == LKEY_NEVER)
		fprintf(out, ", never expires\n");
	else if (r->license_days_left > 0)
		fprintf(out, ", expires %s, %lld %s left\n", b,
		    (long long)r->license_days_left,
		    plural(r->license_days_left, "day", "days"));
	else
		fprintf(out, ", expired %s\n", b);

	lkey_day_format(l->lic.maintenance, a);
	if (l->lic.maintenance == LKEY_NEVER)
		fprintf(out, "Maintenance:  no end\n");
	else if (r->maintenance_days_left > 0)
		fprintf(out, "Maintenance:  until %s, %lld %s left\n", a,
		    (long long)r->maintenance_days_left,
		    plural(r->maintenance_days_left, "day", "days"));
	else
		fprintf(out, "Maintenance:  ended %s\n", a);
}

/* The licensed add-ons, and which of them may run today. */
static void
addons_line(FILE *out, const struct licence *l)
{
	const char *sep = "";
	char num[24];
	uint32_t bit;

	if (l->lic.features == 0)
		return;
	fprintf(out, "Add-ons:      ");
	for (bit = 0; bit < LKEY_FEATURES_MAX; bit++) {
		if (!(l->lic.features & (1U << bit)))
			continue;
		if (addon(bit) == NULL)
			(void)snprintf(num, sizeof(num), "add-on %u",
			    (unsigned)bit);
		fprintf(out, "%s%s%s", sep, addon(bit) != NULL ? addon(bit) :
		    num, l->rep.features_available & (1U << bit) ? "" :
		    " (unavailable)");
		sep = ", ";
	}
	fputc('\n', out);
}

void
licence_warnings(FILE *out, const struct licence *l)
{
	char text[512];
	unsigned w;

	for (w = 0; w < LKEY_WARNING_COUNT; w++) {
		if (!(l->rep.warnings & (1U << w)))
			continue;
		(void)lkey_warning_text((lkey_warning)w, &l->lic, &l->ctx,
		    &l->rep, text, sizeof(text));
		fprintf(out, "warning: %s\n", text);
	}
}

void
licence_screen(FILE *out, const char *dir, const struct licence *l,
    size_t users)
{
	char text[512], ed[24];
	size_t i;

	fprintf(out, "Release:      %s\n", TIMECLOCK_RELEASE);
	if (!l->decoded) {
		licence_problem(l, text, sizeof(text));
		fprintf(out, "Licence file: %s/%s\nStatus:       %s\n"
		    "Problem:      %s\n", dir, LICENCE_FILE,
		    lkey_status_name(l->status), text);
		return;
	}
	if (l->lic.licensee_len > 0)
		fprintf(out, "Licensee:     %s\n", l->lic.licensee);
	fprintf(out, "Edition:      %s%s\nSerial:       %u\n"
	    "Status:       %s\n", licence_edition(l->lic.edition, ed),
	    l->lic.trial ? " (trial)" : "", (unsigned)l->lic.serial,
	    lkey_status_name(l->status));
	if (l->status != LKEY_WRONG_PRODUCT) {
		fprintf(out, "Seats:        ");
		seats_line(out, &l->lic, users);
		periods(out, l);
		addons_line(out, l);
	}
	for (i = 0; i < l->rep.nproblems; i++) {
		(void)lkey_problem_text(&l->rep.problems[i], &l->lic, &l->ctx,
		    &l->rep, addon(l->rep.problems[i].module), text,
		    sizeof(text));
		fprintf(out, "Problem:      %s\n", text);
	}
	for (i = 0; i < LKEY_WARNING_COUNT; i++) {
		if (!(l->rep.warnings & (1U << i)))
			continue;
		(void)lkey_warning_text((lkey_warning)i, &l->lic, &l->ctx,
		    &l->rep, text, sizeof(text));
		fprintf(out, "Warning:      %s\n", text);
	}
}

/*
 * licence.c - timeclock's licence, with liblkey (see licence.h)
 *
 * What each call defends against:
 * - liblkey checks every key's signature with the vendor's public key,
 *   compiled in (vendor_keys.h, made by lkey-keygen pubkey --c-header),
 *   before it reads any field: an edited licence is not genuine, whatever
 *   it says, and a store holding one is damaged, never reset.
 * - The context gives today, this release's build date and the employees:
 *   the licence period, the maintenance period (a release built after
 *   maintenance ended does not run) and the seats.
 * - The store keeps the clock guard: a machine clock set back to before a
 *   day already seen, or before this release was built, does not extend a
 *   licence that ends. A perpetual licence is never refused for the clock.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "licence.h"
#include "vendor_keys.h"

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

/* "Professional", or "edition 7" for one this release does not know. */
static const char *
edition(uint32_t e, char buf[24])
{
	if (e < sizeof(editions) / sizeof(editions[0]) && editions[e] != NULL)
		return editions[e];
	(void)snprintf(buf, 24, "edition %u", (unsigned)e);
	return buf;
}

/* What timeclock knows right now: the store adds its state and host id. */
static void
context(lkey_context *c, size_t users, bool admin)
{
	memset(c, 0, sizeof(*c));
	c->product = TIMECLOCK_PRODUCT;
	c->today = lkey_day_from_unix((int64_t)time(NULL));
	c->has_release = licence_release(&c->release);
	c->build_day = c->release;
	c->has_users = true;
	c->users = (uint32_t)users;
	c->admin = admin;
	c->maintenance_features = MAINTENANCE_ADDONS;
}

lkey_store_result
licence_check(lkey_store *st, const char *dir, size_t users, bool admin)
{
	lkey_context c;

	context(&c, users, admin);
	return lkey_store_evaluate(st, dir, lkey_vendor_keys,
	    LKEY_VENDOR_KEYS_COUNT, &c);
}

lkey_store_result
licence_register(lkey_store *st, const char *dir, const char *text,
    size_t len, size_t users, bool force)
{
	lkey_context c;

	context(&c, users, false);
	return lkey_store_register(st, dir, text, len, lkey_vendor_keys,
	    LKEY_VENDOR_KEYS_COUNT, &c, force ? LKEY_STORE_FORCE : 0U);
}

/* The add-on of a module's problem, NULL for "module N". */
static const char *
addon(uint32_t module)
{
	return module < LKEY_FEATURES_MAX ? addons[module] : NULL;
}

void
licence_problem(const lkey_store *st, char *out, size_t cap)
{
	if (st->report.nproblems > 0)
		(void)lkey_problem_text(&st->report.problems[0], &st->license,
		    &st->ctx, &st->report, addon(st->report.problems[0].module),
		    out, cap);
	else
		(void)snprintf(out, cap, "%s", lkey_status_message(st->status));
}

void
licence_refusal(const lkey_store *st, bool forced, char *out, size_t cap)
{
	/* A good key that gives less, or would not be used, can be forced. */
	(void)snprintf(out, cap, "%s%s", st->message, st->forcible &&
	    !forced ? " To force it: timeclock register --force KEY" : "");
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
periods(FILE *out, const lkey_license *lic, const lkey_report *r)
{
	char a[11], b[11];

	lkey_day_format(lic->starts, a);
	lkey_day_format(lic->expires, b);
	fprintf(out, "Licence:      starts %s", a);
	if (r->starts_in_days > 0)
		fprintf(out, " (in %lld %s)", (long long)r->starts_in_days,
		    plural(r->starts_in_days, "day", "days"));
	if (lic->expires == LKEY_NEVER)
		fprintf(out, ", never expires\n");
	else if (r->license_days_left > 0)
		fprintf(out, ", expires %s, %lld %s left\n", b,
		    (long long)r->license_days_left,
		    plural(r->license_days_left, "day", "days"));
	else
		fprintf(out, ", expired %s\n", b);

	lkey_day_format(lic->maintenance, a);
	if (lic->maintenance == LKEY_NEVER)
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
addons_line(FILE *out, const lkey_license *lic, const lkey_report *r)
{
	const char *sep = "";
	char num[24];
	uint32_t bit;

	if (lic->features == 0)
		return;
	fprintf(out, "Add-ons:      ");
	for (bit = 0; bit < LKEY_FEATURES_MAX; bit++) {
		if (!(lic->features & (1U << bit)))
			continue;
		if (addon(bit) == NULL)
			(void)snprintf(num, sizeof(num), "add-on %u",
			    (unsigned)bit);
		fprintf(out, "%s%s%s", sep, addon(bit) != NULL ? addon(bit) :
		    num, r->features_available & (1U << bit) ? "" :
		    " (unavailable)");
		sep = ", ";
	}
	fputc('\n', out);
}

/* The keys registered ahead: "licence 502 from 2028-01-01". */
static void
pending_lines(FILE *out, const lkey_store *st)
{
	char day[11];
	size_t i;

	for (i = 0; i < st->npending; i++) {
		lkey_day_format(st->pending[i].starts, day);
		fprintf(out, "Registered:   licence %u, in force from %s\n",
		    (unsigned)st->pending[i].serial, day);
	}
}

/* Whether warning w is to be shown. (The store drops the warning that a
 * period ends when a key registered ahead carries it on.) */
static bool
shown(const lkey_store *st, unsigned w)
{
	return (st->report.warnings & (1U << w)) != 0;
}

void
licence_warnings(FILE *out, const lkey_store *st)
{
	char text[512];
	unsigned w;

	for (w = 0; w < LKEY_WARNING_COUNT; w++) {
		if (!shown(st, w))
			continue;
		(void)lkey_warning_text((lkey_warning)w, &st->license,
		    &st->ctx, &st->report, text, sizeof(text));
		fprintf(out, "warning: %s\n", text);
	}
}

void
licence_screen(FILE *out, const lkey_store *st, size_t users)
{
	const lkey_license *lic = &st->license;
	char text[512], ed[24];
	unsigned w;
	size_t i;

	fprintf(out, "Release:      %s\n", TIMECLOCK_RELEASE);
	if (lic->licensee_len > 0)
		fprintf(out, "Licensee:     %s\n", lic->licensee);
	fprintf(out, "Edition:      %s%s\nSerial:       %u\n"
	    "Status:       %s\nSeats:        ", edition(lic->edition, ed),
	    lic->trial ? " (trial)" : "", (unsigned)lic->serial,
	    lkey_status_name(st->status));
	seats_line(out, lic, users);
	periods(out, lic, &st->report);
	addons_line(out, lic, &st->report);
	pending_lines(out, st);
	for (i = 0; i < st->report.nproblems; i++) {
		(void)lkey_problem_text(&st->report.problems[i], lic, &st->ctx,
		    &st->report, addon(st->report.problems[i].module), text,
		    sizeof(text));
		fprintf(out, "Problem:      %s\n", text);
	}
	for (w = 0; w < LKEY_WARNING_COUNT; w++) {
		if (!shown(st, w))
			continue;
		(void)lkey_warning_text((lkey_warning)w, lic, &st->ctx,
		    &st->report, text, sizeof(text));
		fprintf(out, "Warning:      %s\n", text);
	}
}

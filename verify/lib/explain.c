/*
 * explain.c - what a licence screen says about each problem and warning
 *
 * Sentences for end users, with the dates and counts of this licence: what
 * happened, then what to do. No allocation; the caller's buffer is filled
 * with snprintf and always NUL-terminated.
 */
#include <stdio.h>

#include "lkey.h"
#include "seal.h"

/* The length snprintf needed, never negative. */
static size_t
put(int n)
{
	return n < 0 ? 0 : (size_t)n;
}

static const char *
plural(int64_t n)
{
	return n == 1 ? "" : "s";
}

static const char *
licences(int64_t n)
{
	return n == 1 ? "licence" : "licences";
}

/* Over the product's own seat count: who may still sign in, and how many
 * users to remove. */
static size_t
seats_text(const lkey_problem *p, const lkey_license *lic,
    const lkey_context *ctx, const lkey_report *rep, char *out, size_t cap)
{
	bool admin = p->status == LKEY_ADMIN_ONLY;
	const char *only = admin ? ", and only administrators can sign in" :
	    "";
	const char *ask = admin ? "" : "Ask your administrator to ";
	uint32_t users = ctx->users, seats = lic->seats, over = users - seats;
	char end[11];

	if (rep->grace_ends != LKEY_NEVER) {
		lkey_day_format(rep->grace_ends, end);
		return put(snprintf(out, cap, "%u users are active for %u %s "
		    "and the grace period ended on %s: the number of licences "
		    "is exceeded%s. %s%s licences or deactivate %u user%s.",
		    users, seats, licences(seats), end, only, ask,
		    admin ? "Add" : "add", over, plural(over)));
	}
	return put(snprintf(out, cap, "%u users are active for %u %s: the "
	    "number of licences is exceeded%s. %s%s licences or deactivate "
	    "%u user%s.", users, seats, licences(seats), only, ask,
	    admin ? "Add" : "add", over, plural(over)));
}

/*
 * A module over its own seats, or used without being licensed: that module
 * is unavailable, the rest of the product runs (the product's own seats
 * are seats_text's). "The payroll module", or "Module 7" without a name.
 */
static size_t
module_text(const lkey_problem *p, const lkey_license *lic,
    const lkey_context *ctx, const char *name, char *out, size_t cap)
{
	uint32_t users = ctx->module_users[p->module], seats;
	const char *pre = "The ", *post = " module";
	char num[12];
	int64_t over;

	if (name == NULL) {
		snprintf(num, sizeof(num), "%u", p->module);
		pre = "Module ";
		post = "";
		name = num;
	}
	if (!(lic->features & (1U << p->module)))
		return put(snprintf(out, cap, "%s%s%s is not licensed, but %u "
		    "user%s assigned to it: the module is unavailable, the "
		    "rest of the product is not affected. Remove %s from the "
		    "module or register a licence key that includes it.", pre,
		    name, post, users, users == 1 ? " is" : "s are",
		    users == 1 ? "that user" : "those users"));
	seats = lic->module_seats[p->module];
	over = (int64_t)users - (int64_t)seats;
	return put(snprintf(out, cap, "%s%s%s has %u user%s for %u seat%s: "
	    "the module is unavailable, the rest of the product is not "
	    "affected. Remove %lld user%s from the module or add seats to "
	    "it.", pre, name, post, users, plural(users), seats,
	    plural(seats), (long long)over, plural(over)));
}

/* The revocation list is older than one seen here, or missing. */
static size_t
outdated_text(const lkey_context *ctx, char *out, size_t cap)
{
	uint32_t seen = ctx->state != NULL ?
	    ctx->state->revocation_sequence : 0;

	if (ctx->revocations != NULL)
		return put(snprintf(out, cap, "The vendor's revocation list "
		    "given is number %u, older than list %u, already used on "
		    "this computer. Install the latest revocation list from "
		    "the vendor.", ctx->revocations->sequence, seen));
	return put(snprintf(out, cap, "No revocation list was given, but list "
	    "%u was already used on this computer. Install the latest "
	    "revocation list from the vendor.", seen));
}

/* Which day the clock is behind, in words, as lkey_check found it. */
static const char *
behind_what(const lkey_report *rep)
{
	switch (rep->clock_anchor) {
	case LKEY_CLOCK_RELEASE:
		return "before this release was built";
	case LKEY_CLOCK_LAST_SEEN:
		return "before a day already seen on this computer";
	case LKEY_CLOCK_BUILD_DAY:
		return "before this program was built";
	case LKEY_CLOCK_ISSUED:
		return "before the licence was issued";
	default:
		return "before the revocation list was made";
	}
}

/* "The system clock says D, before ... (D): the clock is set back." */
static size_t
clock_text(const lkey_context *ctx, const lkey_report *rep, const char *todo,
    char *out, size_t cap)
{
	char a[11], b[11];

	lkey_day_format(ctx->today, a);
	lkey_day_format(rep->clock_behind, b);
	return put(snprintf(out, cap, "The system clock says %s, %s (%s): the "
	    "clock is set back. %s", a, behind_what(rep), b, todo));
}

/* A period about to end: "The licence expires on D (N days left). ..." */
static size_t
ending_text(const char *what, lkey_day day, int64_t left, const char *todo,
    char *out, size_t cap)
{
	char a[11];

	lkey_day_format(day, a);
	return put(snprintf(out, cap, "%s %s (%lld day%s left). %s", what, a,
	    (long long)left, plural(left), todo));
}

size_t
lkey_problem_text(const lkey_problem *p, const lkey_license *lic,
    const lkey_context *ctx, const lkey_report *rep, const char *name,
    char *out, size_t cap)
{
	char a[11], b[11];

	switch (p->status) {
	case LKEY_WRONG_PRODUCT:
		return put(snprintf(out, cap, "The licence key is for product "
		    "%u, not for this product (%u). Register the key issued "
		    "for this product.", lic->product, ctx->product));
	case LKEY_CLOCK_ROLLBACK:
		return clock_text(ctx, rep, "Correct the date and time.", out,
		    cap);
	case LKEY_REVOKED:
		return put(snprintf(out, cap, "The licence key (serial %u) "
		    "has been revoked by the vendor. Contact the vendor for a "
		    "new key.", lic->serial));
	case LKEY_HOST_MISMATCH:
		if (!ctx->has_host)
			return put(snprintf(out, cap, "The licence key is "
			    "bound to one computer, and this computer's id "
			    "could not be read. Ask the vendor for help."));
		return put(snprintf(out, cap, "The licence key is bound to "
		    "another computer. Ask the vendor for a key for this "
		    "computer, giving its host id."));
	case LKEY_NOT_YET_VALID:
		lkey_day_format(lic->starts, a);
		return put(snprintf(out, cap, "The licence starts on %s "
		    "(in %lld day%s). Register this key again from that day; "
		    "until then keep the current one.", a,
		    (long long)rep->starts_in_days,
		    plural(rep->starts_in_days)));
	case LKEY_EXPIRED:
		lkey_day_format(lic->expires, a);
		return put(snprintf(out, cap, "The licence expired on %s. "
		    "Register a renewed licence key.", a));
	case LKEY_MAINTENANCE_LAPSED:
		lkey_day_format(lic->maintenance, a);
		lkey_day_format(ctx->release, b);
		return put(snprintf(out, cap, "Maintenance ended on %s, "
		    "before this release was built (%s). Renew maintenance, "
		    "or use a release built on or before %s.", a, b, a));
	case LKEY_SEATS_EXCEEDED:
	case LKEY_ADMIN_ONLY:
		if (p->module < LKEY_FEATURES_MAX)
			return module_text(p, lic, ctx, name, out, cap);
		return seats_text(p, lic, ctx, rep, out, cap);
	case LKEY_REVOCATIONS_OUTDATED:
		return outdated_text(ctx, out, cap);
	case LKEY_MALFORMED:
		/* A licence that lkey_decode did not make (or one changed
		 * since) is the integrator's mistake: say so, not "copy the
		 * key again". */
		if (lic->version != 0 && !lkey__seal_ok(lic))
			return put(snprintf(out, cap, "The licence was not "
			    "made by lkey_decode or was changed since: its "
			    "terms are not the vendor's. Decode the licence "
			    "key with lkey_decode and check what it gives, "
			    "unchanged."));
		return put(snprintf(out, cap, "%s",
		    lkey_status_message(p->status)));
	default:
		return put(snprintf(out, cap, "%s",
		    lkey_status_message(p->status)));
	}
}

size_t
lkey_warning_text(lkey_warning w, const lkey_license *lic,
    const lkey_context *ctx, const lkey_report *rep, char *out, size_t cap)
{
	char a[11];
	uint32_t over;

	switch (w) {
	case LKEY_W_TRIAL:
		lkey_day_format(lic->expires, a);
		return put(snprintf(out, cap, "This is a trial licence; it "
		    "%s on %s. Register a full licence key to keep using the "
		    "product.", ctx->today > lic->expires ? "ended" : "ends",
		    a));
	case LKEY_W_LICENSE_EXPIRING:
		return ending_text("The licence expires on", lic->expires,
		    rep->license_days_left, "Register a renewed licence key "
		    "before then.", out, cap);
	case LKEY_W_MAINTENANCE_EXPIRING:
		return ending_text("Maintenance ends on", lic->maintenance,
		    rep->maintenance_days_left, "Renew it to keep receiving "
		    "new releases and add-ons.", out, cap);
	case LKEY_W_ADDONS_UNAVAILABLE:
		lkey_day_format(lic->maintenance, a);
		return put(snprintf(out, cap, "Maintenance ended on %s: the "
		    "product keeps running, but add-ons that need maintenance "
		    "are unavailable. Renew maintenance to use them again.",
		    a));
	case LKEY_W_CLOCK_BEHIND:
		/* Add-ons wait for the clock only while maintenance has an
		 * end (lkey_check): without one, only a grace period does. */
		if (lic->maintenance == LKEY_NEVER)
			return clock_text(ctx, rep, "The licence keeps "
			    "running, but any grace period waits until the "
			    "date and time are corrected.", out, cap);
		return clock_text(ctx, rep, "The licence keeps running, but "
		    "add-ons that need maintenance and any grace period wait "
		    "until the date and time are corrected.", out, cap);
	case LKEY_W_SEATS_GRACE:
		lkey_day_format(rep->grace_ends, a);
		over = ctx->users - lic->seats;
		return put(snprintf(out, cap, "%u users are active for %u %s. "
		    "Add licences or deactivate %u user%s by %s (%lld day%s "
		    "left); after that day users are refused.", ctx->users,
		    lic->seats, licences(lic->seats), over, plural(over), a,
		    (long long)rep->grace_days_left,
		    plural(rep->grace_days_left)));
	}
	if (cap > 0)
		out[0] = '\0';
	return 0;
}

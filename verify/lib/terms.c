/*
 * terms.c - enforcing the terms of an authenticated licence
 *
 * All periods are whole UTC days, inclusive at both ends. Every check runs,
 * and each failure is one problem in the report, most severe first; the
 * verdict is the most severe problem of the product itself (a module's
 * problems make that module unavailable, never the product). A licence
 * screen can so show all that is wrong at once, and an application can act
 * on the verdict alone. Only a licence lkey_decode made is checked: its
 * seal (seal.c) must match.
 */
#include <stddef.h>
#include <string.h>

#include <sodium.h>

#include "lkey.h"
#include "seal.h"

/*
 * lkey_report as liblkey.so.1 first had it, up to the first field after the
 * two bytes of causes: they must fit in its padding, so that programs built
 * against the older header still allocate a report of the right size.
 */
struct report_v1_head {
	lkey_status status;
	int64_t remaining;
	int64_t license_days_left;
	int64_t maintenance_days_left;
	bool maintenance_active;
	int64_t starts_in_days;
};
_Static_assert(offsetof(lkey_report, starts_in_days) ==
    offsetof(struct report_v1_head, starts_in_days),
    "the causes in lkey_report must fit in padding");

/* Days of a period left, counting today; 0 once it has ended. */
static int64_t
days_left(lkey_day end, lkey_day today)
{
	if (end == LKEY_NEVER)
		return LKEY_DAYS_UNLIMITED;
	if (end < today)
		return 0;
	return (int64_t)end - (int64_t)today + 1;
}

/* The features that need maintenance: the key's signed marks and the
 * application's own. */
static uint32_t
maint_mask(const lkey_license *lic, const lkey_context *ctx)
{
	return ctx->maintenance_features | lic->maintenance_features;
}

static void
add(lkey_report *r, lkey_status st, uint32_t module)
{
	if (r->nproblems < LKEY_PROBLEMS_MAX) {
		r->problems[r->nproblems].status = st;
		r->problems[r->nproblems].module = module;
		r->nproblems++;
	}
}

/*
 * Users over the seat limit: the grace period, if the key gives one and
 * the application the first day over (never later than today), its last
 * day and the days of it left counting today. A grace period is
 * time-limited: a clock set back gets none.
 */
static void
grace(const lkey_license *lic, const lkey_context *ctx, lkey_report *r)
{
	lkey_day since, last;

	if (!ctx->has_users || lic->seats == LKEY_SEATS_UNLIMITED ||
	    ctx->users <= lic->seats || lic->grace_days == 0 ||
	    !ctx->has_over_since || r->clock_behind != 0)
		return;
	since = ctx->over_since < ctx->today ? ctx->over_since : ctx->today;
	last = since + lic->grace_days - 1U;
	r->grace_ends = last;
	if (ctx->today <= last)
		r->grace_days_left = (int64_t)last - (int64_t)ctx->today + 1;
}

/* Over the seat limit: within the grace period a warning; after it, or
 * without one, a problem. */
static void
check_seats(const lkey_license *lic, const lkey_context *ctx, lkey_report *r)
{
	if (!ctx->has_users || lic->seats == LKEY_SEATS_UNLIMITED ||
	    ctx->users <= lic->seats)
		return;
	if (r->grace_days_left > 0) {
		r->warnings |= 1U << LKEY_W_SEATS_GRACE;
		return;
	}
	add(r, ctx->admin ? LKEY_ADMIN_ONLY : LKEY_SEATS_EXCEEDED,
	    LKEY_MODULE_NONE);
}

/*
 * Each module's own seats minus its users, as far as the context gives
 * them: a module the key does not licence at all has no seats; one
 * licensed without a count of its own is limited only by the product's
 * seats (0 here).
 */
static void
module_figures(const lkey_license *lic, const lkey_context *ctx,
    lkey_report *r)
{
	uint32_t bit, seats;

	for (bit = 0; bit < LKEY_FEATURES_MAX; bit++) {
		seats = lic->module_seats[bit];
		if (!(ctx->module_users_set & (1U << bit))) {
			r->module_remaining[bit] = seats;
			continue;
		}
		if (!(lic->features & (1U << bit)))
			seats = 0;
		else if (seats == 0)
			continue;
		r->module_remaining[bit] = (int64_t)seats -
		    (int64_t)ctx->module_users[bit];
	}
}

/*
 * Users of add-on modules against their own seat counts (module_figures).
 * A module over its seats, or used without a licence, is unavailable and
 * is a problem of its own (seats_exceeded naming it), never the product's
 * verdict: the users of one add-on must not lock everyone out of the
 * product. So an administrator gets no admin-only mode for a module
 * either: admin_only is about the product's own users.
 */
static uint32_t
check_modules(const lkey_context *ctx, lkey_report *r)
{
	uint32_t bit, over = 0;

	for (bit = 0; bit < LKEY_FEATURES_MAX; bit++) {
		if ((ctx->module_users_set & (1U << bit)) &&
		    r->module_remaining[bit] < 0) {
			add(r, LKEY_SEATS_EXCEEDED, bit);
			over |= 1U << bit;
		}
	}
	return over;
}

/*
 * Whether the product runs for the user asking, with the product's own
 * problems known: it has none, or only admin_only, where the
 * administrator uses it (so as to fix the seats).
 */
static bool
product_runs(const lkey_report *r)
{
	return r->nproblems == 0 || (r->nproblems == 1 &&
	    r->problems[0].status == LKEY_ADMIN_ONLY);
}

/*
 * The features that may run today, once the product's own problems are
 * known (every one of them stops all features, but admin_only: the
 * administrator uses the product), and why those that need maintenance
 * are held back; then the modules against their own seats.
 */
static void
check_features(const lkey_license *lic, const lkey_context *ctx,
    lkey_report *r)
{
	if (product_runs(r)) {
		r->features_available = lic->features;
		if (!r->maintenance_active)
			r->addons_off = LKEY_ADDONS_MAINTENANCE_ENDED;
		else if (r->clock_behind != 0 && lic->maintenance != LKEY_NEVER)
			r->addons_off = LKEY_ADDONS_CLOCK_BEHIND;
		if (r->addons_off != LKEY_ADDONS_ON)
			r->features_available &= ~maint_mask(lic, ctx);
	}
	r->features_available &= ~check_modules(ctx, r);
}

static void
check_warnings(const lkey_license *lic, const lkey_context *ctx,
    lkey_report *r)
{
	bool running = ctx->today >= lic->starts &&
	    (lic->expires == LKEY_NEVER || ctx->today <= lic->expires);

	if (lic->trial)
		r->warnings |= 1U << LKEY_W_TRIAL;
	if (!running)
		return;
	if (lic->expires != LKEY_NEVER &&
	    r->license_days_left <= (int64_t)lic->notice_days)
		r->warnings |= 1U << LKEY_W_LICENSE_EXPIRING;
	if (r->maintenance_active && lic->maintenance != LKEY_NEVER &&
	    r->maintenance_days_left <= (int64_t)lic->notice_days)
		r->warnings |= 1U << LKEY_W_MAINTENANCE_EXPIRING;
	if (!r->maintenance_active &&
	    (lic->features & maint_mask(lic, ctx)) != 0)
		r->warnings |= 1U << LKEY_W_ADDONS_UNAVAILABLE;
}

/* The latest day known to have passed, and what says so. */
typedef struct anchor {
	lkey_day day;
	lkey_clock_anchor what;
} anchor;

/* Raises the anchor to day if later (the first to say a day wins). */
static void
seen(anchor *a, lkey_day day, lkey_clock_anchor what)
{
	if (day != LKEY_NEVER && day > a->day) {
		a->day = day;
		a->what = what;
	}
}

/*
 * The latest day known to have passed that today is more than one day
 * before (the 24 hours of tolerance of licence managers' anchors), and what
 * says it passed, into r; else nothing. Without the clock guard only the
 * release's build date counts.
 */
static void
clock_behind(const lkey_license *lic, const lkey_context *ctx,
    lkey_report *r)
{
	anchor a = { 0, LKEY_CLOCK_NOT_BEHIND };

	if (ctx->has_release)
		seen(&a, ctx->release, LKEY_CLOCK_RELEASE);
	if (ctx->state != NULL) {
		seen(&a, ctx->state->last_seen, LKEY_CLOCK_LAST_SEEN);
		seen(&a, ctx->build_day, LKEY_CLOCK_BUILD_DAY);
		seen(&a, lic->issued, LKEY_CLOCK_ISSUED);
		if (ctx->revocations != NULL)
			seen(&a, ctx->revocations->issued,
			    LKEY_CLOCK_REVOCATIONS);
	}
	if ((uint64_t)ctx->today + 1U < (uint64_t)a.day) {
		r->clock_behind = a.day;
		r->clock_anchor = (uint8_t)a.what;
	}
}

/*
 * What a licence screen shows whatever the verdict, once the signature
 * verified: days left, seats, each module's seats, and the clock with the
 * grace period that depends on it. The days of a licence that has not
 * started count from its start: those it will give, not those before it
 * (starts_in_days says how far off it is).
 */
static void
figures(const lkey_license *lic, const lkey_context *ctx, lkey_report *r)
{
	lkey_day from = ctx->today < lic->starts ? lic->starts : ctx->today;

	r->license_days_left = days_left(lic->expires, from);
	r->maintenance_days_left = days_left(lic->maintenance, from);
	/* Not ended: so also before the start, which a key's maintenance
	 * never precedes (wire.c). */
	r->maintenance_active = lic->maintenance == LKEY_NEVER ||
	    ctx->today <= lic->maintenance;
	r->grace_ends = LKEY_NEVER;
	if (ctx->today < lic->starts)
		r->starts_in_days = (int64_t)lic->starts - (int64_t)ctx->today;
	if (lic->seats != LKEY_SEATS_UNLIMITED)
		r->remaining = (int64_t)lic->seats -
		    (ctx->has_users ? (int64_t)ctx->users : 0);
	module_figures(lic, ctx, r);
	clock_behind(lic, ctx, r);
	grace(lic, ctx, r);
}

/*
 * The revocation list against the clock guard's state: with a state, a
 * list older than one already seen here, or none where one was, would
 * undo revocations by putting back an old list (or removing it).
 */
static bool
revocations_outdated(const lkey_context *ctx)
{
	if (ctx->state == NULL)
		return false;
	if (ctx->revocations == NULL)
		return ctx->state->revocation_sequence > 0;
	return lkey_state_list_is_old(ctx->state, ctx->revocations);
}

/*
 * The verdict: the first problem of the product itself. A module's
 * problems make that module unavailable and are reported, but the product
 * runs as its own seats and dates allow.
 */
static lkey_status
verdict(const lkey_report *r)
{
	size_t i;

	for (i = 0; i < r->nproblems; i++)
		if (r->problems[i].module == LKEY_MODULE_NONE)
			return r->problems[i].status;
	return LKEY_OK;
}

lkey_status
lkey_check(const lkey_license *lic, const lkey_context *ctx,
    lkey_report *report)
{
	bool time_limited = lic->expires != LKEY_NEVER;
	lkey_report *r = report;
	size_t i;

	memset(r, 0, sizeof(*r));
	/*
	 * Zeroed by a refused lkey_decode, its status ignored: there is no
	 * licence, and that fails closed. Not sealed: not what lkey_decode
	 * read from a signed key (lkey_problem_text says which). Its terms
	 * are nobody's: the report says nothing of them, as lkey_verify's
	 * for a key that does not decode.
	 */
	if (lic->version == 0 || !lkey__seal_ok(lic)) {
		add(r, LKEY_MALFORMED, LKEY_MODULE_NONE);
		goto out;
	}
	/* The figures are the same whatever the verdict, this one too. */
	figures(lic, ctx, r);
	if (lic->product != ctx->product) {
		add(r, LKEY_WRONG_PRODUCT, LKEY_MODULE_NONE);
		goto out;
	}
	if (ctx->revocations != NULL && lkey_revocations_contains(
	    ctx->revocations, lic->key_id, lic->serial))
		add(r, LKEY_REVOKED, LKEY_MODULE_NONE);
	if (revocations_outdated(ctx))
		add(r, LKEY_REVOCATIONS_OUTDATED, LKEY_MODULE_NONE);
	/* A node-locked key without this computer's id fails closed. */
	if (lic->host_bound && (!ctx->has_host ||
	    sodium_memcmp(lic->host, ctx->host, LKEY_HOST_ID_BYTES) != 0))
		add(r, LKEY_HOST_MISMATCH, LKEY_MODULE_NONE);
	/*
	 * A clock more than a day behind a day known to have passed has been
	 * set back. Only time-limited rights depend on the clock, so a
	 * perpetual licence is never refused for a dead clock battery; only
	 * the add-ons that need maintenance (if it ends) and a grace period
	 * wait for a correct clock.
	 */
	if (r->clock_behind != 0) {
		if (time_limited)
			add(r, LKEY_CLOCK_ROLLBACK, LKEY_MODULE_NONE);
		else
			r->warnings |= 1U << LKEY_W_CLOCK_BEHIND;
	}
	if (ctx->today < lic->starts)
		add(r, LKEY_NOT_YET_VALID, LKEY_MODULE_NONE);
	else if (time_limited && ctx->today > lic->expires)
		add(r, LKEY_EXPIRED, LKEY_MODULE_NONE);
	/* Releases built on or before the end of maintenance keep working. */
	if (ctx->has_release && lic->maintenance != LKEY_NEVER &&
	    ctx->release > lic->maintenance)
		add(r, LKEY_MAINTENANCE_LAPSED, LKEY_MODULE_NONE);
	check_seats(lic, ctx, r);
	check_features(lic, ctx, r);
	check_warnings(lic, ctx, r);

out:
	/* Problems were added in order of severity, modules after the
	 * product's own. */
	r->status = verdict(r);
	for (i = r->nproblems; i < LKEY_PROBLEMS_MAX; i++)
		r->problems[i].module = LKEY_MODULE_NONE;
	return r->status;
}

int
lkey_license_order(const lkey_license *a, const lkey_license *b)
{
	if (a->issued != b->issued)
		return a->issued < b->issued ? -1 : 1;
	if (a->serial != b->serial)
		return a->serial < b->serial ? -1 : 1;
	return 0;
}

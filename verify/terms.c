/*
 * terms.c - enforcing the terms of an authenticated licence
 *
 * All periods are whole UTC days, inclusive at both ends. The checks run in
 * a fixed order and the first failure is the verdict; the report is filled
 * in every case so that a licence screen can show the whole picture.
 */
#include <string.h>

#include "wire.h"

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

lkey_status
lkey_check(const lkey_license *lic, const lkey_context *ctx,
    lkey_report *report)
{
	bool time_limited = lic->expires != LKEY_NEVER;
	lkey_status st;

	memset(report, 0, sizeof(*report));
	report->license_days_left = days_left(lic->expires, ctx->today);
	report->maintenance_days_left = days_left(lic->maintenance, ctx->today);
	report->maintenance_active = lic->maintenance == LKEY_NEVER ||
	    ctx->today <= lic->maintenance;
	if (lic->seats != LKEY_SEATS_UNLIMITED)
		report->remaining = (int64_t)lic->seats -
		    (ctx->has_users ? (int64_t)ctx->users : 0);

	if (lic->version != WIRE_VERSION)
		st = LKEY_MALFORMED;	/* not a decoded licence: fail closed */
	else if (lic->product != ctx->product)
		st = LKEY_WRONG_PRODUCT;
	/*
	 * A clock more than a day behind the build date of the release asking
	 * has been set back. Only time-limited rights depend on the clock, so a
	 * perpetual licence is never refused for a dead clock battery.
	 */
	else if (time_limited && ctx->has_release &&
	    (uint64_t)ctx->today + 1U < (uint64_t)ctx->release)
		st = LKEY_CLOCK_ROLLBACK;
	else if (ctx->today < lic->starts)
		st = LKEY_NOT_YET_VALID;
	else if (time_limited && ctx->today > lic->expires)
		st = LKEY_EXPIRED;
	/* Releases built on or before the end of maintenance keep working. */
	else if (ctx->has_release && lic->maintenance != LKEY_NEVER &&
	    ctx->release > lic->maintenance)
		st = LKEY_MAINTENANCE_LAPSED;
	else if (ctx->has_users && lic->seats != LKEY_SEATS_UNLIMITED &&
	    ctx->users > lic->seats)
		st = ctx->admin ? LKEY_ADMIN_ONLY : LKEY_SEATS_EXCEEDED;
	else
		st = LKEY_OK;
	report->status = st;
	return st;
}

/* context.c - the lkey_context of a check, from lkey-verify's options */
#include <string.h>
#include <time.h>

#include "context.h"
#include "num.h"
#include "options.h"

static int
parse_day(const char *opt, const char *text, lkey_day *d, stop *s)
{
	if (!lkey_day_parse(text, d))
		return halt(s, EXIT_USAGE, "--%s needs a real date as "
		    "YYYY-MM-DD", opt);
	return 0;
}

/* The catalog of --catalog, or NULL without it (numbers only). */
static int
load_catalog(const char *path, const catalog **out, stop *s)
{
	static catalog store;
	char err[512];

	*out = NULL;
	if (path == NULL)
		return 0;
	if (catalog_load(path, &store, err, sizeof(err)) != 0)
		return halt(s, EXIT_TROUBLE, "%s", err);
	*out = &store;
	return 0;
}

/* --users, --admin and --over-since: who is signed in, since when over. */
static int
users_from_args(const args *a, lkey_context *ctx, stop *s)
{
	char today[11];
	uint64_t n;

	if (a->seen[O_USERS]) {
		ctx->has_users = true;
		if (num_text(a->value[O_USERS], 0, UINT32_MAX - 1U, &n) != 0)
			return halt(s, EXIT_USAGE, "--users needs a whole "
			    "number of active users");
		ctx->users = (uint32_t)n;
	}
	ctx->admin = a->seen[O_ADMIN];
	if (a->seen[O_OVER_SINCE]) {
		ctx->has_over_since = true;
		if (parse_day("over-since", a->value[O_OVER_SINCE],
		    &ctx->over_since, s) != 0)
			return s->code;
		/* The library would count it as today; typed here, a day
		 * to come is a mistake. */
		if (ctx->over_since > ctx->today) {
			lkey_day_format(ctx->today, today);
			return halt(s, EXIT_USAGE, "--over-since %s is after "
			    "the day checked, %s (%s): give the first day "
			    "users were over the limit, on or before it",
			    a->value[O_OVER_SINCE], today, a->seen[O_TODAY] ?
			    "--today" : "today by the system clock");
		}
	}
	return 0;
}

int
context_from_args(const args *a, const catalog **cat, lkey_context *ctx,
    stop *s)
{
	char err[512];

	memset(ctx, 0, sizeof(*ctx));
	if (load_catalog(a->value[O_CATALOG], cat, s) != 0)
		return s->code;
	if (catalog_lookup(*cat, CATALOG_PRODUCT, a->value[O_PRODUCT],
	    &ctx->product, err, sizeof(err)) != 0)
		return halt(s, EXIT_USAGE, "%s", err);
	if (!a->seen[O_TODAY])
		ctx->today = lkey_day_from_unix((int64_t)time(NULL));
	else if (parse_day("today", a->value[O_TODAY], &ctx->today, s) != 0)
		return s->code;
	if (a->seen[O_RELEASE]) {
		ctx->has_release = true;
		if (parse_day("release", a->value[O_RELEASE], &ctx->release,
		    s) != 0)
			return s->code;
	}
	if (users_from_args(a, ctx, s) != 0)
		return s->code;
	if (a->seen[O_MODULE_USERS] && cli_feature_counts(*cat,
	    "--module-users", a->value[O_MODULE_USERS], 0, UINT32_MAX - 1U,
	    &ctx->module_users_set, ctx->module_users, err, sizeof(err)) != 0)
		return halt(s, EXIT_USAGE, "%s", err);
	ctx->maintenance_features = catalog_maintenance_features(*cat);
	return 0;
}

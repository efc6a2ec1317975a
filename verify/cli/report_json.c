/*
 * report_json.c - lkey-verify --json: the verdict and the licence as one
 * JSON object on one line. Names come from the catalog when it knows them,
 * numbers otherwise.
 *
 * The object is written by the programs' one JSON writer (jsonout.c) into
 * a buffer and printed only once it is whole, so that a report that does
 * not fit, or a string that is not UTF-8 (a file name can be anything),
 * is an error on standard error and never half an object on stdout.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "jsonout.h"
#include "report.h"
#include "stop.h"
#include "termsjson.h"
#include "typo.h"

/*
 * Room for a report: a few KiB in practice, the problems and warnings (a
 * sentence each), up to three maps and two lists of 32 modules, the terms.
 * In static storage, which costs the program file nothing.
 */
#define REPORT_JSON_MAX 65536

/* A count, or "unlimited" when `unlimited`. */
static void
json_count(jsonout *j, const char *field, bool unlimited, int64_t n)
{
	if (unlimited)
		jsonout_str(j, field, "unlimited");
	else
		jsonout_int(j, field, n);
}

static void
json_problems(jsonout *j, const verdict *v)
{
	char text[REPORT_TEXT_MAX];
	size_t i, n = report_nproblems(v);

	jsonout_array(j, "problems");
	for (i = 0; i < n; i++) {
		report_problem_text(v, i, text, sizeof(text));
		jsonout_object(j, NULL);
		jsonout_str(j, "status",
		    lkey_status_name(report_problem_status(v, i)));
		if (v->decoded && v->rep.problems[i].module !=
		    LKEY_MODULE_NONE)
			terms_json_name(j, "module", v->cat, CATALOG_FEATURE,
			    v->rep.problems[i].module);
		jsonout_str(j, "message", text);
		jsonout_close(j);
	}
	jsonout_close(j);
}

static void
json_warnings(jsonout *j, const verdict *v)
{
	char text[REPORT_TEXT_MAX];
	int w;

	jsonout_array(j, "warnings");
	for (w = 0; v->decoded && w < LKEY_WARNING_COUNT; w++) {
		if (!(v->rep.warnings & (1U << w)))
			continue;
		lkey_warning_text((lkey_warning)w, &v->lic, &v->ctx, &v->rep,
		    text, sizeof(text));
		jsonout_object(j, NULL);
		jsonout_str(j, "code", lkey_warning_name((lkey_warning)w));
		jsonout_str(j, "message", text);
		jsonout_close(j);
	}
	jsonout_close(j);
}

/* What a map of modules below gives for each module. */
enum { MAP_SEATS, MAP_USERS, MAP_REMAINING };

/* "field":{NAME:VALUE,...} for each module (feature bit) in set; a name
 * the catalog does not know is the bit's number, as a string. */
static void
json_module_map(jsonout *j, const verdict *v, const char *field,
    uint32_t set, int which)
{
	const lkey_license *lic = &v->lic;
	const char *name;
	char num[12];
	uint32_t bit;

	jsonout_object(j, field);
	for (bit = 0; bit < LKEY_FEATURES_MAX; bit++) {
		if (!(set & (1U << bit)))
			continue;
		if ((name = catalog_name(v->cat, CATALOG_FEATURE, bit)) ==
		    NULL) {
			snprintf(num, sizeof(num), "%u", bit);
			name = num;
		}
		if (which == MAP_SEATS)
			jsonout_uint(j, name, lic->module_seats[bit]);
		else if (which == MAP_USERS)
			jsonout_uint(j, name, v->ctx.module_users[bit]);
		else
			json_count(j, name, (lic->features & (1U << bit)) &&
			    lic->module_seats[bit] == 0,
			    v->rep.module_remaining[bit]);
	}
	jsonout_close(j);
}

/* Module seat counts, users and what remains, as objects by name. */
static void
json_modules(jsonout *j, const verdict *v)
{
	uint32_t bit, seats = 0, users = v->ctx.module_users_set;

	for (bit = 0; bit < LKEY_FEATURES_MAX; bit++)
		if (v->lic.module_seats[bit] != 0)
			seats |= 1U << bit;
	json_module_map(j, v, "module_seats", seats, MAP_SEATS);
	if (users == 0)
		return;
	json_module_map(j, v, "module_users", users, MAP_USERS);
	json_module_map(j, v, "module_remaining", users, MAP_REMAINING);
}

/* The signed terms of a decoded licence. */
static void
json_licence(jsonout *j, const verdict *v)
{
	const lkey_license *lic = &v->lic;
	char hex[CLI_HOST_HEX];

	terms_json_name(j, "product", v->cat, CATALOG_PRODUCT, lic->product);
	terms_json_name(j, "edition", v->cat, CATALOG_EDITION, lic->edition);
	json_count(j, "seats", lic->seats == LKEY_SEATS_UNLIMITED, lic->seats);
	jsonout_day(j, "starts", lic->starts);
	jsonout_day(j, "license_expires", lic->expires);
	jsonout_day(j, "maintenance_expires", lic->maintenance);
	jsonout_uint(j, "serial", lic->serial);
	terms_json_features(j, "features", lic->features, v->cat);
	terms_json_features(j, "maintenance_features", lic->maintenance_features,
	    v->cat);
	if (lic->licensee_len > 0)
		jsonout_str(j, "licensee", lic->licensee);
	else
		jsonout_null(j, "licensee");
	snprintf(hex, sizeof(hex), "%08x", lic->key_id);
	jsonout_str(j, "key_id", hex);
	if (lic->host_bound) {
		cli_host_format(lic->host, hex);
		jsonout_str(j, "host", hex);
	} else
		jsonout_null(j, "host");
	jsonout_day(j, "issued", lic->issued);
	jsonout_bool(j, "trial", lic->trial);
	jsonout_uint(j, "grace_days", lic->grace_days);
	jsonout_uint(j, "notice_days", lic->notice_days);
}

/* What the terms come to today: days left, features, seats, grace. */
static void
json_today(jsonout *j, const verdict *v)
{
	const lkey_report *rep = &v->rep;
	int64_t left = rep->license_days_left;

	jsonout_int(j, "starts_in_days", rep->starts_in_days);
	json_count(j, "days_left", left == LKEY_DAYS_UNLIMITED, left);
	json_count(j, "license_days_left", left == LKEY_DAYS_UNLIMITED, left);
	json_count(j, "maintenance_days_left", rep->maintenance_days_left ==
	    LKEY_DAYS_UNLIMITED, rep->maintenance_days_left);
	jsonout_bool(j, "maintenance_active", rep->maintenance_active);
	terms_json_features(j, "features_available", rep->features_available,
	    v->cat);
	json_modules(j, v);
	if (v->ctx.has_users) {
		jsonout_uint(j, "users", v->ctx.users);
		json_count(j, "remaining", v->lic.seats == LKEY_SEATS_UNLIMITED,
		    rep->remaining);
	}
	if (rep->warnings & (1U << LKEY_W_SEATS_GRACE)) {
		jsonout_int(j, "grace_days_left", rep->grace_days_left);
		jsonout_day(j, "grace_ends", rep->grace_ends);
	} else
		jsonout_null(j, "grace_days_left");
}

/* What registration did, as "registered" says it (null: nothing). */
static const char *const registered_names[] = {
	[LKEY_REG_IN_FORCE] = "in_force", [LKEY_REG_PENDING] = "pending",
	[LKEY_REG_ALREADY] = "already", [LKEY_REG_HISTORY] = "history",
};

/*
 * --store: the licence in force, the keys registered ahead, how many the
 * store holds and its revocation list; after --register, what it did.
 */
static void
json_store(jsonout *j, const verdict *v)
{
	const lkey_store *st = v->store;
	size_t i;

	jsonout_object(j, "store");
	if (st->in_force)
		jsonout_uint(j, "in_force", st->license.serial);
	else
		jsonout_null(j, "in_force");
	jsonout_array(j, "pending");
	for (i = 0; i < st->npending; i++) {
		jsonout_object(j, NULL);
		jsonout_uint(j, "serial", st->pending[i].serial);
		jsonout_day(j, "starts", st->pending[i].starts);
		jsonout_close(j);
	}
	jsonout_close(j);
	jsonout_uint(j, "history", st->history);
	if (st->revocations.sequence != 0)
		jsonout_uint(j, "revocations", st->revocations.sequence);
	else
		jsonout_null(j, "revocations");
	jsonout_close(j);
	if (!v->registering)
		return;
	if (st->registered != LKEY_REG_NONE &&
	    (size_t)st->registered < sizeof(registered_names) /
	    sizeof(registered_names[0]))
		jsonout_str(j, "registered", registered_names[st->registered]);
	else
		jsonout_null(j, "registered");
	if (st->dropped)
		jsonout_uint(j, "dropped", st->dropped_serial);
	else
		jsonout_null(j, "dropped");
	jsonout_str(j, "registration", st->message);
}

/* Where lkey-verify looked for a typo: what it found, or null. */
static void
json_suggestion(jsonout *j, const verdict *v)
{
	const lkey_suggestion *s = v->suggestion;

	if (s == NULL) {
		jsonout_null(j, "suggestion");
		return;
	}
	jsonout_object(j, "suggestion");
	jsonout_uint(j, "offset", s->offset);
	jsonout_str(j, "typed", s->typed);
	jsonout_str(j, "expected", s->expected);
	jsonout_str(j, "key", s->key);
	jsonout_close(j);
}

/*
 * The terms of a key that could not be decoded: null, by name, but the key
 * id a key names, unknown_key or bad_signature (untrusted, as they say).
 */
static const char undecoded[] = "product\0edition\0seats\0starts\0"
    "license_expires\0maintenance_expires\0serial\0features\0"
    "maintenance_features\0licensee\0key_id\0host\0";

static void
json_undecoded(jsonout *j, const verdict *v)
{
	char hex[CLI_HOST_HEX];
	const char *p;
	uint32_t id;

	for (p = undecoded; *p != '\0'; p += strlen(p) + 1) {
		if (strcmp(p, "key_id") == 0 && report_key_id(v, &id)) {
			snprintf(hex, sizeof(hex), "%08x", id);
			jsonout_str(j, p, hex);
		} else
			jsonout_null(j, p);
	}
	if (v->ctx.has_users) {
		jsonout_uint(j, "users", v->ctx.users);
		jsonout_null(j, "remaining");
	}
}

void
report_json(const verdict *v)
{
	static char out[REPORT_JSON_MAX];
	char text[REPORT_TEXT_MAX];
	jsonout j;

	jsonout_init(&j, out, sizeof(out));
	jsonout_object(&j, NULL);
	jsonout_str(&j, "status", lkey_status_name(v->status));
	jsonout_str(&j, "message", report_message(v));
	text[0] = '\0';
	if (v->status != LKEY_OK)
		report_problem_text(v, 0, text, sizeof(text));
	jsonout_str(&j, "detail", text);
	json_problems(&j, v);
	json_warnings(&j, v);
	if (typo_wanted(v))
		json_suggestion(&j, v);
	/* The number checked against: --product by name is the catalog's
	 * reading of it, which is the caller's. */
	jsonout_uint(&j, "checked_product", v->ctx.product);
	if (v->decoded) {
		json_licence(&j, v);
		json_today(&j, v);
	} else
		json_undecoded(&j, v);
	if (v->install != NULL) {
		jsonout_str(&j, "install", v->install);
		jsonout_bool(&j, "installed", v->installed);
	}
	if (v->store != NULL)
		json_store(&j, v);
	jsonout_close(&j);
	if (jsonout_finish(&j) == 0) {
		/* Only a file name can be other than UTF-8 here. */
		if (j.err & JSONOUT_ERR_TEXT)
			cli_die(EXIT_TROUBLE, "--json: the --install path is "
			    "not UTF-8 text, which JSON cannot hold");
		cli_die(EXIT_TROUBLE, "--json: the report is longer than %u "
		    "bytes", REPORT_JSON_MAX);
	}
	puts(out);
}

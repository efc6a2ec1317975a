/*
 * report_json.c - lkey-verify --json: the verdict and the licence as one
 * JSON object on one line. Names come from the catalog when it knows them,
 * numbers otherwise.
 */
#include <stdio.h>

#include "cli.h"
#include "report.h"

/* JSON string, escaped; the licensee is checked UTF-8 without controls. */
static void
json_str(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void
json_day(const char *name, lkey_day day)
{
	char buf[11];

	lkey_day_format(day, buf);
	printf(",\"%s\":\"%s\"", name, buf);
}

static void
json_days_left(const char *name, int64_t n)
{
	if (n == LKEY_DAYS_UNLIMITED)
		printf(",\"%s\":\"unlimited\"", name);
	else
		printf(",\"%s\":%lld", name, (long long)n);
}

/* A catalog name as a JSON string, or the number. */
static void
json_name(const catalog *cat, catalog_kind kind, uint32_t v)
{
	const char *name = catalog_name(cat, kind, v);

	if (name != NULL)
		json_str(name);
	else
		printf("%u", v);
}

/* The same as an object key: always a string. */
static void
json_key(const catalog *cat, uint32_t bit)
{
	const char *name = catalog_name(cat, CATALOG_FEATURE, bit);
	char num[12];

	if (name == NULL) {
		snprintf(num, sizeof(num), "%u", bit);
		name = num;
	}
	json_str(name);
	putchar(':');
}

static void
json_features(const char *field, uint32_t bits, const catalog *cat)
{
	uint32_t bit;
	bool first = true;

	printf(",\"%s\":[", field);
	for (bit = 0; bit < LKEY_FEATURES_MAX; bit++) {
		if (!(bits & (1U << bit)))
			continue;
		if (!first)
			putchar(',');
		first = false;
		json_name(cat, CATALOG_FEATURE, bit);
	}
	putchar(']');
}

static void
json_problems(const verdict *v)
{
	char text[REPORT_TEXT_MAX];
	size_t i, n = report_nproblems(v);

	printf(",\"problems\":[");
	for (i = 0; i < n; i++) {
		report_problem_text(v, i, text, sizeof(text));
		printf("%s{\"status\":\"%s\"", i > 0 ? "," : "",
		    lkey_status_name(report_problem_status(v, i)));
		if (v->decoded && v->rep.problems[i].module !=
		    LKEY_MODULE_NONE) {
			printf(",\"module\":");
			json_name(v->cat, CATALOG_FEATURE,
			    v->rep.problems[i].module);
		}
		printf(",\"message\":");
		json_str(text);
		putchar('}');
	}
	putchar(']');
}

static void
json_warnings(const verdict *v)
{
	char text[REPORT_TEXT_MAX];
	bool first = true;
	int w;

	printf(",\"warnings\":[");
	for (w = 0; v->decoded && w < LKEY_WARNING_COUNT; w++) {
		if (!(v->rep.warnings & (1U << w)))
			continue;
		lkey_warning_text((lkey_warning)w, &v->lic, &v->ctx, &v->rep,
		    text, sizeof(text));
		printf("%s{\"code\":\"%s\",\"message\":", first ? "" : ",",
		    lkey_warning_name((lkey_warning)w));
		json_str(text);
		putchar('}');
		first = false;
	}
	putchar(']');
}

/* What a map of modules below gives for each module. */
enum { MAP_SEATS, MAP_USERS, MAP_REMAINING };

/* ,"field":{NAME:VALUE,...} for each module (feature bit) in set. */
static void
json_module_map(const verdict *v, const char *field, uint32_t set,
    int which)
{
	const lkey_license *lic = &v->lic;
	const char *sep = "";
	uint32_t bit;

	printf(",\"%s\":{", field);
	for (bit = 0; bit < LKEY_FEATURES_MAX; bit++) {
		if (!(set & (1U << bit)))
			continue;
		fputs(sep, stdout);
		sep = ",";
		json_key(v->cat, bit);
		if (which == MAP_SEATS)
			printf("%u", lic->module_seats[bit]);
		else if (which == MAP_USERS)
			printf("%u", v->ctx.module_users[bit]);
		else if ((lic->features & (1U << bit)) &&
		    lic->module_seats[bit] == 0)
			printf("\"unlimited\"");
		else
			printf("%lld", (long long)v->rep.module_remaining[bit]);
	}
	putchar('}');
}

/* Module seat counts, users and what remains, as objects by name. */
static void
json_modules(const verdict *v)
{
	uint32_t bit, seats = 0, users = v->ctx.module_users_set;

	for (bit = 0; bit < LKEY_FEATURES_MAX; bit++)
		if (v->lic.module_seats[bit] != 0)
			seats |= 1U << bit;
	json_module_map(v, "module_seats", seats, MAP_SEATS);
	if (users == 0)
		return;
	json_module_map(v, "module_users", users, MAP_USERS);
	json_module_map(v, "module_remaining", users, MAP_REMAINING);
}

static void
json_host(const uint8_t host[LKEY_HOST_ID_BYTES])
{
	char hex[2U * LKEY_HOST_ID_BYTES + 1U];

	cli_host_format(host, hex);
	printf("\"%s\"", hex);
}

static void
json_install(const verdict *v)
{
	if (v->install == NULL)
		return;
	printf(",\"install\":");
	json_str(v->install);
	printf(",\"installed\":%s", v->installed ? "true" : "false");
}

/* The signed terms of a decoded licence. */
static void
json_licence(const verdict *v)
{
	const lkey_license *lic = &v->lic;

	printf(",\"product\":");
	json_name(v->cat, CATALOG_PRODUCT, lic->product);
	printf(",\"edition\":");
	json_name(v->cat, CATALOG_EDITION, lic->edition);
	if (lic->seats == LKEY_SEATS_UNLIMITED)
		printf(",\"seats\":\"unlimited\"");
	else
		printf(",\"seats\":%u", lic->seats);
	json_day("starts", lic->starts);
	json_day("license_expires", lic->expires);
	json_day("maintenance_expires", lic->maintenance);
	printf(",\"serial\":%u", lic->serial);
	json_features("features", lic->features, v->cat);
	printf(",\"licensee\":");
	if (lic->licensee_len > 0)
		json_str(lic->licensee);
	else
		printf("null");
	printf(",\"key_id\":\"%08x\"", lic->key_id);
	printf(",\"host\":");
	if (lic->host_bound)
		json_host(lic->host);
	else
		printf("null");
	json_day("issued", lic->issued);
	printf(",\"trial\":%s", lic->trial ? "true" : "false");
	printf(",\"grace_days\":%u,\"notice_days\":%u", lic->grace_days,
	    lic->notice_days);
}

/* What the terms come to today: days left, features, seats, grace. */
static void
json_today(const verdict *v)
{
	const lkey_license *lic = &v->lic;
	const lkey_context *ctx = &v->ctx;
	const lkey_report *rep = &v->rep;

	printf(",\"starts_in_days\":%lld", (long long)rep->starts_in_days);
	json_days_left("days_left", rep->license_days_left);
	json_days_left("license_days_left", rep->license_days_left);
	json_days_left("maintenance_days_left", rep->maintenance_days_left);
	printf(",\"maintenance_active\":%s",
	    rep->maintenance_active ? "true" : "false");
	json_features("features_available", rep->features_available, v->cat);
	json_modules(v);
	if (ctx->has_users) {
		printf(",\"users\":%u", ctx->users);
		if (lic->seats == LKEY_SEATS_UNLIMITED)
			printf(",\"remaining\":\"unlimited\"");
		else
			printf(",\"remaining\":%lld",
			    (long long)rep->remaining);
	}
	if (rep->warnings & (1U << LKEY_W_SEATS_GRACE)) {
		printf(",\"grace_days_left\":%lld",
		    (long long)rep->grace_days_left);
		json_day("grace_ends", rep->grace_ends);
	} else
		printf(",\"grace_days_left\":null");
}

void
report_json(const verdict *v)
{
	char text[REPORT_TEXT_MAX];

	printf("{\"status\":\"%s\",\"message\":", lkey_status_name(v->status));
	json_str(lkey_status_message(v->status));
	printf(",\"detail\":");
	text[0] = '\0';
	if (v->status != LKEY_OK)
		report_problem_text(v, 0, text, sizeof(text));
	json_str(text);
	json_problems(v);
	json_warnings(v);
	if (v->decoded) {
		json_licence(v);
		json_today(v);
	} else {
		printf(",\"product\":null,\"edition\":null,\"seats\":null,"
		    "\"starts\":null,\"license_expires\":null,"
		    "\"maintenance_expires\":null,\"serial\":null,"
		    "\"features\":null,\"licensee\":null,\"key_id\":null,"
		    "\"host\":null");
		if (v->ctx.has_users)
			printf(",\"users\":%u,\"remaining\":null",
			    v->ctx.users);
	}
	json_install(v);
	printf("}\n");
}

/*
 * report.c - the licence screen, the JSON object and the error line of
 * lkey-verify. Names come from the catalog when it knows them, numbers
 * otherwise; every sentence about the terms comes from the library.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "report.h"

#define TEXT_MAX 512

/* ---- problems ----------------------------------------------------------- */

size_t
report_nproblems(const verdict *v)
{
	if (v->status == LKEY_OK)
		return 0;
	return v->decoded ? v->rep.nproblems : 1;
}

lkey_status
report_problem_status(const verdict *v, size_t i)
{
	return v->decoded ? v->rep.problems[i].status : v->status;
}

/* What was wrong with a key that could not be decoded. */
static void
decode_text(const verdict *v, char *out, size_t cap)
{
	const lkey_detail *det = &v->det;

	switch (v->status) {
	case LKEY_MALFORMED:
		if (det->reason == LKEY_R_BAD_CHAR)
			snprintf(out, cap, "The %s (character %zu).",
			    lkey_reason_text(det->reason), det->offset + 1);
		else if (det->reason == LKEY_R_BAD_VERSION ||
		    det->reason == LKEY_R_UNKNOWN_CRITICAL)
			snprintf(out, cap, "The %s (0x%02x).",
			    lkey_reason_text(det->reason), det->value);
		else
			snprintf(out, cap, "The %s.",
			    lkey_reason_text(det->reason));
		return;
	case LKEY_UNKNOWN_KEY:
		snprintf(out, cap, "The key was signed by vendor key %08x, "
		    "which is not one of the given public keys.", det->value);
		return;
	case LKEY_BAD_SIGNATURE:
		snprintf(out, cap, "The signature does not verify: the key was "
		    "altered or mistyped.");
		return;
	default:
		snprintf(out, cap, "%s", lkey_status_message(v->status));
		return;
	}
}

void
report_problem_text(const verdict *v, size_t i, char *out, size_t cap)
{
	const lkey_problem *p;

	if (!v->decoded) {
		decode_text(v, out, cap);
		return;
	}
	p = &v->rep.problems[i];
	lkey_problem_text(p, &v->lic, &v->ctx, &v->rep,
	    p->module == LKEY_MODULE_NONE ? NULL :
	    catalog_name(v->cat, CATALOG_FEATURE, p->module), out, cap);
}

void
report_stderr(const verdict *v, const char *source, const char *tail)
{
	char text[TEXT_MAX];
	size_t i, n = report_nproblems(v);
	bool also = false;

	report_problem_text(v, 0, text, sizeof(text));
	fprintf(stderr, "lkey-verify: %s: %s: %s", source,
	    lkey_status_name(v->status), text);
	/* The other kinds of problem, each once. */
	for (i = 1; i < n; i++) {
		lkey_status st = report_problem_status(v, i);

		if (st == report_problem_status(v, i - 1))
			continue;
		fprintf(stderr, "%s%s", also ? ", " : " Also: ",
		    lkey_status_name(st));
		also = true;
	}
	fprintf(stderr, "%s%s\n", also ? "." : "", tail != NULL ? tail : "");
}

/* ---- JSON ------------------------------------------------------------- */

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
	char text[TEXT_MAX];
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
	char text[TEXT_MAX];
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

/* Module seat counts, users and what remains, as objects by name. */
static void
json_modules(const verdict *v)
{
	const lkey_license *lic = &v->lic;
	const lkey_context *ctx = &v->ctx;
	uint32_t bit;
	bool first = true;

	printf(",\"module_seats\":{");
	for (bit = 0; bit < LKEY_FEATURES_MAX; bit++) {
		if (lic->module_seats[bit] == 0)
			continue;
		if (!first)
			putchar(',');
		first = false;
		json_key(v->cat, bit);
		printf("%u", lic->module_seats[bit]);
	}
	putchar('}');
	if (ctx->module_users_set == 0)
		return;
	printf(",\"module_users\":{");
	for (first = true, bit = 0; bit < LKEY_FEATURES_MAX; bit++) {
		if (!(ctx->module_users_set & (1U << bit)))
			continue;
		if (!first)
			putchar(',');
		first = false;
		json_key(v->cat, bit);
		printf("%u", ctx->module_users[bit]);
	}
	printf("},\"module_remaining\":{");
	for (first = true, bit = 0; bit < LKEY_FEATURES_MAX; bit++) {
		if (!(ctx->module_users_set & (1U << bit)))
			continue;
		if (!first)
			putchar(',');
		first = false;
		json_key(v->cat, bit);
		if ((lic->features & (1U << bit)) &&
		    lic->module_seats[bit] == 0)
			printf("\"unlimited\"");
		else
			printf("%lld", (long long)v->rep.module_remaining[bit]);
	}
	putchar('}');
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

void
report_json(const verdict *v)
{
	const lkey_license *lic = &v->lic;
	const lkey_context *ctx = &v->ctx;
	const lkey_report *rep = &v->rep;
	char text[TEXT_MAX];

	printf("{\"status\":\"%s\",\"message\":", lkey_status_name(v->status));
	json_str(lkey_status_message(v->status));
	printf(",\"detail\":");
	text[0] = '\0';
	if (v->status != LKEY_OK)
		report_problem_text(v, 0, text, sizeof(text));
	json_str(text);
	json_problems(v);
	json_warnings(v);
	if (!v->decoded) {
		printf(",\"product\":null,\"edition\":null,\"seats\":null,"
		    "\"starts\":null,\"license_expires\":null,"
		    "\"maintenance_expires\":null,\"serial\":null,"
		    "\"features\":null,\"licensee\":null,\"key_id\":null,"
		    "\"host\":null");
		if (ctx->has_users)
			printf(",\"users\":%u,\"remaining\":null", ctx->users);
		json_install(v);
		printf("}\n");
		return;
	}
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
			printf(",\"remaining\":%lld", (long long)rep->remaining);
	}
	if (rep->warnings & (1U << LKEY_W_SEATS_GRACE)) {
		printf(",\"grace_days_left\":%lld",
		    (long long)rep->grace_days_left);
		json_day("grace_ends", rep->grace_ends);
	} else
		printf(",\"grace_days_left\":null");
	json_install(v);
	printf("}\n");
}

/* ---- the licence screen ------------------------------------------------- */

static const char *
named(const catalog *cat, catalog_kind kind, uint32_t v, char *buf,
    size_t cap)
{
	const char *name = catalog_name(cat, kind, v);

	if (name != NULL)
		snprintf(buf, cap, "%s", name);
	else
		snprintf(buf, cap, "%u", v);
	return buf;
}

static void
screen_seats(const verdict *v)
{
	const lkey_license *lic = &v->lic;
	const lkey_context *ctx = &v->ctx;
	const lkey_report *rep = &v->rep;
	char end[11];

	if (lic->seats == LKEY_SEATS_UNLIMITED) {
		if (ctx->has_users)
			printf("Seats:        unlimited, %u in use\n",
			    ctx->users);
		else
			printf("Seats:        unlimited\n");
		return;
	}
	if (!ctx->has_users) {
		printf("Seats:        %u\n", lic->seats);
		return;
	}
	if (rep->remaining >= 0) {
		printf("Seats:        %u valid, %u in use, %lld remaining\n",
		    lic->seats, ctx->users, (long long)rep->remaining);
		return;
	}
	printf("Seats:        %u valid, %u in use, %lld over the limit",
	    lic->seats, ctx->users, (long long)-rep->remaining);
	if (rep->warnings & (1U << LKEY_W_SEATS_GRACE)) {
		lkey_day_format(rep->grace_ends, end);
		printf(" (grace until %s, %lld day%s left)", end,
		    (long long)rep->grace_days_left,
		    rep->grace_days_left == 1 ? "" : "s");
	}
	putchar('\n');
}

static void
screen_periods(const verdict *v)
{
	const lkey_license *lic = &v->lic;
	const lkey_report *rep = &v->rep;
	char a[11], b[11];

	lkey_day_format(lic->starts, a);
	lkey_day_format(lic->expires, b);
	if (rep->starts_in_days > 0)
		printf("Licence:      %s to %s, starts in %lld day%s\n", a, b,
		    (long long)rep->starts_in_days,
		    rep->starts_in_days == 1 ? "" : "s");
	else if (lic->expires == LKEY_NEVER)
		printf("Licence:      from %s, perpetual\n", a);
	else if (rep->license_days_left > 0)
		printf("Licence:      %s to %s, %lld day%s left\n", a, b,
		    (long long)rep->license_days_left,
		    rep->license_days_left == 1 ? "" : "s");
	else
		printf("Licence:      %s to %s, expired\n", a, b);

	lkey_day_format(lic->maintenance, b);
	if (lic->maintenance == LKEY_NEVER)
		printf("Maintenance:  unlimited\n");
	else if (rep->maintenance_active)
		printf("Maintenance:  until %s, %lld day%s left\n", b,
		    (long long)rep->maintenance_days_left,
		    rep->maintenance_days_left == 1 ? "" : "s");
	else
		printf("Maintenance:  ended %s; releases built until then "
		    "keep working\n", b);
}

/*
 * Each feature, and why it is unavailable when the product runs but the
 * feature does not, from the causes lkey_check recorded: maintenance ended
 * (rep->addons_off), or its module is over its seats.
 */
static void
screen_features(const verdict *v)
{
	const lkey_license *lic = &v->lic;
	const lkey_report *rep = &v->rep;
	char name[CATALOG_NAME_MAX + 12];
	bool runs = true, first = true;
	uint32_t bit;
	size_t i;

	/* Problems of the product itself make every feature unavailable:
	 * the screen says so once, not per feature. */
	for (i = 0; i < rep->nproblems; i++)
		if (rep->problems[i].module == LKEY_MODULE_NONE)
			runs = false;
	fputs("Features:     ", stdout);
	for (bit = 0; bit < LKEY_FEATURES_MAX; bit++) {
		if (!(lic->features & (1U << bit)))
			continue;
		printf("%s%s", first ? "" : ", ",
		    named(v->cat, CATALOG_FEATURE, bit, name, sizeof(name)));
		first = false;
		if (lic->module_seats[bit] != 0)
			printf(" (%u seats)", lic->module_seats[bit]);
		if (!runs || (rep->features_available & (1U << bit)))
			continue;
		if (rep->addons_off == LKEY_ADDONS_MAINTENANCE_ENDED &&
		    (v->ctx.maintenance_features & (1U << bit)))
			fputs(" [unavailable: maintenance ended]", stdout);
		else
			fputs(" [unavailable: over its seats]", stdout);
	}
	if (first)
		fputs("none", stdout);
	putchar('\n');
}

void
report_screen(const verdict *v)
{
	const lkey_license *lic = &v->lic;
	char text[TEXT_MAX], name[48];
	size_t i, n = report_nproblems(v);
	const char *pname;
	int w;

	if (!v->decoded) {
		printf("Licence:      %s\n", lkey_status_name(v->status));
	} else {
		pname = catalog_name(v->cat, CATALOG_PRODUCT, lic->product);
		if (pname != NULL)
			printf("Product:      %s (%u)\n", pname, lic->product);
		else
			printf("Product:      %u\n", lic->product);
		printf("Status:       %s\n", lkey_status_name(v->status));
		printf("Edition:      %s%s\n", named(v->cat, CATALOG_EDITION,
		    lic->edition, name, sizeof(name)),
		    lic->trial ? " (trial)" : "");
		if (lic->licensee_len > 0)
			printf("Licensee:     %s\n", lic->licensee);
		printf("Serial:       %u\n", lic->serial);
		if (lic->host_bound) {
			cli_host_format(lic->host, name);
			printf("Computer:     %s (node-locked)\n", name);
		}
		screen_seats(v);
		screen_periods(v);
		screen_features(v);
	}
	if (v->decoded && v->rep.warnings != 0) {
		printf("\nWarnings:\n");
		for (w = 0; w < LKEY_WARNING_COUNT; w++) {
			if (!(v->rep.warnings & (1U << w)))
				continue;
			lkey_warning_text((lkey_warning)w, &v->lic, &v->ctx,
			    &v->rep, text, sizeof(text));
			printf("  - %s\n", text);
		}
	}
	if (n > 0) {
		printf("\nProblems:\n");
		for (i = 0; i < n; i++) {
			report_problem_text(v, i, text, sizeof(text));
			printf("  - %s\n", text);
		}
	}
	if (v->installed)
		printf("\nRegistered in %s%s.\n", v->install,
		    v->already ? " (it held this key already)" : "");
}

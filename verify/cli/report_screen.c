/*
 * report_screen.c - the licence screen of lkey-verify: the licence, its
 * seats, periods and features, the warnings and the problems, as a
 * product's licence dialog shows them
 */
#include <stdio.h>

#include "cli.h"
#include "report.h"
#include "typo.h"
#include "utf8.h"

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

/*
 * A line per module with its own seats, or with users given: its seats
 * valid, in use and remaining, as the product's seats line has them.
 */
static void
screen_modules(const verdict *v)
{
	const lkey_license *lic = &v->lic;
	const lkey_context *ctx = &v->ctx;
	char name[CATALOG_NAME_MAX + 12];
	uint32_t bit, seats, users;
	int64_t left;
	bool used;

	for (bit = 0; bit < LKEY_FEATURES_MAX; bit++) {
		seats = lic->module_seats[bit];
		used = (ctx->module_users_set & (1U << bit)) != 0;
		users = ctx->module_users[bit];
		left = v->rep.module_remaining[bit];
		if (seats == 0 && !used)
			continue;
		printf("Module:       %s: ", named(v->cat, CATALOG_FEATURE,
		    bit, name, sizeof(name)));
		if (!(lic->features & (1U << bit)))
			printf("not licensed, %u in use\n", users);
		else if (seats == 0)
			printf("no seats of its own, %u in use\n", users);
		else if (!used)
			printf("%u seats\n", seats);
		else if (left >= 0)
			printf("%u valid, %u in use, %lld remaining\n", seats,
			    users, (long long)left);
		else
			printf("%u valid, %u in use, %lld over the limit\n",
			    seats, users, (long long)-left);
	}
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
		/* Not started: its days count from the start (lkey_check). */
		printf("Maintenance:  until %s, %lld day%s %s\n", b,
		    (long long)rep->maintenance_days_left,
		    rep->maintenance_days_left == 1 ? "" : "s",
		    rep->starts_in_days > 0 ? "from the start" : "left");
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
	 * the screen says so once, not per feature. But admin-only mode,
	 * where the administrator uses the product and its features. */
	for (i = 0; i < rep->nproblems; i++)
		if (rep->problems[i].module == LKEY_MODULE_NONE &&
		    rep->problems[i].status != LKEY_ADMIN_ONLY)
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
		/* The catalog's marks and the key's own, as lkey_check
		 * takes them. */
		if (rep->addons_off != LKEY_ADDONS_ON &&
		    ((v->ctx.maintenance_features |
		    lic->maintenance_features) & (1U << bit)))
			fputs(rep->addons_off == LKEY_ADDONS_CLOCK_BEHIND ?
			    " [unavailable: clock set back]" :
			    " [unavailable: maintenance ended]", stdout);
		else
			fputs(" [unavailable: over its seats]", stdout);
	}
	if (first)
		fputs("none", stdout);
	putchar('\n');
}

/* A likely typo, and the key it would give, for the user to compare with
 * the copy: never used here. */
static void
screen_typo(const lkey_suggestion *s)
{
	char text[REPORT_TEXT_MAX];

	typo_text(s, text, sizeof(text));
	printf("\nLikely typo:  %s\n", text);
	printf("Corrected:    %s\n", s->key);
	printf("              (check it against your copy of the key before "
	    "you use it)\n");
}

void
report_screen(const verdict *v)
{
	const lkey_license *lic = &v->lic;
	char text[REPORT_TEXT_MAX], name[48];
	char shown[LKEY_LICENSEE_MAX * 8 + 1];	/* "<U+XXXX>" a byte at most */
	size_t i, n = report_nproblems(v);
	const char *pname;
	int w;

	if (!v->decoded) {
		/* What a person is to do first; the problem says what
		 * exactly is wrong, below. */
		printf("Status:       %s\n", lkey_status_name(v->status));
		printf("              %s\n", report_message(v));
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
		if (lic->licensee_len > 0) {
			utf8_shown(lic->licensee, lic->licensee_len, shown,
			    sizeof(shown));
			printf("Licensee:     %s\n", shown);
		}
		printf("Serial:       %u\n", lic->serial);
		if (lic->host_bound) {
			cli_host_format(lic->host, name);
			printf("Computer:     %s (node-locked)\n", name);
		}
		screen_seats(v);
		screen_modules(v);
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
	if (v->suggestion != NULL)
		screen_typo(v->suggestion);
	if (v->installed)
		printf("\nRegistered in %s%s.\n", v->install,
		    v->already ? " (it held this key already)" : "");
}

/*
 * lkey-verify - check a licence key and show it the way a licence screen does
 *
 * Exit status: 0 valid; 1 a file could not be used; 2 usage; 10 and up one
 * per verdict (see exit_codes below, the man page and the README).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "catalog.h"
#include "lkey.h"
#include "pubkey.h"
#include "textfile.h"

#define EXIT_TROUBLE 1
#define EXIT_USAGE 2

static const int exit_codes[LKEY_STATUS_COUNT] = {
	[LKEY_OK] = 0,
	[LKEY_MALFORMED] = 10,
	[LKEY_UNKNOWN_KEY] = 11,
	[LKEY_BAD_SIGNATURE] = 12,
	[LKEY_WRONG_PRODUCT] = 13,
	[LKEY_NOT_YET_VALID] = 14,
	[LKEY_EXPIRED] = 15,
	[LKEY_MAINTENANCE_LAPSED] = 16,
	[LKEY_SEATS_EXCEEDED] = 17,
	[LKEY_ADMIN_ONLY] = 18,
	[LKEY_HOST_MISMATCH] = 19,
	[LKEY_REVOKED] = 20,
	[LKEY_CLOCK_ROLLBACK] = 21,
};

enum {
	O_PUBKEY, O_PRODUCT, O_CATALOG, O_TODAY, O_RELEASE, O_USERS, O_ADMIN,
	O_JSON, O_KEYFILE, O_HELP, O_VERSION, O_COUNT
};

static const args_spec specs[O_COUNT] = {
	[O_PUBKEY] = { "pubkey", true },
	[O_PRODUCT] = { "product", true },
	[O_CATALOG] = { "catalog", true },
	[O_TODAY] = { "today", true },
	[O_RELEASE] = { "release", true },
	[O_USERS] = { "users", true },
	[O_ADMIN] = { "admin", false },
	[O_JSON] = { "json", false },
	[O_KEYFILE] = { "key-file", true },
	[O_HELP] = { "help", false },
	[O_VERSION] = { "version", false },
};

static const char usage_text[] =
    "usage: lkey-verify --pubkey FILE --product P [--catalog FILE]\n"
    "                   [--today YYYY-MM-DD] [--release YYYY-MM-DD]\n"
    "                   [--users N [--admin]] [--json]\n"
    "                   (KEY | --key-file FILE | -)\n";

/* The catalog, when one was given: names for numbers. */
static const catalog *cat;


static lkey_day
parse_day(const char *opt, const char *s)
{
	lkey_day d;

	if (!lkey_day_parse(s, &d))
		cli_usage(strcmp(opt, "today") == 0 ?
		    "--today needs a real date as YYYY-MM-DD" :
		    "--release needs a real date as YYYY-MM-DD");
	return d;
}

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
json_named(const char *field, catalog_kind kind, uint32_t v,
    const catalog *c)
{
	const char *name = catalog_name(c, kind, v);

	printf(",\"%s\":", field);
	if (name != NULL)
		json_str(name);
	else
		printf("%u", v);
}

/* The sentence for a verdict, with the dates and counts of this licence. */
static void
explain(char *out, size_t cap, lkey_status st, const lkey_license *lic,
    const lkey_context *ctx, const lkey_detail *det)
{
	char a[11], b[11];

	switch (st) {
	case LKEY_MALFORMED:
		if (det->reason == LKEY_R_BAD_CHAR)
			snprintf(out, cap, "%s (character %zu)",
			    lkey_reason_text(det->reason), det->offset + 1);
		else if (det->reason == LKEY_R_BAD_VERSION ||
		    det->reason == LKEY_R_UNKNOWN_CRITICAL)
			snprintf(out, cap, "%s (0x%02x)",
			    lkey_reason_text(det->reason), det->value);
		else
			snprintf(out, cap, "%s", lkey_reason_text(det->reason));
		return;
	case LKEY_UNKNOWN_KEY:
		snprintf(out, cap, "key was signed by vendor key %08x, which "
		    "is not the given public key", det->value);
		return;
	case LKEY_BAD_SIGNATURE:
		snprintf(out, cap, "signature does not verify: the key was "
		    "altered or mistyped");
		return;
	case LKEY_WRONG_PRODUCT:
		snprintf(out, cap, "key is for product %u, not %u",
		    lic->product, ctx->product);
		return;
	case LKEY_CLOCK_ROLLBACK:
		lkey_day_format(ctx->today, a);
		lkey_day_format(ctx->release, b);
		snprintf(out, cap, "the clock says %s, before this release "
		    "was built (%s): correct the date and time", a, b);
		return;
	case LKEY_NOT_YET_VALID:
		lkey_day_format(lic->starts, a);
		snprintf(out, cap, "the licence starts on %s", a);
		return;
	case LKEY_EXPIRED:
		lkey_day_format(lic->expires, a);
		snprintf(out, cap, "the licence expired on %s: register a "
		    "renewed licence key", a);
		return;
	case LKEY_MAINTENANCE_LAPSED:
		lkey_day_format(lic->maintenance, a);
		lkey_day_format(ctx->release, b);
		snprintf(out, cap, "maintenance ended on %s, before this "
		    "release was built (%s): renew maintenance, or use a "
		    "release built on or before %s", a, b, a);
		return;
	case LKEY_SEATS_EXCEEDED:
		snprintf(out, cap, "number of licences exceeded: %u users for "
		    "%u licences; ask your administrator to add licences",
		    ctx->users, lic->seats);
		return;
	case LKEY_ADMIN_ONLY:
		snprintf(out, cap, "number of licences exceeded: %u users for "
		    "%u licences; administrator mode only: add licences or "
		    "deactivate %u user%s", ctx->users, lic->seats,
		    ctx->users - lic->seats,
		    ctx->users - lic->seats == 1 ? "" : "s");
		return;
	default:
		snprintf(out, cap, "%s", lkey_status_message(st));
		return;
	}
}

static void
print_json(lkey_status st, const char *why, const lkey_license *lic,
    const lkey_context *ctx, const lkey_report *rep, bool decoded)
{
	uint32_t bit;
	bool first = true;

	printf("{\"status\":\"%s\",\"message\":", lkey_status_name(st));
	json_str(lkey_status_message(st));
	printf(",\"detail\":");
	json_str(st == LKEY_OK ? "" : why);
	if (!decoded) {
		printf(",\"product\":null,\"edition\":null,\"seats\":null,"
		    "\"starts\":null,\"license_expires\":null,"
		    "\"maintenance_expires\":null,\"serial\":null,"
		    "\"features\":null,\"licensee\":null,\"key_id\":null");
		if (ctx->has_users)
			printf(",\"users\":%u,\"remaining\":null", ctx->users);
		printf("}\n");
		return;
	}
	json_named("product", CATALOG_PRODUCT, lic->product, cat);
	json_named("edition", CATALOG_EDITION, lic->edition, cat);
	if (lic->seats == LKEY_SEATS_UNLIMITED)
		printf(",\"seats\":\"unlimited\"");
	else
		printf(",\"seats\":%u", lic->seats);
	json_day("starts", lic->starts);
	json_day("license_expires", lic->expires);
	json_day("maintenance_expires", lic->maintenance);
	printf(",\"serial\":%u,\"features\":[", lic->serial);
	for (bit = 0; bit < LKEY_FEATURES_MAX; bit++) {
		const char *name;

		if (!(lic->features & (1U << bit)))
			continue;
		if (!first)
			putchar(',');
		first = false;
		name = catalog_name(cat, CATALOG_FEATURE, bit);
		if (name != NULL)
			json_str(name);
		else
			printf("%u", bit);
	}
	printf("],\"licensee\":");
	if (lic->licensee_len > 0)
		json_str(lic->licensee);
	else
		printf("null");
	printf(",\"key_id\":\"%08x\"", lic->key_id);
	json_days_left("license_days_left", rep->license_days_left);
	json_days_left("maintenance_days_left", rep->maintenance_days_left);
	printf(",\"maintenance_active\":%s",
	    rep->maintenance_active ? "true" : "false");
	if (ctx->has_users) {
		printf(",\"users\":%u", ctx->users);
		if (lic->seats == LKEY_SEATS_UNLIMITED)
			printf(",\"remaining\":\"unlimited\"");
		else
			printf(",\"remaining\":%lld", (long long)rep->remaining);
	}
	printf("}\n");
}

static const char *
named(catalog_kind kind, uint32_t v, char *buf, size_t cap)
{
	const char *name = catalog_name(cat, kind, v);

	if (name != NULL)
		snprintf(buf, cap, "%s", name);
	else
		snprintf(buf, cap, "%u", v);
	return buf;
}

static void
print_screen(lkey_status st, const lkey_license *lic,
    const lkey_context *ctx, const lkey_report *rep, bool decoded)
{
	char a[11], b[11], name[48], feat[CATALOG_FEATURES_TEXT_MAX];
	const char *pname, *p;

	if (!decoded) {
		printf("Licence:      %s\n", lkey_status_name(st));
		printf("\n%s\n", lkey_status_message(st));
		return;
	}
	pname = catalog_name(cat, CATALOG_PRODUCT, lic->product);
	if (pname != NULL)
		printf("Product:      %s (%u)\n", pname, lic->product);
	else
		printf("Product:      %u\n", lic->product);
	printf("Status:       %s\n", lkey_status_name(st));
	printf("Edition:      %s\n",
	    named(CATALOG_EDITION, lic->edition, name, sizeof(name)));
	if (lic->licensee_len > 0)
		printf("Licensee:     %s\n", lic->licensee);
	printf("Serial:       %u\n", lic->serial);

	if (lic->seats == LKEY_SEATS_UNLIMITED) {
		if (ctx->has_users)
			printf("Seats:        unlimited, %u in use\n",
			    ctx->users);
		else
			printf("Seats:        unlimited\n");
	} else if (!ctx->has_users)
		printf("Seats:        %u\n", lic->seats);
	else if (rep->remaining >= 0)
		printf("Seats:        %u valid, %u in use, %lld remaining\n",
		    lic->seats, ctx->users, (long long)rep->remaining);
	else
		printf("Seats:        %u valid, %u in use, %lld over the "
		    "limit\n", lic->seats, ctx->users,
		    (long long)-rep->remaining);

	lkey_day_format(lic->starts, a);
	lkey_day_format(lic->expires, b);
	if (lic->expires == LKEY_NEVER)
		printf("Licence:      from %s, perpetual\n", a);
	else if (ctx->today < lic->starts)
		printf("Licence:      %s to %s, not started yet\n", a, b);
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

	fputs("Features:     ", stdout);
	if (catalog_features_format(cat, lic->features, feat,
	    sizeof(feat)) == 0)
		fputs("none", stdout);
	for (p = feat; *p != '\0'; p++) {
		if (*p == ',')
			fputs(", ", stdout);
		else
			putchar(*p);
	}
	putchar('\n');

	/* The specific reason goes to standard error, once. */
	if (st != LKEY_OK)
		printf("\n%s\n", lkey_status_message(st));
}

int
main(int argc, char **argv)
{
	static char text[LKEY_TEXT_MAX + 1U];
	char pubtext[PUBKEY_FILE_MAX + 1U], err[512], why[512];
	const char *keysrc, *keyname;
	lkey_pubkey pub;
	lkey_license lic;
	lkey_context ctx;
	lkey_report rep;
	lkey_detail det;
	lkey_status st;
	uint64_t n;
	size_t len;
	args a;
	int rc;
	bool decoded = false;

	cli_init("lkey-verify");

	if (args_parse(argc, argv, 1, specs, O_COUNT, &a, err,
	    sizeof(err)) != 0)
		cli_usage(err);
	if (a.seen[O_HELP]) {
		fputs(usage_text, stdout);
		fputs("\nChecks a licence key against the vendor's public key "
		    "and enforces its terms.\nSee lkey-verify(1).\n", stdout);
		return 0;
	}
	if (a.seen[O_VERSION]) {
		printf("lkey-verify %s\n", LKEY_VERSION_STRING);
		return 0;
	}
	if (!a.seen[O_PUBKEY])
		cli_usage("--pubkey is required");
	if (!a.seen[O_PRODUCT])
		cli_usage("--product is required");
	if (a.seen[O_ADMIN] && !a.seen[O_USERS])
		cli_usage("--admin goes with --users");
	if (a.npos + (a.seen[O_KEYFILE] ? 1U : 0U) != 1)
		cli_usage("give the key once: KEY, --key-file FILE or - for "
		    "standard input");
	if (lkey_init() != 0)
		cli_die(EXIT_TROUBLE, "cannot initialise libsodium");

	memset(&ctx, 0, sizeof(ctx));
	cat = cli_catalog(a.value[O_CATALOG]);
	if (catalog_lookup(cat, CATALOG_PRODUCT, a.value[O_PRODUCT],
	    &ctx.product, err, sizeof(err)) != 0)
		cli_usage(err);
	if (a.seen[O_TODAY])
		ctx.today = parse_day("today", a.value[O_TODAY]);
	else
		ctx.today = lkey_day_from_unix((int64_t)time(NULL));
	if (a.seen[O_RELEASE]) {
		ctx.has_release = true;
		ctx.release = parse_day("release", a.value[O_RELEASE]);
	}
	if (a.seen[O_USERS]) {
		ctx.has_users = true;
		if (cli_number(a.value[O_USERS], 0, UINT32_MAX - 1U, &n) != 0)
			cli_usage("--users needs a whole number of active users");
		ctx.users = (uint32_t)n;
	}
	ctx.admin = a.seen[O_ADMIN];

	rc = textfile_read(a.value[O_PUBKEY], 0, pubtext, sizeof(pubtext),
	    &len, err, sizeof(err));
	if (rc != TEXTFILE_OK)
		cli_die(EXIT_TROUBLE, "%s: %s", a.value[O_PUBKEY], err);
	if (lkey_pubkey_parse(pubtext, len, &pub) != LKEY_OK)
		cli_die(EXIT_TROUBLE, "%s: not an lkey public key file",
		    a.value[O_PUBKEY]);

	/* The key: an argument, a file, or standard input ("-"). */
	keysrc = a.seen[O_KEYFILE] ? a.value[O_KEYFILE] : a.pos[0];
	memset(&det, 0, sizeof(det));
	if (a.seen[O_KEYFILE] || strcmp(keysrc, "-") == 0) {
		keyname = strcmp(keysrc, "-") == 0 ? "standard input" : keysrc;
		rc = textfile_read(keysrc, 0, text, sizeof(text), &len, err,
		    sizeof(err));
		if (rc == TEXTFILE_ERROR)
			cli_die(EXIT_TROUBLE, "%s: %s", keyname, err);
		if (rc == TEXTFILE_TOO_BIG)
			len = sizeof(text);	/* over the bound: refused */
		st = lkey_decode(text, len, &pub, 1, &lic, &det);
	} else {
		keyname = "key";
		st = lkey_decode(keysrc, strlen(keysrc), &pub, 1, &lic, &det);
	}
	memset(&rep, 0, sizeof(rep));
	if (st == LKEY_OK) {
		decoded = true;
		st = lkey_check(&lic, &ctx, &rep);
	}
	explain(why, sizeof(why), st, &lic, &ctx, &det);

	if (a.seen[O_JSON])
		print_json(st, why, &lic, &ctx, &rep, decoded);
	else
		print_screen(st, &lic, &ctx, &rep, decoded);
	if (fflush(stdout) != 0 || ferror(stdout))
		cli_die(EXIT_TROUBLE, "cannot write the report");
	if (st != LKEY_OK)
		fprintf(stderr, "lkey-verify: %s: %s: %s\n", keyname,
		    lkey_status_name(st), why);
	return exit_codes[st];
}

/*
 * lkey-verify - check a licence key and show it the way a licence screen does
 *
 * Exit status: 0 valid; 1 a file could not be used; 2 usage; 3 --install
 * kept the stored licence; 10 and up one per verdict (see exit_codes below,
 * the man page and the README).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "catalog.h"
#include "install.h"
#include "lkey.h"
#include "pubkey.h"
#include "report.h"
#include "textfile.h"

#define EXIT_TROUBLE 1
#define EXIT_USAGE 2
#define EXIT_KEPT 3

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
	O_OVER_SINCE, O_MODULE_USERS, O_JSON, O_KEYFILE, O_INSTALL, O_FORCE,
	O_HELP, O_VERSION, O_COUNT
};

static const args_spec specs[O_COUNT] = {
	[O_PUBKEY] = { "pubkey", ARGS_MULTI },
	[O_PRODUCT] = { "product", true },
	[O_CATALOG] = { "catalog", true },
	[O_TODAY] = { "today", true },
	[O_RELEASE] = { "release", true },
	[O_USERS] = { "users", true },
	[O_ADMIN] = { "admin", false },
	[O_OVER_SINCE] = { "over-since", true },
	[O_MODULE_USERS] = { "module-users", true },
	[O_JSON] = { "json", false },
	[O_KEYFILE] = { "key-file", true },
	[O_INSTALL] = { "install", true },
	[O_FORCE] = { "force", false },
	[O_HELP] = { "help", false },
	[O_VERSION] = { "version", false },
};

static const char usage_text[] =
    "usage: lkey-verify --pubkey FILE [--pubkey FILE]... --product P\n"
    "                   [--catalog FILE] [--today YYYY-MM-DD]\n"
    "                   [--release YYYY-MM-DD]\n"
    "                   [--users N [--admin] [--over-since YYYY-MM-DD]]\n"
    "                   [--module-users F=N,...] [--json]\n"
    "                   [--install FILE [--force]]\n"
    "                   (KEY | --key-file FILE | -)\n";

static lkey_day
parse_day(const char *opt, const char *s)
{
	char why[96];
	lkey_day d;

	if (!lkey_day_parse(s, &d)) {
		snprintf(why, sizeof(why), "--%s needs a real date as "
		    "YYYY-MM-DD", opt);
		cli_usage(why);
	}
	return d;
}

/* The context of the check: what the application knows about itself. */
static void
context_from_args(const args *a, const catalog *cat, lkey_context *ctx)
{
	char err[512];
	uint64_t n;

	memset(ctx, 0, sizeof(*ctx));
	if (catalog_lookup(cat, CATALOG_PRODUCT, a->value[O_PRODUCT],
	    &ctx->product, err, sizeof(err)) != 0)
		cli_usage(err);
	if (a->seen[O_TODAY])
		ctx->today = parse_day("today", a->value[O_TODAY]);
	else
		ctx->today = lkey_day_from_unix((int64_t)time(NULL));
	if (a->seen[O_RELEASE]) {
		ctx->has_release = true;
		ctx->release = parse_day("release", a->value[O_RELEASE]);
	}
	if (a->seen[O_USERS]) {
		ctx->has_users = true;
		if (cli_number(a->value[O_USERS], 0, UINT32_MAX - 1U, &n) != 0)
			cli_usage("--users needs a whole number of active users");
		ctx->users = (uint32_t)n;
	}
	ctx->admin = a->seen[O_ADMIN];
	if (a->seen[O_OVER_SINCE]) {
		ctx->has_over_since = true;
		ctx->over_since = parse_day("over-since",
		    a->value[O_OVER_SINCE]);
		if (ctx->over_since > ctx->today)
			cli_usage("--over-since is after today: give the first "
			    "day users were over the limit");
	}
	if (a->seen[O_MODULE_USERS] && cli_feature_counts(cat,
	    "--module-users", a->value[O_MODULE_USERS], 0, UINT32_MAX - 1U,
	    &ctx->module_users_set, ctx->module_users, err, sizeof(err)) != 0)
		cli_usage(err);
	ctx->maintenance_features = catalog_maintenance_features(cat);
}

/* The key without whitespace: its canonical one-line form. */
static size_t
compact(const char *in, size_t len, char *out)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (strchr(" \t\n\v\f\r", in[i]) == NULL || in[i] == '\0')
			out[n++] = in[i];
	out[n] = '\0';
	return n;
}

/*
 * Registers a valid key in v->install, as a product's "Register licence"
 * button does: the stored key is kept if it is newer (issued later, or the
 * same day with a higher serial) or if it is not a key this program can
 * authenticate, unless --force. Returns 0, or EXIT_KEPT or EXIT_TROUBLE
 * with the line for standard error in msg.
 */
static int
install(verdict *v, const char *text, size_t len, const lkey_pubkey *keys,
    size_t nkeys, bool force, char *msg, size_t cap)
{
	static char old[LKEY_TEXT_MAX + 1U], canon[LKEY_TEXT_MAX + 1U],
	    stored[LKEY_TEXT_MAX + 1U];
	char err[600], a[11], b[11];
	lkey_license prev;
	lkey_status st;
	size_t oldlen, n, slen;
	int rc;

	rc = install_read(v->install, old, sizeof(old), &oldlen, err,
	    sizeof(err));
	if (rc < 0) {
		snprintf(msg, cap, "%s; nothing changed", err);
		return EXIT_TROUBLE;
	}
	n = compact(text, len, canon);
	slen = rc == INSTALL_NONE ? 0 : compact(old, oldlen, stored);
	if (slen > 0 && slen == n && memcmp(stored, canon, n) == 0) {
		v->installed = v->already = true;
		return 0;
	}
	if (slen > 0 && !force) {
		st = lkey_decode(old, oldlen, keys, nkeys, &prev, NULL);
		if (st != LKEY_OK) {
			snprintf(msg, cap, "%s: holds no licence key this "
			    "program can authenticate (%s); not replaced "
			    "(--force replaces it)", v->install,
			    lkey_status_name(st));
			return EXIT_KEPT;
		}
		if (prev.product == v->lic.product &&
		    lkey_license_order(&v->lic, &prev) < 0) {
			lkey_day_format(prev.issued, a);
			lkey_day_format(v->lic.issued, b);
			snprintf(msg, cap, "%s: holds a newer licence key "
			    "(issued %s, serial %u) than this one (issued %s, "
			    "serial %u); not replaced (--force replaces it)",
			    v->install, a, prev.serial, b, v->lic.serial);
			return EXIT_KEPT;
		}
	}
	if (install_write(v->install, canon, n, old, oldlen, rc == 0, err,
	    sizeof(err)) != 0) {
		snprintf(msg, cap, "%s", err);
		return EXIT_TROUBLE;
	}
	v->installed = true;
	return 0;
}

/*
 * Every key of every --pubkey file, in order: a licence signed by any of
 * them is accepted, which is what lets a vendor rotate keys
 * (docs/ROTATION.md). A file that cannot be read or is not a key ring ends
 * the program (exit 1); more than LKEY_RING_MAX keys in all, or a key in
 * two files, is a usage error.
 */
static size_t
load_keys(const args *a, lkey_pubkey ring[LKEY_RING_MAX])
{
	char text[PUBKEY_FILE_MAX + 1U], err[512], why[600];
	lkey_pubkey keys[LKEY_RING_MAX];
	const char *path, *from[LKEY_RING_MAX];
	pubkey_ring_error where;
	size_t nring = 0, n, i, j, k, len;
	int rc;

	if (a->count[O_PUBKEY] > LKEY_RING_MAX)
		cli_usage("too many public keys: at most 16 in all the "
		    "--pubkey files");
	for (i = 0; i < a->count[O_PUBKEY]; i++) {
		path = args_nth(a, O_PUBKEY, i);
		if (path[0] == '\0')
			cli_usage("--pubkey needs the path of a public key file");
		rc = textfile_read(path, 0, text, sizeof(text), &len, err,
		    sizeof(err));
		if (rc != TEXTFILE_OK)
			cli_die(EXIT_TROUBLE, "%s: %s", path, err);
		rc = pubkey_ring_parse(text, len, keys, LKEY_RING_MAX, &n,
		    &where);
		if (rc == PUBKEY_RING_DUPLICATE)
			cli_die(EXIT_TROUBLE, "%s: line %zu: key id %08x is in "
			    "the file twice", path, where.line,
			    (unsigned)where.id);
		if (rc == PUBKEY_RING_TOO_MANY)
			cli_die(EXIT_TROUBLE, "%s: line %zu: more than %d "
			    "public keys in one file", path, where.line,
			    LKEY_RING_MAX);
		if (rc == PUBKEY_RING_BAD_LINE)
			cli_die(EXIT_TROUBLE, "%s: line %zu: not an lkey public "
			    "key", path, where.line);
		if (rc != PUBKEY_RING_OK)
			cli_die(EXIT_TROUBLE, "%s: %s", path,
			    pubkey_ring_result_text(rc));
		for (j = 0; j < n; j++) {
			for (k = 0; k < nring; k++) {
				if (ring[k].id != keys[j].id)
					continue;
				if (strcmp(from[k], path) == 0)
					snprintf(why, sizeof(why), "--pubkey: "
					    "%.200s given twice", path);
				else
					snprintf(why, sizeof(why), "--pubkey: "
					    "key id %08x is in both %.200s and "
					    "%.200s", (unsigned)keys[j].id,
					    from[k], path);
				cli_usage(why);
			}
			if (nring == LKEY_RING_MAX)
				cli_usage("too many public keys: at most 16 in "
				    "all the --pubkey files");
			from[nring] = path;
			ring[nring++] = keys[j];
		}
	}
	return nring;
}

int
main(int argc, char **argv)
{
	static char text[LKEY_TEXT_MAX + 1U];
	static verdict v;
	char err[512], tail[600], msg[800];
	const char *keysrc, *keyname, *keytext;
	lkey_pubkey ring[LKEY_RING_MAX];
	size_t len, keylen, nring;
	args a;
	int rc, code;

	cli_init("lkey-verify");

	if (args_parse(argc, argv, 1, specs, O_COUNT, &a, err,
	    sizeof(err)) != 0)
		cli_usage(err);
	if (a.seen[O_HELP]) {
		fputs(usage_text, stdout);
		fputs("\nChecks a licence key against the vendor's public key "
		    "and enforces its terms;\nwith --install, registers a valid "
		    "key in FILE. A key signed by any key of\nany --pubkey file "
		    "is accepted: a file may hold several keys (a key ring),\n"
		    "at most 16 keys in all. See lkey-verify(1).\n", stdout);
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
	if (a.seen[O_OVER_SINCE] && !a.seen[O_USERS])
		cli_usage("--over-since goes with --users");
	if (a.seen[O_FORCE] && !a.seen[O_INSTALL])
		cli_usage("--force goes with --install");
	if (a.seen[O_INSTALL] && a.value[O_INSTALL][0] == '\0')
		cli_usage("--install needs the path of the licence file");
	if (a.npos + (a.seen[O_KEYFILE] ? 1U : 0U) != 1)
		cli_usage("give the key once: KEY, --key-file FILE or - for "
		    "standard input");
	if (lkey_init() != 0)
		cli_die(EXIT_TROUBLE, "cannot initialise libsodium");

	v.cat = cli_catalog(a.value[O_CATALOG]);
	context_from_args(&a, v.cat, &v.ctx);
	v.install = a.seen[O_INSTALL] ? a.value[O_INSTALL] : NULL;

	nring = load_keys(&a, ring);

	/* The key: an argument, a file, or standard input ("-"). */
	keysrc = a.seen[O_KEYFILE] ? a.value[O_KEYFILE] : a.pos[0];
	if (a.seen[O_KEYFILE] || strcmp(keysrc, "-") == 0) {
		keyname = strcmp(keysrc, "-") == 0 ? "standard input" : keysrc;
		rc = textfile_read(keysrc, 0, text, sizeof(text), &len, err,
		    sizeof(err));
		if (rc == TEXTFILE_ERROR)
			cli_die(EXIT_TROUBLE, "%s: %s", keyname, err);
		if (rc == TEXTFILE_TOO_BIG)
			len = sizeof(text);	/* over the bound: refused */
		keytext = text;
		keylen = len;
	} else {
		keyname = "key";
		keytext = keysrc;
		keylen = strlen(keysrc);
	}
	v.status = lkey_decode(keytext, keylen, ring, nring, &v.lic, &v.det);
	if (v.status == LKEY_OK) {
		v.decoded = true;
		v.status = lkey_check(&v.lic, &v.ctx, &v.rep);
	}

	/* Only a key valid here and now is registered. */
	code = exit_codes[v.status];
	if (v.install != NULL && v.status == LKEY_OK)
		code = install(&v, keytext, keylen, ring, nring,
		    a.seen[O_FORCE], msg, sizeof(msg));

	if (a.seen[O_JSON])
		report_json(&v);
	else
		report_screen(&v);
	if (fflush(stdout) != 0 || ferror(stdout))
		cli_die(EXIT_TROUBLE, "cannot write the report");
	if (v.status != LKEY_OK) {
		tail[0] = '\0';
		if (v.install != NULL)
			snprintf(tail, sizeof(tail), " Not registered: %s is "
			    "unchanged.", v.install);
		report_stderr(&v, keyname, tail);
	} else if (code != 0)
		fprintf(stderr, "lkey-verify: %s\n", msg);
	return code;
}

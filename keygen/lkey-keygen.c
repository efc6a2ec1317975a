/*
 * lkey-keygen - the vendor's tool: create a signing key pair, issue keys
 *
 * Every input is checked before the secret key is read, so a typo costs no
 * passphrase prompt; every key is verified with the customer-side code
 * before it is printed, and it is printed whole or not at all.
 * Exit status: 0 success, 1 a file or the secret key could not be used,
 * 2 usage (including bad option values).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "cli.h"
#include "catalog.h"
#include "fulfil.h"
#include "keyfile.h"
#include "lkey_vendor.h"
#include "passphrase.h"

#define EXIT_TROUBLE 1
#define EXIT_USAGE 2

static const char usage_text[] =
    "usage: lkey-keygen init --out DIR [--no-passphrase]\n"
    "       lkey-keygen passwd --secret FILE [--no-passphrase]\n"
    "       lkey-keygen issue --secret FILE --product P --edition E\n"
    "                   --seats N|unlimited --expires YYYY-MM-DD|never\n"
    "                   --maintenance YYYY-MM-DD|never [--starts YYYY-MM-DD]\n"
    "                   [--serial N] [--features F,...] [--licensee TEXT]\n"
    "                   [--grace-days N] [--notice-days N] [--trial]\n"
    "                   [--module-seats F=N,...] [--issued YYYY-MM-DD]\n"
    "                   [--catalog FILE] [--ledger FILE [--serial auto]]\n"
    "       lkey-keygen batch --secret FILE [--catalog FILE] [--ledger FILE]\n"
    "                   [--format csv|json] ORDERS|-\n"
    "       lkey-keygen ledger --ledger FILE [--serial N | --order ID]\n";


/* "YYYY-MM-DD", or "never" where allowed. */
static lkey_day
parse_day(const char *opt, const char *s, bool never_ok)
{
	char why[128];
	lkey_day d;

	if (never_ok && strcmp(s, "never") == 0)
		return LKEY_NEVER;
	if (!lkey_day_parse(s, &d)) {
		snprintf(why, sizeof(why), "--%s: '%.20s' is not a real date "
		    "as YYYY-MM-DD%s", opt, s, never_ok ? " or never" : "");
		cli_usage(why);
	}
	if (d > LKEY_DAY_MAX) {
		snprintf(why, sizeof(why), "--%s: %s is after 2149-06-05, the "
		    "last day a key can carry%s", opt, s,
		    never_ok ? " (use never)" : "");
		cli_usage(why);
	}
	return d;
}

/* A number of days, 0..365: grace or notice. */
static uint32_t
parse_days(const char *opt, const char *s)
{
	char why[96];
	uint64_t v;

	if (cli_number(s, 0, 365, &v) != 0) {
		snprintf(why, sizeof(why), "--%s must be a whole number of days "
		    "from 0 to 365", opt);
		cli_usage(why);
	}
	return (uint32_t)v;
}

static int
help(void)
{
	fputs(usage_text, stdout);
	fputs("\nCreates the vendor's signing key pair and issues licence "
	    "keys.\nSee lkey-keygen(1).\n", stdout);
	return fflush(stdout) == 0 ? 0 : EXIT_TROUBLE;
}

static void
no_core_dumps(void)
{
	struct rlimit rl = { 0, 0 };

	/* A core dump would write the decrypted signing key to disk. */
	if (setrlimit(RLIMIT_CORE, &rl) != 0)
		cli_die(EXIT_TROUBLE, "cannot disable core dumps");
}

/*
 * Re-encrypts the secret key file under a new passphrase, or none: the old
 * passphrase is proved by loading the key before the new one is asked for,
 * and the file is replaced whole (keyfile_passwd). Key and key id stay.
 */
static int
cmd_passwd(int argc, char **argv)
{
	enum { O_SECRET, O_NOPASS, O_HELP, O_COUNT };
	static const args_spec specs[O_COUNT] = {
		[O_SECRET] = { "secret", true },
		[O_NOPASS] = { "no-passphrase", false },
		[O_HELP] = { "help", false },
	};
	char err[512];
	char *pass = NULL;
	const char *path;
	lkey_vendor_key *key;
	args a;
	int rc = EXIT_TROUBLE;

	if (args_parse(argc, argv, 2, specs, O_COUNT, &a, err,
	    sizeof(err)) != 0)
		cli_usage(err);
	if (a.seen[O_HELP])
		return help();
	if (a.npos > 0)
		cli_usage("passwd takes no arguments besides its options");
	if (!a.seen[O_SECRET] || a.value[O_SECRET][0] == '\0')
		cli_usage("passwd needs --secret FILE");
	if (a.seen[O_NOPASS] && getenv("LKEY_NEW_PASSPHRASE") != NULL)
		cli_usage("--no-passphrase conflicts with LKEY_NEW_PASSPHRASE");
	path = a.value[O_SECRET];

	key = sodium_malloc(sizeof(*key));
	if (key == NULL)
		cli_die(EXIT_TROUBLE, "out of secure memory");
	if (!a.seen[O_NOPASS] &&
	    (pass = sodium_malloc(PASSPHRASE_MAX)) == NULL) {
		fprintf(stderr, "lkey-keygen: out of secure memory\n");
		goto out;
	}
	if (keyfile_load_secret(path, key, err, sizeof(err)) != 0 ||
	    (pass != NULL && keyfile_new_passphrase(pass, PASSPHRASE_MAX,
	    path, err, sizeof(err)) != 0) ||
	    keyfile_passwd(path, key, pass, err, sizeof(err)) != 0) {
		fprintf(stderr, "lkey-keygen: %s\n", err);
		goto out;
	}
	printf("key id %08x: secret key %s (%s; keep it private)\n",
	    key->pub.id, path, pass != NULL ?
	    "encrypted with the new passphrase" : "NOT encrypted");
	rc = fflush(stdout) == 0 ? 0 : EXIT_TROUBLE;
out:
	sodium_free(key);
	sodium_free(pass);
	return rc;
}

static int
cmd_init(int argc, char **argv)
{
	enum { O_OUT, O_NOPASS, O_HELP, O_COUNT };
	static const args_spec specs[O_COUNT] = {
		[O_OUT] = { "out", true },
		[O_NOPASS] = { "no-passphrase", false },
		[O_HELP] = { "help", false },
	};
	char err[512];
	char *pass = NULL;
	lkey_vendor_key *key;
	args a;
	int rc = EXIT_TROUBLE;

	if (args_parse(argc, argv, 2, specs, O_COUNT, &a, err,
	    sizeof(err)) != 0)
		cli_usage(err);
	if (a.seen[O_HELP])
		return help();
	if (a.npos > 0)
		cli_usage("init takes no arguments besides its options");
	if (!a.seen[O_OUT] || a.value[O_OUT][0] == '\0')
		cli_usage("init needs --out DIR");

	key = sodium_malloc(sizeof(*key));
	if (key == NULL)
		cli_die(EXIT_TROUBLE, "out of secure memory");
	if (!a.seen[O_NOPASS]) {
		pass = sodium_malloc(PASSPHRASE_MAX);
		if (pass == NULL) {
			fprintf(stderr, "lkey-keygen: out of secure memory\n");
			goto out;
		}
		if (passphrase_get(pass, PASSPHRASE_MAX,
		    "passphrase for the new secret key: ", true, err,
		    sizeof(err)) != 0) {
			fprintf(stderr, "lkey-keygen: %s\n", err);
			goto out;
		}
	}
	lkey_vendor_key_generate(key);
	if (keyfile_init(a.value[O_OUT], key, pass, err, sizeof(err)) != 0) {
		fprintf(stderr, "lkey-keygen: %s\n", err);
		goto out;
	}
	printf("key id %08x: secret key %s/vendor.sec (%s; keep it "
	    "private), public key %s/vendor.pub\n", key->pub.id,
	    a.value[O_OUT], pass != NULL ? "encrypted" : "NOT encrypted",
	    a.value[O_OUT]);
	rc = fflush(stdout) == 0 ? 0 : EXIT_TROUBLE;
out:
	sodium_free(key);
	if (pass != NULL)
		sodium_free(pass);
	return rc;
}

static int
cmd_issue(int argc, char **argv)
{
	enum {
		O_SECRET, O_PRODUCT, O_EDITION, O_SEATS, O_EXPIRES, O_MAINT,
		O_STARTS, O_SERIAL, O_FEATURES, O_LICENSEE, O_CATALOG, O_GRACE,
		O_NOTICE, O_TRIAL, O_MODULES, O_ISSUED, O_LEDGER, O_HELP,
		O_COUNT
	};
	static const args_spec specs[O_COUNT] = {
		[O_SECRET] = { "secret", true },
		[O_PRODUCT] = { "product", true },
		[O_EDITION] = { "edition", true },
		[O_SEATS] = { "seats", true },
		[O_EXPIRES] = { "expires", true },
		[O_MAINT] = { "maintenance", true },
		[O_STARTS] = { "starts", true },
		[O_SERIAL] = { "serial", true },
		[O_FEATURES] = { "features", true },
		[O_LICENSEE] = { "licensee", true },
		[O_CATALOG] = { "catalog", true },
		[O_GRACE] = { "grace-days", true },
		[O_NOTICE] = { "notice-days", true },
		[O_TRIAL] = { "trial", false },
		[O_MODULES] = { "module-seats", true },
		[O_ISSUED] = { "issued", true },
		[O_LEDGER] = { "ledger", true },
		[O_HELP] = { "help", false },
	};
	static const int required[] = {
		O_SECRET, O_PRODUCT, O_EDITION, O_SEATS, O_EXPIRES, O_MAINT
	};
	const catalog *cat = NULL;
	char err[512], text[LKEY_B64_TEXT_MAX], why[160];
	const char *terms_why;
	lkey_vendor_key *key;
	lkey_license t;
	ledger *lg = NULL;
	bool serial_auto = false;
	uint32_t mods = 0;
	uint64_t v;
	size_t i, len;
	args a;
	int rc = EXIT_TROUBLE;

	if (args_parse(argc, argv, 2, specs, O_COUNT, &a, err,
	    sizeof(err)) != 0)
		cli_usage(err);
	if (a.seen[O_HELP])
		return help();
	if (a.npos > 0)
		cli_usage("issue takes no arguments besides its options");
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		if (!a.seen[required[i]]) {
			snprintf(why, sizeof(why), "issue needs --%s",
			    specs[required[i]].name);
			cli_usage(why);
		}
	}

	/* Starts today unless --starts says otherwise. */
	lkey_terms_init(&t, lkey_day_from_unix((int64_t)time(NULL)));
	cat = cli_catalog(a.value[O_CATALOG]);
	if (catalog_lookup(cat, CATALOG_PRODUCT, a.value[O_PRODUCT],
	    &t.product, err, sizeof(err)) != 0 ||
	    catalog_lookup(cat, CATALOG_EDITION, a.value[O_EDITION],
	    &t.edition, err, sizeof(err)) != 0)
		cli_usage(err);
	if (a.seen[O_FEATURES] && catalog_features(cat, a.value[O_FEATURES],
	    &t.features, err, sizeof(err)) != 0)
		cli_usage(err);
	if (strcmp(a.value[O_SEATS], "unlimited") == 0)
		t.seats = LKEY_SEATS_UNLIMITED;
	else if (cli_number(a.value[O_SEATS], 1, LKEY_SEATS_MAX, &v) == 0)
		t.seats = (uint32_t)v;
	else
		cli_usage("--seats must be a whole number from 1 to 16777214, or "
		    "unlimited");
	t.expires = parse_day("expires", a.value[O_EXPIRES], true);
	t.maintenance = parse_day("maintenance", a.value[O_MAINT], true);
	if (a.seen[O_STARTS])
		t.starts = parse_day("starts", a.value[O_STARTS], false);
	/*
	 * The issue date is the start date unless --issued records another
	 * (4 more bytes): then it orders keys with the same start by when
	 * they were issued.
	 */
	t.issued = a.seen[O_ISSUED] ?
	    parse_day("issued", a.value[O_ISSUED], false) : t.starts;
	if (a.seen[O_MODULES]) {
		cli_feature_counts(cat, "module-seats", a.value[O_MODULES], 1,
		    LKEY_SEATS_MAX, &mods, t.module_seats);
		if ((mods & t.features) != mods)
			cli_usage("--module-seats: every module must also be "
			    "in --features");
	}
	if (a.seen[O_GRACE])
		t.grace_days = parse_days("grace-days", a.value[O_GRACE]);
	if (a.seen[O_NOTICE])
		t.notice_days = parse_days("notice-days", a.value[O_NOTICE]);
	t.trial = a.seen[O_TRIAL];
	if (t.trial && t.expires == LKEY_NEVER)
		cli_usage("--trial needs an expiry date: a trial licence cannot "
		    "use --expires never");
	if (a.seen[O_SERIAL] && strcmp(a.value[O_SERIAL], "auto") == 0) {
		if (!a.seen[O_LEDGER])
			cli_usage("--serial auto needs --ledger FILE");
		serial_auto = true;
	} else if (a.seen[O_SERIAL]) {
		if (cli_number(a.value[O_SERIAL], 0, UINT32_MAX, &v) != 0)
			cli_usage("--serial must be a whole number from 0 to "
			    "4294967295, or auto");
		t.serial = (uint32_t)v;
	} else
		t.serial = randombytes_random();
	if (a.seen[O_LICENSEE]) {
		len = strlen(a.value[O_LICENSEE]);
		if (len == 0 || len > LKEY_LICENSEE_MAX)
			cli_usage("--licensee must be 1 to 128 bytes of text");
		memcpy(t.licensee, a.value[O_LICENSEE], len);
		t.licensee_len = len;
	}
	if (lkey_terms_check(&t, &terms_why) != LKEY_ISSUE_OK)
		cli_usage(terms_why);

	/* A ledger that cannot be written means nothing is issued. */
	if (a.seen[O_LEDGER] && ledger_open(a.value[O_LEDGER], &lg, err,
	    sizeof(err)) != 0)
		cli_die(EXIT_TROUBLE, "%s; nothing issued", err);

	/* Only now, with every input known good, touch the secret key. */
	key = sodium_malloc(sizeof(*key));
	if (key == NULL)
		cli_die(EXIT_TROUBLE, "out of secure memory");
	if (keyfile_load_secret(a.value[O_SECRET], key, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "lkey-keygen: %s\n", err);
		goto out;
	}
	/* With a ledger, the key is recorded (and synced) before it is
	 * printed. */
	if (fulfil_one(key, lg, &t, serial_auto, NULL, text, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "lkey-keygen: %s\n", err);
		goto out;
	}
	len = strlen(text);
	text[len] = '\n';
	if (fwrite(text, 1, len + 1, stdout) != len + 1 ||
	    fflush(stdout) != 0) {
		fprintf(stderr, "lkey-keygen: cannot write the key to "
		    "standard output\n");
		goto out;
	}
	rc = 0;
out:
	sodium_free(key);
	if (lg != NULL)
		ledger_close(lg);
	return rc;
}

int
main(int argc, char **argv)
{
	cli_init("lkey-keygen");
	no_core_dumps();
	if (argc < 2)
		cli_usage("a command is needed: init, issue, batch, ledger or "
		    "passwd");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0)
		return help();
	if (strcmp(argv[1], "--version") == 0) {
		printf("lkey-keygen %s\n", LKEY_VERSION_STRING);
		return 0;
	}
	if (lkey_init() != 0)
		cli_die(EXIT_TROUBLE, "cannot initialise libsodium");
	if (strcmp(argv[1], "init") == 0)
		return cmd_init(argc, argv);
	if (strcmp(argv[1], "passwd") == 0)
		return cmd_passwd(argc, argv);
	if (strcmp(argv[1], "issue") == 0)
		return cmd_issue(argc, argv);
	if (strcmp(argv[1], "batch") == 0)
		return cmd_batch(argc, argv);
	if (strcmp(argv[1], "ledger") == 0)
		return cmd_ledger(argc, argv);
	cli_usage("unknown command; use init, issue, batch, ledger or passwd");
	return EXIT_USAGE;
}

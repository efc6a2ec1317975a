/*
 * lkey-keygen - the vendor's tool: create a signing key pair, issue keys,
 * sign revocation lists
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
#include "orders.h"
#include "keyfile.h"
#include "lkey_vendor.h"
#include "passphrase.h"
#include "pubkey_cmd.h"
#include "revoke.h"

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
    "                   [--host HOSTID] [--catalog FILE]\n"
    "                   [--ledger FILE | --no-ledger] [--serial auto]\n"
    "                   [--order ID]\n"
    "       lkey-keygen batch --secret FILE [--catalog FILE]\n"
    "                   [--ledger FILE | --no-ledger]\n"
    "                   [--format csv|json] [--jobs N] ORDERS|-\n"
    "       lkey-keygen ledger --ledger FILE [--serial N | --order ID]\n"
    "       lkey-keygen revoke --secret FILE --serials LIST --sequence N\n"
    "                   [--issued YYYY-MM-DD] [--ledger FILE | --no-ledger]\n"
    "       lkey-keygen pubkey [--c-header [--name NAME]] FILE...\n";


static int
help(void)
{
	fputs(usage_text, stdout);
	fputs("\nCreates the vendor's signing key pair, issues licence keys, "
	    "signs\nrevocation lists and writes the public key ring as a C "
	    "header.\nSee lkey-keygen(1).\n", stdout);
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
		O_NOTICE, O_TRIAL, O_MODULES, O_ISSUED, O_LEDGER, O_NO_LEDGER,
		O_ORDER, O_HOST, O_HELP,
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
		[O_NO_LEDGER] = { "no-ledger", false },
		[O_ORDER] = { "order", true },
		[O_HOST] = { "host", true },
		[O_HELP] = { "help", false },
	};
	const catalog *cat = NULL;
	char err[512], text[LKEY_B64_TEXT_MAX], lbuf[4096];
	const char *lpath;
	lkey_vendor_key *key;
	lkey_license t;
	order_fields f;
	ledger *lg = NULL;
	bool serial_auto = false;
	size_t len;
	args a;
	int rc = EXIT_TROUBLE;

	if (args_parse(argc, argv, 2, specs, O_COUNT, &a, err,
	    sizeof(err)) != 0)
		cli_usage(err);
	if (a.seen[O_HELP])
		return help();
	if (a.npos > 0)
		cli_usage("issue takes no arguments besides its options");
	if (!a.seen[O_SECRET])
		cli_usage("issue needs --secret");

	/*
	 * The options are an order, checked by the rules batch uses for each
	 * row: a key one command refuses, the other cannot issue.
	 */
	memset(&f, 0, sizeof(f));
	f.product = a.value[O_PRODUCT];
	f.edition = a.value[O_EDITION];
	f.seats = a.value[O_SEATS];
	f.starts = a.value[O_STARTS];
	f.expires = a.value[O_EXPIRES];
	f.maintenance = a.value[O_MAINT];
	f.serial = a.value[O_SERIAL];
	f.features = a.value[O_FEATURES];
	f.licensee = a.value[O_LICENSEE];
	f.grace_days = a.value[O_GRACE];
	f.notice_days = a.value[O_NOTICE];
	f.module_seats = a.value[O_MODULES];
	f.trial = a.seen[O_TRIAL] ? "true" : NULL;
	f.issued = a.value[O_ISSUED];
	f.host = a.value[O_HOST];
	lpath = fulfil_ledger_path(a.value[O_SECRET], a.value[O_LEDGER],
	    a.seen[O_NO_LEDGER], lbuf, sizeof(lbuf));
	cat = cli_catalog(a.value[O_CATALOG]);
	/* Starts today unless --starts says otherwise. */
	if (order_terms_as(cat, &f, lkey_day_from_unix((int64_t)time(NULL)),
	    true, &t, &serial_auto, err, sizeof(err)) != 0)
		cli_usage(err);
	if (f.serial != NULL && serial_auto && lpath == NULL)
		cli_usage("--serial auto needs a ledger, not --no-ledger");
	/* The order id goes only into the ledger. */
	if (a.seen[O_ORDER]) {
		if (lpath == NULL)
			cli_usage("--order needs a ledger, not --no-ledger: the "
			    "order id is recorded there");
		if (order_id_check(a.value[O_ORDER], "--order", err,
		    sizeof(err)) != 0)
			cli_usage(err);
	}
	/* No serial: the next one in the ledger, else a random one. */
	if (serial_auto && lpath == NULL) {
		serial_auto = false;
		t.serial = randombytes_random();
	}

	/* A ledger that cannot be written means nothing is issued. */
	if (lpath != NULL && ledger_open(lpath, &lg, err, sizeof(err)) != 0)
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
	if (fulfil_one(key, lg, &t, serial_auto, a.value[O_ORDER], text, err,
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
		cli_usage("a command is needed: init, issue, batch, ledger, "
		    "revoke, pubkey or passwd");
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
	if (strcmp(argv[1], "revoke") == 0)
		return cmd_revoke(argc, argv);
	if (strcmp(argv[1], "pubkey") == 0)
		return cmd_pubkey(argc, argv);
	cli_usage("unknown command; use init, issue, batch, ledger, revoke, "
	    "pubkey or passwd");
	return EXIT_USAGE;
}

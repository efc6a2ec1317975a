/*
 * issue.c - lkey-keygen issue
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
#include "commands.h"

#define EXIT_TROUBLE 1
#define EXIT_USAGE 2

int
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
		return keygen_help();
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
	lpath = ledger_path(a.value[O_SECRET], a.value[O_LEDGER],
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

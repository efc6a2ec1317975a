/*
 * issue.c - lkey-keygen issue: one key, its terms given as options
 *
 * The options are an order, checked by the rules batch uses for each row
 * (order_terms_as): a key one command refuses, the other cannot issue.
 * With a ledger the key is recorded, synced, before it is printed
 * (fulfil_one).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "cli.h"
#include "commands.h"
#include "fulfil.h"
#include "orders.h"

/* The options; from O_FIELDS on, each names a field of the order. */
static const char *const opts[] = {
	"secret", "catalog", "ledger", "no-ledger", "order", "help",
	"product", "edition", "seats", "expires", "maintenance", "starts",
	"serial", "features", "licensee", "grace-days", "notice-days",
	"trial", "module-seats", "issued", "host", "maintenance-features",
};
enum { O_SECRET, O_CATALOG, O_LEDGER, O_NO_LEDGER, O_ORDER, O_HELP,
	O_FIELDS };
#define O_COUNT (sizeof(opts) / sizeof(opts[0]))

/*
 * The terms of the key from the options; any fault is a usage error.
 * Returns whether its serial is to come from the ledger (there is one with
 * `have_ledger`), else the serial given, or a random one.
 */
static bool
terms(const args *a, bool have_ledger, lkey_license *t)
{
	const struct catalog *cat;
	order_fields f;
	char err[512];
	bool serial_auto = false;
	size_t k;

	memset(&f, 0, sizeof(f));
	for (k = O_FIELDS; k < O_COUNT; k++)
		if (a->seen[k] && order_fields_set_option(&f, opts[k],
		    strcmp(opts[k], "trial") == 0 ? "true" : a->value[k]) != 0)
			abort();	/* opts names a field that is none */
	cat = cli_catalog(a->value[O_CATALOG]);
	/* Starts today unless --starts says otherwise. */
	if (order_terms_as(cat, &f, lkey_day_from_unix((int64_t)time(NULL)),
	    true, t, &serial_auto, err, sizeof(err)) != 0)
		cli_usage(err);
	if (f.serial != NULL && serial_auto && !have_ledger)
		cli_usage("--serial auto needs a ledger, not --no-ledger");
	/* The order id goes only into the ledger. */
	if (a->seen[O_ORDER]) {
		if (!have_ledger)
			cli_usage("--order needs a ledger, not --no-ledger: "
			    "the order id is recorded there");
		if (order_id_check(a->value[O_ORDER], "--order", err,
		    sizeof(err)) != 0)
			cli_usage(err);
	}
	/* No serial: the next one in the ledger, else a random one. */
	if (serial_auto && !have_ledger) {
		serial_auto = false;
		t->serial = randombytes_random();
	}
	return serial_auto;
}

int
cmd_issue(int argc, char **argv)
{
	char err[512], text[LKEY_B64_TEXT_MAX], lbuf[4096];
	const char *lpath;
	lkey_vendor_key *key = NULL;
	lkey_license t;
	ledger *lg = NULL;
	bool serial_auto;
	size_t len;
	args a;
	int rc = EXIT_TROUBLE;

	if (cmd_args(argc, argv, opts, O_COUNT, false, &a))
		return keygen_help();
	if (!a.seen[O_SECRET])
		cli_usage("issue needs --secret");
	lpath = ledger_path(a.value[O_SECRET], a.value[O_LEDGER],
	    a.seen[O_NO_LEDGER], lbuf, sizeof(lbuf));
	serial_auto = terms(&a, lpath != NULL, &t);

	/* A ledger that cannot be written means nothing is issued. */
	if (lpath != NULL && ledger_open(lpath, &lg, err, sizeof(err)) != 0)
		cli_die(EXIT_TROUBLE, "%s; nothing issued", err);
	if ((key = cmd_secret_key(a.value[O_SECRET], "")) == NULL)
		goto out;
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
	ledger_close(lg);
	return rc;
}

/*
 * issue.c - lkey-keygen issue: one key, its terms given as options
 *
 * The options are an order, checked by the rules batch uses for each row
 * (order_terms_as): a key one command refuses, the other cannot issue.
 * With a ledger the key is recorded, committed, before it is printed
 * (fulfil_one), and an order id is issued once: given again with the same
 * terms it gives back the recorded key, with other terms it is refused
 * unless --reissue says to replace its key. So a shop that retries a call
 * never gets two keys for one order.
 */
#include <inttypes.h>
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
	"secret", "catalog", "ledger", "no-ledger", "order", "reissue", "help",
	"product", "edition", "seats", "expires", "maintenance", "starts",
	"serial", "features", "licensee", "grace-days", "notice-days",
	"trial", "module-seats", "issued", "host", "maintenance-features",
};
enum { O_SECRET, O_CATALOG, O_LEDGER, O_NO_LEDGER, O_ORDER, O_REISSUE,
	O_HELP, O_FIELDS };
#define O_COUNT (sizeof(opts) / sizeof(opts[0]))

/* Whether the option --NAME was given. */
static bool
given_opt(const args *a, const char *name)
{
	size_t k;

	for (k = O_FIELDS; k < O_COUNT; k++)
		if (strcmp(opts[k], name) == 0)
			return a->seen[k];
	abort();	/* not an option of issue */
}

/* The order the options give, as text (the values stay in argv). */
static void
option_fields(const args *a, order_fields *f)
{
	size_t k;

	memset(f, 0, sizeof(*f));
	for (k = O_FIELDS; k < O_COUNT; k++)
		if (a->seen[k] && order_fields_set_option(f, opts[k],
		    strcmp(opts[k], "trial") == 0 ? "true" : a->value[k]) != 0)
			abort();	/* opts names a field that is none */
}

/*
 * The usage errors besides the terms, and what follows from them: the
 * order id, --reissue, a serial that needs a ledger. Returns whether the
 * serial is to come from the ledger (there is one with `have_ledger`),
 * else the serial given, or a random one (*t updated). *given: which of
 * the terms that have a default were given (FULFIL_GIVEN_*).
 */
static bool
options_check(const args *a, const order_fields *f, bool have_ledger,
    bool serial_auto, lkey_license *t, unsigned *given)
{
	char err[512];

	if (f->serial != NULL && serial_auto && !have_ledger)
		cli_usage("--serial auto needs a ledger, not --no-ledger");
	*given = (given_opt(a, "starts") ? FULFIL_GIVEN_STARTS : 0U) |
	    (given_opt(a, "issued") ? FULFIL_GIVEN_ISSUED : 0U) |
	    (f->serial != NULL && !serial_auto ? FULFIL_GIVEN_SERIAL : 0U);
	if (a->seen[O_REISSUE] && !a->seen[O_ORDER])
		cli_usage("--reissue needs --order: it replaces the key of "
		    "that order");
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

/*
 * Refused options: every line of msgs (order_terms_as gives one per
 * option) on its own line of standard error, then the usage exit.
 */
static void __attribute__((noreturn))
usage_each(char *msgs)
{
	char *nl;

	while ((nl = strchr(msgs, '\n')) != NULL) {
		*nl = '\0';
		fprintf(stderr, "lkey-keygen: %s\n", msgs);
		msgs = nl + 1;
	}
	cli_usage(msgs);
}

/* The day of a Unix time, as messages show it. */
static void
day_of(int64_t when, char out[11])
{
	lkey_day_format(lkey_day_from_unix(when), out);
}

/*
 * The connection to the ledger's server was lost during the commit: the
 * key may be recorded. Says how to look it up, not that none was issued.
 */
static void
commit_lost(const ledger *lg, const char *order, uint32_t serial,
    const char *err)
{
	static char word[SHELL_WORD_CAP], oword[SHELL_WORD_CAP];

	if (order != NULL)
		fprintf(stderr, "lkey-keygen: %s; the key of order %s (serial %"
		    PRIu32 ") may be recorded: look the order up with "
		    "lkey-keygen ledger --ledger %s --order %s before issuing "
		    "it again\n", err, order, serial,
		    cmd_shell_word(ledger_name(lg), word),
		    cmd_shell_word(order, oword));
	else
		fprintf(stderr, "lkey-keygen: %s; serial %" PRIu32 " may be "
		    "recorded: look it up with lkey-keygen ledger --ledger %s "
		    "--serial %" PRIu32 " before issuing it again\n", err,
		    serial, cmd_shell_word(ledger_name(lg), word), serial);
}

int
cmd_issue(int argc, char **argv)
{
	static char word[SHELL_WORD_CAP];
	char err[1024], text[LKEY_B64_TEXT_MAX], lbuf[4096], day[11];
	const char *lpath;
	lkey_vendor_key *key = NULL;
	static fulfil_prior prior;
	const struct catalog *cat;
	char terr[4096];
	order_fields f;
	lkey_license t;
	lkey_day today, since;
	ledger *lg = NULL;
	bool serial_auto, recorded, retry, found;
	unsigned given;
	size_t len;
	args a;
	int rc = EXIT_TROUBLE;

	if (cmd_args(argc, argv, opts, O_COUNT, false, &a))
		return keygen_help();
	if (!a.seen[O_SECRET])
		cli_usage("issue needs --secret");
	lpath = ledger_path(a.value[O_SECRET], a.value[O_LEDGER],
	    a.seen[O_NO_LEDGER], lbuf, sizeof(lbuf));
	option_fields(&a, &f);
	cat = cli_catalog(a.value[O_CATALOG]);
	/*
	 * Starts today unless --starts says otherwise; with terms today
	 * makes impossible, an order the ledger holds may still be a retry
	 * (below): any other fault is a usage error.
	 */
	today = lkey_day_from_unix((int64_t)time(NULL));
	retry = order_terms_as(cat, &f, today, true, &t, &serial_auto, terr,
	    sizeof(terr)) != 0;
	if (retry && (!a.seen[O_ORDER] || lpath == NULL))
		usage_each(terr);
	/* A bad order id too: each refused option on its own line. */
	if (retry && order_id_check(a.value[O_ORDER], "--order", err,
	    sizeof(err)) != 0) {
		len = strlen(terr);
		(void)snprintf(terr + len, sizeof(terr) - len, "\n%s", err);
		usage_each(terr);
	}
	serial_auto = options_check(&a, &f, lpath != NULL, serial_auto, &t,
	    &given);

	/* A ledger that cannot be written means nothing is issued. */
	lg = cmd_ledger_open(lpath, true);
	/*
	 * An order retried after its licence ended (a trial): its start and
	 * issue days, when not given, are those recorded, not today.
	 */
	if (retry) {
		if (fulfil_recorded_starts(lg, a.value[O_ORDER], &found,
		    &since, err, sizeof(err)) != 0) {
			fprintf(stderr, "lkey-keygen: %s; nothing issued\n",
			    err);
			goto out;
		}
		if (!found || order_terms_as(cat, &f, since, true, &t,
		    &serial_auto, err, sizeof(err)) != 0) {
			ledger_close(lg);
			usage_each(terr);
		}
		serial_auto = options_check(&a, &f, true, serial_auto, &t,
		    &given);
	}
	if ((key = cmd_secret_key(a.value[O_SECRET], "")) == NULL)
		goto out;
	if (fulfil_one(key, lg, &t, serial_auto, a.value[O_ORDER], given,
	    a.seen[O_REISSUE], &recorded, &prior, text, err,
	    sizeof(err)) != 0) {
		if (fulfil_commit_lost(err))
			commit_lost(lg, a.value[O_ORDER], t.serial, err);
		else
			fprintf(stderr, "lkey-keygen: %s\n", err);
		goto out;
	}
	if (recorded) {
		day_of(prior.time, day);
		fprintf(stderr, "lkey-keygen: order %s was issued before "
		    "(serial %" PRIu32 ", %s): its recorded key is printed, no "
		    "new key issued\n", a.value[O_ORDER], t.serial, day);
	}
	len = strlen(text);
	text[len] = '\n';
	if (fwrite(text, 1, len + 1, stdout) != len + 1 ||
	    fflush(stdout) != 0) {
		if (lg != NULL)
			fprintf(stderr, "lkey-keygen: serial %" PRIu32 " is "
			    "recorded in %s but the key could not be written "
			    "to standard output: print it with lkey-keygen "
			    "ledger --ledger %s --serial %" PRIu32 " --keys\n",
			    t.serial, ledger_name(lg),
			    cmd_shell_word(ledger_name(lg), word), t.serial);
		else
			fprintf(stderr, "lkey-keygen: cannot write the key to "
			    "standard output\n");
		goto out;
	}
	rc = 0;
out:
	sodium_memzero(text, sizeof(text));
	sodium_free(key);
	ledger_close(lg);
	return rc;
}

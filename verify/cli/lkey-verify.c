/*
 * lkey-verify - check a licence key and show it the way a licence screen does
 *
 * This file is the program's course: the options, then one key checked
 * (evaluate.c), the clock guard's state written back, the key registered
 * (register.c) and the report (report.c); or this computer's host id
 * (lkey_host_id_here), or a manifest of checks (check.c), or a licence store
 * (storecmd.c). Exit statuses: stop.h.
 */
#include <stdio.h>

#include "check.h"
#include "cli.h"
#include "context.h"
#include "evaluate.h"
#include "lkey.h"
#include "options.h"
#include "register.h"
#include "report.h"
#include "statefile.h"
#include "stop.h"
#include "storecmd.h"
#include "typo.h"

static const char usage_text[] =
    "usage: lkey-verify --pubkey FILE [--pubkey FILE]... --product P\n"
    "                   [--catalog FILE] [--today YYYY-MM-DD]\n"
    "                   [--release YYYY-MM-DD]\n"
    "                   [--users N [--admin] [--over-since YYYY-MM-DD]]\n"
    "                   [--module-users F=N,...] [--json]\n"
    "                   [--install FILE [--force]] [--state FILE]\n"
    "                   [--revocations FILE] [--host HOSTID]\n"
    "                   (KEY | --key-file FILE | -)\n"
    "       lkey-verify --pubkey FILE... --product P --store DIR\n"
    "                   [--register [--force] (KEY | --key-file FILE | -)]\n"
    "                   [--revocations FILE] [OPTIONS...]\n"
    "       lkey-verify --host-id --product P [--catalog FILE]\n"
    "       lkey-verify --check MANIFEST [OPTIONS...]\n";

static const char help_text[] =
    "\nChecks a licence key against the vendor's public key and enforces "
    "its terms;\nwith --install, registers a valid key in FILE. A key "
    "signed by any key of\nany --pubkey file is accepted: a file may hold "
    "several keys (a key ring),\nat most 16 keys in all. With --check, "
    "checks each key of a manifest\nagainst the verdict it must give. With "
    "--store, keeps the licence in a store\ndirectory: --register adds a "
    "key, a renewal registered ahead takes over on\nits start day. See "
    "lkey-verify(1).\n";

/* --host-id: this computer's id, to send to the vendor for a node-locked
 * key. */
static int
host_id_main(const args *a)
{
	char err[512], hex[CLI_HOST_HEX];
	const catalog *cat;
	lkey_context ctx;
	size_t i;
	stop s;

	if (!a->seen[O_PRODUCT])
		cli_usage("--host-id needs --product: the id differs between "
		    "products");
	for (i = 0; i < O_COUNT; i++)
		if (a->seen[i] && i != O_HOST_ID && i != O_PRODUCT &&
		    i != O_CATALOG)
			cli_usage("--host-id goes with --product and --catalog "
			    "only");
	if (a->npos != 0)
		cli_usage("--host-id takes no key");
	if (lkey_init() != 0)
		cli_die(EXIT_TROUBLE, "cannot initialise libsodium");
	if (context_from_args(a, &cat, &ctx, &s) != 0)
		stop_exit(&s);
	if (lkey_host_id_here(ctx.product, ctx.host, err, sizeof(err)) != 0)
		cli_die(EXIT_TROUBLE, "cannot read this computer's machine id: "
		    "%s", err);
	cli_host_format(ctx.host, hex);
	printf("%s\n", hex);
	return fflush(stdout) != 0 || ferror(stdout) ? EXIT_TROUBLE : 0;
}

/*
 * One key: its verdict, then what follows from it, in this order: the
 * clock guard's state, the registration, the report, the line on standard
 * error.
 */
static int
check_main(const args *a)
{
	static job j;
	verdict *v = &j.v;
	char tail[600], msg[800];
	stop s;
	int code;

	if (evaluate(a, &j, &s) != 0)
		stop_exit(&s);
	/* In the key found in the text; said where it is in the text. */
	typo_look(v, j.key, j.key_len, j.ring.key, j.ring.n);
	typo_place(v, j.where, j.key_len, j.keytext, j.keylen);
	/*
	 * The clock guard remembers the day of a valid check only, and an
	 * authenticated revocation list whatever the verdict (a list that
	 * revoked this key must not give way to an older one).
	 */
	if (v->ctx.state != NULL && lkey_state_update(&j.state, &v->ctx,
	    v->status))
		statefile_save(a->value[O_STATE], &j.state);

	/* Only a key valid here and now is registered. */
	code = stop_verdict_exit(v->status);
	if (v->install != NULL && v->status == LKEY_OK)
		code = register_key(v, j.key, j.key_len, j.ring.key,
		    j.ring.n, a->seen[O_FORCE], msg, sizeof(msg));

	if (a->seen[O_JSON])
		report_json(v);
	else
		report_screen(v);
	if (fflush(stdout) != 0 || ferror(stdout))
		cli_die(EXIT_TROUBLE, "cannot write the report");
	if (v->status != LKEY_OK) {
		tail[0] = '\0';
		if (v->install != NULL)
			snprintf(tail, sizeof(tail), " Not registered: %s is "
			    "unchanged.", v->install);
		report_stderr(v, j.keyname, tail);
	} else if (code != 0)
		fprintf(stderr, "lkey-verify: %s\n", msg);
	return code;
}

int
main(int argc, char **argv)
{
	char err[512];
	args a;

	cli_init("lkey-verify");
	if (args_parse(argc, argv, 1, options, O_COUNT, &a, err,
	    sizeof(err)) != 0)
		cli_usage(err);
	if (a.seen[O_HELP]) {
		fputs(usage_text, stdout);
		fputs(help_text, stdout);
		return 0;
	}
	if (a.seen[O_VERSION]) {
		printf("lkey-verify %s\n", LKEY_VERSION_STRING);
		return 0;
	}
	if (a.seen[O_CHECK])
		return check_run(&a);
	if (a.seen[O_HOST_ID])
		return host_id_main(&a);
	if (a.seen[O_STORE] || a.seen[O_REGISTER])
		return store_main(&a);
	return check_main(&a);
}

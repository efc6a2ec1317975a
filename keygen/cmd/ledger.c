/*
 * ledger.c - lkey-keygen ledger, and where the ledger of a secret key is
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "catalog.h"
#include "cli.h"
#include "fulfil.h"
#include "jsonline.h"
#include "keyfile.h"
#include "num.h"
#include "orders.h"


#include "commands.h"

#define EXIT_TROUBLE 1

const char *
ledger_path(const char *secret, const char *given, bool no_ledger,
    char *buf, size_t cap)
{
	const char *slash;
	size_t dir;

	if (given != NULL && no_ledger)
		cli_usage("give --ledger FILE or --no-ledger, not both");
	if (given != NULL)
		return given;
	if (no_ledger)
		return NULL;
	slash = strrchr(secret, '/');
	dir = slash != NULL ? (size_t)(slash - secret) + 1 : 0;
	if (dir + sizeof(LEDGER_DEFAULT_NAME) > cap)
		cli_usage("the path of --secret is too long for the default "
		    "ledger beside it; give --ledger FILE");
	memcpy(buf, secret, dir);
	memcpy(buf + dir, LEDGER_DEFAULT_NAME, sizeof(LEDGER_DEFAULT_NAME));
	return buf;
}

/* ---- ledger ----------------------------------------------------------- */

static void
print_line(const char *line, size_t len, void *arg)
{
	(void)arg;
	fwrite(line, 1, len, stdout);
	putchar('\n');
}

int
cmd_ledger(int argc, char **argv)
{
	enum { O_LEDGER, O_SERIAL, O_ORDER, O_HELP, O_COUNT };
	static const args_spec specs[O_COUNT] = {
		[O_LEDGER] = { "ledger", true },
		[O_SERIAL] = { "serial", true },
		[O_ORDER] = { "order", true },
		[O_HELP] = { "help", false },
	};
	char err[512];
	uint32_t serial;
	uint64_t v;
	long n;
	args a;

	if (args_parse(argc, argv, 2, specs, O_COUNT, &a, err,
	    sizeof(err)) != 0)
		cli_usage(err);
	if (a.seen[O_HELP]) {
		printf("usage: lkey-keygen ledger --ledger FILE [--serial N | "
		    "--order ID]\n\nPrints the ledger lines of the keys "
		    "issued, all of them or those\nwith the serial or order "
		    "id; see lkey-keygen(1).\n");
		return fflush(stdout) == 0 ? 0 : EXIT_TROUBLE;
	}
	if (a.npos > 0)
		cli_usage("ledger takes no arguments besides its options");
	if (!a.seen[O_LEDGER])
		cli_usage("ledger needs --ledger FILE");
	if (a.seen[O_SERIAL] && a.seen[O_ORDER])
		cli_usage("give --serial or --order, not both");
	if (a.seen[O_SERIAL]) {
		if (num_text(a.value[O_SERIAL], 0, UINT32_MAX, &v) != 0)
			cli_usage("--serial must be a whole number from 0 to "
			    "4294967295");
		serial = (uint32_t)v;
	}
	n = ledger_find(a.value[O_LEDGER], a.seen[O_SERIAL] ? &serial : NULL,
	    a.seen[O_ORDER] ? a.value[O_ORDER] : NULL, print_line, NULL, err,
	    sizeof(err));
	if (fflush(stdout) != 0 || ferror(stdout))
		cli_die(EXIT_TROUBLE, "cannot write to standard output");
	if (n < 0)
		cli_die(EXIT_TROUBLE, "%s", err);
	if (n == 0 && (a.seen[O_SERIAL] || a.seen[O_ORDER])) {
		fprintf(stderr, "lkey-keygen: %s: no key issued with %s %s\n",
		    a.value[O_LEDGER], a.seen[O_SERIAL] ? "serial" : "order",
		    a.seen[O_SERIAL] ? a.value[O_SERIAL] : a.value[O_ORDER]);
		return EXIT_TROUBLE;
	}
	return 0;
}

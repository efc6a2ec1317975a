/*
 * ledger.c - lkey-keygen ledger: the lines of the issuance ledger, all of
 * them or those of one serial or one order id, as they are recorded
 */
#include <stdint.h>
#include <stdio.h>

#include "commands.h"
#include "ledger.h"
#include "num.h"

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
	static const char *const opts[O_COUNT] = {
		"ledger", "serial", "order", "help"
	};
	char err[512];
	uint32_t serial;
	uint64_t v;
	long n;
	args a;

	if (cmd_args(argc, argv, opts, O_COUNT, false, &a))
		return cmd_help("usage: lkey-keygen ledger --ledger FILE "
		    "[--serial N | --order ID]\n\nPrints the ledger lines of "
		    "the keys issued, all of them or those\nwith the serial or "
		    "order id; see lkey-keygen(1).\n");
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

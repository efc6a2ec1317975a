/*
 * options.c - what every lkey-keygen command does with its options: read
 * them strictly, answer --help, refuse stray arguments, and find the
 * ledger the options name
 *
 * An option means the same in every command that has it: whether it takes
 * a value is said once, here, not in each command's list.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

/* The options that take no value; every other one takes one. */
static const char *const flags[] = {
	"help", "no-passphrase", "no-ledger", "trial", "c-header",
	"json", "keys", "revoked", "only",
};

static unsigned char
kind(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (strcmp(flags[i], name) == 0)
			return ARGS_FLAG;
	return ARGS_ONE;
}

bool
cmd_args(int argc, char **argv, const char *const *names, size_t n,
    bool positional, args *a)
{
	args_spec specs[ARGS_MAX];
	char err[512];
	size_t k, help = n;

	/* A command with more options than args holds is a bug. */
	if (n > ARGS_MAX)
		abort();
	memset(specs, 0, sizeof(specs));
	for (k = 0; k < n; k++) {
		specs[k].name = names[k];
		specs[k].has_value = kind(names[k]);
		if (strcmp(names[k], "help") == 0)
			help = k;
	}
	if (args_parse(argc, argv, 2, specs, n, a, err, sizeof(err)) != 0)
		cli_usage(err);
	if (help < n && a->seen[help])
		return true;
	if (!positional && a->npos > 0) {
		(void)snprintf(err, sizeof(err), "%s takes no arguments "
		    "besides its options", argv[1]);
		cli_usage(err);
	}
	return false;
}

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

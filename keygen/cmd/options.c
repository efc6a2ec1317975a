/*
 * options.c - what every lkey-keygen command does with its options: read
 * them strictly, answer --help, refuse stray arguments, and find the
 * ledger the options name
 *
 * An option means the same in every command that has it: whether it takes
 * a value is said once, here, not in each command's list.
 */
#include <sys/stat.h>

#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "csvout.h"
#include "jsonout.h"
#include "orders.h"

/* The options that take no value; every other one takes one, except
 * --pubkey, which may be given several times. */
static const char *const flags[] = {
	"reissue", "all",
	"help", "no-passphrase", "weak-passphrase", "no-ledger", "trial",
	"c-header", "json", "keys", "revoked", "only",
};

static unsigned char
kind(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (strcmp(flags[i], name) == 0)
			return ARGS_FLAG;
	return strcmp(name, "pubkey") == 0 ? ARGS_MULTI : ARGS_ONE;
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

/* Whether anything is at path. */
static bool
exists(const char *path)
{
	struct stat sb;

	return lstat(path, &sb) == 0;
}

const char *
ledger_path(const char *secret, const char *given, bool no_ledger,
    char *buf, size_t cap)
{
	static char q1[SHELL_WORD_CAP], q2[SHELL_WORD_CAP], q3[SHELL_WORD_CAP];
	char jsonl[4096], pub[4096];
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
	if (dir + sizeof(LEDGER_DEFAULT_NAME) > cap ||
	    dir + sizeof(LEDGER_JSONL_NAME) > sizeof(jsonl))
		cli_usage("the path of --secret is too long for the default "
		    "ledger beside it; give --ledger FILE");
	memcpy(buf, secret, dir);
	memcpy(buf + dir, LEDGER_DEFAULT_NAME, sizeof(LEDGER_DEFAULT_NAME));
	memcpy(jsonl, secret, dir);
	memcpy(jsonl + dir, LEDGER_JSONL_NAME, sizeof(LEDGER_JSONL_NAME));
	/* The public key init writes beside the secret one. */
	memcpy(pub, secret, dir);
	memcpy(pub + dir, "vendor.pub", sizeof("vendor.pub"));
	/*
	 * The JSON-lines ledger of an earlier lkey, and no database yet: a
	 * new, empty database beside it would hand out its serials again.
	 */
	if (!exists(buf) && exists(jsonl))
		cli_die(EXIT_TROUBLE, "%s: the ledger beside the secret key "
		    "is a JSON-lines ledger of an earlier lkey; import it "
		    "first: lkey-keygen ledger import %s --pubkey %s --ledger "
		    "%s; nothing issued", jsonl, cmd_shell_word(jsonl, q1),
		    cmd_shell_word(pub, q3), cmd_shell_word(buf, q2));
	return buf;
}

ledger *
cmd_ledger_open(const char *path, bool create)
{
	ledger *lg = NULL;
	char err[512];

	if (path == NULL)
		return NULL;
	if (ledger_open(path, create, &lg, err, sizeof(err)) != 0)
		cli_die(EXIT_TROUBLE, "%s; nothing issued", err);
	/*
	 * A reader that goes away must not end the program silently between
	 * a commit and the print: the write fails instead, and the command
	 * says which keys are recorded but not printed.
	 */
	(void)signal(SIGPIPE, SIG_IGN);
	return lg;
}

const char *
cmd_shell_word(const char *s, char out[SHELL_WORD_CAP])
{
	static const char safe[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:@%+=,-";
	const char *p;
	size_t n = 0;

	if (*s != '\0' && strspn(s, safe) == strlen(s))
		return s;
	out[n++] = '\'';
	for (p = s; *p != '\0'; p++) {
		if (n + 6 > SHELL_WORD_CAP)
			return s;
		if (*p == '\'') {
			memcpy(out + n, "'\\''", 4);
			n += 4;
		} else
			out[n++] = *p;
	}
	out[n++] = '\'';
	out[n] = '\0';
	return out;
}

void
serial_list_add(serial_list *sl, uint32_t serial)
{
	int n;

	if (sl->n++ == 0)
		sl->first = serial;
	if (sl->len >= sizeof(sl->text))
		return;
	n = snprintf(sl->text + sl->len, sizeof(sl->text) - sl->len, "%s%"
	    PRIu32, sl->len > 0 ? ", " : "", serial);
	if (n > 0)
		sl->len += (size_t)n;
}

void
cmd_report_unprinted(const char *name, const serial_list *sl)
{
	static char word[SHELL_WORD_CAP];

	fprintf(stderr, "lkey-keygen: %zu key%s (serial%s %s) %s recorded in "
	    "%s but could not be written to standard output: print each "
	    "with lkey-keygen ledger --ledger %s --serial %" PRIu32
	    " --keys\n", sl->n, sl->n == 1 ? "" : "s", sl->n == 1 ? "" : "s",
	    sl->text, sl->n == 1 ? "is" : "are", name,
	    cmd_shell_word(name, word), sl->first);
}

int
cmd_print_key_row(bool json, const char *order, uint32_t serial,
    const uint32_t *replaces, const char *key)
{
	char line[ORDERS_ID_MAX * 6 + LKEY_B64_TEXT_MAX + 96];
	jsonout j;
	size_t n;

	if (!json) {
		if (order != NULL && csv_text(stdout, order) != 0)
			return -1;
		return printf(",%" PRIu32 ",%s\n", serial, key) < 0 ? -1 : 0;
	}
	jsonout_init(&j, line, sizeof(line));
	jsonout_object(&j, NULL);
	if (order != NULL)
		jsonout_str(&j, "order", order);
	else
		jsonout_null(&j, "order");
	jsonout_uint(&j, "serial", serial);
	if (replaces != NULL)
		jsonout_uint(&j, "replaces", *replaces);
	jsonout_str(&j, "key", key);
	jsonout_close(&j);
	if ((n = jsonout_finish(&j)) == 0)
		return -1;
	line[n++] = '\n';
	return fwrite(line, 1, n, stdout) == n ? 0 : -1;
}

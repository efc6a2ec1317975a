/*
 * main.c - lkey-keygen, the vendor's tool: the command to run, and the
 * usage of them all
 *
 * Every command checks all its inputs before it reads the secret key, so a
 * typo costs no passphrase prompt, and verifies every key with the
 * customer-side code before it prints it, whole or not at all. Core dumps
 * are off and the process non-dumpable before any command runs, and the
 * passphrases are taken out of the environment. Exit status: 0 success, 1 a file or the
 * secret key could not be used, 2 usage (bad option values included).
 */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "cli.h"
#include "commands.h"
#include "msg.h"
#include "passphrase.h"

/* Every command, by the name that runs it. */
static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "init", cmd_init }, { "passwd", cmd_passwd },
	{ "issue", cmd_issue }, { "batch", cmd_batch },
	{ "reissue", cmd_reissue },
	{ "ledger", cmd_ledger }, { "revoke", cmd_revoke },
	{ "pubkey", cmd_pubkey },
};

static const char usage_text[] =
    "usage: lkey-keygen init --out DIR\n"
    "                   [--no-passphrase | --weak-passphrase]\n"
    "       lkey-keygen passwd --secret FILE\n"
    "                   [--no-passphrase | --weak-passphrase]\n"
    "       lkey-keygen issue --secret FILE --product P --edition E\n"
    "                   --seats N|unlimited --expires YYYY-MM-DD|never\n"
    "                   --maintenance YYYY-MM-DD|never [--starts YYYY-MM-DD]\n"
    "                   [--serial N] [--features F,...] [--licensee TEXT]\n"
    "                   [--grace-days N] [--notice-days N] [--trial]\n"
    "                   [--module-seats F=N,...] [--issued YYYY-MM-DD]\n"
    "                   [--host HOSTID] [--maintenance-features F,...]\n"
    "                   [--catalog FILE]\n"
    "                   [--ledger WHERE | --no-ledger] [--serial auto]\n"
    "                   [--order ID [--reissue]]\n"
    "       lkey-keygen batch --secret FILE [--catalog FILE]\n"
    "                   [--ledger WHERE | --no-ledger] [--reissue]\n"
    "                   [--format csv|json] [--jobs N] ORDERS|-\n"
    "       lkey-keygen reissue (--serial N | --order ID) --secret FILE\n"
    "                   [--ledger WHERE] [--catalog FILE] [--key-id ID]\n"
    "                   [the term options of issue, to change them]\n"
    "       lkey-keygen reissue --all --key-id OLD --secret FILE\n"
    "                   [--ledger WHERE] [--expires D] [--maintenance D]\n"
    "                   [--issued D] [--format csv|json] [--jobs N]\n"
    "       lkey-keygen ledger [--ledger WHERE | --secret FILE] [--order ID]\n"
    "                   [--serial N] [--licensee TEXT] [--key-id ID]\n"
    "                   [--ends-after YYYY-MM-DD] [--ends-before YYYY-MM-DD]\n"
    "                   [--revoked] [--json | --keys] [--catalog FILE]\n"
    "       lkey-keygen ledger --list N [--ledger WHERE | --secret FILE]\n"
    "       lkey-keygen ledger import FILE [--ledger WHERE | --secret FILE]\n"
    "       lkey-keygen ledger export [--format jsonl|csv] [--catalog FILE]\n"
    "                   [--ledger WHERE | --secret FILE]\n"
    "       lkey-keygen revoke --secret FILE [--serials LIST] [--sequence N]\n"
    "                   [--only] [--issued YYYY-MM-DD]\n"
    "                   [--ledger WHERE | --no-ledger]\n"
    "       lkey-keygen pubkey [--c-header [--name NAME]] FILE...\n";


int
keygen_help(void)
{
	fputs(usage_text, stdout);
	return cmd_help("\nCreates the vendor's signing key pair, issues "
	    "licence keys, signs\nrevocation lists and writes the public key "
	    "ring as a C header.\nSee lkey-keygen(1).\n");
}

int
cmd_help(const char *text)
{
	fputs(text, stdout);
	return fflush(stdout) == 0 ? 0 : EXIT_TROUBLE;
}

/*
 * A core dump would write the decrypted signing key to disk. On Linux the
 * process is also made non-dumpable: no core even where a core pattern
 * pipes it to a program despite the limit, and no other process of the
 * same user may ptrace it or read its memory and environment in /proc.
 */
static void
no_core_dumps(void)
{
	struct rlimit rl = { 0, 0 };

	if (setrlimit(RLIMIT_CORE, &rl) != 0)
		cli_die(EXIT_TROUBLE, "cannot disable core dumps");
#ifdef __linux__
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		cli_die(EXIT_TROUBLE, "cannot make the process non-dumpable");
#endif
}

int
main(int argc, char **argv)
{
	char err[512], show[MSG_SHOW_CAP];
	size_t i;

	cli_init("lkey-keygen");
	no_core_dumps();
	if (argc < 2)
		cli_usage("a command is needed: init, issue, batch, reissue, "
		    "ledger, revoke, pubkey or passwd");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0)
		return keygen_help();
	if (strcmp(argv[1], "--version") == 0) {
		printf("lkey-keygen %s\n", LKEY_VERSION_STRING);
		return 0;
	}
	if (lkey_init() != 0)
		cli_die(EXIT_TROUBLE, "cannot initialise libsodium");
	/* Before any work: the passphrase out of the environment. */
	if (passphrase_take_env(err, sizeof(err)) != 0)
		cli_die(EXIT_TROUBLE, "%s", err);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc, argv);
	(void)snprintf(err, sizeof(err), "unknown command '%s'; use init, "
	    "issue, batch, reissue, ledger, revoke, pubkey or passwd",
	    msg_show(argv[1], strlen(argv[1]), show));
	cli_usage(err);
	return EXIT_USAGE;
}

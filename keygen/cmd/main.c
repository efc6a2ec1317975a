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
#include "commands.h"

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


int
keygen_help(void)
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

int
main(int argc, char **argv)
{
	cli_init("lkey-keygen");
	no_core_dumps();
	if (argc < 2)
		cli_usage("a command is needed: init, issue, batch, ledger, "
		    "revoke, pubkey or passwd");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0)
		return keygen_help();
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

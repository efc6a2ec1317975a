/*
 * passwd.c - lkey-keygen passwd
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

/*
 * Re-encrypts the secret key file under a new passphrase, or none: the old
 * passphrase is proved by loading the key before the new one is asked for,
 * and the file is replaced whole (keyfile_passwd). Key and key id stay.
 */
int
cmd_passwd(int argc, char **argv)
{
	enum { O_SECRET, O_NOPASS, O_HELP, O_COUNT };
	static const args_spec specs[O_COUNT] = {
		[O_SECRET] = { "secret", true },
		[O_NOPASS] = { "no-passphrase", false },
		[O_HELP] = { "help", false },
	};
	char err[512];
	char *pass = NULL;
	const char *path;
	lkey_vendor_key *key;
	args a;
	int rc = EXIT_TROUBLE;

	if (args_parse(argc, argv, 2, specs, O_COUNT, &a, err,
	    sizeof(err)) != 0)
		cli_usage(err);
	if (a.seen[O_HELP])
		return keygen_help();
	if (a.npos > 0)
		cli_usage("passwd takes no arguments besides its options");
	if (!a.seen[O_SECRET] || a.value[O_SECRET][0] == '\0')
		cli_usage("passwd needs --secret FILE");
	if (a.seen[O_NOPASS] && getenv("LKEY_NEW_PASSPHRASE") != NULL)
		cli_usage("--no-passphrase conflicts with LKEY_NEW_PASSPHRASE");
	path = a.value[O_SECRET];

	key = sodium_malloc(sizeof(*key));
	if (key == NULL)
		cli_die(EXIT_TROUBLE, "out of secure memory");
	if (!a.seen[O_NOPASS] &&
	    (pass = sodium_malloc(PASSPHRASE_MAX)) == NULL) {
		fprintf(stderr, "lkey-keygen: out of secure memory\n");
		goto out;
	}
	if (keyfile_load_secret(path, key, err, sizeof(err)) != 0 ||
	    (pass != NULL && keyfile_new_passphrase(pass, PASSPHRASE_MAX,
	    path, err, sizeof(err)) != 0) ||
	    keyfile_passwd(path, key, pass, err, sizeof(err)) != 0) {
		fprintf(stderr, "lkey-keygen: %s\n", err);
		goto out;
	}
	printf("key id %08x: secret key %s (%s; keep it private)\n",
	    key->pub.id, path, pass != NULL ?
	    "encrypted with the new passphrase" : "NOT encrypted");
	rc = fflush(stdout) == 0 ? 0 : EXIT_TROUBLE;
out:
	sodium_free(key);
	sodium_free(pass);
	return rc;
}

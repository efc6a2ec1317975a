/*
 * passwd.c - lkey-keygen passwd: the secret key file re-encrypted under a
 * new passphrase, or stored unencrypted with --no-passphrase
 *
 * The old passphrase is proved by loading the key before the new one is
 * asked for, and the file is replaced whole (keyfile_passwd). The key, its
 * id and its public key stay, so no licence or verifier notices. The new
 * passphrase must be strong enough unless --weak-passphrase.
 */
#include <stdio.h>
#include <stdlib.h>

#include <sodium.h>

#include "commands.h"
#include "keyfile.h"
#include "passphrase.h"

int
cmd_passwd(int argc, char **argv)
{
	enum { O_SECRET, O_NOPASS, O_WEAK, O_HELP, O_COUNT };
	static const char *const opts[O_COUNT] = {
		"secret", "no-passphrase", "weak-passphrase", "help"
	};
	char err[512];
	char *pass = NULL;
	const char *path;
	lkey_vendor_key *key = NULL;
	args a;
	int rc = EXIT_TROUBLE;

	if (cmd_args(argc, argv, opts, O_COUNT, false, &a))
		return keygen_help();
	if (!a.seen[O_SECRET] || a.value[O_SECRET][0] == '\0')
		cli_usage("passwd needs --secret FILE");
	if (a.seen[O_NOPASS] && passphrase_env_set("LKEY_NEW_PASSPHRASE"))
		cli_usage("--no-passphrase conflicts with LKEY_NEW_PASSPHRASE");
	if (a.seen[O_NOPASS] && a.seen[O_WEAK])
		cli_usage("--weak-passphrase conflicts with --no-passphrase");
	path = a.value[O_SECRET];

	if (!a.seen[O_NOPASS] &&
	    (pass = sodium_malloc(PASSPHRASE_MAX)) == NULL)
		cli_die(EXIT_TROUBLE, "out of secure memory");
	if ((key = cmd_secret_key(path, "")) == NULL)
		goto out;
	if ((pass != NULL && keyfile_new_passphrase(pass, PASSPHRASE_MAX,
	    path, a.seen[O_WEAK], err, sizeof(err)) != 0) ||
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

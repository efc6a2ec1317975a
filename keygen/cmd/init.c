/*
 * init.c - lkey-keygen init: a new signing key pair, as DIR/vendor.sec
 * (encrypted under a passphrase unless --no-passphrase) and
 * DIR/vendor.pub; neither file is ever overwritten (keyfile_init)
 */
#include <stdio.h>

#include <sodium.h>

#include "commands.h"
#include "keyfile.h"
#include "passphrase.h"

/*
 * The passphrase of the new key in secure memory, asked twice on the
 * terminal (or taken from LKEY_PASSPHRASE), and strong enough unless
 * `weak`; NULL after one line on standard error.
 */
static char *
new_passphrase(bool weak)
{
	char err[512], *pass;

	if ((pass = sodium_malloc(PASSPHRASE_MAX)) == NULL) {
		fprintf(stderr, "lkey-keygen: out of secure memory\n");
		return NULL;
	}
	if (passphrase_get(pass, PASSPHRASE_MAX, "passphrase for the new "
	    "secret key: ", PASSPHRASE_CONFIRM | (weak ? 0U :
	    PASSPHRASE_STRONG), err, sizeof(err)) != 0) {
		fprintf(stderr, "lkey-keygen: %s\n", err);
		sodium_free(pass);
		return NULL;
	}
	return pass;
}

int
cmd_init(int argc, char **argv)
{
	enum { O_OUT, O_NOPASS, O_WEAK, O_HELP, O_COUNT };
	static const char *const opts[O_COUNT] = {
		"out", "no-passphrase", "weak-passphrase", "help"
	};
	lkey_vendor_key *key;
	const char *dir;
	char err[512], *pass = NULL;
	args a;
	int rc = EXIT_TROUBLE;

	if (cmd_args(argc, argv, opts, O_COUNT, false, &a))
		return keygen_help();
	dir = a.value[O_OUT];
	if (!a.seen[O_OUT] || dir[0] == '\0')
		cli_usage("init needs --out DIR");
	if (a.seen[O_NOPASS] && a.seen[O_WEAK])
		cli_usage("--weak-passphrase conflicts with --no-passphrase");
	if ((key = sodium_malloc(sizeof(*key))) == NULL)
		cli_die(EXIT_TROUBLE, "out of secure memory");
	if (!a.seen[O_NOPASS] && (pass = new_passphrase(a.seen[O_WEAK])) ==
	    NULL)
		goto out;
	lkey_vendor_key_generate(key);
	if (keyfile_init(dir, key, pass, err, sizeof(err)) != 0) {
		fprintf(stderr, "lkey-keygen: %s\n", err);
		goto out;
	}
	printf("key id %08x: secret key %s/vendor.sec (%s; keep it "
	    "private), public key %s/vendor.pub\n", key->pub.id, dir,
	    pass != NULL ? "encrypted" : "NOT encrypted", dir);
	rc = fflush(stdout) == 0 ? 0 : EXIT_TROUBLE;
out:
	sodium_free(key);
	sodium_free(pass);
	return rc;
}

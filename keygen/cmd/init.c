/*
 * init.c - lkey-keygen init
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

int
cmd_init(int argc, char **argv)
{
	enum { O_OUT, O_NOPASS, O_HELP, O_COUNT };
	static const args_spec specs[O_COUNT] = {
		[O_OUT] = { "out", true },
		[O_NOPASS] = { "no-passphrase", false },
		[O_HELP] = { "help", false },
	};
	char err[512];
	char *pass = NULL;
	lkey_vendor_key *key;
	args a;
	int rc = EXIT_TROUBLE;

	if (args_parse(argc, argv, 2, specs, O_COUNT, &a, err,
	    sizeof(err)) != 0)
		cli_usage(err);
	if (a.seen[O_HELP])
		return keygen_help();
	if (a.npos > 0)
		cli_usage("init takes no arguments besides its options");
	if (!a.seen[O_OUT] || a.value[O_OUT][0] == '\0')
		cli_usage("init needs --out DIR");

	key = sodium_malloc(sizeof(*key));
	if (key == NULL)
		cli_die(EXIT_TROUBLE, "out of secure memory");
	if (!a.seen[O_NOPASS]) {
		pass = sodium_malloc(PASSPHRASE_MAX);
		if (pass == NULL) {
			fprintf(stderr, "lkey-keygen: out of secure memory\n");
			goto out;
		}
		if (passphrase_get(pass, PASSPHRASE_MAX,
		    "passphrase for the new secret key: ", true, err,
		    sizeof(err)) != 0) {
			fprintf(stderr, "lkey-keygen: %s\n", err);
			goto out;
		}
	}
	lkey_vendor_key_generate(key);
	if (keyfile_init(a.value[O_OUT], key, pass, err, sizeof(err)) != 0) {
		fprintf(stderr, "lkey-keygen: %s\n", err);
		goto out;
	}
	printf("key id %08x: secret key %s/vendor.sec (%s; keep it "
	    "private), public key %s/vendor.pub\n", key->pub.id,
	    a.value[O_OUT], pass != NULL ? "encrypted" : "NOT encrypted",
	    a.value[O_OUT]);
	rc = fflush(stdout) == 0 ? 0 : EXIT_TROUBLE;
out:
	sodium_free(key);
	if (pass != NULL)
		sodium_free(pass);
	return rc;
}

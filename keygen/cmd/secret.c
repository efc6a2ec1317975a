/*
 * secret.c - the secret key of a command, loaded last
 *
 * A command touches the secret key only once every other input is known
 * good, so a typo costs no passphrase prompt; the key lives in
 * sodium_malloc memory, which the caller's sodium_free wipes on every
 * path.
 */
#include <stdio.h>

#include <sodium.h>

#include "commands.h"
#include "keyfile.h"

lkey_vendor_key *
cmd_secret_key(const char *path, const char *tail)
{
	lkey_vendor_key *key;
	char err[1024];

	if ((key = sodium_malloc(sizeof(*key))) == NULL)
		cli_die(EXIT_TROUBLE, "out of secure memory");
	if (keyfile_load_secret(path, key, err, sizeof(err)) != 0) {
		fprintf(stderr, "lkey-keygen: %s%s\n", err, tail);
		sodium_free(key);
		return NULL;
	}
	return key;
}

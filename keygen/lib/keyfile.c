/*
 * keyfile.c - loading the vendor's secret key, and asking for the
 * passphrases that protect it
 *
 * The file's format and its checks are seckey.c's; writing key files is
 * keyfile_write.c's. Loading refuses a file that is not exactly that
 * format, key-derivation limits that would let a crafted file make us
 * burn time or memory, and a key pair whose parts do not belong together,
 * before the key is handed out.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "keyfile.h"
#include "msg.h"
#include "passphrase.h"
#include "pubkey.h"
#include "seckey.h"

/* Where unattended runs pass the old and the new passphrase. */
#define OLD_PASS_ENV "LKEY_PASSPHRASE"
#define NEW_PASS_ENV "LKEY_NEW_PASSPHRASE"

/* A prompt naming the file: "passphrase for PATH: ". */
#define PROMPT_CAP (4096U + 32U)

/* Secrets of keyfile_load_secret, in one guarded allocation wiped by
 * sodium_free. */
struct load_secrets {
	seckey_file f;
	uint8_t seed[LKEY_SEEDBYTES];
	char pass[PASSPHRASE_MAX];
	char prompt[PROMPT_CAP];
};


/*
 * The seed of an encrypted file: its limits checked before any hashing,
 * the passphrase asked for, the seed decrypted with the header bound in.
 */
static int
open_sealed(const char *path, struct load_secrets *s, char *err,
    size_t errcap)
{
	char rerr[256];
	int r;

	if (!seckey_limits_ok(s->f.ops, s->f.mem))
		return msg_fail(err, errcap, "%s: secret key file has "
		    "unreasonable key-derivation parameters", path);
	(void)snprintf(s->prompt, sizeof s->prompt, "passphrase for %s: ",
	    path);
	rerr[0] = '\0';
	if (passphrase_get(s->pass, sizeof s->pass, s->prompt, 0, rerr,
	    sizeof rerr) == -1)
		return msg_fail(err, errcap, "%s: %s", path, rerr);
	if ((r = seckey_unseal(&s->f, s->pass, s->seed)) == -1)
		return msg_fail(err, errcap, "%s: key derivation failed (out "
		    "of memory?)", path);
	if (r != 0)
		return msg_fail(err, errcap, "%s: wrong passphrase or corrupt "
		    "secret key file", path);
	return 0;
}

int
keyfile_load_secret(const char *path, lkey_vendor_key *key, char *err,
    size_t errcap)
{
	struct load_secrets *s = NULL;
	int ret = -1;

	sodium_memzero(key, sizeof *key);
	msg_fail(err, errcap, "%s: internal error", path);
	if (sodium_init() < 0) {
		msg_fail(err, errcap, "cannot initialise libsodium");
		goto out;
	}
	if ((s = sodium_malloc(sizeof *s)) == NULL) {
		msg_fail(err, errcap, "out of memory");
		goto out;
	}
	if (seckey_read(path, &s->f, err, errcap) == -1)
		goto out;
	if (s->f.kdf == SECKEY_KDF_NONE)
		(void)seckey_unseal(&s->f, NULL, s->seed);
	else if (open_sealed(path, s, err, errcap) == -1)
		goto out;
	if (!seckey_matches(s->seed, key->sk, s->f.pk, s->f.id)) {
		msg_fail(err, errcap, "%s: secret key file is corrupt (key "
		    "does not match its public key)", path);
		goto out;
	}
	lkey_pubkey_from_bytes(s->f.pk, &key->pub);
	ret = 0;
	if (err != NULL && errcap > 0)
		err[0] = '\0';
out:
	if (ret != 0)
		sodium_memzero(key, sizeof *key);
	sodium_free(s);
	return ret;
}

/*
 * The key id of a secret key file, read from its header without the
 * passphrase, so that a command can check its inputs against the key (a
 * revocation list against the ledger) before asking for one. The file is
 * checked as keyfile_load_secret checks it before decryption, and the stored
 * public key must give the stored id; what the header says is still not
 * authenticated: the caller compares it with the id of the key it loads.
 */
int
keyfile_key_id(const char *path, uint32_t *id, char *err, size_t errcap)
{
	seckey_file *f;
	lkey_pubkey pub;
	int ret = -1;

	*id = 0;
	if ((f = sodium_malloc(sizeof *f)) == NULL) {
		msg_fail(err, errcap, "out of memory");
		return -1;
	}
	if (seckey_read(path, f, err, errcap) == -1)
		goto out;
	lkey_pubkey_from_bytes(f->pk, &pub);
	if (pub.id != f->id) {
		msg_fail(err, errcap, "%s: secret key file is corrupt (key id "
		    "does not match its public key)", path);
		goto out;
	}
	*id = pub.id;
	ret = 0;
out:
	sodium_free(f);
	return ret;
}

int
keyfile_new_passphrase(char *buf, size_t cap, const char *path, bool weak,
    char *err, size_t errcap)
{
	char prompt[PROMPT_CAP];
	int fd, env;

	if ((env = passphrase_env(NEW_PASS_ENV, buf, cap, err, errcap)) != 1) {
		if (env == 0 && !weak &&
		    passphrase_strong(buf, NEW_PASS_ENV, err, errcap) != 0) {
			sodium_memzero(buf, cap);
			return -1;
		}
		return env;
	}
	/* passphrase_get would take the old passphrase for the new one. */
	if (passphrase_env_set(OLD_PASS_ENV))
		return msg_fail(err, errcap, OLD_PASS_ENV " is set but "
		    NEW_PASS_ENV " is not: set both, or neither to be asked on "
		    "the terminal");
	/* Said here, or passphrase_get would name only LKEY_PASSPHRASE. */
	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1)
		return msg_fail(err, errcap, "no new passphrase: set "
		    NEW_PASS_ENV " or run on a terminal");
	(void)close(fd);
	(void)snprintf(prompt, sizeof prompt, "new passphrase for %s: ",
	    path);
	return passphrase_get(buf, cap, prompt, PASSPHRASE_CONFIRM |
	    (weak ? 0U : PASSPHRASE_STRONG), err, errcap);
}

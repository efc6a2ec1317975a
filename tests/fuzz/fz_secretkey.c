/*
 * fz_secretkey.c - secret key files (keygen/lib/keyfile.c)
 *
 * keyfile_load_secret takes a path, and the checks of the file's text and
 * header (read_blob) are not reachable on their own, so each input is
 * written to a scratch file and loaded from there: a few system calls per
 * input (README.md says what a split would gain).
 *
 * An encrypted file makes the loader run Argon2id with the limits the file
 * gives, anything up to 4 passes over 1 GiB: far too slow per input. So an
 * input that could ask for more than COST_OPS_MAX passes or COST_MEM_MAX
 * bytes is skipped before the call. The test looks at every line the
 * loader could take for its key line, decoded by the same strict decoder,
 * and so skips a superset of the costly inputs. Cheaper encrypted files
 * are loaded, with the passphrase FUZZ_PASSPHRASE in LKEY_PASSPHRASE (no
 * terminal is ever asked); the corpus has one made with it and the
 * smallest limits, so decryption succeeds and the key check runs.
 *
 * Checked: a refusal wipes the key and says why; a loaded key's secret
 * half holds its public key, whose own id it carries.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "codec.h"
#include "keyfile.h"
#include "le.h"
#include "lkey.h"
#include "lkey_vendor.h"
#include "targets.h"

#define FUZZ_PASSPHRASE "fuzz"

/* The blob's header (docs/KEYFILES.md): magic, kdf, opslimit, memlimit. */
#define SEC_MAGIC "lkS1"
#define OFF_KDF 4U
#define OFF_OPS 5U
#define OFF_MEM 13U
#define HDR_MIN 21U
#define KDF_ARGON2ID 1U

/* Dearest key derivation let through: well under a millisecond. */
#define COST_OPS_MAX 2U
#define COST_MEM_MAX (64U * 1024U)

#define ERR_CAP 1024U

/* Whether some line, read as the key line, asks for costly hashing. */
static bool
too_costly(const char *text, size_t len)
{
	uint8_t blob[LKEY_TEXT_MAX / 4U * 3U];
	const char *p = text, *end = text + len, *eol;
	size_t n;

	/* Larger files are refused before any decoding. */
	if (len > KEYFILE_SEC_MAX)
		return false;
	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		if (lkey__b64_decode(p, (size_t)(eol - p), blob, sizeof(blob),
		    &n, NULL) == LKEY_OK && n >= HDR_MIN &&
		    memcmp(blob, SEC_MAGIC, 4) == 0 &&
		    blob[OFF_KDF] == KDF_ARGON2ID &&
		    (le_load64(blob + OFF_OPS) > COST_OPS_MAX ||
		    le_load64(blob + OFF_MEM) > COST_MEM_MAX))
			return true;
		p = eol < end ? eol + 1 : end;
	}
	return false;
}

int
fuzz_secretkey(const uint8_t *data, size_t size)
{
	static bool env_set;
	const char *path = fuzz_scratch_path("vendor.sec");
	lkey_vendor_key key;
	lkey_pubkey derived;
	char err[ERR_CAP];
	int rc;

	FUZZ_CHECK(path != NULL);
	if (!env_set) {
		FUZZ_CHECK(setenv("LKEY_PASSPHRASE", FUZZ_PASSPHRASE, 1) == 0);
		env_set = true;
	}
	if (too_costly((const char *)data, size))
		return 0;
	FUZZ_CHECK(fuzz_scratch_write(path, data, size) == 0);

	err[0] = '\0';
	rc = keyfile_load_secret(path, &key, err, sizeof(err));
	if (rc == 0) {
		FUZZ_CHECK(err[0] == '\0');
		FUZZ_CHECK(memcmp(key.sk + LKEY_SEEDBYTES, key.pub.pk,
		    LKEY_PUBLICKEYBYTES) == 0);
		lkey_pubkey_from_bytes(key.pub.pk, &derived);
		FUZZ_CHECK(derived.id == key.pub.id);
	} else {
		FUZZ_CHECK(rc == -1);
		FUZZ_CHECK(err[0] != '\0' && strnlen(err, sizeof(err)) <
		    sizeof(err));
		FUZZ_CHECK(fuzz_all_zero(&key, sizeof(key)));
	}
	sodium_memzero(&key, sizeof(key));
	return 0;
}

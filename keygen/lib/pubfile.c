/*
 * pubfile.c - the text of a public key file: a comment line naming the key
 * id, then the base64 of magic, key id and key (docs/FORMAT.md)
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "codec.h"
#include "le.h"
#include "pubfile.h"
#include "pubkey.h"

size_t
pubkey_file_format(const lkey_pubkey *pub, char *out, size_t cap)
{
	uint8_t blob[PUBKEY_BLOB_BYTES];
	char b64[LKEY_B64_LEN(PUBKEY_BLOB_BYTES) + 1U];
	int n;

	memcpy(blob, PUBKEY_MAGIC, 4);
	le_store32(blob + 4, pub->id);
	memcpy(blob + 8, pub->pk, LKEY_PUBLICKEYBYTES);
	if (lkey__b64_encode(blob, sizeof(blob), b64, sizeof(b64)) == 0)
		return 0;
	n = snprintf(out, cap, "# lkey public key, key id %08x\n%s\n",
	    (unsigned)pub->id, b64);
	if (n < 0 || (size_t)n >= cap) {
		if (cap > 0)
			out[0] = '\0';
		return 0;
	}
	return (size_t)n;
}

/*
 * A point off the curve or of small order verifies no licence, and one
 * with a small-order part is no key that crypto_sign_seed_keypair makes:
 * either is a damaged or crafted file. The verifier parses keys without
 * this check (it costs four fifths of a signature check, on every run of
 * every customer's program), so it is made here, before such a key can
 * reach a customer.
 */
bool
pubkey_point_ok(const uint8_t pk[LKEY_PUBLICKEYBYTES], const char *file,
    char *err, size_t errcap)
{
	lkey_pubkey pub;

	if (crypto_core_ed25519_is_valid_point(pk) == 1)
		return true;
	if (file != NULL && err != NULL && errcap > 0) {
		lkey_pubkey_from_bytes(pk, &pub);
		(void)snprintf(err, errcap, "%s: public key %08x is not a "
		    "valid Ed25519 key (a point off the curve, of small order "
		    "or outside the prime-order subgroup)", file,
		    (unsigned)pub.id);
	}
	return false;
}

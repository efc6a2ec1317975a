/*
 * sig.c - Ed25519 verification, and the domain tag that makes a signature a
 * licence signature
 *
 * libsodium 1.0.18's crypto_sign_verify_detached rejects non-canonical S,
 * small-order keys and R (the strict rules of "Taming the many EdDSAs"), so a
 * signature cannot be re-spelt into a second valid one.
 */
#include <string.h>

#include <sodium.h>

#include "le.h"
#include "sig.h"
#include "wire.h"

_Static_assert(LKEY_PUBLICKEYBYTES == crypto_sign_PUBLICKEYBYTES,
    "public key size");
_Static_assert(LKEY_SIGNATUREBYTES == crypto_sign_BYTES, "signature size");
_Static_assert(sizeof(WIRE_TAG) == WIRE_TAG_BYTES, "tag size");

lkey_status
lkey__sig_key(const uint8_t *raw, size_t n, const lkey__sig_head *head,
    const lkey_pubkey *keys, size_t nkeys, const lkey_pubkey **key,
    lkey_detail *detail)
{
	uint32_t id;
	size_t i;

	*key = NULL;
	if (n <= head->version_at || raw[head->version_at] != head->version)
		return lkey__reject(detail, LKEY_MALFORMED, LKEY_R_BAD_VERSION,
		    n > head->version_at ? raw[head->version_at] : 0);
	if (n < head->min_bytes)
		return lkey__reject(detail, LKEY_MALFORMED, LKEY_R_TOO_SHORT,
		    0);
	id = le_load32(raw + head->key_id_at);
	for (i = 0; i < nkeys && keys != NULL; i++) {
		if (keys[i].id == id) {
			*key = &keys[i];
			return LKEY_OK;
		}
	}
	return lkey__reject(detail, LKEY_UNKNOWN_KEY, LKEY_R_UNKNOWN_KEY, id);
}

int
lkey__sig_verify(const uint8_t sig[LKEY_SIGNATUREBYTES], const uint8_t *msg,
    size_t len, const uint8_t pk[LKEY_PUBLICKEYBYTES])
{
	return crypto_sign_verify_detached(sig, msg, len, pk) == 0 ? 0 : -1;
}

int
lkey__sig_verify_license(const uint8_t sig[LKEY_SIGNATUREBYTES],
    const uint8_t *payload, size_t len, const uint8_t pk[LKEY_PUBLICKEYBYTES])
{
	uint8_t msg[WIRE_TAG_BYTES + LKEY_KEY_MAX];

	if (len > LKEY_KEY_MAX)
		return -1;
	memcpy(msg, WIRE_TAG, WIRE_TAG_BYTES);
	if (len > 0)
		memcpy(msg + WIRE_TAG_BYTES, payload, len);
	return lkey__sig_verify(sig, msg, WIRE_TAG_BYTES + len, pk);
}

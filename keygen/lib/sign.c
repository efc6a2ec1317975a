/*
 * sign.c - Ed25519 signing, and the signatures of licences and revocation
 * lists, each under its own domain tag: a signature made for one can never
 * pass as the other, though the same key makes both.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "sign.h"
#include "wire.h"

_Static_assert(LKEY_SECRETKEYBYTES == crypto_sign_SECRETKEYBYTES,
    "secret key size");
_Static_assert(LKEY_SEEDBYTES == crypto_sign_SEEDBYTES, "seed size");
_Static_assert(sizeof(REVOKE_TAG) == WIRE_TAG_BYTES, "list tag size");
_Static_assert(SIGN_REVOKE_MAX == REVOKE_HEAD_BYTES + 8U * LKEY_REVOKED_MAX,
    "longest list");

void
sign_raw(uint8_t sig[LKEY_SIGNATUREBYTES], const uint8_t *msg, size_t len,
    const uint8_t sk[LKEY_SECRETKEYBYTES])
{
	crypto_sign_detached(sig, NULL, msg, len, sk);
}

void
sign_license(uint8_t sig[LKEY_SIGNATUREBYTES], const uint8_t *payload,
    size_t len, const uint8_t sk[LKEY_SECRETKEYBYTES])
{
	uint8_t msg[WIRE_TAG_BYTES + LKEY_KEY_MAX];

	/* Callers bound len by LKEY_KEY_MAX: anything else is a bug. */
	if (len > LKEY_KEY_MAX)
		abort();
	memcpy(msg, WIRE_TAG, WIRE_TAG_BYTES);
	if (len > 0)
		memcpy(msg + WIRE_TAG_BYTES, payload, len);
	crypto_sign_detached(sig, NULL, msg, WIRE_TAG_BYTES + len, sk);
}

void
sign_revocations(uint8_t sig[LKEY_SIGNATUREBYTES], const uint8_t *list,
    size_t len, const uint8_t sk[LKEY_SECRETKEYBYTES])
{
	uint8_t msg[WIRE_TAG_BYTES + SIGN_REVOKE_MAX];

	/* Callers bound len by the longest list: anything else is a bug. */
	if (len > SIGN_REVOKE_MAX)
		abort();
	memcpy(msg, REVOKE_TAG, WIRE_TAG_BYTES);
	if (len > 0)
		memcpy(msg + WIRE_TAG_BYTES, list, len);
	crypto_sign_detached(sig, NULL, msg, WIRE_TAG_BYTES + len, sk);
}

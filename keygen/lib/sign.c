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
_Static_assert(sizeof(WIRE_TAG) == WIRE_TAG_BYTES, "licence tag size");
_Static_assert(sizeof(REVOKE_TAG) == WIRE_TAG_BYTES, "list tag size");
_Static_assert(SIGN_REVOKE_MAX == REVOKE_HEAD_BYTES + 8U * LKEY_REVOKED_MAX,
    "longest list");

void
sign_raw(uint8_t sig[LKEY_SIGNATUREBYTES], const uint8_t *msg, size_t len,
    const uint8_t sk[LKEY_SECRETKEYBYTES])
{
	crypto_sign_detached(sig, NULL, msg, len, sk);
}

/*
 * A signature over a domain tag (WIRE_TAG_BYTES, its NUL included) and
 * then msg, put together in buf (cap bytes, the caller's: each kind of
 * message has its own bound). A message that does not fit is a caller's
 * bug and aborts.
 */
static void
sign_tagged(uint8_t sig[LKEY_SIGNATUREBYTES], uint8_t *buf, size_t cap,
    const char *tag, const uint8_t *msg, size_t len,
    const uint8_t sk[LKEY_SECRETKEYBYTES])
{
	if (len > cap - WIRE_TAG_BYTES)
		abort();
	memcpy(buf, tag, WIRE_TAG_BYTES);
	if (len > 0)
		memcpy(buf + WIRE_TAG_BYTES, msg, len);
	crypto_sign_detached(sig, NULL, buf, WIRE_TAG_BYTES + len, sk);
}

void
sign_license(uint8_t sig[LKEY_SIGNATUREBYTES], const uint8_t *payload,
    size_t len, const uint8_t sk[LKEY_SECRETKEYBYTES])
{
	uint8_t buf[WIRE_TAG_BYTES + LKEY_KEY_MAX];

	sign_tagged(sig, buf, sizeof buf, WIRE_TAG, payload, len, sk);
}

void
sign_revocations(uint8_t sig[LKEY_SIGNATUREBYTES], const uint8_t *list,
    size_t len, const uint8_t sk[LKEY_SECRETKEYBYTES])
{
	uint8_t buf[WIRE_TAG_BYTES + SIGN_REVOKE_MAX];

	sign_tagged(sig, buf, sizeof buf, REVOKE_TAG, list, len, sk);
}

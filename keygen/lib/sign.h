/* sign.h - Ed25519 signing over libsodium (internal, vendor side) */
#ifndef LKEY_SIGN_H
#define LKEY_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include "lkey_vendor.h"

/* Plain Ed25519 signature of msg. */
void sign_raw(uint8_t sig[LKEY_SIGNATUREBYTES], const uint8_t *msg,
    size_t len, const uint8_t sk[LKEY_SECRETKEYBYTES]);

/*
 * A licence signature: over WIRE_TAG then the payload. len over
 * LKEY_KEY_MAX is a caller's bug and aborts.
 */
void sign_license(uint8_t sig[LKEY_SIGNATUREBYTES], const uint8_t *payload,
    size_t len, const uint8_t sk[LKEY_SECRETKEYBYTES]);

/* Bytes of a revocation list before its signature, at most. */
#define SIGN_REVOKE_MAX (LKEY_REVOCATIONS_BYTES - 16U - LKEY_SIGNATUREBYTES)

/*
 * A revocation list signature: over REVOKE_TAG then the list (every byte
 * before the signature). len over SIGN_REVOKE_MAX is a caller's bug and
 * aborts.
 */
void sign_revocations(uint8_t sig[LKEY_SIGNATUREBYTES], const uint8_t *list,
    size_t len, const uint8_t sk[LKEY_SECRETKEYBYTES]);

#endif

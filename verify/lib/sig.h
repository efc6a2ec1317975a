/* sig.h - Ed25519 signature checks over libsodium (internal) */
#ifndef LKEY_SIG_H
#define LKEY_SIG_H

#include <stddef.h>
#include <stdint.h>

#include "lkey.h"

/* Plain Ed25519: 0 if `sig` is a valid signature of msg by pk, else -1. */
int lkey__sig_verify(const uint8_t sig[LKEY_SIGNATUREBYTES], const uint8_t *msg,
    size_t len, const uint8_t pk[LKEY_PUBLICKEYBYTES]);

/*
 * A licence signature: the signed message is WIRE_TAG followed by the
 * payload (at most LKEY_KEY_MAX bytes). 0 if valid, else -1.
 */
int lkey__sig_verify_license(const uint8_t sig[LKEY_SIGNATUREBYTES],
    const uint8_t *payload, size_t len, const uint8_t pk[LKEY_PUBLICKEYBYTES]);

/*
 * The key of the ring with this id, or NULL: the one key whose signature a
 * licence or a revocation list naming that id must carry.
 */
const lkey_pubkey *lkey__sig_key(const lkey_pubkey *keys, size_t nkeys,
    uint32_t id);

#endif

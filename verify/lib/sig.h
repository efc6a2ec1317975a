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

/* Where signed data (a licence key, a revocation list) says what it is. */
typedef struct lkey__sig_head {
	size_t version_at;	/* offset of the version byte */
	uint8_t version;	/* the one version this verifier reads */
	size_t min_bytes;	/* the shortest whole, signature included */
	size_t key_id_at;	/* offset of the signing key's id (u32 LE) */
} lkey__sig_head;

/* A licence key's (decode.c), for lkey_decode and lkey_suggest alike. */
extern const lkey__sig_head lkey__licence_head;

/*
 * The checks before a signature, in their order: version, length, and the
 * key of the ring whose id the data names, into *key: the one key whose
 * signature it must carry. Nothing else of raw (n bytes) is read. LKEY_OK,
 * or LKEY_MALFORMED or LKEY_UNKNOWN_KEY with the reason in `detail`.
 */
lkey_status lkey__sig_key(const uint8_t *raw, size_t n,
    const lkey__sig_head *head, const lkey_pubkey *keys, size_t nkeys,
    const lkey_pubkey **key, lkey_detail *detail);

#endif

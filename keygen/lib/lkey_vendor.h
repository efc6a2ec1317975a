/*
 * lkey_vendor.h - issuing licence keys (vendor side only)
 *
 * Never linked into liblkey: a customer's binary carries no signing code.
 * Secret keys belong in sodium_malloc memory; wipe them with
 * lkey_vendor_key_wipe (or sodium_free) on every path.
 */
#ifndef LKEY_VENDOR_H
#define LKEY_VENDOR_H

#include "lkey.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LKEY_SEEDBYTES 32U
#define LKEY_SECRETKEYBYTES 64U

/* A vendor signing key: libsodium's secret key (seed || public key). */
typedef struct lkey_vendor_key {
	uint8_t sk[LKEY_SECRETKEYBYTES];
	lkey_pubkey pub;
} lkey_vendor_key;

typedef enum lkey_issue_status {
	LKEY_ISSUE_OK = 0,
	LKEY_ISSUE_BAD_TERMS,	/* a field out of range, or periods that clash */
	LKEY_ISSUE_TOO_LONG,	/* more than LKEY_KEY_MAX bytes, or cap too small */
	LKEY_ISSUE_SELF_CHECK	/* the verifier did not accept the result */
} lkey_issue_status;

/* The key pair of a 32-byte seed (deterministic: for test vectors). */
void lkey_vendor_key_from_seed(const uint8_t seed[LKEY_SEEDBYTES],
    lkey_vendor_key *out);
/* A new random key pair. */
void lkey_vendor_key_generate(lkey_vendor_key *out);
void lkey_vendor_key_wipe(lkey_vendor_key *key);

/*
 * Empty terms for a licence issued and starting `today`: no seats, periods
 * or features yet, the default notice period, no grace. Fill in the rest.
 */
void lkey_terms_init(lkey_license *t, lkey_day today);

/*
 * Checks the terms of a licence the way lkey_issue does, before any signing:
 * LKEY_ISSUE_BAD_TERMS with a short phrase in *why ("seats out of range").
 * A host id is allowed only with host_bound, and is then not all zeros.
 * These are the rules of what a key may hold, which a licence recorded
 * long ago meets too (reissue signs it again). The stricter rules of new
 * orders (names a catalog gives, module seats within the licence's, no
 * format character in the licensee) are lkey-keygen's: order_terms.
 */
LKEY_WUR lkey_issue_status lkey_terms_check(const lkey_license *terms,
    const char **why);

/*
 * Issues a licence key for `terms` (its version and key_id are ignored and
 * set from `key`): serialises, signs, encodes as one line of base64 and then
 * decodes and compares the result with the customer-side verifier. `text`
 * receives the NUL-terminated key; `cap` of LKEY_B64_TEXT_MAX is always enough.
 * On failure `text` holds "".
 */
#define LKEY_B64_TEXT_MAX ((LKEY_KEY_MAX + 2U) / 3U * 4U + 1U)
LKEY_WUR lkey_issue_status lkey_issue(const lkey_vendor_key *key,
    const lkey_license *terms, char *text, size_t cap);

const char *lkey_issue_status_text(lkey_issue_status status);

/* A licence to revoke: the id of the vendor key that signed it, its serial. */
typedef struct lkey_revoked {
	uint32_t key_id;
	uint32_t serial;
} lkey_revoked;

/*
 * Text of the longest revocation list lkey_revocations_issue writes, its
 * NUL included: a comment line of at most LKEY_REVOKE_COMMENT_MAX bytes,
 * the base64 of the list, a newline. Within LKEY_REVOCATIONS_TEXT_MAX, so a
 * verifier reads every list this writes.
 */
#define LKEY_REVOKE_COMMENT_MAX 128U
#define LKEY_REVOCATIONS_TEXT_CAP (LKEY_REVOKE_COMMENT_MAX + \
	(LKEY_REVOCATIONS_BYTES - 16U + 2U) / 3U * 4U + 2U)

/*
 * Signs a revocation list (docs/FORMAT.md) with `key`: the n licences of
 * `revoked` (in any order; none twice; n at most LKEY_REVOKED_MAX), with
 * `sequence` (1 or more, higher than that of the vendor's last list) and
 * `issued`, the day the list is made (a verifier whose clock is before it
 * takes the clock for set back). Writes into `text` the file a verifier
 * reads: a '#' comment line, the base64 of the list on one line, a newline;
 * NUL-terminated. Then decodes that text with the customer-side code
 * against the key's public key and checks that it holds exactly these
 * licences, this sequence and day, before returning: LKEY_ISSUE_SELF_CHECK
 * if not. LKEY_ISSUE_BAD_TERMS for sequence 0, a day after LKEY_DAY_MAX, too
 * many licences or one twice; LKEY_ISSUE_TOO_LONG if `cap` is too small
 * (LKEY_REVOCATIONS_TEXT_CAP always suffices). On failure `text` holds "".
 * Uses about 100 KiB of stack.
 */
LKEY_WUR lkey_issue_status lkey_revocations_issue(const lkey_vendor_key *key,
    uint32_t sequence, lkey_day issued, const lkey_revoked *revoked,
    size_t n, char *text, size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* LKEY_VENDOR_H */

/*
 * lkey.h - offline licence key verifier (liblkey)
 *
 * Decodes a licence key, checks its Ed25519 signature against the vendor's
 * public key ring and enforces its terms, with no network access.
 *
 * The library is reentrant and keeps no global state beyond libsodium's own
 * initialisation (lkey_init). It never allocates, prints or exits. Every
 * struct has a fixed size. On failure a function zeroes its output struct
 * (fail closed), so a caller that ignores a status still sees no licence.
 */
#ifndef LKEY_H
#define LKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(LKEY_BUILD) && defined(__GNUC__)
#define LKEY_API __attribute__((visibility("default")))
#else
#define LKEY_API
#endif

#if defined(__GNUC__)
#define LKEY_WUR __attribute__((warn_unused_result))
#else
#define LKEY_WUR
#endif

#define LKEY_VERSION_STRING "1.0.0"

/* Sizes, checked against libsodium's in the implementation. */
#define LKEY_PUBLICKEYBYTES 32U
#define LKEY_SIGNATUREBYTES 64U

/* Input bounds: key text (whitespace included) and decoded key bytes. */
#define LKEY_TEXT_MAX 4096U
#define LKEY_KEY_MAX 512U

/* Longest licensee name, in bytes of UTF-8. */
#define LKEY_LICENSEE_MAX 128U

/* Days since 1970-01-01 (UTC). LKEY_NEVER is "no end". */
typedef uint32_t lkey_day;
#define LKEY_NEVER UINT32_MAX
/* Last day a key can carry: 2149-06-05. */
#define LKEY_DAY_MAX 65534U

/* Seats: 1..LKEY_SEATS_MAX, or LKEY_SEATS_UNLIMITED. */
#define LKEY_SEATS_MAX 16777214U
#define LKEY_SEATS_UNLIMITED UINT32_MAX

/* Feature bits 0..31. */
#define LKEY_FEATURES_MAX 32U

/* Days left when the period has no end. */
#define LKEY_DAYS_UNLIMITED INT64_MAX

/*
 * Verdicts. LKEY_OK ("valid") is the one success. lkey_decode gives
 * malformed, unknown_key or bad_signature (a key with an unknown critical
 * extension is malformed: it cannot be used by this verifier at all);
 * lkey_check then runs, in this order: product, clock, start, expiry,
 * maintenance, seats. host_mismatch and revoked are reserved for host-bound
 * keys and revocation lists.
 */
typedef enum lkey_status {
	LKEY_OK = 0,
	LKEY_MALFORMED,
	LKEY_UNKNOWN_KEY,
	LKEY_BAD_SIGNATURE,
	LKEY_WRONG_PRODUCT,
	LKEY_NOT_YET_VALID,
	LKEY_EXPIRED,
	LKEY_MAINTENANCE_LAPSED,
	LKEY_SEATS_EXCEEDED,
	LKEY_ADMIN_ONLY,
	LKEY_HOST_MISMATCH,
	LKEY_REVOKED,
	LKEY_CLOCK_ROLLBACK
} lkey_status;

#define LKEY_STATUS_COUNT 13

/* Why a key was rejected before its terms were looked at. */
typedef enum lkey_reason {
	LKEY_R_NONE = 0,
	LKEY_R_TOO_LONG,	/* over LKEY_TEXT_MAX or LKEY_KEY_MAX */
	LKEY_R_EMPTY,		/* nothing but whitespace */
	LKEY_R_BAD_CHAR,	/* a byte outside base64 and whitespace; offset */
	LKEY_R_BAD_PADDING,	/* length or '=' placement is wrong */
	LKEY_R_NONCANONICAL,	/* unused bits set: not the one text form */
	LKEY_R_TOO_SHORT,	/* fewer bytes than a key can have */
	LKEY_R_BAD_VERSION,	/* unknown format version; value */
	LKEY_R_UNKNOWN_KEY,	/* key id not in the ring; value */
	LKEY_R_BAD_SIGNATURE,
	LKEY_R_BAD_EXTENSION,	/* extension out of order, repeated or cut */
	LKEY_R_UNKNOWN_CRITICAL, /* critical extension not understood; value */
	LKEY_R_BAD_FIELD	/* a signed field holds an impossible value */
} lkey_reason;

/* Optional detail for a rejected key: what, and where in the text. */
typedef struct lkey_detail {
	lkey_reason reason;
	size_t offset;		/* byte offset in the text, LKEY_R_BAD_CHAR */
	uint32_t value;		/* version, key id or extension type */
} lkey_detail;

/* A vendor public key and its id (derived from the key). */
typedef struct lkey_pubkey {
	uint32_t id;
	uint8_t pk[LKEY_PUBLICKEYBYTES];
} lkey_pubkey;

/* The signed content of a licence key. */
typedef struct lkey_license {
	uint8_t version;
	uint32_t key_id;
	uint32_t product;	/* 1..65535 */
	uint32_t edition;	/* 0..255 */
	uint32_t seats;		/* or LKEY_SEATS_UNLIMITED */
	lkey_day starts;
	lkey_day expires;	/* or LKEY_NEVER */
	lkey_day maintenance;	/* or LKEY_NEVER */
	uint32_t serial;
	uint32_t features;	/* bit n set: feature n licensed */
	size_t licensee_len;	/* 0: none */
	char licensee[LKEY_LICENSEE_MAX + 1];	/* UTF-8, NUL-terminated */
} lkey_license;

/* What the application asking knows about itself and today. */
typedef struct lkey_context {
	uint32_t product;	/* the product asking */
	lkey_day today;		/* usually lkey_day_from_unix(time(NULL)) */
	bool has_release;
	lkey_day release;	/* build date of this release */
	bool has_users;
	uint32_t users;		/* active users */
	bool admin;		/* the user asking is an administrator */
} lkey_context;

/* The outcome, with what a licence screen shows. */
typedef struct lkey_report {
	lkey_status status;
	int64_t remaining;		/* seats - users; 0 when unlimited */
	int64_t license_days_left;	/* counting today; LKEY_DAYS_UNLIMITED */
	int64_t maintenance_days_left;	/* counting today; LKEY_DAYS_UNLIMITED */
	bool maintenance_active;	/* maintenance covers today */
} lkey_report;

/* Initialises libsodium; safe to call more than once. 0 on success. */
LKEY_API LKEY_WUR int lkey_init(void);

/*
 * Derives the key id of a raw Ed25519 public key. The id is what a licence
 * key names to say which vendor key signed it.
 */
LKEY_API void lkey_pubkey_from_bytes(const uint8_t pk[LKEY_PUBLICKEYBYTES],
    lkey_pubkey *out);

/*
 * Parses the text of a public key file (see docs/FORMAT.md): '#' comment
 * lines, then one base64 line. LKEY_MALFORMED if it is not one.
 */
LKEY_API LKEY_WUR lkey_status lkey_pubkey_parse(const char *text, size_t len,
    lkey_pubkey *out);

/*
 * Decodes and authenticates a licence key. ASCII whitespace anywhere in the
 * text is ignored; anything else that is not the canonical base64 of a key
 * is LKEY_MALFORMED. The signature is checked against the key in `keys`
 * whose id the licence names before any field is read. `detail` may be NULL.
 */
LKEY_API LKEY_WUR lkey_status lkey_decode(const char *text, size_t len,
    const lkey_pubkey *keys, size_t nkeys, lkey_license *out,
    lkey_detail *detail);

/*
 * Enforces the terms of a decoded licence for `ctx`. Fills `report` (also
 * when the verdict is not LKEY_OK, so a screen can say why) and returns the
 * first failed check: product, clock, start, expiry, maintenance, seats.
 */
LKEY_API LKEY_WUR lkey_status lkey_check(const lkey_license *lic,
    const lkey_context *ctx, lkey_report *report);

/* "valid", "expired", ...: stable names, as in the CLI's JSON. */
LKEY_API const char *lkey_status_name(lkey_status status);
/* One sentence for end users: what happened and what to do. */
LKEY_API const char *lkey_status_message(lkey_status status);
/* A short phrase for a rejection reason, for logs and CLIs. */
LKEY_API const char *lkey_reason_text(lkey_reason reason);

/* Dates. A day is valid from 1970-01-01 to 9999-12-31. */
LKEY_API LKEY_WUR bool lkey_day_from_ymd(int year, int month, int day,
    lkey_day *out);
LKEY_API void lkey_day_to_ymd(lkey_day day, int *year, int *month, int *mday);
/* Strict "YYYY-MM-DD" (exactly ten characters, a real calendar day). */
LKEY_API LKEY_WUR bool lkey_day_parse(const char *text, lkey_day *out);
/* "YYYY-MM-DD", or "never" for LKEY_NEVER; out holds 11 bytes. */
LKEY_API void lkey_day_format(lkey_day day, char out[11]);
/* The UTC day of a Unix time, saturating at 1970-01-01 and 9999-12-31. */
LKEY_API lkey_day lkey_day_from_unix(int64_t seconds);

#ifdef __cplusplus
}
#endif

#endif /* LKEY_H */

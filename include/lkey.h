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

/*
 * LKEY_API marks what liblkey exports (as libsodium's export.h does).
 * Define LKEY_STATIC when building or using liblkey as a static library
 * or as source (the amalgamation): nothing is exported or imported. On
 * Windows, liblkey built as a DLL exports (LKEY_BUILD, which the build
 * defines) and a program using the DLL imports; elsewhere the build makes
 * the API visible under -fvisibility=hidden.
 */
#if defined(LKEY_STATIC)
#define LKEY_API
#elif defined(_WIN32)
#if defined(LKEY_BUILD)
#define LKEY_API __declspec(dllexport)
#else
#define LKEY_API __declspec(dllimport)
#endif
#elif defined(LKEY_BUILD) && defined(__GNUC__)
#define LKEY_API __attribute__((visibility("default")))
#else
#define LKEY_API
#endif

#if defined(__GNUC__)
#define LKEY_WUR __attribute__((warn_unused_result))
#else
#define LKEY_WUR
#endif

#define LKEY_VERSION_STRING "2.0.0"

/* Sizes, checked against libsodium's in the implementation. */
#define LKEY_PUBLICKEYBYTES 32U
#define LKEY_SIGNATUREBYTES 64U

/* Input bounds: key text (whitespace included) and decoded key bytes. */
#define LKEY_TEXT_MAX 4096U
#define LKEY_KEY_MAX 512U
/* Longest canonical text of a key (LKEY_KEY_MAX bytes in base64). */
#define LKEY_KEY_TEXT_MAX (4U * ((LKEY_KEY_MAX + 2U) / 3U))

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

/* A host id: what binds a node-locked key to one computer (lkey_host_id). */
#define LKEY_HOST_ID_BYTES 8U

/* Days left when the period has no end. */
#define LKEY_DAYS_UNLIMITED INT64_MAX

/*
 * Grace and notice periods a key may carry, in days. A key without a notice
 * period warns LKEY_NOTICE_DAYS_DEFAULT days before an end; without a grace
 * period it gives none.
 */
#define LKEY_GRACE_DAYS_MAX 365U
#define LKEY_NOTICE_DAYS_MAX 365U
#define LKEY_NOTICE_DAYS_DEFAULT 30U

/*
 * Verdicts. LKEY_OK ("valid") is the one success. lkey_decode gives
 * malformed, unknown_key or bad_signature (a key with an unknown critical
 * extension is malformed: it cannot be used by this verifier at all);
 * lkey_check then finds every problem with the terms. The order of severity,
 * most severe first, is: malformed, unknown_key, bad_signature,
 * wrong_product, revoked, host_mismatch, clock_rollback, not_yet_valid,
 * expired, maintenance_lapsed, seats_exceeded, admin_only, with
 * revocations_outdated next to revoked. host_mismatch is for keys bound to
 * another computer, revoked for keys on a revocation list the application
 * gives (lkey_revocations), clock_rollback for a clock set back (see
 * lkey_context), revocations_outdated for a revocation list older than one
 * the clock guard's state has seen, or none where the state has seen one.
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
	LKEY_CLOCK_ROLLBACK,
	LKEY_REVOCATIONS_OUTDATED
} lkey_status;

#define LKEY_STATUS_COUNT 14

/* Why a key was rejected before its terms were looked at. */
typedef enum lkey_reason {
	LKEY_R_NONE = 0,
	LKEY_R_TOO_LONG,	/* over LKEY_TEXT_MAX or LKEY_KEY_MAX */
	LKEY_R_EMPTY,		/* nothing but whitespace (and marks) */
	LKEY_R_BAD_CHAR,	/* a byte outside base64 and whitespace; offset */
	LKEY_R_BAD_PADDING,	/* length or '=' placement is wrong */
	LKEY_R_NONCANONICAL,	/* unused bits set: not the one text form */
	LKEY_R_TOO_SHORT,	/* fewer bytes than a key can have */
	LKEY_R_BAD_VERSION,	/* unknown format version; value */
	LKEY_R_UNKNOWN_KEY,	/* key id not in the ring; value */
	LKEY_R_BAD_SIGNATURE,	/* value: the key id named (untrusted) */
	LKEY_R_BAD_EXTENSION,	/* extension out of order, repeated or cut */
	LKEY_R_UNKNOWN_CRITICAL, /* critical extension not understood; value */
	LKEY_R_BAD_FIELD,	/* a signed field holds an impossible value */
	LKEY_R_WRONG_KIND,	/* not this kind of data (e.g. a licence key
				   given as a revocation list) */
	LKEY_R_AMBIGUOUS,	/* pasted text holds two different keys;
				   offset: where the second begins */
	LKEY_R_TWICE,		/* the same key twice in a row, as one */
	LKEY_R_NOT_SEALED	/* an lkey_license lkey_decode did not make,
				   or one changed since */
} lkey_reason;

/*
 * Optional detail for a rejected key: what, and where in the text. For
 * LKEY_R_BAD_CHAR, `value` is the character found there (its Unicode code
 * point, or the byte itself where the text is not UTF-8) and lkey_detail_text
 * names it. For LKEY_R_UNKNOWN_KEY and LKEY_R_BAD_SIGNATURE it is the key id
 * the key names: read before any signature verified, so never trusted.
 */
typedef struct lkey_detail {
	lkey_reason reason;
	size_t offset;		/* byte offset in the text, LKEY_R_BAD_CHAR */
	uint32_t value;		/* version, key id, extension type or
				   character */
} lkey_detail;

/*
 * The key id of the demo vendor key that comes with lkey (keys/): its secret
 * key is public, so a product must never accept it. A ring generated by
 * "lkey-keygen pubkey --c-header" that holds it compiles only where
 * LKEY_ALLOW_DEMO_KEY is defined (test builds).
 */
#define LKEY_DEMO_KEY_ID 0x277e0164U

/* A vendor public key and its id (derived from the key). */
typedef struct lkey_pubkey {
	uint32_t id;
	uint8_t pk[LKEY_PUBLICKEYBYTES];
} lkey_pubkey;

/* The signed content of a licence key. */
typedef struct lkey_license {
	uint8_t version;	/* format version, 1 or more; 0: no licence
				   (what a refused lkey_decode leaves) */
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
	lkey_day issued;	/* day of issue; = starts unless the key says */
	uint32_t grace_days;	/* 0..365: days over the seat limit allowed */
	uint32_t notice_days;	/* 0..365: warn this many days before an end */
	bool trial;		/* a trial licence (always has an expiry) */
	/* Own seat count of add-on module (feature) n; 0: none of its own. */
	uint32_t module_seats[LKEY_FEATURES_MAX];
	/* A node-locked key: valid only on the computer with this host id. */
	bool host_bound;
	uint8_t host[LKEY_HOST_ID_BYTES];
	/* Features (add-ons) that the vendor signed as running only while
	 * maintenance is active (key extension 0x88); lkey_check adds
	 * lkey_context.maintenance_features to them. */
	uint32_t maintenance_features;
	/*
	 * Set by lkey_decode over every field above: lkey_check refuses a
	 * licence that lkey_decode did not make, or one changed since
	 * (malformed, LKEY_R_NOT_SEALED). Not a secret: it catches mistakes,
	 * such as a struct filled by hand, not someone who edits memory.
	 */
	uint8_t seal[16];
} lkey_license;

/*
 * A signed revocation list (docs/FORMAT.md): the serials a vendor has
 * revoked, each with the id of the vendor key that signed the licence, and
 * a sequence number that grows with every new list. Decode it with
 * lkey_revocations_decode and give it to lkey_check in the context; a
 * listed licence is then LKEY_REVOKED. Large (about 33 KiB): keep it static.
 */
#define LKEY_REVOKED_MAX 4096U
#define LKEY_REVOCATIONS_TEXT_MAX 65536U
#define LKEY_REVOCATIONS_BYTES (16U + 16U + 8U * LKEY_REVOKED_MAX + \
	LKEY_SIGNATUREBYTES)
typedef struct lkey_revocations {
	uint32_t key_id;	/* the vendor key that signed the list */
	uint32_t sequence;	/* 1..: a newer list has a higher one */
	lkey_day issued;	/* the day the list was made */
	size_t count;		/* revoked licences, 0..LKEY_REVOKED_MAX */
	/* The authenticated list itself; read it with
	 * lkey_revocations_contains. */
	uint8_t raw[LKEY_REVOCATIONS_BYTES];
} lkey_revocations;

/*
 * The clock guard's memory (opt-in): the days of valid checks on this
 * installation and the newest revocation list seen, for one product.
 * The application keeps it in a file (lkey_state_format, lkey_state_parse),
 * gives it to lkey_check in the context, and after a valid check advances
 * it (lkey_state_update) and writes it back, atomically.
 */
typedef struct lkey_state {
	uint32_t product;
	/* The guard's mark: the latest day confirmed by two valid checks
	 * close together (lkey_state_update); 0 before that. */
	lkey_day last_seen;
	uint32_t revocation_sequence;	/* 0: no list seen yet */
	/* The day of the latest valid check, confirmed or not; 0: none. */
	lkey_day latest;
} lkey_state;

/* Checks at most this many days apart confirm each other's day. */
#define LKEY_STATE_CONFIRM_DAYS 7U

typedef enum lkey_state_result {
	LKEY_STATE_OK = 0,
	LKEY_STATE_NOT_STATE,	/* not a state file at all */
	LKEY_STATE_CORRUPT,	/* a state file, changed or damaged */
	LKEY_STATE_FOREIGN	/* the state of another product */
} lkey_state_result;

/* Longest state text lkey_state_format writes, its NUL included. */
#define LKEY_STATE_TEXT_MAX 192U

/* What the application asking knows about itself and today. */
typedef struct lkey_context {
	uint32_t product;	/* the product asking */
	lkey_day today;		/* usually lkey_day_from_unix(time(NULL)) */
	bool has_release;
	lkey_day release;	/* build date of this release */
	bool has_users;
	uint32_t users;		/* active users */
	bool admin;		/* the user asking is an administrator */
	/*
	 * The first day users were over the seat limit, as the application
	 * recorded it. Only with it does a key's grace period apply; a day
	 * after `today` counts as today.
	 */
	bool has_over_since;
	lkey_day over_since;
	/* Features (add-ons) that run only while maintenance is active, as
	 * the application compiles them in; lkey_check adds those the key
	 * carries (lkey_license.maintenance_features). */
	uint32_t maintenance_features;
	/* Bit n set: module_users[n] users are assigned module n. */
	uint32_t module_users_set;
	uint32_t module_users[LKEY_FEATURES_MAX];
	/* This computer's host id (lkey_host_id), for node-locked keys. A
	 * host-bound key is host_mismatch without one. */
	bool has_host;
	uint8_t host[LKEY_HOST_ID_BYTES];
	/* The vendor's revocation list, or NULL. With `state`, a list older
	 * than one the state has seen, or none where it has seen one, is
	 * revocations_outdated. */
	const lkey_revocations *revocations;
	/*
	 * The clock guard, or NULL for none: then the check is as of `today`
	 * and nothing more. With it, a time-limited licence is clock_rollback
	 * when `today` is more than one day before the state's mark
	 * (last_seen),
	 * before `build_day`, before the licence's issue day or before the
	 * revocation list's day. A perpetual licence is never refused for
	 * the clock; only what is time-limited in it waits for a correct
	 * clock (warning clock_behind): add-ons that need maintenance
	 * (unless it never ends) and a seat grace period.
	 */
	const lkey_state *state;
	lkey_day build_day;	/* the application's build date; 0: unknown */
} lkey_context;

/* Warnings: the licence is valid, but someone should act. Bits of
 * lkey_report.warnings; names as in the CLI's JSON. */
typedef enum lkey_warning {
	LKEY_W_TRIAL = 0,		/* "trial": a trial licence */
	LKEY_W_LICENSE_EXPIRING,	/* "license_expiring": within notice */
	LKEY_W_MAINTENANCE_EXPIRING,	/* "maintenance_expiring" */
	LKEY_W_ADDONS_UNAVAILABLE,	/* "addons_unavailable": maintenance
					   ended, its add-ons are off */
	LKEY_W_SEATS_GRACE,		/* "seats_grace": over the limit, in
					   the grace period */
	LKEY_W_CLOCK_BEHIND		/* "clock_behind": the clock is set
					   back; a perpetual licence runs, but
					   a grace period, and add-ons that
					   need maintenance unless it never
					   ends, wait for a correct clock */
} lkey_warning;

#define LKEY_WARNING_COUNT 6

/* A problem with the terms; module is a feature bit or LKEY_MODULE_NONE. */
#define LKEY_MODULE_NONE UINT32_MAX
typedef struct lkey_problem {
	lkey_status status;
	uint32_t module;
} lkey_problem;

/* At most one problem of each kind, and one per module. */
#define LKEY_PROBLEMS_MAX (LKEY_STATUS_COUNT + LKEY_FEATURES_MAX)

/*
 * Which day lkey_report.clock_behind is, that is what says that day has
 * passed: the cause of clock_rollback and of the warning clock_behind.
 */
typedef enum lkey_clock_anchor {
	LKEY_CLOCK_NOT_BEHIND = 0,
	LKEY_CLOCK_RELEASE,	/* the release's build date (ctx->release) */
	LKEY_CLOCK_LAST_SEEN,	/* a day already seen here (ctx->state) */
	LKEY_CLOCK_BUILD_DAY,	/* the application's build date */
	LKEY_CLOCK_ISSUED,	/* the licence's day of issue */
	LKEY_CLOCK_REVOCATIONS	/* the day the revocation list was made */
} lkey_clock_anchor;

/*
 * Why the features that need maintenance (ctx->maintenance_features), if
 * any, are not in lkey_report.features_available while the product runs.
 */
typedef enum lkey_addons_off {
	LKEY_ADDONS_ON = 0,		/* not held back (or the product
					   itself does not run; admin-only
					   mode runs it) */
	LKEY_ADDONS_MAINTENANCE_ENDED,	/* maintenance does not cover
					   today */
	LKEY_ADDONS_CLOCK_BEHIND	/* the clock is set back (warning
					   clock_behind) and maintenance has
					   an end */
} lkey_addons_off;

/* The outcome, with what a licence screen shows. */
typedef struct lkey_report {
	/* The first problem of the product itself (module
	 * LKEY_MODULE_NONE), or LKEY_OK: a module's problems are listed
	 * but never the verdict. */
	lkey_status status;
	int64_t remaining;		/* seats - users; 0 when unlimited */
	/* Days of each period left, counting today, or counting from the
	 * start for a licence not yet begun; LKEY_DAYS_UNLIMITED. */
	int64_t license_days_left;
	int64_t maintenance_days_left;
	bool maintenance_active;	/* maintenance has not ended (so
					   also before the start) */
	/*
	 * The causes, as lkey_check found them: an lkey_clock_anchor for
	 * clock_behind, an lkey_addons_off for features_available. A byte
	 * each, in what was padding: the struct keeps its size and every
	 * other field its place.
	 */
	uint8_t clock_anchor;
	uint8_t addons_off;
	int64_t starts_in_days;		/* days until the start; 0 once begun */
	/* Over the seat limit: the last day of grace (LKEY_NEVER if the key
	 * or the context gives none), and days of it left counting today. */
	lkey_day grace_ends;
	int64_t grace_days_left;
	/* Features that may run today: licensed, the product itself runs
	 * (admin-only mode too), maintenance active where the feature needs
	 * it (and the clock not set back, unless maintenance never ends),
	 * module not over its own seat count. */
	uint32_t features_available;
	/* Per module with its own seat count: seats - users (if given). */
	int64_t module_remaining[LKEY_FEATURES_MAX];
	uint32_t warnings;		/* bit (1U << lkey_warning) */
	/* The clock is behind a day known to have passed: that day (the
	 * latest such), else 0. */
	lkey_day clock_behind;
	size_t nproblems;		/* most severe first */
	lkey_problem problems[LKEY_PROBLEMS_MAX];
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
 * when the verdict is not LKEY_OK, so a screen can say why) with every
 * problem, most severe first (see lkey_status), and every warning; returns
 * the most severe problem of the product itself, or LKEY_OK. A module
 * (feature) over its own seats, or used (ctx->module_users_set) without
 * being licensed, is unavailable and a problem naming it (seats_exceeded,
 * after the product's own), never the verdict. A key for another product
 * has that one problem only (no warning, no feature), its figures filled
 * as for any verdict. Only a licence that lkey_decode made, unchanged, is
 * checked (lkey_license.seal); any other is LKEY_MALFORMED, with a report
 * that is zero but for that one problem and every problem's module
 * (LKEY_MODULE_NONE).
 */
LKEY_API LKEY_WUR lkey_status lkey_check(const lkey_license *lic,
    const lkey_context *ctx, lkey_report *report);

/*
 * A sentence or two for end users about one problem of `report` ("The
 * licence expired on 2027-12-31. Register a renewed licence key."), written
 * to `out` (NUL-terminated, truncated to cap). `module_name` names
 * problem->module (NULL: "module N"). Returns the length it needed.
 */
LKEY_API size_t lkey_problem_text(const lkey_problem *problem,
    const lkey_license *lic, const lkey_context *ctx,
    const lkey_report *report, const char *module_name, char *out,
    size_t cap);

/* The same for a warning of `report`. */
LKEY_API size_t lkey_warning_text(lkey_warning warning,
    const lkey_license *lic, const lkey_context *ctx,
    const lkey_report *report, char *out, size_t cap);

/* "license_expiring", ...: stable names, as in the CLI's JSON. */
LKEY_API const char *lkey_warning_name(lkey_warning warning);

/*
 * Orders two authenticated licences by issue: negative if `a` was issued
 * before `b` (earlier issue day, or the same day and a lower serial), 0 if
 * neither is older, positive otherwise.
 */
LKEY_API int lkey_license_order(const lkey_license *a, const lkey_license *b);

/*
 * This computer's host id for `product`: a hash of the machine id (the text
 * of /etc/machine-id, machine-id(5), trailing newline removed) and the
 * product, so it is stable across reboots, differs between products, and
 * does not reveal the machine id. lkey_host_id_here reads the machine id
 * and calls it; an application with an id source of its own calls it
 * directly.
 */
LKEY_API void lkey_host_id(const char *machine_id, size_t len,
    uint32_t product, uint8_t out[LKEY_HOST_ID_BYTES]);

/*
 * Decodes and authenticates a revocation list: '#' comment lines, then its
 * base64 (whitespace forgiven, otherwise canonical). LKEY_MALFORMED if it
 * is not one, LKEY_UNKNOWN_KEY if no key of the ring signed it (another
 * vendor's list), LKEY_BAD_SIGNATURE if it was altered. Zeroes `out` on
 * failure. `detail` may be NULL.
 */
LKEY_API LKEY_WUR lkey_status lkey_revocations_decode(const char *text,
    size_t len, const lkey_pubkey *keys, size_t nkeys,
    lkey_revocations *out, lkey_detail *detail);

/* Whether the list revokes licence `serial` signed by vendor key `key_id`. */
LKEY_API bool lkey_revocations_contains(const lkey_revocations *list,
    uint32_t key_id, uint32_t serial);

/* A new state for `product`: no day seen, no list seen. */
LKEY_API void lkey_state_init(lkey_state *state, uint32_t product);

/*
 * Reads the text of a state file written by lkey_state_format. It must be
 * exactly what lkey_state_format would write for the values it holds (its
 * check included): anything else is LKEY_STATE_CORRUPT (or
 * LKEY_STATE_NOT_STATE if it is no state file at all), never a reset; a
 * state of another product is LKEY_STATE_FOREIGN. A file of version 1
 * (liblkey 1) is read too: its last day seen is the mark and the latest
 * day. Zeroes `out` unless OK.
 */
LKEY_API LKEY_WUR lkey_state_result lkey_state_parse(const char *text,
    size_t len, uint32_t product, lkey_state *out);

/* The text of a state file (version 2), NUL-terminated; its length, 0 if
 * cap is too small (LKEY_STATE_TEXT_MAX always suffices). */
LKEY_API size_t lkey_state_format(const lkey_state *state, char *out,
    size_t cap);

/*
 * After a check with ctx->state == state that gave `verdict`: moves the
 * sequence up to that of ctx->revocations (an authenticated list counts
 * whatever the verdict, so that a list that revoked this very key cannot be
 * replaced by an older one), and, only if the verdict is LKEY_OK, the days:
 * when ctx->today is no earlier than `latest` and at most
 * LKEY_STATE_CONFIRM_DAYS after it, the two checks confirm today, and
 * last_seen moves up to it (never back); then `latest` is today, earlier
 * or later. A single check with the clock far ahead so moves only
 * `latest`, which the next correct check replaces. Returns whether
 * anything changed (whether to write the file).
 */
LKEY_API bool lkey_state_update(lkey_state *state, const lkey_context *ctx,
    lkey_status verdict);

/*
 * Whether a revocation list is older than one the state has seen: such a
 * list must be refused (someone put back an old list), not used.
 */
LKEY_API bool lkey_state_list_is_old(const lkey_state *state,
    const lkey_revocations *list);

/*
 * Pasted text: finds the one key in text copied from an e-mail or a
 * document. Forgiven around and inside the key: a UTF-8 byte-order mark,
 * '>' quote marks at line starts, lines of prose before it (a greeting) and
 * a "-- " signature with everything after it, quotation marks around it
 * (with the full stop or comma after them), no-break and zero-width
 * spaces, line breaks, carriage returns and ASCII whitespace anywhere. The
 * key itself must still be the canonical base64 of a key. Writes the key's
 * characters, and nothing else, to `out` (NUL-terminated; cap at least
 * LKEY_TEXT_MAX + 1 always suffices) and their length to *out_len. If
 * `where` is not NULL, where[i] is the byte offset in `text` of out[i]
 * (room for cap entries). LKEY_MALFORMED with `detail` if no key can be
 * told apart: a stray character (LKEY_R_BAD_CHAR: offset and character),
 * two different keys (LKEY_R_AMBIGUOUS), the same key twice in a row
 * (LKEY_R_TWICE), nothing (LKEY_R_EMPTY), too much (LKEY_R_TOO_LONG).
 * The same key in two separate places is that key. `detail` may be NULL.
 */
LKEY_API LKEY_WUR lkey_status lkey_key_find(const char *text, size_t len,
    char *out, size_t cap, size_t *out_len, size_t *where,
    lkey_detail *detail);

/*
 * One line for a person about a refused text: what is wrong, where (as a
 * character position, counted from 1, in `text`), and what to do. For a
 * stray character it names it as a person sees it ("U+00A0 NO-BREAK
 * SPACE", "'-'"). `text` is the text the detail is about (may be NULL).
 * Written to `out`, NUL-terminated, truncated to cap; returns the length it
 * needed.
 */
LKEY_API size_t lkey_detail_text(const lkey_detail *detail, const char *text,
    size_t len, char *out, size_t cap);

/*
 * The common case in one call: initialises the library (lkey_init), finds
 * the key in pasted `text` (lkey_key_find), decodes it (lkey_decode) and
 * checks it for `ctx` (lkey_check). Returns the verdict; `lic` holds the
 * licence when it decoded (its version is then non-zero) and `report` the
 * check (zeroed, with its status as its one problem, when the key did not
 * decode). `detail` may be NULL; its offset is in `text` as given.
 */
LKEY_API LKEY_WUR lkey_status lkey_verify(const char *text, size_t len,
    const lkey_pubkey *keys, size_t nkeys, const lkey_context *ctx,
    lkey_license *lic, lkey_report *report, lkey_detail *detail);

/*
 * Typo location (opt-in, about a second of work at most): for a key text
 * that does not verify (bad_signature, or malformed only by its length or
 * padding), tries every change of one character: each substitution by
 * another base64 character, each deletion, each insertion and each swap of
 * two neighbours. When exactly one candidate decodes and verifies, fills
 * `out` and returns true; otherwise (none, or two or more) zeroes `out` and
 * returns false. The corrected key is for the user to confirm: never use it
 * silently. ASCII whitespace is dropped as lkey_decode drops it; a text that
 * decodes already, or that holds a character outside printable ASCII, gives
 * false. Uses some 12 KiB of stack.
 */
typedef enum lkey_typo {
	LKEY_TYPO_NONE = 0,
	LKEY_TYPO_SUBSTITUTED,	/* typed is one character, expected another */
	LKEY_TYPO_DELETED,	/* a character is missing: typed is "" */
	LKEY_TYPO_INSERTED,	/* a character is extra: expected is "" */
	LKEY_TYPO_SWAPPED	/* two neighbours swapped: both are 2 long */
} lkey_typo;

typedef struct lkey_suggestion {
	lkey_typo kind;
	size_t offset;		/* 0-based character position in the text as
				   given (a missing character: where it goes) */
	char typed[3];		/* what the text has there, NUL-terminated */
	char expected[3];	/* what the key has there, NUL-terminated */
	size_t key_len;
	char key[LKEY_KEY_TEXT_MAX + 1];	/* the corrected key, canonical */
} lkey_suggestion;

LKEY_API LKEY_WUR bool lkey_suggest(const char *text, size_t len,
    const lkey_pubkey *keys, size_t nkeys, lkey_suggestion *out);

/*
 * The licence store: a directory that holds, for one product, the
 * registered keys (the one in force, those registered ahead and a bounded
 * history), the clock guard's state and the revocation list. Its files are
 * each replaced atomically: a crash at any moment leaves the store as it
 * was before or after the call, whole. Only the store does file I/O in
 * liblkey (one platform file). A damaged store is its own result, never
 * reset. Layout and rules: docs/STORE.md.
 */
#define LKEY_STORE_KEYS_MAX 16U

typedef enum lkey_store_result {
	LKEY_STORE_OK = 0,
	LKEY_STORE_EMPTY,	/* evaluate: no key is registered */
	LKEY_STORE_REFUSED,	/* register or install: refused, nothing
				   changed; lkey_store.message says why */
	LKEY_STORE_DAMAGED,	/* a file of the store is damaged or of
				   another product; nothing was changed */
	LKEY_STORE_IO		/* the directory or a file cannot be read
				   or written; nothing was changed */
} lkey_store_result;

/* What a registration did with the key. */
typedef enum lkey_registered {
	LKEY_REG_NONE = 0,	/* no registration, or refused */
	LKEY_REG_IN_FORCE,	/* registered and in force today */
	LKEY_REG_PENDING,	/* registered; takes over on its start day */
	LKEY_REG_ALREADY,	/* the store held this key already */
	LKEY_REG_HISTORY	/* registered (forced), but another key is in
				   force */
} lkey_registered;

/* lkey_store_register flags. */
#define LKEY_STORE_FORCE 1U	/* register a key that gives less than the
				   one in force */

typedef struct lkey_store_pending {
	uint32_t serial;
	lkey_day starts;
} lkey_store_pending;

/*
 * One store call's workspace and outcome; large (about 105 KiB): keep it
 * static, and do not copy it (its ctx points into it). Read its fields
 * after a call.
 */
typedef struct lkey_store {
	/* The outcome of the licence in force today (or, with none in force,
	 * of the pending key that starts first): as lkey_verify gives it. */
	lkey_status status;
	bool has_license;
	bool in_force;		/* license is in force today */
	lkey_license license;
	lkey_context ctx;	/* the caller's, with the store's state,
				   revocation list and host id */
	lkey_report report;
	size_t npending;	/* keys registered ahead, earliest first */
	lkey_store_pending pending[LKEY_STORE_KEYS_MAX];
	size_t history;		/* keys the store holds, all kinds */
	/* Registration: what it did, and a key dropped to keep the history
	 * bounded (the oldest superseded one). */
	lkey_registered registered;
	bool dropped;
	uint32_t dropped_serial;
	/* A registration's key that was refused: why (its own verdict). */
	lkey_status key_status;
	lkey_detail key_detail;
	/* Refused only for giving less than the licence in force, or for
	 * never being used: LKEY_STORE_FORCE would register it. */
	bool forcible;
	/* One line for a person when the result is not LKEY_STORE_OK (what,
	 * which file, what to do), and for LKEY_STORE_OK after a
	 * registration (what it did). */
	char message[512];
	/* Workspace. */
	lkey_state state;
	lkey_revocations revocations;
	/* A file of the store as read: the largest is the revocation list
	 * (licence.keys holds at most LKEY_STORE_KEYS_MAX keys, a line each,
	 * under a line of comment). */
	char text[LKEY_REVOCATIONS_TEXT_MAX + 1U];
	lkey_license keys[LKEY_STORE_KEYS_MAX + 1U];
} lkey_store;

/*
 * Evaluates the store in `dir` for `ctx` (ctx->state and ctx->revocations
 * are the store's own; for a node-locked key without ctx->has_host the
 * store reads this computer's host id, lkey_host_id_here): picks the licence in force today among the
 * registered keys, checks it, and records a valid check in the clock
 * guard's state. The licence in force is, among the keys that have
 * started, the newest (lkey_license_order) whose licence period covers
 * today, else the newest that has started. A key registered ahead takes
 * over on its start day, and while it waits the report carries no warning
 * that the period it continues is ending. The verdict is in st->status;
 * the result says whether the store could be used. Like every store call,
 * it initialises the library itself (lkey_init).
 */
LKEY_API LKEY_WUR lkey_store_result lkey_store_evaluate(lkey_store *st,
    const char *dir, const lkey_pubkey *keys, size_t nkeys,
    const lkey_context *ctx);

/*
 * Registers a key from pasted `text` (lkey_key_find), then evaluates as
 * lkey_store_evaluate. The key must decode, be for ctx->product, not be
 * revoked, bound to another computer or expired; a key that starts after
 * today is kept as pending; one that gives less than the key in force
 * (fewer seats or features, a lower edition, an earlier end) is refused
 * unless `flags` has LKEY_STORE_FORCE. Refused: LKEY_STORE_REFUSED and the
 * store unchanged (st->forcible says whether LKEY_STORE_FORCE would have
 * registered it). `dir` is created if missing (mode 0700).
 */
LKEY_API LKEY_WUR lkey_store_result lkey_store_register(lkey_store *st,
    const char *dir, const char *text, size_t len, const lkey_pubkey *keys,
    size_t nkeys, const lkey_context *ctx, unsigned flags);

/*
 * Installs a revocation list in the store: it must authenticate with the
 * ring and not be older (lower sequence) than the list the store holds or
 * its state has seen; refused otherwise (LKEY_STORE_REFUSED).
 */
LKEY_API LKEY_WUR lkey_store_result lkey_store_install_revocations(
    lkey_store *st, const char *dir, const char *text, size_t len,
    const lkey_pubkey *keys, size_t nkeys, uint32_t product);

/* "empty", "refused", ...: stable names. */
LKEY_API const char *lkey_store_result_name(lkey_store_result result);

/*
 * This computer's host id for `product` (lkey_host_id of its machine id),
 * read the way the licence store reads it: on Linux /etc/machine-id, else
 * /var/lib/dbus/machine-id; on Windows MachineGuid; on macOS the
 * IOPlatformUUID; on FreeBSD kern.hostuuid. 0, or -1 with the reason in
 * `why` (NUL-terminated, cut to whycap): never a made-up id. Part of the
 * store's platform file, liblkey's only I/O.
 */
LKEY_API LKEY_WUR int lkey_host_id_here(uint32_t product,
    uint8_t out[LKEY_HOST_ID_BYTES], char *why, size_t whycap);

/* "valid", "expired", ...: stable names, as in the CLI's JSON. */
LKEY_API const char *lkey_status_name(lkey_status status);
/* One sentence for end users: what happened and what to do. */
LKEY_API const char *lkey_status_message(lkey_status status);
/*
 * The same, told by the detail of a refused key where it knows better: a
 * text with no key in it (LKEY_MALFORMED, LKEY_R_EMPTY) has a sentence of
 * its own. `detail` may be NULL: then it is lkey_status_message(status).
 */
LKEY_API const char *lkey_verdict_message(lkey_status status,
    const lkey_detail *detail);
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

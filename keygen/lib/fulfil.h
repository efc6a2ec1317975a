/*
 * fulfil.h - issuing keys for a fulfilment system: one order recorded in
 * the issuance ledger before its key is printed, and many keys signed at
 * once on several threads (internal to lkey-keygen)
 */
#ifndef LKEY_FULFIL_H
#define LKEY_FULFIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledger.h"
#include "lkey_vendor.h"

/* Threads fulfil_each runs on, at most. */
#define FULFIL_JOBS_MAX 64

/*
 * Terms that take a default when an order does not give them (starts and
 * issued: today; serial: the ledger's next): an order that was issued
 * before has the same terms only in those it gives (fulfil_differs).
 */
#define FULFIL_GIVEN_STARTS 0x1U
#define FULFIL_GIVEN_ISSUED 0x2U
#define FULFIL_GIVEN_SERIAL 0x4U

/*
 * The key an order id holds in the ledger: the last one recorded for it
 * that no later key replaces. found false when the ledger has none.
 */
typedef struct fulfil_prior {
	bool found;
	bool replaced;			/* so is this one: every key of the
					   order is replaced */
	bool revoked;
	uint32_t revoked_sequence;
	int64_t time;			/* recorded at, Unix seconds */
	lkey_license lic;		/* as recorded */
	char key[LKEY_B64_TEXT_MAX];	/* its text */
} fulfil_prior;

/* Looks `order` up (ledger_find); 0, or -1 with err. */
int fulfil_prior_find(ledger *lg, const char *order, fulfil_prior *p,
    char *err, size_t errcap);

/*
 * Outside a transaction, read only: the start day of the key the ledger
 * holds for `order` (fulfil_prior_find), in *starts; *found false when it
 * holds none. An order retried after its licence ended (a trial) has
 * terms that today's defaults make impossible (starts today, past its
 * expiry): with its start and issue days defaulting to this day instead,
 * they are the recorded terms again, and fulfil_check, in the
 * transaction, decides as for any order. 0, or -1 with err.
 */
int fulfil_recorded_starts(ledger *lg, const char *order, bool *found,
    lkey_day *starts, char *err, size_t errcap);

/*
 * Whether the terms `t` of an order differ from the recorded `rec`, in a
 * term the order gives (`given`: FULFIL_GIVEN_* of the terms given among
 * those that have a default; every other term is compared). If so, why
 * names the first that differs both ways: "seats: recorded 25, given 30".
 * The key id is not a term: an order signed by an earlier key is the same.
 */
bool fulfil_differs(const lkey_license *t, unsigned given,
    const lkey_license *rec, char *why, size_t cap);

/* The licence a new key replaces, recorded with it; none when !any. */
typedef struct fulfil_replaces {
	bool any;
	uint32_t key_id, serial;
} fulfil_replaces;

/*
 * In a transaction: what to do with order `order` (not NULL), whose terms
 * are t (given as above). Returns 0 with *recorded true and text, t and
 * *prior filled when the ledger holds its key with the same terms; 0 with
 * *recorded false when a new key is to be issued (rep says what it
 * replaces); -1 with err when the order is refused ("order A-17 was issued
 * before (serial 1003) with other terms, seats: recorded 25, given 30:
 * --reissue issues a new key for it") or the ledger fails.
 */
int fulfil_check(ledger *lg, const char *order, lkey_license *t,
    unsigned given, bool reissue, bool *recorded, fulfil_prior *prior,
    fulfil_replaces *rep, char *text, char *err, size_t errcap);

/*
 * Issues one key for `t` into text (LKEY_B64_TEXT_MAX bytes). With a ledger,
 * in one transaction: the order, if any, is checked first (fulfil_check:
 * an order issued before with the same terms gives back its recorded key,
 * *prior filled and *recorded true); then the serial is allocated when
 * `serial_auto`, a serial the ledger already holds is refused, and the key
 * is recorded and committed before returning, so a key the caller prints is
 * always in the ledger. `order` may be NULL; prior may be NULL without an
 * order. Returns 0, or -1 with one line in err.
 */
int fulfil_one(const lkey_vendor_key *key, ledger *lg, lkey_license *t,
    bool serial_auto, const char *order, unsigned given, bool reissue,
    bool *recorded, fulfil_prior *prior, char *text, char *err,
    size_t errcap);

/*
 * Whether err, from a failed ledger_commit, leaves it unknown whether the
 * transaction was recorded: the connection to a PostgreSQL server was
 * lost during the COMMIT itself (db.h, DB_COMMIT_LOST). A command then
 * says to look its keys up before issuing them again, never that nothing
 * was issued.
 */
bool fulfil_commit_lost(const char *err);

/*
 * Calls fn(arg, i) for every i below n, on `jobs` threads (at most
 * FULFIL_JOBS_MAX): the calling one and jobs - 1 more. The i are
 * interleaved, so each thread gets an equal share; if a thread cannot be
 * started, the calling one does its share. Returns when all are done. fn
 * must be safe to run on several i at once: lkey_issue is.
 */
void fulfil_each(size_t n, unsigned jobs, void (*fn)(void *arg, size_t i),
    void *arg);

/* Threads for fulfil_each by default: one per processor online. */
unsigned fulfil_jobs(void);

#endif

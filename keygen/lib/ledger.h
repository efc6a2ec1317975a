/*
 * ledger.h - the issuance ledger: every licence key the vendor issues,
 * recorded and committed before it is printed, every revocation list
 * signed, and the serials they use (internal, vendor side only)
 *
 * The ledger is a database (db.h): an SQLite file, by default
 * ledger.sqlite beside the secret key, or a PostgreSQL database shared by
 * several fulfilment machines. The schema and its migrations are in
 * docs/LEDGER.md; ledger_open creates or migrates it.
 *
 * Writers work in transactions (ledger_begin .. ledger_commit), and one
 * writer at a time holds the ledger: the first thing a transaction does is
 * take the row of the serial allocator, so two processes, on one machine
 * or on several, never hand out one serial, and an order looked up in a
 * transaction cannot be issued by another process before it commits.
 *
 * A licence is (key id, serial): unique in the ledger. Serials are also
 * kept unique across key ids when the ledger chooses them or a command
 * gives one explicitly (ledger_serial_taken), so that `--serial N` names
 * one licence; a ledger imported from several keys' ledgers may hold one
 * serial under two key ids, and lookups by serial then find both.
 *
 * Functions that can fail return 0 (the finders: a count) or -1 with one
 * line in err naming the ledger; err may be NULL.
 */
#ifndef LKEY_LEDGER_H
#define LKEY_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lkey.h"
#include "lkey_vendor.h"

/* The ledger beside the secret key when --ledger is not given. */
#define LEDGER_DEFAULT_NAME "ledger.sqlite"
/* The JSON-lines ledger of lkey 1 and 2, which `ledger import` reads. */
#define LEDGER_JSONL_NAME "ledger.jsonl"
/* Longest order id, in bytes. */
#define LEDGER_ORDER_MAX 128U
/* Longest line of a JSON-lines ledger, '\n' included. */
#define LEDGER_LINE_MAX 8192U

typedef struct ledger ledger;	/* opaque */

/*
 * One issued key. lic holds every term as recorded (version, key_id and
 * serial too; the version recorded is the one the key's text carries);
 * it is not sealed (lkey_check would refuse it), it is for comparing and
 * reissuing. Strings are NUL-terminated; in a record a
 * finder delivers they are valid during the call only.
 */
typedef struct ledger_rec {
	int64_t id;		/* the row, in the order recorded; 0 before */
	int64_t time;		/* recorded at, Unix seconds (UTC) */
	const char *order;	/* order id, or NULL */
	const char *key;	/* the key's text */
	lkey_license lic;
	bool replaces;		/* it replaces another licence: */
	uint32_t replaces_key_id, replaces_serial;
	/* Filled by finders only: */
	bool revoked;		/* in a revocation list the ledger recorded */
	uint32_t revoked_sequence;	/* the first list that holds it */
	bool replaced;		/* a later key of the ledger replaces it */
} ledger_rec;

/*
 * Opens the ledger `where` (a path, or a PostgreSQL URI; see db_open),
 * creating an SQLite file with `create`, and creates the schema in an empty
 * database or migrates an older one (docs/LEDGER.md), in one transaction.
 * A file that is a JSON-lines ledger is refused with the command that
 * imports it; so is a database whose schema is newer than this program's.
 */
int ledger_open(const char *where, bool create, ledger **out, char *err,
    size_t errcap);

/* Closes the ledger (rolling back a transaction left open); l may be NULL.
 * ledger_rollback without a transaction open does nothing. */
void ledger_close(ledger *l);

/* The ledger as messages name it (db_name). */
const char *ledger_name(const ledger *l);

/*
 * A write transaction, holding the ledger against every other writer
 * until ledger_commit or ledger_rollback (waiting for it up to 30 s, then
 * failing). ledger_commit returns 0 once everything written is durable;
 * on failure nothing of the transaction is recorded.
 */
int ledger_begin(ledger *l, char *err, size_t errcap);
int ledger_commit(ledger *l, char *err, size_t errcap);
void ledger_rollback(ledger *l);

/*
 * In a transaction: the next serial for the ledger to choose. The ledger
 * keeps the next serial to try; it skips every serial recorded (under any
 * key id) and every one this transaction was given, and after 4294967295
 * goes on from 1, so it runs out only when no serial is free (an error).
 * Serial 0 is never chosen.
 */
int ledger_next_serial(ledger *l, uint32_t *serial, char *err,
    size_t errcap);

/* Whether the ledger records `serial` under any key id (*taken). */
int ledger_serial_taken(ledger *l, uint32_t serial, bool *taken, char *err,
    size_t errcap);

/*
 * In a transaction: records the n keys of r (their id, revoked, replaced
 * members are ignored). Refuses them all, with nothing recorded, if one is
 * refused: a (key id, serial) the ledger holds or that appears twice among
 * the n, an order id over LEDGER_ORDER_MAX bytes or holding a control
 * character, text that is not UTF-8, an empty key, a time before 1970 or
 * after 9999. The records are committed with the transaction.
 */
int ledger_insert(ledger *l, const ledger_rec *r, size_t n, char *err,
    size_t errcap);

/* What ledger_find looks for: every member set must match (all: none set). */
typedef struct ledger_query {
	const char *order;		/* this order id, exactly */
	bool has_serial;
	uint32_t serial;
	bool has_key_id;
	uint32_t key_id;
	const char *licensee;		/* a substring, ASCII case ignored */
	bool has_ends;			/* the licence or maintenance period */
	lkey_day ends_after, ends_before;	/* ends in this range, both
						   days included */
	bool revoked;			/* revoked ones only */
	bool current;			/* neither revoked nor replaced */
} ledger_query;

/*
 * Calls fn for every key that matches q, in the order recorded. A non-zero
 * return of fn stops there. Returns the number of keys delivered, or -1
 * (fn's non-zero return too, with err untouched).
 */
long ledger_find(ledger *l, const ledger_query *q,
    int (*fn)(void *arg, const ledger_rec *r), void *arg, char *err,
    size_t errcap);

/* A revoked licence, and the first list that revoked it. */
typedef struct ledger_revocation {
	uint32_t key_id, serial;
	uint32_t sequence;
	int64_t time;		/* when that list was recorded */
	bool issued;		/* the ledger records the licence */
} ledger_revocation;

/* The last revocation list recorded: its sequence, or 0 if none. */
int ledger_last_list(ledger *l, uint32_t *sequence, char *err,
    size_t errcap);

/*
 * Every licence revoked so far, by key id then serial. Returns the count,
 * or -1 (fn's non-zero return too).
 */
long ledger_revocations(ledger *l,
    int (*fn)(void *arg, const ledger_revocation *r), void *arg, char *err,
    size_t errcap);

/*
 * In a transaction: records revocation list `sequence`, signed by key
 * `key_id` on day `issued`, with its text, holding the n licences of
 * `list` (those already revoked keep the list that first revoked them).
 * Refuses a sequence at or below the last one recorded.
 */
int ledger_record_list(ledger *l, uint32_t sequence, uint32_t key_id,
    lkey_day issued, const lkey_revoked *list, size_t n, const char *text,
    int64_t time, char *err, size_t errcap);

/*
 * The text of recorded revocation list `sequence` (as signed and printed)
 * into text (cap bytes, LKEY_REVOCATIONS_TEXT_CAP always enough), and the
 * key id that signed it. *found false when the ledger has no such list.
 */
int ledger_list_text(ledger *l, uint32_t sequence, bool *found,
    uint32_t *key_id, char *text, size_t cap, char *err, size_t errcap);

/*
 * Reads a ledger of JSON lines from `in` (named `name` in messages): what
 * `ledger export --format jsonl` and `ledger --json` write, or the ledger
 * of lkey 1 and 2, each line's format told by its names (ledger_line.h;
 * of an export, "revoked" and "replaced" are checked but not imported),
 * checks every line, and records its keys in one transaction of its own:
 * all or nothing. Each key's signature is checked with the public keys of
 * `keys` (lkey_decode): a key signed by none of them, or altered, refuses
 * the import, since a reissue signs a recorded key's terms again and an
 * order's retry hands its recorded key out. A key the ledger already holds with exactly the same
 * record is left as it is (*same), so importing twice changes nothing; one
 * that clashes (same key id and serial, anything else different) refuses
 * the import, naming the line. *added: the keys recorded.
 */
int ledger_import(ledger *l, FILE *in, const char *name,
    const lkey_pubkey *keys, size_t nkeys, unsigned long *added,
    unsigned long *same, char *err, size_t errcap);

#endif

/*
 * ledger_int.h - what the files of the ledger share: the handle, the
 * columns of a key's row, the statements of lookups (internal to
 * keygen/lib/ledger*.c; the interface is ledger.h)
 */
#ifndef LKEY_LEDGER_INT_H
#define LKEY_LEDGER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "ledger.h"

/* The schema this program writes (docs/LEDGER.md). */
#define LEDGER_SCHEMA_VERSION 1

/* "9999-12-31T23:59:59Z": the last time recorded. */
#define LEDGER_TIME_MAX INT64_C(253402300799)
/* "YYYY-MM-DDTHH:MM:SSZ" and its NUL, with room the compiler can see. */
#define LEDGER_TIME_CAP 32U
/* "31=16777214," at most 32 times. */
#define LEDGER_MODULES_CAP 512U
/* The decimal text of an integer column, its NUL included. */
#define LEDGER_NUM_CAP 24U

/*
 * The columns of a key's row after its id, in this order: what
 * ledger_insert writes and every lookup reads (the row id first, then
 * these, then the first list revoking it and whether a key replaces it).
 */
#define LEDGER_KEY_COLUMNS "recorded_at, key_id, serial, order_id, " \
	"product, edition, seats, starts, expires, maintenance, issued, " \
	"features, maintenance_features, module_seats, licensee, host, " \
	"trial, grace_days, notice_days, version, key_text, " \
	"replaces_key_id, replaces_serial"
#define LEDGER_KEY_NCOL 23U

/* The columns of a record as text, NULL for SQL NULL. */
struct ledger_rec_text {
	const char *p[LEDGER_KEY_NCOL];
	char time[LEDGER_TIME_CAP];
	char num[14][LEDGER_NUM_CAP];
	char day[4][11];
	char modules[LEDGER_MODULES_CAP];
	char host[2U * LKEY_HOST_ID_BYTES + 1U];
};

/* The columns of r (which outlives t) as text (ledger_rec.c). */
void ledger_rec_text_of(const ledger_rec *r, struct ledger_rec_text *t);

/*
 * A row of LEDGER_KEY_COLUMNS (val[0] the first of them) into r, whose
 * strings then point into val; false if a column is not what the ledger
 * writes (ledger_rec.c).
 */
bool ledger_rec_from_row(const char *const *val, ledger_rec *r);

/* The shapes of ledger_find: which lookup its statement is built on. */
enum ledger_shape {
	SHAPE_ORDER, SHAPE_SERIAL, SHAPE_KEY_ID, SHAPE_LICENSEE_INDEX,
	SHAPE_ENDS, SHAPE_REVOKED, SHAPE_ALL, SHAPE_COUNT
};

/* Longest statement of a lookup. */
#define LEDGER_FIND_SQL_CAP 2048U

struct ledger {
	db *d;
	bool in_tx;
	/* Serial allocation in the open transaction: */
	bool have_next;		/* next was read this transaction */
	uint32_t next;		/* the next serial to try */
	uint32_t first;		/* where this transaction started */
	bool wrapped;		/* next went past 4294967295 to 1 */
	bool next_moved;	/* next differs from meta.next_serial: written
				 * there by ledger_commit */
	/* Every serial from next up to free_end (excluded) is free: neither
	 * recorded when it was looked up nor recorded by this transaction
	 * since (ledger_insert lowers it), so ledger_next_serial hands
	 * them out without asking the database. */
	bool have_free;
	uint64_t free_end;
	/* The statements of ledger_find for this engine, one per shape
	 * (their addresses key db's cache of prepared statements). */
	char find_sql[SHAPE_COUNT][LEDGER_FIND_SQL_CAP];
};

/* "2026-11-23T11:22:53Z" of a Unix time (ledger.c). */
void ledger_time_text(int64_t t, char out[LEDGER_TIME_CAP]);
/* The Unix time of that text; false if it is not exactly one. */
bool ledger_time_parse(const char *s, int64_t *out);

/* "2=5,3=10": module (feature bit) = its own seat count (ledger_rec.c). */
void ledger_module_text(const lkey_license *lic,
    char out[LEDGER_MODULES_CAP]);
/* That text into lic->module_seats; false if it is not one. */
bool ledger_module_parse(const char *s, size_t len, lkey_license *lic);

/* Builds l->find_sql for l's engine (ledger_find.c). */
void ledger_find_prepare(ledger *l);

/*
 * The record of r already in the ledger under r's key id and serial into
 * *found (false if none), compared with r: *same when every term, the
 * order id, the key text and the link to a replaced key are the same
 * (ledger_rec.c; import uses it).
 */
int ledger_rec_compare(ledger *l, const ledger_rec *r, bool *found,
    bool *same, char *err, size_t errcap);

/* Moves the allocator's cursor (an import above the serials it holds;
 * ledger.c): stored by ledger_commit. */
void ledger_set_next(ledger *l, uint32_t next);

/* Why r cannot be recorded, in err, or 0 (ledger_rec.c). */
int ledger_rec_refused(const ledger_rec *r, char *err, size_t errcap);

#endif

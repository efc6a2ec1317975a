/*
 * ledgerq.h - what a ledger file holds, for tests: the keys a query
 * matches, counted, the last one kept (test code only)
 */
#ifndef LKEY_TEST_LEDGERQ_H
#define LKEY_TEST_LEDGERQ_H

#include <stdint.h>

#include "ledger.h"
#include "lkey.h"

/* The last key a query matched; its strings copied, the record's not. */
struct ledger_found {
	long n;
	ledger_rec last;		/* strings not kept */
	char order[LEDGER_ORDER_MAX + 1];
	char key[LKEY_B64_TEXT_MAX];
};

/*
 * The keys of the ledger at path that q matches (all: q NULL), counted;
 * the last one in *f if f is not NULL. Any error fails the test.
 */
long ledger_match(const char *path, const ledger_query *q,
    struct ledger_found *f);

/* Every key of the ledger at path. */
long ledger_rows(const char *path);

/* The keys of order id; the last in *f. */
long ledger_order(const char *path, const char *id, struct ledger_found *f);

/* The keys with this serial; the last in *f. */
long ledger_serial(const char *path, uint32_t serial,
    struct ledger_found *f);

#endif

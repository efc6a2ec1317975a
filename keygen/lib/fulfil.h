/*
 * fulfil.h - issuing keys for a fulfilment system: one order recorded in
 * the issuance ledger before its key is printed, and many keys signed at
 * once on several threads (internal to lkey-keygen)
 */
#ifndef LKEY_FULFIL_H
#define LKEY_FULFIL_H

#include <stdbool.h>
#include <stddef.h>

#include "ledger.h"
#include "lkey_vendor.h"

/* Threads fulfil_each runs on, at most. */
#define FULFIL_JOBS_MAX 64

/*
 * Issues one key for `t` into text (LKEY_B64_TEXT_MAX bytes). With a ledger:
 * under its lock, allocates the serial when `serial_auto`, refuses a serial
 * the ledger already holds, and appends the entry (synced) before returning,
 * so a key the caller prints is always in the ledger. `order` may be NULL.
 * Returns 0, or -1 with one line in err.
 */
int fulfil_one(const lkey_vendor_key *key, ledger *lg, lkey_license *t,
    bool serial_auto, const char *order, char *text, char *err,
    size_t errcap);

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

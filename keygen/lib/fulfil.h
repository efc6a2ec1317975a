/*
 * fulfil.h - issuing keys for a fulfillment system: one key or a stream of
 * orders, each recorded in the issuance ledger before it is printed
 * (internal to lkey-keygen)
 */
#ifndef LKEY_FULFIL_H
#define LKEY_FULFIL_H

#include <stdbool.h>
#include <stddef.h>

#include "ledger.h"
#include "lkey_vendor.h"

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

#endif

/*
 * register.h - lkey-verify --install: a valid key registered in a licence
 * file, as a product's "Register licence" button does (internal to
 * lkey-verify)
 */
#ifndef LKEY_REGISTER_H
#define LKEY_REGISTER_H

#include <stdbool.h>
#include <stddef.h>

#include "lkey.h"
#include "verdict.h"

/*
 * Registers the key `text` (len bytes, as lkey_key_find gives it: base64
 * alone), valid in v, in v->install: the stored key is kept if it is newer
 * (issued later, or the same day with a higher serial) or if it is not a
 * key this program can authenticate with keys, unless `force`. Sets v->installed and v->already. Returns 0, or
 * EXIT_KEPT or EXIT_TROUBLE with the line for standard error in msg.
 */
int register_key(verdict *v, const char *text, size_t len,
    const lkey_pubkey *keys, size_t nkeys, bool force, char *msg,
    size_t cap);

#endif

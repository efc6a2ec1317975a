/*
 * revlist.h - the vendor's revocation list of lkey-verify --revocations
 * (internal to lkey-verify)
 */
#ifndef LKEY_REVLIST_H
#define LKEY_REVLIST_H

#include <stddef.h>

#include "lkey.h"
#include "stop.h"

/*
 * The text of --revocations FILE into text (cap bytes; a longer file gives
 * *len = cap, which lkey_revocations_decode refuses): 0, or the exit
 * status with its message in s (no path: 2; cannot be read: 1).
 */
int revlist_read(const char *path, char *text, size_t cap, size_t *len,
    stop *s);

/*
 * --revocations FILE, authenticated against the ring into list. Returns
 * 0, or the exit status with its message in s: 1 when the file cannot be
 * read, 4 when it is refused (not a list, another vendor's, altered).
 */
int revlist_load(const char *path, const lkey_pubkey *ring, size_t nring,
    lkey_revocations *list, stop *s);

#endif

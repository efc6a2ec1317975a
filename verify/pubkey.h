/* pubkey.h - public key files and key ids (internal) */
#ifndef LKEY_PUBKEY_H
#define LKEY_PUBKEY_H

#include <stddef.h>

#include "lkey.h"

/* The blob in a public key file: magic, key id, key. */
#define PUBKEY_MAGIC "lkP1"
#define PUBKEY_BLOB_BYTES (4U + 4U + LKEY_PUBLICKEYBYTES)

/* Bound on a public key file's size. */
#define PUBKEY_FILE_MAX 4096U

/*
 * The text of a public key file for `pub`: a comment line naming the key id,
 * then one base64 line. Returns its length, or 0 if cap is too small (256 is
 * always enough).
 */
size_t lkey_pubkey_file_format(const lkey_pubkey *pub, char *out, size_t cap);

#endif

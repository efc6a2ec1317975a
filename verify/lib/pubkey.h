/* pubkey.h - public key files (internal to liblkey and the vendor library) */
#ifndef LKEY_PUBKEY_H
#define LKEY_PUBKEY_H

#include <stddef.h>
#include <stdint.h>

#include "lkey.h"

/* The blob in a public key file: magic, key id, key. */
#define PUBKEY_MAGIC "lkP1"
#define PUBKEY_BLOB_BYTES (4U + 4U + LKEY_PUBLICKEYBYTES)

/* Bound on a public key file's size. */
#define PUBKEY_FILE_MAX 4096U

#endif

/* pubfile.h - writing public key files (internal) */
#ifndef LKEY_PUBFILE_H
#define LKEY_PUBFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lkey.h"

/*
 * The text of a public key file for `pub`: a comment line naming the key id,
 * then one base64 line. Returns its length, or 0 if cap is too small (256 is
 * always enough).
 */
size_t pubkey_file_format(const lkey_pubkey *pub, char *out, size_t cap);

/*
 * Whether pk is a public key a vendor may hand out: the canonical encoding
 * of a point on the curve, in its main subgroup, not of small order. The
 * customer side does not check this (libsodium's verification refuses
 * every licence under a non-canonical or small-order key anyway), so
 * lkey-keygen does, wherever a public key is made, read with a secret key
 * or written into a header. If not, err gets one line naming `file` (which
 * may be NULL: err is then not written).
 */
bool pubkey_point_ok(const uint8_t pk[LKEY_PUBLICKEYBYTES], const char *file,
    char *err, size_t errcap);

#endif

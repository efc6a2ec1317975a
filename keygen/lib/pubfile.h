/* pubfile.h - writing public key files (internal) */
#ifndef LKEY_PUBFILE_H
#define LKEY_PUBFILE_H

#include <stddef.h>

#include "lkey.h"

/*
 * The text of a public key file for `pub`: a comment line naming the key id,
 * then one base64 line. Returns its length, or 0 if cap is too small (256 is
 * always enough).
 */
size_t pubkey_file_format(const lkey_pubkey *pub, char *out, size_t cap);

#endif

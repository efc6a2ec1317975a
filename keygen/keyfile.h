/*
 * keyfile.h - the vendor's key files: DIR/vendor.sec and DIR/vendor.pub
 * (internal). Layouts in docs/KEYFILES.md.
 */
#ifndef LKEY_KEYFILE_H
#define LKEY_KEYFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "lkey_vendor.h"

/* Bound on a secret key file's size when read. */
#define KEYFILE_SEC_MAX 4096U

/*
 * Creates DIR (mode 0700) if it does not exist, then DIR/vendor.sec (mode
 * 0600) and DIR/vendor.pub (0644) for `key`. Each file is written to a
 * temporary file in DIR, fsynced and linked into place, so it appears whole
 * or not at all; an existing file is never replaced (error, and neither file
 * is written). With passphrase NULL the secret key is stored unencrypted.
 * Returns 0, or -1 with one line in err.
 */
int keyfile_init(const char *dir, const lkey_vendor_key *key,
    const char *passphrase, char *err, size_t errcap);

/*
 * Reads a secret key file (O_NOFOLLOW, size-bounded) into `key` (which should
 * live in sodium_malloc memory). If the file is encrypted the passphrase comes
 * from LKEY_PASSPHRASE, else from a prompt on the terminal. Checks that the
 * secret key matches the public key and key id stored with it. Returns 0, or
 * -1 with one line in err ("wrong passphrase", "not an lkey secret key
 * file"); `key` is wiped on failure.
 */
int keyfile_load_secret(const char *path, lkey_vendor_key *key, char *err,
    size_t errcap);

#endif

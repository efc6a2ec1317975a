/*
 * keyfile.h - the vendor's key files: DIR/vendor.sec and DIR/vendor.pub
 * (internal). Layouts and handling in docs/KEYFILES.md.
 */
#ifndef LKEY_KEYFILE_H
#define LKEY_KEYFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lkey_vendor.h"

/* Bound on a secret key file's size when read. */
#define KEYFILE_SEC_MAX 4096U

/*
 * Creates DIR (mode 0700) if it does not exist; refuses a DIR that group or
 * others may write or another user owns, or below a directory others may
 * write or own, after following links (custody_dir_ok, with the command
 * that fixes it); then creates DIR/vendor.sec (mode
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
 * live in sodium_malloc memory). Unless it is the demo key itself, a file
 * group or others may read or write or another user owns, or in a directory
 * they may write or own or below one, is refused with the command that
 * fixes it (custody.h). If the file is encrypted the passphrase comes
 * from LKEY_PASSPHRASE, else from a prompt on the terminal. Checks that the
 * secret key matches the public key and key id stored with it. Returns 0, or
 * -1 with one line in err ("wrong passphrase", "not an lkey secret key
 * file"); `key` is wiped on failure.
 */
int keyfile_load_secret(const char *path, lkey_vendor_key *key, char *err,
    size_t errcap);

/*
 * The key id a secret key file names, from its header: no passphrase is
 * asked and nothing secret is read. The file must have the shape
 * keyfile_load_secret accepts and a public key that gives the id; the id is
 * not authenticated until the key itself is loaded. Returns 0, or -1 with
 * one line in err.
 */
int keyfile_key_id(const char *path, uint32_t *id, char *err, size_t errcap);

/*
 * The new passphrase for keyfile_passwd, into buf (sodium_malloc memory of
 * PASSPHRASE_MAX bytes): from LKEY_NEW_PASSPHRASE if it is set (empty is an
 * error), else asked twice on the terminal ("new passphrase for PATH: ").
 * Unless `weak`, either must be strong enough (passphrase_strong). If
 * LKEY_PASSPHRASE is set but LKEY_NEW_PASSPHRASE is not it fails, rather
 * than take the old passphrase for the new one. Returns 0, or -1 with one
 * line in err; the caller wipes buf.
 */
int keyfile_new_passphrase(char *buf, size_t cap, const char *path,
    bool weak, char *err, size_t errcap);

/*
 * Rewrites the secret key file at `path`, which must hold `key` (loaded from
 * it with keyfile_load_secret): encrypted under `passphrase`, or unencrypted
 * with passphrase NULL. The key, its id and public key stay the same. The
 * new file (mode 0600) is written to a temporary file in the same directory
 * (O_CREAT|O_EXCL|O_NOFOLLOW), fsynced, renamed over `path`, and the
 * directory fsynced: `path` holds the old file or the new one, never a mix.
 * Refused, with the file left as it was: a symbolic link or anything but a
 * regular file, a file with other hard links, a file that is not a secret
 * key file or holds another key. Returns 0, or -1 with one line in err.
 */
int keyfile_passwd(const char *path, const lkey_vendor_key *key,
    const char *passphrase, char *err, size_t errcap);

#endif

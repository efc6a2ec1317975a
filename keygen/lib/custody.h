/*
 * custody.h - where the vendor's secret key may be kept: a key file no one
 * else can read or write, in a directory no one else can write
 * (internal, vendor side only)
 */
#ifndef LKEY_CUSTODY_H
#define LKEY_CUSTODY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lkey_vendor.h"

/*
 * Whether pk is the public key of the demo key (keys/demo-vendor.sec),
 * compared whole: its secret is published with the sources, so where it
 * lies and who can read it protects nothing.
 */
bool custody_is_demo(const uint8_t pk[LKEY_PUBLICKEYBYTES]);

/*
 * The secret key file at path may be used: unless demo (the caller found
 * it to be the demo key itself: unencrypted, its seed giving the demo
 * public key), the file (not a link: the caller read it with O_NOFOLLOW)
 * has no permission bit for group or others and is owned by root or the
 * user running, and its directory passes custody_dir_ok. Returns 0, or -1
 * with one line in err saying what to run ("vendor.sec: readable by group
 * and others (mode 0644); run: chmod 600 vendor.sec").
 */
int custody_secret_ok(const char *path, bool demo, char *err,
    size_t errcap);

/*
 * The directory dir, after following links, is not writable by group or
 * others and is owned by root or the user running: one who could write it
 * could replace or add a key file in it. Nor is any directory above it,
 * up to /, writable by group or others (unless it is sticky and root's,
 * as /tmp is) or owned by another user: one who could would rename the
 * key directory away and put their own in its place (ssh's StrictModes).
 * Returns 0, or -1 with one line in err ("acme-keys: the directory is
 * writable by others (mode 0757), who could replace the key files in it;
 * run: chmod go-w acme-keys").
 */
int custody_dir_ok(const char *dir, char *err, size_t errcap);

#endif

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
 * The secret key file at path, holding public key pk, may be used: unless
 * it is the demo key, the file (not a link: the caller read it with
 * O_NOFOLLOW) has no permission bit for group or others, and its
 * directory, after following links, is not writable by group or others.
 * Returns 0, or -1 with one line in err saying what to run ("vendor.sec:
 * readable by group and others (mode 0644); run: chmod 600 vendor.sec").
 */
int custody_secret_ok(const char *path, const uint8_t pk[LKEY_PUBLICKEYBYTES],
    char *err, size_t errcap);

/*
 * The directory dir, after following links, is not writable by group or
 * others: one who could write it could replace or add a key file in it.
 * Returns 0, or -1 with one line in err ("acme-keys: writable by others
 * (mode 0777); run: chmod go-w acme-keys").
 */
int custody_dir_ok(const char *dir, char *err, size_t errcap);

#endif

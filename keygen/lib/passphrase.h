/* passphrase.h - getting the vendor's passphrase (internal) */
#ifndef LKEY_PASSPHRASE_H
#define LKEY_PASSPHRASE_H

#include <stdbool.h>
#include <stddef.h>

#define PASSPHRASE_MAX 1024U

/*
 * Gets a passphrase into buf (NUL-terminated): from the environment variable
 * LKEY_PASSPHRASE if it is set, else from a prompt on /dev/tty with echo off
 * (asked twice when `confirm`). An empty passphrase is refused. Returns 0, or
 * -1 with one line in err. The caller wipes buf with sodium_memzero.
 */
int passphrase_get(char *buf, size_t cap, const char *prompt, bool confirm,
    char *err, size_t errcap);

/*
 * The passphrase in the environment variable `name` into buf (buf is ""
 * when it is not set): from the copy passphrase_take_env made, once it has
 * run, else from the environment. Returns 0, 1 if it is not set, or -1
 * with one line in err: "NAME is empty", "NAME is too long (at most N
 * bytes)", or no room in buf.
 */
int passphrase_env(const char *name, char *buf, size_t cap, char *err,
    size_t errcap);

/* Whether the environment variable `name` is set, as passphrase_env sees
 * it. */
bool passphrase_env_set(const char *name);

/*
 * Takes LKEY_PASSPHRASE and LKEY_NEW_PASSPHRASE out of the environment,
 * once, before any long work: each is copied into sodium_malloc memory,
 * its bytes in the environment are overwritten with zeros where they lie
 * (what /proc/PID/environ shows) and it is unset, so that a passphrase
 * does not stay readable for the whole life of a long batch nor reach a
 * child process. Not thread-safe (it changes the environment): call it
 * early in main. Returns 0, or -1 if there is no secure memory (err).
 */
int passphrase_take_env(char *err, size_t errcap);

#endif

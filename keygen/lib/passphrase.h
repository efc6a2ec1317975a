/* passphrase.h - getting the vendor's passphrase (internal) */
#ifndef LKEY_PASSPHRASE_H
#define LKEY_PASSPHRASE_H

#include <stdbool.h>
#include <stddef.h>

#define PASSPHRASE_MAX 1024U

/* What a new passphrase needs: characters (of UTF-8), different ones. */
#define PASSPHRASE_MIN_CHARS 12U
#define PASSPHRASE_MIN_DISTINCT 5U

/* How passphrase_get asks. */
#define PASSPHRASE_CONFIRM 1U	/* on the terminal, twice */
#define PASSPHRASE_STRONG 2U	/* a new one: passphrase_strong, both ways */

/*
 * Gets a passphrase into buf (NUL-terminated): from the environment variable
 * LKEY_PASSPHRASE if it is set, else from a prompt on /dev/tty with echo off
 * (asked twice with PASSPHRASE_CONFIRM). An empty passphrase is refused, and
 * with PASSPHRASE_STRONG a weak one (passphrase_strong), typed or not; on
 * the terminal before it is asked again. Returns 0, or -1 with one line in
 * err. The caller wipes buf with sodium_memzero.
 */
int passphrase_get(char *buf, size_t cap, const char *prompt, unsigned how,
    char *err, size_t errcap);

/*
 * Whether pass is strong enough to protect a new secret key: at least
 * PASSPHRASE_MIN_CHARS characters and PASSPHRASE_MIN_DISTINCT different
 * ones. A character is a UTF-8 sequence, or a byte that begins none; the
 * bytes are not normalised. Returns 0, or -1 with one line in err that
 * begins with `name` (what the passphrase came from: "passphrase",
 * "LKEY_PASSPHRASE") and says what is needed: "passphrase too short: 1
 * character; use at least 12 (a few words are easier to remember)". The
 * passphrase itself is never shown.
 */
int passphrase_strong(const char *pass, const char *name, char *err,
    size_t errcap);

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

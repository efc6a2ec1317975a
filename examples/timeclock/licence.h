/*
 * licence.h - timeclock's licence: what an application that embeds liblkey
 * writes once. The only file of timeclock that calls lkey_*; copy it and
 * change the names.
 *
 * The licence lives in liblkey's licence store, which is the data
 * directory: the keys registered, a renewal registered ahead, the clock
 * guard's state. liblkey reads and writes it, each file atomically, and
 * reads this computer's host id; timeclock says only what it knows:
 * today, its release, its employees.
 */
#ifndef TIMECLOCK_LICENCE_H
#define TIMECLOCK_LICENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <lkey.h>

/* This product's number in the vendor's catalog: "timetracker". */
#define TIMECLOCK_PRODUCT 1U

/* The build date of this release, "YYYY-MM-DD" (UTC). */
#ifndef TIMECLOCK_RELEASE
#error "define TIMECLOCK_RELEASE as the release's build date, \"YYYY-MM-DD\""
#endif

/* The build date of this release, or false if TIMECLOCK_RELEASE is not a
 * date (a broken build). */
bool licence_release(lkey_day *out);

/*
 * The licence in force in the store `dir` as of today, for this release,
 * checked for `users` employees, `admin` saying whether the one asking is
 * an administrator. LKEY_STORE_OK: the verdict is in st->status;
 * LKEY_STORE_EMPTY: nothing is registered; otherwise st->message says
 * what is wrong with the store.
 */
lkey_store_result licence_check(lkey_store *st, const char *dir,
    size_t users, bool admin);

/*
 * "Register licence": the key as pasted. liblkey checks it first and
 * changes nothing if it refuses it (LKEY_STORE_REFUSED): not genuine, for
 * another product, expired, or, unless `force`, giving less than the
 * licence in force. A key that starts later is kept until its start day.
 * Fewer seats than employees, or maintenance that ended before this
 * release was built, refuse nothing: an administrator fixes the first in
 * admin-only mode, and older releases run with the second.
 */
lkey_store_result licence_register(lkey_store *st, const char *dir,
    const char *text, size_t len, size_t users, bool force);

/* Why the licence in force is not valid: one or two sentences. */
void licence_problem(const lkey_store *st, char *out, size_t cap);

/* Why a registration was refused, and what to do: one line. */
void licence_refusal(const lkey_store *st, bool forced, char *out,
    size_t cap);

/* The licence screen, for `users` employees. */
void licence_screen(FILE *out, const lkey_store *st, size_t users);

/* Warnings of a valid licence, one "warning: ..." line each. */
void licence_warnings(FILE *out, const lkey_store *st);

#endif

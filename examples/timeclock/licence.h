/*
 * licence.h - timeclock's licence: what an application that embeds liblkey
 * writes once. The only file of timeclock that calls lkey_*; copy it and
 * change the names.
 *
 * The licence key lives in DATA/licence (one line), the clock guard's
 * memory in DATA/state. Both are replaced atomically (store.c).
 */
#ifndef TIMECLOCK_LICENCE_H
#define TIMECLOCK_LICENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <lkey.h>

/* This product's number in the vendor's catalog: "timetracker". */
#define TIMECLOCK_PRODUCT 1U

/* The build date of this release, "YYYY-MM-DD" (UTC). */
#ifndef TIMECLOCK_RELEASE
#error "define TIMECLOCK_RELEASE as the release's build date, \"YYYY-MM-DD\""
#endif

/* What timeclock knows about its licence right now. */
struct licence {
	bool decoded;		/* lic holds an authentic key */
	lkey_detail detail;	/* why not, if it does not */
	lkey_license lic;
	lkey_context ctx;
	lkey_report rep;	/* when decoded */
	lkey_status status;	/* the verdict */
	lkey_state state;	/* the clock guard's memory */
};

/* licence_load and licence_register: nothing registered, key refused. */
#define LICENCE_NONE 1
#define LICENCE_REFUSED 2

/* The build date of this release, or false if TIMECLOCK_RELEASE is not a
 * date (a broken build). */
bool licence_release(lkey_day *out);

/*
 * Reads the registered licence of data directory `dir` and checks it as of
 * today, for this release, for `users` employees (no seat check if
 * has_users is false), `admin` saying whether the one asking is an
 * administrator. Returns 0 (the verdict in l->status), LICENCE_NONE, or -1
 * with one line in err (a file cannot be read or written, the clock
 * guard's state is damaged).
 */
int licence_load(const char *dir, bool has_users, uint32_t users,
    bool admin, struct licence *l, char *err, size_t errcap);

/*
 * "Register licence": checks the key in text (whitespace anywhere is
 * ignored) and, only if it is genuine, for this product and in its licence
 * period, replaces the registered licence with it. Two things do not
 * refuse it: seats (a key with fewer seats than employees is registered,
 * and administrators then fix it in admin-only mode) and maintenance that
 * ended before this release was built (the licence is good, this release
 * too new for it: l->status is then LKEY_MAINTENANCE_LAPSED, and older
 * releases run with it). Returns 0, LICENCE_REFUSED (the verdict in
 * l->status; nothing changed) or -1 with one line in err.
 */
int licence_register(const char *dir, const char *text, size_t len,
    struct licence *l, char *err, size_t errcap);

/* Why the licence is not valid: one or two sentences for end users. */
void licence_problem(const struct licence *l, char *out, size_t cap);

/* "Professional", or "edition 7" for one this release does not know. */
const char *licence_edition(uint32_t edition, char buf[24]);

/* The licence screen, for `users` employees. */
void licence_screen(FILE *out, const char *dir, const struct licence *l,
    size_t users);

/* Warnings of a valid licence, one "warning: ..." line each. */
void licence_warnings(FILE *out, const struct licence *l);

#endif

/*
 * store_int.h - what the files of the licence store share (internal to
 * liblkey): the names of its files, the bounds, and one call's view of the
 * store. Layout and rules: docs/STORE.md.
 */
#ifndef LKEY_STORE_INT_H
#define LKEY_STORE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lkey.h"

#define STORE_KEYS "licence.keys"
#define STORE_STATE "state"
#define STORE_LIST "revocations"

/* licence.keys at its largest: its first line, then a line per key. */
#define STORE_HEAD_MAX 160U
#define STORE_KEYS_TEXT_MAX (STORE_HEAD_MAX + LKEY_STORE_KEYS_MAX * \
	(LKEY_KEY_TEXT_MAX + 1U))

/*
 * A printf-like function's format checked by the compiler where it can:
 * MinGW names the printf its headers chose (its own, which knows %zu, or
 * msvcrt's), other compilers without GNU attributes skip the check.
 */
#if defined(__MINGW_PRINTF_FORMAT)
#define STORE_PRINTF(f, a) __attribute__((format(__MINGW_PRINTF_FORMAT, f, a)))
#elif defined(__GNUC__)
#define STORE_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define STORE_PRINTF(f, a)
#endif

/* A directory named in a message is cut to this many bytes. */
#define STORE_DIR_SHOWN 300

/* One call's view of the store, besides what lkey_store holds. */
typedef struct lkey__store_view {
	const char *dir;
	const lkey_pubkey *ring;
	size_t nring;
	uint32_t product;
	bool has_dir;		/* the directory exists */
	uint32_t list_sequence;	/* of the list held; 0: none */
	/* licence.keys as read into st->text: its length (0: no file) and
	 * where each key's line starts and how long it is (no newline). */
	size_t keys_len;
	size_t line_off[LKEY_STORE_KEYS_MAX];
	size_t line_len[LKEY_STORE_KEYS_MAX];
} lkey__store_view;

/* A clean workspace and view; a verdict that is no licence until one is
 * found (st->status is LKEY_MALFORMED). */
void lkey__store_reset(lkey_store *st, lkey__store_view *v, const char *dir,
    const lkey_pubkey *ring, size_t nring, uint32_t product);

/* Writes a message into st->message; returns r (for "return say(...)"). */
lkey_store_result lkey__store_say(lkey_store *st, lkey_store_result r,
    const char *fmt, ...) STORE_PRINTF(3, 4);

/*
 * dir/name into buf (cap bytes, NUL included). A missing file is
 * LKEY_STORE_OK with *missing set; a link, anything but a regular file or
 * a file larger than the store writes is LKEY_STORE_DAMAGED; what cannot
 * be read LKEY_STORE_IO; each with the message.
 */
lkey_store_result lkey__store_read(lkey_store *st, const lkey__store_view *v,
    const char *name, char *buf, size_t cap, size_t *len, bool *missing);

/*
 * Reads the store of v->dir into st: the revocation list, the state (a
 * new one if there is none) and last licence.keys, which stays in st->text
 * with its lines in v. LKEY_STORE_DAMAGED or LKEY_STORE_IO with the
 * message; a missing directory is an empty store.
 */
lkey_store_result lkey__store_load(lkey_store *st, lkey__store_view *v);

/* Reads licence.keys into st->text and parses it there (keysfile.c); a
 * missing file is no key. */
lkey_store_result lkey__store_keys_read(lkey_store *st, lkey__store_view *v);

/*
 * The first of the count keys held whose line of text (licence.keys as
 * read) is the n bytes of key: its index, or SIZE_MAX.
 */
size_t lkey__store_held(const lkey__store_view *v, size_t count,
    const char *text, const char *key, size_t n);
/*
 * Parses len bytes of text as licence.keys for v->product, with no I/O:
 * its keys into st->keys[0..st->history), each authenticated with v->ring;
 * where each key's line starts in text and how long it is into v, and len
 * into v->keys_len. LKEY_STORE_DAMAGED with the message for anything but
 * the one form the store writes (keys accepted before the damage stay in
 * st->keys). The store passes st->text; the fuzz target (tests/fuzz/
 * fz_store.c) its own bytes.
 */
lkey_store_result lkey__store_keys_parse(lkey_store *st, lkey__store_view *v,
    const char *text, size_t len);

/* The first line of licence.keys for product into out; its length. */
size_t lkey__store_head(uint32_t product, char *out, size_t cap);

/*
 * The licence in force today among keys[0..n): among those that have
 * started, the newest (lkey_license_order; a tie goes to the one
 * registered later) whose licence period covers today, else the newest
 * that has started; with *in_force true. With none started, the one that
 * starts first (in_force false). SIZE_MAX if n is 0.
 */
size_t lkey__store_choose(const lkey_license *keys, size_t n, lkey_day today,
    bool *in_force);
/* Whether k's licence period takes in today (it may not have started). */
bool lkey__store_covers(const lkey_license *k, lkey_day today);

/*
 * Opens the store in dir for a check (lkey__store_reset, lkey__store_load,
 * the state and list found to agree) and prepares st->ctx from the
 * caller's ctx with the store's state and list. LKEY_STORE_OK, or why not
 * in st->message.
 */
lkey_store_result lkey__store_open(lkey_store *st, lkey__store_view *v,
    const char *dir, const lkey_pubkey *keys, size_t nkeys,
    const lkey_context *ctx);
/* Reads this computer's host id into st->ctx if lic is node-locked and
 * the caller gave none: 0, or -1 with why the machine id cannot be read
 * in why (lic is then host_mismatch). */
int lkey__store_host(lkey_store *st, const lkey_license *lic, char *why,
    size_t whycap);
/* Said with that reason, after lkey_problem_text's "this computer's id
 * could not be read" or alone. */
#define NO_MACHINE_ID "This computer's machine id cannot be read"


/*
 * The licence in force among st->keys[0..st->history) checked for st->ctx
 * (st->license, st->report, st->status, the pending keys), without writing
 * anything. LKEY_STORE_EMPTY when no key is held.
 */
lkey_store_result lkey__store_pick(lkey_store *st, const lkey__store_view *v);

/* After a check: the clock guard's state advanced and written if it
 * changed (LKEY_STORE_IO if it cannot be). */
lkey_store_result lkey__store_record(lkey_store *st,
    const lkey__store_view *v);

/* Creates the directory if it is missing. */
lkey_store_result lkey__store_mkdir(lkey_store *st, lkey__store_view *v);

/* Replaces one file of the store with len bytes of data. */
lkey_store_result lkey__store_write(lkey_store *st,
    const lkey__store_view *v, const char *name, const char *data,
    size_t len);

#endif

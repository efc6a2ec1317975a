/*
 * ledger.h - the issuance ledger: every licence key the vendor issues,
 * recorded before it is printed (internal, vendor side only)
 *
 * The ledger is an append-only file of JSON lines, one object per key, with
 * the fields in this order (numbers, not catalog names, which may change):
 *
 *	{"time":"2026-11-23T11:22:53Z","key_id":"277e0164","serial":1001,
 *	 "order":"A-17"|null,"product":1,"edition":2,"seats":25|"unlimited",
 *	 "starts":"2027-01-01","expires":"2027-12-31"|"never",
 *	 "maintenance":"2027-12-31"|"never","features":3,
 *	 "maintenance_features":1,
 *	 "licensee":"..."|null,"issued":"2027-01-01","grace_days":0,
 *	 "notice_days":30,"trial":false,"module_seats":"2=5,3=10"|"",
 *	 "host":"3f2a9c0d5e6b7a81"|null,"key":"AWQB..."}
 *
 * (one line each). The ledger also allocates serial numbers: under its lock
 * a process sees every line other processes appended, so no two processes
 * hand out the same serial, and a serial already issued is refused.
 *
 * Locks are POSIX record locks (fcntl), which belong to the process, not to
 * the handle: closing any descriptor of the file drops them all. So a
 * process holds at most one ledger handle per file and does not call
 * ledger_find on a file while it holds that file's lock.
 *
 * Functions that can fail return 0 (ledger_find: a count) or -1 with one
 * line in err ("PATH: line 7: no serial"); err may be NULL.
 */
#ifndef LKEY_LEDGER_H
#define LKEY_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lkey.h"

/* Longest line read or written, '\n' included; a longer one is corrupt. */
#define LEDGER_LINE_MAX 8192U
/* Longest order id, in bytes. */
#define LEDGER_ORDER_MAX 128U

typedef struct ledger ledger;	/* opaque */

/* One issued key. `order` may be NULL (none); `time` is Unix seconds. */
typedef struct ledger_entry {
	int64_t time;
	const char *order;
	const lkey_license *lic;
	const char *key;
} ledger_entry;

/*
 * Opens the ledger at `path` for appending (creating it with mode 0600 if
 * missing; a symbolic link or anything but a regular file is refused) and
 * reads it all under a shared lock, checking every line: each must end with
 * '\n', be at most LEDGER_LINE_MAX bytes and hold one JSON object with a
 * "serial" (a whole number 0..4294967295 not seen before) and a "key" (a
 * non-empty string); "order", if present, must be a string or null. A last line
 * without '\n' is a torn write and is reported, never repaired. A ledger
 * that cannot be opened for writing is an error, so nothing gets issued.
 */
int ledger_open(const char *path, ledger **out, char *err, size_t errcap);

/*
 * Takes the exclusive lock on the whole file (waiting for it), then reads
 * and checks what other processes appended since this one last read.
 * Needed before ledger_next_serial and ledger_append; hold it briefly.
 * Fails (and holds no lock) if the file was replaced or cut short since it
 * was opened, or a new line is bad.
 */
int ledger_lock(ledger *l, char *err, size_t errcap);
int ledger_unlock(ledger *l, char *err, size_t errcap);

/* Whether the ledger holds `serial` (as last read or appended). */
bool ledger_has_serial(const ledger *l, uint32_t serial);

/*
 * With the lock held: the next free serial, one above the largest the
 * ledger holds (1 for an empty ledger) and above every serial this call
 * handed out since the lock was taken, so a batch can take several before
 * appending them. An error once 4294967295 is used.
 */
int ledger_next_serial(ledger *l, uint32_t *serial, char *err,
    size_t errcap);

/*
 * With the lock held: appends n entries, one line each, in as few write()
 * calls as practical, then fsync()s the file, and only then returns 0.
 * Nothing is written if any entry is refused: a serial the ledger holds
 * ("serial 1001 was already issued (ledger line 3)") or that appears twice
 * among the n, an order id over LEDGER_ORDER_MAX bytes, an order id or
 * licensee that is not UTF-8 or holds a NUL byte, an empty key, a time
 * before 1970 or after 9999, a line over LEDGER_LINE_MAX. If a write or the
 * fsync fails the file is truncated back to its size before, so no partial
 * line is left.
 */
int ledger_append(ledger *l, const ledger_entry *e, size_t n, char *err,
    size_t errcap);

/* Closes the file (dropping the lock) and frees l; l may be NULL. */
void ledger_close(ledger *l);

/*
 * Calls fn for each line whose serial is *serial (if serial is not NULL)
 * and whose order id is `order` (if order is not NULL), in file order, with
 * the line without its '\n' (line[len] is '\0'). Reads under a shared lock,
 * checking every line as ledger_open does; an error (a torn last line too)
 * is reported after the lines before it were delivered. Returns the number
 * of matches, or -1.
 */
long ledger_find(const char *path, const uint32_t *serial, const char *order,
    void (*fn)(const char *line, size_t len, void *arg), void *arg,
    char *err, size_t errcap);

/*
 * Calls fn for every line of the ledger at `path`, in file order, with its
 * serial and the id of the key that signed it (has_id false when the line
 * has no "key_id" of 8 lowercase hex digits). Reads and checks the file as
 * ledger_find does, never creating or changing it; fn is called for the
 * lines before a bad one too. Returns 0, or -1.
 */
int ledger_each(const char *path, void (*fn)(uint32_t serial, bool has_id,
    uint32_t key_id, void *arg), void *arg, char *err, size_t errcap);

#endif

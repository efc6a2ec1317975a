/*
 * ledger_int.h - what the files of the ledger share: the handle, the
 * reading of lines, the lock, the line of an entry (internal to
 * keygen/lib/ledger*.c; the interface is ledger.h)
 */
#ifndef LKEY_LEDGER_INT_H
#define LKEY_LEDGER_INT_H

#include <sys/types.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledger.h"
#include "serial_set.h"

struct ledger {
	char *path;
	int fd;
	bool locked;
	dev_t dev;		/* the file opened, to notice a replacement */
	ino_t ino;
	off_t off;		/* bytes of complete lines read and checked */
	uint64_t lines;		/* lines read and checked */
	serial_set set;
	bool any;		/* the ledger holds a serial */
	uint32_t max;		/* the largest it holds */
	bool reserved;		/* ledger_next_serial gave one, this lock */
	uint32_t reserved_max;	/* the largest it gave */
};

/*
 * What ledger_find looks for, and what it found; or, for ledger_each,
 * what to call for every line.
 */
struct ledger_find {
	const uint32_t *serial;
	const char *order;
	size_t order_len;
	void (*fn)(const char *, size_t, void *);
	void (*each)(uint32_t, bool, uint32_t, void *);
	void *arg;
	long count;
};

/*
 * Reads and checks the file from l->off to its end (ledger_scan.c),
 * advancing l->off and l->lines past each good line and adding its serial
 * to l->set; with want, delivers the lines it asks for. The caller holds a
 * lock, so the end is the end: an incomplete last line is a torn write,
 * not one in progress.
 */
int ledger_scan(ledger *l, struct ledger_find *want, char *err,
    size_t errcap);

/*
 * Opens the ledger at path for reading only, never creating it, and
 * ledger_scans it all under a shared lock (ledger.c).
 */
int ledger_read(const char *path, struct ledger_find *want, char *err,
    size_t errcap);

/* Waits for a lock of `type` on the whole file; F_UNLCK releases it
 * (ledger_lock.c). */
int ledger_lock_file(int fd, short type);

/*
 * The line of entry e, its '\n' included, into line (ledger_line.c). On a
 * refusal says why in err, without the path: the fault is in the entry,
 * not in the file.
 */
int ledger_line(const ledger_entry *e, char line[LEDGER_LINE_MAX],
    size_t *len, char *err, size_t errcap);

#endif

/*
 * serial_set.h - a set of serial numbers, each with the ledger line that
 * holds it (internal, vendor side only)
 */
#ifndef LKEY_SERIAL_SET_H
#define LKEY_SERIAL_SET_H

#include <stddef.h>
#include <stdint.h>

struct serial_slot {
	uint32_t serial;
	uint32_t line;		/* 1-based; 0: the slot is empty */
};

/* All zeros is the empty set. Members are private. */
typedef struct serial_set {
	struct serial_slot *slot;
	size_t cap;		/* 1 << bits, or 0 before the first use */
	unsigned bits;
	size_t n;
} serial_set;

/* The line holding serial, or 0. */
uint32_t serial_set_find(const serial_set *s, uint32_t serial);

/* Room for `extra` more serials, so that serial_set_put cannot fail. 0, or
 * -1 when out of memory. */
int serial_set_reserve(serial_set *s, size_t extra);

/*
 * Adds serial at line (after serial_set_reserve). Returns 0, or the line
 * already holding it (then nothing changes).
 */
uint32_t serial_set_put(serial_set *s, uint32_t serial, uint32_t line);

/* Frees the table; the set is empty again. */
void serial_set_free(serial_set *s);

#endif

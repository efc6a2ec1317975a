/*
 * serial_set.c - the serials a ledger holds, each with its line
 *
 * An open-addressing hash table (linear probing, Fibonacci hashing, at
 * most 3/4 full) that also keeps each serial's line number for messages:
 * a ledger of millions of lines loads in one pass, and "serial 1001 was
 * already issued (ledger line 3)" costs no second read.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "serial_set.h"

/* Smallest table (a power of two). */
#define SET_MIN_BITS 10U

static size_t
slot_of(uint32_t serial, unsigned bits)
{
	return (size_t)(((uint64_t)serial * UINT64_C(0x9e3779b97f4a7c15)) >>
	    (64U - bits));
}

uint32_t
serial_set_find(const serial_set *s, uint32_t serial)
{
	size_t i, mask;

	if (s->cap == 0)
		return 0;
	mask = s->cap - 1U;
	for (i = slot_of(serial, s->bits); s->slot[i].line != 0;
	    i = (i + 1U) & mask)
		if (s->slot[i].serial == serial)
			return s->slot[i].line;
	return 0;
}

/* Inserts into a table known to have room and not to hold serial. */
static void
place(struct serial_slot *slot, size_t cap, unsigned bits, uint32_t serial,
    uint32_t line)
{
	size_t i = slot_of(serial, bits);

	while (slot[i].line != 0)
		i = (i + 1U) & (cap - 1U);
	slot[i].serial = serial;
	slot[i].line = line;
}

int
serial_set_reserve(serial_set *s, size_t extra)
{
	struct serial_slot *slot;
	size_t cap = s->cap, need, i;
	unsigned bits = s->bits;

	if (extra > SIZE_MAX / 4U - s->n)
		return -1;
	need = s->n + extra;
	if (cap == 0) {
		bits = SET_MIN_BITS;
		cap = (size_t)1 << bits;
	}
	while (need > cap / 4U * 3U) {
		if (bits >= 40U || cap > SIZE_MAX / 2U / sizeof(*slot))
			return -1;
		bits++;
		cap <<= 1;
	}
	if (cap == s->cap)
		return 0;
	if ((slot = calloc(cap, sizeof(*slot))) == NULL)
		return -1;
	for (i = 0; i < s->cap; i++)
		if (s->slot[i].line != 0)
			place(slot, cap, bits, s->slot[i].serial,
			    s->slot[i].line);
	free(s->slot);
	s->slot = slot;
	s->cap = cap;
	s->bits = bits;
	return 0;
}

uint32_t
serial_set_put(serial_set *s, uint32_t serial, uint32_t line)
{
	uint32_t had = serial_set_find(s, serial);

	if (had != 0)
		return had;
	place(s->slot, s->cap, s->bits, serial, line);
	s->n++;
	return 0;
}

void
serial_set_free(serial_set *s)
{
	free(s->slot);
	memset(s, 0, sizeof(*s));
}

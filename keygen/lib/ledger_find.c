/*
 * ledger_find.c - questions to the ledger: the lines of a serial or an
 * order, and the key that signed each serial
 *
 * Read-only: a question never creates or changes the ledger, and reads it
 * under a shared lock so that it never sees half an append.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "ledger_int.h"

long
ledger_find(const char *path, const uint32_t *serial, const char *order,
    void (*fn)(const char *line, size_t len, void *arg), void *arg,
    char *err, size_t errcap)
{
	struct ledger_find want;

	memset(&want, 0, sizeof(want));
	want.serial = serial;
	want.order = order;
	want.order_len = order != NULL ? strlen(order) : 0;
	want.fn = fn;
	want.arg = arg;
	if (ledger_read(path, &want, err, errcap) != 0)
		return -1;
	return want.count;
}

int
ledger_each(const char *path, void (*fn)(uint32_t serial, bool has_id,
    uint32_t key_id, void *arg), void *arg, char *err, size_t errcap)
{
	struct ledger_find want;

	memset(&want, 0, sizeof(want));
	want.each = fn;
	want.arg = arg;
	return ledger_read(path, &want, err, errcap);
}

/*
 * ledger_line.h - one line of the JSON-lines ledger of lkey 1 and 2, read
 * and checked for `ledger import` (internal to keygen/lib/ledger*.c and
 * its fuzz target)
 *
 * A line is one flat JSON object, one issued key:
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
 * "time", "serial" and "key" are required; every other field, which older
 * versions did not all write, may be left out and is then taken from the
 * key itself. Every field given must have its type and range and agree
 * with the key, whose text must be the canonical base64 of a key (its
 * signature is not checked here: that needs the vendor's public key).
 */
#ifndef LKEY_LEDGER_LINE_H
#define LKEY_LEDGER_LINE_H

#include <stddef.h>

#include "jsonline.h"
#include "ledger.h"

/* A line read: the record, and the text its strings point into. */
struct ledger_line {
	ledger_rec rec;
	jl_object obj;
	char buf[LEDGER_LINE_MAX];
};

/*
 * Parses and checks one line (len bytes, no line end; at most
 * LEDGER_LINE_MAX - 1) into out. Returns 0, or -1 with one phrase in err
 * naming the field at fault ("\"seats\" is 25 but the key says 10").
 */
int ledger_line_parse(const char *line, size_t len, struct ledger_line *out,
    char *err, size_t errcap);

#endif

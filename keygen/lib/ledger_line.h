/*
 * ledger_line.h - one line of a ledger in JSON lines, read and checked for
 * `ledger import` (internal to keygen/lib/ledger*.c and its fuzz target)
 *
 * A line is one JSON object, one issued key, in either of two formats,
 * told apart by its names: a line holding "recorded" is what `ledger
 * export --format jsonl` and `ledger --json` write; any other is the
 * JSON-lines ledger of lkey 1 and 2:
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
 * The export names and shapes those of `lkey-verify --json`:
 * "license_expires" and "maintenance_expires" for the two ends, features
 * as a list of bit numbers ([1,2,3], rising), module seats as an object
 * ({"2":5,"3":10}), and besides "recorded" (the time) "replaces"
 * ("277e0164:1001" or null: kept as the link to the key replaced),
 * "revoked" (a list's sequence or null) and "replaced" (true or false).
 * The last two are derived from the rest of a ledger and are checked for
 * their type only, never imported: revocations live in the revocation
 * lists, which an export does not hold. A product, edition or feature
 * written as a catalog's name (an export made with --catalog) is refused.
 *
 * The time ("time" or "recorded"), "serial" and "key" are required; every
 * other field, which older versions did not all write, may be left out and
 * is then taken from the key itself. Every field given must have its type
 * and range and agree with the key, whose text must be the canonical
 * base64 of a key (its signature is not checked here: that needs the
 * vendor's public key).
 */
#ifndef LKEY_LEDGER_LINE_H
#define LKEY_LEDGER_LINE_H

#include <stddef.h>

#include "jsonline.h"
#include "ledger.h"

/* The values a line may hold: its fields, and the elements of two lists
 * of features and of module seats (32 each at most). */
#define LEDGER_LINE_TOKENS 160U

/* The format of a line read. */
enum ledger_line_format { LEDGER_LINE_LKEY2 = 1, LEDGER_LINE_EXPORT };

/* A line read: the record, and the text its strings point into. */
struct ledger_line {
	ledger_rec rec;
	enum ledger_line_format format;
	jl_object obj;			/* the fields, nested ones too */
	size_t at[JSONLINE_FIELDS_MAX];	/* the token of each field */
	jl_token tok[LEDGER_LINE_TOKENS];
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

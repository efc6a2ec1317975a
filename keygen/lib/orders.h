/*
 * orders.h - orders for `lkey-keygen batch`: CSV or JSON lines in, licence
 * terms out (internal)
 *
 * No heap, no global state. An orders_reader is large (about 33 KiB, see
 * ORDERS_LINE_MAX): keep it static, not on a small stack.
 */
#ifndef LKEY_ORDERS_H
#define LKEY_ORDERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "jsonline.h"
#include "lkey_vendor.h"

struct catalog;

/* One order: the fields of `lkey-keygen issue` as text, NULL when absent. */
typedef struct order_fields {
	const char *order, *product, *edition, *seats, *starts, *expires,
	    *maintenance, *serial, *features, *licensee, *grace_days,
	    *notice_days, *module_seats, *trial, *issued, *host,
	    *maintenance_features;
} order_fields;

/* Members of order_fields; the names are those of CSV headers and JSON. */
#define ORDERS_FIELDS 17

/*
 * Sets the member of f that `lkey-keygen issue` takes as the option
 * --NAME (`name` without the dashes: "seats", "grace-days") to value.
 * Returns 0, or -1 if no member is that option.
 */
int order_fields_set_option(order_fields *f, const char *name,
    const char *value);

/*
 * The terms of one order, with exactly the rules of `lkey-keygen issue`:
 * product, edition, seats, expires and maintenance are required; seats
 * N|unlimited, 1..16777214; dates YYYY-MM-DD up to 2149-06-05, expires and
 * maintenance also "never"; starts defaults to `today`, issued to starts;
 * serial 0..4294967295 or "auto" (or absent: then *serial_auto = true and
 * t->serial = 0, for the caller to fill); features and module_seats
 * ("payroll=5,...", each also in features) by catalog name or bit number;
 * grace_days and notice_days 0..365; trial true/false, 1/0 or yes/no (any
 * case); licensee 1..128 bytes; host a host id, 16 hex digits as
 * `lkey-verify --host-id` prints it, in any case (a node-locked key);
 * maintenance_features, the features that run only while maintenance is
 * active, by catalog name or bit number, each also in features ("none" or
 * "": none), else the catalog's `maintenance` marks among features; then
 * lkey_terms_check. cat may be NULL
 * (numbers only). Returns 0, or -1 with one phrase naming the field in err
 * ("seats: must be a whole number from 1 to 16777214, or unlimited",
 * "missing field 'expires'"), *t zeroed and *serial_auto = false.
 */
int order_terms(const struct catalog *cat, const order_fields *f,
    lkey_day today, lkey_license *t, bool *serial_auto, char *err,
    size_t errcap);
/*
 * The same, for `lkey-keygen issue`: messages name the options
 * ("--seats: must be ...", "issue needs --expires") instead of the fields.
 */
int order_terms_as(const struct catalog *cat, const order_fields *f,
    lkey_day today, bool as_options, lkey_license *t, bool *serial_auto,
    char *err, size_t errcap);
/*
 * The same, leaving out the fields in `skip` (orders_partial: those the
 * reader refused already) as if they were refused here: never 0 when
 * skip is not 0, and err holds only the faults of the other fields (it may
 * be empty).
 */
int order_terms_but(const struct catalog *cat, const order_fields *f,
    uint32_t skip, lkey_day today, bool as_options, lkey_license *t,
    bool *serial_auto, char *err, size_t errcap);

/*
 * The same for `lkey-keygen reissue` (messages name options): the fields
 * of `kept` hold a recorded licence's terms, unchanged. Rules of issuance
 * that came after a key could hold such terms (a catalog's names, module
 * seats within the licence's seats, no format character in the licensee)
 * apply only to the terms changed, so that a licence issued before them
 * is signed again as it was; module seats kept above new --seats are
 * refused naming --seats.
 */
int order_terms_kept(const struct catalog *cat, const order_fields *f,
    uint32_t kept, lkey_day today, lkey_license *t, bool *serial_auto,
    char *err, size_t errcap);

/* Longest order id, in bytes. */
#define ORDERS_ID_MAX 128

/*
 * An order id: 1..ORDERS_ID_MAX bytes of UTF-8 text without control or
 * format characters (utf8_shown_check: it goes into the ledger, onto
 * output lines and before people). 0, or -1 with the reason, naming it
 * `name`, in err ("order: must be 1 to 128 bytes", "order holds U+200B
 * (zero width space) at character 3, which would change how the id is
 * shown").
 */
int order_id_check(const char *id, const char *name, char *err,
    size_t errcap);

#define ORDERS_AUTO 0
#define ORDERS_CSV 1
#define ORDERS_JSON 2

/* Longest line, without its end. */
#define ORDERS_LINE_MAX 8192

/*
 * Values of one JSON line at most: the object, its fields, and the
 * elements of the lists of features and maintenance_features and the
 * members of module_seats (32 each at most; one more of each says so).
 */
#define ORDERS_TOKENS (1 + JSONLINE_FIELDS_MAX + 4 * (LKEY_FEATURES_MAX + 1))

/* Reading state; fixed size, no heap. Members are private. */
typedef struct orders_reader {
	FILE *in;
	int format;			/* ORDERS_CSV or ORDERS_JSON */
	int state;			/* reading, at end, or failed */
	bool bom_checked;		/* the input's start was looked at */
	bool pending;			/* line holds an order to return */
	int line_status;		/* of the line in `line` */
	unsigned long lineno;		/* physical lines read so far */
	unsigned long line_at;		/* the line number of `line` */
	size_t ncols;			/* CSV: columns of the header */
	int col[ORDERS_FIELDS];		/* CSV: column -> order_fields member */
	bool partial;			/* the last row's faults were all
					   of its fields */
	uint32_t refused;		/* the fields of those faults */
	size_t len;			/* bytes in line */
	char line[ORDERS_LINE_MAX + 2];
	char buf[ORDERS_LINE_MAX + 1];	/* unescaped values */
	char flat[ORDERS_LINE_MAX + 1];	/* JSON lists and objects as text */
	jl_token tok[ORDERS_TOKENS];	/* JSON: the values of the line */
} orders_reader;

/*
 * Starts reading `in`. ORDERS_AUTO decides by the first non-blank line
 * (after an optional UTF-8 BOM): '{' (after blanks) is JSON lines, anything
 * else CSV whose first line is the header. ORDERS_CSV also reads a header
 * first; with ORDERS_JSON every line is an order. The first non-blank line
 * is read here in every case: it may block on an interactive input.
 * CSV header names are the order_fields members (order, product, edition,
 * seats, starts, expires, maintenance, serial, features, licensee,
 * grace_days, notice_days, module_seats, trial, issued, host,
 * maintenance_features; license_expires and maintenance_expires for
 * expires and maintenance), each field at most once; product, edition,
 * seats, expires and maintenance are required.
 * Returns 0, or -1 with err ("header: unknown field 'colour'", "header:
 * missing field 'seats'", "no orders: the input is empty", or an I/O
 * error).
 */
int orders_open(orders_reader *r, FILE *in, int format, char *err,
    size_t errcap);

/*
 * The next order. Returns 1 with *f filled (pointers into r, valid until the
 * next call) and *line its line number (1-based, physical line); 0 at the
 * end of the input; -1 for a bad row (err holds the reason, or for a JSON
 * line with several bad fields one per line, see orders_partial; *line its
 * number; the next call goes on with the next line); -2 when reading cannot
 * go on (I/O error, err), also for every later call.
 * Reads one line at a time and never beyond it, so orders can be fed one by
 * one. Blank lines are skipped; lines end in LF or CRLF; a line longer than
 * ORDERS_LINE_MAX, or holding a NUL byte or a CR not before its LF, is a bad
 * row. CSV per RFC 4180 (',' separated; '"' quoted fields with '""' inside;
 * no line breaks inside quoted fields); an empty field, quoted or not, is
 * absent. JSON lines: one object per line (jsonline_read's rules for a
 * line); unknown names are bad rows; null is absent (but "" is a value, the
 * empty text); seats, serial, grace_days, notice_days, product and edition
 * may be numbers (their text is used), trial may be true or false. Besides
 * those flat values, the shapes lkey-verify --json prints: features and
 * maintenance_features as a list of names or feature numbers
 * (["desktop",1], read as "desktop,1"; [] is none), module_seats as an
 * object of seats by name or number ({"payroll":5}, read as "payroll=5";
 * {} is absent), each element checked on its own. Every other value is a
 * string; lists and objects inside them are refused. CSV headers and JSON
 * names also take license_expires for expires and maintenance_expires for
 * maintenance (one of the two names, not both). Every message about a
 * value names its field ("features: element 2 is not a name or a number",
 * "seats: column 10: number with a leading zero").
 */
int orders_next(orders_reader *r, order_fields *f, unsigned long *line,
    char *err, size_t errcap);

/*
 * After orders_next returned -1: whether the row's faults were all of its
 * fields (a JSON line with an unknown name, a field given under both its
 * names, or a value of the wrong kind; every such field is reported, one
 * line each in err). Then *f holds the other fields as read, and
 * *refused the fields refused (bit k: member k of order_fields), for
 * order_terms_but to check the rest. False (and *refused 0) for a row
 * nothing of which was read: *f is empty.
 */
bool orders_partial(const orders_reader *r, uint32_t *refused);

/*
 * Whether the next orders_next would answer without waiting for input:
 * a line is already read ahead or buffered, the input holds bytes now
 * (poll without waiting), or it has ended. A batch on a pipe takes what
 * has arrived while it was signing, and no more, before it commits.
 */
bool orders_ready(orders_reader *r);

#endif

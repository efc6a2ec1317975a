/*
 * test_orders.c - orders for `lkey-keygen batch`: CSV (RFC 4180) and JSON
 * lines read one line at a time, bad rows reported with their physical line
 * numbers while reading goes on, fatal header and input errors, and
 * order_terms with the rules of `lkey-keygen issue` for every field.
 *
 * Inputs are in memory (fmemopen) or a pipe; the shipped catalog is
 * keys/catalog (the tests run from the repository root).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "catalog.h"
#include "orders.h"
#include "proc.h"
#include "utf8.h"

#define HEADER "order,product,edition,seats,expires,maintenance\n"

/* Both are large: static, not on the stack. */
static orders_reader rd;
static catalog cat;
static char err[1024];
static FILE *in;
static char *text;

static int
setup(void **state)
{
	(void)state;
	if (catalog_load(CATALOG, &cat, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	if (in != NULL)
		fclose(in);
	in = NULL;
	free(text);
	text = NULL;
	return 0;
}

/* An input of len bytes of s. */
static FILE *
input_n(const char *s, size_t len)
{
	teardown(NULL);
	if (len == 0) {
		in = fopen("/dev/null", "r");
	} else {
		text = malloc(len);
		assert_non_null(text);
		memcpy(text, s, len);
		in = fmemopen(text, len, "r");
	}
	assert_non_null(in);
	return in;
}

static int
open_n(const char *s, size_t len, int format)
{
	input_n(s, len);
	memset(err, 'X', sizeof(err) - 1);
	err[sizeof(err) - 1] = '\0';
	return orders_open(&rd, in, format, err, sizeof(err));
}

static void
open_ok(const char *s, int format)
{
	if (open_n(s, strlen(s), format) != 0)
		fail_msg("orders_open: %s", err);
}

static void
open_fatal(const char *s, int format, const char *want)
{
	assert_int_equal(open_n(s, strlen(s), format), -1);
	assert_string_equal(err, want);
}

/* The next row: rc and line number as expected. */
static void
next_is(order_fields *f, int want_rc, unsigned long want_line)
{
	unsigned long line = 999999;
	int rc;

	err[0] = '\0';
	rc = orders_next(&rd, f, &line, err, sizeof(err));
	if (rc != want_rc)
		fail_msg("orders_next: %d, not %d (line %lu: %s)", rc, want_rc,
		    line, err);
	assert_int_equal(line, want_line);
}

static void
next_ok(order_fields *f, unsigned long want_line)
{
	next_is(f, 1, want_line);
}

static void
next_bad(unsigned long want_line, const char *want)
{
	order_fields f;
	uint32_t refused;

	next_is(&f, -1, want_line);
	assert_string_equal(err, want);
	/* Nothing of the row, unless only some of its fields were bad. */
	if (!orders_partial(&rd, &refused)) {
		assert_int_equal(refused, 0);
		assert_null(f.order);
		assert_null(f.product);
	}
}

static void
next_end(unsigned long want_line)
{
	order_fields f;

	next_is(&f, 0, want_line);
	/* And again: the end stays the end. */
	next_is(&f, 0, want_line);
}

/* The next row is good and is order `order` (NULL: no order id). */
static void
next_order(order_fields *f, unsigned long want_line, const char *order)
{
	next_ok(f, want_line);
	if (order == NULL)
		assert_null(f->order);
	else
		assert_string_equal(f->order, order);
}

/* Every member of order_fields, named for messages. */
#define M(m) { #m, offsetof(order_fields, m) }
static const struct {
	const char *name;
	size_t off;
} members[] = {
	M(order), M(product), M(edition), M(seats), M(starts), M(expires),
	M(maintenance), M(serial), M(features), M(licensee), M(grace_days),
	M(notice_days), M(module_seats), M(trial), M(issued), M(host),
	M(maintenance_features),
};
#undef M
_Static_assert(sizeof(members) / sizeof(members[0]) == ORDERS_FIELDS,
    "a member of order_fields is missing here");

static const char **
member(order_fields *f, size_t off)
{
	return (const char **)(void *)((char *)f + off);
}

/* The member of f named `name` (a CSV header). */
static const char **
member_named(order_fields *f, const char *name)
{
	size_t k;

	for (k = 0; k < sizeof(members) / sizeof(members[0]); k++)
		if (strcmp(members[k].name, name) == 0)
			return member(f, members[k].off);
	fail_msg("no order field %s", name);
	return NULL;
}

/* The next row is good and each of its members is want's: the same
 * text, or absent in both. */
static void
next_row(unsigned long want_line, order_fields want)
{
	order_fields row;
	size_t k;

	next_ok(&row, want_line);
	for (k = 0; k < ORDERS_FIELDS; k++) {
		const char *got = *member(&row, members[k].off);
		const char *exp = *member(&want, members[k].off);

		if (exp == NULL && got != NULL)
			fail_msg("%s: \"%s\", expected absent", members[k].name,
			    got);
		if (exp != NULL && got == NULL)
			fail_msg("%s: absent, expected \"%s\"", members[k].name,
			    exp);
		if (exp != NULL && strcmp(got, exp) != 0)
			fail_msg("%s: \"%s\", expected \"%s\"", members[k].name,
			    got, exp);
	}
}

/* ---- CSV -------------------------------------------------------------- */

static void
test_csv(void **state)
{
	(void)state;
	open_ok(HEADER
	    "A-1,timetracker,professional,5,2027-01-31,2026-12-31\n"
	    "A-2,timelog,basic,unlimited,never,never\n"
	    "A-3,1,2,10,2030-01-01,never", ORDERS_AUTO);
	next_row(2, (order_fields){ .order = "A-1", .product = "timetracker",
	    .edition = "professional", .seats = "5", .expires = "2027-01-31",
	    .maintenance = "2026-12-31" });
	next_row(3, (order_fields){ .order = "A-2", .product = "timelog",
	    .edition = "basic", .seats = "unlimited", .expires = "never",
	    .maintenance = "never" });
	/* The last line needs no line end. */
	next_row(4, (order_fields){ .order = "A-3", .product = "1",
	    .edition = "2", .seats = "10", .expires = "2030-01-01",
	    .maintenance = "never" });
	next_end(4);
}

static void
test_csv_every_field(void **state)
{
	(void)state;
	/* Any column order; every field once. */
	open_ok("maintenance_features,issued,trial,module_seats,notice_days,"
	    "grace_days,licensee,features,serial,maintenance,expires,starts,"
	    "seats,edition,product,order\n"
	    "desktop,2026-01-02,true,payroll=5,20,10,Acme,\"desktop,payroll\","
	    "42,2026-12-31,2027-01-31,2026-01-01,25,professional,timetracker,"
	    "A-9\n", ORDERS_CSV);
	next_row(2, (order_fields){ .maintenance_features = "desktop",
	    .issued = "2026-01-02", .trial = "true",
	    .module_seats = "payroll=5", .notice_days = "20",
	    .grace_days = "10", .licensee = "Acme",
	    .features = "desktop,payroll", .serial = "42",
	    .maintenance = "2026-12-31", .expires = "2027-01-31",
	    .starts = "2026-01-01", .seats = "25", .edition = "professional",
	    .product = "timetracker", .order = "A-9" });
	next_end(2);
}

static void
test_csv_quoted(void **state)
{
	order_fields f;

	(void)state;
	open_ok("\"order\",\"product\",edition,seats,expires,maintenance,"
	    "licensee,features\n"
	    "\"A,1\",\"timetracker\",basic,5,never,never,"
	    "\"Acme, Inc. \"\"East\"\"\",\"desktop,reports\"\n"
	    "\"\",timetracker,basic,5,never,never,,\n"
	    "\"\"\"\",timetracker,basic,5,never,never,\"\"\"x\"\"\", "
	    "spaced \n"
	    ",,,,,,,\n", ORDERS_AUTO);
	next_order(&f, 2, "A,1");
	assert_string_equal(f.product, "timetracker");
	assert_string_equal(f.licensee, "Acme, Inc. \"East\"");
	assert_string_equal(f.features, "desktop,reports");
	/* Empty, quoted or not, is absent. */
	next_order(&f, 3, NULL);
	assert_string_equal(f.edition, "basic");
	assert_null(f.licensee);
	assert_null(f.features);
	next_order(&f, 4, "\"");
	assert_string_equal(f.licensee, "\"x\"");
	/* Spaces belong to the field (RFC 4180). */
	assert_string_equal(f.features, " spaced ");
	next_order(&f, 5, NULL);
	assert_null(f.product);
	assert_null(f.features);
	next_end(5);
}

static void
test_csv_bad_syntax(void **state)
{
	order_fields f;

	(void)state;
	open_ok(HEADER
	    "A-1,time\"tracker,basic,5,never,never\n"
	    "A-2,\"timetracker\"x,basic,5,never,never\n"
	    "A-3,\"timetracker,basic,5,never,never\n"
	    "A-4,timetracker,basic,5,never,\"never\n"
	    "A-5,\"time\"\"tracker\" ,basic,5,never,never\n"
	    "A-6,timetracker,basic,5,never,never\n", ORDERS_AUTO);
	next_bad(2, "field 2: quote inside an unquoted field (quote the "
	    "whole field and double the quote)");
	next_bad(3, "field 2: text after the closing quote");
	next_bad(4, "field 2: quote not closed before the end of the line "
	    "(line breaks inside quoted fields are not supported)");
	next_bad(5, "field 6: quote not closed before the end of the line "
	    "(line breaks inside quoted fields are not supported)");
	next_bad(6, "field 2: text after the closing quote");
	next_order(&f, 7, "A-6");
	next_end(7);
}

static void
test_csv_multiline_quote(void **state)
{
	order_fields f;

	(void)state;
	/* A line break inside quotes: both halves are bad rows, said so. */
	open_ok("order,product,edition,seats,expires,maintenance,licensee\n"
	    "A-1,timetracker,basic,5,never,never,\"Acme\n"
	    "Inc.\"\n"
	    "A-2,timetracker,basic,5,never,never,Acme\n", ORDERS_AUTO);
	next_bad(2, "field 7: quote not closed before the end of the line "
	    "(line breaks inside quoted fields are not supported)");
	next_bad(3, "field 1: quote inside an unquoted field (quote the "
	    "whole field and double the quote)");
	next_ok(&f, 4);
	next_end(4);
}

static void
test_csv_columns(void **state)
{
	order_fields f;

	(void)state;
	open_ok(HEADER
	    "A-1,timetracker,basic,5,never,never,extra\n"
	    "A-2,timetracker,basic,5,never\n"
	    "A-3\n"
	    "A-4,timetracker,basic,5,never,never\n"
	    "A-5,timetracker,basic,5,never,never,,,,,,,,,,,,,,,,,,,,\n"
	    "A-6,timetracker,basic,5,never,never\n", ORDERS_AUTO);
	next_bad(2, "7 fields, the header has 6");
	next_bad(3, "5 fields, the header has 6");
	next_bad(4, "1 field, the header has 6");
	next_order(&f, 5, "A-4");
	next_bad(6, "26 fields, the header has 6");
	next_order(&f, 7, "A-6");
	next_end(7);
}

static void
test_crlf_and_blank_lines(void **state)
{
	order_fields f;

	(void)state;
	open_ok("\r\n  \r\n"
	    "order,product,edition,seats,expires,maintenance\r\n"
	    "\r\n"
	    "A-1,timetracker,basic,5,never,never\r\n"
	    "\t \r\n"
	    "\n"
	    "A-2,timetracker,basic,5,never,\"never\"\r\n"
	    "A-3,timetracker,basic,5,never,never\r\n"
	    "\r\n\r\n", ORDERS_AUTO);
	next_ok(&f, 5);
	assert_string_equal(f.maintenance, "never");
	next_ok(&f, 8);
	assert_string_equal(f.maintenance, "never");
	next_ok(&f, 9);
	assert_string_equal(f.maintenance, "never");
	next_end(11);
}

static void
test_bom(void **state)
{
	order_fields f;

	(void)state;
	open_ok("\xef\xbb\xbf" HEADER "A-1,timetracker,basic,5,never,never\n",
	    ORDERS_AUTO);
	next_order(&f, 2, "A-1");
	next_end(2);
	/* Before a blank line, before JSON, with a forced format. */
	open_ok("\xef\xbb\xbf\r\n" HEADER "A-1,timetracker,basic,5,never,"
	    "never\n", ORDERS_AUTO);
	next_ok(&f, 3);
	open_ok("\xef\xbb\xbf{\"order\":\"J-1\"}\n", ORDERS_AUTO);
	next_order(&f, 1, "J-1");
	open_ok("\xef\xbb\xbf{\"order\":\"J-1\"}\n", ORDERS_JSON);
	next_ok(&f, 1);
	open_ok("\xef\xbb\xbf" HEADER, ORDERS_CSV);
	next_end(1);
	/* Only at the very start: later it is part of a field. */
	open_ok(HEADER "\xef\xbb\xbf" "A-1,timetracker,basic,5,never,never\n",
	    ORDERS_AUTO);
	next_order(&f, 2, "\xef\xbb\xbf" "A-1");
	open_fatal("\xef\xbb\xbf\xef\xbb\xbf" HEADER, ORDERS_AUTO,
	    "header: unknown field '\\xef\\xbb\\xbforder'");
}

static void
test_header_errors(void **state)
{
	(void)state;
	open_fatal("order,product,edition,expires,maintenance\n", ORDERS_AUTO,
	    "header: missing field 'seats'");
	open_fatal("order,seats,expires,maintenance\n", ORDERS_AUTO,
	    "header: missing field 'product'");
	open_fatal("order,product,edition,seats,expires\n", ORDERS_CSV,
	    "header: missing field 'maintenance'");
	open_fatal("order,product,edition,seats,expires,maintenance,colour\n",
	    ORDERS_AUTO, "header: unknown field 'colour'");
	open_fatal("order,Product,edition,seats,expires,maintenance\n",
	    ORDERS_AUTO, "header: unknown field 'Product'");
	open_fatal("order, product,edition,seats,expires,maintenance\n",
	    ORDERS_AUTO, "header: unknown field ' product'");
	open_fatal("order,module-seats,product,edition,seats,expires,"
	    "maintenance\n", ORDERS_AUTO,
	    "header: unknown field 'module-seats'");
	open_fatal("order,product,edition,seats,seats,expires,maintenance\n",
	    ORDERS_AUTO, "header: field 'seats' given twice");
	open_fatal("order,,product,edition,seats,expires,maintenance\n",
	    ORDERS_AUTO, "header: field 2 has no name");
	open_fatal("order,product,edition,seats,expires,maintenance,\n",
	    ORDERS_AUTO, "header: field 7 has no name");
	open_fatal("order,\"product\"x,edition\n", ORDERS_AUTO,
	    "header: field 2: text after the closing quote");
	open_fatal("\x1b[2J,product\n", ORDERS_AUTO,
	    "header: unknown field '\\x1b[2J'");
	/* Sixteen names cannot all be distinct order fields. */
	open_fatal("order,product,edition,seats,starts,expires,maintenance,"
	    "serial,features,licensee,grace_days,notice_days,module_seats,"
	    "trial,issued,order\n", ORDERS_AUTO,
	    "header: field 'order' given twice");
	open_fatal("order,product,edition,seats,starts,expires,maintenance,"
	    "serial,features,licensee,grace_days,notice_days,module_seats,"
	    "trial,issued,x,y\n", ORDERS_AUTO,
	    "header: unknown field 'x'");
}

static void
test_empty(void **state)
{
	(void)state;
	assert_int_equal(open_n("", 0, ORDERS_AUTO), -1);
	assert_string_equal(err, "no orders: the input is empty");
	open_fatal("\n\n  \r\n\t\n", ORDERS_AUTO,
	    "no orders: the input is empty");
	open_fatal("\xef\xbb\xbf", ORDERS_AUTO,
	    "no orders: the input is empty");
	open_fatal("\xef\xbb\xbf\n", ORDERS_CSV,
	    "no orders: the input is empty");
	assert_int_equal(open_n("", 0, ORDERS_JSON), -1);
	assert_string_equal(err, "no orders: the input is empty");
	assert_int_equal(open_n("", 0, ORDERS_CSV), -1);
	assert_string_equal(err, "no orders: the input is empty");
	open_fatal("\n", 7, "unknown orders format 7");
}

static void
test_long_lines(void **state)
{
	static char big[6 * ORDERS_LINE_MAX + 512];
	const char *row = "A-1,timetracker,basic,5,never,never,";
	order_fields f;
	size_t n = 0, pad;

	(void)state;
	pad = ORDERS_LINE_MAX - strlen(row);
	n += (size_t)snprintf(big + n, sizeof(big) - n, "%s", HEADER);
	/* Replace the line end by ",licensee". */
	n--;
	n += (size_t)snprintf(big + n, sizeof(big) - n, ",licensee\n");
	/* Exactly ORDERS_LINE_MAX bytes: fine, with LF or CRLF. */
	n += (size_t)snprintf(big + n, sizeof(big) - n, "%s", row);
	memset(big + n, 'x', pad);
	n += pad;
	big[n++] = '\n';
	n += (size_t)snprintf(big + n, sizeof(big) - n, "%s", row);
	memset(big + n, 'y', pad);
	n += pad;
	big[n++] = '\r';
	big[n++] = '\n';
	/* One more: a bad row, consumed to its end. */
	n += (size_t)snprintf(big + n, sizeof(big) - n, "%s", row);
	memset(big + n, 'z', pad + 1);
	n += pad + 1;
	big[n++] = '\n';
	/* Far more, with a quote left open on it. */
	n += (size_t)snprintf(big + n, sizeof(big) - n, "%s\"", row);
	memset(big + n, 'w', 2 * ORDERS_LINE_MAX);
	n += 2 * ORDERS_LINE_MAX;
	big[n++] = '\n';
	n += (size_t)snprintf(big + n, sizeof(big) - n, "%sok\n", row);
	assert_int_equal(open_n(big, n, ORDERS_AUTO), 0);
	next_ok(&f, 2);
	assert_int_equal(strlen(f.licensee), pad);
	next_ok(&f, 3);
	assert_int_equal(strlen(f.licensee), pad);
	assert_int_equal(f.licensee[pad - 1], 'y');
	next_bad(4, "line longer than 8192 bytes");
	next_bad(5, "line longer than 8192 bytes");
	next_ok(&f, 6);
	assert_string_equal(f.licensee, "ok");
	next_end(6);

	/* A header too long is fatal; a first JSON line too long is a row. */
	memset(big, 'a', ORDERS_LINE_MAX + 1);
	assert_int_equal(open_n(big, ORDERS_LINE_MAX + 1, ORDERS_AUTO), -1);
	assert_string_equal(err, "header: line longer than 8192 bytes");
	big[0] = '{';
	assert_int_equal(open_n(big, ORDERS_LINE_MAX + 1, ORDERS_AUTO), 0);
	next_bad(1, "line longer than 8192 bytes");
	next_end(1);
}

static void
test_nul_and_cr(void **state)
{
	static const char data[] = HEADER
	    "A-1,timetracker,basic,5,never,never\0\n"
	    "A-2,timetracker,basic,5,never\rnever\n"
	    "A-3,timetracker,basic,5,never,never\r\r\n"
	    "A-4,timetracker,basic,5,never,never\r";
	order_fields f;

	(void)state;
	assert_int_equal(open_n(data, sizeof(data) - 1, ORDERS_AUTO), 0);
	next_bad(2, "NUL byte in the line");
	next_bad(3, "carriage return (CR) inside the line: lines end in LF "
	    "or CRLF");
	next_bad(4, "carriage return (CR) inside the line: lines end in LF "
	    "or CRLF");
	/* A CR before the end of the input ends the line like CRLF. */
	next_ok(&f, 5);
	assert_string_equal(f.maintenance, "never");
	next_end(5);
}

/* ---- JSON lines ------------------------------------------------------- */

static void
test_json(void **state)
{
	(void)state;
	open_ok("\n"
	    "  {\"order\":\"J-1\",\"product\":\"timetracker\",\"edition\":2,"
	    "\"seats\":5,\"expires\":\"2027-01-31\",\"maintenance\":\"never\","
	    "\"serial\":7,\"grace_days\":0,\"notice_days\":30,\"trial\":true,"
	    "\"licensee\":\"Caf\\u00e9, \\\"Inc.\\\"\",\"features\":null}\r\n"
	    "\n"
	    "{\"order\":\"J-2\",\"product\":1,\"trial\":false,"
	    "\"starts\":null}\n"
	    "{\"order\":\"J-3\",\"colour\":\"red\"}\n"
	    "order,product\n"
	    "[{\"order\":\"J-4\"}]\n"
	    "{\"order\":{\"id\":1}}\n"
	    "{\"expires\":20270131}\n"
	    "{\"seats\":true}\n"
	    "{\"licensee\":false}\n"
	    "{\"trial\":1}\n"
	    "{\"order\":\"J-5\",\"order\":\"J-6\"}\n"
	    "{\"seats\":01}\n"
	    "{}\n"
	    "{\"licensee\":\"\",\"order\":null}\n"
	    "{\"order\":\"J-7\",\"seats\":\"unlimited\",\"trial\":\"yes\"}",
	    ORDERS_AUTO);
	next_row(2, (order_fields){ .order = "J-1", .product = "timetracker",
	    .edition = "2", .seats = "5", .expires = "2027-01-31",
	    .maintenance = "never", .serial = "7", .grace_days = "0",
	    .notice_days = "30", .trial = "true",
	    .licensee = "Caf\xc3\xa9, \"Inc.\"" });
	next_row(4, (order_fields){ .order = "J-2", .product = "1",
	    .trial = "false" });
	next_bad(5, "unknown field 'colour'");
	{
		uint32_t refused = 1;

		/* A bad name is a fault of the line's fields: the rest is
		 * read (orders_partial). */
		assert_true(orders_partial(&rd, &refused));
		assert_int_equal(refused, 0);
	}
	next_bad(6, "not a JSON object");
	next_bad(7, "not a JSON object");
	next_bad(8, "order: must be a string, not an object");
	next_bad(9, "expires: must be a string, not a number");
	next_bad(10, "seats: must be a string or a number, not true");
	next_bad(11, "licensee: must be a string, not false");
	next_bad(12, "trial: must be a string, true or false, not a "
	    "number");
	next_bad(13, "duplicate name \"order\"");
	next_bad(14, "seats: column 10: number with a leading zero");
	next_row(15, (order_fields){ .order = NULL });
	/* In JSON, "" is a value; null is absent. */
	next_row(16, (order_fields){ .licensee = "" });
	next_row(17, (order_fields){ .order = "J-7", .seats = "unlimited",
	    .trial = "yes" });
	next_end(17);
}

static void
test_forced_format(void **state)
{
	order_fields f;

	(void)state;
	/* JSON forced: a CSV line is a bad row, not a header. */
	open_ok(HEADER "{\"order\":\"J-1\"}\n", ORDERS_JSON);
	next_bad(1, "not a JSON object");
	next_order(&f, 2, "J-1");
	next_end(2);
	/* CSV forced: a JSON first line is a (bad) header. */
	open_fatal("{\"order\":\"J-1\"}\n", ORDERS_CSV, "header: field 1: "
	    "quote inside an unquoted field (quote the whole field and "
	    "double the quote)");
	/* Auto: a CSV file whose rows happen to start with '{'. */
	open_ok(HEADER "{A-1},timetracker,basic,5,never,never\n", ORDERS_AUTO);
	next_order(&f, 2, "{A-1}");
}

/* ---- reading one line at a time --------------------------------------- */

static void
test_no_read_ahead(void **state)
{
	static const char data[] = HEADER
	    "A-1,timetracker,basic,5,never,never\n"
	    "\n"
	    "A-2,timetracker,basic,5,never,never\r\n"
	    "A-3,timetracker,basic,5,never,never\n";
	order_fields f;

	(void)state;
	assert_int_equal(open_n(data, sizeof(data) - 1, ORDERS_AUTO), 0);
	assert_int_equal(ftell(in), (long)strlen(HEADER));
	next_ok(&f, 2);
	assert_int_equal(ftell(in), (long)(strchr(data + strlen(HEADER),
	    '\n') - data + 1));
	next_ok(&f, 4);
	assert_int_equal(ftell(in), (long)(strstr(data, "A-3") - data));
	/* The caller's stream is usable where the reader left it. */
	assert_int_equal(getc(in), 'A');
}

static void
pipe_write(int fd, const char *s)
{
	assert_int_equal(write(fd, s, strlen(s)), (ssize_t)strlen(s));
}

/*
 * The reader opened on a pipe that holds only `first` so far; the pipe's
 * write end is returned. Reading ahead would block: SIGALRM ends the
 * test instead (the caller's alarm(0) when it is done).
 */
static int
pipe_open(const char *first)
{
	int fds[2];

	teardown(NULL);
	assert_int_equal(pipe(fds), 0);
	in = fdopen(fds[0], "r");
	assert_non_null(in);
	alarm(10);
	pipe_write(fds[1], first);
	assert_int_equal(orders_open(&rd, in, ORDERS_AUTO, err, sizeof(err)),
	    0);
	return fds[1];
}

/* Orders fed one at a time through a pipe that stays open. */
static void
test_pipe(void **state)
{
	order_fields f;
	int w;

	(void)state;
	w = pipe_open(HEADER "A-1,timetracker,basic,5,never,never\n");
	next_order(&f, 2, "A-1");
	pipe_write(w, "A-2,timetracker,basic,5,never,never\n");
	next_order(&f, 3, "A-2");
	pipe_write(w, "{bad\n");
	next_bad(4, "1 field, the header has 6");
	assert_int_equal(close(w), 0);
	next_end(4);
	alarm(0);

	/* JSON lines: the first order is answered before the second comes. */
	w = pipe_open("{\"order\":\"J-1\"}\n");
	next_order(&f, 1, "J-1");
	pipe_write(w, "{\"order\":\"J-2\"}\n");
	next_order(&f, 2, "J-2");
	assert_int_equal(close(w), 0);
	next_end(2);
	alarm(0);
}

static void
test_not_opened(void **state)
{
	order_fields f;
	unsigned long line;

	(void)state;
	/* A reader orders_open never saw reads nothing. */
	memset(&rd, 0, sizeof(rd));
	assert_int_equal(orders_next(&rd, &f, &line, err, sizeof(err)), -2);
	assert_string_equal(err, "the orders cannot be read after an error");
	open_fatal("order,product\n", 9, "unknown orders format 9");
	assert_int_equal(orders_next(&rd, &f, &line, err, sizeof(err)), -2);
}

static void
test_read_error(void **state)
{
	order_fields f;
	unsigned long line;

	(void)state;
	teardown(NULL);
	/* Open for writing only: every read fails. */
	in = fopen("/dev/null", "w");
	assert_non_null(in);
	assert_int_equal(orders_open(&rd, in, ORDERS_AUTO, err, sizeof(err)),
	    -1);
	assert_string_equal(err, "cannot read the orders: Bad file "
	    "descriptor");
	/* A reader that failed to open gives nothing but errors. */
	assert_int_equal(orders_next(&rd, &f, &line, err, sizeof(err)), -2);
	assert_int_equal(orders_next(&rd, &f, &line, err, sizeof(err)), -2);
	assert_string_equal(err, "the orders cannot be read after an error");
}

/* ---- order_terms ------------------------------------------------------ */

static lkey_day
ymd(int y, int m, int d)
{
	lkey_day day;

	assert_true(lkey_day_from_ymd(y, m, d, &day));
	return day;
}

/* A minimal good order: the required fields. */
static order_fields
base(void)
{
	order_fields f;

	memset(&f, 0, sizeof(f));
	f.product = "timetracker";
	f.edition = "professional";
	f.seats = "25";
	f.expires = "2027-01-31";
	f.maintenance = "2026-12-31";
	return f;
}

static void
terms_ok(const catalog *c, const order_fields *f, lkey_license *t,
    bool *serial_auto)
{
	err[0] = '\0';
	if (order_terms(c, f, ymd(2026, 1, 1), t, serial_auto, err,
	    sizeof(err)) != 0)
		fail_msg("order_terms: %s", err);
}

/* order_terms refuses f with the message want, as a new case of t. */
static void
terms_refused(struct tally *t, const char *what, const catalog *c,
    const order_fields *f, const char *want)
{
	lkey_license terms, zero;
	bool serial_auto = true;
	int rc;

	memset(&zero, 0, sizeof(zero));
	memset(&terms, 0xa5, sizeof(terms));
	err[0] = '\0';
	t->cases++;
	rc = order_terms(c, f, ymd(2026, 1, 1), &terms, &serial_auto, err,
	    sizeof(err));
	tcheck(t, rc == -1, what, NULL, "order_terms returned %d, not -1", rc);
	tcheck(t, strcmp(err, want) == 0, what, NULL, "\"%s\", expected \"%s\"",
	    err, want);
	/* Fail closed: nothing of the terms is left. */
	tcheck(t, memcmp(&terms, &zero, sizeof(terms)) == 0, what, NULL,
	    "terms left after a refusal");
	tcheck(t, !serial_auto, what, NULL, "serial_auto left set");
}

static void
terms_bad(const catalog *c, const order_fields *f, const char *want)
{
	struct tally t = { 0, 0, 0 };

	terms_refused(&t, want, c, f, want);
	tally_done(&t, "order_terms");
}

static void
test_terms_full(void **state)
{
	order_fields f = base();
	lkey_license t;
	bool serial_auto = true;
	uint32_t k;

	(void)state;
	f.order = "A-1";
	f.starts = "2026-02-01";
	f.serial = "4294967295";
	f.features = "desktop,payroll,3";
	f.licensee = "Acme, Inc.";
	f.grace_days = "365";
	f.notice_days = "0";
	/* A module may have as many seats as the licence, not more. */
	f.module_seats = "payroll=5,3=25";
	f.trial = "true";
	f.issued = "2026-01-15";
	f.maintenance_features = "payroll,3";
	terms_ok(&cat, &f, &t, &serial_auto);
	assert_false(serial_auto);
	assert_int_equal(t.product, 1);
	assert_int_equal(t.edition, 2);
	assert_int_equal(t.seats, 25);
	assert_int_equal(t.starts, ymd(2026, 2, 1));
	assert_int_equal(t.expires, ymd(2027, 1, 31));
	assert_int_equal(t.maintenance, ymd(2026, 12, 31));
	assert_int_equal(t.issued, ymd(2026, 1, 15));
	assert_int_equal(t.serial, UINT32_MAX);
	assert_int_equal(t.features, (1U << 0) | (1U << 2) | (1U << 3));
	assert_int_equal(t.licensee_len, 10);
	assert_string_equal(t.licensee, "Acme, Inc.");
	assert_int_equal(t.grace_days, 365);
	assert_int_equal(t.notice_days, 0);
	assert_true(t.trial);
	for (k = 0; k < LKEY_FEATURES_MAX; k++)
		assert_int_equal(t.module_seats[k], k == 2 ? 5 :
		    k == 3 ? 25 : 0);
	/* Given: exactly these, not the catalog's (desktop). */
	assert_int_equal(t.maintenance_features, (1U << 2) | (1U << 3));
	/* Unlimited seats: any number of module seats. */
	f.seats = "unlimited";
	f.module_seats = "payroll=5,3=16777214";
	terms_ok(&cat, &f, &t, &serial_auto);
	assert_int_equal(t.module_seats[3], LKEY_SEATS_MAX);
}

/*
 * The features that need maintenance: the catalog's marks (keys/catalog:
 * desktop 0 and mobile 3) among the licensed features, unless the order
 * gives them; then exactly those, each licensed, "none" or "" for none.
 */
static void
test_terms_maintenance_marks(void **state)
{
	static const struct {
		const char *features, *marks;
		bool with_catalog;
		uint32_t want;
	} ok[] = {
		{ NULL, NULL, true, 0 },
		{ "desktop,payroll", NULL, true, 1U << 0 },
		{ "desktop,mobile,reports", NULL, true, (1U << 0) | (1U << 3) },
		{ "reports,payroll", NULL, true, 0 },
		{ "0,3", NULL, false, 0 },	/* no catalog, no marks */
		{ "desktop,payroll", "payroll", true, 1U << 2 },
		{ "desktop,payroll", "none", true, 0 },
		{ "desktop,payroll", "", true, 0 },
		{ "desktop,payroll", "desktop,payroll", true, 0x5 },
		{ "0,2,31", "31,0", false, (1U << 31) | 1U },
		{ "0,2", "none", false, 0 },
	};
	struct tally tl = { 0, 0, 0 };
	order_fields f;
	lkey_license t;
	bool serial_auto;
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(ok) / sizeof(ok[0]); k++) {
		f = base();
		if (!ok[k].with_catalog)
			f.product = f.edition = "1";
		f.features = ok[k].features;
		f.maintenance_features = ok[k].marks;
		terms_ok(ok[k].with_catalog ? &cat : NULL, &f, &t,
		    &serial_auto);
		if (t.maintenance_features != ok[k].want)
			fail_msg("features %s, marks %s: 0x%x, expected 0x%x",
			    ok[k].features, ok[k].marks,
			    (unsigned)t.maintenance_features,
			    (unsigned)ok[k].want);
	}
	f = base();
	f.features = "desktop";
	f.maintenance_features = "mobile";
	terms_refused(&tl, "mark not licensed", &cat, &f, "maintenance_"
	    "features: every feature must also be in features");
	f.features = NULL;
	f.maintenance_features = "desktop";
	terms_refused(&tl, "no features", &cat, &f, "maintenance_"
	    "features: every feature must also be in features");
	f.features = "desktop";
	f.maintenance_features = "teleport";
	terms_refused(&tl, "unknown", &cat, &f, "maintenance_features: "
	    "unknown feature 'teleport' (the catalog's features: desktop 0, "
	    "reports 1, payroll 2, mobile 3)");
	f.maintenance_features = "desktop,desktop";
	terms_refused(&tl, "twice", &cat, &f, "maintenance_features: "
	    "feature 'desktop' given twice");
	f.maintenance_features = "None";
	terms_refused(&tl, "None", &cat, &f, "maintenance_features: "
	    "feature 'None' is not a number from 0 to 31 or a catalog name");
	f.maintenance_features = "32";
	terms_refused(&tl, "bit 32", &cat, &f, "maintenance_features: "
	    "feature '32' is not a number from 0 to 31 or a catalog name");
	tally_done(&tl, "maintenance marks");
}

static void
test_terms_defaults(void **state)
{
	order_fields f = base();
	lkey_license t;
	bool serial_auto = false;

	(void)state;
	terms_ok(&cat, &f, &t, &serial_auto);
	/* starts and issued: today; serial: the caller's (auto). */
	assert_int_equal(t.starts, ymd(2026, 1, 1));
	assert_int_equal(t.issued, ymd(2026, 1, 1));
	assert_true(serial_auto);
	assert_int_equal(t.serial, 0);
	assert_int_equal(t.features, 0);
	assert_int_equal(t.licensee_len, 0);
	assert_int_equal(t.grace_days, 0);
	assert_int_equal(t.notice_days, LKEY_NOTICE_DAYS_DEFAULT);
	assert_false(t.trial);
	assert_int_equal(t.maintenance_features, 0);

	/* issued follows starts; "auto" is the default spelt out. */
	f.starts = "2026-03-01";
	f.serial = "auto";
	terms_ok(&cat, &f, &t, &serial_auto);
	assert_int_equal(t.starts, ymd(2026, 3, 1));
	assert_int_equal(t.issued, ymd(2026, 3, 1));
	assert_true(serial_auto);
	f.serial = "0";
	terms_ok(&cat, &f, &t, &serial_auto);
	assert_false(serial_auto);
	assert_int_equal(t.serial, 0);

	/* Numbers for product and edition (those the catalog names);
	 * unlimited; never. */
	f = (order_fields){ .product = "2", .edition = "3",
	    .seats = "unlimited", .expires = "never", .maintenance = "never" };
	terms_ok(&cat, &f, &t, &serial_auto);
	assert_int_equal(t.product, 2);
	assert_int_equal(t.edition, 3);
	assert_int_equal(t.seats, LKEY_SEATS_UNLIMITED);
	assert_int_equal(t.expires, LKEY_NEVER);
	assert_int_equal(t.maintenance, LKEY_NEVER);
	/* Without a catalog, numbers only, and any in range. */
	f.edition = "0";
	terms_ok(NULL, &f, &t, &serial_auto);
	assert_int_equal(t.product, 2);
	assert_int_equal(t.edition, 0);
	f.expires = "2149-06-05";
	f.seats = "16777214";
	terms_ok(NULL, &f, &t, &serial_auto);
	assert_int_equal(t.expires, LKEY_DAY_MAX);
	assert_int_equal(t.seats, LKEY_SEATS_MAX);
}

static void
test_terms_trial(void **state)
{
	static const char *const yes[] = { "true", "1", "yes", "TRUE", "Yes" };
	static const char *const no[] = { "false", "0", "no", "FALSE", "No" };
	order_fields f = base();
	lkey_license t;
	bool serial_auto;
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(yes) / sizeof(yes[0]); k++) {
		f.trial = yes[k];
		terms_ok(&cat, &f, &t, &serial_auto);
		assert_true(t.trial);
		f.trial = no[k];
		terms_ok(&cat, &f, &t, &serial_auto);
		assert_false(t.trial);
	}
	f.trial = "maybe";
	terms_bad(&cat, &f, "trial: must be true or false (or 1 or 0, yes or "
	    "no)");
	f.trial = "";
	terms_bad(&cat, &f, "trial: must be true or false (or 1 or 0, yes or "
	    "no)");
	f.trial = "true";
	f.expires = "never";
	terms_bad(&cat, &f, "trial: a trial licence needs an expiry date, not "
	    "expires never");
	f.trial = "false";
	terms_ok(&cat, &f, &t, &serial_auto);
}

static void
test_terms_missing(void **state)
{
	static const char *const required[] = { "product", "edition", "seats",
	    "expires", "maintenance" };
	struct tally t = { 0, 0, 0 };
	order_fields f;
	char want[64];
	size_t k;

	(void)state;
	/* Every one missing, a line each. */
	memset(&f, 0, sizeof(f));
	terms_refused(&t, "no field", &cat, &f, "missing field 'product'\n"
	    "missing field 'edition'\nmissing field 'seats'\n"
	    "missing field 'expires'\nmissing field 'maintenance'");
	for (k = 0; k < sizeof(required) / sizeof(required[0]); k++) {
		f = base();
		*member_named(&f, required[k]) = NULL;
		bprintf(want, sizeof(want), "missing field '%s'", required[k]);
		terms_refused(&t, required[k], &cat, &f, want);
	}
	tally_done(&t, "missing fields");
}

/* Values of one field that order_terms refuses, all with one message. */
struct refusal {
	const char *field;
	const char *want;
	const char *values[9];	/* ended by NULL, or full */
};

static const struct refusal refusals[] = {
	{ "product", "product: unknown product 'teleporter' (the catalog's "
	    "products: timetracker 1, timelog 2)",
	    { "teleporter" } },
	{ "product", "product: product '%s' is not a number from 1 to 65535 "
	    "or a catalog name", { "0", "65536" } },
	{ "edition", "edition: unknown edition 'gold' (the catalog's editions: "
	    "basic 1, professional 2, enterprise 3)", { "gold" } },
	{ "edition", "edition: edition '%s' is not a number from 0 to 255 or "
	    "a catalog name", { "256" } },
	{ "seats", "seats: '%s' is not a whole number from 1 to 16777214, or "
	    "unlimited", { "0", "16777215", "5.0", " 5", "-1", "Unlimited",
	    "" } },
	{ "seats", "seats: '%s' is not a whole number from 1 to 16777214 "
	    "(without leading zeros), or unlimited", { "05", "010" } },
	{ "expires", "expires: '2026-02-30' is not a real date as YYYY-MM-DD "
	    "or never", { "2026-02-30" } },
	{ "expires", "expires: '31.01.2027' is not a real date as YYYY-MM-DD "
	    "or never", { "31.01.2027" } },
	{ "expires", "expires: 2150-01-01 is after 2149-06-05, the last day a "
	    "key can carry (use never)", { "2150-01-01" } },
	{ "expires", "expires: 'Never' is not a real date as YYYY-MM-DD or "
	    "never", { "Never" } },
	{ "maintenance", "maintenance: '\\x1b[2J' is not a real date as "
	    "YYYY-MM-DD or never", { "\x1b[2J" } },
	{ "starts", "starts: 'never' is not a real date as YYYY-MM-DD",
	    { "never" } },
	{ "starts", "starts: 2149-06-06 is after 2149-06-05, the last day a "
	    "key can carry", { "2149-06-06" } },
	{ "issued", "issued: '' is not a real date as YYYY-MM-DD", { "" } },
	{ "features", "features: unknown feature 'teleport' (the catalog's "
	    "features: desktop 0, reports 1, payroll 2, mobile 3)",
	    { "desktop,teleport" } },
	{ "features", "features: empty item in feature list",
	    { "desktop,,payroll" } },
	{ "features", "features: feature 'desktop' given twice",
	    { "desktop,desktop" } },
	{ "features", "features: feature '%s' is not a number from 0 to 31 "
	    "or a catalog name", { "32" } },
	{ "module_seats", "module_seats: mobile is not in features; every "
	    "module must also be a feature", { "mobile=3" } },
	{ "module_seats", "module_seats: reports, mobile are not in features; "
	    "every module must also be a feature", { "mobile=3,reports=2" } },
	{ "module_seats", "module_seats: '%s' is not NAME=NUMBER (items "
	    "separated by commas, e.g. payroll=5)", { "payroll" } },
	{ "module_seats", "module_seats: 'reports' is not NAME=NUMBER (items "
	    "separated by commas, e.g. payroll=5)", { "payroll=5,reports" } },
	{ "module_seats", "module_seats: empty item in '%s' (NAME=NUMBER "
	    "items separated by commas, e.g. payroll=5)", { "payroll=5,",
	    "" } },
	{ "module_seats", "module_seats: '0' for 'payroll' is not a whole "
	    "number from 1 to 16777214", { "payroll=0" } },
	{ "module_seats", "module_seats: '16777215' for 'payroll' is not a "
	    "whole number from 1 to 16777214", { "payroll=16777215" } },
	{ "module_seats", "module_seats: 'payroll' given twice",
	    { "payroll=1,payroll=2" } },
	{ "module_seats", "module_seats: unknown feature 'teleport' (the "
	    "catalog's features: desktop 0, reports 1, payroll 2, mobile 3)",
	    { "teleport=1" } },
	{ "grace_days", "grace_days: '%s' is not a whole number of days from "
	    "0 to 365", { "366", "-1" } },
	{ "notice_days", "notice_days: '%s' is not a whole number of days "
	    "from 0 to 365", { "x", "1000" } },
	{ "serial", "serial: '%s' is not a whole number from 0 to "
	    "4294967295, or auto", { "4294967296", "-1", "AUTO" } },
	{ "licensee", "licensee: must be 1 to 128 bytes of text", { "" } },
	{ "licensee", "licensee: '%s' is only spaces: no name to show",
	  { " ", "   " } },
	{ "licensee", "licensee holds U+0009 (tab) at character 5, which would "
	    "change how the name is shown", { "Acme\tInc." } },
	{ "licensee", "licensee: byte 6 is not UTF-8", { "Acme \xff" } },
	{ "licensee", "licensee holds U+202E (right-to-left override) at "
	    "character 5, which would change how the name is shown",
	    { "Acme\xe2\x80\xae" "exe.doc" } },
	{ "licensee", "licensee holds U+200B (zero width space) at character "
	    "1, which would change how the name is shown",
	    { "\xe2\x80\x8b" } },
	{ "licensee", "licensee holds U+00AD (soft hyphen) at character 3, "
	    "which would change how the name is shown",
	    { "\xc3\xa9\xc3\xa9\xc2\xad" } },
	{ "licensee", "licensee holds U+0085 (control character) at character "
	    "2, which would change how the name is shown",
	    { "a\xc2\x85" } },
	{ "licensee", "licensee holds U+E0041 (format character) at character "
	    "2, which would change how the name is shown",
	    { "a\xf3\xa0\x81\x81" } },
	{ "order", "order holds U+2066 (left-to-right isolate) at character "
	    "2, which would change how the id is shown",
	    { "A\xe2\x81\xa6" } },
	{ "order", "order holds U+000D (carriage return) at character 4, "
	    "which would change how the id is shown", { "A-1\r" } },
	{ "order", "order: must be 1 to 128 bytes", { "" } },
	{ "order", "order: byte 1 is not UTF-8", { "\xc0\xaf" } },
	{ "edition", "edition: the catalog has no edition %s (its editions: "
	    "basic 1, professional 2, enterprise 3)", { "0", "4", "255" } },
	{ "product", "product: the catalog has no product %s (its products: "
	    "timetracker 1, timelog 2)", { "3", "65535" } },
	{ "features", "features: the catalog has no feature 4 (its features: "
	    "desktop 0, reports 1, payroll 2, mobile 3)",
	    { "desktop,4", "4,desktop", "31,4" } },
	{ "module_seats", "module_seats: payroll=26 exceeds the licence's 25 "
	    "seats", { "payroll=26" } },
	{ "module_seats", "module_seats: desktop=100, payroll=26 exceed the "
	    "licence's 25 seats", { "payroll=26,desktop=100" } },
	{ "starts", "licence would expire before it starts (starts "
	    "2027-02-01, expires 2027-01-31)", { "2027-02-01" } },
	{ "issued", "licence would be issued after it expires (issued "
	    "2027-02-01, expires 2027-01-31)", { "2027-02-01" } },
};

/* want with "%s" in it standing for the value: the message echoes it. */
static void
expand(const char *want, const char *value, char *out, size_t cap)
{
	const char *at = strstr(want, "%s");

	if (at == NULL)
		bprintf(out, cap, "%s", want);
	else
		bprintf(out, cap, "%.*s%s%s", (int)(at - want), want, value,
		    at + 2);
}

static void
test_terms_bad_values(void **state)
{
	struct tally t = { 0, 0, 0 };
	order_fields f;
	char what[128], want[512];
	size_t k, v;

	(void)state;
	for (k = 0; k < sizeof(refusals) / sizeof(refusals[0]); k++) {
		const struct refusal *r = &refusals[k];

		for (v = 0; v < sizeof(r->values) / sizeof(r->values[0]) &&
		    r->values[v] != NULL; v++) {
			f = base();
			f.features = "desktop,payroll";
			*member_named(&f, r->field) = r->values[v];
			bprintf(what, sizeof(what), "%s '%s'", r->field,
			    r->values[v]);
			expand(r->want, r->values[v], want, sizeof(want));
			terms_refused(&t, what, &cat, &f, want);
		}
	}
	/* Names need a catalog (each field refused on its own line). */
	f = base();
	terms_refused(&t, "no catalog", NULL, &f, "product: unknown product "
	    "'timetracker' (no catalog given)\nedition: unknown edition "
	    "'professional' (no catalog given)");
	tally_done(&t, "refused values");
}

static void
test_terms_licensee_length(void **state)
{
	char name[LKEY_LICENSEE_MAX + 2];
	order_fields f = base();
	lkey_license t;
	bool serial_auto;

	(void)state;
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	f.licensee = name;
	terms_bad(&cat, &f, "licensee: must be 1 to 128 bytes of text");
	name[LKEY_LICENSEE_MAX] = '\0';
	terms_ok(&cat, &f, &t, &serial_auto);
	assert_int_equal(t.licensee_len, LKEY_LICENSEE_MAX);
	assert_int_equal(t.licensee[LKEY_LICENSEE_MAX], '\0');
}

/* A code point as UTF-8 into out (NUL-terminated). */
static void
utf8_put(uint32_t cp, char out[5])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		out[1] = '\0';
	} else if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		out[2] = '\0';
	} else if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		out[3] = '\0';
	} else {
		out[0] = (char)(0xf0 | cp >> 18);
		out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[3] = (char)(0x80 | (cp & 0x3f));
		out[4] = '\0';
	}
}

/*
 * Every control and format character (Unicode Cf, and U+2028, U+2029) is
 * refused in a licensee and an order id, by code point and position;
 * visible text around them, and other spaces and marks, are not.
 */
static void
test_hidden_characters(void **state)
{
	static const uint32_t refused[][2] = {
		{ 0x00, 0x1f }, { 0x7f, 0x9f }, { 0xad, 0xad },
		{ 0x34f, 0x34f }, { 0x600, 0x605 }, { 0x61c, 0x61c },
		{ 0x6dd, 0x6dd }, { 0x70f, 0x70f }, { 0x890, 0x891 },
		{ 0x8e2, 0x8e2 }, { 0x115f, 0x1160 }, { 0x17b4, 0x17b5 },
		{ 0x180b, 0x180f }, { 0x200b, 0x200f }, { 0x2028, 0x202e },
		{ 0x2060, 0x2064 }, { 0x2066, 0x206f }, { 0x2800, 0x2800 },
		{ 0x3164, 0x3164 }, { 0xfe00, 0xfe0f }, { 0xfeff, 0xfeff },
		{ 0xffa0, 0xffa0 }, { 0xe0100, 0xe01ef },
		{ 0xfff9, 0xfffb }, { 0x110bd, 0x110bd }, { 0x110cd, 0x110cd },
		{ 0x13430, 0x1343f }, { 0x1bca0, 0x1bca3 },
		{ 0x1d173, 0x1d17a }, { 0xe0001, 0xe0001 },
		{ 0xe0020, 0xe007f },
	};
	static const uint32_t fine[] = { 0x20, 0x7e, 0xa0, 0xac, 0xae,
	    0xe9, 0x5d0, 0x627, 0x2010, 0x200a, 0x2030, 0x2065, 0x3000,
	    0x180a, 0x1810, 0x1161, 0x17b6, 0x2801, 0x3165, 0xfe10,
	    0xe01f0,
	    0xfeff - 1, 0xfffc, 0xfffd, 0x1f600, 0xe0000, 0xe0080,
	    0x10ffff };
	char ch[5], txt[32], want[256], got[256], id[256];
	size_t k, len;
	uint32_t cp;

	(void)state;
	for (k = 0; k < sizeof(refused) / sizeof(refused[0]); k++) {
		for (cp = refused[k][0]; cp <= refused[k][1]; cp++) {
			utf8_put(cp, ch);
			len = (size_t)snprintf(txt, sizeof(txt), "Ab%s", ch);
			if (cp == 0)
				len = 3;	/* NUL inside */
			assert_int_equal(utf8_shown_check(txt, len, got,
			    sizeof(got)), -1);
			bprintf(want, sizeof(want), "holds U+%04X (%s) at "
			    "character 3", (unsigned)cp, utf8_hidden_name(cp));
			assert_string_equal(got, want);
			if (cp == 0)
				continue;
			bprintf(want, sizeof(want), "order holds U+%04X (%s) "
			    "at character 3, which would change how the id is "
			    "shown", (unsigned)cp, utf8_hidden_name(cp));
			assert_int_equal(order_id_check(txt, "order", id,
			    sizeof(id)), -1);
			assert_string_equal(id, want);
		}
	}
	for (k = 0; k < sizeof(fine) / sizeof(fine[0]); k++) {
		utf8_put(fine[k], ch);
		snprintf(txt, sizeof(txt), "%s-%s", ch, ch);
		if (utf8_shown_check(txt, strlen(txt), got,
		    sizeof(got)) != 0)
			fail_msg("U+%04X refused: %s", (unsigned)fine[k], got);
		assert_null(utf8_hidden_name(fine[k]));
		assert_int_equal(order_id_check(txt, "order", id, sizeof(id)),
		    0);
	}
	assert_string_equal(utf8_hidden_name(0x202e), "right-to-left "
	    "override");
	assert_string_equal(utf8_hidden_name(0x1b), "escape");
	assert_string_equal(utf8_hidden_name(0x9b), "control character");
	assert_string_equal(utf8_hidden_name(0x2064), "invisible plus");
	/* Positions count characters, not bytes. */
	assert_int_equal(utf8_shown_check("\xc3\xa9t\xc3\xa9\xe2\x80\x8b", 8,
	    got, sizeof(got)), -1);
	assert_string_equal(got, "holds U+200B (zero width space) at "
	    "character 4");
}

/* Rows read by orders_next go through order_terms as they are. */
static void
test_rows_to_terms(void **state)
{
	order_fields f;
	lkey_license t;
	bool serial_auto;

	(void)state;
	open_ok("{\"order\":\"J-1\",\"product\":1,\"edition\":\"basic\","
	    "\"seats\":10,\"expires\":\"2027-01-31\",\"maintenance\":\"never\","
	    "\"serial\":99,\"grace_days\":5,\"trial\":true,"
	    "\"module_seats\":null}\n"
	    "{\"product\":1,\"edition\":1,\"seats\":1.5,\"expires\":\"never\","
	    "\"maintenance\":\"never\"}\n", ORDERS_AUTO);
	next_ok(&f, 1);
	terms_ok(&cat, &f, &t, &serial_auto);
	assert_int_equal(t.seats, 10);
	assert_int_equal(t.serial, 99);
	assert_false(serial_auto);
	assert_int_equal(t.grace_days, 5);
	assert_true(t.trial);
	next_ok(&f, 2);
	terms_bad(&cat, &f, "seats: '1.5' is not a whole number from 1 to "
	    "16777214, or unlimited");
}

/*
 * The shapes lkey-verify --json prints: features as a list of names or
 * numbers, module seats as an object, the end dates by its names; read
 * into the text `issue` takes, and on to the same terms.
 */
static void
test_json_shapes(void **state)
{
	order_fields f;
	lkey_license t;
	bool serial_auto;

	(void)state;
	open_ok("{\"product\":\"timetracker\",\"edition\":\"basic\",\"seats\":5,"
	    "\"license_expires\":\"2027-01-31\",\"maintenance_expires\":"
	    "\"never\",\"features\":[\"desktop\",\"reports\",2],"
	    "\"module_seats\":{\"payroll\":5},\"maintenance_features\":[]}\n"
	    "{\"product\":1,\"edition\":1,\"seats\":\"unlimited\","
	    "\"expires\":\"never\",\"maintenance\":\"never\","
	    "\"features\":[0,1],"
	    "\"maintenance_features\":[\"desktop\"],\"module_seats\":{\"1\":3,"
	    "\"desktop\":16777214}}\n"
	    "{\"features\":[],\"module_seats\":{}}\n",
	    ORDERS_AUTO);
	next_ok(&f, 1);
	assert_string_equal(f.expires, "2027-01-31");
	assert_string_equal(f.maintenance, "never");
	assert_string_equal(f.features, "desktop,reports,2");
	assert_string_equal(f.module_seats, "payroll=5");
	assert_string_equal(f.maintenance_features, "");
	terms_ok(&cat, &f, &t, &serial_auto);
	assert_int_equal(t.features, 7);
	assert_int_equal(t.module_seats[2], 5);
	assert_int_equal(t.maintenance_features, 0);
	next_ok(&f, 2);
	assert_string_equal(f.features, "0,1");
	assert_string_equal(f.maintenance_features, "desktop");
	assert_string_equal(f.module_seats, "1=3,desktop=16777214");
	terms_ok(&cat, &f, &t, &serial_auto);
	assert_int_equal(t.features, 3);
	assert_int_equal(t.maintenance_features, 1);
	assert_int_equal(t.module_seats[0], 16777214);
	assert_int_equal(t.module_seats[1], 3);
	/* [] is no feature; {} no module seats. */
	next_ok(&f, 3);
	assert_string_equal(f.features, "");
	assert_null(f.module_seats);
	next_end(3);
}

/* Every bad list, object or name is refused naming its field. */
static void
test_json_shapes_bad(void **state)
{
	static const struct {
		const char *line, *want;
	} bad[] = {
		{ "{\"features\":[\"desktop\",true]}",
		    "features: element 2 is not a name or a number" },
		{ "{\"features\":[\"desktop\",null]}",
		    "features: element 2 is not a name or a number" },
		{ "{\"features\":[\"desktop,reports\"]}",
		    "features: element 1 is not a name or a number" },
		{ "{\"features\":[\"\"]}",
		    "features: element 1 is not a name or a number" },
		{ "{\"maintenance_features\":[1,\"a b\"]}",
		    "maintenance_features: element 2 is not a name or a "
		    "number" },
		{ "{\"features\":[1.5]}",
		    "features: element 1 (1.5) is not a feature number from 0 "
		    "to 31" },
		{ "{\"features\":[32]}",
		    "features: element 1 (32) is not a feature number from 0 "
		    "to 31" },
		{ "{\"features\":[-1]}",
		    "features: element 1 (-1) is not a feature number from 0 "
		    "to 31" },
		{ "{\"features\":[[\"desktop\"]]}",
		    "features: lists and objects inside it are not supported "
		    "(column 14)" },
		{ "{\"features\":{\"desktop\":1}}",
		    "features: must be a string or a list of names or numbers, "
		    "not an object" },
		{ "{\"features\":[\"desktop\" \"reports\"]}",
		    "features: column 24: expected ',' or ']'" },
		{ "{\"module_seats\":{\"payroll\":0}}",
		    "module_seats: 0 for 'payroll' is not a whole number from "
		    "1 to 16777214" },
		{ "{\"module_seats\":{\"payroll\":16777215}}",
		    "module_seats: 16777215 for 'payroll' is not a whole number "
		    "from 1 to 16777214" },
		{ "{\"module_seats\":{\"payroll\":\"5\"}}",
		    "module_seats: the value for 'payroll' is not a number (a "
		    "whole number from 1 to 16777214)" },
		{ "{\"module_seats\":{\"payroll\":2.5}}",
		    "module_seats: 2.5 for 'payroll' is not a whole number from "
		    "1 to 16777214" },
		{ "{\"module_seats\":{\"pay=roll\":5}}",
		    "module_seats: 'pay=roll' is not a name or a number" },
		{ "{\"module_seats\":{\"payroll\":{\"x\":1}}}",
		    "module_seats: lists and objects inside it are not "
		    "supported (column 28)" },
		{ "{\"module_seats\":{\"payroll\":5,\"payroll\":6}}",
		    "module_seats: duplicate name \"payroll\"" },
		{ "{\"module_seats\":[\"payroll=5\"]}",
		    "module_seats: must be a string or an object of seats by "
		    "name, not a list" },
		{ "{\"seats\":[5]}",
		    "seats: must be a string or a number, not a list" },
		{ "{\"licensee\":{\"name\":\"x\"}}",
		    "licensee: must be a string, not an object" },
		{ "{\"expires\":\"never\",\"license_expires\":\"never\"}",
		    "'expires' and 'license_expires' are the same field: give "
		    "only one" },
		{ "{\"maintenance_expires\":null,\"maintenance\":\"never\"}",
		    "'maintenance_expires' and 'maintenance' are the same "
		    "field: give only one" },
		{ "{\"key_id\":\"277e0164\"}", "unknown field 'key_id'" },
	};
	char line[256], many[512];
	size_t k, n;

	(void)state;
	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		snprintf(line, sizeof(line), "%s\n", bad[k].line);
		open_ok(line, ORDERS_JSON);
		next_bad(1, bad[k].want);
	}
	/* 33 elements: one feature at least twice. */
	n = (size_t)snprintf(many, sizeof(many), "{\"features\":[0");
	for (k = 1; k < 33; k++)
		n += (size_t)snprintf(many + n, sizeof(many) - n, ",%zu",
		    k % 32);
	snprintf(many + n, sizeof(many) - n, "]}\n");
	open_ok(many, ORDERS_JSON);
	next_bad(1, "features: more than 32 elements");
	/* Far more values than any order holds: still named. */
	n = (size_t)snprintf(many, sizeof(many), "{\"features\":[0");
	for (k = 1; k < 200 && n < sizeof(many) - 8; k++)
		n += (size_t)snprintf(many + n, sizeof(many) - n, ",1");
	snprintf(many + n, sizeof(many) - n, "]}\n");
	open_ok(many, ORDERS_JSON);
	next_bad(1, "features: more than 32 elements");
}

/*
 * A row with several bad fields reports every one, a line each: a CSV row
 * through order_terms; a JSON line through the reader (the fields it
 * cannot read) and order_terms_but (the others).
 */
static void
test_every_bad_field(void **state)
{
	order_fields f;
	lkey_license t;
	uint32_t refused = 0;
	bool serial_auto = true;

	(void)state;
	open_ok(HEADER "A-1,timetracker,0,010,2027-02-30,never\n",
	    ORDERS_AUTO);
	next_ok(&f, 2);
	terms_bad(&cat, &f, "edition: the catalog has no edition 0 (its "
	    "editions: basic 1, professional 2, enterprise 3)\n"
	    "seats: '010' is not a whole number from 1 to 16777214 (without "
	    "leading zeros), or unlimited\n"
	    "expires: '2027-02-30' is not a real date as YYYY-MM-DD or never");

	open_ok("{\"order\":\"J-1\",\"product\":\"timetracker\","
	    "\"edition\":255,\"seats\":[5],\"colour\":\"red\","
	    "\"expires\":\"never\",\"maintenance\":\"never\","
	    "\"licensee\":\"Acme\\u202eexe.doc\",\"trial\":\"maybe\"}\n"
	    "{\"order\":\"J-2\",\"product\":1,\"edition\":1,\"seats\":5,"
	    "\"expires\":\"never\",\"maintenance\":true}\n", ORDERS_AUTO);
	next_is(&f, -1, 1);
	assert_string_equal(err, "seats: must be a string or a number, not a "
	    "list\nunknown field 'colour'");
	assert_true(orders_partial(&rd, &refused));
	assert_int_equal(refused, 1U << 3);	/* seats */
	assert_null(f.seats);
	assert_string_equal(f.order, "J-1");
	assert_string_equal(f.edition, "255");
	assert_int_equal(order_terms_but(&cat, &f, refused, 0, false, &t,
	    &serial_auto, err, sizeof(err)), -1);
	/* Not "missing field 'seats'": that one is reported already. */
	assert_string_equal(err, "edition: the catalog has no edition 255 (its "
	    "editions: basic 1, professional 2, enterprise 3)\n"
	    "trial: must be true or false (or 1 or 0, yes or no)\n"
	    "licensee holds U+202E (right-to-left override) at character 5, "
	    "which would change how the name is shown");
	assert_false(serial_auto);
	/* Only the reader's fault: the rest is good, still no terms. */
	next_is(&f, -1, 2);
	assert_string_equal(err, "maintenance: must be a string, not true");
	assert_true(orders_partial(&rd, &refused));
	assert_int_equal(refused, 1U << 6);	/* maintenance */
	assert_int_equal(order_terms_but(&cat, &f, refused, 0, false, &t,
	    &serial_auto, err, sizeof(err)), -1);
	assert_string_equal(err, "");
	next_end(2);
}

/* CSV takes the names lkey-verify --json gives the end dates, too. */
static void
test_csv_aliases(void **state)
{
	order_fields f;

	(void)state;
	open_ok("order,product,edition,seats,license_expires,"
	    "maintenance_expires\nA-1,1,1,5,2027-01-31,never\n", ORDERS_AUTO);
	next_ok(&f, 2);
	assert_string_equal(f.expires, "2027-01-31");
	assert_string_equal(f.maintenance, "never");
	open_fatal("order,product,edition,seats,expires,maintenance,"
	    "license_expires\n", ORDERS_AUTO, "header: 'expires' and "
	    "'license_expires' are the same field: give only one");
	open_fatal("order,product,edition,seats,expires,maintenance,"
	    "expires\n", ORDERS_AUTO, "header: field 'expires' given twice");
}

/* ---- volume ----------------------------------------------------------- */

#define ROWS 100000UL
#define BAD_ROW 50001UL

/*
 * 100 000 rows, the 50 001st (line 50 002) with a column too many: exactly
 * that row is bad, with its line number; every other row reads and passes
 * order_terms.
 */
static void
test_many_rows(void **state)
{
	static const char *const editions[] = { "basic", "professional",
	    "enterprise" };
	order_fields f;
	lkey_license t;
	bool serial_auto;
	unsigned long i, line, good = 0, bad = 0, bad_line = 0;
	size_t cap = ROWS * 160 + 256, n = 0;
	char *big;
	clock_t c0;
	int rc;

	(void)state;
	big = malloc(cap);
	assert_non_null(big);
	n += (size_t)snprintf(big + n, cap - n, "order,product,edition,seats,"
	    "starts,expires,maintenance,serial,features,licensee,"
	    "module_seats\r\n");
	for (i = 1; i <= ROWS; i++) {
		n += (size_t)snprintf(big + n, cap - n, "O-%lu,%s,%s,%lu,"
		    "2026-01-01,2027-%02lu-28,never,%lu,\"desktop,payroll\","
		    "\"Customer %lu, Ltd.\",payroll=%lu%s\r\n", i,
		    i % 2 ? "timetracker" : "2", editions[i % 3], i % 1000 + 1,
		    i % 12 + 1, i, i, i % 50 + 1, i == BAD_ROW ? ",extra" : "");
		assert_true(n < cap);
	}
	teardown(NULL);
	text = big;
	in = fmemopen(big, n, "r");
	assert_non_null(in);

	c0 = clock();
	assert_int_equal(orders_open(&rd, in, ORDERS_AUTO, err, sizeof(err)),
	    0);
	for (;;) {
		rc = orders_next(&rd, &f, &line, err, sizeof(err));
		if (rc == 0)
			break;
		if (rc == -1) {
			bad++;
			bad_line = line;
			assert_string_equal(err,
			    "12 fields, the header has 11");
			continue;
		}
		assert_int_equal(rc, 1);
		if (order_terms(&cat, &f, ymd(2026, 1, 1), &t, &serial_auto,
		    err, sizeof(err)) != 0)
			fail_msg("line %lu: %s", line, err);
		good++;
		i = line - 1;
		assert_int_equal(t.serial, i);
		assert_int_equal(t.seats, i % 1000 + 1);
		assert_int_equal(t.module_seats[2], i % 50 + 1);
	}
	printf("%lu rows in %.2f s\n", ROWS,
	    (double)(clock() - c0) / CLOCKS_PER_SEC);
	assert_int_equal(bad, 1);
	assert_int_equal(bad_line, BAD_ROW + 1);
	assert_int_equal(good, ROWS - 1);
	assert_int_equal(line, ROWS + 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_csv, teardown),
		cmocka_unit_test_teardown(test_csv_every_field, teardown),
		cmocka_unit_test_teardown(test_csv_quoted, teardown),
		cmocka_unit_test_teardown(test_csv_bad_syntax, teardown),
		cmocka_unit_test_teardown(test_csv_multiline_quote, teardown),
		cmocka_unit_test_teardown(test_csv_columns, teardown),
		cmocka_unit_test_teardown(test_crlf_and_blank_lines, teardown),
		cmocka_unit_test_teardown(test_bom, teardown),
		cmocka_unit_test_teardown(test_header_errors, teardown),
		cmocka_unit_test_teardown(test_empty, teardown),
		cmocka_unit_test_teardown(test_long_lines, teardown),
		cmocka_unit_test_teardown(test_nul_and_cr, teardown),
		cmocka_unit_test_teardown(test_json, teardown),
		cmocka_unit_test_teardown(test_forced_format, teardown),
		cmocka_unit_test_teardown(test_no_read_ahead, teardown),
		cmocka_unit_test_teardown(test_pipe, teardown),
		cmocka_unit_test_teardown(test_not_opened, teardown),
		cmocka_unit_test_teardown(test_read_error, teardown),
		cmocka_unit_test(test_terms_full),
		cmocka_unit_test(test_terms_defaults),
		cmocka_unit_test(test_terms_maintenance_marks),
		cmocka_unit_test(test_terms_trial),
		cmocka_unit_test(test_terms_missing),
		cmocka_unit_test(test_terms_bad_values),
		cmocka_unit_test(test_terms_licensee_length),
		cmocka_unit_test_teardown(test_rows_to_terms, teardown),
		cmocka_unit_test_teardown(test_json_shapes, teardown),
		cmocka_unit_test_teardown(test_json_shapes_bad, teardown),
		cmocka_unit_test_teardown(test_every_bad_field, teardown),
		cmocka_unit_test(test_hidden_characters),
		cmocka_unit_test_teardown(test_csv_aliases, teardown),
		cmocka_unit_test_teardown(test_many_rows, teardown),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}

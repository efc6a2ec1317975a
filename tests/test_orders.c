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

#define CATALOG "keys/catalog"
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

	next_is(&f, -1, want_line);
	assert_string_equal(err, want);
	assert_null(f.order);
	assert_null(f.product);
}

static void
next_end(unsigned long want_line)
{
	order_fields f;

	next_is(&f, 0, want_line);
	/* And again: the end stays the end. */
	next_is(&f, 0, want_line);
}

/* ---- CSV -------------------------------------------------------------- */

static void
test_csv(void **state)
{
	order_fields f;

	(void)state;
	open_ok(HEADER
	    "A-1,timetracker,professional,5,2027-01-31,2026-12-31\n"
	    "A-2,timelog,basic,unlimited,never,never\n"
	    "A-3,1,2,10,2030-01-01,never", ORDERS_AUTO);
	next_ok(&f, 2);
	assert_string_equal(f.order, "A-1");
	assert_string_equal(f.product, "timetracker");
	assert_string_equal(f.edition, "professional");
	assert_string_equal(f.seats, "5");
	assert_string_equal(f.expires, "2027-01-31");
	assert_string_equal(f.maintenance, "2026-12-31");
	assert_null(f.starts);
	assert_null(f.serial);
	assert_null(f.features);
	assert_null(f.licensee);
	assert_null(f.grace_days);
	assert_null(f.notice_days);
	assert_null(f.module_seats);
	assert_null(f.trial);
	assert_null(f.issued);
	next_ok(&f, 3);
	assert_string_equal(f.order, "A-2");
	assert_string_equal(f.seats, "unlimited");
	/* The last line needs no line end. */
	next_ok(&f, 4);
	assert_string_equal(f.product, "1");
	assert_string_equal(f.maintenance, "never");
	next_end(4);
}

static void
test_csv_every_field(void **state)
{
	order_fields f;

	(void)state;
	/* Any column order; every field once. */
	open_ok("issued,trial,module_seats,notice_days,grace_days,licensee,"
	    "features,serial,maintenance,expires,starts,seats,edition,"
	    "product,order\n"
	    "2026-01-02,true,payroll=5,20,10,Acme,\"desktop,payroll\",42,"
	    "2026-12-31,2027-01-31,2026-01-01,25,professional,timetracker,"
	    "A-9\n", ORDERS_CSV);
	next_ok(&f, 2);
	assert_string_equal(f.issued, "2026-01-02");
	assert_string_equal(f.trial, "true");
	assert_string_equal(f.module_seats, "payroll=5");
	assert_string_equal(f.notice_days, "20");
	assert_string_equal(f.grace_days, "10");
	assert_string_equal(f.licensee, "Acme");
	assert_string_equal(f.features, "desktop,payroll");
	assert_string_equal(f.serial, "42");
	assert_string_equal(f.maintenance, "2026-12-31");
	assert_string_equal(f.expires, "2027-01-31");
	assert_string_equal(f.starts, "2026-01-01");
	assert_string_equal(f.seats, "25");
	assert_string_equal(f.edition, "professional");
	assert_string_equal(f.product, "timetracker");
	assert_string_equal(f.order, "A-9");
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
	next_ok(&f, 2);
	assert_string_equal(f.order, "A,1");
	assert_string_equal(f.product, "timetracker");
	assert_string_equal(f.licensee, "Acme, Inc. \"East\"");
	assert_string_equal(f.features, "desktop,reports");
	/* Empty, quoted or not, is absent. */
	next_ok(&f, 3);
	assert_null(f.order);
	assert_string_equal(f.edition, "basic");
	assert_null(f.licensee);
	assert_null(f.features);
	next_ok(&f, 4);
	assert_string_equal(f.order, "\"");
	assert_string_equal(f.licensee, "\"x\"");
	/* Spaces belong to the field (RFC 4180). */
	assert_string_equal(f.features, " spaced ");
	next_ok(&f, 5);
	assert_null(f.order);
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
	next_ok(&f, 7);
	assert_string_equal(f.order, "A-6");
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
	next_ok(&f, 5);
	assert_string_equal(f.order, "A-4");
	next_bad(6, "26 fields, the header has 6");
	next_ok(&f, 7);
	assert_string_equal(f.order, "A-6");
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
	next_ok(&f, 2);
	assert_string_equal(f.order, "A-1");
	next_end(2);
	/* Before a blank line, before JSON, with a forced format. */
	open_ok("\xef\xbb\xbf\r\n" HEADER "A-1,timetracker,basic,5,never,"
	    "never\n", ORDERS_AUTO);
	next_ok(&f, 3);
	open_ok("\xef\xbb\xbf{\"order\":\"J-1\"}\n", ORDERS_AUTO);
	next_ok(&f, 1);
	assert_string_equal(f.order, "J-1");
	open_ok("\xef\xbb\xbf{\"order\":\"J-1\"}\n", ORDERS_JSON);
	next_ok(&f, 1);
	open_ok("\xef\xbb\xbf" HEADER, ORDERS_CSV);
	next_end(1);
	/* Only at the very start: later it is part of a field. */
	open_ok(HEADER "\xef\xbb\xbf" "A-1,timetracker,basic,5,never,never\n",
	    ORDERS_AUTO);
	next_ok(&f, 2);
	assert_string_equal(f.order, "\xef\xbb\xbf" "A-1");
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
	order_fields f;

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
	next_ok(&f, 2);
	assert_string_equal(f.order, "J-1");
	assert_string_equal(f.product, "timetracker");
	assert_string_equal(f.edition, "2");
	assert_string_equal(f.seats, "5");
	assert_string_equal(f.expires, "2027-01-31");
	assert_string_equal(f.maintenance, "never");
	assert_string_equal(f.serial, "7");
	assert_string_equal(f.grace_days, "0");
	assert_string_equal(f.notice_days, "30");
	assert_string_equal(f.trial, "true");
	assert_string_equal(f.licensee, "Caf\xc3\xa9, \"Inc.\"");
	assert_null(f.features);
	assert_null(f.starts);
	next_ok(&f, 4);
	assert_string_equal(f.order, "J-2");
	assert_string_equal(f.product, "1");
	assert_string_equal(f.trial, "false");
	assert_null(f.starts);
	assert_null(f.seats);
	next_bad(5, "unknown field 'colour'");
	next_bad(6, "not a JSON object");
	next_bad(7, "not a JSON object");
	next_bad(8, "column 10: nested values are not supported");
	next_bad(9, "expires: must be a string, not a number");
	next_bad(10, "seats: must be a string or a number, not true");
	next_bad(11, "licensee: must be a string, not false");
	next_bad(12, "trial: must be a string, true or false, not a "
	    "number");
	next_bad(13, "duplicate name \"order\"");
	next_bad(14, "column 10: number with a leading zero");
	next_ok(&f, 15);
	assert_null(f.order);
	assert_null(f.product);
	/* In JSON, "" is a value; null is absent. */
	next_ok(&f, 16);
	assert_string_equal(f.licensee, "");
	assert_null(f.order);
	next_ok(&f, 17);
	assert_string_equal(f.seats, "unlimited");
	assert_string_equal(f.trial, "yes");
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
	next_ok(&f, 2);
	assert_string_equal(f.order, "J-1");
	next_end(2);
	/* CSV forced: a JSON first line is a (bad) header. */
	open_fatal("{\"order\":\"J-1\"}\n", ORDERS_CSV, "header: field 1: "
	    "quote inside an unquoted field (quote the whole field and "
	    "double the quote)");
	/* Auto: a CSV file whose rows happen to start with '{'. */
	open_ok(HEADER "{A-1},timetracker,basic,5,never,never\n", ORDERS_AUTO);
	next_ok(&f, 2);
	assert_string_equal(f.order, "{A-1}");
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

/* Orders fed one at a time through a pipe that stays open. */
static void
test_pipe(void **state)
{
	order_fields f;
	int fds[2];

	(void)state;
	teardown(NULL);
	assert_int_equal(pipe(fds), 0);
	in = fdopen(fds[0], "r");
	assert_non_null(in);
	/* Reading ahead would block: SIGALRM ends the test instead. */
	alarm(10);
	pipe_write(fds[1], HEADER "A-1,timetracker,basic,5,never,never\n");
	assert_int_equal(orders_open(&rd, in, ORDERS_AUTO, err, sizeof(err)),
	    0);
	next_ok(&f, 2);
	assert_string_equal(f.order, "A-1");
	pipe_write(fds[1], "A-2,timetracker,basic,5,never,never\n");
	next_ok(&f, 3);
	assert_string_equal(f.order, "A-2");
	pipe_write(fds[1], "{bad\n");
	next_bad(4, "1 field, the header has 6");
	assert_int_equal(close(fds[1]), 0);
	next_end(4);
	alarm(0);

	/* JSON lines: the first order is answered before the second comes. */
	teardown(NULL);
	assert_int_equal(pipe(fds), 0);
	in = fdopen(fds[0], "r");
	assert_non_null(in);
	alarm(10);
	pipe_write(fds[1], "{\"order\":\"J-1\"}\n");
	assert_int_equal(orders_open(&rd, in, ORDERS_AUTO, err, sizeof(err)),
	    0);
	next_ok(&f, 1);
	assert_string_equal(f.order, "J-1");
	pipe_write(fds[1], "{\"order\":\"J-2\"}\n");
	next_ok(&f, 2);
	assert_string_equal(f.order, "J-2");
	assert_int_equal(close(fds[1]), 0);
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

static void
terms_bad(const catalog *c, const order_fields *f, const char *want)
{
	lkey_license t, zero;
	bool serial_auto = true;

	memset(&zero, 0, sizeof(zero));
	memset(&t, 0xa5, sizeof(t));
	err[0] = '\0';
	assert_int_equal(order_terms(c, f, ymd(2026, 1, 1), &t, &serial_auto,
	    err, sizeof(err)), -1);
	assert_string_equal(err, want);
	/* Fail closed: nothing of the terms is left. */
	assert_memory_equal(&t, &zero, sizeof(t));
	assert_false(serial_auto);
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
	f.features = "desktop,payroll,7";
	f.licensee = "Acme, Inc.";
	f.grace_days = "365";
	f.notice_days = "0";
	f.module_seats = "payroll=5,7=16777214";
	f.trial = "true";
	f.issued = "2026-01-15";
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
	assert_int_equal(t.features, (1U << 0) | (1U << 2) | (1U << 7));
	assert_int_equal(t.licensee_len, 10);
	assert_string_equal(t.licensee, "Acme, Inc.");
	assert_int_equal(t.grace_days, 365);
	assert_int_equal(t.notice_days, 0);
	assert_true(t.trial);
	for (k = 0; k < LKEY_FEATURES_MAX; k++)
		assert_int_equal(t.module_seats[k], k == 2 ? 5 :
		    k == 7 ? LKEY_SEATS_MAX : 0);
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

	/* Numbers for product and edition; unlimited; never. */
	f = base();
	f.product = "2";
	f.edition = "0";
	f.seats = "unlimited";
	f.expires = "never";
	f.maintenance = "never";
	terms_ok(&cat, &f, &t, &serial_auto);
	assert_int_equal(t.product, 2);
	assert_int_equal(t.edition, 0);
	assert_int_equal(t.seats, LKEY_SEATS_UNLIMITED);
	assert_int_equal(t.expires, LKEY_NEVER);
	assert_int_equal(t.maintenance, LKEY_NEVER);
	/* Without a catalog, numbers only. */
	terms_ok(NULL, &f, &t, &serial_auto);
	assert_int_equal(t.product, 2);
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
	order_fields f;

	(void)state;
	memset(&f, 0, sizeof(f));
	terms_bad(&cat, &f, "missing field 'product'");
	f = base();
	f.edition = NULL;
	terms_bad(&cat, &f, "missing field 'edition'");
	f = base();
	f.seats = NULL;
	terms_bad(&cat, &f, "missing field 'seats'");
	f = base();
	f.expires = NULL;
	terms_bad(&cat, &f, "missing field 'expires'");
	f = base();
	f.maintenance = NULL;
	terms_bad(&cat, &f, "missing field 'maintenance'");
}

static void
test_terms_bad_values(void **state)
{
	static const struct {
		size_t off;
		const char *value;
		const char *want;
	} cases[] = {
#define F(m) offsetof(order_fields, m)
		{ F(product), "teleporter", "product: unknown product "
		    "'teleporter'" },
		{ F(product), "0", "product: product must be a number from 1 "
		    "to 65535 or a catalog name" },
		{ F(product), "65536", "product: product must be a number from "
		    "1 to 65535 or a catalog name" },
		{ F(edition), "gold", "edition: unknown edition 'gold'" },
		{ F(edition), "256", "edition: edition must be a number from 0 "
		    "to 255 or a catalog name" },
		{ F(seats), "0", "seats: must be a whole number from 1 to "
		    "16777214, or unlimited" },
		{ F(seats), "16777215", "seats: must be a whole number from 1 "
		    "to 16777214, or unlimited" },
		{ F(seats), "05", "seats: must be a whole number from 1 to "
		    "16777214, or unlimited" },
		{ F(seats), "5.0", "seats: must be a whole number from 1 to "
		    "16777214, or unlimited" },
		{ F(seats), " 5", "seats: must be a whole number from 1 to "
		    "16777214, or unlimited" },
		{ F(seats), "-1", "seats: must be a whole number from 1 to "
		    "16777214, or unlimited" },
		{ F(seats), "Unlimited", "seats: must be a whole number from 1 "
		    "to 16777214, or unlimited" },
		{ F(seats), "", "seats: must be a whole number from 1 to "
		    "16777214, or unlimited" },
		{ F(expires), "2026-02-30", "expires: '2026-02-30' is not a "
		    "real date as YYYY-MM-DD or never" },
		{ F(expires), "31.01.2027", "expires: '31.01.2027' is not a "
		    "real date as YYYY-MM-DD or never" },
		{ F(expires), "2150-01-01", "expires: 2150-01-01 is after "
		    "2149-06-05, the last day a key can carry (use never)" },
		{ F(expires), "Never", "expires: 'Never' is not a real date as "
		    "YYYY-MM-DD or never" },
		{ F(maintenance), "\x1b[2J", "maintenance: '\\x1b[2J' is not a "
		    "real date as YYYY-MM-DD or never" },
		{ F(starts), "never", "starts: 'never' is not a real date as "
		    "YYYY-MM-DD" },
		{ F(starts), "2149-06-06", "starts: 2149-06-06 is after "
		    "2149-06-05, the last day a key can carry" },
		{ F(issued), "", "issued: '' is not a real date as "
		    "YYYY-MM-DD" },
		{ F(features), "desktop,teleport", "features: unknown feature "
		    "'teleport'" },
		{ F(features), "desktop,,payroll", "features: empty item in "
		    "feature list" },
		{ F(features), "desktop,desktop", "features: feature 'desktop' "
		    "given twice" },
		{ F(features), "32", "features: feature must be a number from "
		    "0 to 31 or a catalog name" },
		{ F(module_seats), "mobile=3", "module_seats: every module "
		    "must also be in features" },
		{ F(module_seats), "payroll", "module_seats: needs NAME=NUMBER "
		    "items separated by commas, e.g. payroll=5" },
		{ F(module_seats), "payroll=5,", "module_seats: needs "
		    "NAME=NUMBER items separated by commas, e.g. payroll=5" },
		{ F(module_seats), "", "module_seats: needs NAME=NUMBER items "
		    "separated by commas, e.g. payroll=5" },
		{ F(module_seats), "payroll=0", "module_seats: the number for "
		    "'payroll' must be a whole number from 1 to 16777214" },
		{ F(module_seats), "payroll=16777215", "module_seats: the "
		    "number for 'payroll' must be a whole number from 1 to "
		    "16777214" },
		{ F(module_seats), "payroll=1,payroll=2", "module_seats: "
		    "'payroll' given twice" },
		{ F(module_seats), "teleport=1", "module_seats: unknown "
		    "feature 'teleport'" },
		{ F(grace_days), "366", "grace_days: must be a whole number of "
		    "days from 0 to 365" },
		{ F(grace_days), "-1", "grace_days: must be a whole number of "
		    "days from 0 to 365" },
		{ F(notice_days), "x", "notice_days: must be a whole number of "
		    "days from 0 to 365" },
		{ F(notice_days), "1000", "notice_days: must be a whole number "
		    "of days from 0 to 365" },
		{ F(serial), "4294967296", "serial: must be a whole number "
		    "from 0 to 4294967295, or auto" },
		{ F(serial), "-1", "serial: must be a whole number from 0 to "
		    "4294967295, or auto" },
		{ F(serial), "AUTO", "serial: must be a whole number from 0 to "
		    "4294967295, or auto" },
		{ F(licensee), "", "licensee: must be 1 to 128 bytes of text" },
		{ F(licensee), "Acme\tInc.", "licensee name must be UTF-8 text "
		    "without control characters" },
		{ F(licensee), "Acme \xff", "licensee name must be UTF-8 text "
		    "without control characters" },
		{ F(starts), "2027-02-01", "licence would expire before it "
		    "starts" },
		{ F(issued), "2027-02-01", "licence would be issued after it "
		    "expires" },
#undef F
	};
	order_fields f;
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		f = base();
		f.features = "desktop,payroll";
		*(const char **)(void *)((char *)&f + cases[k].off) =
		    cases[k].value;
		terms_bad(&cat, &f, cases[k].want);
	}
	/* Names need a catalog. */
	f = base();
	terms_bad(NULL, &f, "product: unknown product 'timetracker' (no "
	    "catalog given)");
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
	terms_bad(&cat, &f, "seats: must be a whole number from 1 to "
	    "16777214, or unlimited");
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
		cmocka_unit_test(test_terms_trial),
		cmocka_unit_test(test_terms_missing),
		cmocka_unit_test(test_terms_bad_values),
		cmocka_unit_test(test_terms_licensee_length),
		cmocka_unit_test_teardown(test_rows_to_terms, teardown),
		cmocka_unit_test_teardown(test_many_rows, teardown),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}

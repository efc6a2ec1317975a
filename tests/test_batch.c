/*
 * test_batch.c - lkey-keygen batch and the issuance ledger, end to end:
 * CSV and JSON lines in, one key per order out in input order, bad rows
 * reported by line and skipped, every key in the ledger with a unique
 * serial, concurrent batches sharing no serial, 2 000 orders in one run;
 * orders issued once (issue --order and batch rows alike: the recorded key
 * again, or a refusal, or --reissue), a batch run again after a fix, a
 * batch fed on a pipe, keys recorded but not printed.
 * (make bench runs 100 000 orders and checks the same: bench/bigbatch.c.)
 */
#include <fnmatch.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"
#include "ledger.h"
#include "ledgerq.h"
#include "lkey.h"
#include "proc.h"

/*
 * The large batch: big enough for two chunks of 1024 orders and both
 * signing threads, small enough for valgrind (make bench runs 100 000).
 */
#define BIG_ORDERS 2000
#define BIG_BAD 1001

static const char header[] =
    "order,product,edition,seats,starts,expires,maintenance,serial,features,"
    "licensee\n";

/* ---- the ledger, read with the ledger's own code ----------------------- */

/* Runs "sh -c SCRIPT" (for redirections and concurrency). */
static void
shell(const struct fx *fx, struct result *r, const char *fmt, ...)
{
	char script[8192];
	const char *argv[] = { "sh", "-c", script, NULL };
	va_list ap;

	(void)fx;
	va_start(ap, fmt);
	vsnprintf(script, sizeof(script), fmt, ap);
	va_end(ap);
	run_tool(argv, NULL, NULL, 0, r);
}

static void
test_csv(void **state)
{
	const struct fx *fx = *state;
	char orders[PATHCAP], lpath[PATHCAP], csv[2048], line[KEYCAP];
	const char *p, *nl;
	lkey_pubkey pub;
	lkey_license lic;
	struct result r;
	int i;

	path_in(fx, "orders.csv", orders, sizeof(orders));
	path_in(fx, "csv.ledger", lpath, sizeof(lpath));
	/* A BOM, CRLF line ends, a quoted comma, a bad row in the middle. */
	bprintf(csv, sizeof(csv), "\xef\xbb\xbf%s"
	    "A-1,timetracker,professional,25,2027-01-01,2027-12-31,2027-12-31,"
	    "1001,\"desktop,reports\",\"Example, Inc.\"\r\n"
	    "A-2,timetracker,basic,0,2027-01-01,2027-12-31,2027-12-31,1002,,\r\n"
	    "A-3,timelog,basic,unlimited,2027-01-01,never,never,1003,,\r\n",
	    header);
	write_file(orders, csv, strlen(csv));
	{
		const char *argv[] = { "lkey-keygen", "batch", "--secret",
		    DEMO_SEC, "--catalog", CATALOG, "--ledger", lpath, orders,
		    NULL };
		run(fx, argv, NULL, 0, &r);
	}
	if (r.code != 1 || err_lines(&r) != 2 ||
	    strstr(r.err, "orders.csv:3: seats") == NULL)
		show("batch with one bad row", &r);
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, ":3: "));
	assert_non_null(strstr(r.err, "1 of 3 orders failed"));

	/* Two keys, in input order, each decoding to its own terms. */
	load_pub(DEMO_PUB, &pub);
	p = r.out;
	for (i = 0; i < 2; i++) {
		nl = strchr(p, '\n');
		assert_non_null(nl);
		assert_true((size_t)(nl - p) < sizeof(line));
		memcpy(line, p, (size_t)(nl - p));
		line[nl - p] = '\0';
		p = nl + 1;
		if (i == 0) {
			assert_memory_equal(line, "A-1,1001,", 9);
			assert_int_equal(lkey_decode(line + 9, strlen(line + 9),
			    &pub, 1, &lic, NULL), LKEY_OK);
			assert_int_equal(lic.serial, 1001);
			assert_int_equal(lic.features, 0x3);
			/* desktop: marked `maintenance` in the catalog. */
			assert_int_equal(lic.maintenance_features, 0x1);
			assert_string_equal(lic.licensee, "Example, Inc.");
		} else {
			assert_memory_equal(line, "A-3,1003,", 9);
			assert_int_equal(lkey_decode(line + 9, strlen(line + 9),
			    &pub, 1, &lic, NULL), LKEY_OK);
			assert_int_equal(lic.product, 2);
			assert_int_equal(lic.seats, LKEY_SEATS_UNLIMITED);
		}
	}
	assert_string_equal(p, "");
	assert_int_equal(ledger_rows(lpath), 2);

	/* The ledger holds them by serial and by order. */
	{
		struct ledger_found f;

		assert_int_equal(ledger_order(lpath, "A-3", &f), 1);
		assert_int_equal(f.last.lic.serial, 1003);
		/* The bad row issued nothing. */
		assert_int_equal(ledger_serial(lpath, 1002, NULL), 0);
	}

	/* The same serial again is refused; the other row is issued. */
	bprintf(csv, sizeof(csv), "%sB-1,1,1,5,2027-01-01,2027-12-31,"
	    "2027-12-31,1001,,\nB-2,1,1,5,2027-01-01,2027-12-31,2027-12-31,"
	    "1004,,\n", header);
	write_file(orders, csv, strlen(csv));
	{
		const char *argv[] = { "lkey-keygen", "batch", "--secret",
		    DEMO_SEC, "--ledger", lpath, orders, NULL };
		run(fx, argv, NULL, 0, &r);
	}
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, ":2: serial 1001 was already issued"));
	assert_memory_equal(r.out, "B-2,1004,", 9);
	assert_int_equal(ledger_rows(lpath), 3);

	/* issue takes its serial from the same ledger, and records the key. */
	{
		const char *argv[] = { "lkey-keygen", "issue", "--secret",
		    DEMO_SEC, "--product", "1", "--edition", "1", "--seats",
		    "5", "--expires", "never", "--maintenance", "never",
		    "--ledger", lpath, "--serial", "auto", NULL };
		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 0);
		assert_int_equal(lkey_decode(r.out, strlen(r.out), &pub, 1,
		    &lic, NULL), LKEY_OK);
		/* The first free serial: explicit ones do not move it. */
		assert_int_equal(lic.serial, 1);
		assert_int_equal(ledger_rows(lpath), 4);
	}
	{
		const char *argv[] = { "lkey-keygen", "issue", "--secret",
		    DEMO_SEC, "--product", "1", "--edition", "1", "--seats",
		    "5", "--expires", "never", "--maintenance", "never",
		    "--ledger", lpath, "--serial", "1003", NULL };
		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 1);
		assert_string_equal(r.out, "");
		assert_non_null(strstr(r.err, "serial 1003 was already issued"));
		assert_int_equal(ledger_rows(lpath), 4);
	}
	/* With a ledger and no --serial, the next serial too; --order is
	 * recorded. */
	{
		const char *argv[] = { "lkey-keygen", "issue", "--secret",
		    DEMO_SEC, "--product", "1", "--edition", "1", "--seats",
		    "5", "--expires", "never", "--maintenance", "never",
		    "--ledger", lpath, "--order", "WEB-77", NULL };
		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 0);
		assert_int_equal(lkey_decode(r.out, strlen(r.out), &pub, 1,
		    &lic, NULL), LKEY_OK);
		assert_int_equal(lic.serial, 2);
		assert_int_equal(ledger_rows(lpath), 5);
	}
	{
		struct ledger_found f;

		assert_int_equal(ledger_order(lpath, "WEB-77", &f), 1);
		assert_int_equal(f.last.lic.serial, 2);
		assert_int_equal(f.last.lic.seats, 5);
	}
	/* --order without a ledger, or not text: usage errors. */
	{
		static const char *const bad[][3] = {
		    { "--order", "X-1", NULL },
		    { "--order", "", "ledger" },
		    { "--order", "X\x1b[31m", "ledger" },
		    { "--order", "M\xfcller", "ledger" },
		};
		for (i = 0; i < 4; i++) {
			const char *argv[] = { "lkey-keygen", "issue",
			    "--secret", DEMO_SEC, "--product", "1",
			    "--edition", "1", "--seats", "5", "--expires",
			    "never", "--maintenance", "never", bad[i][0],
			    bad[i][1], bad[i][2] != NULL ? "--ledger" :
			    "--no-ledger", bad[i][2] != NULL ? lpath : NULL,
			    NULL };

			run(fx, argv, NULL, 0, &r);
			assert_int_equal(r.code, 2);
			assert_string_equal(r.out, "");
			assert_non_null(strstr(r.err, "--order"));
		}
		assert_int_equal(ledger_rows(lpath), 5);
	}
	/* An order id that is not UTF-8 fails its row only. */
	bprintf(csv, sizeof(csv), "%sC-1,1,1,5,2027-01-01,2027-12-31,"
	    "2027-12-31,,,\nC-\xff,1,1,5,2027-01-01,2027-12-31,2027-12-31,,,"
	    "\nC-3,1,1,5,2027-01-01,2027-12-31,2027-12-31,,,\n", header);
	write_file(orders, csv, strlen(csv));
	{
		const char *argv[] = { "lkey-keygen", "batch", "--secret",
		    DEMO_SEC, "--ledger", lpath, orders, NULL };
		run(fx, argv, NULL, 0, &r);
	}
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, ":3: order: byte 3 is not UTF-8; no key "
	    "issued\n"));
	assert_non_null(strstr(r.err, "1 of 3 orders failed; 2 keys issued"));
	assert_memory_equal(r.out, "C-1,3,", 6);
	assert_non_null(strstr(r.out, "\nC-3,4,"));
	assert_int_equal(ledger_rows(lpath), 7);
	{
		const char *argv[] = { "lkey-keygen", "issue", "--secret",
		    DEMO_SEC, "--product", "1", "--edition", "1", "--seats",
		    "5", "--expires", "never", "--maintenance", "never",
		    "--serial", "auto", "--no-ledger", NULL };
		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 2);	/* auto needs a ledger */
		assert_string_equal(r.out, "");
	}
}

static void
test_json_lines(void **state)
{
	const struct fx *fx = *state;
	static const char in[] =
	    "{\"order\":\"J-1\",\"product\":\"timetracker\",\"edition\":\"basic\","
	    "\"seats\":3,\"expires\":\"2027-12-31\",\"maintenance\":"
	    "\"2027-12-31\",\"starts\":\"2027-01-01\",\"serial\":\"auto\"}\n"
	    "[1,2,3]\n"
	    "{\"order\":\"J-3\",\"product\":1,\"edition\":1,\"seats\":\"unlimited\","
	    "\"expires\":\"never\",\"maintenance\":\"never\",\"starts\":"
	    "\"2027-01-01\",\"serial\":\"auto\",\"trial\":false}\n";
	char lpath[PATHCAP];
	struct result r;
	json_doc *d;
	const char *nl;

	path_in(fx, "json.ledger", lpath, sizeof(lpath));
	{
		const char *argv[] = { "lkey-keygen", "batch", "--secret",
		    DEMO_SEC, "--catalog", CATALOG, "--ledger", lpath, "-",
		    NULL };
		run(fx, argv, in, sizeof(in) - 1, &r);
	}
	if (r.code != 1)
		show("json lines", &r);
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, "standard input:2: "));
	/* Serials from an empty ledger: 1 and 2, in input order. */
	nl = strchr(r.out, '\n');
	assert_non_null(nl);
	d = json_parse(r.out, (size_t)(nl - r.out), "batch output");
	assert_string_equal(json_string(d, json_find(d, json_root(d),
	    "order"), NULL), "J-1");
	assert_int_equal(json_int(d, json_find(d, json_root(d), "serial")), 1);
	json_free(d);
	d = json_parse(nl + 1, strlen(nl + 1), "batch output");
	assert_int_equal(json_int(d, json_find(d, json_root(d), "serial")), 2);
	json_free(d);
}

/*
 * The features that need maintenance, signed into each key: the column
 * where a row gives it, else the catalog's marks (desktop, mobile) among
 * the row's features; a mark the row does not licence is a bad row.
 */
static void
test_maintenance_marks(void **state)
{
	const struct fx *fx = *state;
	static const char in[] =
	    "order,product,edition,seats,expires,maintenance,serial,features,"
	    "maintenance_features\n"
	    "M-1,timetracker,basic,5,2027-12-31,2027-06-30,1,"
	    "\"desktop,reports\",\n"
	    "M-2,timetracker,basic,5,2027-12-31,2027-06-30,2,"
	    "\"desktop,reports\",reports\n"
	    "M-3,timetracker,basic,5,2027-12-31,2027-06-30,3,"
	    "\"desktop,reports\",none\n"
	    "M-4,timetracker,basic,5,2027-12-31,2027-06-30,4,desktop,mobile\n"
	    "M-5,timetracker,basic,5,2027-12-31,2027-06-30,5,reports,\n";
	static const uint32_t want[] = { 0x1, 0x2, 0, 0 };
	static const size_t want_len[] = { 128, 128, 120, 120 };
	const char *argv[] = { "lkey-keygen", "batch", "--secret", DEMO_SEC,
	    "--catalog", CATALOG, "--no-ledger", "-", NULL };
	char line[KEYCAP];
	const char *p, *nl, *key;
	lkey_pubkey pub;
	lkey_license lic;
	struct result r;
	size_t i;

	run(fx, argv, in, sizeof(in) - 1, &r);
	if (r.code != 1 || err_lines(&r) != 2)
		show("batch with maintenance marks", &r);
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, "standard input:5: maintenance_features:"
	    " every feature must also be in features"));
	load_pub(DEMO_PUB, &pub);
	for (p = r.out, i = 0; i < 4; i++, p = nl + 1) {
		nl = strchr(p, '\n');
		assert_non_null(nl);
		assert_true((size_t)(nl - p) < sizeof(line));
		memcpy(line, p, (size_t)(nl - p));
		line[nl - p] = '\0';
		key = strrchr(line, ',') + 1;
		assert_int_equal(strlen(key), want_len[i]);
		assert_int_equal(lkey_decode(key, strlen(key), &pub, 1, &lic,
		    NULL), LKEY_OK);
		assert_int_equal(lic.maintenance_features, want[i]);
	}
	assert_string_equal(p, "");
}

static const char torn_text[] =
    "{\"serial\":1,\"key\":\"AAAA\"}\n{\"serial\":2,";

static void
test_bad_input(void **state)
{
	const struct fx *fx = *state;
	char orders[PATHCAP], lpath[PATHCAP], csv[1024], torn[PATHCAP];
	struct result r;

	path_in(fx, "bad.csv", orders, sizeof(orders));
	path_in(fx, "bad.ledger", lpath, sizeof(lpath));
	/* Empty input, and a header without rows: no orders, exit 1. */
	write_file(orders, "", 0);
	{
		const char *argv[] = { "lkey-keygen", "batch", "--secret",
		    DEMO_SEC, "--no-ledger", orders, NULL };
		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 1);
		assert_string_equal(r.out, "");
		assert_int_equal(err_lines(&r), 1);
	}
	write_file(orders, header, strlen(header));
	{
		const char *argv[] = { "lkey-keygen", "batch", "--secret",
		    DEMO_SEC, "--ledger", lpath, orders, NULL };
		run(fx, argv, NULL, 0, &r);
		if (r.code != 1 || err_lines(&r) != 1)
			show("a header without rows", &r);
		assert_int_equal(r.code, 1);
		assert_string_equal(r.out, "");
		assert_int_equal(err_lines(&r), 1);
		assert_non_null(strstr(r.err, "no orders in "));
		assert_non_null(strstr(r.err, "bad.csv"));
	}
	/* A header without seats. */
	bprintf(csv, sizeof(csv), "order,product,edition,expires,maintenance\n"
	    "X,1,1,2027-12-31,2027-12-31\n");
	write_file(orders, csv, strlen(csv));
	{
		const char *argv[] = { "lkey-keygen", "batch", "--secret",
		    DEMO_SEC, "--no-ledger", orders, NULL };
		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 1);
		assert_string_equal(r.out, "");
		assert_non_null(strstr(r.err, "seats"));
	}
	/* A ledger that cannot be written (a directory): nothing issued. */
	bprintf(csv, sizeof(csv), "%sY,1,1,5,2027-01-01,2027-12-31,2027-12-31,"
	    "7,,\n", header);
	write_file(orders, csv, strlen(csv));
	{
		const char *argv[] = { "lkey-keygen", "batch", "--secret",
		    DEMO_SEC, "--ledger", fx->dir, orders, NULL };
		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 1);
		assert_string_equal(r.out, "");
		assert_non_null(strstr(r.err, "nothing issued"));
	}
	/* A JSON-lines ledger of an earlier lkey: refused with the command
	 * that imports it, left as it is, nothing issued. */
	path_in(fx, "torn.ledger", torn, sizeof(torn));
	write_file(torn, torn_text, strlen(torn_text));
	{
		const char *argv[] = { "lkey-keygen", "batch", "--secret",
		    DEMO_SEC, "--ledger", torn, orders, NULL };
		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 1);
		assert_string_equal(r.out, "");
		assert_int_equal(err_lines(&r), 1);
		assert_non_null(strstr(r.err, "ledger import"));
	}
	{
		char back[64];

		assert_int_equal(read_file(torn, back, sizeof(back)),
		    strlen(torn_text));
	}
	/* --serial auto without a ledger is a bad row, not a crash. */
	bprintf(csv, sizeof(csv), "%sZ,1,1,5,2027-01-01,2027-12-31,2027-12-31,"
	    "auto,,\n", header);
	write_file(orders, csv, strlen(csv));
	{
		const char *argv[] = { "lkey-keygen", "batch", "--secret",
		    DEMO_SEC, "--no-ledger", orders, NULL };
		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 1);
		assert_string_equal(r.out, "");
		assert_non_null(strstr(r.err, ":2: "));
	}
}

/*
 * What issuance refuses, row by row, each with its line: module seats
 * above the licence's, numbers the catalog does not name, a licensee or an
 * order id with a control or format character; a row with several bad
 * fields gives a line for each, and still no key. CSV and JSON lines
 * alike; the other rows are issued and the summary counts rows.
 */
static void
test_refusals(void **state)
{
	const struct fx *fx = *state;
	static const char csv[] =
	    "order,product,edition,seats,expires,maintenance,features,"
	    "module_seats,licensee\n"
	    "O-1,timetracker,basic,5,2027-12-31,2027-12-31,payroll,"
	    "payroll=5,Acme\n"
	    "O-2,timetracker,basic,5,2027-12-31,2027-12-31,payroll,"
	    "payroll=6,Acme\n"
	    "O-3,timetracker,0,5,2027-12-31,2027-12-31,,,Acme\n"
	    "O-4,timetracker,basic,5,2027-12-31,2027-12-31,,,"
	    "Acme\xe2\x80\xae" "exe.doc\n"
	    "O\xe2\x80\x8b" "5,timetracker,basic,5,2027-12-31,2027-12-31,,,"
	    "Acme\n"
	    "O-6,timetracker,255,0,2027-12-31,2027-02-30,payroll,7=3,\n";
	static const char json[] =
	    "{\"order\":\"J-1\",\"product\":\"timetracker\",\"edition\":1,"
	    "\"seats\":5,\"expires\":\"never\",\"maintenance\":\"never\"}\n"
	    "{\"order\":\"J-2\",\"product\":\"timetracker\",\"edition\":1,"
	    "\"seats\":2,\"expires\":\"never\",\"maintenance\":\"never\","
	    "\"features\":[\"payroll\",\"reports\"],\"module_seats\":"
	    "{\"payroll\":3,\"reports\":9}}\n"
	    "{\"order\":\"J-3\",\"product\":3,\"edition\":255,\"seats\":5,"
	    "\"expires\":\"never\",\"maintenance\":\"never\","
	    "\"features\":[0,9]}\n"
	    "{\"order\":\"J\\u202e4\",\"product\":1,\"edition\":1,\"seats\":5,"
	    "\"expires\":\"never\",\"maintenance\":\"never\","
	    "\"licensee\":\"Acme\\u200f\"}\n"
	    "{\"order\":\"J-5\",\"product\":1,\"edition\":0,\"seats\":[5],"
	    "\"colour\":\"red\",\"expires\":\"never\",\"maintenance\":true}\n";
	char orders[PATHCAP], want[4096];
	struct result r;

	path_in(fx, "refusals.csv", orders, sizeof(orders));
	write_file(orders, csv, sizeof(csv) - 1);
	{
		const char *argv[] = { "lkey-keygen", "batch", "--secret",
		    DEMO_SEC, "--catalog", CATALOG, "--no-ledger", orders,
		    NULL };
		run(fx, argv, NULL, 0, &r);
	}
	bprintf(want, sizeof(want),
	    "lkey-keygen: %s:3: module_seats: payroll=6 exceeds the licence's "
	    "5 seats; no key issued\n"
	    "lkey-keygen: %s:4: edition: the catalog has no edition 0 (its "
	    "editions: basic 1, professional 2, enterprise 3); no key issued\n"
	    "lkey-keygen: %s:5: licensee holds U+202E (right-to-left "
	    "override) at character 5, which would change how the name is "
	    "shown; no key issued\n"
	    "lkey-keygen: %s:6: order holds U+200B (zero width space) at "
	    "character 2, which would change how the id is shown; no key "
	    "issued\n"
	    "lkey-keygen: %s:7: edition: the catalog has no edition 255 (its "
	    "editions: basic 1, professional 2, enterprise 3); no key issued\n"
	    "lkey-keygen: %s:7: seats: '0' is not a whole number from 1 to "
	    "16777214, or unlimited; no key issued\n"
	    "lkey-keygen: %s:7: maintenance: '2027-02-30' is not a real date "
	    "as YYYY-MM-DD or never; no key issued\n"
	    "lkey-keygen: %s:7: module_seats: 7 is not in features; every "
	    "module must also be a feature; no key issued\n"
	    "lkey-keygen: 5 of 6 orders failed; 1 key issued\n", orders,
	    orders, orders, orders, orders, orders, orders, orders);
	if (r.code != 1 || strcmp(r.err, want) != 0)
		show("refusals, CSV", &r);
	assert_int_equal(r.code, 1);
	assert_string_equal(r.err, want);
	assert_int_equal(strncmp(r.out, "O-1,", 4), 0);
	assert_null(strchr(r.out, '\n') == NULL ? NULL :
	    strchr(strchr(r.out, '\n') + 1, '\n'));

	{
		const char *argv[] = { "lkey-keygen", "batch", "--secret",
		    DEMO_SEC, "--catalog", CATALOG, "--no-ledger", "-", NULL };
		run(fx, argv, json, sizeof(json) - 1, &r);
	}
	bprintf(want, sizeof(want),
	    "lkey-keygen: standard input:2: module_seats: reports=9, "
	    "payroll=3 exceed the licence's 2 seats; no key issued\n"
	    "lkey-keygen: standard input:3: product: the catalog has no "
	    "product 3 (its products: timetracker 1, timelog 2); no key "
	    "issued\n"
	    "lkey-keygen: standard input:3: edition: the catalog has no "
	    "edition 255 (its editions: basic 1, professional 2, enterprise "
	    "3); no key issued\n"
	    "lkey-keygen: standard input:3: features: the catalog has no "
	    "feature 9 (its features: desktop 0, reports 1, payroll 2, mobile "
	    "3); no key issued\n"
	    "lkey-keygen: standard input:4: order holds U+202E (right-to-left "
	    "override) at character 2, which would change how the id is "
	    "shown; no key issued\n"
	    "lkey-keygen: standard input:4: licensee holds U+200F "
	    "(right-to-left mark) at character 5, which would change how the "
	    "name is shown; no key issued\n"
	    "lkey-keygen: standard input:5: seats: must be a string or a "
	    "number, not a list; no key issued\n"
	    "lkey-keygen: standard input:5: unknown field 'colour'; no key "
	    "issued\n"
	    "lkey-keygen: standard input:5: maintenance: must be a string, "
	    "not true; no key issued\n"
	    "lkey-keygen: standard input:5: edition: the catalog has no "
	    "edition 0 (its editions: basic 1, professional 2, enterprise 3); "
	    "no key issued\n"
	    "lkey-keygen: 4 of 5 orders failed; 1 key issued\n");
	if (r.code != 1 || strcmp(r.err, want) != 0)
		show("refusals, JSON lines", &r);
	assert_int_equal(r.code, 1);
	assert_string_equal(r.err, want);
	assert_non_null(strstr(r.out, "\"order\":\"J-1\""));
	assert_null(strstr(r.out, "J-2"));

	/* issue --order takes the same order ids as a row. */
	{
		char lpath[PATHCAP];
		const char *argv[] = { "lkey-keygen", "issue", "--secret",
		    DEMO_SEC, "--ledger", lpath, "--product", "1",
		    "--edition", "1", "--seats", "5", "--expires", "never",
		    "--maintenance", "never", "--order",
		    "A\xe2\x81\xa6" "1", NULL };

		path_in(fx, "refusals.ledger", lpath, sizeof(lpath));
		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 2);
		assert_string_equal(r.out, "");
		assert_string_equal(r.err, "lkey-keygen: --order holds U+2066 "
		    "(left-to-right isolate) at character 2, which would "
		    "change how the id is shown (see lkey-keygen --help)\n");
	}
}

/*
 * Explicit and automatic serials in one chunk never meet; --jobs changes
 * nothing but the speed: the same orders give the same output, in order.
 */
static void
test_jobs_and_serials(void **state)
{
	const struct fx *fx = *state;
	char orders[PATHCAP], lpath[PATHCAP], csv[4096], first[OUTCAP];
	char name[32];
	const char *p;
	static const char *const jobs[] = { "1", "3", "64" };
	static const char *const want[] = { "S-1,5,", "S-2,2,", "S-3,3,",
	    "S-4,4,", "S-5,6,", "S-6,7,", "S-7,8,", "S-9,100," };
	struct result r;
	size_t i, j;

	path_in(fx, "serials.csv", orders, sizeof(orders));
	/* The ledger holds serial 1; 5 is given before the auto rows. */
	bprintf(csv, sizeof(csv), "%s"
	    "S-0,1,1,5,2027-01-01,2027-12-31,2027-12-31,1,,\n", header);
	for (j = 0; j < 3; j++) {
		bprintf(name, sizeof(name), "jobs%s.ledger", jobs[j]);
		path_in(fx, name, lpath, sizeof(lpath));
		write_file(orders, csv, strlen(csv));
		{
			const char *argv[] = { "lkey-keygen", "batch",
			    "--secret", DEMO_SEC, "--ledger", lpath, orders,
			    NULL };
			run(fx, argv, NULL, 0, &r);
			assert_int_equal(r.code, 0);
		}
		bprintf(csv + strlen(header), sizeof(csv) - strlen(header),
		    "S-1,1,1,5,2027-01-01,2027-12-31,2027-12-31,5,,\n"
		    "S-2,1,1,5,2027-01-01,2027-12-31,2027-12-31,auto,,\n"
		    "S-3,1,1,5,2027-01-01,2027-12-31,2027-12-31,auto,,\n"
		    "S-4,1,1,5,2027-01-01,2027-12-31,2027-12-31,auto,,\n"
		    "S-5,1,1,5,2027-01-01,2027-12-31,2027-12-31,auto,,\n"
		    "S-6,1,1,5,2027-01-01,2027-12-31,2027-12-31,auto,,\n"
		    "S-7,1,1,5,2027-01-01,2027-12-31,2027-12-31,auto,,\n"
		    "S-8,1,1,5,2027-01-01,2027-12-31,2027-12-31,3,,\n"
		    "S-9,1,1,5,2027-01-01,2027-12-31,2027-12-31,100,,\n");
		write_file(orders, csv, strlen(csv));
		{
			const char *argv[] = { "lkey-keygen", "batch",
			    "--secret", DEMO_SEC, "--ledger", lpath, "--jobs",
			    jobs[j], orders, NULL };
			run(fx, argv, NULL, 0, &r);
		}
		if (r.code != 1 || err_lines(&r) != 2)
			show("explicit and auto serials", &r);
		assert_int_equal(r.code, 1);
		assert_non_null(strstr(r.err, ":9: serial 3 is taken by an "
		    "earlier order of this batch"));
		for (i = 0, p = r.out; i < sizeof(want) / sizeof(want[0]);
		    i++) {
			assert_memory_equal(p, want[i], strlen(want[i]));
			p = strchr(p, '\n');
			assert_non_null(p);
			p++;
		}
		assert_string_equal(p, "");
		assert_int_equal(ledger_rows(lpath), 9);
		/* Deterministic signatures: the same keys whatever --jobs. */
		if (j == 0)
			memcpy(first, r.out, strlen(r.out) + 1);
		else
			assert_string_equal(r.out, first);
		bprintf(csv, sizeof(csv), "%s"
		    "S-0,1,1,5,2027-01-01,2027-12-31,2027-12-31,1,,\n", header);
	}
	/* --jobs is 1..64. */
	for (j = 0; j < 3; j++) {
		static const char *const bad[] = { "0", "65", "two" };
		const char *argv[] = { "lkey-keygen", "batch", "--secret",
		    DEMO_SEC, "--no-ledger", "--jobs", bad[j], orders, NULL };

		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 2);
		assert_string_equal(r.out, "");
		assert_non_null(strstr(r.err, "--jobs"));
	}
}

/*
 * Without --ledger, keys go to the ledger beside the secret key file:
 * every key is recorded unless --no-ledger says otherwise.
 */
static void
test_default_ledger(void **state)
{
	const struct fx *fx = *state;
	char sec[PATHCAP], pub[PATHCAP], lpath[PATHCAP], orders[PATHCAP];
	char csv[512];
	struct result r;

	init_plain(fx, "deflt", sec, pub);
	path_in(fx, "deflt/ledger.sqlite", lpath, sizeof(lpath));
	{
		const char *argv[] = { "lkey-keygen", "issue", "--secret", sec,
		    "--product", "1", "--edition", "1", "--seats", "5",
		    "--expires", "never", "--maintenance", "never", "--order",
		    "D-1", NULL };
		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 0);
	}
	assert_int_equal(ledger_rows(lpath), 1);
	/* A JSON-lines ledger beside a key without ledger.sqlite: refused,
	 * with the command that imports it. */
	{
		char sec2[PATHCAP], pub2[PATHCAP], jsonl[PATHCAP], want[PATHCAP * 3];

		init_plain(fx, "old", sec2, pub2);
		path_in(fx, "old/ledger.jsonl", jsonl, sizeof(jsonl));
		write_file(jsonl, "", 0);
		{
			const char *argv[] = { "lkey-keygen", "issue",
			    "--secret", sec2, "--product", "1", "--edition",
			    "1", "--seats", "5", "--expires", "never",
			    "--maintenance", "never", NULL };
			run(fx, argv, NULL, 0, &r);
		}
		if (r.code != 1 || err_lines(&r) != 1)
			show("a JSON-lines ledger beside the key", &r);
		assert_int_equal(r.code, 1);
		assert_string_equal(r.out, "");
		bprintf(want, sizeof(want), "lkey-keygen ledger import %s "
		    "--pubkey %s/old/vendor.pub --ledger %s/old/ledger.sqlite",
		    jsonl, fx->dir, fx->dir);
		assert_non_null(strstr(r.err, want));
		assert_false(file_exists(want + strlen(want) -
		    strlen("/old/ledger.sqlite") - strlen(fx->dir)));
	}
	path_in(fx, "deflt.csv", orders, sizeof(orders));
	bprintf(csv, sizeof(csv), "%sD-2,1,1,5,2027-01-01,2027-12-31,"
	    "2027-12-31,,,\n", header);
	write_file(orders, csv, strlen(csv));
	{
		const char *argv[] = { "lkey-keygen", "batch", "--secret", sec,
		    orders, NULL };
		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 0);
		assert_memory_equal(r.out, "D-2,2,", 6);
	}
	assert_int_equal(ledger_rows(lpath), 2);
	/* --no-ledger records nothing; both at once is a usage error. */
	{
		const char *argv[] = { "lkey-keygen", "batch", "--secret", sec,
		    "--no-ledger", orders, NULL };
		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 0);
	}
	{
		const char *argv[] = { "lkey-keygen", "batch", "--secret", sec,
		    "--no-ledger", "--ledger", lpath, orders, NULL };
		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 2);
		assert_string_equal(r.out, "");
	}
	assert_int_equal(ledger_rows(lpath), 2);
	{
		struct ledger_found f;

		assert_int_equal(ledger_order(lpath, "D-1", &f), 1);
		assert_int_equal(f.last.lic.serial, 1);
	}
}

/* Writes n orders with serial auto, ids PREFIX-1 on; row `bad` (1-based,
 * 0: none) has 0 seats. */
static void
write_orders(const char *path, const char *prefix, size_t n, size_t bad)
{
	FILE *f = fopen(path, "w");
	size_t i;

	assert_non_null(f);
	fputs(header, f);
	for (i = 1; i <= n; i++)
		fprintf(f, "%s-%zu,1,2,%s,2027-01-01,2027-12-31,2027-12-31,"
		    "auto,1,\n", prefix, i, i == bad ? "0" : "25");
	assert_int_equal(fclose(f), 0);
}

/* Two batches at once on one ledger, serial auto: no serial twice. */
static void
test_concurrent(void **state)
{
	const struct fx *fx = *state;
	char a[PATHCAP], b[PATHCAP], lpath[PATHCAP], oa[PATHCAP],
	    ob[PATHCAP];
	static char seen[4001];
	char buf[256];
	struct result r;
	FILE *f;
	unsigned long serial;
	size_t n = 0;

	path_in(fx, "a.csv", a, sizeof(a));
	path_in(fx, "b.csv", b, sizeof(b));
	path_in(fx, "ab.ledger", lpath, sizeof(lpath));
	path_in(fx, "a.out", oa, sizeof(oa));
	path_in(fx, "b.out", ob, sizeof(ob));
	write_orders(a, "A", 2000, 0);
	write_orders(b, "B", 2000, 0);
	shell(fx, &r, "k=%s/lkey-keygen; "
	    "$k batch --secret %s --ledger %s %s > %s & "
	    "$k batch --secret %s --ledger %s %s > %s & "
	    "wait %%1 && wait %%2", fx->bindir, DEMO_SEC, lpath, a, oa,
	    DEMO_SEC, lpath, b, ob);
	if (r.code != 0)
		show("two concurrent batches", &r);
	assert_int_equal(r.code, 0);
	memset(seen, 0, sizeof(seen));
	f = fopen(oa, "r");
	assert_non_null(f);
	while (fgets(buf, sizeof(buf), f) != NULL) {
		assert_int_equal(sscanf(strchr(buf, ',') + 1, "%lu", &serial),
		    1);
		assert_true(serial >= 1 && serial <= 4000);
		assert_int_equal(seen[serial], 0);
		seen[serial] = 1;
		n++;
	}
	fclose(f);
	f = fopen(ob, "r");
	assert_non_null(f);
	while (fgets(buf, sizeof(buf), f) != NULL) {
		assert_int_equal(sscanf(strchr(buf, ',') + 1, "%lu", &serial),
		    1);
		assert_true(serial >= 1 && serial <= 4000);
		assert_int_equal(seen[serial], 0);
		seen[serial] = 1;
		n++;
	}
	fclose(f);
	assert_int_equal(n, 4000);
	assert_int_equal(ledger_rows(lpath), 4000);
}

/*
 * A large batch: BIG_ORDERS orders, one bad in the middle; exactly that
 * one fails.
 */
static void
test_large_batch(void **state)
{
	const struct fx *fx = *state;
	char orders[PATHCAP], lpath[PATHCAP], out[PATHCAP], buf[KEYCAP];
	char text[64], last[32];
	static char seen[BIG_ORDERS + 1];
	lkey_pubkey pub;
	lkey_license lic;
	struct result r;
	unsigned long serial, want = 1;
	size_t n = 0, len;
	char *k;
	FILE *f;

	path_in(fx, "big.csv", orders, sizeof(orders));
	path_in(fx, "big.ledger", lpath, sizeof(lpath));
	path_in(fx, "big.out", out, sizeof(out));
	write_orders(orders, "O", BIG_ORDERS, BIG_BAD);
	shell(fx, &r, "%s/lkey-keygen batch --secret %s --ledger %s %s > %s",
	    fx->bindir, DEMO_SEC, lpath, orders, out);
	if (r.code != 1 || err_lines(&r) != 2)
		show("a large batch", &r);
	assert_int_equal(r.code, 1);
	/* Row BIG_BAD is line BIG_BAD + 1 (the header is line 1). */
	bprintf(text, sizeof(text), "big.csv:%d: seats", BIG_BAD + 1);
	assert_non_null(strstr(r.err, text));
	bprintf(text, sizeof(text), "1 of %d orders failed", BIG_ORDERS);
	assert_non_null(strstr(r.err, text));

	load_pub(DEMO_PUB, &pub);
	memset(seen, 0, sizeof(seen));
	f = fopen(out, "r");
	assert_non_null(f);
	while (fgets(buf, sizeof(buf), f) != NULL) {
		len = strlen(buf);
		assert_true(len > 0 && buf[len - 1] == '\n');
		buf[--len] = '\0';
		k = strchr(strchr(buf, ',') + 1, ',') + 1;
		assert_int_equal(sscanf(strchr(buf, ',') + 1, "%lu", &serial),
		    1);
		/* Serials are given in input order; the bad row takes none. */
		assert_int_equal(serial, want);
		want++;
		assert_int_equal(lkey_decode(k, strlen(k), &pub, 1, &lic, NULL),
		    LKEY_OK);
		assert_int_equal(lic.serial, serial);
		assert_int_equal(seen[serial], 0);
		seen[serial] = 1;
		n++;
	}
	fclose(f);
	assert_int_equal(n, BIG_ORDERS - 1);
	assert_int_equal(ledger_rows(lpath), BIG_ORDERS - 1);

	/* And the ledger agrees, for the last key. */
	{
		struct ledger_found fd;

		bprintf(last, sizeof(last), "O-%d", BIG_ORDERS);
		assert_int_equal(ledger_order(lpath, last, &fd), 1);
		assert_int_equal(fd.last.lic.serial, BIG_ORDERS - 1);
	}
	f = fopen(out, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	buf[strlen(buf) - 1] = '\0';
	k = strchr(strchr(buf, ',') + 1, ',') + 1;
	{
		const char *argv[] = { "lkey-verify", "--pubkey", DEMO_PUB,
		    "--product", "1", "--today", "2027-06-15", k, NULL };
		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 0);
	}
}

/* Runs lkey-keygen with the arguments that follow (NULL-terminated), the
 * input `in` (NULL: none) on standard input. */
static void
kg(const struct fx *fx, struct result *r, const char *in, const char *first,
    ...)
{
	const char *argv[ARGMAX + 2];
	va_list ap;

	argv[0] = "lkey-keygen";
	va_start(ap, first);
	collect_args(first, ap, argv + 1);
	va_end(ap);
	run(fx, argv, in, in != NULL ? strlen(in) : 0, r);
}

#define ISSUE_A17(lpath) "issue", "--secret", DEMO_SEC, "--ledger", \
	lpath, "--product", "1", "--edition", "1", "--expires", \
	"2027-12-31", "--maintenance", "2027-12-31", "--order", "A-17"

/*
 * issue --order twice with the same terms: the recorded key again, exit 0,
 * one line on stderr; with other terms: refused, naming both, unless
 * --reissue, which records a new key replacing it (and is itself
 * idempotent).
 */
static void
test_issue_idempotent(void **state)
{
	const struct fx *fx = *state;
	char lpath[PATHCAP], first[KEYCAP], want[256];
	struct ledger_found f;
	struct result r;
	uint32_t serial;

	path_in(fx, "idem.sqlite", lpath, sizeof(lpath));
	kg(fx, &r, NULL, ISSUE_A17(lpath), "--seats", "25", NULL);
	assert_int_equal(r.code, 0);
	assert_string_equal(r.err, "");
	bprintf(first, sizeof(first), "%s", r.out);
	assert_int_equal(ledger_order(lpath, "A-17", &f), 1);
	serial = f.last.lic.serial;

	/* Again: the same key, nothing new; starts was not given, so the
	 * day it defaults to is not compared. */
	kg(fx, &r, NULL, ISSUE_A17(lpath), "--seats", "25", NULL);
	if (r.code != 0 || err_lines(&r) != 1)
		show("issue --order again", &r);
	assert_int_equal(r.code, 0);
	assert_string_equal(r.out, first);
	bprintf(want, sizeof(want), "lkey-keygen: order A-17 was issued "
	    "before (serial %u, ", (unsigned)serial);
	assert_non_null(strstr(r.err, want));
	assert_non_null(strstr(r.err, "): its recorded key is printed, no "
	    "new key issued\n"));
	assert_int_equal(ledger_rows(lpath), 1);

	/* Other terms: refused, naming the order, the serial, the term. */
	kg(fx, &r, NULL, ISSUE_A17(lpath), "--seats", "30", NULL);
	if (r.code != 1 || err_lines(&r) != 1)
		show("issue --order with other terms", &r);
	assert_int_equal(r.code, 1);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, "order A-17"));
	bprintf(want, sizeof(want), "(serial %u)", (unsigned)serial);
	assert_non_null(strstr(r.err, want));
	assert_non_null(strstr(r.err, "seats: recorded 25, given 30"));
	assert_non_null(strstr(r.err, "--reissue"));
	kg(fx, &r, NULL, ISSUE_A17(lpath), "--seats", "25", "--starts",
	    "2027-02-01", NULL);
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, "starts: recorded "));
	assert_non_null(strstr(r.err, ", given 2027-02-01"));
	kg(fx, &r, NULL, ISSUE_A17(lpath), "--seats", "25", "--licensee",
	    "Example", NULL);
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, "licensee: recorded \"\", given "
	    "\"Example\""));
	assert_int_equal(ledger_rows(lpath), 1);

	/* --reissue: a new key with a new serial, replacing the old one. */
	kg(fx, &r, NULL, ISSUE_A17(lpath), "--seats", "30", "--reissue",
	    NULL);
	assert_int_equal(r.code, 0);
	assert_string_equal(r.err, "");
	assert_string_not_equal(r.out, first);
	bprintf(first, sizeof(first), "%s", r.out);
	assert_int_equal(ledger_order(lpath, "A-17", &f), 2);
	assert_int_not_equal(f.last.lic.serial, serial);
	assert_int_equal(f.last.lic.seats, 30);
	assert_true(f.last.replaces);
	assert_int_equal(f.last.replaces_serial, serial);
	/* Retried: the new key again. */
	kg(fx, &r, NULL, ISSUE_A17(lpath), "--seats", "30", "--reissue",
	    NULL);
	assert_int_equal(r.code, 0);
	assert_string_equal(r.out, first);
	assert_int_equal(err_lines(&r), 1);
	kg(fx, &r, NULL, ISSUE_A17(lpath), "--seats", "30", NULL);
	assert_int_equal(r.code, 0);
	assert_string_equal(r.out, first);
	assert_int_equal(ledger_rows(lpath), 2);
	/* --reissue without --order, or without a ledger: usage errors. */
	kg(fx, &r, NULL, "issue", "--secret", DEMO_SEC, "--ledger", lpath,
	    "--product", "1", "--edition", "1", "--seats", "5", "--expires",
	    "never", "--maintenance", "never", "--reissue", NULL);
	assert_int_equal(r.code, 2);
	assert_non_null(strstr(r.err, "--reissue"));
}

/*
 * Retries of one order running at once (a web shop's webhook delivered
 * several times): one key is issued, and every call prints it.
 */
static void
test_issue_concurrent_retries(void **state)
{
	const struct fx *fx = *state;
	char lpath[PATHCAP], out[PATHCAP], first[KEYCAP], buf[KEYCAP];
	struct result r;
	FILE *f;
	int i;

	path_in(fx, "retry.sqlite", lpath, sizeof(lpath));
	path_in(fx, "retry", out, sizeof(out));
	shell(fx, &r, "for i in 1 2 3 4 5 6; do "
	    "%s/lkey-keygen issue --secret %s --ledger %s --product 1 "
	    "--edition 1 --seats 5 --expires never --maintenance never "
	    "--order W-1 > %s.$i 2>/dev/null & done; "
	    "s=0; for j in 1 2 3 4 5 6; do wait %%$j || s=1; done; exit $s",
	    fx->bindir, DEMO_SEC, lpath, out);
	if (r.code != 0)
		show("six retries at once", &r);
	assert_int_equal(r.code, 0);
	assert_int_equal(ledger_rows(lpath), 1);
	for (i = 1; i <= 6; i++) {
		char name[PATHCAP + 8];

		bprintf(name, sizeof(name), "%s.%d", out, i);
		f = fopen(name, "r");
		assert_non_null(f);
		assert_non_null(fgets(buf, sizeof(buf), f));
		fclose(f);
		if (i == 1)
			bprintf(first, sizeof(first), "%s", buf);
		else
			assert_string_equal(buf, first);
	}
}

/*
 * A key recorded but not printed (standard output is a full device): exit
 * 1, and the message says it is recorded and how to print it.
 */
static void
test_issue_full_output(void **state)
{
	const struct fx *fx = *state;
	char lpath[PATHCAP], want[PATHCAP * 3];
	struct ledger_found f;
	struct result r;

	path_in(fx, "full.sqlite", lpath, sizeof(lpath));
	shell(fx, &r, "%s/lkey-keygen issue --secret %s --ledger %s "
	    "--product 1 --edition 1 --seats 5 --expires never --maintenance "
	    "never --order F-1 > /dev/full", fx->bindir, DEMO_SEC, lpath);
	if (r.code != 1 || err_lines(&r) != 1)
		show("issue > /dev/full", &r);
	assert_int_equal(r.code, 1);
	assert_int_equal(ledger_order(lpath, "F-1", &f), 1);
	bprintf(want, sizeof(want), "lkey-keygen: serial %u is recorded in "
	    "%s but the key could not be written to standard output: print "
	    "it with lkey-keygen ledger --ledger %s --serial %u --keys\n",
	    (unsigned)f.last.lic.serial, lpath, lpath,
	    (unsigned)f.last.lic.serial);
	assert_string_equal(r.err, want);

	/* A batch too: the keys are named as recorded. */
	shell(fx, &r, "printf '%%s\\n' '%s' 'F-2,1,1,5,,never,never,,,' | "
	    "%s/lkey-keygen batch --secret %s --ledger %s - > /dev/full",
	    "order,product,edition,seats,starts,expires,maintenance,serial,"
	    "features,licensee", fx->bindir, DEMO_SEC, lpath);
	if (r.code != 1)
		show("batch > /dev/full", &r);
	assert_int_equal(r.code, 1);
	assert_int_equal(ledger_order(lpath, "F-2", &f), 1);
	bprintf(want, sizeof(want), "1 key (serial %u) is recorded in %s but "
	    "could not be written to standard output: print each with "
	    "lkey-keygen ledger --ledger %s --serial %u --keys",
	    (unsigned)f.last.lic.serial, lpath, lpath,
	    (unsigned)f.last.lic.serial);
	assert_non_null(strstr(r.err, want));
}

/* The key of the output line of order `id` (CSV), into key. */
static void
key_of(const char *out, const char *id, char *key, size_t cap)
{
	char pat[160];
	const char *p, *k, *nl;

	bprintf(pat, sizeof(pat), "%s,", id);
	for (p = out; p != NULL && *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		assert_non_null(nl);
		if (strncmp(p, pat, strlen(pat)) != 0)
			continue;
		k = strchr(p + strlen(pat), ',');
		assert_non_null(k);
		k++;
		assert_true((size_t)(nl - k) < cap);
		memcpy(key, k, (size_t)(nl - k));
		key[nl - k] = '\0';
		return;
	}
	fail_msg("no output line for order %s in:\n%s", id, out);
}

/*
 * A batch run again after fixing its bad row issues only that row: the
 * others print their recorded keys (A-1101 keeps its serial). A row whose
 * terms changed is refused, or with --reissue replaced; an order twice in
 * one batch is one key, or refused with other terms.
 */
static void
test_batch_rerun(void **state)
{
	const struct fx *fx = *state;
	static const char rows[] =
	    "A-1101,timetracker,professional,25,2027-01-01,2027-12-31,"
	    "2027-12-31,,\"desktop,reports\",Example Manufacturing GmbH\n"
	    "A-1102,timetracker,basic,5,2027-01-01,2027-12-31,2027-12-31,,,\n";
	char orders[PATHCAP], lpath[PATHCAP], csv[2048];
	char k1[KEYCAP], k2[KEYCAP], k[KEYCAP];
	struct ledger_found f;
	struct result r;
	uint32_t s1101;

	path_in(fx, "rerun.csv", orders, sizeof(orders));
	path_in(fx, "rerun.sqlite", lpath, sizeof(lpath));
	bprintf(csv, sizeof(csv), "%s%sA-1103,timetracker,pro,5,2027-01-01,"
	    "2027-12-31,2027-12-31,,,\n", header, rows);
	write_file(orders, csv, strlen(csv));
	kg(fx, &r, NULL, "batch", "--secret", DEMO_SEC, "--catalog", CATALOG,
	    "--ledger", lpath, orders, NULL);
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, "rerun.csv:4: edition"));
	key_of(r.out, "A-1101", k1, sizeof(k1));
	key_of(r.out, "A-1102", k2, sizeof(k2));
	assert_int_equal(ledger_order(lpath, "A-1101", &f), 1);
	s1101 = f.last.lic.serial;

	/* Fixed and run again: only A-1103 is new. */
	bprintf(csv, sizeof(csv), "%s%sA-1103,timetracker,basic,5,2027-01-01,"
	    "2027-12-31,2027-12-31,,,\n", header, rows);
	write_file(orders, csv, strlen(csv));
	kg(fx, &r, NULL, "batch", "--secret", DEMO_SEC, "--catalog", CATALOG,
	    "--ledger", lpath, orders, NULL);
	if (r.code != 0 || err_lines(&r) != 1)
		show("a batch run again", &r);
	assert_int_equal(r.code, 0);
	assert_string_equal(r.err, "lkey-keygen: 2 orders were issued before: "
	    "their recorded keys are printed\n");
	key_of(r.out, "A-1101", k, sizeof(k));
	assert_string_equal(k, k1);
	key_of(r.out, "A-1102", k, sizeof(k));
	assert_string_equal(k, k2);
	key_of(r.out, "A-1103", k, sizeof(k));
	assert_int_equal(ledger_rows(lpath), 3);
	assert_int_equal(ledger_order(lpath, "A-1101", &f), 1);
	assert_int_equal(f.last.lic.serial, s1101);

	/* A row with other terms is refused; --reissue replaces its key. */
	bprintf(csv, sizeof(csv), "%s%sA-1103,timetracker,basic,7,2027-01-01,"
	    "2027-12-31,2027-12-31,,,\n", header, rows);
	write_file(orders, csv, strlen(csv));
	kg(fx, &r, NULL, "batch", "--secret", DEMO_SEC, "--catalog", CATALOG,
	    "--ledger", lpath, orders, NULL);
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, "rerun.csv:4: order A-1103 was issued "
	    "before"));
	assert_non_null(strstr(r.err, "seats: recorded 5, given 7"));
	assert_null(strstr(r.out, "A-1103,"));
	assert_int_equal(ledger_rows(lpath), 3);
	kg(fx, &r, NULL, "batch", "--secret", DEMO_SEC, "--catalog", CATALOG,
	    "--ledger", lpath, "--reissue", orders, NULL);
	assert_int_equal(r.code, 0);
	key_of(r.out, "A-1101", k, sizeof(k));
	assert_string_equal(k, k1);
	assert_int_equal(ledger_order(lpath, "A-1103", &f), 2);
	assert_int_equal(f.last.lic.seats, 7);
	assert_true(f.last.replaces);
	assert_int_equal(ledger_rows(lpath), 4);

	/* One order twice in a batch: one key; with other terms, refused. */
	bprintf(csv, sizeof(csv), "%s"
	    "T-1,1,1,5,2027-01-01,2027-12-31,2027-12-31,,,\n"
	    "T-1,1,1,5,2027-01-01,2027-12-31,2027-12-31,,,\n"
	    "T-1,1,1,6,2027-01-01,2027-12-31,2027-12-31,,,\n", header);
	write_file(orders, csv, strlen(csv));
	kg(fx, &r, NULL, "batch", "--secret", DEMO_SEC, "--ledger", lpath,
	    orders, NULL);
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, "rerun.csv:4: order T-1 is also at "
	    "line 2 of this batch, with other terms (seats: recorded 5, "
	    "given 6)"));
	assert_non_null(strstr(r.err, "1 order was issued before"));
	assert_int_equal(ledger_order(lpath, "T-1", &f), 1);
	key_of(r.out, "T-1", k, sizeof(k));
	assert_string_equal(k, f.key);
	assert_non_null(strstr(strstr(r.out, k) + 1, k));
}

/*
 * An order whose licence has ended (a trial) retried with the same terms,
 * starts not given: its starts and issued days default to the recorded
 * ones, not to today (which is past its end), so the retry gives back the
 * recorded key; other terms are still refused as such. In issue and in
 * batch.
 */
static void
test_retry_after_end(void **state)
{
	const struct fx *fx = *state;
	char lpath[PATHCAP], orders[PATHCAP], csv[1024], first[KEYCAP],
	    k[KEYCAP];
	struct ledger_found f;
	struct result r;

#define ISSUE_T1(lpath) "issue", "--secret", DEMO_SEC, "--ledger", lpath, \
	"--product", "1", "--edition", "1", "--seats", "1", "--trial", \
	"--expires", "2020-01-31", "--maintenance", "2020-01-31", "--order", \
	"T-1"
	path_in(fx, "ended.sqlite", lpath, sizeof(lpath));
	kg(fx, &r, NULL, ISSUE_T1(lpath), "--starts", "2020-01-01",
	    "--issued", "2019-12-30", NULL);
	assert_int_equal(r.code, 0);
	bprintf(first, sizeof(first), "%s", r.out);

	kg(fx, &r, NULL, ISSUE_T1(lpath), NULL);
	if (r.code != 0 || err_lines(&r) != 1)
		show("issue retried after the licence ended", &r);
	assert_int_equal(r.code, 0);
	assert_string_equal(r.out, first);
	assert_non_null(strstr(r.err, "order T-1 was issued before"));
	kg(fx, &r, NULL, ISSUE_T1(lpath), "--issued", "2019-12-30", NULL);
	assert_int_equal(r.code, 0);
	assert_string_equal(r.out, first);
	/* Other terms: refused for what differs, not for the dates. */
	kg(fx, &r, NULL, ISSUE_T1(lpath), "--licensee", "Other", NULL);
	if (r.code != 1)
		show("issue, other terms, after the licence ended", &r);
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, "licensee: recorded \"\", given "
	    "\"Other\""));
	/* An order the ledger does not hold: today's day, refused. */
	kg(fx, &r, NULL, "issue", "--secret", DEMO_SEC, "--ledger", lpath,
	    "--product", "1", "--edition", "1", "--seats", "1", "--expires",
	    "2020-01-31", "--maintenance", "2020-01-31", "--order", "T-2",
	    NULL);
	assert_int_equal(r.code, 2);
	assert_non_null(strstr(r.err, "expire before it starts"));
	assert_int_equal(ledger_rows(lpath), 1);
#undef ISSUE_T1

	/* A batch: recorded with its starts, run again without. */
	path_in(fx, "ended.csv", orders, sizeof(orders));
	bprintf(csv, sizeof(csv), "%sE-1,1,1,5,2020-01-01,2020-01-31,"
	    "2020-01-31,,,\n", header);
	write_file(orders, csv, strlen(csv));
	kg(fx, &r, NULL, "batch", "--secret", DEMO_SEC, "--ledger", lpath,
	    orders, NULL);
	assert_int_equal(r.code, 0);
	key_of(r.out, "E-1", first, sizeof(first));
	bprintf(csv, sizeof(csv), "%sE-1,1,1,5,,2020-01-31,2020-01-31,,,\n"
	    "E-2,1,1,5,,2020-01-31,2020-01-31,,,\n", header);
	write_file(orders, csv, strlen(csv));
	kg(fx, &r, NULL, "batch", "--secret", DEMO_SEC, "--ledger", lpath,
	    orders, NULL);
	if (r.code != 1)
		show("batch run again after the licence ended", &r);
	assert_int_equal(r.code, 1);
	key_of(r.out, "E-1", k, sizeof(k));
	assert_string_equal(k, first);
	assert_non_null(strstr(r.err, "1 order was issued before"));
	assert_null(strstr(r.err, "ended.csv:2:"));
	assert_non_null(strstr(r.err, "ended.csv:3: licence would expire "
	    "before it starts"));
	assert_int_equal(ledger_order(lpath, "E-1", &f), 1);
	assert_int_equal(ledger_rows(lpath), 2);
}

/*
 * Order ids a spreadsheet would take for a formula are written with a
 * quote before them; a comma still quotes the field.
 */
static void
test_csv_formulas(void **state)
{
	const struct fx *fx = *state;
	static const char in[] =
	    "order,product,edition,seats,expires,maintenance\n"
	    "\"=cmd|' /C calc'!A0\",1,1,5,never,never\n"
	    "@SUM(1),1,1,5,never,never\n"
	    "\"-2,3\",1,1,5,never,never\n"
	    "+1,1,1,5,never,never\n";
	struct result r;

	kg(fx, &r, in, "batch", "--secret", DEMO_SEC, "--no-ledger", "-",
	    NULL);
	assert_int_equal(r.code, 0);
	assert_memory_equal(r.out, "'=cmd|' /C calc'!A0,", 20);
	assert_non_null(strstr(r.out, "\n'@SUM(1),"));
	assert_non_null(strstr(r.out, "\n\"'-2,3\","));
	assert_non_null(strstr(r.out, "\n'+1,"));
}

/*
 * A batch on a pipe: orders that arrive together are committed together,
 * every key printed in input order and recorded; replies stay in input
 * order with the refused rows' lines.
 */
static void
test_pipe(void **state)
{
	const struct fx *fx = *state;
	static char in[700 * 80];
	char lpath[PATHCAP], out[PATHCAP], orders[PATHCAP], buf[KEYCAP];
	size_t len = 0, i, n = 0;
	unsigned long serial, want = 1;
	struct result r;
	FILE *f;

	path_in(fx, "pipe.sqlite", lpath, sizeof(lpath));
	path_in(fx, "pipe.out", out, sizeof(out));
	path_in(fx, "pipe.csv", orders, sizeof(orders));
	len += (size_t)snprintf(in + len, sizeof(in) - len, "%s", header);
	for (i = 1; i <= 600; i++)
		len += (size_t)snprintf(in + len, sizeof(in) - len,
		    "P-%zu,1,2,25,2027-01-01,2027-12-31,2027-12-31,,1,\n", i);
	write_file(orders, in, len);
	shell(fx, &r, "cat %s | %s/lkey-keygen batch --secret %s --ledger %s "
	    "- > %s", orders, fx->bindir, DEMO_SEC, lpath, out);
	if (r.code != 0)
		show("a batch on a pipe", &r);
	assert_int_equal(r.code, 0);
	f = fopen(out, "r");
	assert_non_null(f);
	while (fgets(buf, sizeof(buf), f) != NULL) {
		char id[32];

		bprintf(id, sizeof(id), "P-%lu,", want);
		assert_memory_equal(buf, id, strlen(id));
		assert_int_equal(sscanf(strchr(buf, ',') + 1, "%lu", &serial),
		    1);
		assert_int_equal(serial, want);
		want++;
		n++;
	}
	fclose(f);
	assert_int_equal(n, 600);
	assert_int_equal(ledger_rows(lpath), 600);

	/* Replies in input order, refused rows included (2>&1). */
	kg(fx, &r, "{\"order\":\"Q-1\",\"product\":1,\"edition\":1,\"seats\":5,"
	    "\"expires\":\"never\",\"maintenance\":\"never\"}\n"
	    "{\"order\":\"Q-2\",\"product\":1,\"edition\":1,\"seats\":0,"
	    "\"expires\":\"never\",\"maintenance\":\"never\"}\n"
	    "{\"order\":\"Q-3\",\"product\":1,\"edition\":1,\"seats\":5,"
	    "\"expires\":\"never\",\"maintenance\":\"never\"}\n",
	    "batch", "--secret", DEMO_SEC, "--ledger", lpath, "-", NULL);
	assert_int_equal(r.code, 1);
	assert_memory_equal(r.out, "{\"order\":\"Q-1\",\"serial\":601,", 28);
	assert_non_null(strstr(r.out, "\n{\"order\":\"Q-3\",\"serial\":602,"));
	assert_non_null(strstr(r.err, "standard input:2: seats"));
}

/*
 * LKEY_TEST_BATCH_SKIP, names of tests (shell patterns) separated by
 * spaces, leaves those out: the valgrind run of CI, where every program
 * started costs a second, keeps the batches with bad rows and the large
 * one (tests/valgrind.mk).
 */
static bool
skipped(const char *name)
{
	const char *list = getenv("LKEY_TEST_BATCH_SKIP");
	char pattern[128];
	size_t n;

	while (list != NULL && *list != '\0') {
		list += strspn(list, " ");
		n = strcspn(list, " ");
		if (n > 0 && n < sizeof(pattern)) {
			memcpy(pattern, list, n);
			pattern[n] = '\0';
			if (fnmatch(pattern, name, 0) == 0)
				return true;
		}
		list += n;
	}
	return false;
}

int
main(void)
{
	static const struct CMUnitTest all[] = {
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_json_lines),
		cmocka_unit_test(test_maintenance_marks),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_jobs_and_serials),
		cmocka_unit_test(test_default_ledger),
		cmocka_unit_test(test_concurrent),
		cmocka_unit_test(test_large_batch),
		cmocka_unit_test(test_issue_idempotent),
		cmocka_unit_test(test_issue_concurrent_retries),
		cmocka_unit_test(test_issue_full_output),
		cmocka_unit_test(test_batch_rerun),
		cmocka_unit_test(test_retry_after_end),
		cmocka_unit_test(test_csv_formulas),
		cmocka_unit_test(test_pipe),
	};
	struct CMUnitTest tests[sizeof(all) / sizeof(all[0])];
	size_t i, n = 0;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (!skipped(all[i].name))
			tests[n++] = all[i];
	return _cmocka_run_group_tests("test_batch", tests, n, proc_setup,
	    proc_teardown);
}

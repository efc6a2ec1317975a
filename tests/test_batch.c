/*
 * test_batch.c - lkey-keygen batch and the issuance ledger, end to end:
 * CSV and JSON lines in, one key per order out in input order, bad rows
 * reported by line and skipped, every key in the ledger with a unique
 * serial, concurrent batches sharing no serial, 2 000 orders in one run.
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
#include "lkey.h"
#include "proc.h"

/*
 * The large batch: big enough for several chunks of 256 orders and both
 * signing threads, small enough for valgrind (make bench runs 100 000).
 */
#define BIG_ORDERS 2000
#define BIG_BAD 1001

static const char header[] =
    "order,product,edition,seats,starts,expires,maintenance,serial,features,"
    "licensee\n";

/* Counts lines of a file; returns its size in *bytes. */
static size_t
count_lines(const char *path, size_t *bytes)
{
	FILE *f = fopen(path, "r");
	size_t n = 0, b = 0;
	int c;

	assert_non_null(f);
	while ((c = getc(f)) != EOF) {
		b++;
		if (c == '\n')
			n++;
	}
	fclose(f);
	if (bytes != NULL)
		*bytes = b;
	return n;
}

static void
load_pub(lkey_pubkey *pub)
{
	char text[1024];
	size_t n = read_file(DEMO_PUB, text, sizeof(text));

	assert_int_equal(lkey_pubkey_parse(text, n, pub), LKEY_OK);
}

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
	char orders[PATHCAP], ledger[PATHCAP], csv[2048], line[KEYCAP];
	const char *p, *nl;
	lkey_pubkey pub;
	lkey_license lic;
	struct result r;
	int i;

	path_in(fx, "orders.csv", orders, sizeof(orders));
	path_in(fx, "csv.ledger", ledger, sizeof(ledger));
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
		    DEMO_SEC, "--catalog", CATALOG, "--ledger", ledger, orders,
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
	load_pub(&pub);
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
	assert_int_equal(count_lines(ledger, NULL), 2);

	/* The ledger answers by serial and by order. */
	{
		const char *argv[] = { "lkey-keygen", "ledger", "--ledger",
		    ledger, "--order", "A-3", NULL };
		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 0);
		assert_non_null(strstr(r.out, "\"serial\":1003"));
		assert_non_null(strstr(r.out, "\"order\":\"A-3\""));
	}
	{
		const char *argv[] = { "lkey-keygen", "ledger", "--ledger",
		    ledger, "--serial", "1002", NULL };
		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 1);	/* the bad row issued nothing */
		assert_string_equal(r.out, "");
	}

	/* The same serial again is refused; the other row is issued. */
	bprintf(csv, sizeof(csv), "%sB-1,1,1,5,2027-01-01,2027-12-31,"
	    "2027-12-31,1001,,\nB-2,1,1,5,2027-01-01,2027-12-31,2027-12-31,"
	    "1004,,\n", header);
	write_file(orders, csv, strlen(csv));
	{
		const char *argv[] = { "lkey-keygen", "batch", "--secret",
		    DEMO_SEC, "--ledger", ledger, orders, NULL };
		run(fx, argv, NULL, 0, &r);
	}
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, ":2: serial 1001 was already issued"));
	assert_memory_equal(r.out, "B-2,1004,", 9);
	assert_int_equal(count_lines(ledger, NULL), 3);

	/* issue takes its serial from the same ledger, and records the key. */
	{
		const char *argv[] = { "lkey-keygen", "issue", "--secret",
		    DEMO_SEC, "--product", "1", "--edition", "1", "--seats",
		    "5", "--expires", "never", "--maintenance", "never",
		    "--ledger", ledger, "--serial", "auto", NULL };
		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 0);
		assert_int_equal(lkey_decode(r.out, strlen(r.out), &pub, 1,
		    &lic, NULL), LKEY_OK);
		assert_int_equal(lic.serial, 1005);
		assert_int_equal(count_lines(ledger, NULL), 4);
	}
	{
		const char *argv[] = { "lkey-keygen", "issue", "--secret",
		    DEMO_SEC, "--product", "1", "--edition", "1", "--seats",
		    "5", "--expires", "never", "--maintenance", "never",
		    "--ledger", ledger, "--serial", "1003", NULL };
		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 1);
		assert_string_equal(r.out, "");
		assert_non_null(strstr(r.err, "serial 1003 was already issued"));
		assert_int_equal(count_lines(ledger, NULL), 4);
	}
	/* With a ledger and no --serial, the next serial too; --order is
	 * recorded. */
	{
		const char *argv[] = { "lkey-keygen", "issue", "--secret",
		    DEMO_SEC, "--product", "1", "--edition", "1", "--seats",
		    "5", "--expires", "never", "--maintenance", "never",
		    "--ledger", ledger, "--order", "WEB-77", NULL };
		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 0);
		assert_int_equal(lkey_decode(r.out, strlen(r.out), &pub, 1,
		    &lic, NULL), LKEY_OK);
		assert_int_equal(lic.serial, 1006);
		assert_int_equal(count_lines(ledger, NULL), 5);
	}
	{
		const char *argv[] = { "lkey-keygen", "ledger", "--ledger",
		    ledger, "--order", "WEB-77", NULL };
		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 0);
		assert_non_null(strstr(r.out, "\"serial\":1006"));
	}
	{
		const char *argv[] = { "lkey-keygen", "ledger", "--help",
		    NULL };
		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 0);
		assert_non_null(strstr(r.out, "usage: lkey-keygen ledger"));
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
			    "--no-ledger", bad[i][2] != NULL ? ledger : NULL,
			    NULL };

			run(fx, argv, NULL, 0, &r);
			assert_int_equal(r.code, 2);
			assert_string_equal(r.out, "");
			assert_non_null(strstr(r.err, "--order"));
		}
		assert_int_equal(count_lines(ledger, NULL), 5);
	}
	/* An order id that is not UTF-8 fails its row only. */
	bprintf(csv, sizeof(csv), "%sC-1,1,1,5,2027-01-01,2027-12-31,"
	    "2027-12-31,,,\nC-\xff,1,1,5,2027-01-01,2027-12-31,2027-12-31,,,"
	    "\nC-3,1,1,5,2027-01-01,2027-12-31,2027-12-31,,,\n", header);
	write_file(orders, csv, strlen(csv));
	{
		const char *argv[] = { "lkey-keygen", "batch", "--secret",
		    DEMO_SEC, "--ledger", ledger, orders, NULL };
		run(fx, argv, NULL, 0, &r);
	}
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, ":3: order: must be UTF-8 text"));
	assert_non_null(strstr(r.err, "1 of 3 orders failed; 2 keys issued"));
	assert_memory_equal(r.out, "C-1,1007,", 9);
	assert_non_null(strstr(r.out, "\nC-3,1008,"));
	assert_int_equal(count_lines(ledger, NULL), 7);
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
	char ledger[PATHCAP];
	struct result r;
	json_doc *d;
	const char *nl;

	path_in(fx, "json.ledger", ledger, sizeof(ledger));
	{
		const char *argv[] = { "lkey-keygen", "batch", "--secret",
		    DEMO_SEC, "--catalog", CATALOG, "--ledger", ledger, "-",
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
	load_pub(&pub);
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
	char orders[PATHCAP], ledger[PATHCAP], csv[1024], torn[PATHCAP];
	struct result r;

	path_in(fx, "bad.csv", orders, sizeof(orders));
	path_in(fx, "bad.ledger", ledger, sizeof(ledger));
	/* Empty input. */
	write_file(orders, "", 0);
	{
		const char *argv[] = { "lkey-keygen", "batch", "--secret",
		    DEMO_SEC, "--no-ledger", orders, NULL };
		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 1);
		assert_string_equal(r.out, "");
		assert_int_equal(err_lines(&r), 1);
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
	/* A torn last line: reported, not repaired, nothing issued. */
	path_in(fx, "torn.ledger", torn, sizeof(torn));
	write_file(torn, torn_text, strlen(torn_text));
	{
		const char *argv[] = { "lkey-keygen", "batch", "--secret",
		    DEMO_SEC, "--ledger", torn, orders, NULL };
		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 1);
		assert_string_equal(r.out, "");
		assert_non_null(strstr(r.err, "incomplete"));
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
 * Explicit and automatic serials in one chunk never meet; --jobs changes
 * nothing but the speed: the same orders give the same output, in order.
 */
static void
test_jobs_and_serials(void **state)
{
	const struct fx *fx = *state;
	char orders[PATHCAP], ledger[PATHCAP], csv[4096], first[OUTCAP];
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
		path_in(fx, name, ledger, sizeof(ledger));
		write_file(orders, csv, strlen(csv));
		{
			const char *argv[] = { "lkey-keygen", "batch",
			    "--secret", DEMO_SEC, "--ledger", ledger, orders,
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
			    "--secret", DEMO_SEC, "--ledger", ledger, "--jobs",
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
		assert_int_equal(count_lines(ledger, NULL), 9);
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
	char sec[PATHCAP], pub[PATHCAP], ledger[PATHCAP], orders[PATHCAP];
	char csv[512];
	struct result r;

	init_plain(fx, "deflt", sec, pub);
	path_in(fx, "deflt/ledger.jsonl", ledger, sizeof(ledger));
	{
		const char *argv[] = { "lkey-keygen", "issue", "--secret", sec,
		    "--product", "1", "--edition", "1", "--seats", "5",
		    "--expires", "never", "--maintenance", "never", "--order",
		    "D-1", NULL };
		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 0);
	}
	assert_int_equal(count_lines(ledger, NULL), 1);
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
	assert_int_equal(count_lines(ledger, NULL), 2);
	/* --no-ledger records nothing; both at once is a usage error. */
	{
		const char *argv[] = { "lkey-keygen", "batch", "--secret", sec,
		    "--no-ledger", orders, NULL };
		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 0);
	}
	{
		const char *argv[] = { "lkey-keygen", "batch", "--secret", sec,
		    "--no-ledger", "--ledger", ledger, orders, NULL };
		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 2);
		assert_string_equal(r.out, "");
	}
	assert_int_equal(count_lines(ledger, NULL), 2);
	{
		const char *argv[] = { "lkey-keygen", "ledger", "--ledger",
		    ledger, "--order", "D-1", NULL };
		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 0);
		assert_non_null(strstr(r.out, "\"serial\":1,"));
	}
}

/* Writes n orders with serial auto; row `bad` (1-based, 0: none) has 0 seats. */
static void
write_orders(const char *path, size_t n, size_t bad)
{
	FILE *f = fopen(path, "w");
	size_t i;

	assert_non_null(f);
	fputs(header, f);
	for (i = 1; i <= n; i++)
		fprintf(f, "O-%zu,1,2,%s,2027-01-01,2027-12-31,2027-12-31,auto,"
		    "1,\n", i, i == bad ? "0" : "25");
	assert_int_equal(fclose(f), 0);
}

/* Two batches at once on one ledger, serial auto: no serial twice. */
static void
test_concurrent(void **state)
{
	const struct fx *fx = *state;
	char a[PATHCAP], b[PATHCAP], ledger[PATHCAP], oa[PATHCAP],
	    ob[PATHCAP];
	static char seen[4001];
	char buf[256];
	struct result r;
	FILE *f;
	unsigned long serial;
	size_t n = 0;

	path_in(fx, "a.csv", a, sizeof(a));
	path_in(fx, "b.csv", b, sizeof(b));
	path_in(fx, "ab.ledger", ledger, sizeof(ledger));
	path_in(fx, "a.out", oa, sizeof(oa));
	path_in(fx, "b.out", ob, sizeof(ob));
	write_orders(a, 2000, 0);
	write_orders(b, 2000, 0);
	shell(fx, &r, "k=%s/lkey-keygen; "
	    "$k batch --secret %s --ledger %s %s > %s & "
	    "$k batch --secret %s --ledger %s %s > %s & "
	    "wait %%1 && wait %%2", fx->bindir, DEMO_SEC, ledger, a, oa,
	    DEMO_SEC, ledger, b, ob);
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
	assert_int_equal(count_lines(ledger, NULL), 4000);
}

/*
 * A large batch: BIG_ORDERS orders, one bad in the middle; exactly that
 * one fails.
 */
static void
test_large_batch(void **state)
{
	const struct fx *fx = *state;
	char orders[PATHCAP], ledger[PATHCAP], out[PATHCAP], buf[KEYCAP];
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
	path_in(fx, "big.ledger", ledger, sizeof(ledger));
	path_in(fx, "big.out", out, sizeof(out));
	write_orders(orders, BIG_ORDERS, BIG_BAD);
	shell(fx, &r, "%s/lkey-keygen batch --secret %s --ledger %s %s > %s",
	    fx->bindir, DEMO_SEC, ledger, orders, out);
	if (r.code != 1 || err_lines(&r) != 2)
		show("a large batch", &r);
	assert_int_equal(r.code, 1);
	/* Row BIG_BAD is line BIG_BAD + 1 (the header is line 1). */
	bprintf(text, sizeof(text), "big.csv:%d: seats", BIG_BAD + 1);
	assert_non_null(strstr(r.err, text));
	bprintf(text, sizeof(text), "1 of %d orders failed", BIG_ORDERS);
	assert_non_null(strstr(r.err, text));

	load_pub(&pub);
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
	assert_int_equal(count_lines(ledger, NULL), BIG_ORDERS - 1);

	/* And the program itself agrees, for the first and the last key. */
	{
		const char *argv[] = { "lkey-keygen", "ledger", "--ledger",
		    ledger, "--order", last, NULL };

		bprintf(last, sizeof(last), "O-%d", BIG_ORDERS);
		run(fx, argv, NULL, 0, &r);
		assert_int_equal(r.code, 0);
		bprintf(text, sizeof(text), "\"serial\":%d", BIG_ORDERS - 1);
		assert_non_null(strstr(r.out, text));
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
		cmocka_unit_test(test_jobs_and_serials),
		cmocka_unit_test(test_default_ledger),
		cmocka_unit_test(test_concurrent),
		cmocka_unit_test(test_large_batch),
	};
	struct CMUnitTest tests[sizeof(all) / sizeof(all[0])];
	size_t i, n = 0;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (!skipped(all[i].name))
			tests[n++] = all[i];
	return _cmocka_run_group_tests("test_batch", tests, n, proc_setup,
	    proc_teardown);
}

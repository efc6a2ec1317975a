/*
 * test_ledger_cmd.c - lkey-keygen ledger, end to end: every lookup (order,
 * serial, licensee, key id, the ends of the periods with both edges of
 * the range included, revoked) alone and combined; text, --json (the
 * names and shapes of lkey-verify --json, compared with its report of the
 * same key) and --keys; a lookup that finds nothing; the ledger beside
 * --secret; a missing ledger never created; `ledger import` of a JSON-
 * lines ledger of lkey 1 and 2, twice, and of a bad one (nothing
 * imported); `ledger export` as JSON lines and CSV, with order ids a
 * spreadsheet would take for a formula.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "keyfile.h"
#include "lkey.h"
#include "proc.h"
#include "support.h"

#define HOST "0123456789abcdef"
#define FORMULA "=cmd|' /C calc'!A0"
#define AT_SUM "@SUM(1)"
#define CSV_HEADER "product,edition,seats,starts,license_expires," \
	"maintenance_expires,serial,features,maintenance_features,licensee," \
	"key_id,host,issued,trial,grace_days,notice_days,module_seats,order," \
	"key,recorded,replaces,revoked,replaced\n"

/* The ledger of the lookups: four keys of one key pair, serials 11-14. */
struct books {
	char sec[PATHCAP], pub[PATHCAP], ledger[PATHCAP];
	char key[4][KEYCAP];
	char id[9];
};

static struct books books;

static void
expect_ok(const char *what, const struct result *r)
{
	if (r->code != 0 || r->errlen != 0 || r->out_trunc) {
		show(what, r);
		fail_msg("%s: expected exit 0 and nothing on stderr", what);
	}
}

/*
 * lkey-keygen issue with opts (NULL-terminated), recording the key in the
 * ledger its options name; it must print one key and nothing else, which
 * goes to key (without its newline).
 */
static void
issue_rec(const struct fx *fx, char *key, const char *const opts[])
{
	const char *argv[ARGMAX + 1U];
	struct result r;
	size_t i, n = 0;

	argv[n++] = "lkey-keygen";
	argv[n++] = "issue";
	for (i = 0; opts[i] != NULL; i++) {
		assert_true(n < ARGMAX);
		argv[n++] = opts[i];
	}
	argv[n] = NULL;
	run(fx, argv, NULL, 0, &r);
	if (r.code != 0 || r.errlen != 0 || r.outlen < 2U ||
	    r.outlen >= KEYCAP ||
	    strchr(r.out, '\n') != r.out + r.outlen - 1U) {
		show("issue", &r);
		fail_msg("lkey-keygen issue failed");
	}
	memcpy(key, r.out, r.outlen - 1U);
	key[r.outlen - 1U] = '\0';
}

/*
 * The serials of the text lines in out ("serial 11, ..."), comma-joined,
 * into s; each line must end with ": KEY".
 */
static void
text_serials(const char *out, char *s, size_t cap)
{
	const char *p = out, *nl;
	size_t len = 0;
	unsigned long v;

	s[0] = '\0';
	for (; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		assert_non_null(nl);
		assert_true(strncmp(p, "serial ", 7) == 0);
		v = strtoul(p + 7, NULL, 10);
		bprintf(s + len, cap - len, "%s%lu", len > 0 ? "," : "", v);
		len += strlen(s + len);
	}
}

/*
 * lkey-keygen ledger --ledger L with the options that follow want: it
 * prints the keys with the serials of want ("11,13"), or, for want "",
 * exits 1 with one line holding `none`.
 */
static void
lookup(const struct fx *fx, const char *want, const char *none, ...)
{
	static const char *const prefix[] = { "lkey-keygen", "ledger",
	    "--ledger", books.ledger, NULL };
	const char *argv[ARGMAX + 1U];
	char got[256], what[512];
	struct result r;
	va_list ap;
	size_t i, len = 0;

	va_start(ap, none);
	prefix_args(prefix, ap, argv);
	va_end(ap);
	what[0] = '\0';
	for (i = 4; argv[i] != NULL; i++) {
		bprintf(what + len, sizeof(what) - len, " %s", argv[i]);
		len += strlen(what + len);
	}
	run(fx, argv, NULL, 0, &r);
	if (want[0] == '\0') {
		expect_refusal(what, &r, 1, none);
		return;
	}
	expect_ok(what, &r);
	text_serials(r.out, got, sizeof(got));
	if (strcmp(got, want) != 0) {
		show(what, &r);
		fail_msg("ledger%s: serials %s, expected %s", what, got, want);
	}
}

/* The four keys, recorded in the ledger beside a new key pair. */
static void
make_books(const struct fx *fx)
{
	static const char *const terms[4][16] = {
		{ "--order", "A-1", "--serial", "11", "--product",
		  "timetracker", "--edition", "professional", "--seats", "25",
		  "--expires", "2027-12-31", "--maintenance", "2027-06-30",
		  NULL },
		{ "--order", "A-2", "--serial", "12", "--product", "2",
		  "--edition", "1", "--seats", "unlimited", "--expires",
		  "2028-01-31", "--maintenance", "2028-01-31", NULL },
		{ "--order", "A-3", "--serial", "13", "--product", "1",
		  "--edition", "basic", "--seats", "5", "--expires", "never",
		  "--maintenance", "2027-12-31", NULL },
		{ "--order", "A-4", "--serial", "14", "--product", "1",
		  "--edition", "3", "--seats", "1", "--expires", "never",
		  "--maintenance", "never", NULL },
	};
	static const char *const extra[4][8] = {
		{ "--licensee", "Example Manufacturing GmbH", "--features",
		  "desktop,reports,payroll", "--module-seats", "payroll=5",
		  NULL },
		{ "--licensee", "Other Corp", "--features", "mobile", NULL },
		{ "--host", HOST, NULL },
		{ "--licensee", "example labs", NULL },
	};
	const char *opts[ARGMAX + 1U];
	size_t k, i, n;
	uint32_t id;
	char err[256];

	init_plain(fx, "books", books.sec, books.pub);
	path_in(fx, "books/ledger.sqlite", books.ledger,
	    sizeof(books.ledger));
	assert_int_equal(keyfile_key_id(books.sec, &id, err, sizeof(err)), 0);
	bprintf(books.id, sizeof(books.id), "%08x", (unsigned)id);
	for (k = 0; k < 4; k++) {
		n = 0;
		opts[n++] = "--secret";
		opts[n++] = books.sec;
		opts[n++] = "--catalog";
		opts[n++] = CATALOG;
		opts[n++] = "--starts";
		opts[n++] = "2027-01-01";
		for (i = 0; terms[k][i] != NULL; i++)
			opts[n++] = terms[k][i];
		for (i = 0; extra[k][i] != NULL; i++)
			opts[n++] = extra[k][i];
		opts[n] = NULL;
		issue_rec(fx, books.key[k], opts);
	}
}

/* ---- lookups ------------------------------------------------------------ */

static void
test_lookups(void **state)
{
	const struct fx *fx = *state;

	make_books(fx);
	/* All, and each lookup alone. */
	lookup(fx, "11,12,13,14", NULL, NULL);
	lookup(fx, "12", NULL, "--order", "A-2", NULL);
	lookup(fx, "", "no key with order A-9", "--order", "A-9", NULL);
	lookup(fx, "13", NULL, "--serial", "13", NULL);
	lookup(fx, "", "no key with serial 15", "--serial", "15", NULL);
	lookup(fx, "11,14", NULL, "--licensee", "EXAMPLE", NULL);
	lookup(fx, "11", NULL, "--licensee", "manufacturing g", NULL);
	lookup(fx, "", "no key with a licensee holding 'Acme'",
	    "--licensee", "Acme", NULL);
	lookup(fx, "11,12,13,14", NULL, "--key-id", books.id, NULL);
	lookup(fx, "", "no key with key id 00000001", "--key-id", "00000001",
	    NULL);
	/* The ends: licence or maintenance, both edges included. */
	lookup(fx, "11,13", NULL, "--ends-after", "2027-12-31",
	    "--ends-before", "2027-12-31", NULL);
	lookup(fx, "11", NULL, "--ends-after", "2027-06-30", "--ends-before",
	    "2027-06-30", NULL);
	lookup(fx, "", "no key has a period ending in that range",
	    "--ends-after", "2027-07-01", "--ends-before", "2027-12-30", NULL);
	lookup(fx, "", "no key has a period ending",
	    "--ends-after", "2028-01-01", "--ends-before", "2028-01-30", NULL);
	lookup(fx, "11,12,13", NULL, "--ends-after", "2027-06-30",
	    "--ends-before", "2028-01-31", NULL);
	lookup(fx, "12", NULL, "--ends-after", "2028-01-01", NULL);
	lookup(fx, "12", NULL, "--ends-after", "2028-01-31", NULL);
	lookup(fx, "", "no key has", "--ends-after", "2028-02-01", NULL);
	lookup(fx, "11", NULL, "--ends-before", "2027-06-30", NULL);
	lookup(fx, "", "no key has", "--ends-before", "2027-06-29", NULL);
	/* Several at once: every one must match. */
	lookup(fx, "11", NULL, "--licensee", "example", "--ends-before",
	    "2027-12-31", NULL);
	lookup(fx, "14", NULL, "--licensee", "example", "--key-id", books.id,
	    "--order", "A-4", NULL);
	lookup(fx, "", "no key matches every lookup given", "--order", "A-1",
	    "--serial", "12", NULL);
	lookup(fx, "", "no licence revoked", "--revoked", NULL);
}

/* A text line says what a person needs, the key last. */
static void
test_text(void **state)
{
	const struct fx *fx = *state;
	struct result r;
	char want[KEYCAP + 8U];

	keygen_run(fx, &r, "ledger", "--ledger", books.ledger, "--order", "A-1",
	    "--catalog", CATALOG, NULL);
	expect_ok("ledger --order A-1 --catalog", &r);
	assert_true(strncmp(r.out, "serial 11, key id ", 18) == 0);
	assert_contains(r.out, books.id);
	assert_contains(r.out, ", order A-1, recorded ");
	assert_contains(r.out, ", product timetracker, edition professional, "
	    "25 seats, from 2027-01-01 to 2027-12-31, maintenance to "
	    "2027-06-30, ");
	assert_contains(r.out, "features desktop,reports,payroll");
	assert_contains(r.out, "module seats payroll=5");
	assert_contains(r.out, "licensee Example Manufacturing GmbH");
	bprintf(want, sizeof(want), ": %s\n", books.key[0]);
	assert_non_null(strstr(r.out, want));
	assert_string_equal(strstr(r.out, want), want);
	/* Numbers without a catalog; the host; unlimited seats. */
	keygen_run(fx, &r, "ledger", "--ledger", books.ledger, "--serial", "12",
	    NULL);
	expect_ok("ledger --serial 12", &r);
	assert_contains(r.out, "product 2, edition 1, unlimited seats");
	assert_contains(r.out, "features 3");
	keygen_run(fx, &r, "ledger", "--ledger", books.ledger, "--serial", "13",
	    NULL);
	expect_ok("ledger --serial 13", &r);
	assert_contains(r.out, ", host " HOST);
	assert_contains(r.out, "from 2027-01-01 to never");
}

/* --keys: the key texts only, one a line, in the order recorded. */
static void
test_keys(void **state)
{
	const struct fx *fx = *state;
	char want[4U * KEYCAP];
	struct result r;

	keygen_run(fx, &r, "ledger", "--ledger", books.ledger, "--licensee",
	    "example", "--keys", NULL);
	expect_ok("ledger --keys", &r);
	bprintf(want, sizeof(want), "%s\n%s\n", books.key[0], books.key[3]);
	assert_string_equal(r.out, want);
}

/* The names of the terms, as lkey-verify --json writes them. */
static const char *const term_names[] = {
	"product", "edition", "seats", "starts", "license_expires",
	"maintenance_expires", "serial", "features", "maintenance_features",
	"licensee", "key_id", "host", "issued", "trial", "grace_days",
	"notice_days", "module_seats",
};

/*
 * --json: one object a line; the terms exactly as lkey-verify --json
 * reports the same key (names and shapes: lists, an object of module
 * seats, hex ids, null), then the ledger's own members.
 */
static void
test_json(void **state)
{
	const struct fx *fx = *state;
	char a[1024], b[1024];
	struct result r, v;
	json_doc *d, *vd;
	size_t i, k, root, vroot;
	const char *line, *nl;

	keygen_run(fx, &r, "ledger", "--ledger", books.ledger, "--json",
	    "--catalog", CATALOG, NULL);
	expect_ok("ledger --json", &r);
	line = r.out;
	for (k = 0; k < 4; k++, line = nl + 1) {
		nl = strchr(line, '\n');
		assert_non_null(nl);
		d = json_parse(line, (size_t)(nl - line), "ledger --json");
		root = json_root(d);
		assert_int_equal(json_type_of(d, root), JSON_OBJECT);
		verify(fx, NULL, 0, &v, "--pubkey", books.pub, "--product",
		    k == 1 ? "2" : "1", "--catalog", CATALOG, "--today",
		    "2027-03-01", "--host", HOST, "--json", books.key[k], NULL);
		vd = report(&v);
		vroot = json_root(vd);
		for (i = 0; i < sizeof(term_names) / sizeof(term_names[0]);
		    i++) {
			json_render(d, json_find(d, root, term_names[i]), a,
			    sizeof(a));
			json_render(vd, json_find(vd, vroot, term_names[i]), b,
			    sizeof(b));
			if (strcmp(a, b) != 0)
				fail_msg("key %zu: %s is %s in the ledger, %s "
				    "in lkey-verify --json", k, term_names[i],
				    a, b);
		}
		json_free(vd);
		bprintf(a, sizeof(a), "A-%zu", k + 1U);
		assert_string_equal(json_get_string(d, root, "order"), a);
		assert_string_equal(json_get_string(d, root, "key"),
		    books.key[k]);
		assert_int_equal(strlen(json_get_string(d, root, "recorded")),
		    20);
		assert_true(json_get_is_null(d, root, "replaces"));
		assert_true(json_get_is_null(d, root, "revoked"));
		json_free(d);
	}
	assert_int_equal(*line, '\0');
	/* The shapes, spelled out for the first key. */
	line = r.out;
	nl = strchr(line, '\n');
	d = json_parse(line, (size_t)(nl - line), "ledger --json");
	root = json_root(d);
	json_render(d, json_get_array(d, root, "features"), a, sizeof(a));
	assert_string_equal(a, "['desktop','reports','payroll']");
	json_render(d, json_get_object(d, root, "module_seats"), a, sizeof(a));
	assert_string_equal(a, "{payroll:5}");
	assert_string_equal(json_get_string(d, root, "product"),
	    "timetracker");
	assert_string_equal(json_get_string(d, root, "key_id"), books.id);
	assert_true(json_get_is_null(d, root, "host"));
	assert_int_equal(json_get_int(d, root, "seats"), 25);
	assert_string_equal(json_get_string(d, root, "license_expires"),
	    "2027-12-31");
	json_free(d);
	/* Without a catalog: numbers. */
	keygen_run(fx, &r, "ledger", "--ledger", books.ledger, "--json",
	    "--serial", "11", NULL);
	expect_ok("ledger --json --serial 11", &r);
	d = json_parse(r.out, r.outlen, "ledger --json");
	root = json_root(d);
	assert_int_equal(json_get_int(d, root, "product"), 1);
	json_render(d, json_get_array(d, root, "features"), a, sizeof(a));
	assert_string_equal(a, "[0,1,2]");
	json_render(d, json_get_object(d, root, "module_seats"), a, sizeof(a));
	assert_string_equal(a, "{2:5}");
	json_free(d);
}

/* Where the ledger is, and option errors. */
static void
test_where_and_usage(void **state)
{
	const struct fx *fx = *state;
	char missing[PATHCAP];
	struct result r;

	/* --secret: the ledger beside it. */
	keygen_run(fx, &r, "ledger", "--secret", books.sec, "--serial", "14",
	    NULL);
	expect_ok("ledger --secret", &r);
	assert_true(strncmp(r.out, "serial 14, ", 11) == 0);
	/* A missing ledger is an error, and is not created. */
	path_in(fx, "none.sqlite", missing, sizeof(missing));
	keygen_run(fx, &r, "ledger", "--ledger", missing, NULL);
	expect_refusal("missing ledger", &r, 1, "none.sqlite");
	assert_false(file_exists(missing));
	keygen_run(fx, &r, "ledger", "export", "--ledger", missing, NULL);
	expect_refusal("export of a missing ledger", &r, 1, "none.sqlite");
	assert_false(file_exists(missing));
	/* Usage errors. */
	keygen_run(fx, &r, "ledger", "--serial", "1", NULL);
	expect_refusal("no ledger", &r, 2, "give --ledger WHERE");
	keygen_run(fx, &r, "ledger", "--ledger", books.ledger, "--secret",
	    books.sec, NULL);
	expect_refusal("both", &r, 2, "not both");
	keygen_run(fx, &r, "ledger", "--ledger", books.ledger, "--json",
	    "--keys", NULL);
	expect_refusal("--json --keys", &r, 2, "--json or --keys");
	keygen_run(fx, &r, "ledger", "--ledger", books.ledger, "--key-id",
	    "ABCD012G", NULL);
	expect_refusal("not a key id", &r, 2, "--key-id: 'ABCD012G' is not a "
	    "key id: 8 hex digits, as lkey-keygen prints it");
	/* A key id in capitals is the same id. */
	{
		char upper[9], lower_out[8192];
		size_t i;

		for (i = 0; i < 9; i++)
			upper[i] = (char)toupper((unsigned char)books.id[i]);
		keygen_run(fx, &r, "ledger", "--ledger", books.ledger,
		    "--key-id", books.id, "--keys", NULL);
		expect_ok("lowercase key id", &r);
		assert_true(r.outlen > 0 && r.outlen < sizeof(lower_out));
		memcpy(lower_out, r.out, r.outlen + 1U);
		keygen_run(fx, &r, "ledger", "--ledger", books.ledger,
		    "--key-id", upper, "--keys", NULL);
		expect_ok("key id in capitals", &r);
		assert_string_equal(r.out, lower_out);
	}
	keygen_run(fx, &r, "ledger", "--ledger", books.ledger, "--serial", "x",
	    NULL);
	expect_refusal("--serial x", &r, 2, "--serial: 'x' is not a whole number "
	    "from 0 to 4294967295");
	keygen_run(fx, &r, "ledger", "--ledger", books.ledger, "--ends-after",
	    "2027-02-30", NULL);
	expect_refusal("--ends-after 2027-02-30", &r, 2,
	    "--ends-after: '2027-02-30'");
	keygen_run(fx, &r, "ledger", "--ledger", books.ledger, "--ends-before",
	    "never", NULL);
	expect_refusal("--ends-before never", &r, 2, "--ends-before: 'never'");
	keygen_run(fx, &r, "ledger", "--ledger", books.ledger, "--ends-after",
	    "2027-02-02", "--ends-before", "2027-02-01", NULL);
	expect_refusal("empty range", &r, 2, "no day is in that range");
	keygen_run(fx, &r, "ledger", "--ledger", books.ledger, "--list", "1",
	    "--order", "A-1", NULL);
	expect_refusal("--list with a lookup", &r, 2, "--list");
	keygen_run(fx, &r, "ledger", "--ledger", books.ledger, "--list", "0",
	    NULL);
	expect_refusal("--list 0", &r, 2, "--list: '0' is not a whole number "
	    "from 1 to 4294967295");
	keygen_run(fx, &r, "ledger", "--ledger", books.ledger, "--list", "7",
	    NULL);
	expect_refusal("no list 7", &r, 1, "no revocation list 7 recorded");
	keygen_run(fx, &r, "ledger", "export", "--ledger", books.ledger,
	    "--format", "xml", NULL);
	expect_refusal("--format xml", &r, 2, "--format must be jsonl or csv");
	keygen_run(fx, &r, "ledger", "import", "--ledger", books.ledger, NULL);
	expect_refusal("import without a file", &r, 2, "one file");
	keygen_run(fx, &r, "ledger", "import", "x.jsonl", "--ledger",
	    books.ledger, NULL);
	expect_refusal("import without --pubkey", &r, 2, "needs --pubkey");
}

/* ---- import ------------------------------------------------------------- */

/* A line of a JSON-lines ledger of lkey 1 and 2 for key, appended. */
static void
old_line(char *buf, size_t cap, size_t *len, const char *id,
    unsigned serial, const char *order, const char *key)
{
	bprintf(buf + *len, cap - *len,
	    "{\"time\":\"2026-11-23T11:22:53Z\",\"key_id\":\"%s\","
	    "\"serial\":%u,\"order\":\"%s\",\"product\":1,\"edition\":1,"
	    "\"seats\":5,\"starts\":\"2027-01-01\",\"expires\":\"never\","
	    "\"maintenance\":\"never\",\"features\":0,"
	    "\"maintenance_features\":0,\"licensee\":null,"
	    "\"issued\":\"2027-01-01\",\"grace_days\":0,\"notice_days\":0,"
	    "\"trial\":false,\"module_seats\":\"\",\"host\":null,"
	    "\"key\":\"%s\"}\n", id, serial, order, key);
	*len += strlen(buf + *len);
}

/* A key of the books' key pair with these terms, recorded nowhere. */
static void
plain_key(const struct fx *fx, const char *serial, char *key)
{
	issue(fx, NULL, key, KEYCAP, "--secret", books.sec,
	    "--product", "1", "--edition", "1", "--seats", "5", "--starts",
	    "2027-01-01", "--expires", "never", "--maintenance", "never",
	    "--notice-days", "0", "--serial", serial, NULL);
}

/*
 * Import: every line recorded, a second import changes nothing, a file
 * with one bad line imports nothing.
 */
static void
test_import(void **state)
{
	const struct fx *fx = *state;
	static char text[16384], before[65536], after[65536];
	char file[PATHCAP], bad[PATHCAP], target[PATHCAP], want[PATHCAP + 64U];
	char k1[KEYCAP], k2[KEYCAP], k3[KEYCAP];
	struct result r;
	size_t len = 0;

	plain_key(fx, "101", k1);
	plain_key(fx, "102", k2);
	plain_key(fx, "103", k3);
	old_line(text, sizeof(text), &len, books.id, 101, "OLD-1", k1);
	old_line(text, sizeof(text), &len, books.id, 102, "OLD-2", k2);
	path_in(fx, "old.jsonl", file, sizeof(file));
	write_file(file, text, len);
	path_in(fx, "imported.sqlite", target, sizeof(target));

	keygen_run(fx, &r, "ledger", "import", file, "--pubkey", books.pub,
	    "--ledger", target, NULL);
	bprintf(want, sizeof(want), "imported 2 keys into %s (0 were there "
	    "already)", target);
	if (r.code != 0 || r.outlen != 0 || err_lines(&r) != 1 ||
	    strstr(r.err, want) == NULL) {
		show("import", &r);
		fail_msg("import: expected \"%s\"", want);
	}
	keygen_run(fx, &r, "ledger", "export", "--ledger", target, NULL);
	expect_ok("export after import", &r);
	assert_true(r.outlen < sizeof(before));
	memcpy(before, r.out, r.outlen + 1U);
	assert_contains(before, "\"order\":\"OLD-1\"");
	assert_contains(before, k2);

	/* Twice: nothing changes. */
	keygen_run(fx, &r, "ledger", "import", file, "--pubkey", books.pub,
	    "--ledger", target, NULL);
	bprintf(want, sizeof(want), "imported 0 keys into %s (2 were there "
	    "already)", target);
	if (r.code != 0 || err_lines(&r) != 1 || strstr(r.err, want) == NULL) {
		show("import again", &r);
		fail_msg("import again: expected \"%s\"", want);
	}
	keygen_run(fx, &r, "ledger", "export", "--ledger", target, NULL);
	expect_ok("export after the second import", &r);
	memcpy(after, r.out, r.outlen + 1U);
	assert_string_equal(before, after);

	/* A good line, then a bad one: nothing imported. */
	len = 0;
	old_line(text, sizeof(text), &len, books.id, 103, "OLD-3", k3);
	bprintf(text + len, sizeof(text) - len, "{\"serial\":\"x\"}\n");
	len += strlen(text + len);
	path_in(fx, "bad.jsonl", bad, sizeof(bad));
	write_file(bad, text, len);
	keygen_run(fx, &r, "ledger", "import", bad, "--pubkey", books.pub,
	    "--ledger", target, NULL);
	expect_refusal("import of a bad file", &r, 1, "nothing imported");
	assert_contains(r.err, "bad.jsonl");
	keygen_run(fx, &r, "ledger", "export", "--ledger", target, NULL);
	expect_ok("export after the bad import", &r);
	assert_string_equal(r.out, before);
	/* A file that is not there. */
	keygen_run(fx, &r, "ledger", "import", "no-such.jsonl", "--pubkey",
	    books.pub, "--ledger", target,
	    NULL);
	expect_refusal("import of no file", &r, 1, "no-such.jsonl");
}

/* ---- export ------------------------------------------------------------- */

/* The field `col` (from 0) of a CSV row (RFC 4180) into out. */
static void
csv_field(const char *row, size_t col, char *out, size_t cap)
{
	const char *p = row;
	size_t c = 0, n = 0;
	bool quoted;

	for (;;) {
		quoted = *p == '"';
		if (quoted)
			p++;
		n = 0;
		for (;; p++) {
			if (quoted && *p == '"' && p[1] == '"') {
				p++;
			} else if (quoted && *p == '"') {
				p++;
				break;
			} else if (!quoted && (*p == ',' || *p == '\n' ||
			    *p == '\0'))
				break;
			if (*p == '\0')
				fail_msg("CSV row ends inside field %zu", c);
			if (c == col) {
				assert_true(n + 1U < cap);
				out[n++] = *p;
			}
		}
		if (c == col) {
			out[n] = '\0';
			return;
		}
		assert_int_equal(*p, ',');
		p++;
		c++;
	}
}

/* Export: JSON lines as --json; CSV with a header of the same names,
 * lists in one field, and no field a spreadsheet would evaluate. */
static void
test_export(void **state)
{
	const struct fx *fx = *state;
	static char first[OUTCAP + 1U];
	char f[KEYCAP], sec[PATHCAP], pub[PATHCAP], ledger[PATHCAP];
	char k1[KEYCAP], k2[KEYCAP];
	const char *row;
	struct result r;

	keygen_run(fx, &r, "ledger", "--ledger", books.ledger, "--json", NULL);
	expect_ok("ledger --json", &r);
	memcpy(first, r.out, r.outlen + 1U);
	keygen_run(fx, &r, "ledger", "export", "--ledger", books.ledger, NULL);
	expect_ok("export", &r);
	assert_string_equal(r.out, first);
	keygen_run(fx, &r, "ledger", "export", "--secret", books.sec,
	    "--format", "jsonl", NULL);
	expect_ok("export --format jsonl", &r);
	assert_string_equal(r.out, first);

	/* CSV, with catalog names. */
	keygen_run(fx, &r, "ledger", "export", "--ledger", books.ledger,
	    "--format", "csv", "--catalog", CATALOG, NULL);
	expect_ok("export --format csv", &r);
	assert_true(strncmp(r.out, CSV_HEADER, strlen(CSV_HEADER)) == 0);
	row = strchr(r.out, '\n') + 1;
	csv_field(row, 0, f, sizeof(f));
	assert_string_equal(f, "timetracker");
	csv_field(row, 7, f, sizeof(f));
	assert_string_equal(f, "desktop,reports,payroll");
	csv_field(row, 9, f, sizeof(f));
	assert_string_equal(f, "Example Manufacturing GmbH");
	csv_field(row, 10, f, sizeof(f));
	assert_string_equal(f, books.id);
	csv_field(row, 16, f, sizeof(f));
	assert_string_equal(f, "payroll=5");
	csv_field(row, 17, f, sizeof(f));
	assert_string_equal(f, "A-1");
	csv_field(row, 18, f, sizeof(f));
	assert_string_equal(f, books.key[0]);
	csv_field(row, 21, f, sizeof(f));
	assert_string_equal(f, "");

	/* Order ids and a licensee a spreadsheet would take for formulas. */
	init_plain(fx, "formula", sec, pub);
	path_in(fx, "formula/ledger.sqlite", ledger, sizeof(ledger));
	{
		const char *o1[] = { "--secret", sec, "--product", "1",
		    "--edition", "1", "--seats", "5", "--expires", "never",
		    "--maintenance", "never", "--order", FORMULA, "--licensee",
		    "+1 555 0100", NULL };
		const char *o2[] = { "--secret", sec, "--product", "1",
		    "--edition", "1", "--seats", "5", "--expires", "never",
		    "--maintenance", "never", "--order", AT_SUM, "--licensee",
		    "-Dash, \"Quoted\" Ltd", NULL };

		issue_rec(fx, k1, o1);
		issue_rec(fx, k2, o2);
	}
	keygen_run(fx, &r, "ledger", "export", "--ledger", ledger, "--format",
	    "csv", NULL);
	expect_ok("export --format csv of formulas", &r);
	assert_contains(r.out, ",'" FORMULA ",");
	assert_contains(r.out, ",'" AT_SUM ",");
	assert_contains(r.out, ",'+1 555 0100,");
	assert_contains(r.out, ",\"'-Dash, \"\"Quoted\"\" Ltd\",");
	assert_null(strstr(r.out, ",=cmd"));
	assert_null(strstr(r.out, ",@SUM"));
	row = strchr(r.out, '\n') + 1;
	csv_field(row, 17, f, sizeof(f));
	assert_string_equal(f, "'" FORMULA);
	row = strchr(row, '\n') + 1;
	csv_field(row, 9, f, sizeof(f));
	assert_string_equal(f, "'-Dash, \"Quoted\" Ltd");
	csv_field(row, 18, f, sizeof(f));
	assert_string_equal(f, k2);
	/* JSON lines keep the text as it is. */
	keygen_run(fx, &r, "ledger", "--ledger", ledger, "--order", FORMULA,
	    "--json", NULL);
	expect_ok("ledger --order FORMULA --json", &r);
	assert_contains(r.out, "\"order\":\"" FORMULA "\"");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookups),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_where_and_usage),
		cmocka_unit_test(test_import),
		cmocka_unit_test(test_export),
	};

	if (lkey_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, proc_setup, proc_teardown);
}

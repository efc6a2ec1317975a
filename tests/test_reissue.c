/*
 * test_reissue.c - lkey-keygen reissue, end to end: one licence by order
 * or serial with its recorded terms and the changes given, recorded as
 * replacing it; a replaced or revoked licence refused; every licence of a
 * key reissued with another (rotation, docs/ROTATION.md), and a run that
 * goes on where the last one ended; the usage errors. The ledger is read
 * with its own code (ledger.h).
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

#include <cmocka.h>

#include "ledger.h"
#include "ledgerq.h"
#include "lkey.h"
#include "lkey_vendor.h"
#include "proc.h"
#include "pubfile.h"
#include "vendorkey.h"

/* Records a revocation list of one licence, as revoke does. */
static void
revoke_in(const char *path, uint32_t key_id, uint32_t serial)
{
	lkey_revoked one = { key_id, serial };
	char err[512];
	ledger *l = NULL;

	if (ledger_open(path, false, &l, err, sizeof(err)) != 0 ||
	    ledger_begin(l, err, sizeof(err)) != 0 ||
	    ledger_record_list(l, 1, key_id, 20000, &one, 1, "list", 0, err,
	    sizeof(err)) != 0 || ledger_commit(l, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	ledger_close(l);
}

/* The key on the first line of r's output, decoded with pub. */
static void
decode_out(const struct result *r, const lkey_pubkey *pub, lkey_license *lic)
{
	size_t n = strcspn(r->out, "\n");

	assert_int_equal(lkey_decode(r->out, n, pub, 1, lic, NULL), LKEY_OK);
}

static void
test_one(void **state)
{
	const struct fx *fx = *state;
	char ledger_path_[PATHCAP];
	lkey_pubkey pub;
	lkey_license lic;
	struct result r;
	struct ledger_found f;
	uint32_t first, second;
	lkey_day today = lkey_day_from_unix((int64_t)time(NULL));

	path_in(fx, "one.sqlite", ledger_path_, sizeof(ledger_path_));
	load_pub(DEMO_PUB, &pub);
	keygen_run(fx, &r, "issue", "--secret", DEMO_SEC, "--ledger",
	    ledger_path_, "--catalog", CATALOG, "--product", "timetracker",
	    "--edition", "professional", "--seats", "25", "--starts",
	    "2027-01-01", "--expires", "2027-12-31", "--maintenance",
	    "2027-12-31", "--features", "desktop,reports", "--licensee",
	    "Example GmbH", "--order", "R-1", NULL);
	assert_int_equal(r.code, 0);
	decode_out(&r, &pub, &lic);
	first = lic.serial;

	/* By order, with more seats: the other terms as recorded. */
	keygen_run(fx, &r, "reissue", "--secret", DEMO_SEC, "--ledger",
	    ledger_path_, "--order", "R-1", "--seats", "40", NULL);
	if (r.code != 0)
		show("reissue --order", &r);
	assert_int_equal(r.code, 0);
	assert_string_equal(r.err, "");
	decode_out(&r, &pub, &lic);
	second = lic.serial;
	assert_int_not_equal(second, first);
	assert_int_equal(lic.seats, 40);
	assert_int_equal(lic.features, 0x3);
	assert_int_equal(lic.maintenance_features, 0x1);
	assert_string_equal(lic.licensee, "Example GmbH");
	assert_int_equal(lic.issued, today);
	{
		lkey_day d;

		assert_true(lkey_day_parse("2027-01-01", &d));
		assert_int_equal(lic.starts, d);
	}
	assert_int_equal(ledger_serial(ledger_path_, second, &f), 1);
	assert_string_equal(f.order, "R-1");
	assert_true(f.last.replaces);
	assert_int_equal(f.last.replaces_serial, first);
	assert_int_equal(ledger_serial(ledger_path_, first, &f), 1);
	assert_true(f.last.replaced);

	/* The replaced one is not reissued again; the current one is. */
	{
		char s[16];

		bprintf(s, sizeof(s), "%u", (unsigned)first);
		keygen_run(fx, &r, "reissue", "--secret", DEMO_SEC, "--ledger",
		    ledger_path_, "--serial", s, NULL);
		assert_int_equal(r.code, 1);
		assert_string_equal(r.out, "");
		assert_int_equal(err_lines(&r), 1);
		assert_non_null(strstr(r.err, "already replaced"));
		bprintf(s, sizeof(s), "%u", (unsigned)second);
		keygen_run(fx, &r, "reissue", "--secret", DEMO_SEC, "--ledger",
		    ledger_path_, "--serial", s, "--expires", "2028-12-31",
		    NULL);
		assert_int_equal(r.code, 0);
		decode_out(&r, &pub, &lic);
		assert_int_equal(lic.seats, 40);
		{
			lkey_day d;

			assert_true(lkey_day_parse("2028-12-31", &d));
			assert_int_equal(lic.expires, d);
		}
		/* A change that breaks the rules: a usage error, nothing
		 * recorded. */
		keygen_run(fx, &r, "reissue", "--secret", DEMO_SEC, "--ledger",
		    ledger_path_, "--order", "R-1", "--seats", "0", NULL);
		assert_int_equal(r.code, 2);
		assert_non_null(strstr(r.err, "--seats"));
	}

	/* A revoked licence is refused. */
	keygen_run(fx, &r, "issue", "--secret", DEMO_SEC, "--ledger",
	    ledger_path_, "--product", "1", "--edition", "1", "--seats", "5",
	    "--expires", "never", "--maintenance", "never", "--order", "R-2",
	    NULL);
	assert_int_equal(r.code, 0);
	decode_out(&r, &pub, &lic);
	revoke_in(ledger_path_, lic.key_id, lic.serial);
	keygen_run(fx, &r, "reissue", "--secret", DEMO_SEC, "--ledger",
	    ledger_path_, "--order", "R-2", NULL);
	assert_int_equal(r.code, 1);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, "revoked"));
	/* Unknown order. */
	keygen_run(fx, &r, "reissue", "--secret", DEMO_SEC, "--ledger",
	    ledger_path_, "--order", "nope", NULL);
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, "order nope"));
}

/*
 * New terms are checked as issue checks them: module seats above the
 * licence's (the new seats or the new module seats), numbers the catalog
 * does not name, a licensee with a format character; every fault a line,
 * nothing recorded. With --all, a licence whose recorded terms the
 * catalog refuses is not reissued, the others are.
 */
static void
test_refused_terms(void **state)
{
	const struct fx *fx = *state;
	char lp[PATHCAP], lp2[PATHCAP], osec[PATHCAP], opub[PATHCAP],
	    nsec[PATHCAP], npub[PATHCAP], id[16];
	lkey_pubkey oldpub;
	struct result r;
	struct ledger_found f;
	ledger_query q;

	path_in(fx, "refused.sqlite", lp, sizeof(lp));
	keygen_run(fx, &r, "issue", "--secret", DEMO_SEC, "--ledger", lp,
	    "--catalog", CATALOG, "--product", "timetracker", "--edition",
	    "basic", "--seats", "10", "--expires", "never", "--maintenance",
	    "never", "--features", "payroll", "--module-seats", "payroll=5",
	    "--order", "M-1", NULL);
	assert_int_equal(r.code, 0);
	keygen_run(fx, &r, "reissue", "--secret", DEMO_SEC, "--ledger", lp,
	    "--order", "M-1", "--seats", "3", NULL);
	assert_int_equal(r.code, 2);
	assert_string_equal(r.out, "");
	assert_string_equal(r.err, "lkey-keygen: --seats: 3 is below the "
	    "recorded module seats 2=5; give --module-seats too (see "
	    "lkey-keygen --help)\n");
	keygen_run(fx, &r, "reissue", "--secret", DEMO_SEC, "--ledger", lp,
	    "--catalog", CATALOG, "--order", "M-1", "--module-seats",
	    "payroll=11", NULL);
	assert_int_equal(r.code, 2);
	assert_string_equal(r.err, "lkey-keygen: --module-seats: payroll=11 "
	    "exceeds the licence's 10 seats (see lkey-keygen --help)\n");
	/* An add-on with module seats is dropped with them. */
	keygen_run(fx, &r, "reissue", "--secret", DEMO_SEC, "--ledger", lp,
	    "--catalog", CATALOG, "--order", "M-1", "--features", "desktop",
	    NULL);
	assert_int_equal(r.code, 2);
	assert_string_equal(r.err, "lkey-keygen: --features: the recorded "
	    "module seats of payroll need it among the features; give "
	    "--module-seats without it, or --module-seats none (see "
	    "lkey-keygen --help)\n");
	keygen_run(fx, &r, "reissue", "--secret", DEMO_SEC, "--ledger", lp,
	    "--catalog", CATALOG, "--order", "M-1", "--edition", "0",
	    "--licensee", "Acme\xe2\x80\xae" "exe.doc", NULL);
	assert_int_equal(r.code, 2);
	assert_string_equal(r.err, "lkey-keygen: --edition: the catalog has "
	    "no edition 0 (its editions: basic 1, professional 2, enterprise "
	    "3)\nlkey-keygen: --licensee holds U+202E (right-to-left "
	    "override) at character 5, which would change how the name is "
	    "shown (see lkey-keygen --help)\n");
	memset(&q, 0, sizeof(q));
	q.order = "M-1";
	assert_int_equal(ledger_match(lp, &q, &f), 1);
	/* --module-seats none drops them, and the add-on with --features. */
	keygen_run(fx, &r, "reissue", "--secret", DEMO_SEC, "--ledger", lp,
	    "--catalog", CATALOG, "--order", "M-1", "--features", "desktop",
	    "--module-seats", "none", NULL);
	assert_int_equal(r.code, 0);
	assert_int_equal(ledger_match(lp, &q, &f), 2);
	assert_int_equal(f.last.lic.features, 1U);
	assert_int_equal(f.last.lic.module_seats[2], 0);

	/*
	 * --all: edition 0, recorded without a catalog, is a term kept, not
	 * given: signed again as it was, though a new order could not name
	 * it with this catalog. An edition given is checked.
	 */
	init_plain(fx, "rold", osec, opub);
	init_plain(fx, "rnew", nsec, npub);
	load_pub(opub, &oldpub);
	path_in(fx, "refused-all.sqlite", lp2, sizeof(lp2));
	keygen_run(fx, &r, "issue", "--secret", osec, "--ledger", lp2,
	    "--product", "1", "--edition", "0", "--seats", "5", "--expires",
	    "never", "--maintenance", "never", "--order", "N-1", NULL);
	assert_int_equal(r.code, 0);
	keygen_run(fx, &r, "issue", "--secret", osec, "--ledger", lp2,
	    "--product", "1", "--edition", "1", "--seats", "5", "--expires",
	    "never", "--maintenance", "never", "--order", "N-2", NULL);
	assert_int_equal(r.code, 0);
	bprintf(id, sizeof(id), "%08x", (unsigned)oldpub.id);
	keygen_run(fx, &r, "reissue", "--secret", osec, "--ledger", lp2,
	    "--catalog", CATALOG, "--order", "N-2", "--edition", "0", NULL);
	assert_int_equal(r.code, 2);
	assert_string_equal(r.err, "lkey-keygen: --edition: the catalog has "
	    "no edition 0 (its editions: basic 1, professional 2, enterprise "
	    "3) (see lkey-keygen --help)\n");
	keygen_run(fx, &r, "reissue", "--all", "--key-id", id, "--secret", nsec,
	    "--ledger", lp2, "--catalog", CATALOG, NULL);
	assert_int_equal(r.code, 0);
	assert_int_equal(strncmp(r.out, "N-1,", 4), 0);
	assert_non_null(strstr(r.out, "\nN-2,"));
}

/*
 * A licence recorded before the rules of new orders (module seats above
 * its seats, a licensee with a right-to-left override), imported: reissue
 * signs it again as it was when its terms are kept, given as recorded or
 * not given; a term changed is checked.
 */
static void
test_kept_old_terms(void **state)
{
	const struct fx *fx = *state;
	static const char name[] = "Acme \xe2\x80\xae" "cod.exe";
	char key[LKEY_B64_TEXT_MAX], pub[PATHCAP], jl[PATHCAP], lp[PATHCAP];
	char text[2048];
	lkey_vendor_key k;
	lkey_pubkey demo;
	lkey_license t, got;
	struct result r;
	size_t n;

	vendor_key(1, &k);
	lkey_terms_init(&t, 20819);		/* 2027-01-01 */
	t.product = 1;
	t.edition = 0;
	t.seats = 5;
	t.expires = LKEY_NEVER;
	t.maintenance = LKEY_NEVER;
	t.serial = 501;
	t.features = 1U << 2;
	t.module_seats[2] = 50;
	memcpy(t.licensee, name, sizeof(name));
	t.licensee_len = sizeof(name) - 1U;
	assert_int_equal(lkey_issue(&k, &t, key, sizeof(key)), LKEY_ISSUE_OK);
	path_in(fx, "old.pub", pub, sizeof(pub));
	n = pubkey_file_format(&k.pub, text, sizeof(text));
	assert_true(n > 0);
	write_file(pub, text, n);
	path_in(fx, "old.jsonl", jl, sizeof(jl));
	n = (size_t)snprintf(text, sizeof(text), "{\"time\":"
	    "\"2027-01-01T00:00:00Z\",\"serial\":501,\"order\":\"OLD-1\","
	    "\"key\":\"%s\"}\n", key);
	write_file(jl, text, n);
	path_in(fx, "kept.sqlite", lp, sizeof(lp));
	keygen_run(fx, &r, "ledger", "import", jl, "--pubkey", pub, "--ledger",
	    lp, NULL);
	assert_int_equal(r.code, 0);

	/* Nothing changed, or --seats and --edition as recorded. */
	load_pub(DEMO_PUB, &demo);
	keygen_run(fx, &r, "reissue", "--secret", DEMO_SEC, "--ledger", lp,
	    "--catalog", CATALOG, "--order", "OLD-1", "--seats", "5",
	    "--edition", "0", NULL);
	if (r.code != 0)
		fail_msg("reissue refused kept terms: %s", r.err);
	assert_int_equal(lkey_decode(r.out, strcspn(r.out, "\n"), &demo, 1,
	    &got, NULL), LKEY_OK);
	assert_int_equal(got.edition, 0);
	assert_int_equal(got.seats, 5);
	assert_int_equal(got.module_seats[2], 50);
	assert_int_equal(got.licensee_len, sizeof(name) - 1U);
	assert_memory_equal(got.licensee, name, sizeof(name) - 1U);

	/* The ledger's text shows the override, not its effect. */
	keygen_run(fx, &r, "ledger", "--ledger", lp, "--order", "OLD-1", NULL);
	assert_int_equal(r.code, 0);
	assert_non_null(strstr(r.out, "licensee Acme <U+202E>cod.exe"));

	/* A term changed is checked: --seats 6 still below payroll=50. */
	keygen_run(fx, &r, "reissue", "--secret", DEMO_SEC, "--ledger", lp,
	    "--order", "OLD-1", "--seats", "6", NULL);
	assert_int_equal(r.code, 2);
	assert_string_equal(r.err, "lkey-keygen: --seats: 6 is below the "
	    "recorded module seats 2=50; give --module-seats too (see "
	    "lkey-keygen --help)\n");
}

/* Every licence of one key reissued with another: rotation. */
static void
test_all(void **state)
{
	const struct fx *fx = *state;
	char lp[PATHCAP], osec[PATHCAP], opub[PATHCAP], nsec[PATHCAP],
	    npub[PATHCAP], id[16], order[16];
	lkey_pubkey oldpub, newpub;
	lkey_license got;
	struct result r;
	struct ledger_found f;
	const char *p;
	int i, lines;

	init_plain(fx, "old", osec, opub);
	init_plain(fx, "new", nsec, npub);
	load_pub(opub, &oldpub);
	load_pub(npub, &newpub);
	path_in(fx, "all.sqlite", lp, sizeof(lp));
	for (i = 1; i <= 4; i++) {
		char seats[8];

		bprintf(order, sizeof(order), "K-%d", i);
		bprintf(seats, sizeof(seats), "%d", i * 10);
		keygen_run(fx, &r, "issue", "--secret", osec, "--ledger", lp,
		    "--product", "1", "--edition", "1", "--seats", seats,
		    "--expires", "never", "--maintenance", "2027-12-31",
		    "--order", order, NULL);
		assert_int_equal(r.code, 0);
	}
	bprintf(id, sizeof(id), "%08x", (unsigned)oldpub.id);

	/* One reissued by hand first: --all goes on with the rest. */
	keygen_run(fx, &r, "reissue", "--secret", nsec, "--ledger", lp,
	    "--order", "K-2", NULL);
	assert_int_equal(r.code, 0);
	keygen_run(fx, &r, "reissue", "--all", "--key-id", id, "--secret", nsec,
	    "--ledger", lp, "--jobs", "2", NULL);
	if (r.code != 0)
		show("reissue --all", &r);
	assert_int_equal(r.code, 0);
	for (lines = 0, p = r.out; *p != '\0'; lines++) {
		const char *k = strchr(strchr(p, ',') + 1, ',') + 1;
		size_t n = strcspn(k, "\n");

		assert_int_equal(lkey_decode(k, n, &newpub, 1, &got, NULL),
		    LKEY_OK);
		assert_true(p[0] == 'K' && p[1] == '-');
		i = p[2] - '0';
		assert_true(i != 2);
		assert_int_equal(got.seats, (uint32_t)i * 10);
		assert_int_equal(got.key_id, newpub.id);
		bprintf(order, sizeof(order), "K-%d", i);
		{
			ledger_query q;

			memset(&q, 0, sizeof(q));
			q.order = order;
			q.current = true;
			assert_int_equal(ledger_match(lp, &q, &f), 1);
			assert_int_equal(f.last.lic.serial, got.serial);
			assert_true(f.last.replaces);
			assert_int_equal(f.last.replaces_key_id, oldpub.id);
		}
		p = k + n + 1;
	}
	assert_int_equal(lines, 3);
	/* Run again: nothing left. */
	keygen_run(fx, &r, "reissue", "--all", "--key-id", id, "--secret", nsec,
	    "--ledger", lp, "--format", "json", NULL);
	assert_int_equal(r.code, 0);
	assert_string_equal(r.out, "");
	/* With the old key itself: refused. */
	keygen_run(fx, &r, "reissue", "--all", "--key-id", id, "--secret", osec,
	    "--ledger", lp, NULL);
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, "another key"));
}

/*
 * Standard output fails after the chunk is committed (a full device):
 * its keys were buffered, so every one of them is reported as recorded,
 * those before the failing write too, each by its serial.
 */
static void
test_all_full_output(void **state)
{
	const struct fx *fx = *state;
	static char orders[100 * 64 + 128];
	char lp[PATHCAP], osec[PATHCAP], opub[PATHCAP], nsec[PATHCAP],
	    npub[PATHCAP], op[PATHCAP], id[16], script[PATHCAP * 4], want[64];
	const char *argv[] = { "sh", "-c", script, NULL };
	lkey_pubkey oldpub, newpub;
	struct result r;
	struct ledger_found f;
	ledger_query q;
	size_t len;
	const char *p;
	int i, listed;

	init_plain(fx, "fullold", osec, opub);
	init_plain(fx, "fullnew", nsec, npub);
	load_pub(opub, &oldpub);
	load_pub(npub, &newpub);
	path_in(fx, "full.sqlite", lp, sizeof(lp));
	path_in(fx, "full.csv", op, sizeof(op));
	len = (size_t)snprintf(orders, sizeof(orders), "order,product,"
	    "edition,seats,expires,maintenance\n");
	for (i = 1; i <= 100; i++)
		len += (size_t)snprintf(orders + len, sizeof(orders) - len,
		    "F-%d,1,1,%d,never,2027-12-31\n", i, i);
	write_file(op, orders, len);
	keygen_run(fx, &r, "batch", "--secret", osec, "--ledger", lp, op, NULL);
	assert_int_equal(r.code, 0);
	bprintf(id, sizeof(id), "%08x", (unsigned)oldpub.id);
	bprintf(script, sizeof(script), "exec %s/lkey-keygen reissue --all "
	    "--key-id %s --secret %s --ledger %s > /dev/full", fx->bindir, id,
	    nsec, lp);
	run_tool(argv, NULL, NULL, 0, &r);
	if (r.code != 1 || err_lines(&r) != 1)
		show("reissue --all > /dev/full", &r);
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, "100 keys (serials "));
	assert_non_null(strstr(r.err, "recorded in"));
	/* Every new key of the ledger is named. */
	memset(&q, 0, sizeof(q));
	q.has_key_id = true;
	q.key_id = newpub.id;
	assert_int_equal(ledger_match(lp, &q, &f), 100);
	for (listed = 0, p = strstr(r.err, "(serials ") + 9; *p != ')';
	    listed++) {
		unsigned long s = strtoul(p, (char **)&p, 10);

		assert_int_equal(ledger_serial(lp, (uint32_t)s, &f), 1);
		assert_int_equal(f.last.lic.key_id, newpub.id);
		if (*p == ',')
			p += 2;
	}
	assert_int_equal(listed, 100);
	bprintf(want, sizeof(want), "--serial %u --keys",
	    (unsigned)strtoul(strstr(r.err, "(serials ") + 9, NULL, 10));
	assert_non_null(strstr(r.err, want));
}

static void
test_usage(void **state)
{
	const struct fx *fx = *state;
	struct result r;

	keygen_run(fx, &r, "reissue", "--order", "X", NULL);
	assert_int_equal(r.code, 2);
	assert_non_null(strstr(r.err, "--secret"));
	keygen_run(fx, &r, "reissue", "--secret", DEMO_SEC, NULL);
	assert_int_equal(r.code, 2);
	keygen_run(fx, &r, "reissue", "--secret", DEMO_SEC, "--order", "X",
	    "--serial", "3", NULL);
	assert_int_equal(r.code, 2);
	keygen_run(fx, &r, "reissue", "--secret", DEMO_SEC, "--all", NULL);
	assert_int_equal(r.code, 2);
	assert_non_null(strstr(r.err, "--key-id"));
	keygen_run(fx, &r, "reissue", "--secret", DEMO_SEC, "--all", "--key-id",
	    "0011aabb", "--seats", "5", NULL);
	assert_int_equal(r.code, 2);
	assert_non_null(strstr(r.err, "--all changes only"));
	keygen_run(fx, &r, "reissue", "--secret", DEMO_SEC, "--all", "--key-id",
	    "xyz", NULL);
	assert_int_equal(r.code, 2);
	keygen_run(fx, &r, "reissue", "--secret", DEMO_SEC, "--order", "X",
	    "--format", "json", NULL);
	assert_int_equal(r.code, 2);
	keygen_run(fx, &r, "reissue", "--help", NULL);
	assert_int_equal(r.code, 0);
	assert_non_null(strstr(r.out, "usage: lkey-keygen reissue"));
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one),
		cmocka_unit_test(test_refused_terms),
		cmocka_unit_test(test_kept_old_terms),
		cmocka_unit_test(test_all),
		cmocka_unit_test(test_all_full_output),
		cmocka_unit_test(test_usage),
	};

	return cmocka_run_group_tests_name("test_reissue", tests, proc_setup,
	    proc_teardown);
}

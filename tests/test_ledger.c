/*
 * test_ledger.c - the issuance ledger on SQLite (keygen/lib/ledger*.c,
 * keygen/lib/db_sqlite.c)
 *
 * Every test opens a new ledger in a fresh directory under $TMPDIR (or
 * /tmp). Records are made here field by field; what the ledger gives back
 * is compared with them term by term. The allocator is proved by processes
 * racing for serials, each in its own transactions. The expected JSON
 * lines of import are written out by hand from the format of lkey 1 and 2.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>
#include <sqlite3.h>

#include "ledger.h"
#include "lkey.h"
#include "lkey_vendor.h"
#include "fixture.h"
#include "proc.h"
#include "pubfile.h"
#include "ring.h"
#include "support.h"
#include "vendorkey.h"

#define ERRCAP 1024U
#define FILECAP (64U * 1024U)

/* 2026-11-23T11:22:53Z */
#define T0 INT64_C(1795432973)
#define KEY_ID UINT32_C(0x277e0164)

#define KIDS 2
#define ROUNDS 200

/* The ledger of the running test, in its directory. */
static char lpath[PATHCAP];
static char err[ERRCAP];

static int
setup(void **state)
{
	if (proc_setup(state) != 0)
		return -1;
	path_in(*state, "ledger.sqlite", lpath, sizeof lpath);
	return 0;
}

static ledger *
open_new(void)
{
	ledger *l = NULL;

	if (ledger_open(lpath, true, &l, err, sizeof err) != 0)
		fail_msg("ledger_open: %s", err);
	return l;
}

/* A record of key KEY_ID with serial `serial` and varied terms. */
static ledger_rec
rec_make(uint32_t serial, const char *order, const char *key)
{
	ledger_rec r;
	lkey_license *t = &r.lic;

	memset(&r, 0, sizeof r);
	r.time = T0 + serial;
	r.order = order;
	r.key = key;
	t->version = 1;
	t->key_id = KEY_ID;
	t->serial = serial;
	t->product = 7;
	t->edition = 2;
	t->seats = serial % 3 == 0 ? LKEY_SEATS_UNLIMITED : 25;
	t->starts = day("2027-01-01");
	t->expires = serial % 2 == 0 ? LKEY_NEVER : day("2027-12-31");
	t->maintenance = day("2027-06-30");
	t->issued = day("2026-12-01");
	t->features = 14;
	t->maintenance_features = 4;
	t->module_seats[2] = 10;
	t->module_seats[3] = 3;
	t->grace_days = 5;
	t->notice_days = 30;
	t->trial = serial % 5 == 0;
	(void)snprintf(t->licensee, sizeof t->licensee, "Acme GmbH %" PRIu32,
	    serial);
	t->licensee_len = strlen(t->licensee);
	if (serial % 4 == 1) {
		t->host_bound = true;
		memcpy(t->host, "\x3f\x2a\x9c\x0d\x5e\x6b\x7a\x81", 8);
	}
	return r;
}

static void
insert_one(ledger *l, const ledger_rec *r)
{
	if (ledger_begin(l, err, sizeof err) != 0 ||
	    ledger_insert(l, r, 1, err, sizeof err) != 0 ||
	    ledger_commit(l, err, sizeof err) != 0)
		fail_msg("insert: %s", err);
}

/* What ledger_find delivered: ids and copies of the records. */
#define HITS_MAX 16U
struct hits {
	size_t n;
	ledger_rec r[HITS_MAX];
	char key[HITS_MAX][LKEY_B64_TEXT_MAX];
	char order[HITS_MAX][LEDGER_ORDER_MAX + 1];
	bool has_order[HITS_MAX];
};

static int
on_rec(void *arg, const ledger_rec *r)
{
	struct hits *h = arg;

	if (h->n == HITS_MAX)
		return 0;
	h->r[h->n] = *r;
	(void)snprintf(h->key[h->n], sizeof h->key[0], "%s", r->key);
	h->has_order[h->n] = r->order != NULL;
	(void)snprintf(h->order[h->n], sizeof h->order[0], "%s",
	    r->order != NULL ? r->order : "");
	h->n++;
	return 0;
}

static long
find(ledger *l, const ledger_query *q, struct hits *h)
{
	long n;

	memset(h, 0, sizeof *h);
	n = ledger_find(l, q, on_rec, h, err, sizeof err);
	if (n < 0)
		fail_msg("ledger_find: %s", err);
	assert_int_equal((size_t)n < HITS_MAX ? (size_t)n : HITS_MAX, h->n);
	return n;
}

/* The serials of what a query found, "1 2 3". */
static const char *
serials(const struct hits *h)
{
	static char out[256];
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; i < h->n; i++)
		len += (size_t)snprintf(out + len, sizeof out - len, "%s%"
		    PRIu32, i > 0 ? " " : "", h->r[i].lic.serial);
	return out;
}

/* Every term of two licences, as ledger.h promises to keep them. */
static void
assert_same_terms(const lkey_license *a, const lkey_license *b)
{
	assert_int_equal(a->version, b->version);
	assert_int_equal(a->key_id, b->key_id);
	assert_int_equal(a->serial, b->serial);
	assert_int_equal(a->product, b->product);
	assert_int_equal(a->edition, b->edition);
	assert_int_equal(a->seats, b->seats);
	assert_int_equal(a->starts, b->starts);
	assert_int_equal(a->expires, b->expires);
	assert_int_equal(a->maintenance, b->maintenance);
	assert_int_equal(a->issued, b->issued);
	assert_int_equal(a->features, b->features);
	assert_int_equal(a->maintenance_features, b->maintenance_features);
	assert_memory_equal(a->module_seats, b->module_seats,
	    sizeof a->module_seats);
	assert_int_equal(a->licensee_len, b->licensee_len);
	assert_string_equal(a->licensee, b->licensee);
	assert_int_equal(a->grace_days, b->grace_days);
	assert_int_equal(a->notice_days, b->notice_days);
	assert_int_equal(a->trial, b->trial);
	assert_int_equal(a->host_bound, b->host_bound);
	assert_memory_equal(a->host, b->host, sizeof a->host);
}

/* ---- opening ------------------------------------------------------------ */

static void
test_create_reopen(void **state)
{
	ledger *l;
	ledger_rec r = rec_make(1001, "A-17", "AWQBkey1001");
	ledger_query q;
	struct hits h;

	(void)state;
	assert_int_equal(ledger_open(lpath, false, &l, err, sizeof err), -1);
	assert_null(l);
	assert_non_null(strstr(err, "no ledger there"));
	l = open_new();
	assert_int_equal(mode_of(lpath) & 0777, 0600);
	assert_string_equal(ledger_name(l), lpath);
	insert_one(l, &r);
	ledger_rollback(l);	/* none open: nothing happens */
	ledger_close(l);
	assert_int_equal(ledger_open(lpath, false, &l, err, sizeof err), 0);
	memset(&q, 0, sizeof q);
	assert_int_equal(find(l, &q, &h), 1);
	assert_int_equal(h.r[0].id, 1);
	assert_int_equal(h.r[0].time, r.time);
	assert_string_equal(h.order[0], "A-17");
	assert_string_equal(h.key[0], "AWQBkey1001");
	assert_same_terms(&h.r[0].lic, &r.lic);
	assert_false(h.r[0].revoked);
	assert_false(h.r[0].replaced);
	assert_false(h.r[0].replaces);
	ledger_close(l);
	ledger_close(NULL);
}

static void
test_refused_files(void **state)
{
	char other[PATHCAP], link[PATHCAP], dir[PATHCAP];
	ledger *l;

	path_in(*state, "other.sqlite", other, sizeof other);
	path_in(*state, "link.sqlite", link, sizeof link);
	path_in(*state, "dir.sqlite", dir, sizeof dir);
	ledger_close(open_new());
	/* a symbolic link, even to a good ledger */
	assert_int_equal(symlink(lpath, link), 0);
	assert_int_equal(ledger_open(link, true, &l, err, sizeof err), -1);
	assert_non_null(strstr(err, "symbolic link"));
	assert_int_equal(ledger_open(link, false, &l, err, sizeof err), -1);
	/* a directory */
	assert_int_equal(make_dir(dir), 0);
	assert_int_equal(ledger_open(dir, true, &l, err, sizeof err), -1);
	assert_non_null(strstr(err, "not a regular file"));
	/* a file that is not SQLite, left as it was */
	write_file(other, "hello, world\n", 13);
	assert_int_equal(ledger_open(other, true, &l, err, sizeof err), -1);
	assert_non_null(strstr(err, "not an SQLite database"));
	{
		char buf[64];

		assert_int_equal(read_file(other, buf, sizeof buf), 13);
		assert_string_equal(buf, "hello, world\n");
	}
	/* an empty file is a new ledger */
	write_file(other, "", 0);
	assert_int_equal(ledger_open(other, false, &l, err, sizeof err), 0);
	ledger_close(l);
}

static void
test_jsonl_refused(void **state)
{
	char jl[PATHCAP], want[2 * PATHCAP + 128];
	const char line[] = "\n  {\"time\":\"2026-11-23T11:22:53Z\"}\n";
	ledger *l;

	path_in(*state, "ledger.jsonl", jl, sizeof jl);
	write_file(jl, line, sizeof line - 1);
	assert_int_equal(ledger_open(jl, true, &l, err, sizeof err), -1);
	bprintf(want, sizeof want, "%s is a JSON-lines ledger: import it into "
	    "a database with lkey-keygen ledger import %s --pubkey VENDOR.pub "
	    "--ledger NEW.sqlite", jl, jl);
	assert_string_equal(err, want);
}

/* Sets the schema version by hand, as a newer lkey-keygen would. */
static void
set_version(const char *path, int v)
{
	sqlite3 *h;
	char sql[64];

	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	(void)snprintf(sql, sizeof sql, "UPDATE meta SET schema_version = %d",
	    v);
	assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(h), SQLITE_OK);
}

static void
test_schema_versions(void **state)
{
	char other[PATHCAP];
	sqlite3 *h;
	ledger *l;

	ledger_close(open_new());
	set_version(lpath, 2);
	assert_int_equal(ledger_open(lpath, false, &l, err, sizeof err), -1);
	assert_non_null(strstr(err, "schema is version 2, newer than this "
	    "lkey-keygen's (1)"));
	set_version(lpath, 1);
	assert_int_equal(ledger_open(lpath, false, &l, err, sizeof err), 0);
	ledger_close(l);
	/* an SQLite database of something else */
	path_in(*state, "other.sqlite", other, sizeof other);
	assert_int_equal(sqlite3_open(other, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "CREATE TABLE t (x)", NULL, NULL,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(h), SQLITE_OK);
	assert_int_equal(ledger_open(other, false, &l, err, sizeof err), -1);
	assert_non_null(strstr(err, "not an lkey ledger"));
}

/* ---- transactions and serials ------------------------------------------ */

static void
test_transactions(void **state)
{
	ledger *l = open_new();
	ledger_rec r = rec_make(5, NULL, "AWQBk5");
	ledger_query q;
	struct hits h;
	uint32_t s;
	bool taken;

	(void)state;
	memset(&q, 0, sizeof q);
	/* outside a transaction */
	assert_int_equal(ledger_next_serial(l, &s, err, sizeof err), -1);
	assert_int_equal(ledger_insert(l, &r, 1, err, sizeof err), -1);
	assert_int_equal(ledger_commit(l, err, sizeof err), -1);
	/* rolled back: nothing */
	assert_int_equal(ledger_begin(l, err, sizeof err), 0);
	assert_int_equal(ledger_begin(l, err, sizeof err), -1);
	assert_int_equal(ledger_insert(l, &r, 1, err, sizeof err), 0);
	assert_int_equal(ledger_serial_taken(l, 5, &taken, err, sizeof err),
	    0);
	assert_true(taken);
	ledger_rollback(l);
	ledger_rollback(l);
	assert_int_equal(find(l, &q, &h), 0);
	assert_int_equal(ledger_serial_taken(l, 5, &taken, err, sizeof err),
	    0);
	assert_false(taken);
	/* closed with a transaction open: rolled back */
	assert_int_equal(ledger_begin(l, err, sizeof err), 0);
	assert_int_equal(ledger_insert(l, &r, 1, err, sizeof err), 0);
	ledger_close(l);
	l = open_new();
	assert_int_equal(find(l, &q, &h), 0);
	ledger_close(l);
}

static void
test_next_serial(void **state)
{
	ledger *l = open_new();
	ledger_rec r;
	uint32_t s, a, b;
	uint32_t taken[] = { 1, 2, 3, 7, 4294967295U };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof taken / sizeof taken[0]; i++) {
		r = rec_make(taken[i], NULL, "AWQBk");
		insert_one(l, &r);
	}
	assert_int_equal(ledger_begin(l, err, sizeof err), 0);
	/* past the run 1..3, not past the explicit 4294967295 */
	assert_int_equal(ledger_next_serial(l, &s, err, sizeof err), 0);
	assert_int_equal(s, 4);
	assert_int_equal(ledger_next_serial(l, &a, err, sizeof err), 0);
	assert_int_equal(a, 5);
	assert_int_equal(ledger_next_serial(l, &b, err, sizeof err), 0);
	assert_int_equal(b, 6);
	ledger_rollback(l);
	/* rolled back: given again */
	assert_int_equal(ledger_begin(l, err, sizeof err), 0);
	assert_int_equal(ledger_next_serial(l, &s, err, sizeof err), 0);
	assert_int_equal(s, 4);
	r = rec_make(s, NULL, "AWQBk");
	assert_int_equal(ledger_insert(l, &r, 1, err, sizeof err), 0);
	assert_int_equal(ledger_next_serial(l, &s, err, sizeof err), 0);
	assert_int_equal(s, 5);
	assert_int_equal(ledger_commit(l, err, sizeof err), 0);
	/* committed: the allocator goes on, skipping 7 */
	assert_int_equal(ledger_begin(l, err, sizeof err), 0);
	assert_int_equal(ledger_next_serial(l, &s, err, sizeof err), 0);
	assert_int_equal(s, 6);
	assert_int_equal(ledger_next_serial(l, &s, err, sizeof err), 0);
	assert_int_equal(s, 8);
	/* an explicit serial recorded ahead in this transaction: skipped */
	r = rec_make(10, NULL, "AWQBk");
	assert_int_equal(ledger_insert(l, &r, 1, err, sizeof err), 0);
	assert_int_equal(ledger_next_serial(l, &s, err, sizeof err), 0);
	assert_int_equal(s, 9);
	assert_int_equal(ledger_next_serial(l, &s, err, sizeof err), 0);
	assert_int_equal(s, 11);
	assert_int_equal(ledger_commit(l, err, sizeof err), 0);
	/* the cursor was stored at commit */
	assert_int_equal(ledger_begin(l, err, sizeof err), 0);
	assert_int_equal(ledger_next_serial(l, &s, err, sizeof err), 0);
	assert_int_equal(s, 12);
	ledger_rollback(l);
	ledger_close(l);
}

/* Sets the allocator's next serial by hand. */
static void
set_next(const char *path, uint64_t next)
{
	sqlite3 *h;
	char sql[64];

	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	(void)snprintf(sql, sizeof sql, "UPDATE meta SET next_serial = %"
	    PRIu64, next);
	assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(h), SQLITE_OK);
}

static void
test_serial_wrap(void **state)
{
	ledger *l = open_new();
	ledger_rec r;
	uint32_t s;

	(void)state;
	r = rec_make(4294967294U, NULL, "AWQBk");
	insert_one(l, &r);
	r = rec_make(1, NULL, "AWQBk");
	insert_one(l, &r);
	ledger_close(l);
	set_next(lpath, 4294967293U);
	l = open_new();
	assert_int_equal(ledger_begin(l, err, sizeof err), 0);
	assert_int_equal(ledger_next_serial(l, &s, err, sizeof err), 0);
	assert_int_equal(s, 4294967293U);
	assert_int_equal(ledger_next_serial(l, &s, err, sizeof err), 0);
	assert_int_equal(s, 4294967295U);
	/* after 4294967295: on from 1, which is taken */
	assert_int_equal(ledger_next_serial(l, &s, err, sizeof err), 0);
	assert_int_equal(s, 2);
	assert_int_equal(ledger_commit(l, err, sizeof err), 0);
	assert_int_equal(ledger_begin(l, err, sizeof err), 0);
	assert_int_equal(ledger_next_serial(l, &s, err, sizeof err), 0);
	assert_int_equal(s, 3);
	ledger_rollback(l);
	ledger_close(l);
}

/* A long run of taken serials is skipped in one step, not one by one. */
static void
test_serial_run(void **state)
{
	ledger *l = open_new();
	ledger_rec r[500];
	char key[] = "AWQBk";
	uint32_t s;
	size_t i;

	(void)state;
	for (i = 0; i < 500; i++)
		r[i] = rec_make((uint32_t)i + 1U, NULL, key);
	assert_int_equal(ledger_begin(l, err, sizeof err), 0);
	if (ledger_insert(l, r, 500, err, sizeof err) != 0)
		fail_msg("ledger_insert: %s", err);
	assert_int_equal(ledger_commit(l, err, sizeof err), 0);
	assert_int_equal(ledger_begin(l, err, sizeof err), 0);
	assert_int_equal(ledger_next_serial(l, &s, err, sizeof err), 0);
	assert_int_equal(s, 501);
	ledger_rollback(l);
	ledger_close(l);
}

/* One process's share of the race: ROUNDS serials, each in its own
 * transaction, recorded; its serials written to fd. Exits 0 or 1. */
static void
kid(int fd)
{
	ledger *l;
	ledger_rec r;
	uint32_t s;
	int i;
	char key[32];

	if (ledger_open(lpath, false, &l, err, sizeof err) != 0)
		_exit(1);
	for (i = 0; i < ROUNDS; i++) {
		if (ledger_begin(l, err, sizeof err) != 0 ||
		    ledger_next_serial(l, &s, err, sizeof err) != 0)
			_exit(1);
		(void)snprintf(key, sizeof key, "AWQBk%" PRIu32, s);
		r = rec_make(s, NULL, key);
		if (ledger_insert(l, &r, 1, err, sizeof err) != 0 ||
		    ledger_commit(l, err, sizeof err) != 0)
			_exit(1);
		if (write(fd, &s, sizeof s) != (ssize_t)sizeof s)
			_exit(1);
	}
	ledger_close(l);
	_exit(0);
}

static void
test_concurrent(void **state)
{
	static bool seen[KIDS * ROUNDS + 1];
	pid_t pid[KIDS];
	int fd[2], st, k, bad = 0;
	uint32_t s;
	size_t got = 0;
	ledger_query q;

	(void)state;
	ledger_close(open_new());
	assert_int_equal(pipe(fd), 0);
	for (k = 0; k < KIDS; k++) {
		pid[k] = fork();
		assert_true(pid[k] >= 0);
		if (pid[k] == 0) {
			(void)close(fd[0]);
			kid(fd[1]);
		}
	}
	(void)close(fd[1]);
	memset(seen, 0, sizeof seen);
	while (read(fd[0], &s, sizeof s) == (ssize_t)sizeof s) {
		if (s == 0 || s > KIDS * ROUNDS || seen[s])
			bad++;
		else
			seen[s] = true;
		got++;
	}
	(void)close(fd[0]);
	/* Wait for all before failing: teardown removes their directory. */
	for (k = 0; k < KIDS; k++) {
		assert_int_equal(waitpid(pid[k], &st, 0), pid[k]);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad++;
	}
	assert_int_equal(bad, 0);
	assert_int_equal(got, KIDS * ROUNDS);
	{
		ledger *l = open_new();

		memset(&q, 0, sizeof q);
		assert_int_equal(ledger_find(l, &q, NULL, NULL, err,
		    sizeof err), KIDS * ROUNDS);
		ledger_close(l);
	}
}

/* Processes creating one new ledger at once: one schema, every key kept. */
static void
test_concurrent_create(void **state)
{
	pid_t pid[4];
	int k, round, st, bad = 0;
	ledger *l;
	ledger_query q;

	for (round = 0; round < 5; round++) {
		char name[32];

		bprintf(name, sizeof name, "new%d.sqlite", round);
		path_in(*state, name, lpath, sizeof lpath);
		for (k = 0; k < 4; k++) {
			pid[k] = fork();
			assert_true(pid[k] >= 0);
			if (pid[k] == 0) {
				ledger_rec r = rec_make((uint32_t)k + 1U, NULL,
				    "AWQBk");

				if (ledger_open(lpath, true, &l, err,
				    sizeof err) != 0 ||
				    ledger_begin(l, err, sizeof err) != 0 ||
				    ledger_insert(l, &r, 1, err,
				    sizeof err) != 0 ||
				    ledger_commit(l, err, sizeof err) != 0) {
					fprintf(stderr, "process %d: %s\n", k,
					    err);
					_exit(1);
				}
				ledger_close(l);
				_exit(0);
			}
		}
		for (k = 0; k < 4; k++) {
			assert_int_equal(waitpid(pid[k], &st, 0), pid[k]);
			if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
				bad++;
		}
		assert_int_equal(bad, 0);
		assert_int_equal(ledger_open(lpath, false, &l, err, sizeof err),
		    0);
		memset(&q, 0, sizeof q);
		assert_int_equal(ledger_find(l, &q, NULL, NULL, err,
		    sizeof err), 4);
		ledger_close(l);
	}
}

/* ---- records ------------------------------------------------------------ */

static void
test_insert_refused(void **state)
{
	ledger *l = open_new();
	ledger_rec r[2], one;
	char longer[LEDGER_ORDER_MAX + 2];
	ledger_query q;
	struct hits h;

	(void)state;
	memset(&q, 0, sizeof q);
	one = rec_make(9, "A-9", "AWQBk9");
	insert_one(l, &one);
	assert_int_equal(ledger_begin(l, err, sizeof err), 0);
	/* one already recorded: neither of the two */
	r[0] = rec_make(10, NULL, "AWQBk10");
	r[1] = rec_make(9, NULL, "AWQBk9b");
	assert_int_equal(ledger_insert(l, r, 2, err, sizeof err), -1);
	assert_non_null(strstr(err, "key 277e0164 serial 9 is already "
	    "recorded"));
	/* twice among the n */
	r[1] = rec_make(10, NULL, "AWQBk10b");
	assert_int_equal(ledger_insert(l, r, 2, err, sizeof err), -1);
	assert_non_null(strstr(err, "serial 10 appears twice among the keys "
	    "to record"));
	/* an order id too long, with a control character, not UTF-8 */
	memset(longer, 'x', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	r[1] = rec_make(11, longer, "AWQBk11");
	assert_int_equal(ledger_insert(l, r, 2, err, sizeof err), -1);
	assert_non_null(strstr(err, "order id is longer than 128 bytes"));
	longer[LEDGER_ORDER_MAX] = '\0';
	r[1] = rec_make(11, longer, "AWQBk11");
	assert_int_equal(ledger_insert(l, r + 1, 1, err, sizeof err), 0);
	r[1] = rec_make(12, "A\n12", "AWQBk12");
	assert_int_equal(ledger_insert(l, r, 2, err, sizeof err), -1);
	assert_non_null(strstr(err, "control characters"));
	r[1] = rec_make(12, "A\xc3(", "AWQBk12");
	assert_int_equal(ledger_insert(l, r, 2, err, sizeof err), -1);
	/* a licensee not UTF-8; an empty key; times out of range */
	r[1] = rec_make(12, NULL, "AWQBk12");
	memcpy(r[1].lic.licensee, "\xff\xfe", 3);
	r[1].lic.licensee_len = 2;
	assert_int_equal(ledger_insert(l, r, 2, err, sizeof err), -1);
	assert_non_null(strstr(err, "licensee is not UTF-8"));
	r[1] = rec_make(12, NULL, "");
	assert_int_equal(ledger_insert(l, r, 2, err, sizeof err), -1);
	assert_non_null(strstr(err, "no key text"));
	r[1] = rec_make(12, NULL, "AWQBk12");
	r[1].time = -1;
	assert_int_equal(ledger_insert(l, r, 2, err, sizeof err), -1);
	r[1].time = INT64_C(253402300800);
	assert_int_equal(ledger_insert(l, r, 2, err, sizeof err), -1);
	assert_non_null(strstr(err, "not between 1970 and 9999"));
	assert_int_equal(ledger_commit(l, err, sizeof err), 0);
	/* only the first and the good one of serial 11 */
	assert_int_equal(find(l, &q, &h), 2);
	assert_string_equal(serials(&h), "9 11");
	ledger_close(l);
}

static void
test_queries(void **state)
{
	ledger *l = open_new();
	ledger_rec r[8];
	ledger_query q;
	struct hits h;
	lkey_revoked rv[1] = { { KEY_ID, 3 } };
	size_t i;

	(void)state;
	for (i = 0; i < 8; i++)
		r[i] = rec_make((uint32_t)i + 1U, i % 2 == 0 ? "A-1" : "B-%_2",
		    "AWQBk");
	r[1].lic.key_id = 0x11111111;
	r[4].lic.expires = day("2028-03-01");
	r[4].lic.maintenance = LKEY_NEVER;
	r[5].lic.maintenance = day("2028-03-31");
	r[5].lic.expires = LKEY_NEVER;
	memcpy(r[6].lic.licensee, "ACME gmbh Berlin", 17);
	r[6].lic.licensee_len = 16;
	r[7].replaces = true;
	r[7].replaces_key_id = KEY_ID;
	r[7].replaces_serial = 1;
	assert_int_equal(ledger_begin(l, err, sizeof err), 0);
	assert_int_equal(ledger_insert(l, r, 8, err, sizeof err), 0);
	assert_int_equal(ledger_record_list(l, 1, KEY_ID, day("2026-12-01"),
	    rv, 1, "# list 1\nAAAA\n", T0, err, sizeof err), 0);
	assert_int_equal(ledger_commit(l, err, sizeof err), 0);

	memset(&q, 0, sizeof q);
	q.order = "A-1";
	assert_int_equal(find(l, &q, &h), 4);
	assert_string_equal(serials(&h), "1 3 5 7");
	q.order = "B-%_2";
	assert_int_equal(find(l, &q, &h), 4);
	q.order = "B-";
	assert_int_equal(find(l, &q, &h), 0);

	memset(&q, 0, sizeof q);
	q.has_serial = true;
	q.serial = 2;
	assert_int_equal(find(l, &q, &h), 1);
	assert_int_equal(h.r[0].lic.key_id, 0x11111111);
	q.has_key_id = true;
	q.key_id = KEY_ID;
	assert_int_equal(find(l, &q, &h), 0);
	memset(&q, 0, sizeof q);
	q.has_key_id = true;
	q.key_id = KEY_ID;
	assert_int_equal(find(l, &q, &h), 7);

	/* licensee: a substring, ASCII case ignored; LIKE's characters
	 * taken literally; short ones without the index */
	memset(&q, 0, sizeof q);
	q.licensee = "acme";
	assert_int_equal(find(l, &q, &h), 8);
	q.licensee = "GMBH b";
	assert_int_equal(find(l, &q, &h), 1);
	assert_string_equal(serials(&h), "7");
	q.licensee = "h 1";
	assert_int_equal(find(l, &q, &h), 1);
	q.licensee = "8";
	assert_int_equal(find(l, &q, &h), 1);
	q.licensee = "%";
	assert_int_equal(find(l, &q, &h), 0);
	q.licensee = "Acme_";
	assert_int_equal(find(l, &q, &h), 0);
	q.licensee = "\"Acme";
	assert_int_equal(find(l, &q, &h), 0);
	q.licensee = "bh 5";
	q.order = "A-1";
	assert_int_equal(find(l, &q, &h), 1);
	q.order = "B-%_2";
	assert_int_equal(find(l, &q, &h), 0);

	/* ends: the licence or maintenance period, both days included */
	memset(&q, 0, sizeof q);
	q.has_ends = true;
	q.ends_after = day("2028-03-01");
	q.ends_before = day("2028-03-31");
	assert_int_equal(find(l, &q, &h), 2);
	assert_string_equal(serials(&h), "5 6");
	q.ends_after = day("2028-03-02");
	assert_int_equal(find(l, &q, &h), 1);
	assert_string_equal(serials(&h), "6");
	q.ends_before = day("2028-03-30");
	assert_int_equal(find(l, &q, &h), 0);
	q.ends_after = day("2027-12-31");
	q.ends_before = day("2027-12-31");
	assert_int_equal(find(l, &q, &h), 3);
	assert_string_equal(serials(&h), "1 3 7");

	/* revoked; replaced; current */
	memset(&q, 0, sizeof q);
	q.revoked = true;
	assert_int_equal(find(l, &q, &h), 1);
	assert_string_equal(serials(&h), "3");
	assert_true(h.r[0].revoked);
	assert_int_equal(h.r[0].revoked_sequence, 1);
	memset(&q, 0, sizeof q);
	q.has_serial = true;
	q.serial = 1;
	assert_int_equal(find(l, &q, &h), 1);
	assert_true(h.r[0].replaced);
	assert_false(h.r[0].revoked);
	q.serial = 8;
	assert_int_equal(find(l, &q, &h), 1);
	assert_true(h.r[0].replaces);
	assert_int_equal(h.r[0].replaces_key_id, KEY_ID);
	assert_int_equal(h.r[0].replaces_serial, 1);
	memset(&q, 0, sizeof q);
	q.current = true;
	assert_int_equal(find(l, &q, &h), 6);
	assert_string_equal(serials(&h), "2 4 5 6 7 8");
	q.order = "A-1";
	assert_int_equal(find(l, &q, &h), 2);
	assert_string_equal(serials(&h), "5 7");
	ledger_close(l);
}

static int
stop_at_two(void *arg, const ledger_rec *r)
{
	(void)r;
	return ++*(int *)arg == 2;
}

static void
test_find_stops(void **state)
{
	ledger *l = open_new();
	ledger_rec r[3];
	ledger_query q;
	int n = 0;

	(void)state;
	r[0] = rec_make(1, NULL, "AWQBk");
	r[1] = rec_make(2, NULL, "AWQBk");
	r[2] = rec_make(3, NULL, "AWQBk");
	assert_int_equal(ledger_begin(l, err, sizeof err), 0);
	assert_int_equal(ledger_insert(l, r, 3, err, sizeof err), 0);
	assert_int_equal(ledger_commit(l, err, sizeof err), 0);
	memset(&q, 0, sizeof q);
	strcpy(err, "untouched");
	assert_int_equal(ledger_find(l, &q, stop_at_two, &n, err, sizeof err),
	    -1);
	assert_int_equal(n, 2);
	assert_string_equal(err, "untouched");
	ledger_close(l);
}

/* ---- revocation lists --------------------------------------------------- */

struct revs {
	size_t n;
	ledger_revocation r[8];
};

static int
on_rev(void *arg, const ledger_revocation *r)
{
	struct revs *v = arg;

	if (v->n < 8)
		v->r[v->n++] = *r;
	return 0;
}

static void
test_lists(void **state)
{
	ledger *l = open_new();
	ledger_rec r = rec_make(3, NULL, "AWQBk3");
	lkey_revoked a[2] = { { KEY_ID, 3 }, { 0x11111111, 9 } };
	lkey_revoked b[2] = { { KEY_ID, 3 }, { KEY_ID, 4 } };
	char text[LKEY_REVOCATIONS_TEXT_CAP];
	struct revs v;
	uint32_t seq, id;
	bool found;

	(void)state;
	insert_one(l, &r);
	assert_int_equal(ledger_last_list(l, &seq, err, sizeof err), 0);
	assert_int_equal(seq, 0);
	assert_int_equal(ledger_begin(l, err, sizeof err), 0);
	assert_int_equal(ledger_record_list(l, 0, KEY_ID, day("2026-12-01"),
	    a, 2, "x", T0, err, sizeof err), -1);
	assert_int_equal(ledger_record_list(l, 3, KEY_ID, day("2026-12-01"),
	    a, 2, "# list 3\nAAAA\n", T0, err, sizeof err), 0);
	assert_int_equal(ledger_commit(l, err, sizeof err), 0);
	assert_int_equal(ledger_last_list(l, &seq, err, sizeof err), 0);
	assert_int_equal(seq, 3);
	/* at or below the last: refused */
	assert_int_equal(ledger_begin(l, err, sizeof err), 0);
	assert_int_equal(ledger_record_list(l, 3, KEY_ID, day("2026-12-02"),
	    b, 2, "y", T0, err, sizeof err), -1);
	assert_non_null(strstr(err, "at or below the last one recorded "
	    "(3)"));
	assert_int_equal(ledger_record_list(l, 2, KEY_ID, day("2026-12-02"),
	    b, 2, "y", T0, err, sizeof err), -1);
	assert_int_equal(ledger_record_list(l, 4, KEY_ID, day("2026-12-02"),
	    b, 2, "# list 4\nBBBB\n", T0 + 60, err, sizeof err), 0);
	assert_int_equal(ledger_commit(l, err, sizeof err), 0);
	/* each licence with the first list that revoked it */
	memset(&v, 0, sizeof v);
	assert_int_equal(ledger_revocations(l, on_rev, &v, err, sizeof err),
	    3);
	assert_int_equal(v.r[0].key_id, 0x11111111);
	assert_int_equal(v.r[0].serial, 9);
	assert_int_equal(v.r[0].sequence, 3);
	assert_false(v.r[0].issued);
	assert_int_equal(v.r[1].serial, 3);
	assert_int_equal(v.r[1].sequence, 3);
	assert_true(v.r[1].issued);
	assert_int_equal(v.r[1].time, T0);
	assert_int_equal(v.r[2].serial, 4);
	assert_int_equal(v.r[2].sequence, 4);
	assert_int_equal(v.r[2].time, T0 + 60);
	assert_int_equal(ledger_list_text(l, 4, &found, &id, text, sizeof text,
	    err, sizeof err), 0);
	assert_true(found);
	assert_int_equal(id, KEY_ID);
	assert_string_equal(text, "# list 4\nBBBB\n");
	assert_int_equal(ledger_list_text(l, 5, &found, &id, text, sizeof text,
	    err, sizeof err), 0);
	assert_false(found);
	ledger_close(l);
}

/* ---- import ------------------------------------------------------------- */

/* A key signed by vendor key 1 for terms t (serial, seats, licensee...). */
static void
sign_key(lkey_license *t, char text[LKEY_B64_TEXT_MAX])
{
	lkey_vendor_key vk;

	vendor_key(1, &vk);
	assert_int_equal(lkey_issue(&vk, t, text, LKEY_B64_TEXT_MAX),
	    LKEY_ISSUE_OK);
	t->key_id = vk.pub.id;
	t->version = 1;
	lkey_vendor_key_wipe(&vk);
}

/* Terms of serial n: 25 seats, 2027, maintenance to mid-year, modules. */
static lkey_license
terms(uint32_t n)
{
	lkey_license t;

	lkey_terms_init(&t, day("2026-12-01"));
	t.product = 7;
	t.edition = 2;
	t.seats = 25;
	t.starts = day("2027-01-01");
	t.expires = day("2027-12-31");
	t.maintenance = day("2027-06-30");
	t.serial = n;
	t.features = 14;
	t.maintenance_features = 4;
	t.module_seats[2] = 10;
	t.module_seats[3] = 3;
	t.notice_days = 30;
	memcpy(t.licensee, "Acme GmbH", 10);
	t.licensee_len = 9;
	return t;
}

/* The line lkey 2 wrote for terms t and key text, written out by hand;
 * extra: what goes in place of "seats":25 (another value, say). */
static void
line_of(const lkey_license *t, const char *key, const char *order,
    const char *seats, char *out, size_t cap)
{
	bprintf(out, cap, "{\"time\":\"2026-11-23T11:22:53Z\","
	    "\"key_id\":\"%08" PRIx32 "\",\"serial\":%" PRIu32 ","
	    "\"order\":%s,\"product\":7,\"edition\":2,\"seats\":%s,"
	    "\"starts\":\"2027-01-01\",\"expires\":\"2027-12-31\","
	    "\"maintenance\":\"2027-06-30\",\"features\":14,"
	    "\"maintenance_features\":4,\"licensee\":\"Acme GmbH\","
	    "\"issued\":\"2026-12-01\",\"grace_days\":0,\"notice_days\":30,"
	    "\"trial\":false,\"module_seats\":\"2=10,3=3\",\"host\":null,"
	    "\"key\":\"%s\"}\n", t->key_id, t->serial, order, seats, key);
}

/* The public keys imports are checked with: vendor key 1 and the demo. */
static size_t
import_keys(lkey_pubkey keys[2])
{
	pubkey_ring_error why;
	lkey_vendor_key vk;
	char text[512];
	FILE *f;
	size_t n, got;

	vendor_key(1, &vk);
	keys[0] = vk.pub;
	lkey_vendor_key_wipe(&vk);
	f = fopen(DEMO_PUB, "r");
	assert_non_null(f);
	n = fread(text, 1, sizeof text - 1, f);
	assert_int_equal(fclose(f), 0);
	text[n] = '\0';
	assert_int_equal(pubkey_ring_parse(text, n, &keys[1], 1, &got, &why),
	    0);
	assert_int_equal(got, 1);
	return 2;
}

/* Imports the file at path; returns what ledger_import returned. */
static int
import_file(ledger *l, const char *path, unsigned long *added,
    unsigned long *same)
{
	lkey_pubkey keys[2];
	size_t nkeys = import_keys(keys);
	FILE *f = fopen(path, "r");
	int rc;

	assert_non_null(f);
	rc = ledger_import(l, f, "old.jsonl", keys, nkeys, added, same, err,
	    sizeof err);
	assert_int_equal(fclose(f), 0);
	return rc;
}

static void
test_import(void **state)
{
	static char file[4 * LEDGER_LINE_MAX], line[LEDGER_LINE_MAX];
	char key[3][LKEY_B64_TEXT_MAX], jl[PATHCAP];
	lkey_license t[3];
	unsigned long added, same;
	ledger *l = open_new();
	ledger_query q;
	struct hits h;
	uint32_t s;
	size_t i;

	path_in(*state, "old.jsonl", jl, sizeof jl);
	for (i = 0; i < 3; i++) {
		t[i] = terms(1001U + (uint32_t)i);
		sign_key(&t[i], key[i]);
	}
	file[0] = '\0';
	line_of(&t[0], key[0], "\"A-17\"", "25", line, sizeof line);
	strcat(file, line);
	line_of(&t[1], key[1], "null", "25", line, sizeof line);
	strcat(file, line);
	/* as lkey 1 wrote it: fewer fields, the rest from the key */
	bprintf(line, sizeof line, "{\"time\":\"2026-11-24T00:00:00Z\","
	    "\"serial\":1003,\"order\":\"B-1\",\"key\":\"%s\"}\n", key[2]);
	strcat(file, line);
	write_file(jl, file, strlen(file));
	assert_int_equal(import_file(l, jl, &added, &same), 0);
	assert_int_equal(added, 3);
	assert_int_equal(same, 0);
	memset(&q, 0, sizeof q);
	assert_int_equal(find(l, &q, &h), 3);
	assert_string_equal(serials(&h), "1001 1002 1003");
	for (i = 0; i < 3; i++) {
		assert_same_terms(&h.r[i].lic, &t[i]);
		assert_string_equal(h.key[i], key[i]);
	}
	assert_string_equal(h.order[0], "A-17");
	assert_false(h.has_order[1]);
	assert_int_equal(h.r[0].time, T0);
	/* twice: nothing changes */
	assert_int_equal(import_file(l, jl, &added, &same), 0);
	assert_int_equal(added, 0);
	assert_int_equal(same, 3);
	assert_int_equal(find(l, &q, &h), 3);
	/* automatic serials go on above them */
	assert_int_equal(ledger_begin(l, err, sizeof err), 0);
	assert_int_equal(ledger_next_serial(l, &s, err, sizeof err), 0);
	assert_int_equal(s, 1004);
	ledger_rollback(l);
	ledger_close(l);
}

/* A ledger lkey 2 wrote (the fuzz corpus's seed): every line taken. */
static void
test_import_lkey2(void **state)
{
	unsigned long added, same;
	ledger *l = open_new();
	ledger_query q;
	struct hits h;

	(void)state;
	assert_int_equal(import_file(l, "tests/fuzz/corpus/ledger/issued.jsonl",
	    &added, &same), 0);
	assert_int_equal(added, 5);
	memset(&q, 0, sizeof q);
	q.order = "A-17";
	assert_int_equal(find(l, &q, &h), 1);
	assert_int_equal(h.r[0].lic.serial, 1);
	assert_string_equal(h.r[0].lic.licensee, "Example Manufacturing GmbH");
	assert_int_equal(h.r[0].lic.features, 3);
	ledger_close(l);
}

/*
 * A key must verify with a public key given: one signed by another vendor
 * key (2, whose public key is not given), or one whose signature was
 * altered, refuses the import, and nothing is recorded.
 */
static void
test_import_signature(void **state)
{
	static char line[LEDGER_LINE_MAX];
	char key[LKEY_B64_TEXT_MAX], jl[PATHCAP];
	lkey_vendor_key vk;
	lkey_license t;
	unsigned long added, same;
	ledger *l = open_new();
	ledger_query q;
	size_t n;

	path_in(*state, "old.jsonl", jl, sizeof jl);
	memset(&q, 0, sizeof q);

	t = terms(1001);
	vendor_key(2, &vk);
	assert_int_equal(lkey_issue(&vk, &t, key, sizeof key), LKEY_ISSUE_OK);
	t.key_id = vk.pub.id;
	t.version = 1;
	lkey_vendor_key_wipe(&vk);
	line_of(&t, key, "\"A-17\"", "25", line, sizeof line);
	write_file(jl, line, strlen(line));
	assert_int_equal(import_file(l, jl, &added, &same), -1);
	assert_non_null(strstr(err, "line 1: \"key\" is signed by a vendor "
	    "key whose public key was not given"));

	/* The last signature character before the padding, changed. */
	t = terms(1001);
	sign_key(&t, key);
	n = strlen(key);
	while (n > 0 && key[n - 1] == '=')
		n--;
	key[n - 2] = key[n - 2] == 'A' ? 'B' : 'A';
	line_of(&t, key, "\"A-17\"", "25", line, sizeof line);
	write_file(jl, line, strlen(line));
	assert_int_equal(import_file(l, jl, &added, &same), -1);
	assert_non_null(strstr(err, "line 1: \"key\" does not verify"));
	assert_int_equal(ledger_find(l, &q, NULL, NULL, err, sizeof err), 0);
	ledger_close(l);
}

static void
test_import_refused(void **state)
{
	static char file[4 * LEDGER_LINE_MAX], line[LEDGER_LINE_MAX];
	char key[2][LKEY_B64_TEXT_MAX], jl[PATHCAP], bad[LKEY_B64_TEXT_MAX];
	lkey_license t[2];
	unsigned long added, same;
	ledger *l = open_new();
	ledger_query q;
	struct hits h;
	size_t i;
	const struct bad_text cases[] = {
		{ "{\"time\":1}", "line 2: \"time\" is not" },
		{ "{\"serial\":1002}", "line 2: no \"time\"" },
		{ "{\"time\":\"2026-11-23T11:22:53Z\",\"serial\":1002}",
		    "line 2: no \"key\"" },
		{ "not json", "line 2: " },
		{ "", "line 2: " },
		{ "{\"time\":\"2026-11-23T11:22:53Z\",\"serial\":1002,"
		    "\"key\":\"AAAA\"}", "\"key\" is not a licence key" },
	};

	path_in(*state, "old.jsonl", jl, sizeof jl);
	for (i = 0; i < 2; i++) {
		t[i] = terms(1001U + (uint32_t)i);
		sign_key(&t[i], key[i]);
	}
	memset(&q, 0, sizeof q);
	/* a term the key does not carry, after a good line */
	line_of(&t[0], key[0], "\"A-17\"", "25", file, sizeof file);
	line_of(&t[1], key[1], "\"A-18\"", "26", line, sizeof line);
	strcat(file, line);
	write_file(jl, file, strlen(file));
	assert_int_equal(import_file(l, jl, &added, &same), -1);
	assert_string_equal(err, "old.jsonl: line 2: \"seats\" is 26 but the "
	    "key says 25; nothing imported");
	assert_int_equal(find(l, &q, &h), 0);
	/* seats "unlimited" against 25; a key with white space; a key not
	 * in canonical base64 (the unused bits of "AB==" set) */
	line_of(&t[1], key[1], "\"A-18\"", "\"unlimited\"", line,
	    sizeof line);
	write_file(jl, line, strlen(line));
	assert_int_equal(import_file(l, jl, &added, &same), -1);
	assert_non_null(strstr(err, "line 1: \"seats\" is unlimited"));
	bprintf(bad, sizeof bad, "%.8s %s", key[1], key[1] + 8);
	line_of(&t[1], bad, "null", "25", line, sizeof line);
	write_file(jl, line, strlen(line));
	assert_int_equal(import_file(l, jl, &added, &same), -1);
	assert_non_null(strstr(err, "white space"));
	bprintf(bad, sizeof bad, "%.*sAB==", (int)(strlen(key[1]) / 4 * 4 -
	    4), key[1]);
	line_of(&t[1], bad, "null", "25", line, sizeof line);
	write_file(jl, line, strlen(line));
	assert_int_equal(import_file(l, jl, &added, &same), -1);
	assert_non_null(strstr(err, "\"key\" is not the canonical base64"));
	/* bad lines after a good one */
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		line_of(&t[0], key[0], "\"A-17\"", "25", file, sizeof file);
		bprintf(line, sizeof line, "%s\n", cases[i].text);
		strcat(file, line);
		write_file(jl, file, strlen(file));
		assert_int_equal(import_file(l, jl, &added, &same), -1);
		if (strstr(err, cases[i].want) == NULL)
			fail_msg("case %zu: %s", i, err);
		assert_int_equal(find(l, &q, &h), 0);
	}
	/* unknown field; no line end; a line too long */
	line_of(&t[0], key[0], "\"A-17\"", "25", line, sizeof line);
	line[2] = 'X';
	write_file(jl, line, strlen(line));
	assert_int_equal(import_file(l, jl, &added, &same), -1);
	assert_non_null(strstr(err, "unknown field \"Xime\""));
	line_of(&t[0], key[0], "\"A-17\"", "25", line, sizeof line);
	write_file(jl, line, strlen(line) - 1);
	assert_int_equal(import_file(l, jl, &added, &same), -1);
	assert_non_null(strstr(err, "line 1: has no line end"));
	memset(file, ' ', LEDGER_LINE_MAX + 10);
	file[LEDGER_LINE_MAX + 10] = '\n';
	write_file(jl, file, LEDGER_LINE_MAX + 11);
	assert_int_equal(import_file(l, jl, &added, &same), -1);
	assert_non_null(strstr(err, "line 1: longer than"));
	/* a clash with what the ledger holds: refused, naming the line */
	line_of(&t[0], key[0], "\"A-17\"", "25", line, sizeof line);
	write_file(jl, line, strlen(line));
	assert_int_equal(import_file(l, jl, &added, &same), 0);
	assert_int_equal(added, 1);
	line_of(&t[1], key[1], "\"A-18\"", "25", file, sizeof file);
	line_of(&t[0], key[0], "\"A-19\"", "25", line, sizeof line);
	strcat(file, line);
	write_file(jl, file, strlen(file));
	assert_int_equal(import_file(l, jl, &added, &same), -1);
	assert_non_null(strstr(err, "old.jsonl: line 2: key "));
	assert_non_null(strstr(err, " serial 1001 is in "));
	assert_non_null(strstr(err, "with another record; nothing "
	    "imported"));
	assert_int_equal(find(l, &q, &h), 1);
	ledger_close(l);
}

/* Lines of an export, each with one thing wrong: refused, naming it. */
static void
test_import_export_refused(void **state)
{
	static char good[LEDGER_LINE_MAX], line[LEDGER_LINE_MAX];
	char key[LKEY_B64_TEXT_MAX], jl[PATHCAP];
	unsigned long added, same;
	lkey_license t = terms(1001);
	ledger *l = open_new();
	const char *at;
	size_t i, n;
	struct { const char *from, *to, *want; } cases[] = {
		{ "\"features\":[1,2,3]", "\"features\":[1,3,2]",
		    "\"features\" is not a list of feature bits from 0 to 31, "
		    "rising" },
		{ "\"features\":[1,2,3]", "\"features\":[1,2,3,3]",
		    "\"features\" is not a list" },
		{ "\"features\":[1,2,3]", "\"features\":[1,2]",
		    "\"features\" is 6 but the key says 14" },
		{ "\"features\":[1,2,3]", "\"features\":14",
		    "\"features\" is not a list of feature bits" },
		{ "\"features\":[1,2,3]", "\"features\":[\"reports\",2,3]",
		    "\"features\" holds a name (reports), not a number: export "
		    "without --catalog to import" },
		{ "\"product\":7", "\"product\":\"timetracker\"",
		    "\"product\" holds a name (timetracker)" },
		{ "{\"2\":10,\"3\":3}", "{\"payroll\":10,\"3\":3}",
		    "\"module_seats\" holds a name (payroll)" },
		{ "{\"2\":10,\"3\":3}", "{\"3\":3,\"2\":10}",
		    "\"module_seats\": the feature bits are not rising" },
		{ "{\"2\":10,\"3\":3}", "{\"2\":10,\"3\":4}",
		    "\"module_seats\" is not the key's" },
		{ "{\"2\":10,\"3\":3}", "\"2=10,3=3\"",
		    "\"module_seats\" is not an object" },
		{ "{\"2\":10,\"3\":3}", "{\"02\":10,\"3\":3}",
		    "\"module_seats\": a feature bit is not from 0 to 31" },
		{ "\"license_expires\":\"2027-12-31\"",
		    "\"license_expires\":\"never\"",
		    "\"license_expires\" is never but the key says 2027-12-31" },
		{ "\"license_expires\"", "\"expires\"",
		    "unknown field \"expires\"" },
		{ "\"replaces\":null", "\"replaces\":\"277e0164\"",
		    "\"replaces\" is not KEYID:SERIAL" },
		{ "\"replaces\":null", "\"replaces\":\"277E0164:1\"",
		    "\"replaces\" is not KEYID:SERIAL" },
		{ "\"revoked\":null", "\"revoked\":0",
		    "\"revoked\" is not a list's sequence or null" },
		{ "\"replaced\":false", "\"replaced\":null",
		    "\"replaced\" is not true or false" },
		{ "\"recorded\":\"2026-11-23T11:22:53Z\"",
		    "\"recorded\":\"2026-11-23 11:22:53\"",
		    "\"recorded\" is not YYYY-MM-DDTHH:MM:SSZ" },
		{ "\"replaced\":false", "\"replaced\":false,\"time\":"
		    "\"2026-11-23T11:22:53Z\"", "both \"time\"" },
		{ "\"features\":[1,2,3]", "\"features\":[[1]]",
		    "nested deeper than a ledger line is" },
	};

	path_in(*state, "export.jsonl", jl, sizeof jl);
	sign_key(&t, key);
	bprintf(good, sizeof good, "{\"product\":7,\"edition\":2,\"seats\":25,"
	    "\"starts\":\"2027-01-01\",\"license_expires\":\"2027-12-31\","
	    "\"maintenance_expires\":\"2027-06-30\",\"serial\":1001,"
	    "\"features\":[1,2,3],\"maintenance_features\":[2],"
	    "\"licensee\":\"Acme GmbH\",\"key_id\":\"%08" PRIx32 "\","
	    "\"host\":null,\"issued\":\"2026-12-01\",\"trial\":false,"
	    "\"grace_days\":0,\"notice_days\":30,"
	    "\"module_seats\":{\"2\":10,\"3\":3},\"order\":\"A-17\","
	    "\"key\":\"%s\",\"recorded\":\"2026-11-23T11:22:53Z\","
	    "\"replaces\":null,\"revoked\":null,\"replaced\":false}\n",
	    t.key_id, key);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		at = strstr(good, cases[i].from);
		assert_non_null(at);
		n = (size_t)(at - good);
		bprintf(line, sizeof line, "%.*s%s%s", (int)n, good,
		    cases[i].to, at + strlen(cases[i].from));
		write_file(jl, line, strlen(line));
		if (import_file(l, jl, &added, &same) != -1 ||
		    strstr(err, cases[i].want) == NULL ||
		    strstr(err, "old.jsonl: line 1: ") == NULL)
			fail_msg("case %zu: %s", i, err);
	}
	/* the line itself; then with revoked and replaced set */
	write_file(jl, good, strlen(good));
	assert_int_equal(import_file(l, jl, &added, &same), 0);
	assert_int_equal(added, 1);
	at = strstr(good, "\"revoked\":null,\"replaced\":false");
	assert_non_null(at);
	bprintf(line, sizeof line, "%.*s\"revoked\":4,\"replaced\":true}\n",
	    (int)(at - good), good);
	write_file(jl, line, strlen(line));
	assert_int_equal(import_file(l, jl, &added, &same), 0);
	assert_int_equal(same, 1);
	ledger_close(l);
}

/* ---- round trip: export, then import ------------------------------------ */

/* A run that must exit 0; with quiet, print nothing on stderr. */
static void
kg_ok(const char *what, const struct result *r, bool quiet)
{
	if (r->code != 0 || r->out_trunc || (quiet && r->errlen != 0)) {
		show(what, r);
		fail_msg("%s: expected exit 0", what);
	}
}

/* The public key file of vendor key 1 (sign_key's), in the test's
 * directory: ledger import checks every key with it. */
static const char *
pub1(const struct fx *fx)
{
	static char path[PATHCAP];
	char text[256];
	lkey_vendor_key vk;
	size_t n;

	vendor_key(1, &vk);
	n = pubkey_file_format(&vk.pub, text, sizeof text);
	lkey_vendor_key_wipe(&vk);
	assert_true(n > 0);
	path_in(fx, "vendor1.pub", path, sizeof path);
	write_file(path, text, n);
	return path;
}

/* Four keys of varied terms, one replacing another, one revoked. */
static void
round_trip_books(const char *path)
{
	static char key[4][LKEY_B64_TEXT_MAX];
	lkey_revoked rv[1];
	ledger_rec r[4];
	ledger *l = NULL;
	size_t i;

	memset(r, 0, sizeof r);
	for (i = 0; i < 4; i++) {
		r[i].lic = terms(1001U + (uint32_t)i);
		r[i].time = T0 + (int64_t)i * 3600;
	}
	r[0].order = "A-17";
	r[1].lic.seats = LKEY_SEATS_UNLIMITED;
	r[1].lic.expires = LKEY_NEVER;
	r[1].lic.maintenance = LKEY_NEVER;
	r[1].lic.host_bound = true;
	memcpy(r[1].lic.host, "\x3f\x2a\x9c\x0d\x5e\x6b\x7a\x81", 8);
	r[1].lic.licensee[0] = '\0';
	r[1].lic.licensee_len = 0;
	r[1].lic.features = 0;
	r[1].lic.maintenance_features = 0;
	memset(r[1].lic.module_seats, 0, sizeof r[1].lic.module_seats);
	r[1].lic.grace_days = 7;
	r[1].order = "B-\"1\"";
	r[2].replaces = true;
	r[2].replaces_key_id = 0;	/* set below: the key id */
	r[2].replaces_serial = 1001;
	r[3].lic.product = 1;
	r[3].lic.trial = true;
	r[3].lic.features = UINT32_C(0x8000000e);
	r[3].lic.module_seats[31] = 4;
	memcpy(r[3].lic.licensee, "M\xc3\xbcller \"Bau\" \\ AG", 19);
	r[3].lic.licensee_len = 18;
	r[3].order = "=cmd|' /C calc'!A0";
	for (i = 0; i < 4; i++) {
		const char *why = "";

		if (lkey_terms_check(&r[i].lic, &why) != LKEY_ISSUE_OK)
			fail_msg("terms %zu: %s", i, why);
		sign_key(&r[i].lic, key[i]);
		r[i].key = key[i];
	}
	r[2].replaces_key_id = r[0].lic.key_id;
	rv[0].key_id = r[0].lic.key_id;
	rv[0].serial = 1001;
	if (ledger_open(path, true, &l, err, sizeof err) != 0)
		fail_msg("ledger_open: %s", err);
	assert_int_equal(ledger_begin(l, err, sizeof err), 0);
	assert_int_equal(ledger_insert(l, r, 4, err, sizeof err), 0);
	assert_int_equal(ledger_record_list(l, 1, r[0].lic.key_id,
	    day("2026-12-01"), rv, 1, "# list 1\nAAAA\n", T0, err,
	    sizeof err), 0);
	assert_int_equal(ledger_commit(l, err, sizeof err), 0);
	ledger_close(l);
}

/*
 * A ledger exported and imported into a fresh one gives the same
 * `ledger --json`, but for "revoked": revocations live in the lists, which
 * an export does not hold. Importing it again, or into the ledger it came
 * from, changes nothing; automatic serials go on above it; an export made
 * with --catalog is refused, naming the field.
 */
static void
test_round_trip(void **state)
{
	static struct result r1, r2, r;
	static char want[OUTCAP + 1U];
	char l2[PATHCAP], ex[PATHCAP], ex2[PATHCAP], exc[PATHCAP];
	const char *p, *q;
	size_t len = 0;
	ledger *l;
	uint32_t s;

	path_in(*state, "export.jsonl", ex, sizeof ex);
	path_in(*state, "export2.jsonl", ex2, sizeof ex2);
	path_in(*state, "catalog.jsonl", exc, sizeof exc);
	path_in(*state, "restored.sqlite", l2, sizeof l2);
	round_trip_books(lpath);
	/* and one as lkey-keygen issue records it */
	keygen_run(*state, &r, "issue", "--secret", DEMO_SEC, "--ledger", lpath,
	    "--product", "1", "--edition", "1", "--seats", "1", "--starts",
	    "2027-01-01", "--expires", "2027-01-31", "--maintenance",
	    "2027-01-31", "--serial", "2001", "--order", "I-1", NULL);
	kg_ok("issue", &r, true);
	keygen_run(*state, &r, "ledger", "export", "--ledger", lpath,
	    "--format", "jsonl", NULL);
	kg_ok("export", &r, true);
	write_file(ex, r.out, r.outlen);
	keygen_run(*state, &r, "ledger", "import", ex, "--pubkey", pub1(*state),
	    "--pubkey", DEMO_PUB, "--ledger", l2, NULL);
	kg_ok("import", &r, false);
	assert_non_null(strstr(r.err, "lkey-keygen: imported 5 keys into "));
	keygen_run(*state, &r1, "ledger", "--ledger", lpath, "--json", NULL);
	kg_ok("ledger --json", &r1, true);
	keygen_run(*state, &r2, "ledger", "--ledger", l2, "--json", NULL);
	kg_ok("ledger --json (imported)", &r2, true);
	/* the first ledger's, "revoked":1 as null */
	for (p = r1.out; (q = strstr(p, "\"revoked\":1,")) != NULL;
	    p = q + strlen("\"revoked\":1,")) {
		memcpy(want + len, p, (size_t)(q - p));
		len += (size_t)(q - p);
		memcpy(want + len, "\"revoked\":null,", 15);
		len += 15;
	}
	assert_true(p != r1.out);
	bprintf(want + len, sizeof want - len, "%s", p);
	assert_string_equal(r2.out, want);
	assert_non_null(strstr(r2.out, "\"replaces\":\""));
	/* the export of the imported ledger is the export, but "revoked" */
	keygen_run(*state, &r, "ledger", "export", "--ledger", l2, NULL);
	kg_ok("export (imported)", &r, true);
	assert_string_equal(r.out, r2.out);
	write_file(ex2, r.out, r.outlen);
	/* twice; back into the first ledger: nothing changes */
	keygen_run(*state, &r, "ledger", "import", ex, "--pubkey", pub1(*state),
	    "--pubkey", DEMO_PUB, "--ledger", l2, NULL);
	kg_ok("import again", &r, false);
	assert_non_null(strstr(r.err, "imported 0 keys into "));
	assert_non_null(strstr(r.err, "(5 were there already)"));
	keygen_run(*state, &r, "ledger", "import", ex2, "--pubkey",
	    pub1(*state), "--pubkey", DEMO_PUB, "--ledger", lpath, NULL);
	kg_ok("import into the first", &r, false);
	assert_non_null(strstr(r.err, "imported 0 keys into "));
	keygen_run(*state, &r, "ledger", "--ledger", l2, "--json", NULL);
	assert_string_equal(r.out, r2.out);
	if (ledger_open(l2, false, &l, err, sizeof err) != 0)
		fail_msg("ledger_open: %s", err);
	assert_int_equal(ledger_begin(l, err, sizeof err), 0);
	assert_int_equal(ledger_next_serial(l, &s, err, sizeof err), 0);
	assert_int_equal(s, 2002);
	ledger_rollback(l);
	ledger_close(l);
	/* names of a catalog: refused, nothing imported */
	keygen_run(*state, &r, "ledger", "export", "--ledger", lpath,
	    "--catalog", CATALOG, NULL);
	kg_ok("export --catalog", &r, true);
	write_file(exc, r.out, r.outlen);
	unlink(l2);
	keygen_run(*state, &r, "ledger", "import", exc, "--pubkey",
	    pub1(*state), "--pubkey", DEMO_PUB, "--ledger", l2, NULL);
	if (r.code == 0 || strstr(r.err, ": line 1: \"edition\" holds a name "
	    "(professional), not a number: export without --catalog to "
	    "import; nothing imported") == NULL) {
		show("import of an export with catalog names", &r);
		fail_msg("expected a refusal naming line 1's edition");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, proc_teardown)
		T(test_create_reopen),
		T(test_refused_files),
		T(test_jsonl_refused),
		T(test_schema_versions),
		T(test_transactions),
		T(test_next_serial),
		T(test_serial_wrap),
		T(test_serial_run),
		T(test_concurrent),
		T(test_concurrent_create),
		T(test_insert_refused),
		T(test_queries),
		T(test_find_stops),
		T(test_lists),
		T(test_import),
		T(test_import_lkey2),
		T(test_import_signature),
	T(test_import_refused),
		T(test_import_export_refused),
		T(test_round_trip),
#undef T
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

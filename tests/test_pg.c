/*
 * test_pg.c - the ledger on a PostgreSQL server: the PostgreSQL engine of
 * the database layer (keygen/lib/db_pg.c) and the ledger (ledger.h) on it
 *
 * Needs a running server: $LKEY_PG_URI names a database on it in which
 * this test may create a database of its own (dropped at the end). make
 * test starts a throwaway one (tests/pgserver.sh run). To run this test
 * alone:
 *
 *   sh tests/pgserver.sh run build/pg build/tests/test_pg
 *
 * Without $LKEY_PG_URI the test fails, saying so; it skips only when
 * tests/pgserver.sh found no PostgreSQL server programs ($LKEY_PG_SKIP).
 */
#include <sys/resource.h>
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
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "db.h"
#include "fixture.h"
#include "fulfil.h"
#include "ledger.h"
#include "lkey.h"
#include "lkey_vendor.h"
#include "proc.h"
#include "pubfile.h"
#include "vendorkey.h"

#define ERRCAP 1024U
#define URICAP 2048U
#define ROWS_MAX 16U
#define CELL_CAP 256U

/*
 * The server's URI as given, and those of this run's own databases: one
 * for the database layer's tests, one that the ledger's tests start with
 * empty, one that several processes open first at once, and one for
 * two lkey-keygen batch processes.
 */
static const char *server_uri;
static char test_db[64];
static char uri[URICAP];
static char luri[URICAP];
static char furi[URICAP];
static char buri[URICAP];
static char xuri[URICAP];
/* A directory of this run's files, removed at the end. */
static char scratch[PATHCAP];

/*
 * `base` with its database (the path after the host) made `name`:
 * postgresql://HOST/DB?... or postgresql:///DB?... Fails the test if base
 * is not such a URI.
 */
static void
uri_with_db(const char *base, const char *name, char *out, size_t cap)
{
	const char *auth = strstr(base, "://"), *slash, *end;
	int len;

	assert_non_null(auth);
	auth += 3;
	end = auth + strcspn(auth, "?#");
	slash = memchr(auth, '/', (size_t)(end - auth));
	if (slash == NULL)
		slash = end;
	len = snprintf(out, cap, "%.*s/%s%s", (int)(slash - base), base, name,
	    end);
	assert_true(len > 0 && (size_t)len < cap);
}

/* Opens `where`, failing the test with the reason if it cannot. */
static db *
open_ok(const char *where)
{
	char err[ERRCAP] = "";
	db *d = NULL;

	if (db_open(where, false, &d, err, sizeof err) != 0)
		fail_msg("db_open: %s", err);
	assert_non_null(d);
	return d;
}

static void
exec_ok(db *d, const char *sql)
{
	char err[ERRCAP] = "";

	if (db_exec(d, sql, err, sizeof err) != 0)
		fail_msg("db_exec %s: %s", sql, err);
}

/* The rows a query delivered, as text ("(null)" for NULL). */
struct rows {
	size_t n, ncol;
	char cell[ROWS_MAX][4][CELL_CAP];
	bool null[ROWS_MAX][4];
	size_t stop_after;	/* 0: take all */
};

static int
take_row(void *arg, size_t ncol, const char *const *val)
{
	struct rows *r = arg;
	size_t c;

	assert_true(r->n < ROWS_MAX);
	assert_true(ncol <= 4U);
	r->ncol = ncol;
	for (c = 0; c < ncol; c++) {
		r->null[r->n][c] = val[c] == NULL;
		(void)snprintf(r->cell[r->n][c], CELL_CAP, "%s",
		    val[c] != NULL ? val[c] : "(null)");
	}
	r->n++;
	return r->stop_after != 0 && r->n == r->stop_after;
}

static long
query(db *d, const char *sql, const char *const *param, size_t n,
    struct rows *r)
{
	char err[ERRCAP] = "";
	long got;

	if (r != NULL)
		memset(r, 0, sizeof *r);
	got = db_query(d, sql, param, n, r != NULL ? take_row : NULL, r, err,
	    sizeof err);
	if (got < 0)
		fail_msg("db_query %s: %s", sql, err);
	return got;
}

/* A query that must fail: its message, checked to be one line naming
 * the database. */
static void
query_fails(db *d, const char *sql, const char *const *param, size_t n,
    char *err, size_t cap)
{
	size_t len;

	err[0] = '\0';
	assert_int_equal(db_query(d, sql, param, n, NULL, NULL, err, cap), -1);
	len = strlen(db_name(d));
	if (strncmp(err, db_name(d), len) != 0 || strncmp(err + len, ": ",
	    2) != 0)
		fail_msg("message does not start with the database's name: %s",
		    err);
	assert_null(strchr(err, '\n'));
}

/*
 * A database of this run's own on the server, so that runs side by side
 * (the plain and the sanitizer build) and runs one after the other share
 * nothing.
 */
/* Creates (or drops) both of this run's databases. */
static int
databases(bool create)
{
	char err[ERRCAP] = "", sql[160];
	const char *suffix[] = { "", "_ledger", "_fresh", "_batch",
	    "_moved" };
	db *d = NULL;
	size_t i;

	if (db_open(server_uri, false, &d, err, sizeof err) != 0) {
		fprintf(stderr, "test_pg: cannot connect to the server: %s\n",
		    err);
		return -1;
	}
	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		if (create)
			(void)snprintf(sql, sizeof sql, "CREATE DATABASE %s%s",
			    test_db, suffix[i]);
		else
			(void)snprintf(sql, sizeof sql, "DROP DATABASE IF "
			    "EXISTS %s%s WITH (FORCE)", test_db, suffix[i]);
		if (db_exec(d, sql, err, sizeof err) != 0) {
			fprintf(stderr, "test_pg: %s\n", err);
			db_close(d);
			return -1;
		}
	}
	db_close(d);
	return 0;
}

/*
 * Databases of this run's own on the server, so that runs side by side
 * (the plain and the sanitizer build) and runs one after the other share
 * nothing.
 */
static int
group_setup(void **state)
{
	char name[80];

	const char *tmp = getenv("TMPDIR");

	(void)state;
	(void)snprintf(scratch, sizeof scratch, "%s/lkey-pg-XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(scratch) == NULL) {
		perror("test_pg: mkdtemp");
		return -1;
	}
	(void)snprintf(test_db, sizeof test_db, "lkey_test_%ld_%ld",
	    (long)getpid(), (long)time(NULL));
	if (databases(true) != 0)
		return -1;
	uri_with_db(server_uri, test_db, uri, sizeof uri);
	(void)snprintf(name, sizeof name, "%s_ledger", test_db);
	uri_with_db(server_uri, name, luri, sizeof luri);
	(void)snprintf(name, sizeof name, "%s_fresh", test_db);
	uri_with_db(server_uri, name, furi, sizeof furi);
	(void)snprintf(name, sizeof name, "%s_batch", test_db);
	uri_with_db(server_uri, name, buri, sizeof buri);
	(void)snprintf(name, sizeof name, "%s_moved", test_db);
	uri_with_db(server_uri, name, xuri, sizeof xuri);
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	(void)rm_tree(scratch);
	return databases(false);
}

/* ---- the database layer ------------------------------------------------- */

static void
test_open(void **state)
{
	db *d;

	(void)state;
	assert_true(db_is_uri(uri));
	d = open_ok(uri);
	assert_int_equal(db_kind(d), DB_POSTGRESQL);
	assert_string_equal(db_name(d), uri);
	db_close(d);
	db_close(NULL);
}

/*
 * A password in the URI, as user information or as a parameter, spelt
 * plainly or percent-encoded, never appears in the name or a message. The
 * server trusts the role, so a password given is not even asked for.
 */
static void
test_password_never_shown(void **state)
{
	char with[URICAP], bad[URICAP], want[URICAP], err[ERRCAP] = "";
	const char *q = strchr(uri, '?'), *after = strstr(uri, ":///");
	db *d = NULL;

	(void)state;
	assert_non_null(q);
	assert_non_null(after);
	/* postgresql://lkey:SECRET1@/DB?host=...&password=SECRET2 */
	(void)snprintf(with, sizeof with, "postgresql://lkey:Secret1%%40x@/%s"
	    "&password=Secret2&pass%%77ord=Secret3", after + 4);
	d = open_ok(with);
	assert_null(strstr(db_name(d), "Secret"));
	(void)snprintf(want, sizeof want, "postgresql://lkey@/%s", after + 4);
	assert_string_equal(db_name(d), want);
	db_close(d);

	/* A database that is not there: the message names the URI
	 * without the password. */
	(void)snprintf(bad, sizeof bad, "postgresql://lkey:Secret1@/no_such_db"
	    "%s&password=Secret2", q);
	assert_int_equal(db_open(bad, false, &d, err, sizeof err), -1);
	assert_null(d);
	assert_null(strstr(err, "Secret"));
	assert_null(strchr(err, '\n'));
	assert_non_null(strstr(err, "postgresql://lkey@/no_such_db?"));
	assert_non_null(strstr(err, "no_such_db\" does not exist"));
	/* A password libpq cannot decode, which its message quotes. */
	assert_int_equal(db_open("postgresql://lkey:Se%zzcret1@/db?host=/none",
	    false, &d, err, sizeof err), -1);
	assert_null(strstr(err, "cret"));
	assert_non_null(strstr(err, "\"***\""));
	assert_int_equal(db_open("postgresql://lkey:Secret1@[::1/db", false,
	    &d, err, sizeof err), -1);
	assert_null(strstr(err, "Secret"));
	/* A keyword libpq does not know, "PassWord": hidden too. */
	bprintf(bad, sizeof bad, "%s&PassWord=Secret3", uri);
	assert_int_equal(db_open(bad, false, &d, err, sizeof err), -1);
	assert_null(strstr(err, "Secret"));
	assert_non_null(strstr(err, "PassWord"));
}

static void
test_open_fails(void **state)
{
	char err[ERRCAP] = "";
	db *d = NULL;

	(void)state;
	/* No server on this socket. */
	assert_int_equal(db_open("postgresql:///lkey?host=/nonexistent&"
	    "port=1", false, &d, err, sizeof err), -1);
	assert_null(d);
	assert_non_null(strstr(err, "postgresql:///lkey?host=/nonexistent&"
	    "port=1: "));
	assert_null(strchr(err, '\n'));
	/* err may be NULL. */
	assert_int_equal(db_open("postgres:///lkey?host=/nonexistent&port=1",
	    false, &d, NULL, 0), -1);
}

static const char *const T_SCHEMA =
    "DROP TABLE IF EXISTS t;"
    "CREATE TABLE t (id BIGINT PRIMARY KEY, a TEXT, b TEXT);"
    "CREATE TABLE IF NOT EXISTS t (id BIGINT)";

/*
 * `?` is a parameter outside quoted text, quoted names and comments
 * only; parameters are text, NULL for SQL NULL; results are text, NULL
 * for SQL NULL, "" for an empty text.
 */
static void
test_placeholders_and_nulls(void **state)
{
	static const char ins[] =
	    "INSERT INTO t (id, \"a\", b) -- a comment? yes\n"
	    "VALUES (?, ? || '?''?' /* ? /* ?? */ ? */, ?)";
	static const char sel[] =
	    "SELECT id, a, b, '?' FROM t WHERE id >= ? ORDER BY id";
	const char *p1[] = { "1", "x", NULL };
	const char *p2[] = { "2", "", "" };
	const char *p3[] = { "3", NULL, "\xc3\xa9t\xc3\xa9 \xe2\x82\xac" };
	const char *from[] = { "0" };
	struct rows r;
	db *d;

	(void)state;
	d = open_ok(uri);
	exec_ok(d, T_SCHEMA);
	assert_int_equal(query(d, ins, p1, 3, NULL), 1);
	assert_int_equal(query(d, ins, p2, 3, NULL), 1);
	assert_int_equal(query(d, ins, p3, 3, NULL), 1);
	assert_int_equal(query(d, sel, from, 1, &r), 3);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.ncol, 4);
	assert_string_equal(r.cell[0][0], "1");
	assert_string_equal(r.cell[0][1], "x?'?");
	assert_true(r.null[0][2]);
	assert_string_equal(r.cell[0][3], "?");
	assert_string_equal(r.cell[1][1], "?'?");
	assert_false(r.null[1][2]);
	assert_string_equal(r.cell[1][2], "");
	assert_true(r.null[2][1]);
	assert_string_equal(r.cell[2][2], "\xc3\xa9t\xc3\xa9 \xe2\x82\xac");
	/* A statement without parameters. */
	assert_int_equal(query(d, "SELECT count(*) FROM t", NULL, 0, &r), 1);
	assert_string_equal(r.cell[0][0], "3");
	db_close(d);
}

/* Counts: rows delivered, rows changed, and a row function that stops. */
static void
test_counts(void **state)
{
	static const char ins[] = "INSERT INTO t (id, a) VALUES (?, ?)";
	static const char sel[] = "SELECT id FROM t ORDER BY id";
	char err[ERRCAP], id[16];
	const char *p[2];
	struct rows r;
	int i;
	db *d;

	(void)state;
	d = open_ok(uri);
	exec_ok(d, T_SCHEMA);
	for (i = 1; i <= 10; i++) {
		(void)snprintf(id, sizeof id, "%d", i);
		p[0] = id;
		p[1] = i % 2 ? "odd" : "even";
		assert_int_equal(query(d, ins, p, 2, NULL), 1);
	}
	/* Rows changed by a statement without results. */
	p[0] = "odd";
	assert_int_equal(query(d, "UPDATE t SET b = 'o' WHERE a = ?", p, 1,
	    NULL), 5);
	assert_int_equal(query(d, "UPDATE t SET b = 'o' WHERE a = 'none'",
	    NULL, 0, NULL), 0);
	/* Rows delivered; with no row function, counted. */
	assert_int_equal(query(d, sel, NULL, 0, &r), 10);
	assert_string_equal(r.cell[9][0], "10");
	assert_int_equal(query(d, sel, NULL, 0, NULL), 10);
	/* RETURNING delivers rows. */
	p[0] = "even";
	assert_int_equal(query(d, "DELETE FROM t WHERE a = ? RETURNING id",
	    p, 1, &r), 5);
	/* A row function that stops: -1, err untouched. */
	memset(&r, 0, sizeof r);
	r.stop_after = 2;
	(void)strcpy(err, "untouched");
	assert_int_equal(db_query(d, sel, NULL, 0, take_row, &r, err,
	    sizeof err), -1);
	assert_int_equal(r.n, 2);
	assert_string_equal(err, "untouched");
	db_close(d);
}

/* Every failure is one line naming the database; err may be NULL. */
static void
test_errors(void **state)
{
	static const char ins[] = "INSERT INTO t (id) VALUES (?)";
	const char *one[] = { "1" };
	const char *two[] = { "1", "2" };
	const char *word[] = { "one" };
	char err[ERRCAP];
	db *d;

	(void)state;
	d = open_ok(uri);
	exec_ok(d, T_SCHEMA);
	query_fails(d, "SELEC 1", NULL, 0, err, sizeof err);
	assert_non_null(strstr(err, "syntax error"));
	query_fails(d, "SELECT * FROM no_such_table", NULL, 0, err,
	    sizeof err);
	assert_non_null(strstr(err, "no_such_table"));
	/* Parameters not as many as the statement's. */
	query_fails(d, ins, two, 2, err, sizeof err);
	assert_non_null(strstr(err, "takes 1 parameters, 2 given"));
	query_fails(d, ins, NULL, 0, err, sizeof err);
	/* A value the column's type refuses. */
	query_fails(d, ins, word, 1, err, sizeof err);
	assert_non_null(strstr(err, "bigint"));
	/* A unique key. */
	assert_int_equal(query(d, ins, one, 1, NULL), 1);
	query_fails(d, ins, one, 1, err, sizeof err);
	assert_non_null(strstr(err, "duplicate key"));
	assert_int_equal(db_query(d, ins, one, 1, NULL, NULL, NULL, 0), -1);
	err[0] = '\0';
	assert_int_equal(db_exec(d, "CREATE TABLE t (x INT)", err, sizeof err),
	    -1);
	assert_non_null(strstr(err, "already exists"));
	assert_null(strchr(err, '\n'));
	/* The connection is still usable. */
	assert_int_equal(query(d, "SELECT id FROM t", NULL, 0, NULL), 1);
	db_close(d);
}

/* What a second connection sees of the first's work. */
static long
count_t(void)
{
	struct rows r;
	db *d = open_ok(uri);

	(void)query(d, "SELECT count(*) FROM t", NULL, 0, &r);
	db_close(d);
	return strtol(r.cell[0][0], NULL, 10);
}

static void
test_transactions(void **state)
{
	static const char ins[] = "INSERT INTO t (id) VALUES (?)";
	const char *p[] = { "1" };
	char err[ERRCAP] = "";
	db *d;

	(void)state;
	d = open_ok(uri);
	exec_ok(d, T_SCHEMA);
	/* Rolled back: gone. Without a transaction: nothing to do. */
	assert_int_equal(db_begin(d, err, sizeof err), 0);
	assert_int_equal(query(d, ins, p, 1, NULL), 1);
	assert_int_equal(count_t(), 0);
	db_rollback(d);
	db_rollback(d);
	assert_int_equal(count_t(), 0);
	/* Committed: another connection sees it. */
	assert_int_equal(db_begin(d, err, sizeof err), 0);
	assert_int_equal(db_begin(d, err, sizeof err), -1);
	assert_non_null(strstr(err, "already open"));
	assert_int_equal(query(d, ins, p, 1, NULL), 1);
	assert_int_equal(db_commit(d, err, sizeof err), 0);
	assert_int_equal(count_t(), 1);
	/* Nothing to commit. */
	assert_int_equal(db_commit(d, err, sizeof err), -1);
	assert_non_null(strstr(err, "no transaction"));
	/*
	 * A statement that failed spoils its transaction: COMMIT rolls it
	 * back, and that is a failure, not a success.
	 */
	p[0] = "2";
	assert_int_equal(db_begin(d, err, sizeof err), 0);
	assert_int_equal(query(d, ins, p, 1, NULL), 1);
	p[0] = "1";
	assert_int_equal(db_query(d, ins, p, 1, NULL, NULL, NULL, 0), -1);
	err[0] = '\0';
	assert_int_equal(db_commit(d, err, sizeof err), -1);
	assert_non_null(strstr(err, "rolled back"));
	assert_int_equal(count_t(), 1);
	/* And the handle goes on. */
	assert_int_equal(db_begin(d, err, sizeof err), 0);
	p[0] = "3";
	assert_int_equal(query(d, ins, p, 1, NULL), 1);
	assert_int_equal(db_commit(d, err, sizeof err), 0);
	assert_int_equal(count_t(), 2);
	/*
	 * One write transaction at a time: another waits for the writer
	 * lock (here 0.1 s rather than 30), then fails, saying why.
	 */
	{
		db *other = open_ok(uri);

		exec_ok(other, "SET lock_timeout = '100ms'");
		assert_int_equal(db_begin(d, err, sizeof err), 0);
		err[0] = '\0';
		assert_int_equal(db_begin(other, err, sizeof err), -1);
		assert_non_null(strstr(err, "lock timeout"));
		db_rollback(d);
		assert_int_equal(db_begin(other, err, sizeof err), 0);
		assert_int_equal(db_commit(other, err, sizeof err), 0);
		db_close(other);
	}
	/* Closing with a transaction open rolls it back. */
	assert_int_equal(db_begin(d, err, sizeof err), 0);
	p[0] = "4";
	assert_int_equal(query(d, ins, p, 1, NULL), 1);
	db_close(d);
	assert_int_equal(count_t(), 2);
}

/*
 * Statements are kept prepared by the address of their text; text that
 * changes at one address (a buffer reused) is still run as it now reads.
 */
static void
test_statement_cache(void **state)
{
	static const char ins[] = "INSERT INTO t (id, a) VALUES (?, ?)";
	static char many[100][64];
	char buf[128], id[16];
	const char *p[2];
	struct rows r;
	int i;
	db *d;

	(void)state;
	d = open_ok(uri);
	exec_ok(d, T_SCHEMA);
	for (i = 0; i < 200; i++) {
		(void)snprintf(id, sizeof id, "%d", i);
		p[0] = id;
		p[1] = "v";
		assert_int_equal(query(d, ins, p, 2, NULL), 1);
	}
	(void)snprintf(buf, sizeof buf, "SELECT count(*) FROM t WHERE id < ?");
	p[0] = "10";
	assert_int_equal(query(d, buf, p, 1, &r), 1);
	assert_string_equal(r.cell[0][0], "10");
	(void)snprintf(buf, sizeof buf, "SELECT count(*), ? FROM t");
	p[0] = "x";
	assert_int_equal(query(d, buf, p, 1, &r), 1);
	assert_string_equal(r.cell[0][0], "200");
	assert_string_equal(r.cell[0][1], "x");
	/* More statements than are kept prepared, each run twice. */
	for (i = 0; i < 200; i++) {
		int k = i % 100;

		(void)snprintf(many[k], sizeof many[k], "SELECT %d + ?::bigint",
		    k);
		p[0] = "1";
		assert_int_equal(query(d, many[k], p, 1, &r), 1);
		assert_int_equal(strtol(r.cell[0][0], NULL, 10), k + 1);
	}
	db_close(d);
}

/* What a row function that runs statements of its own saw. */
struct nested {
	db *d;
	long rows;
	long next;		/* the value the next row must hold */
	int failures;
};

static int
nested_row(void *arg, size_t ncol, const char *const *val)
{
	struct nested *nx = arg;
	char err[ERRCAP] = "";
	const char *p[1];
	struct rows r;

	if (ncol != 2 || val[0] == NULL || strtol(val[0], NULL, 10) !=
	    nx->next || val[1] == NULL || strlen(val[1]) != 100U)
		nx->failures++;
	nx->next++;
	nx->rows++;
	if (nx->rows % 100 == 1) {
		/* A statement of its own, and a transaction. */
		p[0] = val[0];
		memset(&r, 0, sizeof r);
		if (db_query(nx->d, "SELECT ?::bigint * 2", p, 1, take_row, &r,
		    err, sizeof err) != 1 ||
		    strtol(r.cell[0][0], NULL, 10) != 2 * (nx->next - 1))
			nx->failures++;
		if (db_begin(nx->d, err, sizeof err) != 0 ||
		    db_query(nx->d, "INSERT INTO t (id) VALUES (?)", p, 1, NULL,
		    NULL, err, sizeof err) != 1 ||
		    db_commit(nx->d, err, sizeof err) != 0)
			nx->failures++;
	}
	return 0;
}

/* Counts rows and checks their order, running nothing of its own. */
static int
count_rows(void *arg, size_t ncol, const char *const *val)
{
	struct nested *nx = arg;

	if (ncol != 2 || val[0] == NULL || strtol(val[0], NULL, 10) !=
	    nx->next)
		nx->failures++;
	nx->next++;
	nx->rows++;
	return 0;
}

/*
 * Rows are delivered as they arrive, and a row function may run
 * statements and transactions of its own meanwhile: every row still comes,
 * in order. A large result is not held in memory whole.
 */
static void
test_rows_streamed(void **state)
{
	static const char sel[] =
	    "SELECT g, repeat('x', 100) FROM generate_series(1, ?::int) g";
	struct nested nx;
	struct rusage before, after;
	const char *p[1], *preload;
	db *d;

	(void)state;
	d = open_ok(uri);
	exec_ok(d, T_SCHEMA);
	memset(&nx, 0, sizeof nx);
	nx.d = d;
	nx.next = 1;
	p[0] = "1000";
	assert_int_equal(db_query(d, sel, p, 1, nested_row, &nx, NULL, 0),
	    1000);
	assert_int_equal(nx.rows, 1000);
	assert_int_equal(nx.failures, 0);
	assert_int_equal(count_t(), 10);

	/* 300 000 rows of some 110 bytes: 33 MB of text alone. */
	memset(&nx, 0, sizeof nx);
	nx.next = 1;
	p[0] = "300000";
	assert_int_equal(getrusage(RUSAGE_SELF, &before), 0);
	assert_int_equal(db_query(d, sel, p, 1, count_rows, &nx, NULL, 0),
	    300000);
	assert_int_equal(getrusage(RUSAGE_SELF, &after), 0);
	assert_int_equal(nx.rows, 300000);
	assert_int_equal(nx.failures, 0);
	/*
	 * AddressSanitizer and valgrind (which preloads its own malloc) keep
	 * freed memory aside: no measure there.
	 */
	preload = getenv("LD_PRELOAD");
	if (!ASAN_BUILD && (preload == NULL || strstr(preload, "vgpreload") ==
	    NULL) && after.ru_maxrss - before.ru_maxrss > 16 * 1024)
		fail_msg("%ld KiB more memory for the rows",
		    after.ru_maxrss - before.ru_maxrss);
	db_close(d);
}

/* Ends the server's process of d's connection, as a restart would. */
static void
cut_connection(db *d)
{
	struct rows r;
	const char *p[1];
	char pid[CELL_CAP];
	const struct timespec pause = { 0, 10000000 };	/* 10 ms */
	db *admin = open_ok(uri);
	int tries;

	(void)query(d, "SELECT pg_backend_pid()", NULL, 0, &r);
	memcpy(pid, r.cell[0][0], sizeof pid);
	p[0] = pid;
	(void)query(admin, "SELECT pg_terminate_backend(?::int)", p, 1, &r);
	assert_string_equal(r.cell[0][0], "t");
	for (tries = 0; tries < 500; tries++) {
		if (query(admin, "SELECT 1 FROM pg_stat_activity WHERE pid = "
		    "?::int", p, 1, NULL) == 0)
			break;
		(void)nanosleep(&pause, NULL);
	}
	db_close(admin);
}

/*
 * A connection the server closed is opened again between transactions:
 * a transaction begun after it runs as ever, and so does a statement
 * after the one that found it closed. Within a transaction its
 * statements and its commit fail, and nothing of it is recorded.
 */
static void
test_connection_lost(void **state)
{
	static const char ins[] = "INSERT INTO t (id) VALUES (?)";
	const char *p[] = { "1" };
	char err[ERRCAP] = "";
	db *d;

	(void)state;
	d = open_ok(uri);
	exec_ok(d, T_SCHEMA);
	(void)query(d, ins, p, 1, NULL);	/* prepared */

	/* Between transactions: the next one does not notice. */
	cut_connection(d);
	if (db_begin(d, err, sizeof err) != 0)
		fail_msg("db_begin after the connection was cut: %s", err);
	p[0] = "2";
	assert_int_equal(query(d, ins, p, 1, NULL), 1);
	assert_int_equal(db_commit(d, err, sizeof err), 0);
	assert_int_equal(count_t(), 2);

	/* A statement on its own: it fails, saying so; the next runs. */
	cut_connection(d);
	p[0] = "3";
	err[0] = '\0';
	assert_int_equal(db_query(d, ins, p, 1, NULL, NULL, err, sizeof err),
	    -1);
	assert_non_null(strstr(err, db_name(d)));
	assert_null(strchr(err, '\n'));
	assert_int_equal(query(d, ins, p, 1, NULL), 1);
	assert_int_equal(count_t(), 3);

	/* Within a transaction: it and its commit fail, nothing kept. */
	assert_int_equal(db_begin(d, err, sizeof err), 0);
	p[0] = "4";
	assert_int_equal(query(d, ins, p, 1, NULL), 1);
	cut_connection(d);
	p[0] = "5";
	assert_int_equal(db_query(d, ins, p, 1, NULL, NULL, err, sizeof err),
	    -1);
	assert_int_equal(db_commit(d, err, sizeof err), -1);
	db_rollback(d);
	assert_int_equal(count_t(), 3);
	assert_int_equal(db_begin(d, err, sizeof err), 0);
	p[0] = "4";
	assert_int_equal(query(d, ins, p, 1, NULL), 1);
	assert_int_equal(db_commit(d, err, sizeof err), 0);
	assert_int_equal(count_t(), 4);

	/*
	 * Lost during the COMMIT itself (open when it was sent): whether it
	 * was recorded is unknown, and the message says so.
	 */
	assert_int_equal(db_begin(d, err, sizeof err), 0);
	p[0] = "5";
	assert_int_equal(query(d, ins, p, 1, NULL), 1);
	cut_connection(d);
	err[0] = '\0';
	assert_int_equal(db_commit(d, err, sizeof err), -1);
	if (strstr(err, DB_COMMIT_LOST) == NULL)
		fail_msg("commit on a lost connection: %s", err);
	assert_int_equal(strncmp(err, db_name(d), strlen(db_name(d))), 0);
	assert_null(strchr(err, '\n'));
	assert_true(fulfil_commit_lost(err));
	assert_int_equal(count_t(), 4);
	/* A connection found lost before the COMMIT: known not recorded. */
	assert_int_equal(db_begin(d, err, sizeof err), 0);
	assert_int_equal(query(d, ins, p, 1, NULL), 1);
	cut_connection(d);
	p[0] = "6";
	assert_int_equal(db_query(d, ins, p, 1, NULL, NULL, err, sizeof err),
	    -1);
	assert_int_equal(db_commit(d, err, sizeof err), -1);
	assert_false(fulfil_commit_lost(err));
	db_rollback(d);
	assert_int_equal(count_t(), 4);
	db_close(d);
}

/* The server's notices ("already exists, skipping") are not printed. */
static void
test_quiet(void **state)
{
	char path[PATHCAP], buf[256];
	int fd, saved;
	ssize_t got;
	db *d;

	(void)state;
	d = open_ok(uri);
	exec_ok(d, T_SCHEMA);
	bprintf(path, sizeof path, "%s/stderr.XXXXXX", scratch);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	(void)unlink(path);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(fd, STDERR_FILENO) >= 0);
	exec_ok(d, "CREATE TABLE IF NOT EXISTS t (id BIGINT)");
	exec_ok(d, "DROP TABLE IF EXISTS no_such_table");
	fflush(stderr);
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	(void)close(saved);
	got = pread(fd, buf, sizeof buf - 1U, 0);
	(void)close(fd);
	assert_int_equal(got, 0);
	db_close(d);
}

/*
 * The session: durable commits, UTF-8, a bounded wait for row locks. A
 * role configured with synchronous_commit off gets it back on. (Roles are
 * the whole server's: this run's has a name of its own.)
 */
static void
test_session(void **state)
{
	char async[URICAP], role[96], sql[400];
	struct rows r;
	db *d;

	(void)state;
	d = open_ok(uri);
	(void)query(d, "SELECT current_setting('synchronous_commit'), "
	    "current_setting('client_encoding'), "
	    "current_setting('lock_timeout')", NULL, 0, &r);
	assert_string_equal(r.cell[0][0], "on");
	assert_string_equal(r.cell[0][1], "UTF8");
	assert_string_equal(r.cell[0][2], "30s");
	(void)snprintf(role, sizeof role, "%s_async", test_db);
	(void)snprintf(sql, sizeof sql, "DROP ROLE IF EXISTS %s; CREATE ROLE "
	    "%s LOGIN; ALTER ROLE %s SET synchronous_commit = off", role,
	    role, role);
	exec_ok(d, sql);
	db_close(d);

	/* The last user= of a URI is the one libpq takes. */
	bprintf(async, sizeof async, "%s%suser=%s", uri,
	    strchr(uri, '?') != NULL ? "&" : "?", role);
	d = open_ok(async);
	(void)query(d, "SELECT current_user, "
	    "current_setting('synchronous_commit')", NULL, 0, &r);
	assert_string_equal(r.cell[0][0], role);
	assert_string_equal(r.cell[0][1], "on");
	db_close(d);

	d = open_ok(uri);
	(void)snprintf(sql, sizeof sql, "DROP ROLE %s", role);
	exec_ok(d, sql);
	db_close(d);
}

/* ---- the ledger on PostgreSQL ------------------------------------------- */

/* 2026-11-23T11:22:53Z */
#define T0 INT64_C(1795432973)
#define KIDS 2
#define KID_KEYS 200U
#define KEY_CAP 64U

/* Terms like the format's example, serial and key id as given. */
static void
terms(lkey_license *t, uint32_t key_id, uint32_t serial)
{
	static const char who[] = "Example GmbH \xe2\x80\x94 M\xc3\xbcnchen";

	lkey_terms_init(t, day("2027-01-01"));
	t->key_id = key_id;
	t->serial = serial;
	t->product = 1;
	t->edition = 2;
	t->seats = 25;
	t->expires = day("2027-12-31");
	t->maintenance = day("2027-12-31");
	t->features = 13;
	t->module_seats[2] = 5;
	memcpy(t->licensee, who, sizeof who);
	t->licensee_len = sizeof who - 1U;
}

static void
make_rec(ledger_rec *r, uint32_t key_id, uint32_t serial, const char *order,
    char *key, size_t keycap)
{
	memset(r, 0, sizeof *r);
	r->time = T0;
	r->order = order;
	(void)snprintf(key, keycap, "AWQBfake%08" PRIx32 "%" PRIu32, key_id,
	    serial);
	r->key = key;
	terms(&r->lic, key_id, serial);
}

static ledger *
ledger_ok(const char *where)
{
	char err[ERRCAP] = "";
	ledger *l = NULL;

	if (ledger_open(where, false, &l, err, sizeof err) != 0)
		fail_msg("ledger_open %s: %s", where, err);
	assert_non_null(l);
	return l;
}

/* What ledger_find delivered: the last record's serial, order and key. */
struct found {
	long n;
	uint32_t serial, key_id;
	char order[LEDGER_ORDER_MAX + 1U];
	char key[LKEY_B64_TEXT_MAX];
	lkey_license lic;
};

static int
take_rec(void *arg, const ledger_rec *r)
{
	struct found *f = arg;

	f->n++;
	f->serial = r->lic.serial;
	f->key_id = r->lic.key_id;
	(void)snprintf(f->order, sizeof f->order, "%s",
	    r->order != NULL ? r->order : "(none)");
	(void)snprintf(f->key, sizeof f->key, "%s", r->key);
	f->lic = r->lic;
	return 0;
}

static long
find_serial(ledger *l, uint32_t serial, struct found *f)
{
	char err[ERRCAP] = "";
	ledger_query q;
	long n;

	memset(&q, 0, sizeof q);
	memset(f, 0, sizeof *f);
	q.has_serial = true;
	q.serial = serial;
	n = ledger_find(l, &q, take_rec, f, err, sizeof err);
	if (n < 0)
		fail_msg("ledger_find: %s", err);
	return n;
}

/* The tables of the ledger's database. */
static long
count_tables(void)
{
	struct rows r;
	db *d = open_ok(luri);

	(void)query(d, "SELECT count(*) FROM information_schema.tables "
	    "WHERE table_schema = current_schema()", NULL, 0, &r);
	db_close(d);
	return strtol(r.cell[0][0], NULL, 10);
}

/*
 * ledger_open creates the schema in an empty database, opens it again as
 * it is, and what was recorded is found with every term as recorded.
 */
static void
test_ledger_schema(void **state)
{
	char err[ERRCAP] = "", key[KEY_CAP];
	ledger_rec r;
	struct found f;
	uint32_t serial;
	long tables;
	ledger *l;

	(void)state;
	assert_int_equal(count_tables(), 0);
	l = ledger_ok(luri);
	assert_string_equal(ledger_name(l), luri);
	tables = count_tables();
	assert_true(tables > 0);
	assert_int_equal(ledger_begin(l, err, sizeof err), 0);
	assert_int_equal(ledger_next_serial(l, &serial, err, sizeof err), 0);
	assert_true(serial > 0);
	make_rec(&r, 0x277e0164U, serial, "A-1000", key, sizeof key);
	if (ledger_insert(l, &r, 1, err, sizeof err) != 0)
		fail_msg("ledger_insert: %s", err);
	assert_int_equal(ledger_commit(l, err, sizeof err), 0);
	ledger_close(l);

	l = ledger_ok(luri);
	assert_int_equal(count_tables(), tables);
	assert_int_equal(find_serial(l, serial, &f), 1);
	assert_string_equal(f.order, "A-1000");
	assert_string_equal(f.key, key);
	assert_int_equal(f.key_id, 0x277e0164U);
	assert_int_equal(f.lic.product, 1);
	assert_int_equal(f.lic.edition, 2);
	assert_int_equal(f.lic.seats, 25);
	assert_int_equal(f.lic.starts, day("2027-01-01"));
	assert_int_equal(f.lic.expires, day("2027-12-31"));
	assert_int_equal(f.lic.features, 13);
	assert_int_equal(f.lic.module_seats[2], 5);
	assert_string_equal(f.lic.licensee, r.lic.licensee);
	assert_int_equal(f.lic.licensee_len, r.lic.licensee_len);
	ledger_close(l);
}

/*
 * A licence already recorded is refused, and with it every key of the
 * same call: nothing of it is recorded. The transaction is rolled back.
 */
static void
test_ledger_refuses(void **state)
{
	char err[ERRCAP] = "", k1[KEY_CAP], k2[KEY_CAP];
	ledger_rec r[2];
	struct found f;
	uint32_t serial;
	bool taken = false;
	ledger *l;

	(void)state;
	l = ledger_ok(luri);
	assert_int_equal(ledger_begin(l, err, sizeof err), 0);
	assert_int_equal(ledger_next_serial(l, &serial, err, sizeof err), 0);
	make_rec(&r[0], 0x277e0164U, serial, "A-1001", k1, sizeof k1);
	assert_int_equal(ledger_insert(l, r, 1, err, sizeof err), 0);
	assert_int_equal(ledger_commit(l, err, sizeof err), 0);
	assert_int_equal(ledger_serial_taken(l, serial, &taken, err,
	    sizeof err), 0);
	assert_true(taken);

	assert_int_equal(ledger_begin(l, err, sizeof err), 0);
	make_rec(&r[0], 0x277e0164U, serial + 1000U, "A-1002", k1, sizeof k1);
	make_rec(&r[1], 0x277e0164U, serial, "A-1003", k2, sizeof k2);
	err[0] = '\0';
	assert_int_equal(ledger_insert(l, r, 2, err, sizeof err), -1);
	assert_non_null(strstr(err, ledger_name(l)));
	assert_null(strchr(err, '\n'));
	ledger_rollback(l);
	assert_int_equal(find_serial(l, serial + 1000U, &f), 0);
	assert_int_equal(find_serial(l, serial, &f), 1);
	assert_string_equal(f.order, "A-1001");
	ledger_close(l);
}

/*
 * A child: KID_KEYS keys in transactions of one to four keys, each serial
 * the ledger's choice, written to `out` (one per line) once committed.
 * Exits 0, or 1 saying why.
 */
static void
kid(int n, const char *out)
{
	char err[ERRCAP] = "", key[4][KEY_CAP], order[4][32];
	ledger_rec r[4];
	ledger *l = NULL;
	unsigned done = 0, k, m;
	FILE *f = fopen(out, "w");

	if (f == NULL || ledger_open(luri, false, &l, err, sizeof err) != 0) {
		fprintf(stderr, "kid %d: %s\n", n, err);
		_exit(1);
	}
	while (done < KID_KEYS) {
		m = 1U + done % 4U;
		if (m > KID_KEYS - done)
			m = KID_KEYS - done;
		if (ledger_begin(l, err, sizeof err) != 0)
			goto fail;
		for (k = 0; k < m; k++) {
			uint32_t serial;

			if (ledger_next_serial(l, &serial, err, sizeof err) != 0)
				goto fail;
			(void)snprintf(order[k], sizeof order[k], "K%d-%u", n,
			    done + k);
			make_rec(&r[k], 0x277e0164U, serial, order[k], key[k],
			    KEY_CAP);
		}
		if (ledger_insert(l, r, m, err, sizeof err) != 0 ||
		    ledger_commit(l, err, sizeof err) != 0)
			goto fail;
		for (k = 0; k < m; k++)
			fprintf(f, "%" PRIu32 " %s\n", r[k].lic.serial,
			    order[k]);
		done += m;
	}
	ledger_close(l);
	_exit(fclose(f) == 0 ? 0 : 1);
fail:
	fprintf(stderr, "kid %d: %s\n", n, err);
	_exit(1);
}

/*
 * Two processes, each with its own connection, allocate and record keys
 * at the same time: no serial is handed out twice, and every key either
 * reported as committed is in the ledger, under its order.
 */
static void
test_ledger_two_writers(void **state)
{
	char out[KIDS][PATHCAP];
	static uint32_t seen[KIDS * KID_KEYS];
	size_t nseen = 0, i, j;
	pid_t pid[KIDS];
	struct found f;
	ledger *l;
	int n, status;

	(void)state;
	fflush(NULL);
	for (n = 0; n < KIDS; n++) {
		bprintf(out[n], sizeof out[n], "%s/kid%d", scratch, n);
		pid[n] = fork();
		assert_true(pid[n] >= 0);
		if (pid[n] == 0)
			kid(n, out[n]);
	}
	for (n = 0; n < KIDS; n++) {
		assert_int_equal(waitpid(pid[n], &status, 0), pid[n]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	l = ledger_ok(luri);
	for (n = 0; n < KIDS; n++) {
		char line[128], order[32];
		unsigned long serial;
		FILE *in = fopen(out[n], "r");

		assert_non_null(in);
		while (fgets(line, sizeof line, in) != NULL) {
			assert_int_equal(sscanf(line, "%lu %31s", &serial,
			    order), 2);
			assert_true(nseen < KIDS * KID_KEYS);
			seen[nseen++] = (uint32_t)serial;
			if (find_serial(l, (uint32_t)serial, &f) != 1)
				fail_msg("serial %lu: %ld records", serial,
				    f.n);
			assert_string_equal(f.order, order);
		}
		assert_int_equal(fclose(in), 0);
	}
	ledger_close(l);
	assert_int_equal(nseen, KIDS * KID_KEYS);
	for (i = 0; i < nseen; i++)
		for (j = i + 1U; j < nseen; j++)
			if (seen[i] == seen[j])
				fail_msg("serial %" PRIu32 " handed out twice",
				    seen[i]);
}

/* Records one key of key id QKEY with these terms; returns its serial. */
#define QKEY 0x51U

static uint32_t
record(ledger *l, const char *order, const char *licensee, const char *ends)
{
	char err[ERRCAP] = "", key[KEY_CAP];
	ledger_rec r;
	uint32_t serial;

	assert_int_equal(ledger_begin(l, err, sizeof err), 0);
	assert_int_equal(ledger_next_serial(l, &serial, err, sizeof err), 0);
	make_rec(&r, QKEY, serial, order, key, sizeof key);
	r.lic.licensee_len = strlen(licensee);
	memcpy(r.lic.licensee, licensee, r.lic.licensee_len + 1U);
	r.lic.expires = ends != NULL ? day(ends) : LKEY_NEVER;
	r.lic.maintenance = day("2027-03-31");
	if (ledger_insert(l, &r, 1, err, sizeof err) != 0)
		fail_msg("ledger_insert: %s", err);
	assert_int_equal(ledger_commit(l, err, sizeof err), 0);
	return serial;
}

/* The keys of QKEY that q (with key id QKEY) finds; f: the last. */
static long
find_q(ledger *l, ledger_query *q, struct found *f)
{
	char err[ERRCAP] = "";
	long n;

	q->has_key_id = true;
	q->key_id = QKEY;
	memset(f, 0, sizeof *f);
	n = ledger_find(l, q, take_rec, f, err, sizeof err);
	if (n < 0)
		fail_msg("ledger_find: %s", err);
	return n;
}

static int
take_revocation(void *arg, const ledger_revocation *r)
{
	ledger_revocation *out = arg;
	size_t i;

	for (i = 0; out[i].key_id != 0; i++)
		;
	assert_true(i < 3U);
	out[i] = *r;
	return 0;
}

/*
 * The lookups and revocation lists, whose statements PostgreSQL runs in
 * its own words: a licensee's substring (ILIKE on a trigram index, with
 * %, _ and \ taken literally and ASCII case ignored), a period's end, the
 * revoked and the current ones; lists whose sequence must grow.
 */
static void
test_ledger_queries(void **state)
{
	static const lkey_revoked list1[] = { { QKEY, 0 } };
	char err[ERRCAP] = "", text[LKEY_REVOCATIONS_TEXT_CAP];
	lkey_revoked list2[2];
	ledger_revocation rv[4];
	uint32_t s1, s2, s3, seq = 0, kid = 0;
	ledger_query q;
	struct found f;
	bool found = false;
	lkey_revoked one[1];
	ledger *l;

	(void)state;
	l = ledger_ok(luri);
	s1 = record(l, "Q-1", "Alpha 100% Widgets_Co", "2027-06-30");
	s2 = record(l, "Q-2", "beta\\corp", "2028-01-31");
	s3 = record(l, "Q-3", "", NULL);

	memset(&q, 0, sizeof q);
	assert_int_equal(find_q(l, &q, &f), 3);
	q.licensee = "100%";
	assert_int_equal(find_q(l, &q, &f), 1);
	assert_int_equal(f.serial, s1);
	q.licensee = "aLPHA";
	assert_int_equal(find_q(l, &q, &f), 1);
	q.licensee = "s_co";
	assert_int_equal(find_q(l, &q, &f), 1);
	q.licensee = "s%co";
	assert_int_equal(find_q(l, &q, &f), 0);
	q.licensee = "a\\c";
	assert_int_equal(find_q(l, &q, &f), 1);
	assert_int_equal(f.serial, s2);
	q.licensee = "zzz";
	assert_int_equal(find_q(l, &q, &f), 0);

	memset(&q, 0, sizeof q);
	q.has_ends = true;
	q.ends_after = day("2027-06-01");
	q.ends_before = day("2027-06-30");
	assert_int_equal(find_q(l, &q, &f), 1);
	assert_int_equal(f.serial, s1);
	q.ends_after = day("2027-03-31");
	q.ends_before = day("2027-03-31");
	assert_int_equal(find_q(l, &q, &f), 3);	/* maintenance */

	/* List 1 revokes Q-1. */
	one[0] = list1[0];
	one[0].serial = s1;
	assert_int_equal(ledger_last_list(l, &seq, err, sizeof err), 0);
	assert_int_equal(seq, 0);
	assert_int_equal(ledger_begin(l, err, sizeof err), 0);
	if (ledger_record_list(l, 1, QKEY, day("2027-02-01"), one, 1,
	    "# list 1\nAAAA\n", T0, err, sizeof err) != 0)
		fail_msg("ledger_record_list: %s", err);
	assert_int_equal(ledger_commit(l, err, sizeof err), 0);
	assert_int_equal(ledger_last_list(l, &seq, err, sizeof err), 0);
	assert_int_equal(seq, 1);
	memset(&q, 0, sizeof q);
	q.revoked = true;
	assert_int_equal(find_q(l, &q, &f), 1);
	assert_int_equal(f.serial, s1);
	memset(&q, 0, sizeof q);
	q.current = true;
	assert_int_equal(find_q(l, &q, &f), 2);

	/* A list at or below the last is refused; list 2 adds one never
	 * issued, and Q-1 stays revoked by list 1. */
	assert_int_equal(ledger_begin(l, err, sizeof err), 0);
	err[0] = '\0';
	assert_int_equal(ledger_record_list(l, 1, QKEY, day("2027-02-02"),
	    one, 1, "# again\nAAAA\n", T0, err, sizeof err), -1);
	assert_non_null(strstr(err, ledger_name(l)));
	ledger_rollback(l);
	list2[0] = one[0];
	list2[1].key_id = QKEY;
	list2[1].serial = 4000000000U;
	assert_int_equal(ledger_begin(l, err, sizeof err), 0);
	if (ledger_record_list(l, 2, QKEY, day("2027-02-03"), list2, 2,
	    "# list 2\nBBBB\n", T0 + 60, err, sizeof err) != 0)
		fail_msg("ledger_record_list: %s", err);
	assert_int_equal(ledger_commit(l, err, sizeof err), 0);
	memset(rv, 0, sizeof rv);
	assert_int_equal(ledger_revocations(l, take_revocation, rv, err,
	    sizeof err), 2);
	assert_int_equal(rv[0].serial, s1);
	assert_int_equal(rv[0].sequence, 1);
	assert_true(rv[0].issued);
	assert_int_equal(rv[1].serial, 4000000000U);
	assert_int_equal(rv[1].sequence, 2);
	assert_false(rv[1].issued);
	assert_int_equal(ledger_list_text(l, 2, &found, &kid, text,
	    sizeof text, err, sizeof err), 0);
	assert_true(found);
	assert_int_equal(kid, QKEY);
	assert_string_equal(text, "# list 2\nBBBB\n");
	assert_int_equal(ledger_list_text(l, 3, &found, &kid, text,
	    sizeof text, err, sizeof err), 0);
	assert_false(found);
	(void)s3;
	ledger_close(l);
}

/*
 * Several processes open an empty database at once, as fulfilment
 * machines started together do: one creates the schema, the others wait
 * for it and open the ledger it made.
 */
static void
test_ledger_first_open(void **state)
{
	pid_t pid[4];
	size_t n;
	int status;
	ledger *l;

	(void)state;
	fflush(NULL);
	for (n = 0; n < 4; n++) {
		pid[n] = fork();
		assert_true(pid[n] >= 0);
		if (pid[n] == 0) {
			char err[ERRCAP] = "";

			l = NULL;
			if (ledger_open(furi, false, &l, err, sizeof err) != 0) {
				fprintf(stderr, "process %zu: %s\n", n, err);
				_exit(1);
			}
			ledger_close(l);
			_exit(0);
		}
	}
	for (n = 0; n < 4; n++) {
		assert_int_equal(waitpid(pid[n], &status, 0), pid[n]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	l = ledger_ok(furi);
	ledger_close(l);
}

/* The line lkey 2 wrote for terms t, its key text and seats. */
static void
old_line(const lkey_license *t, const char *key, const char *seats,
    char *out, size_t cap)
{
	int len = snprintf(out, cap, "{\"time\":\"2026-11-23T11:22:53Z\","
	    "\"key_id\":\"%08" PRIx32 "\",\"serial\":%" PRIu32 ","
	    "\"order\":\"O-%" PRIu32 "\",\"product\":7,\"edition\":2,"
	    "\"seats\":%s,\"starts\":\"2027-01-01\","
	    "\"expires\":\"2027-12-31\",\"maintenance\":\"2027-06-30\","
	    "\"features\":14,\"licensee\":\"Acme GmbH\","
	    "\"issued\":\"2026-12-01\",\"grace_days\":0,"
	    "\"notice_days\":30,\"trial\":false,"
	    "\"module_seats\":\"2=10\",\"host\":null,\"key\":\"%s\"}\n",
	    t->key_id, t->serial, t->serial, seats, key);

	assert_true(len > 0 && (size_t)len < cap);
}

/* Imports the text as a JSON-lines ledger; returns ledger_import's. */
static int
import_text(ledger *l, const char *text, unsigned long *added,
    unsigned long *same, char *err, size_t errcap)
{
	FILE *f = tmpfile();
	lkey_vendor_key vk;
	int rc;

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	rewind(f);
	vendor_key(1, &vk);
	rc = ledger_import(l, f, "old.jsonl", &vk.pub, 1, added, same, err,
	    errcap);
	lkey_vendor_key_wipe(&vk);
	assert_int_equal(fclose(f), 0);
	return rc;
}

/*
 * A JSON-lines ledger imported into PostgreSQL: every key recorded, the
 * same import again changes nothing, a clashing line refuses the whole
 * import, and automatic serials go on above the imported ones.
 */
static void
test_ledger_import(void **state)
{
	static char text[3 * 2048];
	char key[2][LKEY_B64_TEXT_MAX], line[2048], err[ERRCAP] = "";
	lkey_license t[2];
	lkey_vendor_key vk;
	unsigned long added = 0, same = 0;
	struct found f;
	uint32_t serial;
	size_t i;
	ledger *l;

	(void)state;
	vendor_key(1, &vk);
	text[0] = '\0';
	for (i = 0; i < 2; i++) {
		lkey_terms_init(&t[i], day("2026-12-01"));
		t[i].product = 7;
		t[i].edition = 2;
		t[i].seats = 25;
		t[i].starts = day("2027-01-01");
		t[i].expires = day("2027-12-31");
		t[i].maintenance = day("2027-06-30");
		t[i].serial = 7001U + (uint32_t)i;
		t[i].features = 14;
		t[i].module_seats[2] = 10;
		t[i].notice_days = 30;
		memcpy(t[i].licensee, "Acme GmbH", 10);
		t[i].licensee_len = 9;
		assert_int_equal(lkey_issue(&vk, &t[i], key[i],
		    sizeof key[i]), LKEY_ISSUE_OK);
		t[i].key_id = vk.pub.id;
		old_line(&t[i], key[i], "25", line, sizeof line);
		(void)strcat(text, line);
	}
	lkey_vendor_key_wipe(&vk);

	l = ledger_ok(furi);
	if (import_text(l, text, &added, &same, err, sizeof err) != 0)
		fail_msg("ledger_import: %s", err);
	assert_int_equal(added, 2);
	assert_int_equal(same, 0);
	assert_int_equal(find_serial(l, 7002U, &f), 1);
	assert_string_equal(f.key, key[1]);
	assert_string_equal(f.order, "O-7002");
	assert_int_equal(f.lic.module_seats[2], 10);
	assert_int_equal(import_text(l, text, &added, &same, err,
	    sizeof err), 0);
	assert_int_equal(added, 0);
	assert_int_equal(same, 2);
	/* Serial 7002 again, with other seats than its key's: refused. */
	old_line(&t[1], key[1], "26", line, sizeof line);
	err[0] = '\0';
	assert_int_equal(import_text(l, line, &added, &same, err,
	    sizeof err), -1);
	assert_non_null(strstr(err, "line 1"));
	assert_null(strchr(err, '\n'));
	assert_int_equal(find_serial(l, 7002U, &f), 1);
	assert_int_equal(f.lic.seats, 25);
	assert_int_equal(ledger_begin(l, err, sizeof err), 0);
	assert_int_equal(ledger_next_serial(l, &serial, err, sizeof err), 0);
	assert_true(serial > 7002U);
	ledger_rollback(l);
	ledger_close(l);
}

/* lkey-keygen with the arguments that follow r; it must exit 0. */
static void
kg_ok(const struct fx *fx, struct result *r, ...)
{
	static const char *const prefix[] = { "lkey-keygen", NULL };
	const char *command;
	va_list ap;

	va_start(ap, r);
	command = va_arg(ap, const char *);
	va_end(ap);
	va_start(ap, r);
	run_prefixed(fx, r, prefix, ap);
	va_end(ap);
	if (r->code != 0 || r->out_trunc) {
		show(command, r);
		fail_msg("lkey-keygen %s: expected exit 0", command);
	}
}

/*
 * A ledger moved from SQLite to PostgreSQL: `ledger export` of the SQLite
 * file imported into an empty database gives the same `ledger --json`,
 * the link of a reissued key included; importing it again changes nothing;
 * automatic serials go on above the imported ones.
 */
static void
test_export_to_pg(void **state)
{
	const struct fx *fx = *state;
	static struct result r, r1, r2;
	static char key[3][LKEY_B64_TEXT_MAX];
	char lite[PATHCAP], ex[PATHCAP], err[ERRCAP] = "";
	const char *orders[3] = { "W-1", NULL, "W-3" };
	char pub[PATHCAP], pubtext[256];
	lkey_vendor_key vk;
	ledger_rec rec[3];
	uint32_t serial;
	size_t i, publen;
	ledger *l;

	path_in(fx, "moved.sqlite", lite, sizeof lite);
	path_in(fx, "moved.jsonl", ex, sizeof ex);
	vendor_key(1, &vk);
	memset(rec, 0, sizeof rec);
	for (i = 0; i < 3; i++) {
		terms(&rec[i].lic, 0, 8001U + (uint32_t)i);
		rec[i].time = T0 + (int64_t)i;
		rec[i].order = orders[i];
		assert_int_equal(lkey_issue(&vk, &rec[i].lic, key[i],
		    sizeof key[i]), LKEY_ISSUE_OK);
		rec[i].lic.key_id = vk.pub.id;
		rec[i].lic.version = 1;
		rec[i].key = key[i];
	}
	/* The public key import checks every key with. */
	path_in(fx, "vendor1.pub", pub, sizeof pub);
	publen = pubkey_file_format(&vk.pub, pubtext, sizeof pubtext);
	assert_true(publen > 0);
	write_file(pub, pubtext, publen);
	lkey_vendor_key_wipe(&vk);
	rec[2].replaces = true;
	rec[2].replaces_key_id = rec[0].lic.key_id;
	rec[2].replaces_serial = 8001U;
	if (ledger_open(lite, true, &l, err, sizeof err) != 0)
		fail_msg("ledger_open: %s", err);
	if (ledger_begin(l, err, sizeof err) != 0 ||
	    ledger_insert(l, rec, 3, err, sizeof err) != 0 ||
	    ledger_commit(l, err, sizeof err) != 0)
		fail_msg("ledger_insert: %s", err);
	ledger_close(l);

	kg_ok(fx, &r, "ledger", "export", "--ledger", lite, NULL);
	write_file(ex, r.out, r.outlen);
	kg_ok(fx, &r, "ledger", "import", ex, "--pubkey", pub, "--ledger",
	    xuri, NULL);
	assert_non_null(strstr(r.err, "imported 3 keys into "));
	kg_ok(fx, &r1, "ledger", "--ledger", lite, "--json", NULL);
	kg_ok(fx, &r2, "ledger", "--ledger", xuri, "--json", NULL);
	assert_string_equal(r2.out, r1.out);
	assert_non_null(strstr(r2.out, "\"replaces\":\""));
	kg_ok(fx, &r, "ledger", "import", ex, "--pubkey", pub, "--ledger",
	    xuri, NULL);
	assert_non_null(strstr(r.err, "imported 0 keys into "));
	kg_ok(fx, &r2, "ledger", "--ledger", xuri, "--json", NULL);
	assert_string_equal(r2.out, r1.out);
	l = ledger_ok(xuri);
	assert_int_equal(ledger_begin(l, err, sizeof err), 0);
	assert_int_equal(ledger_next_serial(l, &serial, err, sizeof err), 0);
	assert_int_equal(serial, 8004U);
	ledger_rollback(l);
	ledger_close(l);
}

/* ---- lkey-keygen on PostgreSQL ------------------------------------------ */

#define BATCH_ORDERS 300U

/* An order file of n orders PREFIX-1..n, automatic serials. */
static void
write_orders(const char *path, const char *prefix, unsigned n)
{
	FILE *f = fopen(path, "w");
	unsigned i;

	assert_non_null(f);
	fputs("order,product,edition,seats,starts,expires,maintenance,serial,"
	    "features,licensee\n", f);
	for (i = 1; i <= n; i++)
		fprintf(f, "%s-%u,1,2,25,2027-01-01,2027-12-31,2027-12-31,auto,"
		    "1,\n", prefix, i);
	assert_int_equal(fclose(f), 0);
}

/*
 * Checks the lines "order,serial,key" a batch printed against the ledger:
 * each key recorded under its serial and order, no serial seen before
 * (seen[] of *nseen). Returns the lines.
 */
static unsigned
check_printed(ledger *l, const char *path, uint32_t *seen, size_t *nseen)
{
	char line[1024], *order, *num, *key, *end;
	unsigned long serial;
	unsigned n = 0;
	struct found f;
	size_t i;
	FILE *in = fopen(path, "r");

	assert_non_null(in);
	while (fgets(line, sizeof line, in) != NULL) {
		order = line;
		num = strchr(order, ',');
		key = num != NULL ? strchr(num + 1, ',') : NULL;
		if (key == NULL)
			fail_msg("%s: not order,serial,key: %s", path, line);
		*num++ = '\0';
		*key++ = '\0';
		key[strcspn(key, "\r\n")] = '\0';
		serial = strtoul(num, &end, 10);
		if (*end != '\0' || serial == 0 || serial > UINT32_MAX)
			fail_msg("%s: not a serial: %s", path, num);
		for (i = 0; i < *nseen; i++)
			if (seen[i] == serial)
				fail_msg("serial %lu printed twice", serial);
		assert_true(*nseen < 2U * BATCH_ORDERS);
		seen[(*nseen)++] = (uint32_t)serial;
		if (find_serial(l, (uint32_t)serial, &f) != 1)
			fail_msg("serial %lu (%s): %ld keys in the ledger",
			    serial, order, f.n);
		assert_string_equal(f.key, key);
		assert_string_equal(f.order, order);
		n++;
	}
	assert_int_equal(fclose(in), 0);
	return n;
}

/*
 * The issue's case for PostgreSQL: two lkey-keygen batch processes on one
 * database, started together on an empty one. No serial is printed twice,
 * every key printed is in the database, and lkey-keygen ledger finds it.
 */
static void
test_two_batches(void **state)
{
	const struct fx *fx = *state;
	static uint32_t seen[2U * BATCH_ORDERS];
	char a[PATHCAP], b[PATHCAP], oa[PATHCAP], ob[PATHCAP];
	char script[8192], num[16];
	const char *argv[] = { "sh", "-c", script, NULL };
	static struct result r;
	size_t nseen = 0;
	ledger *l;

	path_in(fx, "a.csv", a, sizeof a);
	path_in(fx, "b.csv", b, sizeof b);
	path_in(fx, "a.out", oa, sizeof oa);
	path_in(fx, "b.out", ob, sizeof ob);
	write_orders(a, "A", BATCH_ORDERS);
	write_orders(b, "B", BATCH_ORDERS);
	/* The URI's & and ? quoted: it holds no ' (pgserver.sh encodes
	 * one). */
	assert_null(strchr(buri, '\''));
	bprintf(script, sizeof script, "k=%s/lkey-keygen; "
	    "$k batch --secret %s --ledger '%s' %s > %s & "
	    "$k batch --secret %s --ledger '%s' %s > %s & "
	    "wait %%1 && wait %%2", fx->bindir, DEMO_SEC, buri, a, oa,
	    DEMO_SEC, buri, b, ob);
	run_tool(argv, NULL, NULL, 0, &r);
	if (r.code != 0)
		show("two batches on one PostgreSQL ledger", &r);
	assert_int_equal(r.code, 0);

	l = ledger_ok(buri);
	assert_int_equal(check_printed(l, oa, seen, &nseen), BATCH_ORDERS);
	assert_int_equal(check_printed(l, ob, seen, &nseen), BATCH_ORDERS);
	ledger_close(l);

	/* lkey-keygen ledger --serial on the same URI finds a key. */
	(void)snprintf(num, sizeof num, "%" PRIu32, seen[BATCH_ORDERS]);
	{
		char prog[PATHCAP];
		const char *look[] = { prog, "ledger", "--ledger", buri,
			"--serial", num, NULL };

		bprintf(prog, sizeof prog, "%s/lkey-keygen", fx->bindir);
		run_tool_ok("lkey-keygen ledger --serial", look, NULL, &r);
		assert_non_null(strstr(r.out, "B-1"));
	}
}

/*
 * The commands when the connection is lost during their COMMIT (a
 * deferred trigger ends the server's process at COMMIT, for orders
 * LOST-*): they say the key or list may be recorded and how to look it
 * up, never that nothing was issued.
 */
static void
test_commit_lost_commands(void **state)
{
	const struct fx *fx = *state;
	char prog[PATHCAP], serial[CELL_CAP], want[CELL_CAP + 96],
	    tail[CELL_CAP + 48];
	struct rows rows;
	struct result r;
	db *d;

	bprintf(prog, sizeof prog, "%s/lkey-keygen", fx->bindir);
	ledger_close(ledger_ok(luri));
	{
		const char *argv[] = { prog, "issue", "--secret", DEMO_SEC,
		    "--ledger", luri, "--product", "1", "--edition", "1",
		    "--seats", "5", "--expires", "never", "--maintenance",
		    "never", "--order", "KEPT-1", NULL };

		run_tool_ok("issue KEPT-1", argv, NULL, &r);
	}
	d = open_ok(luri);
	exec_ok(d, "CREATE FUNCTION lkey_test_cut() RETURNS trigger "
	    "LANGUAGE plpgsql AS $$ BEGIN PERFORM "
	    "pg_terminate_backend(pg_backend_pid()); RETURN NULL; END $$");
	exec_ok(d, "CREATE CONSTRAINT TRIGGER lkey_test_cut AFTER INSERT ON "
	    "keys DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN "
	    "(NEW.order_id LIKE 'LOST-%' OR NEW.replaces_serial IS NOT NULL) "
	    "EXECUTE FUNCTION lkey_test_cut()");
	exec_ok(d, "CREATE CONSTRAINT TRIGGER lkey_test_cut AFTER INSERT ON "
	    "lists "
	    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "
	    "lkey_test_cut()");
	{
		const char *argv[] = { prog, "issue", "--secret", DEMO_SEC,
		    "--ledger", luri, "--product", "1", "--edition", "1",
		    "--seats", "5", "--expires", "never", "--maintenance",
		    "never", "--order", "LOST-1", NULL };

		run_tool(argv, NULL, NULL, 0, &r);
	}
	if (r.code != 1 || strstr(r.err, DB_COMMIT_LOST) == NULL)
		show("issue, connection lost at COMMIT", &r);
	assert_int_equal(r.code, 1);
	assert_string_equal(r.out, "");
	assert_int_equal(err_lines(&r), 1);
	assert_non_null(strstr(r.err, DB_COMMIT_LOST));
	assert_non_null(strstr(r.err, "may be recorded: look the order up "
	    "with lkey-keygen ledger --ledger '"));
	assert_non_null(strstr(r.err, "' --order LOST-1 before issuing it "
	    "again\n"));
	assert_null(strstr(r.err, "nothing"));

	/* A batch: the keys of the chunk, by serial. */
	{
		static const char orders[] = "order,product,edition,seats,"
		    "expires,maintenance\nLOST-2,1,1,5,never,never\n"
		    "LOST-3,1,1,5,never,never\n";
		char path[PATHCAP];
		const char *argv[] = { prog, "batch", "--secret", DEMO_SEC,
		    "--ledger", luri, path, NULL };

		bprintf(path, sizeof path, "%s/lost.csv", scratch);
		write_file(path, orders, sizeof orders - 1U);
		run_tool(argv, NULL, NULL, 0, &r);
	}
	if (r.code != 1 || strstr(r.err, DB_COMMIT_LOST) == NULL)
		show("batch, connection lost at COMMIT", &r);
	assert_int_equal(r.code, 1);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, DB_COMMIT_LOST));
	assert_non_null(strstr(r.err, "; the 2 new keys of this chunk "
	    "(serials "));
	assert_non_null(strstr(r.err, ") may be recorded: look each up"));
	assert_null(strstr(r.err, "not issued"));

	/* reissue: the new key, by serial. */
	{
		const char *argv[] = { prog, "reissue", "--secret", DEMO_SEC,
		    "--ledger", luri, "--order", "KEPT-1", NULL };

		run_tool(argv, NULL, NULL, 0, &r);
	}
	if (r.code != 1 || err_lines(&r) != 1)
		show("reissue, connection lost at COMMIT", &r);
	assert_int_equal(r.code, 1);
	assert_non_null(strstr(r.err, DB_COMMIT_LOST));
	assert_non_null(strstr(r.err, ", the new key of order KEPT-1, may be "
	    "recorded: look it up with lkey-keygen ledger --ledger '"));
	assert_null(strstr(r.err, "nothing reissued"));
	/* revoke: the list, by sequence. */
	(void)query(d, "SELECT serial FROM keys WHERE order_id = 'KEPT-1'",
	    NULL, 0, &rows);
	assert_int_equal(rows.n, 1);
	memcpy(serial, rows.cell[0][0], sizeof serial);
	(void)query(d, "SELECT COALESCE(MAX(sequence), 0) + 1 FROM lists",
	    NULL, 0, &rows);
	bprintf(want, sizeof want, "list %s may be recorded, nothing printed: "
	    "look it up with lkey-keygen ledger --ledger '", rows.cell[0][0]);
	bprintf(tail, sizeof tail, "' --list %s before revoking again\n",
	    rows.cell[0][0]);
	{
		const char *argv[] = { prog, "revoke", "--secret", DEMO_SEC,
		    "--ledger", luri, "--serials", serial, NULL };

		run_tool(argv, NULL, NULL, 0, &r);
	}
	if (r.code != 1 || err_lines(&r) != 1)
		show("revoke, connection lost at COMMIT", &r);
	assert_int_equal(r.code, 1);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, DB_COMMIT_LOST));
	assert_non_null(strstr(r.err, want));
	assert_non_null(strstr(r.err, tail));

	exec_ok(d, "DROP TRIGGER lkey_test_cut ON lists");
	exec_ok(d, "DROP TRIGGER lkey_test_cut ON keys");
	exec_ok(d, "DROP FUNCTION lkey_test_cut()");
	db_close(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open),
		cmocka_unit_test(test_password_never_shown),
		cmocka_unit_test(test_open_fails),
		cmocka_unit_test(test_placeholders_and_nulls),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_transactions),
		cmocka_unit_test(test_statement_cache),
		cmocka_unit_test(test_rows_streamed),
		cmocka_unit_test(test_connection_lost),
		cmocka_unit_test(test_quiet),
		cmocka_unit_test(test_session),
		cmocka_unit_test(test_ledger_schema),
		cmocka_unit_test(test_ledger_refuses),
		cmocka_unit_test(test_ledger_two_writers),
		cmocka_unit_test(test_ledger_queries),
		cmocka_unit_test(test_ledger_first_open),
		cmocka_unit_test(test_ledger_import),
		cmocka_unit_test_setup_teardown(test_two_batches, proc_setup,
		    proc_teardown),
		cmocka_unit_test_setup_teardown(test_export_to_pg, proc_setup,
		    proc_teardown),
		cmocka_unit_test_setup_teardown(test_commit_lost_commands,
		    proc_setup, proc_teardown),
	};
	const char *skip = getenv("LKEY_PG_SKIP");

	server_uri = getenv("LKEY_PG_URI");
	if (server_uri == NULL || *server_uri == '\0') {
		if (skip != NULL && *skip != '\0') {
			printf("test_pg: skipped: %s\n", skip);
			return 0;
		}
		fprintf(stderr, "test_pg: LKEY_PG_URI is not set: run it with "
		    "a server, as make test does: sh tests/pgserver.sh run "
		    "build/pg build/tests/test_pg\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

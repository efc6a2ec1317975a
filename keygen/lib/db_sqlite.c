/*
 * db_sqlite.c - the SQLite engine of db.h: the ledger in one file
 *
 * The file is opened only if it is a regular file that is not a symbolic
 * link and, when it holds anything, an SQLite database: the vendor's
 * ledger is never taken from a link planted beside the secret key, and a
 * JSON-lines ledger or any other file is never turned into a database.
 * A new file is created by this process alone (O_EXCL) with mode 0600
 * before SQLite opens it. Then write-ahead logging with synchronous=FULL,
 * so that a commit that returned is on the disk, and a busy timeout, so
 * that writers on one machine wait for each other instead of failing.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db_int.h"
#include "msg.h"

/* Statements kept prepared for the life of a handle. */
#define STMT_CACHE 64U
/* Parameters of one statement, at most. */
#define PARAM_MAX 64U
/* Columns of one result row, at most. */
#define COLUMN_MAX 64U
/* How long a writer waits for another, in milliseconds. */
#define BUSY_MS 30000

struct stmt_slot {
	const char *sql;	/* the key: the address of the text */
	sqlite3_stmt *st;
};

struct sq {
	sqlite3 *h;
	struct stmt_slot cache[STMT_CACHE];
	size_t ncache;
};

static const char sqlite_magic[16] = "SQLite format 3";

static sqlite3 *
handle(db *d)
{
	return ((struct sq *)d->impl)->h;
}

/* "NAME: what sqlite says" */
static int
sq_fail(db *d, char *err, size_t errcap)
{
	return msg_fail(err, errcap, "%s: %s", d->name,
	    sqlite3_errmsg(handle(d)));
}

static void
sq_close(db *d)
{
	struct sq *s = d->impl;
	size_t i;

	if (s != NULL) {
		for (i = 0; i < s->ncache; i++)
			sqlite3_finalize(s->cache[i].st);
		if (s->h != NULL) {
			if (d->in_tx)
				(void)sqlite3_exec(s->h, "ROLLBACK", NULL,
				    NULL, NULL);
			(void)sqlite3_close(s->h);
		}
		free(s);
	}
	free(d);
}

static int
sq_exec(db *d, const char *sql, char *err, size_t errcap)
{
	char *msg = NULL;

	if (sqlite3_exec(handle(d), sql, NULL, NULL, &msg) != SQLITE_OK) {
		(void)msg_fail(err, errcap, "%s: %s", d->name, msg != NULL ?
		    msg : sqlite3_errmsg(handle(d)));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/*
 * The prepared statement of sql, from the cache or prepared now (and kept
 * if there is room; else *temp says to finalize it after use).
 */
static sqlite3_stmt *
prepare(db *d, const char *sql, bool *temp, char *err, size_t errcap)
{
	struct sq *s = d->impl;
	sqlite3_stmt *st;
	size_t i;

	*temp = false;
	for (i = 0; i < s->ncache; i++)
		if (s->cache[i].sql == sql)
			return s->cache[i].st;
	if (sqlite3_prepare_v2(s->h, sql, -1, &st, NULL) != SQLITE_OK) {
		(void)sq_fail(d, err, errcap);
		return NULL;
	}
	if (s->ncache < STMT_CACHE) {
		s->cache[s->ncache].sql = sql;
		s->cache[s->ncache].st = st;
		s->ncache++;
	} else {
		*temp = true;
	}
	return st;
}

static long
sq_query(db *d, const char *sql, const char *const *param, size_t n,
    int (*row)(void *, size_t, const char *const *), void *arg, char *err,
    size_t errcap)
{
	const char *val[COLUMN_MAX];
	sqlite3_stmt *st;
	bool temp;
	long count = 0;
	int rc, ncol, k;
	size_t i;

	if (n > PARAM_MAX || (size_t)sqlite3_limit(handle(d),
	    SQLITE_LIMIT_VARIABLE_NUMBER, -1) < n)
		return msg_fail(err, errcap, "%s: too many parameters",
		    d->name);
	if ((st = prepare(d, sql, &temp, err, errcap)) == NULL)
		return -1;
	if ((size_t)sqlite3_bind_parameter_count(st) != n) {
		(void)msg_fail(err, errcap, "%s: a statement with %d "
		    "parameters was given %zu", d->name,
		    sqlite3_bind_parameter_count(st), n);
		count = -1;
		goto out;
	}
	for (i = 0; i < n; i++) {
		rc = param[i] == NULL ?
		    sqlite3_bind_null(st, (int)i + 1) :
		    sqlite3_bind_text(st, (int)i + 1, param[i], -1,
		    SQLITE_STATIC);
		if (rc != SQLITE_OK) {
			(void)sq_fail(d, err, errcap);
			count = -1;
			goto out;
		}
	}
	ncol = sqlite3_column_count(st);
	if (ncol > (int)COLUMN_MAX) {
		(void)msg_fail(err, errcap, "%s: too many columns", d->name);
		count = -1;
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (k = 0; k < ncol; k++)
			val[k] = (const char *)sqlite3_column_text(st, k);
		count++;
		if (row != NULL && row(arg, (size_t)ncol, val) != 0) {
			count = -1;
			goto out;
		}
	}
	if (rc != SQLITE_DONE) {
		(void)sq_fail(d, err, errcap);
		count = -1;
		goto out;
	}
	if (ncol == 0)
		count = (long)sqlite3_changes(handle(d));
out:
	(void)sqlite3_reset(st);
	(void)sqlite3_clear_bindings(st);
	if (temp)
		sqlite3_finalize(st);
	return count;
}

static int
sq_begin(db *d, char *err, size_t errcap)
{
	if (d->in_tx)
		return msg_fail(err, errcap, "%s: a transaction is already "
		    "open", d->name);
	if (sq_exec(d, "BEGIN IMMEDIATE", err, errcap) != 0)
		return -1;
	d->in_tx = true;
	return 0;
}

static void
sq_rollback(db *d)
{
	if (!d->in_tx)
		return;
	if (sqlite3_get_autocommit(handle(d)) == 0)
		(void)sqlite3_exec(handle(d), "ROLLBACK", NULL, NULL, NULL);
	d->in_tx = false;
}

static int
sq_commit(db *d, char *err, size_t errcap)
{
	if (!d->in_tx)
		return msg_fail(err, errcap, "%s: no transaction to commit",
		    d->name);
	if (sq_exec(d, "COMMIT", err, errcap) != 0) {
		sq_rollback(d);
		return -1;
	}
	d->in_tx = false;
	return 0;
}

static const struct db_ops sqlite_ops = {
	sq_close, sq_exec, sq_query, sq_begin, sq_commit, sq_rollback
};

/*
 * Opens path without following a link, creating it (mode 0600, by this
 * process alone) with `create`, and checks that it is a regular file
 * holding nothing or an SQLite database.
 */
static int
check_file(const char *path, bool create, char *err, size_t errcap)
{
	char head[16];
	struct stat st;
	ssize_t got;
	int fd;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 && errno == ENOENT && create) {
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0600);
		if (fd < 0 && errno == EEXIST)
			return check_file(path, false, err, errcap);
	}
	if (fd < 0) {
		if (errno == ENOENT)
			return msg_fail(err, errcap, "%s: no ledger there",
			    path);
		if (errno == ELOOP)
			return msg_fail(err, errcap, "%s: is a symbolic link; "
			    "give the ledger's own path", path);
		return msg_fail(err, errcap, "%s: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) != 0) {
		(void)msg_fail(err, errcap, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		(void)msg_fail(err, errcap, "%s: not a regular file", path);
		goto fail;
	}
	if (st.st_size > 0) {
		got = read(fd, head, sizeof head);
		if (got != (ssize_t)sizeof head ||
		    memcmp(head, sqlite_magic, sizeof head) != 0) {
			(void)msg_fail(err, errcap, "%s: not an SQLite "
			    "database", path);
			goto fail;
		}
	}
	(void)close(fd);
	return 0;
fail:
	(void)close(fd);
	return -1;
}

/*
 * Write-ahead logging. Switching a new file to it takes the write lock
 * from a read lock; two processes opening one new file at once can each
 * hold the read lock the other must wait out, and SQLite then answers
 * SQLITE_BUSY at once rather than wait (a deadlock its busy handler
 * cannot break). So the switch is tried again, for up to BUSY_MS.
 */
static int
wal(db *d, char *err, size_t errcap)
{
	struct sq *s = d->impl;
	struct timespec pause = { 0, 20 * 1000 * 1000 };
	unsigned waited = 0;
	int rc;

	for (;;) {
		rc = sqlite3_exec(s->h, "PRAGMA journal_mode=WAL", NULL, NULL,
		    NULL);
		if (rc == SQLITE_OK)
			return 0;
		if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
			break;
		if (waited >= BUSY_MS)
			break;
		(void)nanosleep(&pause, NULL);
		waited += 20;
	}
	return msg_fail(err, errcap, "%s: %s", d->name, sqlite3_errmsg(s->h));
}

int
db_sqlite_open(const char *path, bool create, db **out, char *err,
    size_t errcap)
{
	struct sq *s;
	db *d;

	*out = NULL;
	if (strlen(path) >= DB_NAME_MAX)
		return msg_fail(err, errcap, "the ledger's path is longer "
		    "than %u bytes", DB_NAME_MAX - 1U);
	if (check_file(path, create, err, errcap) != 0)
		return -1;
	d = calloc(1, sizeof *d);
	s = calloc(1, sizeof *s);
	if (d == NULL || s == NULL) {
		free(d);
		free(s);
		return msg_fail(err, errcap, "%s: out of memory", path);
	}
	d->ops = &sqlite_ops;
	d->kind = DB_SQLITE;
	d->impl = s;
	memcpy(d->name, path, strlen(path) + 1);
	/*
	 * check_file refused a link as the file itself; SQLite's own
	 * no-follow flag would also refuse a link anywhere in the path (a
	 * home directory reached through one), so it is not given.
	 */
	if (sqlite3_open_v2(path, &s->h, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
		(void)msg_fail(err, errcap, "%s: %s", path, s->h != NULL ?
		    sqlite3_errmsg(s->h) : "out of memory");
		goto fail;
	}
	(void)sqlite3_extended_result_codes(s->h, 1);
	if (sqlite3_busy_timeout(s->h, BUSY_MS) != SQLITE_OK ||
	    wal(d, err, errcap) != 0 ||
	    sq_exec(d, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON", err,
	    errcap) != 0)
		goto fail;
	*out = d;
	return 0;
fail:
	sq_close(d);
	return -1;
}

/*
 * db.h - the one database interface the ledger is written against, with
 * two engines behind it: SQLite (db_sqlite.c, a file) and PostgreSQL
 * (db_pg.c, a server named by a postgresql:// or postgres:// URI)
 * (internal to keygen/lib/ledger*.c; the interface of the ledger is
 * ledger.h)
 *
 * Statements are written once, in the SQL both engines take: `?` marks a
 * parameter (the PostgreSQL engine numbers them $1, $2, ...), every
 * parameter and every result is text (NULL for SQL NULL), and integers
 * are BIGINT. A statement is prepared the first time it is run and kept
 * for the life of the handle, keyed by the address of its text: pass
 * string literals.
 *
 * Functions that can fail return 0 (db_query: a count) or -1 with one line
 * in err naming the database ("ledger.sqlite: database is locked");
 * err may be NULL.
 */
#ifndef LKEY_DB_H
#define LKEY_DB_H

#include <stdbool.h>
#include <stddef.h>

typedef struct db db;	/* opaque */

typedef enum db_engine { DB_SQLITE, DB_POSTGRESQL } db_engine;

/* Whether `where` names a PostgreSQL server (postgresql:// or postgres://). */
bool db_is_uri(const char *where);

/*
 * Opens the database `where`: a PostgreSQL URI, else the path of an SQLite
 * file. SQLite: with `create`, a missing file is created with mode 0600;
 * without it a missing file is an error ("PATH: no ledger there"). A
 * symbolic link, or anything but a regular file, is refused; so is a file
 * that is not an SQLite database. Then WAL, synchronous=FULL, foreign keys
 * on, and a busy timeout of 30 s. PostgreSQL: connects (libpq), with the
 * password, if any, never repeated in messages. Returns 0, or -1.
 */
int db_open(const char *where, bool create, db **out, char *err,
    size_t errcap);

/* Closes the connection and frees d; d may be NULL. */
void db_close(db *d);

db_engine db_kind(const db *d);

/* The database as messages name it: the path, or the URI without its
 * password. */
const char *db_name(const db *d);

/* Runs statements without parameters or results (the schema), ';'
 * separated. */
int db_exec(db *d, const char *sql, char *err, size_t errcap);

/*
 * Runs one statement with n parameters; for each result row calls
 * row(arg, ncol, val), val[k] the text of column k (NULL for SQL NULL),
 * valid during the call. A non-zero return of row stops the rows and is
 * returned by db_query as -1 with err untouched. Returns the number of
 * rows delivered (for a statement without results, the number of rows it
 * changed), or -1. row may be NULL.
 */
long db_query(db *d, const char *sql, const char *const *param, size_t n,
    int (*row)(void *arg, size_t ncol, const char *const *val), void *arg,
    char *err, size_t errcap);

/*
 * A write transaction: SQLite BEGIN IMMEDIATE (the write lock at once,
 * waiting up to the busy timeout); PostgreSQL BEGIN ISOLATION LEVEL READ
 * COMMITTED and, likewise at once, the database's writer lock (an
 * advisory lock, waiting up to a lock timeout of 30 s), so that on both
 * one write transaction runs at a time, the first ones on an empty
 * database too. (ledger.c also locks its allocation row first thing.) db_commit returns 0 only once the
 * transaction is durable; on failure the transaction is rolled back.
 * Except in one case, where the outcome is unknown: the connection to a
 * server was lost during the COMMIT itself (it was open when COMMIT was
 * sent), so the server may have committed before the answer was lost;
 * then err is "NAME: " DB_COMMIT_LOST " (the reason)", and a caller
 * that would say nothing was recorded says to look instead.
 */
#define DB_COMMIT_LOST "the connection was lost during COMMIT: the " \
	"transaction may have been recorded"
int db_begin(db *d, char *err, size_t errcap);
int db_commit(db *d, char *err, size_t errcap);
void db_rollback(db *d);

#endif

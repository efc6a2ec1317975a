/*
 * db_int.h - what the engines behind db.h share: the handle and the table
 * of an engine's functions (internal to keygen/lib/db*.c)
 */
#ifndef LKEY_DB_INT_H
#define LKEY_DB_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "db.h"

/* Longest name of a database in messages, its NUL included. */
#define DB_NAME_MAX 512U

/* An engine: the functions of db.h, for its own handles. */
struct db_ops {
	void (*close)(db *d);
	int (*exec)(db *d, const char *sql, char *err, size_t errcap);
	long (*query)(db *d, const char *sql, const char *const *param,
	    size_t n, int (*row)(void *, size_t, const char *const *),
	    void *arg, char *err, size_t errcap);
	int (*begin)(db *d, char *err, size_t errcap);
	int (*commit)(db *d, char *err, size_t errcap);
	void (*rollback)(db *d);
};

struct db {
	const struct db_ops *ops;
	db_engine kind;
	bool in_tx;		/* a transaction is open */
	char name[DB_NAME_MAX];	/* for messages */
	void *impl;		/* the engine's own state */
};

/*
 * The engines' open functions: fill in a new handle (allocated by the
 * engine; db_close frees it through ops->close). Same contract as db_open.
 */
int db_sqlite_open(const char *path, bool create, db **out, char *err,
    size_t errcap);
int db_pg_open(const char *uri, db **out, char *err, size_t errcap);

#endif

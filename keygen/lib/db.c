/*
 * db.c - the database interface of the ledger: which engine a name
 * means, and the calls handed on to it
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "db_int.h"

bool
db_is_uri(const char *where)
{
	return strncmp(where, "postgresql://", 13) == 0 ||
	    strncmp(where, "postgres://", 11) == 0;
}

int
db_open(const char *where, bool create, db **out, char *err, size_t errcap)
{
	*out = NULL;
	if (db_is_uri(where))
		return db_pg_open(where, out, err, errcap);
	return db_sqlite_open(where, create, out, err, errcap);
}

void
db_close(db *d)
{
	if (d != NULL)
		d->ops->close(d);
}

db_engine
db_kind(const db *d)
{
	return d->kind;
}

const char *
db_name(const db *d)
{
	return d->name;
}

int
db_exec(db *d, const char *sql, char *err, size_t errcap)
{
	return d->ops->exec(d, sql, err, errcap);
}

long
db_query(db *d, const char *sql, const char *const *param, size_t n,
    int (*row)(void *arg, size_t ncol, const char *const *val), void *arg,
    char *err, size_t errcap)
{
	return d->ops->query(d, sql, param, n, row, arg, err, errcap);
}

int
db_begin(db *d, char *err, size_t errcap)
{
	return d->ops->begin(d, err, errcap);
}

int
db_commit(db *d, char *err, size_t errcap)
{
	return d->ops->commit(d, err, errcap);
}

void
db_rollback(db *d)
{
	d->ops->rollback(d);
}

/*
 * db_pg.c - the PostgreSQL engine of db.h (libpq): a ledger on a server
 * that several fulfilment machines share
 *
 * Statements are written with `?` placeholders, which are numbered $1, $2,
 * ... here; parameters and results travel as text. Each statement is
 * prepared once per connection (keyed by the address of its text, as db.h
 * says, and checked against a copy of the text) and run from then on by
 * name. Rows are delivered as they arrive (libpq's single-row mode), so
 * that a query over a whole ledger of a million keys does not hold it all
 * in memory; a row function may still run statements of its own: the rows
 * not yet delivered are then read ahead into memory first.
 *
 * The password of a URI (user:password@ or password=) never appears in a
 * message: the handle's name is the URI without it. Server notices (such
 * as "relation already exists, skipping") are not printed.
 */
#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "db_int.h"
#include "msg.h"

/* Statements kept prepared per connection; more run unprepared. */
#define PG_STMT_MAX 64U
/* PostgreSQL's limit on the parameters of one statement. */
#define PG_PARAM_MAX 65535U
/* How long a statement waits for a row lock another writer holds, the
 * same 30 s as SQLite's busy timeout. */
#define PG_LOCK_TIMEOUT "SET lock_timeout = '30s'"
/* The writer lock of a database: one advisory lock ("lkey" in ASCII). */
#define PG_WRITER_LOCK "SELECT pg_advisory_xact_lock(1818977657)"

struct pg_stmt {
	const char *key;	/* the caller's text, by address */
	char *sql;		/* a copy of it, to tell a reused address */
	char name[16];		/* lkey_N */
	int nparam;
};

/*
 * The results of a query being delivered: those read ahead (while a row
 * function ran a statement of its own) and whether more are to come from
 * the connection.
 */
struct pg_stream {
	PGresult **buf;
	size_t head, n, cap;
	bool pending;		/* the connection still has results of it */
	bool lost;		/* one could not be kept: out of memory */
};

struct pg {
	PGconn *conn;
	struct pg_stmt stmt[PG_STMT_MAX];
	unsigned nstmt;
	struct pg_stream *active;	/* the query being delivered, if any */
};

static void pg_close(db *d);
static int pg_exec(db *d, const char *sql, char *err, size_t errcap);
static long pg_query(db *d, const char *sql, const char *const *param,
    size_t n, int (*row)(void *, size_t, const char *const *), void *arg,
    char *err, size_t errcap);
static int pg_begin(db *d, char *err, size_t errcap);
static int pg_commit(db *d, char *err, size_t errcap);
static void pg_rollback(db *d);

static const struct db_ops pg_ops = {
	pg_close, pg_exec, pg_query, pg_begin, pg_commit, pg_rollback,
};

static PGconn *
conn_of(const db *d)
{
	return ((const struct pg *)d->impl)->conn;
}

/* A password's text within a URI, to keep out of libpq's messages. */
struct secret {
	const char *p;
	size_t len;
};

#define SECRETS_MAX 8U

/*
 * What libpq or the server said, as one line: up to the first newline,
 * any other control character made a space (a server message may quote a
 * value the statement was given), and each of the n secrets shown as ***
 * (libpq quotes a URI it cannot parse, or a part of it, password and
 * all).
 */
static int
pg_fail_hiding(const db *d, const char *what, const struct secret *sec,
    size_t n, char *err, size_t errcap)
{
	char line[400];
	size_t i = 0, k, s;

	if (what == NULL || *what == '\0')
		what = "unknown error";
	while (i < sizeof line - 4U && *what != '\0' && *what != '\n') {
		k = 0;
		for (s = 0; s < n; s++)
			if (sec[s].len > 0 && strncmp(what, sec[s].p,
			    sec[s].len) == 0)
				k = sec[s].len;
		if (k > 0) {
			memcpy(line + i, "***", 3);
			i += 3U;
			what += k;
			continue;
		}
		line[i++] = (unsigned char)*what < 0x20U ||
		    (unsigned char)*what == 0x7fU ? ' ' : *what;
		what++;
	}
	while (i > 0 && line[i - 1U] == ' ')
		i--;
	line[i] = '\0';
	return msg_fail(err, errcap, "%s: %s", d->name, line);
}

static int
pg_fail(const db *d, const char *what, char *err, size_t errcap)
{
	return pg_fail_hiding(d, what, NULL, 0, err, errcap);
}

/* A failed result: the server's primary message, else libpq's. */
static int
pg_fail_result(const db *d, const PGresult *res, char *err, size_t errcap)
{
	const char *primary = NULL;

	if (res != NULL)
		primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	if (primary != NULL && *primary != '\0')
		return pg_fail(d, primary, err, errcap);
	if (res != NULL && *PQresultErrorMessage(res) != '\0')
		return pg_fail(d, PQresultErrorMessage(res), err, errcap);
	return pg_fail(d, PQerrorMessage(conn_of(d)), err, errcap);
}

/* Room for a name being built: cut short with "..." when full. */
struct name_buf {
	char *out;
	size_t cap, k;
	bool cut;
};

static void
put(struct name_buf *b, const char *s, size_t len)
{
	size_t room = b->cap - 1U - b->k;

	if (len > room) {
		len = room;
		b->cut = true;
	}
	memcpy(b->out + b->k, s, len);
	b->k += len;
	b->out[b->k] = '\0';
}

/*
 * Whether the len bytes at p, percent-decoded as libpq decodes a URI's
 * keywords, are "password", in any case (libpq refuses "PASSWORD" as an
 * unknown keyword, but its value is a password all the same).
 */
static bool
is_password_key(const char *p, size_t len)
{
	static const char want[] = "password";
	size_t i, j = 0;

	for (i = 0; i < len; i++) {
		int c = (unsigned char)p[i];

		if (c == '%' && i + 2U < len && isxdigit((unsigned char)
		    p[i + 1U]) && isxdigit((unsigned char)p[i + 2U])) {
			char hex[3] = { p[i + 1U], p[i + 2U], '\0' };

			c = (int)strtol(hex, NULL, 16);
			i += 2U;
		}
		if (j == sizeof want - 1U || tolower(c) != want[j])
			return false;
		j++;
	}
	return j == sizeof want - 1U;
}

/*
 * The passwords of a URI as it is written (percent-encoded or not): that
 * of the user information and the value of every password= parameter, as
 * uri_name finds them. Returns how many, at most max.
 */
static size_t
uri_secrets(const char *uri, struct secret *out, size_t max)
{
	const char *p = strstr(uri, "://"), *auth, *at, *q;
	size_t n = 0;

	if (p == NULL)
		return 0;
	auth = p + 3;
	at = auth + strcspn(auth, "@/");
	if (*at == '@') {
		const char *colon = memchr(auth, ':', (size_t)(at - auth));

		if (colon != NULL && n < max) {
			out[n].p = colon + 1;
			out[n++].len = (size_t)(at - colon - 1);
		}
		auth = at;
	}
	if ((q = strchr(auth, '?')) == NULL)
		return n;
	for (q++; *q != '\0';) {
		size_t len = strcspn(q, "&"), key = strcspn(q, "=&");

		if (key < len && is_password_key(q, key) && n < max) {
			out[n].p = q + key + 1;
			out[n++].len = len - key - 1U;
		}
		q += len;
		if (*q == '&')
			q++;
	}
	return n;
}

/*
 * The URI as messages name it, without its password: the ":password" of
 * the user information (what libpq takes as it: up to the first '@'
 * before any '/') and every password= parameter. Control characters are
 * shown as '?'. Cut short, with "...", if it does not fit.
 */
static void
uri_name(const char *uri, char *out, size_t cap)
{
	struct name_buf b = { out, cap, 0, false };
	const char *p = strstr(uri, "://"), *auth, *q, *at;
	bool first = true;
	size_t i;

	out[0] = '\0';
	if (p == NULL) {
		put(&b, uri, strlen(uri));
		goto clean;
	}
	auth = p + 3;
	put(&b, uri, (size_t)(auth - uri));
	at = auth + strcspn(auth, "@/");
	if (*at == '@') {
		const char *colon = memchr(auth, ':', (size_t)(at - auth));

		put(&b, auth, (size_t)((colon != NULL ? colon : at) - auth));
		auth = at;
	}
	q = strchr(auth, '?');
	if (q == NULL) {
		put(&b, auth, strlen(auth));
		goto clean;
	}
	put(&b, auth, (size_t)(q - auth));
	/* The parameters, each but password= kept. */
	for (q++; *q != '\0';) {
		size_t len = strcspn(q, "&"), key = strcspn(q, "=&");

		if (!(key < len && is_password_key(q, key))) {
			put(&b, first ? "?" : "&", 1);
			put(&b, q, len);
			first = false;
		}
		q += len;
		if (*q == '&')
			q++;
	}
clean:
	if (b.cut && cap > 4U)
		memcpy(out + cap - 4U, "...", 4);
	for (i = 0; out[i] != '\0'; i++)
		if ((unsigned char)out[i] < 0x20U || out[i] == 0x7f)
			out[i] = '?';
}

/* Server notices are for a console, not for a tool's stderr. */
static void
pg_quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/*
 * Makes the connection free for another statement: the results of the
 * query being delivered, if it has more, are read ahead into its stream.
 */
static void
pg_drain(db *d)
{
	struct pg *pg = d->impl;
	struct pg_stream *s = pg->active;
	PGresult *res, **grown;

	if (s == NULL)
		return;
	while (s->pending) {
		if ((res = PQgetResult(pg->conn)) == NULL) {
			s->pending = false;
			break;
		}
		if (s->n == s->cap) {
			size_t cap = s->cap != 0 ? s->cap * 2U : 64U;

			grown = cap <= SIZE_MAX / sizeof *grown ?
			    realloc(s->buf, cap * sizeof *grown) : NULL;
			if (grown == NULL) {
				s->lost = true;
				PQclear(res);
				continue;
			}
			s->buf = grown;
			s->cap = cap;
		}
		s->buf[s->n++] = res;
	}
}

static int pg_session(db *d, char *err, size_t errcap);

/*
 * A connection the server or the network closed (a restart, a failover,
 * a firewall that drops idle connections under a batch waiting for
 * orders) is opened again, but only between transactions: within one,
 * what it did is gone with the connection, and its statements fail until
 * it ends. The statements prepared on the old connection are gone too.
 */
static int
pg_revive(db *d, char *err, size_t errcap)
{
	struct pg *pg = d->impl;
	unsigned i;

	if (PQstatus(pg->conn) == CONNECTION_OK || d->in_tx)
		return 0;
	for (i = 0; i < pg->nstmt; i++)
		free(pg->stmt[i].sql);
	pg->nstmt = 0;
	PQreset(pg->conn);
	if (PQstatus(pg->conn) != CONNECTION_OK)
		return pg_fail(d, PQerrorMessage(pg->conn), err, errcap);
	return pg_session(d, err, errcap);
}

/* A statement run for its effect only, with no parameters. */
static int
pg_command(db *d, const char *sql, char *err, size_t errcap)
{
	PGresult *res;
	ExecStatusType st;
	int rc = 0;

	pg_drain(d);
	if (pg_revive(d, err, errcap) != 0)
		return -1;
	res = PQexec(conn_of(d), sql);
	st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
	    st != PGRES_EMPTY_QUERY)
		rc = pg_fail_result(d, res, err, errcap);
	PQclear(res);
	return rc;
}

/*
 * The session every statement of the ledger assumes: UTF-8 text (asked for
 * when connecting), a bounded wait for another writer's row lock, and
 * commits that return only once durable. A server or role configured with
 * synchronous_commit off would acknowledge a commit a crash can still
 * lose, and a key is printed only after its commit: it is turned back on
 * for this session. (local, remote_write, on and remote_apply are all
 * durable on this server.)
 */
static int
pg_session(db *d, char *err, size_t errcap)
{
	PGresult *res;
	bool off;

	if (pg_command(d, PG_LOCK_TIMEOUT, err, errcap) != 0)
		return -1;
	res = PQexec(conn_of(d), "SHOW synchronous_commit");
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		(void)pg_fail_result(d, res, err, errcap);
		PQclear(res);
		return -1;
	}
	off = strcmp(PQgetvalue(res, 0, 0), "off") == 0;
	PQclear(res);
	if (off && pg_command(d, "SET synchronous_commit = on", err,
	    errcap) != 0)
		return -1;
	return 0;
}

int
db_pg_open(const char *uri, db **out, char *err, size_t errcap)
{
	/*
	 * Keywords before dbname are defaults the URI may override; those
	 * after it are not: the ledger's text is UTF-8. TCP keepalives every
	 * minute keep a batch that waits for orders from being dropped as
	 * idle by a firewall, and find a server gone within minutes.
	 */
	const char *const keys[] = {
		"connect_timeout", "keepalives_idle", "keepalives_interval",
		"fallback_application_name", "dbname", "client_encoding", NULL,
	};
	const char *vals[] = { "10", "60", "10", "lkey-keygen", uri, "UTF8",
		NULL };
	struct pg *pg;
	db *d;

	*out = NULL;
	d = calloc(1, sizeof *d);
	pg = calloc(1, sizeof *pg);
	if (d == NULL || pg == NULL) {
		free(d);
		free(pg);
		return msg_fail(err, errcap, "out of memory");
	}
	d->ops = &pg_ops;
	d->kind = DB_POSTGRESQL;
	d->impl = pg;
	uri_name(uri, d->name, sizeof d->name);
	pg->conn = PQconnectdbParams(keys, vals, 1);
	if (pg->conn == NULL) {
		(void)msg_fail(err, errcap, "%s: out of memory", d->name);
		goto fail;
	}
	(void)PQsetNoticeProcessor(pg->conn, pg_quiet, NULL);
	if (PQstatus(pg->conn) != CONNECTION_OK) {
		struct secret sec[SECRETS_MAX];
		size_t n = uri_secrets(uri, sec, SECRETS_MAX);

		(void)pg_fail_hiding(d, PQerrorMessage(pg->conn), sec, n, err,
		    errcap);
		goto fail;
	}
	if (pg_session(d, err, errcap) != 0)
		goto fail;
	*out = d;
	return 0;
fail:
	pg_close(d);
	return -1;
}

static void
pg_close(db *d)
{
	struct pg *pg = d->impl;
	unsigned i;

	if (pg != NULL) {
		/* Closing the connection rolls back an open transaction. */
		if (pg->conn != NULL)
			PQfinish(pg->conn);
		for (i = 0; i < pg->nstmt; i++)
			free(pg->stmt[i].sql);
		free(pg);
	}
	free(d);
}

static int
pg_exec(db *d, const char *sql, char *err, size_t errcap)
{
	return pg_command(d, sql, err, errcap);
}

/*
 * sql with each `?` outside quoted text, quoted names and comments made
 * $1, $2, ...: a new string (NULL: out of memory), *nparam the count.
 * (The ledger's statements use neither E'' strings nor dollar quoting.)
 */
static char *
number_params(const char *sql, int *nparam)
{
	size_t len = strlen(sql), k = 0, cap, i;
	char *out;
	int np = 0;
	char quote = 0;		/* ', " or 0 */
	bool line_comment = false;
	int block = 0;		/* nesting of block comments */

	/* "$2147483647" is eleven bytes for one. */
	if (len > (SIZE_MAX - 1U) / 11U)
		return NULL;
	cap = len * 11U + 1U;
	out = malloc(cap);
	if (out == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		char c = sql[i];

		if (line_comment) {
			if (c == '\n')
				line_comment = false;
		} else if (block > 0) {
			if (c == '*' && sql[i + 1U] == '/') {
				out[k++] = c;
				c = sql[++i];
				block--;
			} else if (c == '/' && sql[i + 1U] == '*') {
				out[k++] = c;
				c = sql[++i];
				block++;
			}
		} else if (quote != 0) {
			if (c == quote)
				quote = 0;	/* '' reopens at once */
		} else if (c == '\'' || c == '"') {
			quote = c;
		} else if (c == '-' && sql[i + 1U] == '-') {
			line_comment = true;
		} else if (c == '/' && sql[i + 1U] == '*') {
			out[k++] = c;
			c = sql[++i];
			block = 1;
		} else if (c == '?') {
			if (np == INT_MAX) {
				free(out);
				return NULL;
			}
			np++;
			k += (size_t)snprintf(out + k, cap - k, "$%d", np);
			continue;
		}
		out[k++] = c;
	}
	out[k] = '\0';
	*nparam = np;
	return out;
}

/*
 * The prepared statement for sql: found by the address of its text (and
 * the same text), else prepared now and kept while there is room. *stmt is
 * it, or NULL with *numbered the statement to run unprepared (the caller
 * frees it); *nparam its parameters. Returns 0, or -1.
 */
static int
pg_statement(db *d, const char *sql, struct pg_stmt **stmt, char **numbered,
    int *nparam, char *err, size_t errcap)
{
	struct pg *pg = d->impl;
	struct pg_stmt *s;
	PGresult *res;
	unsigned i;
	bool reused = false;
	char *text;

	*stmt = NULL;
	*numbered = NULL;
	for (i = 0; i < pg->nstmt; i++) {
		if (pg->stmt[i].key != sql)
			continue;
		if (strcmp(pg->stmt[i].sql, sql) == 0) {
			*stmt = &pg->stmt[i];
			*nparam = pg->stmt[i].nparam;
			return 0;
		}
		reused = true;	/* the address now holds other text */
	}
	text = number_params(sql, nparam);
	if (text == NULL)
		return msg_fail(err, errcap, "%s: out of memory", d->name);
	if (reused || pg->nstmt == PG_STMT_MAX) {
		*numbered = text;
		return 0;
	}
	s = &pg->stmt[pg->nstmt];
	s->sql = strdup(sql);
	if (s->sql == NULL) {
		free(text);
		return msg_fail(err, errcap, "%s: out of memory", d->name);
	}
	(void)snprintf(s->name, sizeof s->name, "lkey_%u", pg->nstmt + 1U);
	res = PQprepare(pg->conn, s->name, text, 0, NULL);
	free(text);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		(void)pg_fail_result(d, res, err, errcap);
		PQclear(res);
		free(s->sql);
		s->sql = NULL;
		return -1;
	}
	PQclear(res);
	s->key = sql;
	s->nparam = *nparam;
	pg->nstmt++;
	*stmt = s;
	return 0;
}

/* The next result of stream s, or NULL when there is none. */
static PGresult *
pg_next(db *d, struct pg_stream *s)
{
	PGresult *res;

	if (s->head < s->n)
		return s->buf[s->head++];
	if (!s->pending)
		return NULL;
	if ((res = PQgetResult(conn_of(d))) == NULL)
		s->pending = false;
	return res;
}

/* Where pg_query is: rows delivered, and why it stopped delivering. */
struct pg_rows {
	int (*row)(void *, size_t, const char *const *);
	void *arg;
	const char **val;
	size_t valcap;
	long count;
	bool stopped;		/* the row function asked to stop */
	bool failed;		/* err says why */
};

/* Delivers the rows of res; -1 (with r->failed) if out of memory. */
static int
pg_deliver(db *d, const PGresult *res, struct pg_rows *r, char *err,
    size_t errcap)
{
	int nrow = PQntuples(res), ncol = PQnfields(res), i, c;

	if (r->row == NULL) {
		r->count += nrow;
		return 0;
	}
	if ((size_t)ncol > r->valcap) {
		const char **grown = realloc(r->val, (size_t)ncol *
		    sizeof *grown);

		if (grown == NULL) {
			r->failed = true;
			return msg_fail(err, errcap, "%s: out of memory",
			    d->name);
		}
		r->val = grown;
		r->valcap = (size_t)ncol;
	}
	for (i = 0; i < nrow && !r->stopped; i++) {
		for (c = 0; c < ncol; c++)
			r->val[c] = PQgetisnull(res, i, c) ? NULL :
			    PQgetvalue(res, i, c);
		r->count++;
		if (r->row(r->arg, (size_t)ncol, r->val) != 0)
			r->stopped = true;
	}
	return 0;
}

/*
 * Every result of the statement is read, up to libpq's NULL, even after
 * the row function stopped or the server failed: the connection must be
 * free for the next statement.
 */
static long
pg_query(db *d, const char *sql, const char *const *param, size_t n,
    int (*row)(void *, size_t, const char *const *), void *arg, char *err,
    size_t errcap)
{
	struct pg *pg = d->impl;
	struct pg_rows r = { row, arg, NULL, 0, 0, false, false };
	struct pg_stream s = { NULL, 0, 0, 0, true, false };
	struct pg_stream *outer;
	struct pg_stmt *stmt;
	char *numbered;
	int nparam = 0, sent;
	PGresult *res;

	pg_drain(d);
	if (pg_revive(d, err, errcap) != 0 ||
	    pg_statement(d, sql, &stmt, &numbered, &nparam, err, errcap) != 0)
		return -1;
	if (n > PG_PARAM_MAX || (size_t)nparam != n) {
		(void)msg_fail(err, errcap, "%s: the statement takes %d "
		    "parameters, %zu given", d->name, nparam, n);
		free(numbered);
		return -1;
	}
	if (stmt != NULL)
		sent = PQsendQueryPrepared(pg->conn, stmt->name, nparam, param,
		    NULL, NULL, 0);
	else
		sent = PQsendQueryParams(pg->conn, numbered, nparam, NULL,
		    param, NULL, NULL, 0);
	free(numbered);
	if (!sent)
		return pg_fail(d, PQerrorMessage(pg->conn), err, errcap);
	(void)PQsetSingleRowMode(pg->conn);
	outer = pg->active;
	pg->active = &s;
	while ((res = pg_next(d, &s)) != NULL) {
		switch (PQresultStatus(res)) {
		case PGRES_SINGLE_TUPLE:
		case PGRES_TUPLES_OK:
			if (!r.stopped && !r.failed)
				(void)pg_deliver(d, res, &r, err, errcap);
			break;
		case PGRES_COMMAND_OK:
			r.count = strtol(PQcmdTuples(res), NULL, 10);
			break;
		case PGRES_EMPTY_QUERY:
			break;
		default:
			if (!r.stopped && !r.failed) {
				(void)pg_fail_result(d, res, err, errcap);
				r.failed = true;
			}
			break;
		}
		PQclear(res);
	}
	pg->active = outer;
	free(s.buf);
	free(r.val);
	if (s.lost && !r.stopped && !r.failed)
		return msg_fail(err, errcap, "%s: out of memory", d->name);
	return r.stopped || r.failed ? -1 : r.count;
}

/*
 * A write transaction holds the database's writer lock from its start, as
 * SQLite's BEGIN IMMEDIATE does: a transaction-level advisory lock, taken
 * within the lock timeout. The row lock ledger.c takes first would do for
 * transactions on an existing ledger, but not for the first ones on an
 * empty database: two processes creating the schema at once would both
 * find no table, and one would fail on the other's.
 */
static int
pg_begin(db *d, char *err, size_t errcap)
{
	static const char begin[] = "BEGIN ISOLATION LEVEL READ COMMITTED";

	pg_drain(d);
	if (pg_revive(d, err, errcap) != 0)
		return -1;
	if (d->in_tx || PQtransactionStatus(conn_of(d)) != PQTRANS_IDLE)
		return msg_fail(err, errcap, "%s: a transaction is already "
		    "open", d->name);
	/*
	 * A connection found closed only now, by BEGIN itself, which did
	 * nothing: once more, on a new one.
	 */
	if (pg_command(d, begin, err, errcap) != 0 &&
	    (PQstatus(conn_of(d)) == CONNECTION_OK ||
	    pg_command(d, begin, err, errcap) != 0))
		return -1;
	d->in_tx = true;
	if (pg_command(d, PG_WRITER_LOCK, err, errcap) != 0) {
		pg_rollback(d);
		return -1;
	}
	return 0;
}

/* The connection broke during COMMIT: DB_COMMIT_LOST, and libpq's why. */
static int
commit_lost(const db *d, char *err, size_t errcap)
{
	char why[300];
	const char *p = PQerrorMessage(conn_of(d));
	size_t i = 0;

	/* One line, spaces run together ("FATAL:  terminating ..."). */
	for (; *p != '\0' && *p != '\n' && i < sizeof why - 1U; p++) {
		char c = (unsigned char)*p < 0x20U ? ' ' : *p;

		if (c != ' ' || (i > 0 && why[i - 1U] != ' '))
			why[i++] = c;
	}
	while (i > 0 && why[i - 1U] == ' ')
		i--;
	why[i] = '\0';
	return msg_fail(err, errcap, "%s: " DB_COMMIT_LOST " (%s)", d->name,
	    i > 0 ? why : "no answer");
}

/*
 * COMMIT of a transaction in which a statement failed succeeds as far as
 * libpq is concerned and rolls back: its command tag says ROLLBACK. That
 * is a failure here, or a key whose record was lost would be printed.
 * A connection that breaks during the COMMIT (open when it was sent, lost
 * before its answer) leaves the outcome unknown: the server may have
 * committed. That is said (DB_COMMIT_LOST), never "not recorded".
 */
static int
pg_commit(db *d, char *err, size_t errcap)
{
	PGresult *res;
	bool open_before;
	int rc = 0;

	pg_drain(d);
	if (PQtransactionStatus(conn_of(d)) == PQTRANS_IDLE) {
		d->in_tx = false;
		return msg_fail(err, errcap, "%s: no transaction is open",
		    d->name);
	}
	open_before = PQstatus(conn_of(d)) == CONNECTION_OK;
	res = PQexec(conn_of(d), "COMMIT");
	if (PQresultStatus(res) != PGRES_COMMAND_OK && open_before &&
	    PQstatus(conn_of(d)) != CONNECTION_OK)
		rc = commit_lost(d, err, errcap);
	else if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = pg_fail_result(d, res, err, errcap);
	else if (strcmp(PQcmdStatus(res), "COMMIT") != 0)
		rc = msg_fail(err, errcap, "%s: the transaction was rolled "
		    "back: a statement in it had failed", d->name);
	PQclear(res);
	if (rc != 0)
		pg_rollback(d);
	d->in_tx = false;
	return rc;
}

static void
pg_rollback(db *d)
{
	PGTransactionStatusType st;

	pg_drain(d);
	st = PQtransactionStatus(conn_of(d));

	if (st == PQTRANS_INTRANS || st == PQTRANS_INERROR)
		PQclear(PQexec(conn_of(d), "ROLLBACK"));
	d->in_tx = false;
}

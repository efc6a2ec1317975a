/*
 * ledger.c - the issuance ledger as a database: opening it, its schema and
 * migrations, transactions, and the serial allocator
 *
 * One writer at a time: db_begin takes the database's writer lock (SQLite:
 * BEGIN IMMEDIATE locks the whole file; PostgreSQL: an advisory lock),
 * and a transaction then takes the allocator's row of `meta` (PostgreSQL:
 * SELECT ... FOR UPDATE), so two processes never hand out one serial, and
 * what one looks up in its transaction no other can change before it
 * commits. The allocator's cursor goes back into `meta` once, at commit.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "ledger_int.h"
#include "msg.h"
#include "num.h"

/*
 * The columns of a key, the same in both engines. Integers are BIGINT
 * (key ids and serials reach 4294967295), days are "YYYY-MM-DD" text,
 * NULL is "unlimited" for seats and "never" for an end.
 */
#define KEYS_COLUMNS \
	"recorded_at TEXT NOT NULL," \
	"key_id BIGINT NOT NULL," \
	"serial BIGINT NOT NULL," \
	"order_id TEXT," \
	"product BIGINT NOT NULL," \
	"edition BIGINT NOT NULL," \
	"seats BIGINT," \
	"starts TEXT NOT NULL," \
	"expires TEXT," \
	"maintenance TEXT," \
	"issued TEXT NOT NULL," \
	"features BIGINT NOT NULL," \
	"maintenance_features BIGINT NOT NULL," \
	"module_seats TEXT NOT NULL," \
	"licensee TEXT," \
	"host TEXT," \
	"trial BIGINT NOT NULL," \
	"grace_days BIGINT NOT NULL," \
	"notice_days BIGINT NOT NULL," \
	"version BIGINT NOT NULL," \
	"key_text TEXT NOT NULL," \
	"replaces_key_id BIGINT," \
	"replaces_serial BIGINT," \
	"UNIQUE (key_id, serial))"

#define SCHEMA_COMMON \
	"CREATE TABLE meta (" \
	"id BIGINT PRIMARY KEY CHECK (id = 1)," \
	"schema_version BIGINT NOT NULL," \
	"next_serial BIGINT NOT NULL);" \
	"INSERT INTO meta (id, schema_version, next_serial) VALUES (1, 0, 1);" \
	"CREATE INDEX keys_serial ON keys (serial);" \
	"CREATE INDEX keys_order ON keys (order_id);" \
	"CREATE INDEX keys_expires ON keys (expires);" \
	"CREATE INDEX keys_maintenance ON keys (maintenance);" \
	"CREATE INDEX keys_replaces ON keys (replaces_key_id, " \
	"replaces_serial);" \
	"CREATE TABLE lists (" \
	"sequence BIGINT PRIMARY KEY," \
	"key_id BIGINT NOT NULL," \
	"issued TEXT NOT NULL," \
	"recorded_at TEXT NOT NULL," \
	"count BIGINT NOT NULL," \
	"text TEXT NOT NULL);" \
	"CREATE TABLE revocations (" \
	"key_id BIGINT NOT NULL," \
	"serial BIGINT NOT NULL," \
	"sequence BIGINT NOT NULL REFERENCES lists (sequence)," \
	"PRIMARY KEY (key_id, serial));"

/*
 * Version 1. SQLite: the row id is the key's id, and the licensee's
 * substrings are found through an FTS5 trigram index that ledger_insert
 * fills with the keys it records, one statement for all of them.
 * PostgreSQL: an identity column, and a trigram index of pg_trgm.
 */
static const char schema1_sqlite[] =
	"CREATE TABLE keys (id INTEGER PRIMARY KEY," KEYS_COLUMNS ";"
	SCHEMA_COMMON
	"CREATE VIRTUAL TABLE keys_licensee USING fts5(licensee, "
	"content='keys', content_rowid='id', tokenize='trigram');";

static const char schema1_pg[] =
	"CREATE EXTENSION IF NOT EXISTS pg_trgm;"
	"CREATE TABLE keys (id BIGINT GENERATED ALWAYS AS IDENTITY "
	"PRIMARY KEY," KEYS_COLUMNS ";"
	SCHEMA_COMMON
	"CREATE INDEX keys_licensee ON keys USING gin "
	"(licensee gin_trgm_ops);";

/*
 * The migrations: migration[v] takes a schema of version v to v + 1
 * (version 0 is the empty database). A new version appends one, and
 * LEDGER_SCHEMA_VERSION grows by one.
 */
static const struct migration {
	const char *sqlite, *pg;
} migration[LEDGER_SCHEMA_VERSION] = {
	{ schema1_sqlite, schema1_pg },
};

static const char sql_tables_sqlite[] =
	"SELECT name FROM sqlite_master WHERE type = 'table'";
static const char sql_tables_pg[] =
	"SELECT table_name FROM information_schema.tables "
	"WHERE table_schema = current_schema()";
static const char sql_version[] = "SELECT schema_version FROM meta";
static const char sql_set_version[] =
	"UPDATE meta SET schema_version = CAST(? AS BIGINT) WHERE id = 1";
static const char sql_lock_sqlite[] =
	"SELECT next_serial FROM meta WHERE id = 1";
static const char sql_lock_pg[] =
	"SELECT next_serial FROM meta WHERE id = 1 FOR UPDATE";
static const char sql_set_next[] =
	"UPDATE meta SET next_serial = CAST(? AS BIGINT) WHERE id = 1";
static const char sql_taken[] =
	"SELECT 1 FROM keys WHERE serial = CAST(? AS BIGINT) LIMIT 1";
/* The first taken serial from ?: every one below it is free. */
static const char sql_next_taken[] =
	"SELECT MIN(serial) FROM keys WHERE serial >= CAST(? AS BIGINT)";
/* The end of the run of taken serials from ?: the first free one above. */
static const char sql_run_end[] =
	"SELECT k.serial + 1 FROM keys k WHERE k.serial >= CAST(? AS BIGINT) "
	"AND NOT EXISTS (SELECT 1 FROM keys n WHERE n.serial = k.serial + 1) "
	"ORDER BY k.serial LIMIT 1";

void
ledger_time_text(int64_t t, char out[LEDGER_TIME_CAP])
{
	char day[11];
	int64_t sod;

	if (t < 0)
		t = 0;
	if (t > LEDGER_TIME_MAX)
		t = LEDGER_TIME_MAX;
	sod = t % 86400;
	lkey_day_format(lkey_day_from_unix(t), day);
	(void)snprintf(out, LEDGER_TIME_CAP, "%.10sT%02d:%02d:%02dZ", day,
	    (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
}

/* Two decimal digits at s, at most max; -1 if they are not. */
static int
two_digits(const char *s, int max)
{
	int v;

	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	v = (s[0] - '0') * 10 + (s[1] - '0');
	return v <= max ? v : -1;
}

bool
ledger_time_parse(const char *s, int64_t *out)
{
	char day[11];
	lkey_day d;
	int h, m, sec;

	*out = 0;
	if (strlen(s) != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
	    s[19] != 'Z')
		return false;
	memcpy(day, s, 10);
	day[10] = '\0';
	h = two_digits(s + 11, 23);
	m = two_digits(s + 14, 59);
	sec = two_digits(s + 17, 59);
	if (!lkey_day_parse(day, &d) || h < 0 || m < 0 || sec < 0)
		return false;
	*out = (int64_t)d * 86400 + h * 3600 + m * 60 + sec;
	return true;
}

/* A one-column row into the uint64 *arg (NULL: left as it is). */
static int
row_u64(void *arg, size_t ncol, const char *const *val)
{
	uint64_t v;

	if (ncol < 1 || val[0] == NULL)
		return 0;
	if (num_text(val[0], 0, UINT64_MAX, &v) != NUM_OK)
		return 1;
	*(uint64_t *)arg = v;
	return 0;
}

/* Counts the tables and notices `meta` among them. */
struct tables {
	long n;
	bool meta;
};

static int
row_table(void *arg, size_t ncol, const char *const *val)
{
	struct tables *t = arg;

	t->n++;
	if (ncol >= 1 && val[0] != NULL && strcmp(val[0], "meta") == 0)
		t->meta = true;
	return 0;
}

/* The schema's version into *v: 0 for an empty database. */
static int
schema_version(ledger *l, uint64_t *v, char *err, size_t errcap)
{
	struct tables t = { 0, false };
	bool pg = db_kind(l->d) == DB_POSTGRESQL;

	*v = 0;
	if (db_query(l->d, pg ? sql_tables_pg : sql_tables_sqlite, NULL, 0,
	    row_table, &t, err, errcap) < 0)
		return -1;
	if (t.n == 0)
		return 0;
	if (!t.meta)
		return msg_fail(err, errcap, "%s: a database that is not an "
		    "lkey ledger (no table meta)", db_name(l->d));
	if (db_query(l->d, sql_version, NULL, 0, row_u64, v, err,
	    errcap) < 0)
		return msg_fail(err, errcap, "%s: the ledger's schema version "
		    "cannot be read", db_name(l->d));
	return 0;
}

/* Creates or migrates the schema, in one transaction, if it is older. */
static int
migrate(ledger *l, char *err, size_t errcap)
{
	char num[LEDGER_NUM_CAP];
	const char *p[1] = { num };
	uint64_t v;
	bool pg = db_kind(l->d) == DB_POSTGRESQL;

	if (schema_version(l, &v, err, errcap) != 0)
		return -1;
	if (v == LEDGER_SCHEMA_VERSION)
		return 0;
	if (v > LEDGER_SCHEMA_VERSION)
		goto newer;
	if (db_begin(l->d, err, errcap) != 0)
		return -1;
	/* Another process may have done it meanwhile. */
	if (schema_version(l, &v, err, errcap) != 0)
		goto fail;
	if (v > LEDGER_SCHEMA_VERSION) {
		db_rollback(l->d);
		goto newer;
	}
	for (; v < LEDGER_SCHEMA_VERSION; v++) {
		if (db_exec(l->d, pg ? migration[v].pg : migration[v].sqlite,
		    err, errcap) != 0)
			goto fail;
		(void)snprintf(num, sizeof num, "%" PRIu64, v + 1);
		if (db_query(l->d, sql_set_version, p, 1, NULL, NULL, err,
		    errcap) < 0)
			goto fail;
	}
	return db_commit(l->d, err, errcap);
fail:
	db_rollback(l->d);
	return -1;
newer:
	return msg_fail(err, errcap, "%s: the ledger's schema is version %"
	    PRIu64 ", newer than this lkey-keygen's (%d): use a newer "
	    "lkey-keygen", db_name(l->d), v, LEDGER_SCHEMA_VERSION);
}

/*
 * Whether the file at path is a JSON-lines ledger: its first byte other
 * than whitespace is '{'. A file that cannot be read is left to db_open.
 */
static bool
is_jsonl(const char *path)
{
	char buf[512];
	ssize_t got;
	ssize_t i;
	int fd;
	bool yes = false;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return false;
	while ((got = read(fd, buf, sizeof buf)) > 0) {
		for (i = 0; i < got; i++)
			if (buf[i] != ' ' && buf[i] != '\t' &&
			    buf[i] != '\n' && buf[i] != '\r')
				break;
		if (i < got) {
			yes = buf[i] == '{';
			break;
		}
	}
	(void)close(fd);
	return yes;
}

int
ledger_open(const char *where, bool create, ledger **out, char *err,
    size_t errcap)
{
	ledger *l;

	*out = NULL;
	if (!db_is_uri(where) && is_jsonl(where))
		return msg_fail(err, errcap, "%s is a JSON-lines ledger: "
		    "import it into a database with lkey-keygen ledger "
		    "import %s --pubkey VENDOR.pub --ledger NEW.sqlite", where,
		    where);
	if ((l = calloc(1, sizeof *l)) == NULL)
		return msg_fail(err, errcap, "%s: out of memory", where);
	if (db_open(where, create, &l->d, err, errcap) != 0) {
		free(l);
		return -1;
	}
	if (migrate(l, err, errcap) != 0) {
		ledger_close(l);
		return -1;
	}
	ledger_find_prepare(l);
	*out = l;
	return 0;
}

void
ledger_close(ledger *l)
{
	if (l == NULL)
		return;
	ledger_rollback(l);
	db_close(l->d);
	free(l);
}

const char *
ledger_name(const ledger *l)
{
	return db_name(l->d);
}

int
ledger_begin(ledger *l, char *err, size_t errcap)
{
	uint64_t next = 0;
	bool pg = db_kind(l->d) == DB_POSTGRESQL;

	if (l->in_tx)
		return msg_fail(err, errcap, "%s: a transaction is already "
		    "open", db_name(l->d));
	if (db_begin(l->d, err, errcap) != 0)
		return -1;
	if (db_query(l->d, pg ? sql_lock_pg : sql_lock_sqlite, NULL, 0,
	    row_u64, &next, err, errcap) != 1) {
		if (next == 0)
			(void)msg_fail(err, errcap, "%s: the ledger has no "
			    "serial allocator (table meta)", db_name(l->d));
		db_rollback(l->d);
		return -1;
	}
	l->in_tx = true;
	l->have_next = true;
	l->next = next >= 1 && next <= UINT32_MAX ? (uint32_t)next : 1U;
	l->first = l->next;
	l->wrapped = false;
	l->next_moved = false;
	l->have_free = false;
	return 0;
}

/*
 * The allocator's cursor is written once, at commit, not for every serial
 * it hands out: one statement per transaction instead of one per key (a
 * round trip each to a PostgreSQL server). Nobody else reads it meanwhile:
 * this transaction holds the ledger.
 */
int
ledger_commit(ledger *l, char *err, size_t errcap)
{
	char num[LEDGER_NUM_CAP];
	const char *p[1] = { num };

	if (!l->in_tx)
		return msg_fail(err, errcap, "%s: no transaction to commit",
		    db_name(l->d));
	if (l->next_moved) {
		(void)snprintf(num, sizeof num, "%" PRIu32, l->next);
		if (db_query(l->d, sql_set_next, p, 1, NULL, NULL, err,
		    errcap) < 0) {
			ledger_rollback(l);
			return -1;
		}
	}
	l->in_tx = false;
	l->have_next = false;
	l->have_free = false;
	return db_commit(l->d, err, errcap);
}

void
ledger_set_next(ledger *l, uint32_t next)
{
	l->next = next;
	l->next_moved = true;
	l->have_free = false;
}

void
ledger_rollback(ledger *l)
{
	if (!l->in_tx)
		return;
	l->in_tx = false;
	l->have_next = false;
	l->have_free = false;
	db_rollback(l->d);
}

int
ledger_serial_taken(ledger *l, uint32_t serial, bool *taken, char *err,
    size_t errcap)
{
	char num[LEDGER_NUM_CAP];
	const char *p[1] = { num };
	long n;

	*taken = false;
	(void)snprintf(num, sizeof num, "%" PRIu32, serial);
	if ((n = db_query(l->d, sql_taken, p, 1, NULL, NULL, err,
	    errcap)) < 0)
		return -1;
	*taken = n > 0;
	return 0;
}

/*
 * Moves the cursor on to `to` (4294967296 wraps to 1). Every serial from
 * l->first to the cursor, round the circle, was given or is taken: once
 * the cursor comes round to l->first again, none is free.
 */
static bool
advance(ledger *l, uint64_t to)
{
	if (to > UINT32_MAX) {
		if (l->wrapped)
			return false;
		l->wrapped = true;
		to = 1;
	}
	if (l->wrapped && to >= l->first)
		return false;
	l->next = (uint32_t)to;
	return true;
}

int
ledger_next_serial(ledger *l, uint32_t *serial, char *err, size_t errcap)
{
	char num[LEDGER_NUM_CAP];
	const char *p[1] = { num };
	uint64_t end;

	*serial = 0;
	if (!l->in_tx || !l->have_next)
		return msg_fail(err, errcap, "%s: serials are allocated in a "
		    "transaction", db_name(l->d));
	for (;;) {
		if (l->wrapped && l->next >= l->first)
			goto none;
		if (l->have_free && l->next < l->free_end)
			break;
		/* Free up to the first taken one, if that is not next. */
		(void)snprintf(num, sizeof num, "%" PRIu32, l->next);
		end = (uint64_t)UINT32_MAX + 1U;
		if (db_query(l->d, sql_next_taken, p, 1, row_u64, &end, err,
		    errcap) < 0)
			return -1;
		l->have_free = end > l->next;
		l->free_end = end;
		if (l->have_free)
			break;
		/* Skip the whole run of taken serials at once. */
		(void)snprintf(num, sizeof num, "%" PRIu32, l->next);
		end = 0;
		if (db_query(l->d, sql_run_end, p, 1, row_u64, &end, err,
		    errcap) < 0)
			return -1;
		if (end <= l->next || !advance(l, end))
			goto none;
	}
	*serial = l->next;
	if (!advance(l, (uint64_t)l->next + 1U)) {
		/* The last free one: the next call finds none. */
		l->next = l->first;
		l->wrapped = true;
	}
	if (l->wrapped)
		l->have_free = false;	/* free_end was above, not below */
	l->next_moved = true;
	return 0;
none:
	return msg_fail(err, errcap, "%s: no serials left: every serial from "
	    "1 to 4294967295 is recorded", db_name(l->d));
}

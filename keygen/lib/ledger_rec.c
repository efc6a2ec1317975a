/*
 * ledger_rec.c - a key's record in the ledger: its checks, its columns as
 * text both ways, and ledger_insert
 *
 * Every term is a column of its own, in the form people read (days as
 * "YYYY-MM-DD", NULL for "never" and "unlimited"), so that the ledger can
 * be queried with plain SQL and a key reissued with exactly its terms.
 * Every text is checked as UTF-8 without a NUL byte, so that every reader
 * of the ledger takes it the same way.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "codec.h"
#include "ledger_int.h"
#include "msg.h"
#include "num.h"
#include "utf8.h"

/*
 * On PostgreSQL the keys of ledger_insert go in with a statement of 16
 * rows while 16 or more are left, then one row at a time: two shapes of
 * bounded size, each prepared once, and one round trip to the server for
 * 16 keys. SQLite, in the process, has no round trips to save (and takes
 * at most 64 parameters a statement, db_sqlite.c): one row at a time.
 */
#define INSERT_GROUP 16U
#define ROW1 "(?, CAST(? AS BIGINT), CAST(? AS BIGINT), ?, " \
	"CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), ?, ?, ?, " \
	"?, CAST(? AS BIGINT), CAST(? AS BIGINT), ?, ?, ?, " \
	"CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), " \
	"CAST(? AS BIGINT), ?, CAST(? AS BIGINT), CAST(? AS BIGINT))"
#define ROW2 ROW1 ", " ROW1
#define ROW4 ROW2 ", " ROW2
#define ROW8 ROW4 ", " ROW4
#define ROW16 ROW8 ", " ROW8
static const char sql_insert[] =
	"INSERT INTO keys (" LEDGER_KEY_COLUMNS ") VALUES " ROW1;
static const char sql_insert_group[] =
	"INSERT INTO keys (" LEDGER_KEY_COLUMNS ") VALUES " ROW16;
static const char sql_one[] =
	"SELECT " LEDGER_KEY_COLUMNS " FROM keys "
	"WHERE key_id = CAST(? AS BIGINT) AND serial = CAST(? AS BIGINT)";
/*
 * SQLite: the licensee index (an FTS5 table over keys) takes the keys a
 * call recorded, the rows after the last before it, in one statement. A
 * trigger, one insert into the index per key, cost some 50 us a key, as
 * much as signing it; one statement for 256 keys costs a few us a key.
 */
static const char sql_last_id[] = "SELECT coalesce(max(id), 0) FROM keys";
static const char sql_index_licensees[] =
	"INSERT INTO keys_licensee (rowid, licensee) SELECT id, licensee "
	"FROM keys WHERE id > CAST(? AS BIGINT) AND licensee IS NOT NULL";
static const char sql_savepoint[] = "SAVEPOINT ledger_insert";
static const char sql_release[] = "RELEASE SAVEPOINT ledger_insert";
static const char sql_undo[] = "ROLLBACK TO SAVEPOINT ledger_insert";

void
ledger_module_text(const lkey_license *lic, char out[LEDGER_MODULES_CAP])
{
	size_t len = 0;
	uint32_t bit;
	int n;

	out[0] = '\0';
	for (bit = 0; bit < LKEY_FEATURES_MAX; bit++) {
		if (lic->module_seats[bit] == 0)
			continue;
		n = snprintf(out + len, LEDGER_MODULES_CAP - len, "%s%" PRIu32
		    "=%" PRIu32, len > 0 ? "," : "", bit,
		    lic->module_seats[bit]);
		if (n > 0)
			len += (size_t)n;
	}
}

_Static_assert(LKEY_FEATURES_MAX * sizeof(",31=4294967295") <
    LEDGER_MODULES_CAP, "module seats fit");

bool
ledger_module_parse(const char *s, size_t len, lkey_license *lic)
{
	size_t i = 0, j, k;
	uint64_t bit, seats;
	uint32_t prev = 0;
	bool any = false;

	memset(lic->module_seats, 0, sizeof lic->module_seats);
	while (i < len) {
		for (j = i; j < len && s[j] != '='; j++)
			;
		for (k = j; k < len && s[k] != ','; k++)
			;
		if (j >= len || num_parse(s + i, j - i, 0,
		    LKEY_FEATURES_MAX - 1U, &bit) != NUM_OK ||
		    num_parse(s + j + 1, k - j - 1, 1, LKEY_SEATS_MAX,
		    &seats) != NUM_OK || (any && bit <= prev))
			return false;
		lic->module_seats[bit] = (uint32_t)seats;
		prev = (uint32_t)bit;
		any = true;
		if (k == len)
			break;
		i = k + 1;
		if (i == len)
			return false;	/* a trailing ',' */
	}
	return true;
}

/* Whether s is UTF-8 text without a control character (order ids). */
static bool
plain_text(const char *s)
{
	size_t i, len = strlen(s);

	if (!utf8_valid((const unsigned char *)s, len))
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

int
ledger_rec_refused(const ledger_rec *r, char *err, size_t errcap)
{
	const lkey_license *lic = &r->lic;
	char id[9];

	(void)snprintf(id, sizeof id, "%08" PRIx32, lic->key_id);
	if (r->key == NULL || r->key[0] == '\0')
		return msg_fail(err, errcap, "key %s serial %" PRIu32 ": no "
		    "key text", id, lic->serial);
	if (!plain_text(r->key))
		return msg_fail(err, errcap, "key %s serial %" PRIu32 ": the "
		    "key text is not printable text", id, lic->serial);
	if (r->time < 0 || r->time > LEDGER_TIME_MAX)
		return msg_fail(err, errcap, "key %s serial %" PRIu32 ": time %"
		    PRId64 " is not between 1970 and 9999", id, lic->serial,
		    r->time);
	if (r->order != NULL && strlen(r->order) > LEDGER_ORDER_MAX)
		return msg_fail(err, errcap, "key %s serial %" PRIu32 ": the "
		    "order id is longer than %u bytes", id, lic->serial,
		    LEDGER_ORDER_MAX);
	if (r->order != NULL && !plain_text(r->order))
		return msg_fail(err, errcap, "key %s serial %" PRIu32 ": the "
		    "order id is not UTF-8 text without control characters",
		    id, lic->serial);
	if (lic->licensee_len > LKEY_LICENSEE_MAX ||
	    strlen(lic->licensee) != lic->licensee_len)
		return msg_fail(err, errcap, "key %s serial %" PRIu32 ": the "
		    "licensee is longer than %u bytes or holds a NUL byte", id,
		    lic->serial, LKEY_LICENSEE_MAX);
	if (!utf8_valid((const unsigned char *)lic->licensee,
	    lic->licensee_len))
		return msg_fail(err, errcap, "key %s serial %" PRIu32 ": the "
		    "licensee is not UTF-8 text", id, lic->serial);
	if (lic->starts > LKEY_DAY_MAX || lic->issued > LKEY_DAY_MAX ||
	    (lic->expires > LKEY_DAY_MAX && lic->expires != LKEY_NEVER) ||
	    (lic->maintenance > LKEY_DAY_MAX &&
	    lic->maintenance != LKEY_NEVER))
		return msg_fail(err, errcap, "key %s serial %" PRIu32 ": a day "
		    "after %u", id, lic->serial, LKEY_DAY_MAX);
	return 0;
}

/* The decimal text of v into t's next number. */
static const char *
num(struct ledger_rec_text *t, size_t *k, uint64_t v)
{
	char *out = t->num[(*k)++];

	(void)snprintf(out, LEDGER_NUM_CAP, "%" PRIu64, v);
	return out;
}

/* A day, NULL for "never". */
static const char *
day(struct ledger_rec_text *t, size_t *k, lkey_day d)
{
	char *out = t->day[(*k)++];

	if (d == LKEY_NEVER)
		return NULL;
	lkey_day_format(d, out);
	return out;
}

/*
 * The format version the key carries: its first byte, when its text begins
 * as base64 does. The commands hand in the terms they gave lkey_issue,
 * which sets the version only in the key; so a record and the same key
 * read back from an export (ledger_line.c takes the version from the key)
 * are the same record.
 */
static uint32_t
key_version(const ledger_rec *r)
{
	uint8_t b[3];
	size_t n = 0;

	if (r->key != NULL && strlen(r->key) >= 4 &&
	    lkey__b64_decode(r->key, 4, b, sizeof b, &n, NULL) == LKEY_OK &&
	    n >= 1)
		return b[0];
	return r->lic.version;
}

void
ledger_rec_text_of(const ledger_rec *r, struct ledger_rec_text *t)
{
	const lkey_license *lic = &r->lic;
	size_t n = 0, d = 0, c = 0;

	ledger_time_text(r->time, t->time);
	ledger_module_text(lic, t->modules);
	cli_host_format(lic->host, t->host);
	t->p[c++] = t->time;
	t->p[c++] = num(t, &n, lic->key_id);
	t->p[c++] = num(t, &n, lic->serial);
	t->p[c++] = r->order;
	t->p[c++] = num(t, &n, lic->product);
	t->p[c++] = num(t, &n, lic->edition);
	t->p[c++] = lic->seats == LKEY_SEATS_UNLIMITED ? NULL :
	    num(t, &n, lic->seats);
	t->p[c++] = day(t, &d, lic->starts);
	t->p[c++] = day(t, &d, lic->expires);
	t->p[c++] = day(t, &d, lic->maintenance);
	t->p[c++] = day(t, &d, lic->issued);
	t->p[c++] = num(t, &n, lic->features);
	t->p[c++] = num(t, &n, lic->maintenance_features);
	t->p[c++] = t->modules;
	t->p[c++] = lic->licensee_len > 0 ? lic->licensee : NULL;
	t->p[c++] = lic->host_bound ? t->host : NULL;
	t->p[c++] = num(t, &n, lic->trial ? 1U : 0U);
	t->p[c++] = num(t, &n, lic->grace_days);
	t->p[c++] = num(t, &n, lic->notice_days);
	t->p[c++] = num(t, &n, key_version(r));
	t->p[c++] = r->key;
	t->p[c++] = r->replaces ? num(t, &n, r->replaces_key_id) : NULL;
	t->p[c++] = r->replaces ? num(t, &n, r->replaces_serial) : NULL;
}

/* An integer column from min to max (NULL refused). */
static bool
col_num(const char *s, uint64_t min, uint64_t max, uint32_t *out)
{
	uint64_t v;

	if (s == NULL || num_text(s, min, max, &v) != NUM_OK)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* A day column; NULL is "never" where never_ok. */
static bool
col_day(const char *s, bool never_ok, lkey_day *out)
{
	if (s == NULL) {
		*out = LKEY_NEVER;
		return never_ok;
	}
	return lkey_day_parse(s, out) && *out <= LKEY_DAY_MAX;
}

bool
ledger_rec_from_row(const char *const *v, ledger_rec *r)
{
	lkey_license *lic = &r->lic;
	uint32_t trial, version;
	size_t len;

	memset(lic, 0, sizeof *lic);
	r->order = v[3];
	r->key = v[20];
	if (v[0] == NULL || !ledger_time_parse(v[0], &r->time) ||
	    !col_num(v[1], 0, UINT32_MAX, &lic->key_id) ||
	    !col_num(v[2], 0, UINT32_MAX, &lic->serial) ||
	    !col_num(v[4], 0, UINT32_MAX, &lic->product) ||
	    !col_num(v[5], 0, UINT32_MAX, &lic->edition) ||
	    !col_day(v[7], false, &lic->starts) ||
	    !col_day(v[8], true, &lic->expires) ||
	    !col_day(v[9], true, &lic->maintenance) ||
	    !col_day(v[10], false, &lic->issued) ||
	    !col_num(v[11], 0, UINT32_MAX, &lic->features) ||
	    !col_num(v[12], 0, UINT32_MAX, &lic->maintenance_features) ||
	    v[13] == NULL || !ledger_module_parse(v[13], strlen(v[13]), lic) ||
	    !col_num(v[16], 0, 1, &trial) ||
	    !col_num(v[17], 0, UINT32_MAX, &lic->grace_days) ||
	    !col_num(v[18], 0, UINT32_MAX, &lic->notice_days) ||
	    !col_num(v[19], 0, UINT8_MAX, &version) || r->key == NULL)
		return false;
	lic->trial = trial == 1;
	lic->version = (uint8_t)version;
	if (v[6] == NULL)
		lic->seats = LKEY_SEATS_UNLIMITED;
	else if (!col_num(v[6], 0, UINT32_MAX - 1U, &lic->seats))
		return false;
	if (v[14] != NULL) {
		if ((len = strlen(v[14])) > LKEY_LICENSEE_MAX)
			return false;
		memcpy(lic->licensee, v[14], len + 1);
		lic->licensee_len = len;
	}
	if (v[15] != NULL) {
		if (cli_host_parse_exact(v[15], lic->host) != 0)
			return false;
		lic->host_bound = true;
	}
	r->replaces = v[21] != NULL;
	r->replaces_key_id = r->replaces_serial = 0;
	if (r->replaces && (!col_num(v[21], 0, UINT32_MAX,
	    &r->replaces_key_id) || !col_num(v[22], 0, UINT32_MAX,
	    &r->replaces_serial)))
		return false;
	return true;
}

/* The row ledger_rec_compare found, compared with its record's text. */
struct compare {
	const struct ledger_rec_text *t;
	bool found, same;
};

static int
row_compare(void *arg, size_t ncol, const char *const *val)
{
	struct compare *c = arg;
	size_t i;

	c->found = true;
	c->same = ncol == LEDGER_KEY_NCOL;
	for (i = 0; c->same && i < LEDGER_KEY_NCOL; i++)
		if ((val[i] == NULL) != (c->t->p[i] == NULL) ||
		    (val[i] != NULL && strcmp(val[i], c->t->p[i]) != 0))
			c->same = false;
	return 0;
}

int
ledger_rec_compare(ledger *l, const ledger_rec *r, bool *found, bool *same,
    char *err, size_t errcap)
{
	struct ledger_rec_text t;
	struct compare c;
	const char *p[2];

	*found = *same = false;
	ledger_rec_text_of(r, &t);
	c.t = &t;
	c.found = c.same = false;
	p[0] = t.p[1];
	p[1] = t.p[2];
	if (db_query(l->d, sql_one, p, 2, row_compare, &c, err, errcap) < 0)
		return -1;
	*found = c.found;
	*same = c.same;
	return 0;
}

/* Why the keys of r could not be recorded: one of them appears twice, or
 * the ledger holds it already; false if neither (another failure). */
static bool
insert_clash(ledger *l, const ledger_rec *r, size_t n, char *err,
    size_t errcap)
{
	bool found, same;
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (r[i].lic.key_id == r[j].lic.key_id &&
			    r[i].lic.serial == r[j].lic.serial) {
				(void)msg_fail(err, errcap, "%s: key %08" PRIx32
				    " serial %" PRIu32 " appears twice among "
				    "the keys to record", ledger_name(l),
				    r[i].lic.key_id, r[i].lic.serial);
				return true;
			}
	for (i = 0; i < n; i++) {
		if (ledger_rec_compare(l, &r[i], &found, &same, NULL,
		    0) != 0)
			return false;
		if (found) {
			(void)msg_fail(err, errcap, "%s: key %08" PRIx32
			    " serial %" PRIu32 " is already recorded",
			    ledger_name(l), r[i].lic.key_id, r[i].lic.serial);
			return true;
		}
	}
	return false;
}

/* The one column of a row, a number, into arg (LEDGER_NUM_CAP bytes). */
static int
row_text(void *arg, size_t ncol, const char *const *val)
{
	char *out = arg;

	if (ncol != 1 || val[0] == NULL || strlen(val[0]) >= LEDGER_NUM_CAP)
		return -1;
	memcpy(out, val[0], strlen(val[0]) + 1);
	return 0;
}

/*
 * A unique (key id, serial) is the database's to enforce: the keys go in
 * without being looked up first, and only when the database refuses them
 * does ledger_insert look for the one to name.
 */
int
ledger_insert(ledger *l, const ledger_rec *r, size_t n, char *err,
    size_t errcap)
{
	struct ledger_rec_text t[INSERT_GROUP];
	const char *p[INSERT_GROUP * LEDGER_KEY_NCOL];
	char last[LEDGER_NUM_CAP] = "0";
	const char *lastp[1] = { last };
	bool sqlite = db_kind(l->d) == DB_SQLITE;
	size_t i, k, g;
	uint32_t s;

	if (!l->in_tx)
		return msg_fail(err, errcap, "%s: keys are recorded in a "
		    "transaction", ledger_name(l));
	for (i = 0; i < n; i++)
		if (ledger_rec_refused(&r[i], err, errcap) != 0)
			return -1;
	if (db_query(l->d, sql_savepoint, NULL, 0, NULL, NULL, err,
	    errcap) < 0)
		return -1;
	if (sqlite && db_query(l->d, sql_last_id, NULL, 0, row_text, last,
	    err, errcap) < 0)
		goto undo;
	for (i = 0; i < n; i += g) {
		g = n - i >= INSERT_GROUP && db_kind(l->d) == DB_POSTGRESQL ?
		    INSERT_GROUP : 1U;
		for (k = 0; k < g; k++) {
			ledger_rec_text_of(&r[i + k], &t[k]);
			memcpy(&p[k * LEDGER_KEY_NCOL], t[k].p,
			    sizeof t[k].p);
		}
		if (db_query(l->d, g > 1 ? sql_insert_group : sql_insert, p,
		    g * LEDGER_KEY_NCOL, NULL, NULL, err, errcap) !=
		    (long)g)
			goto undo;
	}
	if (sqlite && db_query(l->d, sql_index_licensees, lastp, 1, NULL,
	    NULL, err, errcap) < 0)
		goto undo;
	if (db_query(l->d, sql_release, NULL, 0, NULL, NULL, err,
	    errcap) < 0)
		goto undo;
	/* Serials the allocator took for free are free no more. */
	for (i = 0; i < n; i++) {
		s = r[i].lic.serial;
		if (l->have_free && s >= l->next && s < l->free_end)
			l->free_end = s;
	}
	return 0;
undo:
	(void)db_query(l->d, sql_undo, NULL, 0, NULL, NULL, NULL, 0);
	(void)db_query(l->d, sql_release, NULL, 0, NULL, NULL, NULL, 0);
	(void)insert_clash(l, r, n, err, errcap);
	return -1;
}

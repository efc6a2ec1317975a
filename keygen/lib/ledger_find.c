/*
 * ledger_find.c - looking keys up in the ledger: ledger_find
 *
 * One statement per shape of query, each built on the index of one lookup
 * (the order id, the serial, the key id, the licensee's trigrams, the end
 * days, the revocations) with every other member of the query as a
 * condition that a NULL parameter switches off. So each lookup is one
 * index search however many keys the ledger holds (docs/LEDGER.md).
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ledger_int.h"
#include "msg.h"

/* Parameters of a lookup, at most: the primary's and the filters'. */
#define FIND_PARAMS 24U
/* A licensee's LIKE pattern or FTS5 phrase: every byte doubled, and more. */
#define PATTERN_CAP (4U * LKEY_LICENSEE_MAX + 8U)

static const char *const primary_sqlite[SHAPE_COUNT] = {
	[SHAPE_ORDER] = "k.order_id = ?",
	[SHAPE_SERIAL] = "k.serial = CAST(? AS BIGINT)",
	[SHAPE_KEY_ID] = "k.key_id = CAST(? AS BIGINT)",
	[SHAPE_LICENSEE_INDEX] = "k.id IN (SELECT rowid FROM keys_licensee "
	    "WHERE keys_licensee MATCH ?)",
	[SHAPE_ENDS] = "(k.expires BETWEEN ? AND ? OR "
	    "k.maintenance BETWEEN ? AND ?)",
	[SHAPE_REVOKED] = "k.id IN (SELECT v.id FROM revocations w "
	    "JOIN keys v ON v.key_id = w.key_id AND v.serial = w.serial)",
	[SHAPE_ALL] = "1 = 1",
};

/* The same lookups on PostgreSQL, where ILIKE uses the trigram index. */
static const char *const primary_pg[SHAPE_COUNT] = {
	[SHAPE_ORDER] = "k.order_id = ?",
	[SHAPE_SERIAL] = "k.serial = CAST(? AS BIGINT)",
	[SHAPE_KEY_ID] = "k.key_id = CAST(? AS BIGINT)",
	[SHAPE_LICENSEE_INDEX] = "k.licensee ILIKE ? ESCAPE '\\'",
	[SHAPE_ENDS] = "(k.expires BETWEEN ? AND ? OR "
	    "k.maintenance BETWEEN ? AND ?)",
	[SHAPE_REVOKED] = "k.id IN (SELECT v.id FROM revocations w "
	    "JOIN keys v ON v.key_id = w.key_id AND v.serial = w.serial)",
	[SHAPE_ALL] = "1 = 1",
};

/* The parameters of each primary lookup. */
static const unsigned primary_params[SHAPE_COUNT] = {
	[SHAPE_ORDER] = 1, [SHAPE_SERIAL] = 1, [SHAPE_KEY_ID] = 1,
	[SHAPE_LICENSEE_INDEX] = 1, [SHAPE_ENDS] = 4, [SHAPE_REVOKED] = 0,
	[SHAPE_ALL] = 0,
};

#define REPLACED "EXISTS (SELECT 1 FROM keys n WHERE n.replaces_key_id = " \
	"k.key_id AND n.replaces_serial = k.serial)"

/* Every member of a query, each off when its first parameter is NULL. */
#define FILTERS(LIKE) \
	" AND (CAST(? AS TEXT) IS NULL OR k.order_id = ?)" \
	" AND (CAST(? AS BIGINT) IS NULL OR k.serial = CAST(? AS BIGINT))" \
	" AND (CAST(? AS BIGINT) IS NULL OR k.key_id = CAST(? AS BIGINT))" \
	" AND (CAST(? AS TEXT) IS NULL OR k.licensee " LIKE " ? ESCAPE '\\')" \
	" AND (CAST(? AS TEXT) IS NULL OR k.expires BETWEEN ? AND ? OR " \
	"k.maintenance BETWEEN ? AND ?)" \
	" AND (CAST(? AS TEXT) IS NULL OR r.sequence IS NOT NULL)" \
	" AND (CAST(? AS TEXT) IS NULL OR (r.sequence IS NULL AND NOT " \
	REPLACED "))"
#define FILTER_PARAMS 15U

void
ledger_find_prepare(ledger *l)
{
	bool pg = db_kind(l->d) == DB_POSTGRESQL;
	char cols[1024];
	const char *p, *q;
	size_t len = 0;
	int s;

	/* LEDGER_KEY_COLUMNS, each as k.NAME */
	for (p = LEDGER_KEY_COLUMNS; *p != '\0'; p = *q != '\0' ? q + 2 : q) {
		if ((q = strchr(p, ',')) == NULL)
			q = p + strlen(p);
		len += (size_t)snprintf(cols + len, sizeof cols - len,
		    ", k.%.*s", (int)(q - p), p);
	}
	for (s = 0; s < SHAPE_COUNT; s++)
		(void)snprintf(l->find_sql[s], LEDGER_FIND_SQL_CAP,
		    "SELECT k.id%s, r.sequence, CASE WHEN " REPLACED
		    " THEN 1 ELSE 0 END FROM keys k LEFT JOIN revocations r "
		    "ON r.key_id = k.key_id AND r.serial = k.serial WHERE %s%s "
		    "ORDER BY k.id", cols, pg ? primary_pg[s] :
		    primary_sqlite[s], pg ? FILTERS("ILIKE") : FILTERS("LIKE"));
}

/* Characters of UTF-8 text (bytes that begin one). */
static size_t
characters(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* %s% for LIKE, with '%', '_' and '\' taken literally. */
static void
like_pattern(const char *s, char out[PATTERN_CAP])
{
	size_t n = 0;

	out[n++] = '%';
	for (; *s != '\0' && n + 4 < PATTERN_CAP; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			out[n++] = '\\';
		out[n++] = *s;
	}
	out[n++] = '%';
	out[n] = '\0';
}

/* "s" as one FTS5 phrase, its '"' doubled. */
static void
fts_phrase(const char *s, char out[PATTERN_CAP])
{
	size_t n = 0;

	out[n++] = '"';
	for (; *s != '\0' && n + 4 < PATTERN_CAP; s++) {
		if (*s == '"')
			out[n++] = '"';
		out[n++] = *s;
	}
	out[n++] = '"';
	out[n] = '\0';
}

struct deliver {
	int (*fn)(void *, const ledger_rec *);
	void *arg;
	bool bad;		/* a row the ledger does not write */
};

static int
row_rec(void *arg, size_t ncol, const char *const *val)
{
	struct deliver *d = arg;
	ledger_rec r;
	uint64_t seq = 0;

	memset(&r, 0, sizeof r);
	if (ncol != LEDGER_KEY_NCOL + 3U || val[0] == NULL ||
	    sscanf(val[0], "%" SCNd64, &r.id) != 1 ||
	    !ledger_rec_from_row(val + 1, &r) ||
	    (val[ncol - 2] != NULL &&
	    sscanf(val[ncol - 2], "%" SCNu64, &seq) != 1)) {
		d->bad = true;
		return 1;
	}
	r.revoked = val[ncol - 2] != NULL;
	r.revoked_sequence = (uint32_t)seq;
	r.replaced = val[ncol - 1] != NULL && strcmp(val[ncol - 1], "1") == 0;
	return d->fn != NULL ? d->fn(d->arg, &r) : 0;
}

long
ledger_find(ledger *l, const ledger_query *q,
    int (*fn)(void *arg, const ledger_rec *r), void *arg, char *err,
    size_t errcap)
{
	const char *p[FIND_PARAMS];
	char serial[LEDGER_NUM_CAP], key_id[LEDGER_NUM_CAP];
	char like[PATTERN_CAP], phrase[PATTERN_CAP], after[11], before[11];
	struct deliver d = { fn, arg, false };
	enum ledger_shape shape;
	size_t n = 0, k;
	long got;

	(void)snprintf(serial, sizeof serial, "%" PRIu32, q->serial);
	(void)snprintf(key_id, sizeof key_id, "%" PRIu32, q->key_id);
	if (q->licensee != NULL) {
		if (strlen(q->licensee) > LKEY_LICENSEE_MAX)
			return 0;	/* no licensee is as long */
		like_pattern(q->licensee, like);
		fts_phrase(q->licensee, phrase);
	}
	if (q->has_ends) {
		lkey_day_format(q->ends_after, after);
		lkey_day_format(q->ends_before, before);
	}
	if (q->order != NULL)
		shape = SHAPE_ORDER;
	else if (q->has_serial)
		shape = SHAPE_SERIAL;
	else if (q->licensee != NULL && characters(q->licensee) >= 3)
		shape = SHAPE_LICENSEE_INDEX;
	else if (q->has_ends)
		shape = SHAPE_ENDS;
	else if (q->revoked)
		shape = SHAPE_REVOKED;
	else if (q->has_key_id)
		shape = SHAPE_KEY_ID;
	else
		shape = SHAPE_ALL;
	switch (shape) {
	case SHAPE_ORDER:
		p[n++] = q->order;
		break;
	case SHAPE_SERIAL:
		p[n++] = serial;
		break;
	case SHAPE_KEY_ID:
		p[n++] = key_id;
		break;
	case SHAPE_LICENSEE_INDEX:
		p[n++] = db_kind(l->d) == DB_POSTGRESQL ? like : phrase;
		break;
	case SHAPE_ENDS:
		p[n++] = after;
		p[n++] = before;
		p[n++] = after;
		p[n++] = before;
		break;
	default:
		break;
	}
	if (n != primary_params[shape])
		return msg_fail(err, errcap, "%s: a lookup with the wrong "
		    "parameters", ledger_name(l));
	for (k = 0; k < 2; k++)
		p[n++] = q->order;
	for (k = 0; k < 2; k++)
		p[n++] = q->has_serial ? serial : NULL;
	for (k = 0; k < 2; k++)
		p[n++] = q->has_key_id ? key_id : NULL;
	for (k = 0; k < 2; k++)
		p[n++] = q->licensee != NULL ? like : NULL;
	p[n++] = q->has_ends ? after : NULL;
	for (k = 0; k < 2; k++) {
		p[n++] = q->has_ends ? after : NULL;
		p[n++] = q->has_ends ? before : NULL;
	}
	p[n++] = q->revoked ? "1" : NULL;
	p[n++] = q->current ? "1" : NULL;
	got = db_query(l->d, l->find_sql[shape], p, n, row_rec, &d, err,
	    errcap);
	if (got < 0 && d.bad)
		return msg_fail(err, errcap, "%s: a key's row is not one this "
		    "lkey-keygen writes", ledger_name(l));
	return got;
}

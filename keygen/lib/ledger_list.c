/*
 * ledger_list.c - the revocation lists the ledger records: every list
 * signed, with its text, and every licence revoked with the first list
 * that revoked it
 *
 * A list's sequence must grow: a verifier that has seen list 4 ignores
 * list 3, so a list at or below the last one recorded is refused here,
 * before anyone can publish it.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ledger_int.h"
#include "msg.h"
#include "num.h"

static const char sql_last[] = "SELECT MAX(sequence) FROM lists";
static const char sql_revocations[] =
	"SELECT r.key_id, r.serial, r.sequence, l.recorded_at, "
	"CASE WHEN EXISTS (SELECT 1 FROM keys k WHERE k.key_id = r.key_id "
	"AND k.serial = r.serial) THEN 1 ELSE 0 END "
	"FROM revocations r JOIN lists l ON l.sequence = r.sequence "
	"ORDER BY r.key_id, r.serial";
static const char sql_add_list[] =
	"INSERT INTO lists (sequence, key_id, issued, recorded_at, count, "
	"text) VALUES (CAST(? AS BIGINT), CAST(? AS BIGINT), ?, ?, "
	"CAST(? AS BIGINT), ?)";
static const char sql_add_revoked[] =
	"INSERT INTO revocations (key_id, serial, sequence) VALUES "
	"(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT)) "
	"ON CONFLICT (key_id, serial) DO NOTHING";
static const char sql_list_text[] =
	"SELECT key_id, text FROM lists WHERE sequence = CAST(? AS BIGINT)";

/* One number of a row, from 0 to max. */
static bool
col(const char *s, uint64_t max, uint32_t *out)
{
	uint64_t v;

	if (s == NULL || num_text(s, 0, max, &v) != NUM_OK)
		return false;
	*out = (uint32_t)v;
	return true;
}

static int
row_last(void *arg, size_t ncol, const char *const *val)
{
	if (ncol < 1 || val[0] == NULL)
		return 0;
	return col(val[0], UINT32_MAX, arg) ? 0 : 1;
}

int
ledger_last_list(ledger *l, uint32_t *sequence, char *err, size_t errcap)
{
	*sequence = 0;
	if (db_query(l->d, sql_last, NULL, 0, row_last, sequence, err,
	    errcap) < 0)
		return msg_fail(err, errcap, "%s: the last revocation list "
		    "cannot be read", ledger_name(l));
	return 0;
}

struct each_revoked {
	int (*fn)(void *, const ledger_revocation *);
	void *arg;
	bool bad;
};

static int
row_revoked(void *arg, size_t ncol, const char *const *val)
{
	struct each_revoked *e = arg;
	ledger_revocation r;
	uint32_t issued;

	memset(&r, 0, sizeof r);
	if (ncol != 5 || !col(val[0], UINT32_MAX, &r.key_id) ||
	    !col(val[1], UINT32_MAX, &r.serial) ||
	    !col(val[2], UINT32_MAX, &r.sequence) || val[3] == NULL ||
	    !ledger_time_parse(val[3], &r.time) || !col(val[4], 1, &issued)) {
		e->bad = true;
		return 1;
	}
	r.issued = issued == 1;
	return e->fn != NULL ? e->fn(e->arg, &r) : 0;
}

long
ledger_revocations(ledger *l,
    int (*fn)(void *arg, const ledger_revocation *r), void *arg, char *err,
    size_t errcap)
{
	struct each_revoked e = { fn, arg, false };
	long n;

	n = db_query(l->d, sql_revocations, NULL, 0, row_revoked, &e, err,
	    errcap);
	if (n < 0 && e.bad)
		return msg_fail(err, errcap, "%s: a revocation's row is not "
		    "one this lkey-keygen writes", ledger_name(l));
	return n;
}

int
ledger_record_list(ledger *l, uint32_t sequence, uint32_t key_id,
    lkey_day issued, const lkey_revoked *list, size_t n, const char *text,
    int64_t time, char *err, size_t errcap)
{
	char seq[LEDGER_NUM_CAP], id[LEDGER_NUM_CAP], count[LEDGER_NUM_CAP];
	char serial[LEDGER_NUM_CAP], day[11], when[LEDGER_TIME_CAP];
	const char *p[6];
	uint32_t last;
	size_t i;

	if (!l->in_tx)
		return msg_fail(err, errcap, "%s: lists are recorded in a "
		    "transaction", ledger_name(l));
	if (ledger_last_list(l, &last, err, errcap) != 0)
		return -1;
	if (sequence == 0 || sequence <= last)
		return msg_fail(err, errcap, "%s: revocation list %" PRIu32
		    " is at or below the last one recorded (%" PRIu32 "): "
		    "give --sequence %" PRIu32 " or more", ledger_name(l),
		    sequence, last, last + 1U);
	if (issued > LKEY_DAY_MAX || time < 0 || time > LEDGER_TIME_MAX ||
	    text == NULL)
		return msg_fail(err, errcap, "%s: revocation list %" PRIu32
		    ": no text, or a day or time out of range",
		    ledger_name(l), sequence);
	(void)snprintf(seq, sizeof seq, "%" PRIu32, sequence);
	(void)snprintf(id, sizeof id, "%" PRIu32, key_id);
	(void)snprintf(count, sizeof count, "%zu", n);
	lkey_day_format(issued, day);
	ledger_time_text(time, when);
	p[0] = seq;
	p[1] = id;
	p[2] = day;
	p[3] = when;
	p[4] = count;
	p[5] = text;
	if (db_query(l->d, sql_add_list, p, 6, NULL, NULL, err, errcap) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		(void)snprintf(id, sizeof id, "%" PRIu32, list[i].key_id);
		(void)snprintf(serial, sizeof serial, "%" PRIu32,
		    list[i].serial);
		p[0] = id;
		p[1] = serial;
		p[2] = seq;
		if (db_query(l->d, sql_add_revoked, p, 3, NULL, NULL, err,
		    errcap) < 0)
			return -1;
	}
	return 0;
}

struct list_text {
	uint32_t *key_id;
	char *text;
	size_t cap;
	bool found, bad;
};

static int
row_list_text(void *arg, size_t ncol, const char *const *val)
{
	struct list_text *t = arg;
	size_t len;

	if (ncol != 2 || !col(val[0], UINT32_MAX, t->key_id) ||
	    val[1] == NULL || (len = strlen(val[1])) >= t->cap) {
		t->bad = true;
		return 1;
	}
	memcpy(t->text, val[1], len + 1);
	t->found = true;
	return 0;
}

int
ledger_list_text(ledger *l, uint32_t sequence, bool *found,
    uint32_t *key_id, char *text, size_t cap, char *err, size_t errcap)
{
	struct list_text t = { key_id, text, cap, false, false };
	char seq[LEDGER_NUM_CAP];
	const char *p[1] = { seq };

	*found = false;
	*key_id = 0;
	if (cap > 0)
		text[0] = '\0';
	(void)snprintf(seq, sizeof seq, "%" PRIu32, sequence);
	if (db_query(l->d, sql_list_text, p, 1, row_list_text, &t, err,
	    errcap) < 0) {
		if (t.bad)
			return msg_fail(err, errcap, "%s: revocation list %"
			    PRIu32 " is not text this lkey-keygen wrote or is "
			    "longer than %zu bytes", ledger_name(l), sequence,
			    cap);
		return -1;
	}
	*found = t.found;
	return 0;
}

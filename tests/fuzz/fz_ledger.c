/*
 * fz_ledger.c - reading the issuance ledger (keygen/lib/ledger.c)
 *
 * The ledger is read by path, under a lock, so each input is written to a
 * scratch file first. It is then read both ways the vendor tool reads it:
 * ledger_find (`lkey-keygen ledger`: every line, then by serial and by
 * order id) and ledger_open (before issuing), which goes on to take the
 * lock and allocate the next serial; nothing is ever appended.
 *
 * Checked: both ways accept and refuse the same files; every line
 * delivered is NUL-terminated without a line end, holds a serial, and is
 * counted; the serials read are the ones the ledger holds, each found
 * again by itself; an order id is found again; the next serial is new and
 * above them all.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonline.h"
#include "ledger.h"
#include "targets.h"

#define ERR_CAP 1024U
/* Serials kept for the checks; a ledger with more is checked in part. */
#define SEEN_MAX 64U

struct seen {
	long lines;
	size_t nserial;
	uint32_t serial[SEEN_MAX];
	bool all;		/* every serial is in serial[] */
	uint32_t max;
	bool has_order;
	char order[LEDGER_LINE_MAX];
};

/* A ledger's serial: plain decimal digits, as the reader checked them. */
static uint32_t
serial_of(const jl_field *f)
{
	uint64_t v = 0;
	size_t i;

	FUZZ_CHECK(f != NULL && f->type == JL_NUMBER && f->len >= 1U &&
	    f->len <= 10U);
	for (i = 0; i < f->len; i++) {
		FUZZ_CHECK(f->value[i] >= '0' && f->value[i] <= '9');
		v = v * 10U + (uint64_t)(f->value[i] - '0');
	}
	FUZZ_CHECK(v <= UINT32_MAX);
	return (uint32_t)v;
}

static void
on_line(const char *line, size_t len, void *arg)
{
	struct seen *s = arg;
	const jl_field *f;
	jl_object *obj;
	uint32_t serial;
	char *buf;

	FUZZ_CHECK(len < LEDGER_LINE_MAX);
	FUZZ_CHECK(line[len] == '\0');
	FUZZ_CHECK(memchr(line, '\n', len) == NULL);
	s->lines++;

	buf = malloc(len + 1U);
	obj = malloc(sizeof(*obj));
	FUZZ_CHECK(buf != NULL && obj != NULL);
	FUZZ_CHECK(jsonline_parse(line, len, buf, len + 1U, obj, NULL, 0) ==
	    0);
	serial = serial_of(jsonline_get(obj, "serial"));
	if (s->nserial < SEEN_MAX)
		s->serial[s->nserial++] = serial;
	else
		s->all = false;
	if (serial > s->max)
		s->max = serial;
	f = jsonline_get(obj, "order");
	if (!s->has_order && f != NULL && f->type == JL_STRING) {
		memcpy(s->order, f->value, f->len + 1U);
		s->has_order = true;
	}
	free(obj);
	free(buf);
}

static void
count_line(const char *line, size_t len, void *arg)
{
	(void)line;
	(void)len;
	(*(long *)arg)++;
}

/* ledger_open, the lock and the next serial, as issuing starts. */
static void
check_open(const char *path, const struct seen *s)
{
	char err[ERR_CAP];
	ledger *l;
	uint32_t next;
	size_t i;
	int rc;

	err[0] = '\0';
	rc = ledger_open(path, &l, err, sizeof(err));
	/* Both readers check every line alike. */
	FUZZ_CHECK((rc == 0) == (s->lines >= 0));
	if (rc != 0) {
		FUZZ_CHECK(rc == -1 && l == NULL && err[0] != '\0');
		return;
	}
	for (i = 0; i < s->nserial; i++)
		FUZZ_CHECK(ledger_has_serial(l, s->serial[i]));
	FUZZ_CHECK(ledger_lock(l, err, sizeof(err)) == 0);
	rc = ledger_next_serial(l, &next, err, sizeof(err));
	if (rc == 0) {
		FUZZ_CHECK(next >= 1U && !ledger_has_serial(l, next));
		FUZZ_CHECK(s->lines == 0 || next > s->max);
	} else {
		FUZZ_CHECK(rc == -1 && err[0] != '\0');
		FUZZ_CHECK(!s->all || s->max == UINT32_MAX);
	}
	FUZZ_CHECK(ledger_unlock(l, err, sizeof(err)) == 0);
	ledger_close(l);
}

int
fuzz_ledger(const uint8_t *data, size_t size)
{
	const char *path = fuzz_scratch_path("ledger.jsonl");
	char err[ERR_CAP];
	struct seen *s;
	long n, hits;

	FUZZ_CHECK(path != NULL);
	FUZZ_CHECK(fuzz_scratch_write(path, data, size) == 0);
	s = calloc(1, sizeof(*s));
	FUZZ_CHECK(s != NULL);
	s->all = true;

	err[0] = '\0';
	n = ledger_find(path, NULL, NULL, on_line, s, err, sizeof(err));
	if (n < 0) {
		/* Lines before the bad one were delivered. */
		FUZZ_CHECK(n == -1 && err[0] != '\0');
		s->lines = -1;
	} else
		FUZZ_CHECK(n == s->lines);
	check_open(path, s);
	if (n <= 0)
		goto out;

	hits = 0;
	FUZZ_CHECK(ledger_find(path, &s->serial[0], NULL, count_line, &hits,
	    err, sizeof(err)) == 1 && hits == 1);
	if (s->has_order) {
		hits = 0;
		FUZZ_CHECK(ledger_find(path, NULL, s->order, count_line, &hits,
		    err, sizeof(err)) >= 1 && hits >= 1);
	}
out:
	free(s);
	return 0;
}

/*
 * ledgerq.c - what a ledger file holds, for tests: the keys a query
 * matches, counted, the last one kept (test code only)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ledgerq.h"

static int
keep_rec(void *arg, const ledger_rec *r)
{
	struct ledger_found *f = arg;

	f->n++;
	f->last = *r;
	snprintf(f->order, sizeof(f->order), "%s", r->order != NULL ?
	    r->order : "");
	snprintf(f->key, sizeof(f->key), "%s", r->key);
	return 0;
}

long
ledger_match(const char *path, const ledger_query *q, struct ledger_found *f)
{
	static const ledger_query all;
	struct ledger_found mine;
	char err[512];
	ledger *l = NULL;
	long n;

	if (f == NULL)
		f = &mine;
	memset(f, 0, sizeof(*f));
	if (ledger_open(path, false, &l, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	n = ledger_find(l, q != NULL ? q : &all, keep_rec, f, err,
	    sizeof(err));
	ledger_close(l);
	if (n < 0)
		fail_msg("%s", err);
	assert_int_equal(n, f->n);
	return n;
}

long
ledger_rows(const char *path)
{
	return ledger_match(path, NULL, NULL);
}

long
ledger_order(const char *path, const char *id, struct ledger_found *f)
{
	ledger_query q;

	memset(&q, 0, sizeof(q));
	q.order = id;
	return ledger_match(path, &q, f);
}

long
ledger_serial(const char *path, uint32_t serial, struct ledger_found *f)
{
	ledger_query q;

	memset(&q, 0, sizeof(q));
	q.has_serial = true;
	q.serial = serial;
	return ledger_match(path, &q, f);
}

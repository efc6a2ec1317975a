/*
 * fulfil.c - issuing keys for a fulfilment system
 *
 * Every key is verified with the customer-side code (lkey_issue), then its
 * ledger entry is written and synced; only then may the caller print it,
 * so a key a customer holds is always in the ledger. Many keys are signed
 * at once on several threads: signing is the cost of a batch.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "fulfil.h"

int
fulfil_one(const lkey_vendor_key *key, ledger *lg, lkey_license *t,
    bool serial_auto, const char *order, char *text, char *err,
    size_t errcap)
{
	ledger_rec r;
	lkey_issue_status st;
	bool taken;

	if (lg == NULL) {
		if (serial_auto) {
			snprintf(err, errcap, "--serial auto needs a ledger "
			    "(--ledger FILE)");
			return -1;
		}
		st = lkey_issue(key, t, text, LKEY_B64_TEXT_MAX);
		if (st != LKEY_ISSUE_OK) {
			snprintf(err, errcap, "%s", lkey_issue_status_text(st));
			return -1;
		}
		return 0;
	}
	if (ledger_begin(lg, err, errcap) != 0)
		return -1;
	if (serial_auto) {
		if (ledger_next_serial(lg, &t->serial, err, errcap) != 0)
			goto fail;
	} else {
		if (ledger_serial_taken(lg, t->serial, &taken, err,
		    errcap) != 0)
			goto fail;
		if (taken) {
			snprintf(err, errcap, "serial %u was already issued "
			    "(see lkey-keygen ledger --serial %u)", t->serial,
			    t->serial);
			goto fail;
		}
	}
	t->key_id = key->pub.id;	/* as lkey_issue writes it */
	st = lkey_issue(key, t, text, LKEY_B64_TEXT_MAX);
	if (st != LKEY_ISSUE_OK) {
		snprintf(err, errcap, "%s", lkey_issue_status_text(st));
		goto fail;
	}
	memset(&r, 0, sizeof(r));
	r.time = (int64_t)time(NULL);
	r.order = order;
	r.key = text;
	r.lic = *t;
	if (ledger_insert(lg, &r, 1, err, errcap) != 0 ||
	    ledger_commit(lg, err, errcap) != 0) {
		sodium_memzero(text, LKEY_B64_TEXT_MAX);
		goto fail;
	}
	return 0;
fail:
	ledger_rollback(lg);
	return -1;
}

/* One thread's share of fulfil_each: first, first + step, ... */
struct share {
	size_t first;
	size_t step;
	size_t n;
	void (*fn)(void *, size_t);
	void *arg;
};

static void *
run_share(void *p)
{
	const struct share *s = p;
	size_t i;

	for (i = s->first; i < s->n; i += s->step)
		s->fn(s->arg, i);
	return NULL;
}

void
fulfil_each(size_t n, unsigned jobs, void (*fn)(void *arg, size_t i),
    void *arg)
{
	struct share s[FULFIL_JOBS_MAX];
	pthread_t tid[FULFIL_JOBS_MAX];
	bool started[FULFIL_JOBS_MAX];
	size_t k, nt = jobs;

	if (nt > FULFIL_JOBS_MAX)
		nt = FULFIL_JOBS_MAX;
	if (nt > n)
		nt = n;
	for (k = 0; k < nt; k++) {
		s[k].first = k;
		s[k].step = nt;
		s[k].n = n;
		s[k].fn = fn;
		s[k].arg = arg;
		started[k] = k > 0 &&
		    pthread_create(&tid[k], NULL, run_share, &s[k]) == 0;
	}
	for (k = 0; k < nt; k++)
		if (!started[k])
			(void)run_share(&s[k]);
	for (k = 1; k < nt; k++)
		if (started[k])
			(void)pthread_join(tid[k], NULL);
}

unsigned
fulfil_jobs(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (cpus < 1)
		return 1;
	return cpus > FULFIL_JOBS_MAX ? FULFIL_JOBS_MAX : (unsigned)cpus;
}

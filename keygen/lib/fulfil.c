/*
 * fulfil.c - issuing keys for a fulfilment system
 *
 * Every key is verified with the customer-side code (lkey_issue), then its
 * ledger entry is written and synced; only then may the caller print it,
 * so a key a customer holds is always in the ledger. Many keys are signed
 * at once on several threads: signing is the cost of a batch.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "db.h"
#include "fulfil.h"

/* ---- orders issued before ------------------------------------------- */

static int
keep_prior(void *arg, const ledger_rec *r)
{
	fulfil_prior *p = arg;
	size_t n = strlen(r->key);

	/* The last one recorded that is not replaced; else the last. */
	if (p->found && r->replaced && !p->replaced)
		return 0;
	if (n >= sizeof(p->key))
		n = sizeof(p->key) - 1;
	p->found = true;
	p->replaced = r->replaced;
	p->revoked = r->revoked;
	p->revoked_sequence = r->revoked_sequence;
	p->time = r->time;
	p->lic = r->lic;
	memcpy(p->key, r->key, n);
	p->key[n] = '\0';
	return 0;
}

int
fulfil_prior_find(ledger *lg, const char *order, fulfil_prior *p,
    char *err, size_t errcap)
{
	ledger_query q;

	memset(p, 0, sizeof(*p));
	memset(&q, 0, sizeof(q));
	q.order = order;
	if (ledger_find(lg, &q, keep_prior, p, err, errcap) < 0)
		return -1;
	return 0;
}

int
fulfil_recorded_starts(ledger *lg, const char *order, bool *found,
    lkey_day *starts, char *err, size_t errcap)
{
	fulfil_prior p;
	int rc;

	rc = fulfil_prior_find(lg, order, &p, err, errcap);
	*found = rc == 0 && p.found;
	*starts = *found ? p.lic.starts : 0;
	sodium_memzero(&p, sizeof(p));
	return rc;
}

static void
show_day(lkey_day d, char *out, size_t cap)
{
	char day[11];

	lkey_day_format(d, day);
	snprintf(out, cap, "%s", day);
}

static void
show_seats(uint32_t n, char *out, size_t cap)
{
	if (n == LKEY_SEATS_UNLIMITED)
		snprintf(out, cap, "unlimited");
	else
		snprintf(out, cap, "%" PRIu32, n);
}

/* Feature bits as their numbers: "1,3", or "none". */
static void
show_bits(uint32_t bits, char *out, size_t cap)
{
	size_t len = 0;
	unsigned k;

	out[0] = '\0';
	for (k = 0; k < LKEY_FEATURES_MAX && len < cap; k++)
		if (bits & (UINT32_C(1) << k))
			len += (size_t)snprintf(out + len, cap - len, "%s%u",
			    len > 0 ? "," : "", k);
	if (len == 0)
		snprintf(out, cap, "none");
}

static void
show_modules(const uint32_t *m, char *out, size_t cap)
{
	size_t len = 0;
	unsigned k;

	out[0] = '\0';
	for (k = 0; k < LKEY_FEATURES_MAX && len < cap; k++)
		if (m[k] != 0)
			len += (size_t)snprintf(out + len, cap - len,
			    "%s%u=%" PRIu32, len > 0 ? "," : "", k, m[k]);
	if (len == 0)
		snprintf(out, cap, "none");
}

static void
show_host(bool bound, const uint8_t *h, char *out, size_t cap)
{
	size_t k, len = 0;

	if (!bound) {
		snprintf(out, cap, "none");
		return;
	}
	for (k = 0; k < LKEY_HOST_ID_BYTES && len + 3 <= cap; k++)
		len += (size_t)snprintf(out + len, cap - len, "%02x", h[k]);
}

static void
show_text(const char *s, char *out, size_t cap)
{
	snprintf(out, cap, "\"%s\"", s);
}

bool
fulfil_differs(const lkey_license *t, unsigned given,
    const lkey_license *rec, char *why, size_t cap)
{
	char a[LKEY_LICENSEE_MAX + 8], b[LKEY_LICENSEE_MAX + 8];
	const char *name = NULL;

#define NUM(field, label) \
	if (name == NULL && t->field != rec->field) { \
		name = label; \
		snprintf(a, sizeof(a), "%" PRIu32, (uint32_t)rec->field); \
		snprintf(b, sizeof(b), "%" PRIu32, (uint32_t)t->field); \
	}
	NUM(product, "product")
	NUM(edition, "edition")
	if (name == NULL && t->seats != rec->seats) {
		name = "seats";
		show_seats(rec->seats, a, sizeof(a));
		show_seats(t->seats, b, sizeof(b));
	}
	if (name == NULL && (given & FULFIL_GIVEN_STARTS) &&
	    t->starts != rec->starts) {
		name = "starts";
		show_day(rec->starts, a, sizeof(a));
		show_day(t->starts, b, sizeof(b));
	}
	if (name == NULL && t->expires != rec->expires) {
		name = "expires";
		show_day(rec->expires, a, sizeof(a));
		show_day(t->expires, b, sizeof(b));
	}
	if (name == NULL && t->maintenance != rec->maintenance) {
		name = "maintenance";
		show_day(rec->maintenance, a, sizeof(a));
		show_day(t->maintenance, b, sizeof(b));
	}
	if (name == NULL && (given & FULFIL_GIVEN_SERIAL) &&
	    t->serial != rec->serial) {
		name = "serial";
		snprintf(a, sizeof(a), "%" PRIu32, rec->serial);
		snprintf(b, sizeof(b), "%" PRIu32, t->serial);
	}
	if (name == NULL && t->features != rec->features) {
		name = "features";
		show_bits(rec->features, a, sizeof(a));
		show_bits(t->features, b, sizeof(b));
	}
	if (name == NULL && strcmp(t->licensee, rec->licensee) != 0) {
		name = "licensee";
		show_text(rec->licensee, a, sizeof(a));
		show_text(t->licensee, b, sizeof(b));
	}
	if (name == NULL && (given & FULFIL_GIVEN_ISSUED) &&
	    t->issued != rec->issued) {
		name = "issued";
		show_day(rec->issued, a, sizeof(a));
		show_day(t->issued, b, sizeof(b));
	}
	NUM(grace_days, "grace_days")
	NUM(notice_days, "notice_days")
	if (name == NULL && t->trial != rec->trial) {
		name = "trial";
		snprintf(a, sizeof(a), "%s", rec->trial ? "true" : "false");
		snprintf(b, sizeof(b), "%s", t->trial ? "true" : "false");
	}
	if (name == NULL && memcmp(t->module_seats, rec->module_seats,
	    sizeof(t->module_seats)) != 0) {
		name = "module_seats";
		show_modules(rec->module_seats, a, sizeof(a));
		show_modules(t->module_seats, b, sizeof(b));
	}
	if (name == NULL && (t->host_bound != rec->host_bound ||
	    (t->host_bound && memcmp(t->host, rec->host,
	    sizeof(t->host)) != 0))) {
		name = "host";
		show_host(rec->host_bound, rec->host, a, sizeof(a));
		show_host(t->host_bound, t->host, b, sizeof(b));
	}
	if (name == NULL && t->maintenance_features !=
	    rec->maintenance_features) {
		name = "maintenance_features";
		show_bits(rec->maintenance_features, a, sizeof(a));
		show_bits(t->maintenance_features, b, sizeof(b));
	}
#undef NUM
	if (name == NULL)
		return false;
	snprintf(why, cap, "%s: recorded %s, given %s", name, a, b);
	return true;
}

int
fulfil_check(ledger *lg, const char *order, lkey_license *t,
    unsigned given, bool reissue, bool *recorded, fulfil_prior *prior,
    fulfil_replaces *rep, char *text, char *err, size_t errcap)
{
	char why[2 * LKEY_LICENSEE_MAX + 64];

	*recorded = false;
	memset(rep, 0, sizeof(*rep));
	if (fulfil_prior_find(lg, order, prior, err, errcap) != 0)
		return -1;
	if (!prior->found)
		return 0;
	if (prior->revoked) {
		snprintf(err, errcap, "order %s was issued before (serial %"
		    PRIu32 "), and that key was revoked (revocation list %"
		    PRIu32 "): no new key is issued for it", order,
		    prior->lic.serial, prior->revoked_sequence);
		return -1;
	}
	if (!fulfil_differs(t, given, &prior->lic, why, sizeof(why))) {
		*recorded = true;
		*t = prior->lic;
		memcpy(text, prior->key, strlen(prior->key) + 1);
		return 0;
	}
	if (!reissue) {
		snprintf(err, errcap, "order %s was issued before (serial %"
		    PRIu32 ") with other terms, %s: --reissue issues a new "
		    "key for it", order, prior->lic.serial, why);
		return -1;
	}
	rep->any = true;
	rep->key_id = prior->lic.key_id;
	rep->serial = prior->lic.serial;
	return 0;
}

/* ---- one key ----------------------------------------------------------- */

int
fulfil_one(const lkey_vendor_key *key, ledger *lg, lkey_license *t,
    bool serial_auto, const char *order, unsigned given, bool reissue,
    bool *recorded, fulfil_prior *prior, char *text, char *err,
    size_t errcap)
{
	fulfil_replaces rep;
	ledger_rec r;
	lkey_issue_status st;
	bool taken;

	*recorded = false;
	memset(&rep, 0, sizeof(rep));
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
	if (order != NULL) {
		if (fulfil_check(lg, order, t, given, reissue, recorded, prior,
		    &rep, text, err, errcap) != 0)
			goto fail;
		if (*recorded) {
			ledger_rollback(lg);
			return 0;
		}
	}
	if (serial_auto) {
		if (ledger_next_serial(lg, &t->serial, err, errcap) != 0)
			goto fail;
	} else {
		if (ledger_serial_taken(lg, t->serial, &taken, err,
		    errcap) != 0)
			goto fail;
		if (taken) {
			snprintf(err, errcap, "serial %" PRIu32 " was already "
			    "issued (see lkey-keygen ledger --serial %" PRIu32
			    ")", t->serial, t->serial);
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
	r.replaces = rep.any;
	r.replaces_key_id = rep.key_id;
	r.replaces_serial = rep.serial;
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

bool
fulfil_commit_lost(const char *err)
{
	return err != NULL && strstr(err, DB_COMMIT_LOST) != NULL;
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

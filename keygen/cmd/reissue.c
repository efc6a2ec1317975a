/*
 * reissue.c - lkey-keygen reissue: a new key for a licence the ledger
 * holds, with its recorded terms or the changes given, recorded as the
 * key that replaces it
 *
 * A licence is reissued to change its terms (more seats, a later expiry)
 * or its signing key (rotation, docs/ROTATION.md): the new key gets a new
 * serial from the ledger, keeps the order id, and records the licence it
 * replaces, so the ledger says which key of an order is current. `--all
 * --key-id OLD` reissues every current licence of key OLD in chunks, one
 * transaction each; a run that stopped is run again and goes on where it
 * ended, since a replaced licence is no longer current.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "cli.h"
#include "commands.h"
#include "fulfil.h"
#include "ledger.h"
#include "num.h"
#include "order_fields.h"
#include "orders.h"

#define CHUNK_MAX 256		/* licences per transaction with --all */

/* The options; from O_FIELDS on, each changes a term, as issue takes it. */
static const char *const opts[] = {
	"secret", "catalog", "ledger", "serial", "order", "all", "key-id",
	"format", "jobs", "help",
	"product", "edition", "seats", "expires", "maintenance", "starts",
	"features", "licensee", "grace-days", "notice-days", "trial",
	"module-seats", "issued", "host", "maintenance-features",
};
enum { O_SECRET, O_CATALOG, O_LEDGER, O_SERIAL, O_ORDER, O_ALL, O_KEY_ID,
	O_FORMAT, O_JOBS, O_HELP, O_FIELDS };
#define O_COUNT (sizeof(opts) / sizeof(opts[0]))

static const char help[] =
    "usage: lkey-keygen reissue (--serial N [--key-id ID] | --order ID) "
    "--secret FILE\n"
    "                   [--ledger WHERE] [--catalog FILE] [--product P]\n"
    "                   [--edition E] [--seats N|unlimited] [--expires D]\n"
    "                   [--maintenance D] [--starts D] [--features F,...]\n"
    "                   [--licensee TEXT] [--grace-days N] "
    "[--notice-days N]\n"
    "                   [--trial] [--module-seats F=N,...] [--issued D]\n"
    "                   [--host HOSTID] [--maintenance-features F,...]\n"
    "       lkey-keygen reissue --all --key-id OLD --secret FILE\n"
    "                   [--ledger WHERE] [--expires D] [--maintenance D]\n"
    "                   [--issued D] [--format csv|json] [--jobs N]\n"
    "\nA new key, with a new serial, for a licence the ledger holds, "
    "recorded\nas replacing it: the recorded terms, with the changes "
    "given. See\nlkey-keygen(1).\n";

/* One licence to reissue, and its new key. */
struct item {
	bool ok;
	bool has_order;
	char order[LEDGER_ORDER_MAX + 1];
	lkey_license old, t;
	lkey_issue_status st;
	char text[LKEY_B64_TEXT_MAX];
};

struct run {
	const lkey_vendor_key *key;
	const struct catalog *cat;
	const args *a;
	ledger *lg;
	bool json;
	unsigned jobs;
	lkey_day today;
	struct item items[CHUNK_MAX];
	size_t n;
	unsigned long done, failed;
};

/* ---- the new terms ----------------------------------------------------- */

/* Whether the term option --NAME was given. */
static bool
seen_opt(const args *a, const char *name)
{
	size_t k;

	for (k = O_FIELDS; k < O_COUNT; k++)
		if (strcmp(opts[k], name) == 0)
			return a->seen[k];
	abort();	/* not a term option */
}

/* The recorded terms as the text of an order's fields. */
struct terms_text {
	char product[16], edition[16], seats[16], starts[11], expires[11],
	    maintenance[11], features[LKEY_FEATURES_MAX * 3 + 1],
	    grace[8], notice[8], modules[LKEY_FEATURES_MAX * 13 + 1],
	    issued[11], host[CLI_HOST_HEX], mfeatures[LKEY_FEATURES_MAX * 3 +
	    1];
};

static void
bits_text(uint32_t bits, char *out, size_t cap)
{
	size_t len = 0;
	unsigned k;

	out[0] = '\0';
	for (k = 0; k < LKEY_FEATURES_MAX; k++)
		if (bits & (UINT32_C(1) << k))
			len += (size_t)snprintf(out + len, cap - len, "%s%u",
			    len > 0 ? "," : "", k);
}

static void
to_text(const lkey_license *o, lkey_day today, struct terms_text *x,
    order_fields *f)
{
	size_t len = 0;
	unsigned k;

	memset(f, 0, sizeof(*f));
	snprintf(x->product, sizeof(x->product), "%" PRIu32, o->product);
	snprintf(x->edition, sizeof(x->edition), "%" PRIu32, o->edition);
	if (o->seats == LKEY_SEATS_UNLIMITED)
		snprintf(x->seats, sizeof(x->seats), "unlimited");
	else
		snprintf(x->seats, sizeof(x->seats), "%" PRIu32, o->seats);
	lkey_day_format(o->starts, x->starts);
	lkey_day_format(o->expires, x->expires);
	lkey_day_format(o->maintenance, x->maintenance);
	/* A reissued key is issued today: a later issue date is what makes
	 * a product that registers keys keep it over the one it replaces. */
	lkey_day_format(today, x->issued);
	bits_text(o->features, x->features, sizeof(x->features));
	bits_text(o->maintenance_features, x->mfeatures,
	    sizeof(x->mfeatures));
	snprintf(x->grace, sizeof(x->grace), "%" PRIu32, o->grace_days);
	snprintf(x->notice, sizeof(x->notice), "%" PRIu32, o->notice_days);
	x->modules[0] = '\0';
	for (k = 0; k < LKEY_FEATURES_MAX; k++)
		if (o->module_seats[k] != 0)
			len += (size_t)snprintf(x->modules + len,
			    sizeof(x->modules) - len, "%s%u=%" PRIu32,
			    len > 0 ? "," : "", k, o->module_seats[k]);
	f->product = x->product;
	f->edition = x->edition;
	f->seats = x->seats;
	f->starts = x->starts;
	f->expires = x->expires;
	f->maintenance = x->maintenance;
	f->issued = x->issued;
	f->features = x->features[0] != '\0' ? x->features : NULL;
	f->maintenance_features = x->mfeatures[0] != '\0' ? x->mfeatures :
	    "none";
	f->grace_days = x->grace;
	f->notice_days = x->notice;
	f->module_seats = x->modules[0] != '\0' ? x->modules : NULL;
	f->licensee = o->licensee[0] != '\0' ? o->licensee : NULL;
	f->trial = o->trial ? "true" : "false";
	if (o->host_bound) {
		cli_host_format(o->host, x->host);
		f->host = x->host;
	}
}

/*
 * The terms of the new key: the recorded ones `old`, with the changes of
 * the options, checked by issue's rules. Its serial is left to the
 * ledger. 0, or -1 with err naming the option.
 */
static int
new_terms(const struct run *rn, const lkey_license *old, lkey_license *t,
    char *err, size_t errcap)
{
	const args *a = rn->a;
	struct terms_text x;
	order_fields f, rec;
	const char *now, *was;
	bool serial_auto;
	uint32_t kept = 0;
	size_t k;

	to_text(old, rn->today, &x, &f);
	rec = f;
	for (k = O_FIELDS; k < O_COUNT; k++)
		if (a->seen[k] && order_fields_set_option(&f, opts[k],
		    strcmp(opts[k], "trial") == 0 ? "true" : a->value[k]) != 0)
			abort();	/* opts names a field that is none */
	/* New features: the catalog's marks, unless given too. */
	if (seen_opt(a, "features") && !seen_opt(a, "maintenance-features"))
		f.maintenance_features = NULL;
	f.serial = NULL;
	/* The recorded terms no option changed: not given, or given as
	 * recorded ("--seats 5" for 5 seats). */
	for (k = 0; k < ORDERS_FIELDS; k++) {
		now = order_field_value(&f, k);
		was = order_field_value(&rec, k);
		if (now == was || (now != NULL && was != NULL &&
		    strcmp(now, was) == 0))
			kept |= UINT32_C(1) << k;
	}
	return order_terms_kept(rn->cat, &f, kept, rn->today, t, &serial_auto,
	    err, errcap);
}

/*
 * The new terms refused: a line of standard error for each fault
 * (new_terms gives one per option), each after `what` when not NULL and
 * ending in `tail` (only the last one, when `last_only`).
 */
static void
report_terms(const char *what, const char *msgs, const char *tail,
    bool last_only)
{
	const char *p, *nl;
	int len;

	for (p = msgs;; p = nl + 1) {
		nl = strchr(p, '\n');
		len = nl != NULL ? (int)(nl - p) : (int)strlen(p);
		fprintf(stderr, "lkey-keygen: %s%s%.*s%s\n",
		    what != NULL ? what : "", what != NULL ? ": " : "", len, p,
		    nl != NULL && last_only ? "" : tail);
		if (nl == NULL)
			break;
	}
}

/* ---- finding the licence ----------------------------------------------- */

struct found {
	bool any;
	bool replaced;
	bool revoked;
	uint32_t revoked_sequence;
	size_t count;			/* licences matched (key ids) */
	char order[LEDGER_ORDER_MAX + 1];
	bool has_order;
	lkey_license lic;
};

/* Keeps the last match that is not replaced (else the last one). */
static int
keep(void *arg, const ledger_rec *r)
{
	struct found *f = arg;

	f->count++;
	if (f->any && r->replaced && !f->replaced)
		return 0;
	f->any = true;
	f->replaced = r->replaced;
	f->revoked = r->revoked;
	f->revoked_sequence = r->revoked_sequence;
	f->lic = r->lic;
	f->has_order = r->order != NULL;
	if (f->has_order)
		snprintf(f->order, sizeof(f->order), "%s", r->order);
	return 0;
}

/*
 * In the transaction: the licence q names, if it can be reissued. 0 with
 * *f filled (f->any false: none, or no longer current when `skip_gone`),
 * or -1 with err.
 */
static int
find_current(ledger *lg, const ledger_query *q, const char *what,
    bool skip_gone, struct found *f, char *err, size_t errcap)
{
	memset(f, 0, sizeof(*f));
	if (ledger_find(lg, q, keep, f, err, errcap) < 0)
		return -1;
	if (!f->any) {
		if (skip_gone)
			return 0;
		snprintf(err, errcap, "%s: the ledger %s holds no such "
		    "licence", what, ledger_name(lg));
		return -1;
	}
	if (skip_gone && (f->replaced || f->revoked)) {
		f->any = false;
		return 0;
	}
	if (f->revoked) {
		snprintf(err, errcap, "%s: serial %" PRIu32 " was revoked "
		    "(revocation list %" PRIu32 "): a revoked licence is not "
		    "reissued", what, f->lic.serial, f->revoked_sequence);
		return -1;
	}
	if (f->replaced) {
		snprintf(err, errcap, "%s: serial %" PRIu32 " was already "
		    "replaced by a later key; reissue that one (lkey-keygen "
		    "ledger --serial %" PRIu32 " shows it)", what,
		    f->lic.serial, f->lic.serial);
		return -1;
	}
	return 0;
}

/* ---- output ------------------------------------------------------------ */

static int
print_item(const struct run *rn, const struct item *it)
{
	return cmd_print_key_row(rn->json, it->has_order ? it->order : NULL,
	    it->t.serial, &it->old.serial, it->text);
}

/*
 * After a commit, standard output failed: every key of the chunk is in
 * the buffer that was lost, those of the items before the failing one
 * too (the chunk is flushed once, at its end), so each is named as
 * recorded, with the command that prints it.
 */
/* The serials of the chunk's new keys, into sl. */
static void
chunk_serials(const struct run *rn, serial_list *sl)
{
	size_t i;

	memset(sl, 0, sizeof(*sl));
	for (i = 0; i < rn->n; i++)
		if (rn->items[i].ok)
			serial_list_add(sl, rn->items[i].t.serial);
}

static void
report_unprinted(const struct run *rn)
{
	static serial_list sl;

	chunk_serials(rn, &sl);
	if (sl.n > 0)
		cmd_report_unprinted(ledger_name(rn->lg), &sl);
}

/*
 * The connection to the ledger's server was lost during the commit of a
 * chunk: its new keys may be recorded. Says which, and how to look each
 * up; a run again skips those that were, as they are no longer current.
 */
static void
report_maybe(const struct run *rn, const char *err)
{
	static char word[SHELL_WORD_CAP];
	static serial_list sl;

	chunk_serials(rn, &sl);
	fprintf(stderr, "lkey-keygen: %s; %lu licence%s reissued before, and "
	    "the %zu new key%s of the last chunk (serial%s %s) may be "
	    "recorded: look each up with lkey-keygen ledger --ledger %s "
	    "--serial %" PRIu32 "; run the same command again to go on (a "
	    "licence whose new key was recorded is not reissued twice)\n",
	    err, rn->done, rn->done == 1 ? " was" : "s were", sl.n,
	    sl.n == 1 ? "" : "s", sl.n == 1 ? "" : "s", sl.text,
	    cmd_shell_word(ledger_name(rn->lg), word), sl.first);
}

/* ---- issuing ----------------------------------------------------------- */

static void
sign_item(void *arg, size_t i)
{
	struct run *rn = arg;
	struct item *it = &rn->items[i];

	if (it->ok)
		it->st = lkey_issue(rn->key, &it->t, it->text,
		    sizeof(it->text));
}

/*
 * In the transaction: serials for the items, every key signed (on
 * rn->jobs threads), all recorded as replacing their licences, committed.
 * 0, or -1 with err (nothing of the chunk recorded).
 */
static int
issue_items(struct run *rn, char *err, size_t errcap)
{
	static ledger_rec rec[CHUNK_MAX];
	int64_t now = (int64_t)time(NULL);
	size_t i, ne = 0;

	for (i = 0; i < rn->n; i++) {
		struct item *it = &rn->items[i];

		if (!it->ok)
			continue;
		if (ledger_next_serial(rn->lg, &it->t.serial, err,
		    errcap) != 0)
			return -1;
		it->t.key_id = rn->key->pub.id;
	}
	fulfil_each(rn->n, rn->jobs, sign_item, rn);
	for (i = 0; i < rn->n; i++) {
		struct item *it = &rn->items[i];

		if (!it->ok)
			continue;
		if (it->st != LKEY_ISSUE_OK) {
			it->ok = false;
			rn->failed++;
			fprintf(stderr, "lkey-keygen: serial %" PRIu32 ": %s; "
			    "not reissued\n", it->old.serial,
			    lkey_issue_status_text(it->st));
			continue;
		}
		memset(&rec[ne], 0, sizeof(rec[ne]));
		rec[ne].time = now;
		rec[ne].order = it->has_order ? it->order : NULL;
		rec[ne].key = it->text;
		rec[ne].lic = it->t;
		rec[ne].replaces = true;
		rec[ne].replaces_key_id = it->old.key_id;
		rec[ne].replaces_serial = it->old.serial;
		ne++;
	}
	if (ne > 0 && ledger_insert(rn->lg, rec, ne, err, errcap) != 0)
		return -1;
	return ledger_commit(rn->lg, err, errcap);
}

static void
items_done(struct run *rn)
{
	size_t i;

	for (i = 0; i < rn->n; i++)
		sodium_memzero(rn->items[i].text, sizeof(rn->items[i].text));
	rn->n = 0;
}

/* One licence: --serial or --order. The exit status. */
static int
reissue_one(struct run *rn)
{
	static char word[SHELL_WORD_CAP];
	const args *a = rn->a;
	struct item *it = &rn->items[0];
	static struct found f;
	ledger_query q;
	char err[4096], what[LEDGER_ORDER_MAX + 32];
	uint64_t v;
	size_t len;

	memset(&q, 0, sizeof(q));
	if (a->seen[O_SERIAL]) {
		(void)num_text(a->value[O_SERIAL], 0, UINT32_MAX, &v);
		q.has_serial = true;
		q.serial = (uint32_t)v;
		snprintf(what, sizeof(what), "serial %" PRIu32, q.serial);
	} else {
		q.order = a->value[O_ORDER];
		snprintf(what, sizeof(what), "order %s", q.order);
	}
	if (a->seen[O_KEY_ID]) {
		q.key_id = cli_key_id("--key-id", a->value[O_KEY_ID]);
		q.has_key_id = true;
	}
	if (ledger_begin(rn->lg, err, sizeof(err)) != 0)
		goto fail;
	if (find_current(rn->lg, &q, what, false, &f, err, sizeof(err)) != 0)
		goto fail;
	if (f.count > 1 && a->seen[O_SERIAL] && !a->seen[O_KEY_ID]) {
		snprintf(err, sizeof(err), "%s: the ledger holds it under "
		    "several key ids; say which with --key-id", what);
		goto fail;
	}
	memset(it, 0, sizeof(*it));
	it->old = f.lic;
	it->has_order = f.has_order;
	memcpy(it->order, f.order, sizeof(it->order));
	if (new_terms(rn, &f.lic, &it->t, err, sizeof(err)) != 0) {
		ledger_rollback(rn->lg);
		report_terms(NULL, err, " (see lkey-keygen --help)", true);
		items_done(rn);
		exit(2);
	}
	it->ok = true;
	rn->n = 1;
	if (issue_items(rn, err, sizeof(err)) != 0)
		goto fail;
	if (!it->ok) {
		items_done(rn);
		return EXIT_TROUBLE;
	}
	len = strlen(it->text);
	it->text[len] = '\n';
	if (fwrite(it->text, 1, len + 1, stdout) != len + 1 ||
	    fflush(stdout) != 0) {
		fprintf(stderr, "lkey-keygen: serial %" PRIu32 " is recorded "
		    "in %s but the key could not be written to standard "
		    "output: print it with lkey-keygen ledger --ledger %s "
		    "--serial %" PRIu32 " --keys\n", it->t.serial,
		    ledger_name(rn->lg),
		    cmd_shell_word(ledger_name(rn->lg), word), it->t.serial);
		items_done(rn);
		return EXIT_TROUBLE;
	}
	items_done(rn);
	return 0;
fail:
	ledger_rollback(rn->lg);
	if (fulfil_commit_lost(err))
		fprintf(stderr, "lkey-keygen: %s; serial %" PRIu32 ", the new "
		    "key of %s, may be recorded: look it up with lkey-keygen "
		    "ledger --ledger %s --serial %" PRIu32 " before reissuing "
		    "again\n", err, it->t.serial, what,
		    cmd_shell_word(ledger_name(rn->lg), word), it->t.serial);
	else
		fprintf(stderr, "lkey-keygen: %s; nothing reissued\n", err);
	items_done(rn);
	return EXIT_TROUBLE;
}

/* The serials of every current licence of key `id`, in *list. */
struct serials {
	uint32_t *v;
	size_t n, cap;
	bool nomem;
};

static int
collect(void *arg, const ledger_rec *r)
{
	struct serials *s = arg;
	uint32_t *nv;

	if (s->n == s->cap) {
		s->cap = s->cap == 0 ? 1024 : s->cap * 2;
		if ((nv = realloc(s->v, s->cap * sizeof(*nv))) == NULL) {
			s->nomem = true;
			return 1;
		}
		s->v = nv;
	}
	s->v[s->n++] = r->lic.serial;
	return 0;
}

/*
 * Every current licence of key `old`, CHUNK_MAX to a transaction. One
 * that another run replaced meanwhile is skipped. The exit status.
 */
static int
reissue_all(struct run *rn, uint32_t old)
{
	static struct found f;
	struct serials s = { NULL, 0, 0, false };
	ledger_query q;
	char err[4096], what[64];
	size_t at = 0, i;
	int rc = EXIT_TROUBLE;

	memset(&q, 0, sizeof(q));
	q.has_key_id = true;
	q.key_id = old;
	q.current = true;
	if (ledger_find(rn->lg, &q, collect, &s, err, sizeof(err)) < 0) {
		if (s.nomem)
			snprintf(err, sizeof(err), "out of memory");
		fprintf(stderr, "lkey-keygen: %s; nothing reissued\n", err);
		goto out;
	}
	while (at < s.n) {
		if (ledger_begin(rn->lg, err, sizeof(err)) != 0)
			goto stop;
		rn->n = 0;
		for (; at < s.n && rn->n < CHUNK_MAX; at++) {
			struct item *it = &rn->items[rn->n];

			q.has_serial = true;
			q.serial = s.v[at];
			q.current = false;
			snprintf(what, sizeof(what), "serial %" PRIu32,
			    s.v[at]);
			if (find_current(rn->lg, &q, what, true, &f, err,
			    sizeof(err)) != 0)
				goto stop;
			if (!f.any)
				continue;	/* replaced meanwhile */
			memset(it, 0, sizeof(*it));
			it->old = f.lic;
			it->has_order = f.has_order;
			memcpy(it->order, f.order, sizeof(it->order));
			if (new_terms(rn, &f.lic, &it->t, err,
			    sizeof(err)) != 0) {
				report_terms(what, err, "; not reissued",
				    false);
				rn->failed++;
				continue;
			}
			it->ok = true;
			rn->n++;
		}
		if (issue_items(rn, err, sizeof(err)) != 0)
			goto stop;
		for (i = 0; i < rn->n; i++) {
			if (!rn->items[i].ok)
				continue;
			if (print_item(rn, &rn->items[i]) != 0)
				break;
		}
		if (i < rn->n || fflush(stdout) != 0 || ferror(stdout)) {
			report_unprinted(rn);
			items_done(rn);
			goto out;
		}
		for (i = 0; i < rn->n; i++)
			if (rn->items[i].ok)
				rn->done++;
		items_done(rn);
	}
	rc = rn->failed == 0 ? 0 : EXIT_TROUBLE;
	if (rn->failed > 0)
		fprintf(stderr, "lkey-keygen: %lu licence%s not reissued; %lu "
		    "reissued\n", rn->failed, rn->failed == 1 ? "" : "s",
		    rn->done);
	goto out;
stop:
	ledger_rollback(rn->lg);
	if (fulfil_commit_lost(err))
		report_maybe(rn, err);
	else
		fprintf(stderr, "lkey-keygen: %s; %lu licence%s reissued, the "
		    "rest not: run the same command again to go on\n", err,
		    rn->done, rn->done == 1 ? " was" : "s were");
	items_done(rn);
out:
	free(s.v);
	return rc;
}

/* ---- the command ------------------------------------------------------- */

/* Every usage error, before the secret key is read. */
static void
check_args(const args *a, uint32_t *old)
{
	size_t k;
	int modes = (a->seen[O_SERIAL] ? 1 : 0) + (a->seen[O_ORDER] ? 1 : 0) +
	    (a->seen[O_ALL] ? 1 : 0);
	bool ok;

	if (modes != 1)
		cli_usage("reissue needs one of --serial N, --order ID or --all "
		    "--key-id OLD");
	if (!a->seen[O_SECRET])
		cli_usage("reissue needs --secret: the new keys are signed "
		    "with it");
	if (a->seen[O_SERIAL])
		(void)cli_number("--serial", a->value[O_SERIAL], 0, UINT32_MAX);
	if (a->seen[O_KEY_ID])
		*old = cli_key_id("--key-id", a->value[O_KEY_ID]);
	if (a->seen[O_ORDER] && a->seen[O_KEY_ID])
		cli_usage("--key-id goes with --serial or --all, not --order");
	if (!a->seen[O_ALL]) {
		if (a->seen[O_FORMAT] || a->seen[O_JOBS])
			cli_usage("--format and --jobs go with --all: one "
			    "licence is printed as its key");
		return;
	}
	if (!a->seen[O_KEY_ID])
		cli_usage("--all needs --key-id OLD: the key whose licences "
		    "are reissued");
	for (k = O_FIELDS; k < O_COUNT; k++) {
		ok = strcmp(opts[k], "expires") == 0 ||
		    strcmp(opts[k], "maintenance") == 0 ||
		    strcmp(opts[k], "issued") == 0;
		if (a->seen[k] && !ok)
			cli_usage("--all changes only --expires, --maintenance "
			    "and --issued; reissue other changes licence by "
			    "licence");
	}
	if (a->seen[O_FORMAT] && strcmp(a->value[O_FORMAT], "csv") != 0 &&
	    strcmp(a->value[O_FORMAT], "json") != 0)
		cli_usage("--format must be csv or json");
	if (a->seen[O_JOBS])
		(void)cli_number("--jobs", a->value[O_JOBS], 1,
		    FULFIL_JOBS_MAX);
}

int
cmd_reissue(int argc, char **argv)
{
	static struct run rn;
	char lbuf[4096];
	const char *lpath;
	lkey_vendor_key *key = NULL;
	uint32_t old = 0;
	uint64_t v;
	args a;
	int rc = EXIT_TROUBLE;

	if (cmd_args(argc, argv, opts, O_COUNT, false, &a)) {
		(void)cmd_help(help);
		return 0;
	}
	check_args(&a, &old);
	memset(&rn, 0, sizeof(rn));
	rn.a = &a;
	rn.cat = cli_catalog(a.value[O_CATALOG]);
	rn.json = a.seen[O_FORMAT] && strcmp(a.value[O_FORMAT], "json") == 0;
	rn.jobs = fulfil_jobs();
	if (a.seen[O_JOBS] && num_text(a.value[O_JOBS], 1, FULFIL_JOBS_MAX,
	    &v) == 0)
		rn.jobs = (unsigned)v;
	rn.today = lkey_day_from_unix((int64_t)time(NULL));
	lpath = ledger_path(a.value[O_SECRET], a.value[O_LEDGER], false,
	    lbuf, sizeof(lbuf));
	rn.lg = cmd_ledger_open(lpath, false);
	if ((key = cmd_secret_key(a.value[O_SECRET], "; nothing reissued")) ==
	    NULL)
		goto out;
	rn.key = key;
	if (a.seen[O_ALL] && key->pub.id == old) {
		fprintf(stderr, "lkey-keygen: --secret holds key %08" PRIx32
		    " itself: --all reissues its licences with another key; "
		    "nothing reissued\n", old);
		goto out;
	}
	rc = a.seen[O_ALL] ? reissue_all(&rn, old) : reissue_one(&rn);
out:
	sodium_free(key);
	ledger_close(rn.lg);
	return rc;
}

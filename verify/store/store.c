/*
 * store.c - the licence store: a directory that holds, for one product,
 * the registered keys, the clock guard's state and the revocation list
 * (docs/STORE.md)
 *
 * Every call reads the whole store first and trusts none of it: each key
 * must authenticate with the application's ring and be for its product,
 * the state must be the product's and unedited, the list must verify. A
 * file that does not is LKEY_STORE_DAMAGED, with the file named, and
 * nothing is written: a damaged store is never reset, since a reset would
 * undo the clock guard and the revocation list. Files are read and
 * replaced only through the platform file (platform.h); this file does
 * no I/O of its own.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "platform.h"
#include "store_int.h"

#define say lkey__store_say

_Static_assert(STORE_KEYS_TEXT_MAX + 1U <=
    sizeof(((lkey_store *)0)->text), "licence.keys fits the workspace");

lkey_store_result
lkey__store_say(lkey_store *st, lkey_store_result r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(st->message, sizeof(st->message), fmt, ap);
	va_end(ap);
	return r;
}

void
lkey__store_reset(lkey_store *st, lkey__store_view *v, const char *dir,
    const lkey_pubkey *ring, size_t nring, uint32_t product)
{
	memset(st, 0, sizeof(*st));
	memset(v, 0, sizeof(*v));
	st->status = LKEY_MALFORMED;
	v->dir = dir;
	v->ring = ring;
	v->nring = nring;
	v->product = product;
}

/*
 * dir/name into buf. A missing file is LKEY_STORE_OK with *missing set; a
 * link, anything but a regular file or a file larger than the store writes
 * is damage; what cannot be read is LKEY_STORE_IO.
 */
lkey_store_result
lkey__store_read(lkey_store *st, const lkey__store_view *v, const char *name,
    char *buf, size_t cap, size_t *len, bool *missing)
{
	char why[128];

	*missing = false;
	switch (lkey__platform_read(v->dir, name, buf, cap, len, why,
	    sizeof(why))) {
	case PLATFORM_OK:
		return LKEY_STORE_OK;
	case PLATFORM_MISSING:
		*missing = true;
		return LKEY_STORE_OK;
	case PLATFORM_NOT_FILE:
		return say(st, LKEY_STORE_DAMAGED, "%.*s/%s: not a "
		    "regular file (a symbolic link, a directory or a device): "
		    "the store is damaged; put the file itself back",
		    STORE_DIR_SHOWN, v->dir, name);
	case PLATFORM_TOO_BIG:
		return say(st, LKEY_STORE_DAMAGED, "%.*s/%s: larger "
		    "than the store ever writes it (more than %zu bytes): the "
		    "store is damaged; restore the file from a backup",
		    STORE_DIR_SHOWN, v->dir, name, cap - 1U);
	default:
		return say(st, LKEY_STORE_IO, "%.*s/%s: cannot be "
		    "read: %s", STORE_DIR_SHOWN, v->dir, name, why);
	}
}

/* The revocation list, if the store holds one, into st->revocations. */
static lkey_store_result
load_list(lkey_store *st, lkey__store_view *v)
{
	lkey_store_result r;
	lkey_detail d;
	lkey_status s;
	bool missing;
	size_t len;

	r = lkey__store_read(st, v, STORE_LIST, st->text,
	    LKEY_REVOCATIONS_TEXT_MAX + 1U, &len, &missing);
	if (r != LKEY_STORE_OK || missing)
		return r;
	s = lkey_revocations_decode(st->text, len, v->ring, v->nring,
	    &st->revocations, &d);
	if (s == LKEY_UNKNOWN_KEY)
		return say(st, LKEY_STORE_DAMAGED, "%.*s/%s: a list "
		    "signed by vendor key %08x, which this application does "
		    "not know: the store is damaged; install the vendor's "
		    "list again", STORE_DIR_SHOWN, v->dir, STORE_LIST,
		    (unsigned)d.value);
	if (s != LKEY_OK)
		return say(st, LKEY_STORE_DAMAGED, "%.*s/%s: %s: "
		    "the store is damaged; install the vendor's list again",
		    STORE_DIR_SHOWN, v->dir, STORE_LIST,
		    s == LKEY_BAD_SIGNATURE ? "a revocation list altered (its "
		    "signature does not verify)" : "not a revocation list, or "
		    "a damaged one");
	v->list_sequence = st->revocations.sequence;
	return LKEY_STORE_OK;
}

/* The clock guard's state into st->state; without a file, it stays the
 * new one lkey__store_load made. */
static lkey_store_result
load_state(lkey_store *st, lkey__store_view *v)
{
	char text[LKEY_STATE_TEXT_MAX + 1U];
	lkey_store_result r;
	const char *what;
	bool missing;
	size_t len;

	r = lkey__store_read(st, v, STORE_STATE, text, sizeof(text), &len,
	    &missing);
	if (r != LKEY_STORE_OK || missing)
		return r;
	switch (lkey_state_parse(text, len, v->product, &st->state)) {
	case LKEY_STATE_OK:
		return LKEY_STORE_OK;
	case LKEY_STATE_FOREIGN:
		what = "the state of another product";
		break;
	case LKEY_STATE_NOT_STATE:
		what = "not a state file";
		break;
	default:
		what = "a state file, damaged or edited";
		break;
	}
	return say(st, LKEY_STORE_DAMAGED, "%.*s/%s: %s: the store "
	    "is damaged; restore the file from a backup (removing it also "
	    "removes the clock guard's memory)", STORE_DIR_SHOWN, v->dir,
	    STORE_STATE, what);
}

lkey_store_result
lkey__store_load(lkey_store *st, lkey__store_view *v)
{
	lkey_store_result r;
	char why[128];

	lkey_state_init(&st->state, v->product);
	/* Nothing is authenticated without libsodium. */
	if (lkey_init() != 0)
		return say(st, LKEY_STORE_IO, "cannot initialise libsodium");
	switch (lkey__platform_dir(v->dir, why, sizeof(why))) {
	case PLATFORM_OK:
		break;
	case PLATFORM_MISSING:
		return LKEY_STORE_OK;	/* nothing registered yet */
	case PLATFORM_NOT_FILE:
		return say(st, LKEY_STORE_IO, "%.*s: not a "
		    "directory", STORE_DIR_SHOWN, v->dir);
	default:
		return say(st, LKEY_STORE_IO, "%.*s: cannot be "
		    "used: %s", STORE_DIR_SHOWN, v->dir, why);
	}
	v->has_dir = true;
	/* licence.keys last: its text stays in st->text. */
	if ((r = load_list(st, v)) != LKEY_STORE_OK ||
	    (r = load_state(st, v)) != LKEY_STORE_OK)
		return r;
	return lkey__store_keys_read(st, v);
}

/* The store's state and list agree (the state has seen no newer list). */
static lkey_store_result
consistent(lkey_store *st, const lkey__store_view *v)
{
	/* Only an old list put back, or the list removed, gets here: the
	 * store writes the list before it raises the state. */
	if (st->state.revocation_sequence <= v->list_sequence)
		return LKEY_STORE_OK;
	if (v->list_sequence == 0)
		return say(st, LKEY_STORE_DAMAGED, "%.*s/%s: "
		    "missing, but revocation list %u was installed here: the "
		    "store is damaged; install list %u, or a newer one, again",
		    STORE_DIR_SHOWN, v->dir, STORE_LIST,
		    st->state.revocation_sequence,
		    st->state.revocation_sequence);
	return say(st, LKEY_STORE_DAMAGED, "%.*s/%s: list %u, "
	    "older than list %u, which was installed here: the store is "
	    "damaged; install list %u, or a newer one, again",
	    STORE_DIR_SHOWN, v->dir, STORE_LIST, v->list_sequence,
	    st->state.revocation_sequence, st->state.revocation_sequence);
}

lkey_store_result
lkey__store_open(lkey_store *st, lkey__store_view *v, const char *dir,
    const lkey_pubkey *keys, size_t nkeys, const lkey_context *ctx)
{
	lkey_context c = *ctx;	/* it may be st->ctx of a call before */
	lkey_store_result r;

	lkey__store_reset(st, v, dir, keys, nkeys, c.product);
	if ((r = lkey__store_load(st, v)) != LKEY_STORE_OK ||
	    (r = consistent(st, v)) != LKEY_STORE_OK)
		return r;
	st->ctx = c;
	st->ctx.state = &st->state;
	st->ctx.revocations = st->revocations.sequence != 0 ?
	    &st->revocations : NULL;
	return LKEY_STORE_OK;
}

int
lkey_host_id_here(uint32_t product, uint8_t out[LKEY_HOST_ID_BYTES],
    char *why, size_t whycap)
{
	char id[64];
	size_t n;

	if (lkey__platform_machine_id(id, sizeof(id), &n, why, whycap) !=
	    PLATFORM_OK)
		return -1;
	lkey_host_id(id, n, product, out);
	return 0;
}

int
lkey__store_host(lkey_store *st, const lkey_license *lic, char *why,
    size_t whycap)
{
	/* Read only for a node-locked key; without one, host_mismatch. */
	if (lic->host_bound && !st->ctx.has_host) {
		st->ctx.has_host = lkey_host_id_here(st->ctx.product,
		    st->ctx.host, why, whycap) == 0;
		if (!st->ctx.has_host)
			return -1;
	}
	return 0;
}

/* Whether a was issued after b, or with them equal, registered after. */
static bool
newer(const lkey_license *keys, size_t a, size_t b)
{
	int o = lkey_license_order(&keys[a], &keys[b]);

	return o > 0 || (o == 0 && a > b);
}

bool
lkey__store_covers(const lkey_license *k, lkey_day today)
{
	return k->expires == LKEY_NEVER || today <= k->expires;
}

size_t
lkey__store_choose(const lkey_license *keys, size_t n, lkey_day today,
    bool *in_force)
{
	size_t i, cover = SIZE_MAX, started = SIZE_MAX, first = SIZE_MAX;
	const lkey_license *k;

	for (i = 0; i < n; i++) {
		k = &keys[i];
		if (k->starts > today) {
			if (first == SIZE_MAX ||
			    k->starts < keys[first].starts ||
			    (k->starts == keys[first].starts &&
			    newer(keys, i, first)))
				first = i;
			continue;
		}
		if (started == SIZE_MAX || newer(keys, i, started))
			started = i;
		if (lkey__store_covers(k, today) &&
		    (cover == SIZE_MAX || newer(keys, i, cover)))
			cover = i;
	}
	*in_force = started != SIZE_MAX;
	return cover != SIZE_MAX ? cover : started != SIZE_MAX ? started :
	    first;
}

/* The keys registered ahead, earliest first (in registration order on
 * the same day). */
static void
pending_fill(lkey_store *st)
{
	const lkey_license *k;
	size_t i, j;

	st->npending = 0;
	for (i = 0; i < st->history; i++) {
		k = &st->keys[i];
		if (k->starts <= st->ctx.today)
			continue;
		for (j = st->npending++; j > 0 &&
		    st->pending[j - 1U].starts > k->starts; j--)
			st->pending[j] = st->pending[j - 1U];
		st->pending[j].serial = k->serial;
		st->pending[j].starts = k->starts;
	}
}

/*
 * A period about to end is no news when a key registered ahead carries it
 * on: one newer than the licence in force, starting by the day after the
 * end and ending later. The warning to renew is then dropped.
 */
static bool
carried_on(const lkey_store *st, lkey_day end, bool maintenance)
{
	const lkey_license *k;
	size_t i;

	if (end == LKEY_NEVER)
		return false;
	for (i = 0; i < st->history; i++) {
		k = &st->keys[i];
		if (k->starts > st->ctx.today && k->starts <= end + 1U &&
		    (maintenance ? k->maintenance : k->expires) > end &&
		    lkey_license_order(k, &st->license) > 0)
			return true;
	}
	return false;
}

static void
renewed(lkey_store *st)
{
	uint32_t lic = 1U << LKEY_W_LICENSE_EXPIRING,
	    maint = 1U << LKEY_W_MAINTENANCE_EXPIRING;

	if ((st->report.warnings & lic) != 0 &&
	    carried_on(st, st->license.expires, false))
		st->report.warnings &= ~lic;
	if ((st->report.warnings & maint) != 0 &&
	    carried_on(st, st->license.maintenance, true))
		st->report.warnings &= ~maint;
}

lkey_store_result
lkey__store_pick(lkey_store *st, const lkey__store_view *v)
{
	char why[160];
	size_t c;
	bool nohost;

	pending_fill(st);
	memset(&st->license, 0, sizeof(st->license));
	memset(&st->report, 0, sizeof(st->report));
	st->has_license = st->in_force = false;
	st->status = LKEY_MALFORMED;
	if (st->history == 0)
		return say(st, LKEY_STORE_EMPTY, "%.*s: no licence "
		    "is registered in this store", STORE_DIR_SHOWN, v->dir);
	c = lkey__store_choose(st->keys, st->history, st->ctx.today,
	    &st->in_force);
	st->license = st->keys[c];
	st->has_license = true;
	nohost = lkey__store_host(st, &st->license, why, sizeof(why)) != 0;
	st->status = lkey_check(&st->license, &st->ctx, &st->report);
	renewed(st);
	if (nohost)
		return say(st, LKEY_STORE_OK, NO_MACHINE_ID ": %s.", why);
	return LKEY_STORE_OK;
}

lkey_store_result
lkey__store_mkdir(lkey_store *st, lkey__store_view *v)
{
	char why[128];

	if (v->has_dir)
		return LKEY_STORE_OK;
	if (lkey__platform_mkdir(v->dir, why, sizeof(why)) != PLATFORM_OK)
		return say(st, LKEY_STORE_IO, "%.*s: cannot create "
		    "the store's directory: %s", STORE_DIR_SHOWN, v->dir, why);
	v->has_dir = true;
	return LKEY_STORE_OK;
}

lkey_store_result
lkey__store_write(lkey_store *st, const lkey__store_view *v,
    const char *name, const char *data, size_t len)
{
	char why[128];

	if (lkey__platform_replace(v->dir, name, data, len, why,
	    sizeof(why)) != PLATFORM_OK)
		return say(st, LKEY_STORE_IO, "%.*s/%s: cannot be "
		    "written: %s; it is unchanged", STORE_DIR_SHOWN, v->dir,
		    name, why);
	return LKEY_STORE_OK;
}

/* Writes st->state to the store's state file. */
static lkey_store_result
write_state(lkey_store *st, const lkey__store_view *v)
{
	char text[LKEY_STATE_TEXT_MAX];
	size_t n = lkey_state_format(&st->state, text, sizeof(text));

	if (n == 0)
		return say(st, LKEY_STORE_IO, "%.*s/%s: the state "
		    "cannot be written", STORE_DIR_SHOWN, v->dir, STORE_STATE);
	return lkey__store_write(st, v, STORE_STATE, text, n);
}

lkey_store_result
lkey__store_record(lkey_store *st, const lkey__store_view *v)
{
	if (!lkey_state_update(&st->state, &st->ctx, st->status))
		return LKEY_STORE_OK;
	return write_state(st, v);
}

lkey_store_result
lkey_store_evaluate(lkey_store *st, const char *dir, const lkey_pubkey *keys,
    size_t nkeys, const lkey_context *ctx)
{
	lkey__store_view v;
	lkey_store_result r;

	if ((r = lkey__store_open(st, &v, dir, keys, nkeys, ctx)) !=
	    LKEY_STORE_OK || (r = lkey__store_pick(st, &v)) != LKEY_STORE_OK)
		return r;
	return lkey__store_record(st, &v);
}

/* Why a revocation list was refused, into st->message. */
static lkey_store_result
list_refused(lkey_store *st, lkey_status s, const lkey_detail *d)
{
	st->key_status = s;
	st->key_detail = *d;
	if (s == LKEY_UNKNOWN_KEY)
		return say(st, LKEY_STORE_REFUSED, "The revocation "
		    "list was signed by vendor key %08x, which this "
		    "application does not know. Nothing was installed.",
		    (unsigned)d->value);
	if (s == LKEY_BAD_SIGNATURE)
		return say(st, LKEY_STORE_REFUSED, "The revocation "
		    "list was altered: its signature does not verify. Nothing "
		    "was installed.");
	return say(st, LKEY_STORE_REFUSED, "This is not a "
	    "revocation list, or it is damaged. Nothing was installed.");
}

/*
 * The list is written before the state is raised: a crash between the
 * two leaves a list newer than the state has seen, which is consistent
 * (the next valid check raises the state); the other order would leave a
 * state that has seen a list the store does not hold.
 */
lkey_store_result
lkey_store_install_revocations(lkey_store *st, const char *dir,
    const char *text, size_t len, const lkey_pubkey *keys, size_t nkeys,
    uint32_t product)
{
	lkey__store_view v;
	lkey_store_result r;
	uint32_t seen;
	lkey_detail d;
	lkey_status s;

	lkey__store_reset(st, &v, dir, keys, nkeys, product);
	if ((r = lkey__store_load(st, &v)) != LKEY_STORE_OK)
		return r;
	seen = st->state.revocation_sequence > v.list_sequence ?
	    st->state.revocation_sequence : v.list_sequence;
	s = lkey_revocations_decode(text, len, keys, nkeys, &st->revocations,
	    &d);
	if (s != LKEY_OK)
		return list_refused(st, s, &d);
	if (st->revocations.sequence < seen)
		return say(st, LKEY_STORE_REFUSED, "Revocation list "
		    "%u is older than list %u, already installed here. Nothing "
		    "was installed: install the newest list.",
		    st->revocations.sequence, seen);
	if (st->revocations.sequence == v.list_sequence &&
	    st->state.revocation_sequence == v.list_sequence)
		return say(st, LKEY_STORE_OK, "Revocation list %u "
		    "is installed already; nothing changed.", v.list_sequence);
	if ((r = lkey__store_mkdir(st, &v)) != LKEY_STORE_OK ||
	    (st->revocations.sequence != v.list_sequence &&
	    (r = lkey__store_write(st, &v, STORE_LIST, text, len)) !=
	    LKEY_STORE_OK))
		return r;
	if (st->revocations.sequence > st->state.revocation_sequence) {
		st->state.revocation_sequence = st->revocations.sequence;
		if ((r = write_state(st, &v)) != LKEY_STORE_OK)
			return r;
	}
	return say(st, LKEY_STORE_OK, "Installed revocation list "
	    "%u (%zu licence%s revoked).", st->revocations.sequence,
	    st->revocations.count, st->revocations.count == 1 ? "" : "s");
}

const char *
lkey_store_result_name(lkey_store_result result)
{
	switch (result) {
	case LKEY_STORE_OK:
		return "ok";
	case LKEY_STORE_EMPTY:
		return "empty";
	case LKEY_STORE_REFUSED:
		return "refused";
	case LKEY_STORE_DAMAGED:
		return "damaged";
	case LKEY_STORE_IO:
		return "io";
	default:
		return "unknown";
	}
}

/*
 * register.c - registering a key in the licence store (docs/STORE.md)
 *
 * A key is checked before anything is written: it must decode, be for the
 * product, not be revoked, bound to another computer or expired; it must
 * not give less than the licence in force, and must itself be used (in
 * force now, or on its start day), unless the caller forces it. Only then
 * is licence.keys replaced, whole, with the key's line added and, past
 * LKEY_STORE_KEYS_MAX keys, the oldest superseded key's line removed. A
 * refusal writes nothing.
 */
#include <stdio.h>
#include <string.h>

#include "store_int.h"

/* The candidate's place in st->keys while it is weighed. */
#define NONE SIZE_MAX

static void
register_seats_text(uint32_t seats, char out[16])
{
	if (seats == LKEY_SEATS_UNLIMITED)
		(void)snprintf(out, 16, "unlimited");
	else
		(void)snprintf(out, 16, "%u", seats);
}

/* A module the key in force limits that c limits more. */
static bool
fewer_module_seats(const lkey_license *c, const lkey_license *f,
    uint32_t *bit)
{
	uint32_t b, cs, fs;

	for (b = 0; b < LKEY_FEATURES_MAX; b++) {
		if (!(c->features & f->features & (1U << b)))
			continue;
		cs = c->module_seats[b];
		fs = f->module_seats[b];
		/* 0: no count of its own, only the product's seats. */
		if (cs != 0 && (fs == 0 || cs < fs)) {
			*bit = b;
			return true;
		}
	}
	return false;
}

/*
 * Whether c gives less than f, the licence in force: a phrase saying how
 * into why. The terms a customer pays for, each compared on its own.
 */
static bool
gives_less(const lkey_license *c, const lkey_license *f, char *why,
    size_t cap)
{
	char a[16], b[16];
	uint32_t bit;

	if (c->seats < f->seats) {
		register_seats_text(c->seats, a);
		register_seats_text(f->seats, b);
		(void)snprintf(why, cap, "%s seats instead of %s", a, b);
	} else if (c->edition < f->edition)
		(void)snprintf(why, cap, "edition %u instead of %u", c->edition,
		    f->edition);
	else if ((f->features & ~c->features) != 0) {
		for (bit = 0; !((f->features & ~c->features) & (1U << bit));
		    bit++)
			continue;
		(void)snprintf(why, cap, "no feature %u, which the licence in "
		    "force has", bit);
	} else if (fewer_module_seats(c, f, &bit)) {
		register_seats_text(f->module_seats[bit] == 0 ? f->seats :
		    f->module_seats[bit], b);
		(void)snprintf(why, cap, "%u seats for module %u instead of "
		    "%s", c->module_seats[bit], bit, b);
	} else if (c->expires < f->expires) {
		lkey_day_format(c->expires, a);
		lkey_day_format(f->expires, b);
		(void)snprintf(why, cap, "a licence that ends on %s instead of "
		    "%s", a, b);
	} else if (c->maintenance < f->maintenance) {
		lkey_day_format(c->maintenance, a);
		lkey_day_format(f->maintenance, b);
		(void)snprintf(why, cap, "maintenance that ends on %s instead "
		    "of %s", a, b);
	} else if (c->host_bound && !f->host_bound)
		(void)snprintf(why, cap, "a licence bound to one computer, "
		    "where the licence in force is not");
	else
		return false;
	return true;
}

/* A problem of the candidate's own check that refuses it, or LKEY_OK. */
static lkey_status
refusing(const lkey_report *rep, size_t *which)
{
	size_t i;

	for (i = 0; i < rep->nproblems; i++)
		switch (rep->problems[i].status) {
		case LKEY_MALFORMED:
		case LKEY_WRONG_PRODUCT:
		case LKEY_REVOKED:
		case LKEY_HOST_MISMATCH:
		case LKEY_EXPIRED:
			*which = i;
			return rep->problems[i].status;
		default:
			break;
		}
	return LKEY_OK;
}

/*
 * A refused registration: st shows the store as it stands (the licence
 * in force, checked, nothing recorded), the key's verdict and why (msg).
 */
static lkey_store_result
refuse(lkey_store *st, const lkey__store_view *v, lkey_status key_status,
    const lkey_detail *d, const char *msg)
{
	(void)lkey__store_pick(st, v);
	st->key_status = key_status;
	if (d != NULL)
		st->key_detail = *d;
	st->registered = LKEY_REG_NONE;
	return lkey__store_say(st, LKEY_STORE_REFUSED, "%s", msg);
}

/* Refused, but LKEY_STORE_FORCE would register it. */
static lkey_store_result
forcible(lkey_store *st, const lkey__store_view *v, lkey_status key_status,
    const char *msg)
{
	lkey_store_result r = refuse(st, v, key_status, NULL, msg);

	st->forcible = true;
	return r;
}

/*
 * The candidate (st->keys[st->history]) against the store: refused for
 * its own check, or unless forced for giving less than the licence in
 * force or for not being used at all. LKEY_STORE_OK to go on.
 */
static lkey_store_result
weigh(lkey_store *st, const lkey__store_view *v, unsigned flags)
{
	const lkey_license *cand = &st->keys[st->history];
	/* text: room for both; st->message keeps what fits (512). */
	char why[320], noid[160], text[sizeof(st->message) + 160U];
	lkey_status s, own;
	bool force = (flags & LKEY_STORE_FORCE) != 0, in_force, nohost;
	size_t f, i = 0;

	nohost = lkey__store_host(st, cand, noid, sizeof(noid)) != 0;
	own = lkey_check(cand, &st->ctx, &st->report);
	if ((s = refusing(&st->report, &i)) != LKEY_OK) {
		(void)lkey_problem_text(&st->report.problems[i], cand,
		    &st->ctx, &st->report, NULL, why, sizeof(why));
		if (s == LKEY_HOST_MISMATCH && nohost)	/* and why not */
			(void)snprintf(text, sizeof(text), "%s " NO_MACHINE_ID
			    ": %s. Nothing was registered.", why, noid);
		else
			(void)snprintf(text, sizeof(text), "%s Nothing was "
			    "registered.", why);
		return refuse(st, v, s, NULL, text);
	}
	st->key_status = own;
	f = lkey__store_choose(st->keys, st->history, st->ctx.today,
	    &in_force);
	if (!force && f != NONE && in_force &&
	    lkey__store_covers(&st->keys[f], st->ctx.today) &&
	    gives_less(cand, &st->keys[f], why, sizeof(why))) {
		(void)snprintf(text, sizeof(text), "The key gives less than "
		    "licence %u, which is in force: %s. Nothing was "
		    "registered; register it only if that is meant (it can be "
		    "forced).", st->keys[f].serial, why);
		return forcible(st, v, own, text);
	}
	/* Used now, or on its start day; else it would only be history. */
	f = lkey__store_choose(st->keys, st->history + 1U, st->ctx.today,
	    &in_force);
	if (!force && cand->starts <= st->ctx.today && f != st->history) {
		(void)snprintf(text, sizeof(text), "Licence %u, issued after "
		    "this key, stays in force: this key would not be used. "
		    "Nothing was registered (it can be forced).",
		    st->keys[f].serial);
		return forcible(st, v, own, text);
	}
	return LKEY_STORE_OK;
}

/*
 * With one key too many, the oldest (lkey_license_order) that is neither
 * in force with the candidate added nor pending, and not the candidate:
 * its index, or NONE.
 */
static size_t
to_drop(const lkey_store *st)
{
	size_t i, n = st->history + 1U, in, drop = NONE;
	bool in_force;

	in = lkey__store_choose(st->keys, n, st->ctx.today, &in_force);
	for (i = 0; i < st->history; i++) {
		if (i == in || st->keys[i].starts > st->ctx.today)
			continue;
		if (drop == NONE ||
		    lkey_license_order(&st->keys[i], &st->keys[drop]) < 0)
			drop = i;
	}
	return drop;
}

/*
 * The new licence.keys in st->text: the first line if the file is new,
 * the line of key `drop` (or NONE) removed, the candidate's line added.
 */
static lkey_store_result
compose(lkey_store *st, lkey__store_view *v, size_t drop, const char *key,
    size_t n)
{
	size_t i, start, cut;

	if (v->keys_len == 0) {
		v->keys_len = lkey__store_head(v->product, st->text,
		    STORE_HEAD_MAX);
		if (v->keys_len == 0)
			return lkey__store_say(st, LKEY_STORE_IO, "%.*s/%s: "
			    "cannot be written", STORE_DIR_SHOWN, v->dir,
			    STORE_KEYS);
	}
	if (drop != NONE) {
		start = v->line_off[drop];
		cut = v->line_len[drop] + 1U;
		memmove(st->text + start, st->text + start + cut,
		    v->keys_len - start - cut);
		v->keys_len -= cut;
		for (i = drop; i + 1U < st->history; i++) {
			v->line_off[i] = v->line_off[i + 1U] - cut;
			v->line_len[i] = v->line_len[i + 1U];
		}
	}
	memcpy(st->text + v->keys_len, key, n);
	st->text[v->keys_len + n] = '\n';
	v->keys_len += n + 1U;
	return LKEY_STORE_OK;
}

/* What registration did, once the store is evaluated with the key. */
static lkey_store_result
outcome(lkey_store *st, size_t cand)
{
	char day[11], tail[200];
	bool in_force;
	size_t c;

	c = lkey__store_choose(st->keys, st->history, st->ctx.today,
	    &in_force);
	if (st->keys[cand].starts > st->ctx.today)
		st->registered = LKEY_REG_PENDING;
	else
		st->registered = c == cand ? LKEY_REG_IN_FORCE :
		    LKEY_REG_HISTORY;
	tail[0] = '\0';
	if (st->dropped)
		(void)snprintf(tail, sizeof(tail), " Licence %u, the oldest "
		    "superseded key, was dropped: the store keeps at most %u "
		    "keys.", st->dropped_serial, LKEY_STORE_KEYS_MAX);
	lkey_day_format(st->keys[cand].starts, day);
	if (st->registered == LKEY_REG_PENDING)
		return lkey__store_say(st, LKEY_STORE_OK, "Registered licence "
		    "%u: it takes over on %s.%s", st->keys[cand].serial, day,
		    tail);
	if (st->registered == LKEY_REG_IN_FORCE)
		return lkey__store_say(st, LKEY_STORE_OK, "Registered licence "
		    "%u: it is in force.%s", st->keys[cand].serial, tail);
	return lkey__store_say(st, LKEY_STORE_OK, "Registered licence %u, "
	    "but licence %u stays in force.%s", st->keys[cand].serial,
	    st->keys[c].serial, tail);
}

/*
 * Writes licence.keys with the candidate; then st->keys are the keys as
 * written, the candidate last.
 */
static lkey_store_result
register_add(lkey_store *st, lkey__store_view *v, const char *key, size_t n)
{
	lkey_store_result r;
	size_t drop = NONE;

	if (st->history == LKEY_STORE_KEYS_MAX) {
		drop = to_drop(st);
		if (drop == NONE)
			return refuse(st, v, st->key_status, NULL, "The store "
			    "holds as many keys as it can, each in force or "
			    "registered ahead: none can make room. Nothing "
			    "was registered.");
	}
	if ((r = compose(st, v, drop, key, n)) != LKEY_STORE_OK ||
	    (r = lkey__store_mkdir(st, v)) != LKEY_STORE_OK ||
	    (r = lkey__store_write(st, v, STORE_KEYS, st->text,
	    v->keys_len)) != LKEY_STORE_OK)
		return r;
	if (drop != NONE) {
		st->dropped = true;
		st->dropped_serial = st->keys[drop].serial;
		memmove(&st->keys[drop], &st->keys[drop + 1U],
		    (st->history - drop) * sizeof(st->keys[0]));
	} else
		st->history++;
	return LKEY_STORE_OK;
}

lkey_store_result
lkey_store_register(lkey_store *st, const char *dir, const char *text,
    size_t len, const lkey_pubkey *keys, size_t nkeys,
    const lkey_context *ctx, unsigned flags)
{
	char key[LKEY_TEXT_MAX + 1U], msg[sizeof(st->message)];
	lkey__store_view v;
	lkey_store_result r;
	lkey_detail d;
	bool found;
	lkey_status s;
	size_t n, i;

	if ((r = lkey__store_open(st, &v, dir, keys, nkeys, ctx)) !=
	    LKEY_STORE_OK)
		return r;

	/* The key in pasted text, in its canonical form; a refusal is
	 * placed in the text found wrong (the pasted text, or the key). */
	s = lkey_key_find(text, len, key, sizeof(key), &n, NULL, &d);
	found = s == LKEY_OK;
	if (found)
		s = lkey_decode(key, n, keys, nkeys, &st->keys[st->history],
		    &d);
	if (s == LKEY_MALFORMED) {
		(void)lkey_detail_text(&d, found ? key : text, found ? n : len,
		    msg, sizeof(msg) - 32U);
		(void)snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg),
		    " Nothing was registered.");
		return refuse(st, &v, s, &d, msg);
	}
	if (s != LKEY_OK) {
		(void)snprintf(msg, sizeof(msg), "%s Nothing was registered.",
		    lkey_status_message(s));
		return refuse(st, &v, s, &d, msg);
	}
	if ((i = lkey__store_held(&v, st->history, st->text, key, n)) !=
	    NONE) {
		if ((r = lkey__store_pick(st, &v)) != LKEY_STORE_OK)
			return r;
		st->registered = LKEY_REG_ALREADY;
		(void)lkey__store_say(st, LKEY_STORE_OK, "Licence %u is "
		    "registered already; nothing changed.",
		    st->keys[i].serial);
		return lkey__store_record(st, &v);
	}
	if ((r = weigh(st, &v, flags)) != LKEY_STORE_OK ||
	    (r = register_add(st, &v, key, n)) != LKEY_STORE_OK ||
	    (r = lkey__store_pick(st, &v)) != LKEY_STORE_OK)
		return r;
	(void)outcome(st, st->history - 1U);
	return lkey__store_record(st, &v);
}

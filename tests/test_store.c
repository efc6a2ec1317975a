/*
 * test_store.c - the licence store of liblkey (lkey_store_*), called the
 * way an application calls it, on real keys signed with a vendor key of
 * the test's own (vendorkey.c) from the terms of fixture.c's lic_make.
 *
 * What is checked: a key registered is in force; one registered ahead is
 * pending and takes over on its start day with nobody acting, also after
 * an upgrade registered in between; a key that gives less is refused (each
 * way of giving less) and registered when forced; the same key twice
 * changes nothing; keys that are for another product, expired, revoked,
 * bound to another computer, altered or not keys at all are refused with
 * the store byte for byte as it was; the history keeps 16 keys, dropping
 * the oldest superseded one and saying so, never a pending one; every way
 * licence.keys, the state and the revocation list can be damaged (a
 * symbolic link too) is LKEY_STORE_DAMAGED naming the file, for evaluate,
 * register and install alike, with nothing written; an older revocation
 * list is refused; an empty store is LKEY_STORE_EMPTY and creates nothing.
 *
 * Every store lives in a new directory below the group's (files.c). The
 * files a call must not change are compared whole before and after, and
 * the directory's names too (no temporary file left behind).
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#ifdef _WIN32
#include <ctype.h>
#include <windows.h>
#endif

#include "fixture.h"
#include "lkey.h"
#include "lkey_vendor.h"
#include "proc.h"
#include "vendorkey.h"

#define KEYS_FILE "licence.keys"
#define HEAD "# lkey licence store of product 1: the registered keys, one " \
	"a line, in the order registered. Do not edit.\n"
#define SNAPCAP 16384U
#define LISTCAP LKEY_REVOCATIONS_TEXT_CAP

/* The vendor key (sodium_malloc memory) and its ring of one. */
static lkey_vendor_key *demo;
static lkey_pubkey ring[1];
static lkey_store st;

static int
setup(void **state)
{
	if (lkey_init() != 0 || proc_setup(state) != 0)
		return -1;
	demo = sodium_malloc(sizeof(*demo));
	if (demo == NULL)
		return -1;
	vendor_key(1, demo);
	ring[0] = demo->pub;
	return 0;
}

static int
teardown(void **state)
{
	if (demo != NULL) {
		sodium_free(demo);
		demo = NULL;
	}
	return proc_teardown(state);
}

/* ---- helpers ------------------------------------------------------------ */

/*
 * A key with the terms of lic_make(spec) (product 1, 25 seats,
 * 2027-01-01 to 2027-12-31, ...), issued on its start day unless spec
 * says, signed with the demo key; into out (KEYCAP bytes).
 */
static void
key(char *out, const char *spec)
{
	lkey_license t = lic_make(spec);

	if (t.issued == 0)
		t.issued = t.starts;
	assert_int_equal(lkey_issue(demo, &t, out, KEYCAP), LKEY_ISSUE_OK);
}

/* A key bound to host id `host`, the rest as key(). */
static void
bound_key(char *out, const char *spec, const uint8_t host[8])
{
	lkey_license t = lic_make(spec);

	if (t.issued == 0)
		t.issued = t.starts;
	t.host_bound = true;
	memcpy(t.host, host, LKEY_HOST_ID_BYTES);
	assert_int_equal(lkey_issue(demo, &t, out, KEYCAP), LKEY_ISSUE_OK);
}

/* A revocation list of the demo key: sequence, the serials revoked. */
static void
list(char *out, uint32_t sequence, const uint32_t *serials, size_t n)
{
	lkey_revoked r[8];
	size_t i;

	assert_true(n <= 8);
	for (i = 0; i < n; i++) {
		r[i].key_id = demo->pub.id;
		r[i].serial = serials[i];
	}
	assert_int_equal(lkey_revocations_issue(demo, sequence,
	    day("2027-01-01"), r, n, out, LISTCAP), LKEY_ISSUE_OK);
}

/* A new empty directory fx->dir/name into dir (PATHCAP bytes). */
static void
fresh(const struct fx *fx, const char *name, char *dir)
{
	path_in(fx, name, dir, PATHCAP);
	assert_int_equal(rm_tree(dir), 0);
	assert_int_equal(make_dir(dir), 0);
}

static void
in(const char *dir, const char *name, char *out)
{
	bprintf(out, PATHCAP, "%s/%s", dir, name);
}

static void
put(const char *dir, const char *name, const char *text)
{
	char p[PATHCAP];

	in(dir, name, p);
	write_file(p, text, strlen(text));
}

/* What dir/name holds ("" if nothing), into buf (SNAPCAP). */
static const char *
content(const char *dir, const char *name, char *buf)
{
	char p[PATHCAP];

	in(dir, name, p);
	buf[0] = '\0';
	if (file_exists(p))
		(void)read_file(p, buf, SNAPCAP);
	return buf;
}

static lkey_context
at(const char *today)
{
	char spec[64];

	bprintf(spec, sizeof(spec), "today=%s", today);
	return ctx_make(spec);
}

static lkey_store_result
reg(const char *dir, const char *k, const char *today, unsigned flags)
{
	lkey_context c = at(today);

	return lkey_store_register(&st, dir, k, strlen(k), ring, 1, &c,
	    flags);
}

static lkey_store_result
eval(const char *dir, const char *today)
{
	lkey_context c = at(today);

	return lkey_store_evaluate(&st, dir, ring, 1, &c);
}

static lkey_store_result
install(const char *dir, const char *text)
{
	return lkey_store_install_revocations(&st, dir, text, strlen(text),
	    ring, 1, 1);
}

/* Fails with the store's message unless the result is `want`. */
static void
result_is(lkey_store_result got, lkey_store_result want, const char *what)
{
	if (got != want)
		fail_msg("%s: %s, expected %s (%s)", what,
		    lkey_store_result_name(got), lkey_store_result_name(want),
		    st.message);
}

/*
 * Everything a store directory holds: each entry's name and, for a file,
 * its bytes; for a link, its target. Two snapshots are equal only if not
 * one byte, name or link changed.
 */
struct snap {
	size_t n;
	char name[8][64];
	char body[8][SNAPCAP];
};

static void
snapshot(const char *dir, struct snap *s)
{
	char p[PATHCAP];
	struct dirent *e;
	struct stat sb;
	ssize_t len;
	DIR *d;

	memset(s, 0, sizeof(*s));
	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		assert_true(s->n < 8);
		bprintf(s->name[s->n], sizeof(s->name[0]), "%s", e->d_name);
		in(dir, e->d_name, p);
		assert_int_equal(lstat(p, &sb), 0);
		if (S_ISLNK(sb.st_mode)) {
			len = readlink(p, s->body[s->n], SNAPCAP - 1U);
			assert_true(len >= 0);
		} else if (S_ISREG(sb.st_mode))
			(void)read_file(p, s->body[s->n], SNAPCAP);
		else
			bprintf(s->body[s->n], SNAPCAP, "(mode %o)",
			    (unsigned)sb.st_mode);
		s->n++;
	}
	(void)closedir(d);
}

/* Fails unless dir holds what `before` recorded, name for name. */
static void
unchanged(const char *dir, const struct snap *before, const char *what)
{
	static struct snap after;
	size_t i, j;

	snapshot(dir, &after);
	if (after.n != before->n)
		fail_msg("%s: the store held %zu names, now %zu", what,
		    before->n, after.n);
	for (i = 0; i < before->n; i++) {
		for (j = 0; j < after.n; j++)
			if (strcmp(before->name[i], after.name[j]) == 0)
				break;
		if (j == after.n)
			fail_msg("%s: %s is gone", what, before->name[i]);
		if (strcmp(before->body[i], after.body[j]) != 0)
			fail_msg("%s: %s changed:\n%s\nnow:\n%s", what,
			    before->name[i], before->body[i], after.body[j]);
	}
}

/* licence.keys as the store writes it for these keys (NULL-ended). */
static const char *
keys_file(const char *first, ...)
{
	static char out[SNAPCAP];
	const char *k;
	size_t n;
	va_list ap;

	n = (size_t)snprintf(out, sizeof(out), "%s", HEAD);
	va_start(ap, first);
	for (k = first; k != NULL; k = va_arg(ap, const char *))
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s\n", k);
	va_end(ap);
	assert_true(n < sizeof(out));
	return out;
}

static void
assert_keys_file(const char *dir, const char *want)
{
	static char buf[SNAPCAP];

	assert_string_equal(content(dir, KEYS_FILE, buf), want);
}

/* ---- registering -------------------------------------------------------- */

static void
test_register_in_force(void **state)
{
	char dir[PATHCAP], k1[KEYCAP], buf[SNAPCAP];
	lkey_state s;

	fresh(*state, "in-force", dir);
	assert_int_equal(rmdir(dir), 0);	/* created by the store */
	key(k1, "serial=1");
	result_is(reg(dir, k1, "2027-03-01", 0), LKEY_STORE_OK, "register");
	assert_int_equal(st.registered, LKEY_REG_IN_FORCE);
	assert_true(st.has_license && st.in_force);
	assert_int_equal(st.status, LKEY_OK);
	assert_int_equal(st.license.serial, 1);
	assert_int_equal(st.history, 1);
	assert_int_equal(st.npending, 0);
	assert_false(st.dropped);
	assert_non_null(strstr(st.message, "in force"));
#ifndef _WIN32	/* where the directory's rights come from its parent's */
	assert_int_equal(mode_of(dir) & 0777, 0700);
#endif
	assert_keys_file(dir, keys_file(k1, NULL));
	/* The valid check is in the clock guard's state. */
	(void)content(dir, "state", buf);
	assert_int_equal(lkey_state_parse(buf, strlen(buf), 1, &s),
	    LKEY_STATE_OK);
	assert_int_equal(s.last_seen, 0);	/* one check confirms nothing */
	assert_int_equal(s.latest, day("2027-03-01"));

	result_is(eval(dir, "2027-03-02"), LKEY_STORE_OK, "evaluate");
	assert_int_equal(st.status, LKEY_OK);
	assert_int_equal(st.license.serial, 1);
	assert_int_equal(st.report.license_days_left, 305);
	assert_ptr_equal(st.ctx.state, &st.state);
	assert_null(st.ctx.revocations);
	/* Pasted with line breaks and spaces: the same key. */
	{
		char wrapped[KEYCAP + 16];

		bprintf(wrapped, sizeof(wrapped), "  %.20s\r\n%s\n", k1,
		    k1 + 20);
		result_is(reg(dir, wrapped, "2027-03-02", 0), LKEY_STORE_OK,
		    "register wrapped");
		assert_int_equal(st.registered, LKEY_REG_ALREADY);
	}
}

static void
test_pending_takes_over(void **state)
{
	char dir[PATHCAP], k1[KEYCAP], r[KEYCAP];

	fresh(*state, "pending", dir);
	key(k1, "serial=1 notice=30");
	key(r, "serial=2 starts=2028-01-01 expires=2028-12-31 "
	    "maintenance=2028-12-31 issued=2027-11-15 notice=30");
	/* Without a renewal, the licence's last day warns. */
	result_is(reg(dir, k1, "2027-12-31", 0), LKEY_STORE_OK, "alone");
	assert_int_not_equal(st.report.warnings &
	    (1U << LKEY_W_LICENSE_EXPIRING), 0);
	fresh(*state, "pending", dir);
	result_is(reg(dir, k1, "2027-03-01", 0), LKEY_STORE_OK, "k1");
	result_is(reg(dir, r, "2027-11-20", 0), LKEY_STORE_OK, "renewal");
	assert_int_equal(st.registered, LKEY_REG_PENDING);
	assert_non_null(strstr(st.message, "takes over on 2028-01-01"));
	assert_int_equal(st.license.serial, 1);
	assert_true(st.in_force);
	assert_int_equal(st.npending, 1);
	assert_int_equal(st.pending[0].serial, 2);
	assert_int_equal(st.pending[0].starts, day("2028-01-01"));
	assert_int_equal(st.history, 2);
	assert_keys_file(dir, keys_file(k1, r, NULL));

	/* The old licence's last day, then the renewal's first. Its last
	 * weeks ask for no renewal: it is registered. */
	result_is(eval(dir, "2027-12-31"), LKEY_STORE_OK, "last day");
	assert_int_equal(st.status, LKEY_OK);
	assert_int_equal(st.license.serial, 1);
	assert_int_equal(st.npending, 1);
	assert_int_equal(st.report.warnings &
	    (1U << LKEY_W_LICENSE_EXPIRING), 0);
	assert_int_equal(st.report.warnings &
	    (1U << LKEY_W_MAINTENANCE_EXPIRING), 0);
	result_is(eval(dir, "2028-01-01"), LKEY_STORE_OK, "first day");
	assert_int_equal(st.status, LKEY_OK);
	assert_int_equal(st.license.serial, 2);
	assert_true(st.in_force);
	assert_int_equal(st.npending, 0);
	assert_int_equal(st.history, 2);
}

/* Registered ahead into an empty store: nothing is in force yet. */
static void
test_pending_first(void **state)
{
	char dir[PATHCAP], k[KEYCAP], later[KEYCAP];

	fresh(*state, "pending-first", dir);
	key(k, "serial=3 starts=2027-04-01 issued=2027-02-01");
	key(later, "serial=4 starts=2027-05-01 issued=2027-02-01");
	result_is(reg(dir, later, "2027-03-01", 0), LKEY_STORE_OK, "later");
	result_is(reg(dir, k, "2027-03-01", 0), LKEY_STORE_OK, "k");
	assert_int_equal(st.registered, LKEY_REG_PENDING);
	assert_false(st.in_force);
	assert_true(st.has_license);
	assert_int_equal(st.status, LKEY_NOT_YET_VALID);
	assert_int_equal(st.license.serial, 3);
	assert_int_equal(st.npending, 2);
	assert_int_equal(st.pending[0].serial, 3);
	assert_int_equal(st.pending[1].serial, 4);
	result_is(eval(dir, "2027-04-01"), LKEY_STORE_OK, "start day");
	assert_int_equal(st.status, LKEY_OK);
	assert_int_equal(st.license.serial, 3);
	assert_int_equal(st.npending, 1);
}

/*
 * An upgrade in the last months of a licence, with the renewal registered
 * before it (issued before the upgrade) and, in a second store, after it:
 * the upgrade is in force to its end, then the renewal, although the
 * upgrade is the newer key, because only the renewal covers that day.
 */
static void
test_upgrade_then_renewal(void **state)
{
	char dir[PATHCAP], a[KEYCAP], u[KEYCAP], r[KEYCAP];
	int round;

	key(a, "serial=1 seats=10");
	key(r, "serial=2 seats=20 starts=2028-01-01 expires=2028-12-31 "
	    "maintenance=2028-12-31 issued=2027-10-01");
	key(u, "serial=3 seats=20 starts=2027-11-01 issued=2027-11-01 "
	    "maintenance=2027-12-31");
	for (round = 0; round < 2; round++) {
		fresh(*state, round == 0 ? "upgrade-1" : "upgrade-2", dir);
		result_is(reg(dir, a, "2027-03-01", 0), LKEY_STORE_OK, "a");
		result_is(reg(dir, round == 0 ? r : u, "2027-11-02", 0),
		    LKEY_STORE_OK, "first");
		result_is(reg(dir, round == 0 ? u : r, "2027-11-02", 0),
		    LKEY_STORE_OK, "second");
		assert_int_equal(st.registered, round == 0 ?
		    LKEY_REG_IN_FORCE : LKEY_REG_PENDING);
		assert_int_equal(st.license.serial, 3);
		assert_int_equal(st.license.seats, 20);
		result_is(eval(dir, "2027-12-31"), LKEY_STORE_OK, "last");
		assert_int_equal(st.license.serial, 3);
		assert_int_equal(st.status, LKEY_OK);
		result_is(eval(dir, "2028-01-01"), LKEY_STORE_OK, "renewal");
		assert_int_equal(st.license.serial, 2);
		assert_int_equal(st.status, LKEY_OK);
		assert_int_equal(st.history, 3);
	}
}

/* Each way a key gives less than the licence in force. */
static void
test_gives_less(void **state)
{
	static const struct {
		const char *spec, *why;
	} less[] = {
		{ "seats=10", "10 seats instead of 25" },
		{ "edition=1", "edition 1 instead of 2" },
		{ "features=0x1 module_seats[1]=0", "no feature 1" },
		{ "features=0x3 module_seats[1]=4", "4 seats for module 1 "
		  "instead of 5" },
		{ "features=0x3 module_seats[0]=9", "9 seats for module 0 "
		  "instead of 25" },
		{ "expires=2027-11-30", "ends on 2027-11-30 instead of "
		  "2027-12-31" },
		{ "maintenance=2027-05-31", "maintenance that ends on "
		  "2027-05-31" },
		{ "host", "bound to one computer" },
	};
	char dir[PATHCAP], f[KEYCAP], c[KEYCAP], spec[128];
	static struct snap before;
	uint8_t host[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	lkey_context ctx = at("2027-03-01");
	size_t i;

	key(f, "serial=1 features=0x3 module_seats[1]=5");
	for (i = 0; i < sizeof(less) / sizeof(less[0]); i++) {
		fresh(*state, "less", dir);
		result_is(reg(dir, f, "2027-03-01", 0), LKEY_STORE_OK, "f");
		if (strcmp(less[i].spec, "host") == 0)
			bound_key(c, "serial=2 issued=2027-02-01 features=0x3 "
			    "module_seats[1]=5", host);
		else {
			bprintf(spec, sizeof(spec), "serial=2 "
			    "issued=2027-02-01 features=0x3 "
			    "module_seats[1]=5 %s", less[i].spec);
			key(c, spec);
		}
		ctx.has_host = true;
		memcpy(ctx.host, host, sizeof(host));
		snapshot(dir, &before);
		result_is(lkey_store_register(&st, dir, c, strlen(c), ring, 1,
		    &ctx, 0), LKEY_STORE_REFUSED, less[i].spec);
		unchanged(dir, &before, less[i].spec);
		if (strstr(st.message, less[i].why) == NULL)
			fail_msg("%s: \"%s\" does not say \"%s\"", less[i].spec,
			    st.message, less[i].why);
		assert_int_equal(st.registered, LKEY_REG_NONE);
		assert_int_equal(st.key_status, LKEY_OK);
		assert_true(st.forcible);
		/* The store as it stands. */
		assert_int_equal(st.license.serial, 1);
		assert_int_equal(st.status, LKEY_OK);

		result_is(lkey_store_register(&st, dir, c, strlen(c), ring, 1,
		    &ctx, LKEY_STORE_FORCE), LKEY_STORE_OK, less[i].spec);
		assert_int_equal(st.registered, LKEY_REG_IN_FORCE);
		assert_int_equal(st.license.serial, 2);
		assert_keys_file(dir, keys_file(f, c, NULL));
	}
	/* More of everything is no less. */
	fresh(*state, "less", dir);
	result_is(reg(dir, f, "2027-03-01", 0), LKEY_STORE_OK, "f");
	key(c, "serial=2 issued=2027-02-01 seats=unlimited edition=3 "
	    "features=0x7 expires=never maintenance=never");
	result_is(reg(dir, c, "2027-03-01", 0), LKEY_STORE_OK, "more");
	assert_int_equal(st.registered, LKEY_REG_IN_FORCE);
}

/* A key older than the one in force would never be used: refused. */
static void
test_older_key(void **state)
{
	char dir[PATHCAP], newer[KEYCAP], older[KEYCAP];
	static struct snap before;

	fresh(*state, "older", dir);
	key(newer, "serial=2 issued=2027-02-01");
	key(older, "serial=1 seats=30");
	result_is(reg(dir, newer, "2027-03-01", 0), LKEY_STORE_OK, "newer");
	snapshot(dir, &before);
	result_is(reg(dir, older, "2027-03-01", 0), LKEY_STORE_REFUSED,
	    "older");
	unchanged(dir, &before, "older");
	assert_non_null(strstr(st.message, "Licence 2, issued after this "
	    "key, stays in force"));
	result_is(reg(dir, older, "2027-03-01", LKEY_STORE_FORCE),
	    LKEY_STORE_OK, "older, forced");
	assert_int_equal(st.registered, LKEY_REG_HISTORY);
	assert_int_equal(st.license.serial, 2);
	assert_int_equal(st.history, 2);
	assert_non_null(strstr(st.message, "licence 2 stays in force"));
}

static void
test_same_key_twice(void **state)
{
	char dir[PATHCAP], k[KEYCAP], p[PATHCAP];
	static struct snap before;
	struct stat s0, s1;

	fresh(*state, "twice", dir);
	key(k, "serial=1");
	result_is(reg(dir, k, "2027-03-01", 0), LKEY_STORE_OK, "first");
	/* A second check that day confirms it in the clock guard's state, so
	 * that the registration below has nothing of its own to write. */
	result_is(eval(dir, "2027-03-01"), LKEY_STORE_OK, "evaluate");
	snapshot(dir, &before);
	in(dir, KEYS_FILE, p);
	assert_int_equal(stat(p, &s0), 0);
	result_is(reg(dir, k, "2027-03-01", 0), LKEY_STORE_OK, "second");
	assert_int_equal(st.registered, LKEY_REG_ALREADY);
	assert_non_null(strstr(st.message, "registered already"));
	assert_int_equal(st.history, 1);
	assert_int_equal(st.status, LKEY_OK);
	unchanged(dir, &before, "same key");
	assert_int_equal(stat(p, &s1), 0);
	assert_true(s0.st_ino == s1.st_ino);
}

/*
 * A key pasted from an e-mail: quoted, greeted, wrapped, with a no-break
 * space and a signature. The store holds the key alone; a stray character
 * is refused with its name and place, and nothing is written.
 */
static void
test_pasted(void **state)
{
	char dir[PATHCAP], k[KEYCAP], mail[4 * KEYCAP];
	static struct snap before;
	size_t half;

	fresh(*state, "pasted", dir);
	key(k, "serial=1");
	half = strlen(k) / 2U;
	bprintf(mail, sizeof(mail), "\xef\xbb\xbf" "Dear customer,\n\n"
	    "> %.*s\xc2\xa0\n> %s\n\n-- \nJane, Sales\n", (int)half, k,
	    k + half);
	result_is(reg(dir, mail, "2027-03-01", 0), LKEY_STORE_OK, "pasted");
	assert_int_equal(st.registered, LKEY_REG_IN_FORCE);
	assert_keys_file(dir, keys_file(k, NULL));

	/* A stray en dash inside the key: named, placed, nothing written. */
	snapshot(dir, &before);
	bprintf(mail, sizeof(mail), "%.*s\xe2\x80\x93%s", (int)half, k,
	    k + half);
	result_is(reg(dir, mail, "2027-03-02", 0), LKEY_STORE_REFUSED,
	    "stray character");
	assert_int_equal(st.key_status, LKEY_MALFORMED);
	assert_non_null(strstr(st.message, "U+2013 EN DASH"));
	assert_non_null(strstr(st.message, "Nothing was registered."));
	unchanged(dir, &before, "stray character");
}

/* Keys refused for what they are; the store byte for byte as it was. */
static void
test_refused_keys(void **state)
{
	static const uint32_t revoked[] = { 9 };
	char dir[PATHCAP], good[KEYCAP], k[KEYCAP], text[LISTCAP];
	static struct snap before;
	uint8_t other[8] = { 9, 9, 9, 9, 9, 9, 9, 9 };
	static const struct {
		const char *spec;
		lkey_status status;
	} bad[] = {
		{ "serial=5 product=2", LKEY_WRONG_PRODUCT },
		{ "serial=6 expires=2027-02-28 maintenance=2027-02-28",
		  LKEY_EXPIRED },
		{ "serial=9", LKEY_REVOKED },
		{ "host", LKEY_HOST_MISMATCH },
		{ "tampered", LKEY_BAD_SIGNATURE },
		{ "junk", LKEY_MALFORMED },
	};
	size_t i;

	fresh(*state, "refused", dir);
	key(good, "serial=1");
	list(text, 1, revoked, 1);
	result_is(install(dir, text), LKEY_STORE_OK, "list");
	result_is(reg(dir, good, "2027-03-01", 0), LKEY_STORE_OK, "good");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (strcmp(bad[i].spec, "host") == 0)
			bound_key(k, "serial=7 issued=2027-02-01", other);
		else if (strcmp(bad[i].spec, "tampered") == 0) {
			key(k, "serial=8 issued=2027-02-01");
			k[20] = k[20] == 'A' ? 'B' : 'A';
		} else if (strcmp(bad[i].spec, "junk") == 0)
			bprintf(k, KEYCAP, "Dear customer, here is your key.");
		else
			key(k, bad[i].spec);
		snapshot(dir, &before);
		result_is(reg(dir, k, "2027-03-01", 0), LKEY_STORE_REFUSED,
		    bad[i].spec);
		unchanged(dir, &before, bad[i].spec);
		assert_false(st.forcible);
		if (st.key_status != bad[i].status)
			fail_msg("%s: key_status %s, expected %s", bad[i].spec,
			    lkey_status_name(st.key_status),
			    lkey_status_name(bad[i].status));
		assert_int_equal(st.registered, LKEY_REG_NONE);
		assert_non_null(strstr(st.message, "Nothing was registered"));
		assert_null(strchr(st.message, '\n'));
		assert_int_equal(st.license.serial, 1);
	}
	/* Forcing changes none of that. */
	key(k, "serial=9");
	result_is(reg(dir, k, "2027-03-01", LKEY_STORE_FORCE),
	    LKEY_STORE_REFUSED, "revoked, forced");
	assert_int_equal(st.key_detail.reason, LKEY_R_NONE);
	result_is(reg(dir, "AAAA", "2027-03-01", 0), LKEY_STORE_REFUSED,
	    "AAAA");
	assert_int_equal(st.key_status, LKEY_MALFORMED);
	assert_int_equal(st.key_detail.reason, LKEY_R_BAD_VERSION);
}

/* A key bound to this computer: the store reads the machine id. */
/*
 * This computer's machine id as the system keeps it, read here apart from
 * liblkey: on Windows the registry's MachineGuid without its hyphens, in
 * lowercase; elsewhere /etc/machine-id. Its length (0: none) into id.
 */
static size_t
machine_id(char *id, size_t cap)
{
#ifdef _WIN32
	char guid[64];
	DWORD size = sizeof(guid);
	size_t i, n = 0;

	if (RegGetValueA(HKEY_LOCAL_MACHINE, "SOFTWARE\\Microsoft\\Cryptography",
	    "MachineGuid", RRF_RT_REG_SZ | RRF_SUBKEY_WOW6464KEY, NULL, guid,
	    &size) != ERROR_SUCCESS)
		return 0;
	for (i = 0; guid[i] != '\0' && n + 1U < cap; i++)
		if (guid[i] != '-')
			id[n++] = (char)tolower((unsigned char)guid[i]);
	id[n] = '\0';
	return n;
#else
	size_t n = file_exists("/etc/machine-id") ?
	    read_file("/etc/machine-id", id, cap) : 0;

	if (n > 0 && id[n - 1] == '\n')
		id[--n] = '\0';
	return n;
#endif
}

static void
test_this_computer(void **state)
{
	char dir[PATHCAP], k[KEYCAP], id[64];
	uint8_t host[8];
	size_t n;

	n = machine_id(id, sizeof(id));
	if (n != 32) {
		print_message("no machine id here: skipped\n");
		return;
	}
	lkey_host_id(id, n, 1, host);
	fresh(*state, "host", dir);
	bound_key(k, "serial=1", host);
	result_is(reg(dir, k, "2027-03-01", 0), LKEY_STORE_OK, "bound");
	assert_true(st.ctx.has_host);
	assert_memory_equal(st.ctx.host, host, 8);
	assert_int_equal(st.status, LKEY_OK);
}


#ifdef _WIN32
#define CRYPTOGRAPHY "SOFTWARE\\Microsoft\\Cryptography"

/* The MachineGuid test_no_machine_id takes away, and puts back. */
static char saved_guid[64];
static DWORD saved_size;

static int
put_guid_back(void **state)
{
	HKEY h;
	LSTATUS rc;

	(void)state;
	if (saved_size == 0)
		return 0;
	if (RegOpenKeyExA(HKEY_LOCAL_MACHINE, CRYPTOGRAPHY, 0,
	    KEY_SET_VALUE | KEY_WOW64_64KEY, &h) != ERROR_SUCCESS)
		return -1;
	rc = RegSetValueExA(h, "MachineGuid", 0, REG_SZ,
	    (const BYTE *)saved_guid, saved_size);
	(void)RegCloseKey(h);
	saved_size = 0;
	return rc == ERROR_SUCCESS ? 0 : -1;
}

/*
 * A computer whose machine id cannot be read: a node-locked key is not
 * bound to a made-up one. Registering it is refused, and evaluating a
 * store that holds it says why, naming the id's source. The test's own
 * Wine prefix loses its MachineGuid for the test, and gets it back
 * (put_guid_back, also when the test fails).
 */
static void
test_no_machine_id(void **state)
{
	char dir[PATHCAP], k[KEYCAP], id[64];
	DWORD size = sizeof(saved_guid);
	HKEY h;
	uint8_t host[8];
	size_t n;

	n = machine_id(id, sizeof(id));
	assert_int_equal(n, 32);
	lkey_host_id(id, n, 1, host);
	fresh(*state, "no-id", dir);
	bound_key(k, "serial=1", host);
	/* Registered while the id is there; then the id goes. */
	result_is(reg(dir, k, "2027-03-01", 0), LKEY_STORE_OK, "bound");
	assert_int_equal(RegGetValueA(HKEY_LOCAL_MACHINE, CRYPTOGRAPHY,
	    "MachineGuid", RRF_RT_REG_SZ | RRF_SUBKEY_WOW6464KEY, NULL,
	    saved_guid, &size), ERROR_SUCCESS);
	assert_int_equal(RegOpenKeyExA(HKEY_LOCAL_MACHINE, CRYPTOGRAPHY, 0,
	    KEY_SET_VALUE | KEY_WOW64_64KEY, &h), ERROR_SUCCESS);
	saved_size = size;
	assert_int_equal(RegDeleteValueA(h, "MachineGuid"), ERROR_SUCCESS);
	(void)RegCloseKey(h);

	result_is(eval(dir, "2027-03-02"), LKEY_STORE_OK, "no id");
	assert_int_equal(st.status, LKEY_HOST_MISMATCH);
	assert_false(st.ctx.has_host);
	assert_non_null(strstr(st.message, "This computer's machine id cannot "
	    "be read: HKLM\\SOFTWARE\\Microsoft\\Cryptography\\MachineGuid"));
	fresh(*state, "no-id-2", dir);
	result_is(reg(dir, k, "2027-03-01", 0), LKEY_STORE_REFUSED, "no id");
	assert_int_equal(st.key_status, LKEY_HOST_MISMATCH);
	assert_non_null(strstr(st.message, "this computer's id could not be "
	    "read. Ask the vendor for help. This computer's machine id cannot "
	    "be read: HKLM\\SOFTWARE\\Microsoft\\Cryptography\\MachineGuid"));

	assert_int_equal(put_guid_back(state), 0);
	result_is(reg(dir, k, "2027-03-01", 0), LKEY_STORE_OK, "id back");
}
#endif

/* ---- the history bound -------------------------------------------------- */

/* Key i of a run: issued a day apart, each newer than the last. */
static void
nth_key(char *out, unsigned i, const char *more)
{
	char spec[160], d[11];

	lkey_day_format(day("2027-01-01") + i, d);
	bprintf(spec, sizeof(spec), "serial=%u issued=%s %s", 100U + i, d,
	    more);
	key(out, spec);
}

static void
test_history_bound(void **state)
{
	static char keys[18][KEYCAP];
	char dir[PATHCAP], *p;
	static char buf[SNAPCAP];
	unsigned i;

	fresh(*state, "history", dir);
	/* Key 0 is registered ahead and oldest: it must stay. */
	nth_key(keys[0], 0, "starts=2028-01-01 expires=2028-12-31 "
	    "maintenance=2028-12-31");
	result_is(reg(dir, keys[0], "2027-03-01", 0), LKEY_STORE_OK, "0");
	for (i = 1; i <= 15; i++) {
		nth_key(keys[i], i, "");
		result_is(reg(dir, keys[i], "2027-03-01", 0), LKEY_STORE_OK,
		    "one of 16");
		assert_false(st.dropped);
	}
	assert_int_equal(st.history, 16);
	nth_key(keys[16], 16, "");
	result_is(reg(dir, keys[16], "2027-03-01", 0), LKEY_STORE_OK, "17th");
	assert_int_equal(st.registered, LKEY_REG_IN_FORCE);
	assert_true(st.dropped);
	assert_int_equal(st.dropped_serial, 101);
	assert_non_null(strstr(st.message, "dropped"));
	assert_int_equal(st.history, 16);
	assert_int_equal(st.npending, 1);
	assert_int_equal(st.pending[0].serial, 100);
	(void)content(dir, KEYS_FILE, buf);
	assert_null(strstr(buf, keys[1]));
	assert_non_null(strstr(buf, keys[0]));
	assert_non_null(strstr(buf, keys[16]));
	/* Line 1 went: the others kept their order, the new one last. */
	p = buf + strlen(HEAD);
	assert_memory_equal(p, keys[0], strlen(keys[0]));
	p += strlen(keys[0]) + 1U;
	assert_memory_equal(p, keys[2], strlen(keys[2]));
	p = buf + strlen(buf) - strlen(keys[16]) - 1U;
	assert_memory_equal(p, keys[16], strlen(keys[16]));

	/* The next one drops key 2: the oldest that is superseded. */
	nth_key(keys[17], 17, "");
	result_is(reg(dir, keys[17], "2027-03-01", 0), LKEY_STORE_OK, "18th");
	assert_int_equal(st.dropped_serial, 102);
	result_is(eval(dir, "2027-03-01"), LKEY_STORE_OK, "evaluate");
	assert_int_equal(st.history, 16);
	assert_int_equal(st.license.serial, 117);
}

/* Sixteen keys registered ahead and one more: no room, refused. */
static void
test_history_full(void **state)
{
	char dir[PATHCAP], k[KEYCAP], more[96], d[11];
	static struct snap before;
	unsigned i;

	fresh(*state, "full", dir);
	for (i = 0; i < 16; i++) {
		lkey_day_format(day("2028-01-01") + i, d);
		bprintf(more, sizeof(more), "starts=%s expires=2028-12-31 "
		    "maintenance=2028-12-31", d);
		nth_key(k, i + 1U, more);
		result_is(reg(dir, k, "2027-03-01", 0), LKEY_STORE_OK, "ahead");
	}
	assert_int_equal(st.npending, 16);
	nth_key(k, 40, "");
	snapshot(dir, &before);
	result_is(reg(dir, k, "2027-03-01", 0), LKEY_STORE_REFUSED, "17th");
	unchanged(dir, &before, "17th of 16 pending");
	assert_non_null(strstr(st.message, "none can make room"));
}

/* ---- damage ------------------------------------------------------------- */

/* Every call on a damaged store: DAMAGED naming the file, nothing
 * written. */
static void
all_damaged(const char *dir, const char *file, const char *why,
    const char *k, const char *text, const char *what)
{
	static struct snap before;
	char name[PATHCAP];
	int call;

	bprintf(name, sizeof(name), "%s/%s", dir, file);
	snapshot(dir, &before);
	for (call = 0; call < 3; call++) {
		lkey_store_result r = call == 0 ? eval(dir, "2027-03-02") :
		    call == 1 ? reg(dir, k, "2027-03-02", LKEY_STORE_FORCE) :
		    install(dir, text);

		if (r != LKEY_STORE_DAMAGED)
			fail_msg("%s (call %d): %s, expected damaged (%s)",
			    what, call, lkey_store_result_name(r), st.message);
		if (strstr(st.message, name) == NULL ||
		    strstr(st.message, why) == NULL)
			fail_msg("%s (call %d): \"%s\" does not name %s and "
			    "say \"%s\"", what, call, st.message, name, why);
		assert_int_equal(st.status, LKEY_MALFORMED);
		assert_false(st.has_license);
		/* Fail closed: no key of a damaged store is left in st. */
		assert_int_equal(st.history, 0);
		assert_int_equal(st.keys[0].version, 0);
		unchanged(dir, &before, what);
	}
}

static void
test_damaged(void **state)
{
	char dir[PATHCAP], k1[KEYCAP], k2[KEYCAP], other[KEYCAP];
	char text[LISTCAP], bad[3 * KEYCAP + 512];
	static char good_state[SNAPCAP], good_keys[SNAPCAP], big[12000];
	static const uint32_t none[1] = { 0 };
	lkey_state s;
	size_t n;
	int i;

	key(k1, "serial=1");
	key(k2, "serial=2 issued=2027-02-01");
	key(other, "serial=3 product=2");
	list(text, 2, none, 0);
	for (i = 0; ; i++) {
		fresh(*state, "damaged", dir);
		result_is(reg(dir, k1, "2027-03-01", 0), LKEY_STORE_OK, "k1");
		result_is(install(dir, text), LKEY_STORE_OK, "list");
		(void)content(dir, "state", good_state);
		(void)content(dir, KEYS_FILE, good_keys);
		switch (i) {
		case 0:
			put(dir, KEYS_FILE, "hello\n");
			all_damaged(dir, KEYS_FILE, "line 1: not the first "
			    "line of a licence store", k2, text, "junk");
			break;
		case 1:
			bprintf(bad, sizeof(bad), "# lkey licence store of "
			    "product 2: the registered keys, one a line, in "
			    "the order registered. Do not edit.\n%s\n", other);
			put(dir, KEYS_FILE, bad);
			all_damaged(dir, KEYS_FILE, "the store of product 2, "
			    "not of product 1", k2, text, "foreign head");
			break;
		case 2:
			put(dir, KEYS_FILE, keys_file(k1, other, NULL));
			all_damaged(dir, KEYS_FILE, "line 3: a key for product "
			    "2", k2, text, "foreign key");
			break;
		case 3:
			bprintf(bad, sizeof(bad), "%s", keys_file(k1, NULL));
			n = strlen(HEAD) + 30U;
			bad[n] = bad[n] == 'A' ? 'B' : 'A';
			put(dir, KEYS_FILE, bad);
			all_damaged(dir, KEYS_FILE, "line 2: a key that does "
			    "not verify", k2, text, "altered key");
			break;
		case 4:
			put(dir, KEYS_FILE, keys_file(k1, k1, NULL));
			all_damaged(dir, KEYS_FILE, "line 3: the same key as "
			    "line 2", k2, text, "twice");
			break;
		case 5:
			bprintf(bad, sizeof(bad), "%s", keys_file(k1, NULL));
			bad[strlen(bad) - 1] = '\0';
			put(dir, KEYS_FILE, bad);
			all_damaged(dir, KEYS_FILE, "no newline", k2, text,
			    "cut short");
			break;
		case 6:
			bprintf(bad, sizeof(bad), "# lkey licence store of "
			    "product 1: edited.\n%s\n", k1);
			put(dir, KEYS_FILE, bad);
			all_damaged(dir, KEYS_FILE, "line 1", k2, text,
			    "a changed first line");
			bprintf(bad, sizeof(bad), "%s \n", keys_file(k1, NULL));
			put(dir, KEYS_FILE, bad);
			all_damaged(dir, KEYS_FILE, "line 3: not the text of "
			    "a licence key", k2, text, "a blank line");
			break;
		case 7:
			put(dir, "state", "hello\n");
			all_damaged(dir, "state", "not a state file", k2, text,
			    "junk state");
			bprintf(bad, sizeof(bad), "%s", good_state);
			bad[strlen(bad) - 3] = bad[strlen(bad) - 3] == 'a' ?
			    'b' : 'a';
			put(dir, "state", bad);
			all_damaged(dir, "state", "damaged or edited", k2,
			    text, "edited state");
			lkey_state_init(&s, 2);
			n = lkey_state_format(&s, bad, sizeof(bad));
			assert_true(n > 0);
			put(dir, "state", bad);
			all_damaged(dir, "state", "another product", k2, text,
			    "foreign state");
			break;
		case 8:
			put(dir, "revocations", "hello\n");
			all_damaged(dir, "revocations", "not a revocation list",
			    k2, text, "junk list");
			bprintf(bad, sizeof(bad), "%s", text);
			n = strlen(bad);
			bad[n - 20] = bad[n - 20] == 'A' ? 'B' : 'A';
			put(dir, "revocations", bad);
			all_damaged(dir, "revocations", "altered", k2, text,
			    "altered list");
			break;
		case 9:
			/* Larger than 16 keys can be. */
			memset(big, 'A', sizeof(big) - 1U);
			memcpy(big, HEAD, strlen(HEAD));
			put(dir, KEYS_FILE, big);
			all_damaged(dir, KEYS_FILE, "larger than the store "
			    "ever writes it", k2, text, "too big");
			break;
		default:
			return;
		}
	}
}

static void
test_symlinks(void **state)
{
	static const char *const files[] = { KEYS_FILE, "state",
	    "revocations" };
	char dir[PATHCAP], k1[KEYCAP], k2[KEYCAP], text[LISTCAP];
	char p[PATHCAP], real[PATHCAP], what[64];
	static const uint32_t none[1] = { 0 };
	size_t i;

	key(k1, "serial=1");
	key(k2, "serial=2 issued=2027-02-01");
	list(text, 1, none, 0);
	if (!CAN_SYMLINK)
		print_message("no symbolic links on this system: only a "
		    "directory at a file's name is tried\n");
	for (i = 0; i < 3 && CAN_SYMLINK; i++) {
		fresh(*state, "links", dir);
		result_is(install(dir, text), LKEY_STORE_OK, "list");
		result_is(reg(dir, k1, "2027-03-01", 0), LKEY_STORE_OK, "k1");
		/* The same bytes, but a link to them. */
		in(dir, files[i], p);
		bprintf(real, sizeof(real), "%s.real", p);
		assert_int_equal(rename(p, real), 0);
		bprintf(real, sizeof(real), "%s.real", files[i]);
		assert_int_equal(symlink(real, p), 0);
		bprintf(what, sizeof(what), "%s a symbolic link", files[i]);
		all_damaged(dir, files[i], "not a regular file", k2, text,
		    what);
	}
	/* A directory at the name. */
	fresh(*state, "links", dir);
	in(dir, "state", p);
	assert_int_equal(make_dir(p), 0);
	all_damaged(dir, "state", "not a regular file", k2, text,
	    "a directory at state");
}

/* ---- revocation lists --------------------------------------------------- */

static void
test_revocation_lists(void **state)
{
	static const uint32_t one[1] = { 2 };
	static char l1[LISTCAP], l2[LISTCAP], l3[LISTCAP], buf[SNAPCAP];
	char dir[PATHCAP], k1[KEYCAP], k2[KEYCAP], p[PATHCAP];
	static struct snap before;
	lkey_state s;

	fresh(*state, "lists", dir);
	key(k1, "serial=1");
	key(k2, "serial=2 issued=2027-02-01");
	list(l1, 1, one, 0);
	list(l2, 2, one, 1);
	list(l3, 3, one, 1);
	result_is(reg(dir, k1, "2027-03-01", 0), LKEY_STORE_OK, "k1");
	result_is(reg(dir, k2, "2027-03-01", 0), LKEY_STORE_OK, "k2");
	assert_int_equal(st.license.serial, 2);
	result_is(install(dir, l2), LKEY_STORE_OK, "list 2");
	assert_non_null(strstr(st.message, "Installed revocation list 2 "
	    "(1 licence revoked)"));
	assert_string_equal(content(dir, "revocations", buf), l2);
	(void)content(dir, "state", buf);
	assert_int_equal(lkey_state_parse(buf, strlen(buf), 1, &s),
	    LKEY_STATE_OK);
	assert_int_equal(s.revocation_sequence, 2);
	/* Key 2 is revoked now: the store says so, key 1 is not chosen. */
	result_is(eval(dir, "2027-03-02"), LKEY_STORE_OK, "revoked");
	assert_int_equal(st.license.serial, 2);
	assert_int_equal(st.status, LKEY_REVOKED);
	assert_non_null(st.ctx.revocations);

	/* An older list, and the same one again. */
	snapshot(dir, &before);
	result_is(install(dir, l1), LKEY_STORE_REFUSED, "list 1");
	assert_non_null(strstr(st.message, "older than list 2"));
	unchanged(dir, &before, "older list");
	result_is(install(dir, l2), LKEY_STORE_OK, "list 2 again");
	assert_non_null(strstr(st.message, "installed already"));
	unchanged(dir, &before, "same list");
	result_is(install(dir, "# nothing\n"), LKEY_STORE_REFUSED, "junk");
	assert_int_equal(st.key_status, LKEY_MALFORMED);
	unchanged(dir, &before, "junk list");
	result_is(install(dir, k1), LKEY_STORE_REFUSED, "a key");
	unchanged(dir, &before, "a key as a list");

	/* The list removed behind the store's back: damaged, and the
	 * state remembers list 2, so list 1 cannot take its place. */
	in(dir, "revocations", p);
	assert_int_equal(unlink(p), 0);
	snapshot(dir, &before);
	result_is(eval(dir, "2027-03-02"), LKEY_STORE_DAMAGED, "no list");
	assert_non_null(strstr(st.message, "revocation list 2 was installed "
	    "here"));
	unchanged(dir, &before, "no list");
	result_is(install(dir, l1), LKEY_STORE_REFUSED, "list 1 later");
	unchanged(dir, &before, "list 1 later");
	result_is(install(dir, l3), LKEY_STORE_OK, "list 3");
	result_is(eval(dir, "2027-03-02"), LKEY_STORE_OK, "repaired");
	assert_int_equal(st.revocations.sequence, 3);
	/* An older list put back by hand. */
	put(dir, "revocations", l2);
	result_is(eval(dir, "2027-03-02"), LKEY_STORE_DAMAGED, "list 2 back");
	assert_non_null(strstr(st.message, "list 2, older than list 3"));
}

/* A list installed before any key: the store is made for it. */
static void
test_list_first(void **state)
{
	static const uint32_t one[1] = { 1 };
	static char l[LISTCAP];
	char dir[PATHCAP], k[KEYCAP];

	fresh(*state, "list-first", dir);
	assert_int_equal(rmdir(dir), 0);
	list(l, 1, one, 1);
	result_is(install(dir, l), LKEY_STORE_OK, "list");
	result_is(eval(dir, "2027-03-01"), LKEY_STORE_EMPTY, "empty");
	key(k, "serial=1");
	result_is(reg(dir, k, "2027-03-01", 0), LKEY_STORE_REFUSED, "revoked");
	assert_int_equal(st.key_status, LKEY_REVOKED);
}

/* ---- empty stores and names --------------------------------------------- */

static void
test_empty(void **state)
{
	char dir[PATHCAP], p[PATHCAP];
	static struct snap before;

	fresh(*state, "empty", dir);
	in(dir, "none", p);
	result_is(eval(p, "2027-03-01"), LKEY_STORE_EMPTY, "no directory");
	assert_false(file_exists(p));
	assert_false(st.has_license);
	assert_int_equal(st.status, LKEY_MALFORMED);
	assert_int_equal(st.history, 0);
	assert_non_null(strstr(st.message, "no licence is registered"));

	snapshot(dir, &before);
	result_is(eval(dir, "2027-03-01"), LKEY_STORE_EMPTY, "no file");
	unchanged(dir, &before, "empty");
	put(dir, KEYS_FILE, HEAD);
	snapshot(dir, &before);
	result_is(eval(dir, "2027-03-01"), LKEY_STORE_EMPTY, "no key");
	unchanged(dir, &before, "no key");

	/* A file where the directory should be. */
	put(dir, "file", "x\n");
	in(dir, "file", p);
	result_is(eval(p, "2027-03-01"), LKEY_STORE_IO, "a file");
	assert_non_null(strstr(st.message, "not a directory"));

	assert_string_equal(lkey_store_result_name(LKEY_STORE_OK), "ok");
	assert_string_equal(lkey_store_result_name(LKEY_STORE_EMPTY),
	    "empty");
	assert_string_equal(lkey_store_result_name(LKEY_STORE_REFUSED),
	    "refused");
	assert_string_equal(lkey_store_result_name(LKEY_STORE_DAMAGED),
	    "damaged");
	assert_string_equal(lkey_store_result_name(LKEY_STORE_IO), "io");
	assert_string_equal(lkey_store_result_name((lkey_store_result)99),
	    "unknown");
}

/* A directory the store cannot write: IO, and nothing half-done. */
static void
test_unwritable(void **state)
{
	char dir[PATHCAP], k[KEYCAP], k2[KEYCAP];
	static struct snap before;

#ifdef _WIN32
	print_message("Windows: a directory has no mode bits to take the "
	    "right to write away; skipped\n");
	(void)state;
	return;
#else
	if (geteuid() == 0) {
		print_message("running as root: permissions do not stop "
		    "writes; skipped\n");
		return;
	}
#endif
	fresh(*state, "ro", dir);
	key(k, "serial=1");
	key(k2, "serial=2 issued=2027-02-01");
	result_is(reg(dir, k, "2027-03-01", 0), LKEY_STORE_OK, "k");
	assert_int_equal(chmod(dir, 0500), 0);
	snapshot(dir, &before);
	result_is(reg(dir, k2, "2027-03-01", 0), LKEY_STORE_IO, "read-only");
	assert_non_null(strstr(st.message, "cannot be written"));
	unchanged(dir, &before, "read-only");
	assert_int_equal(chmod(dir, 0700), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register_in_force),
		cmocka_unit_test(test_pasted),
		cmocka_unit_test(test_pending_takes_over),
		cmocka_unit_test(test_pending_first),
		cmocka_unit_test(test_upgrade_then_renewal),
		cmocka_unit_test(test_gives_less),
		cmocka_unit_test(test_older_key),
		cmocka_unit_test(test_same_key_twice),
		cmocka_unit_test(test_refused_keys),
		cmocka_unit_test(test_this_computer),
#ifdef _WIN32
		cmocka_unit_test_teardown(test_no_machine_id, put_guid_back),
#endif
		cmocka_unit_test(test_history_bound),
		cmocka_unit_test(test_history_full),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_symlinks),
		cmocka_unit_test(test_revocation_lists),
		cmocka_unit_test(test_list_first),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_unwritable),
	};

	return cmocka_run_group_tests_name("store", tests, setup, teardown);
}

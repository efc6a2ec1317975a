/* fixture.c - licences, contexts and reports from specs (see fixture.h) */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "fixture.h"
#include "support.h"

#define WORD_MAX 256U

/*
 * The names are written out here rather than taken from lkey_status_name
 * and lkey_warning_name, so that a wrong name in the library cannot make
 * a wrong expectation agree with it.
 */
static const struct {
	const char *name;
	lkey_status st;
} statuses[] = {
	{ "valid", LKEY_OK }, { "malformed", LKEY_MALFORMED },
	{ "unknown_key", LKEY_UNKNOWN_KEY },
	{ "bad_signature", LKEY_BAD_SIGNATURE },
	{ "wrong_product", LKEY_WRONG_PRODUCT },
	{ "not_yet_valid", LKEY_NOT_YET_VALID }, { "expired", LKEY_EXPIRED },
	{ "maintenance_lapsed", LKEY_MAINTENANCE_LAPSED },
	{ "seats_exceeded", LKEY_SEATS_EXCEEDED },
	{ "admin_only", LKEY_ADMIN_ONLY },
	{ "host_mismatch", LKEY_HOST_MISMATCH }, { "revoked", LKEY_REVOKED },
	{ "clock_rollback", LKEY_CLOCK_ROLLBACK },
	{ "revocations_outdated", LKEY_REVOCATIONS_OUTDATED },
};

static const char *const warnings[LKEY_WARNING_COUNT] = {
	[LKEY_W_TRIAL] = "trial",
	[LKEY_W_LICENSE_EXPIRING] = "license_expiring",
	[LKEY_W_MAINTENANCE_EXPIRING] = "maintenance_expiring",
	[LKEY_W_ADDONS_UNAVAILABLE] = "addons_unavailable",
	[LKEY_W_SEATS_GRACE] = "seats_grace",
	[LKEY_W_CLOCK_BEHIND] = "clock_behind",
};

lkey_day
day(const char *s)
{
	lkey_day d;

	if (strcmp(s, "never") == 0)
		return LKEY_NEVER;
	if (!lkey_day_parse(s, &d))
		fail_msg("not a day: \"%s\"", s);
	return d;
}

/* ---- fields by name ----------------------------------------------------- */

enum kind {
	K_U8, K_U32, K_BOOL, K_DAY, K_I64, K_WARNINGS, K_PROBLEMS, K_NPROBLEMS
};

struct field {
	const char *name;
	enum kind kind;
	size_t off;		/* of the field, or of element 0 of an array */
	bool array;		/* name[N], N < LKEY_FEATURES_MAX */
	size_t has;		/* offset of its has_ flag, or NO_FLAG */
};

#define NO_FLAG SIZE_MAX
#define F(s, n, m, k) { n, k, offsetof(s, m), false, NO_FLAG }
#define FA(s, n, m, k) { n, k, offsetof(s, m), true, NO_FLAG }
#define FH(s, n, m, k, h) { n, k, offsetof(s, m), false, offsetof(s, h) }

static const struct field lic_fields[] = {
	F(lkey_license, "version", version, K_U8),
	F(lkey_license, "key_id", key_id, K_U32),
	F(lkey_license, "product", product, K_U32),
	F(lkey_license, "edition", edition, K_U32),
	F(lkey_license, "seats", seats, K_U32),
	F(lkey_license, "starts", starts, K_DAY),
	F(lkey_license, "expires", expires, K_DAY),
	F(lkey_license, "maintenance", maintenance, K_DAY),
	F(lkey_license, "serial", serial, K_U32),
	F(lkey_license, "features", features, K_U32),
	F(lkey_license, "issued", issued, K_DAY),
	F(lkey_license, "grace", grace_days, K_U32),
	F(lkey_license, "notice", notice_days, K_U32),
	F(lkey_license, "trial", trial, K_BOOL),
	FA(lkey_license, "module_seats", module_seats, K_U32),
	F(lkey_license, "maintenance_features", maintenance_features, K_U32),
};

static const struct field ctx_fields[] = {
	F(lkey_context, "product", product, K_U32),
	F(lkey_context, "today", today, K_DAY),
	FH(lkey_context, "release", release, K_DAY, has_release),
	FH(lkey_context, "users", users, K_U32, has_users),
	F(lkey_context, "admin", admin, K_BOOL),
	FH(lkey_context, "over_since", over_since, K_DAY, has_over_since),
	F(lkey_context, "maintenance_features", maintenance_features, K_U32),
	FA(lkey_context, "module_users", module_users, K_U32),
	F(lkey_context, "has_host", has_host, K_BOOL),
	F(lkey_context, "build_day", build_day, K_DAY),
};

static const struct field report_fields[] = {
	F(lkey_report, "remaining", remaining, K_I64),
	F(lkey_report, "license_days_left", license_days_left, K_I64),
	F(lkey_report, "maintenance_days_left", maintenance_days_left, K_I64),
	F(lkey_report, "maintenance_active", maintenance_active, K_BOOL),
	F(lkey_report, "starts_in_days", starts_in_days, K_I64),
	F(lkey_report, "grace_ends", grace_ends, K_DAY),
	F(lkey_report, "grace_days_left", grace_days_left, K_I64),
	F(lkey_report, "features_available", features_available, K_U32),
	F(lkey_report, "warnings", warnings, K_WARNINGS),
	F(lkey_report, "clock_behind", clock_behind, K_DAY),
	F(lkey_report, "clock_anchor", clock_anchor, K_U8),
	F(lkey_report, "addons_off", addons_off, K_U8),
	FA(lkey_report, "module_remaining", module_remaining, K_I64),
	F(lkey_report, "problems", problems, K_PROBLEMS),
	F(lkey_report, "nproblems", nproblems, K_NPROBLEMS),
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The field of word "name[N]=value"; *index gets N, *value the value. */
static const struct field *
lookup(const struct field *f, size_t n, const char *word, size_t *index,
    const char **value)
{
	const char *eq = strchr(word, '='), *br = strchr(word, '[');
	size_t len, i;

	if (eq == NULL)
		fail_msg("spec word \"%s\" is not name=value", word);
	*value = eq + 1;
	*index = 0;
	len = (size_t)((br != NULL && br < eq ? br : eq) - word);
	for (i = 0; i < n; i++)
		if (strlen(f[i].name) == len &&
		    strncmp(f[i].name, word, len) == 0)
			break;
	if (i == n)
		fail_msg("spec word \"%s\": no such field", word);
	if (f[i].array != (br != NULL && br < eq))
		fail_msg("spec word \"%s\": %s", word, f[i].array ?
		    "which element?" : "not an array");
	if (f[i].array) {
		char *end;
		unsigned long k = strtoul(br + 1, &end, 10);

		if (end == br + 1 || *end != ']' || end + 1 != eq ||
		    k >= LKEY_FEATURES_MAX)
			fail_msg("spec word \"%s\": bad index", word);
		*index = (size_t)k;
	}
	return &f[i];
}

static int64_t
number(const char *v, int64_t min, int64_t max, int64_t unlimited)
{
	char *end;
	long long n;

	if (unlimited != 0 && strcmp(v, "unlimited") == 0)
		return unlimited;
	n = strtoll(v, &end, 0);
	if (end == v || *end != '\0' || n < min || n > max)
		fail_msg("spec value \"%s\": not a number from %lld to %lld", v,
		    (long long)min, (long long)max);
	return (int64_t)n;
}

/* A day, or a plain number of days (clock_behind 0: none). */
static lkey_day
day_value(const char *v)
{
	if (strchr(v, '-') == NULL && strcmp(v, "never") != 0)
		return (lkey_day)number(v, 0, UINT32_MAX, 0);
	return day(v);
}

static uint32_t
warning_bits(const char *v)
{
	char copy[WORD_MAX], *w, *save = NULL;
	uint32_t bits = 0;
	size_t i;

	if (strcmp(v, "none") == 0)
		return 0;
	bprintf(copy, sizeof(copy), "%s", v);
	for (w = strtok_r(copy, ",", &save); w != NULL;
	    w = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < COUNT(warnings); i++)
			if (strcmp(w, warnings[i]) == 0)
				break;
		if (i == COUNT(warnings))
			fail_msg("spec: no warning \"%s\"", w);
		bits |= 1U << i;
	}
	return bits;
}

static lkey_status
status_of(const char *name)
{
	size_t i;

	for (i = 0; i < COUNT(statuses); i++)
		if (strcmp(statuses[i].name, name) == 0)
			return statuses[i].st;
	fail_msg("spec: no status \"%s\"", name);
	return LKEY_MALFORMED;
}

static const char *
status_name(lkey_status st)
{
	size_t i;

	for (i = 0; i < COUNT(statuses); i++)
		if (statuses[i].st == st)
			return statuses[i].name;
	return "?";
}

/* Sets field f (element k) of the struct at base to value v. */
static void
set(unsigned char *base, const struct field *f, size_t k, const char *v)
{
	unsigned char *p = base + f->off;
	uint32_t u32;
	lkey_day d;
	bool b;
	uint8_t u8;

	switch (f->kind) {
	case K_U8:
		u8 = (uint8_t)number(v, 0, UINT8_MAX, 0);
		memcpy(p, &u8, sizeof(u8));
		break;
	case K_U32:
		u32 = (uint32_t)number(v, 0, UINT32_MAX, UINT32_MAX);
		memcpy(p + k * sizeof(u32), &u32, sizeof(u32));
		break;
	case K_BOOL:
		b = number(v, 0, 1, 0) != 0;
		memcpy(p, &b, sizeof(b));
		break;
	case K_DAY:
		d = day_value(v);
		memcpy(p, &d, sizeof(d));
		break;
	default:
		fail_msg("spec: %s cannot be set", f->name);
	}
	if (f->has != NO_FLAG) {
		b = true;
		memcpy(base + f->has, &b, sizeof(b));
	}
}

/* Calls fn for each word of spec. */
static void
each_word(const char *spec, void (*fn)(void *, const char *), void *arg)
{
	const char *p = spec;

	while (*p != '\0') {
		char word[WORD_MAX];
		size_t n;

		while (*p == ' ')
			p++;
		n = strcspn(p, " ");
		if (n == 0)
			break;
		if (n >= sizeof(word))
			fail_msg("spec word too long: %.40s...", p);
		memcpy(word, p, n);
		word[n] = '\0';
		fn(arg, word);
		p += n;
	}
}

static void
lic_word(void *arg, const char *word)
{
	const char *v;
	size_t k;
	const struct field *f = lookup(lic_fields, COUNT(lic_fields), word,
	    &k, &v);

	set(arg, f, k, v);
}

static void
ctx_word(void *arg, const char *word)
{
	lkey_context *c = arg;
	const char *v;
	size_t k;
	const struct field *f = lookup(ctx_fields, COUNT(ctx_fields), word,
	    &k, &v);

	set(arg, f, k, v);
	if (f->array)
		c->module_users_set |= 1U << k;
}

/* ---- licences as real keys ---------------------------------------------- */

/* The tag a licence's signature covers first (16 bytes, NUL included). */
static const char licence_tag[16] = "lkey-license-v1";

void
fixture_key(int which, uint8_t sk[64], lkey_pubkey *pub)
{
	uint8_t seed[32], pk[32];
	size_t i;

	if (lkey_init() != 0)
		fail_msg("lkey_init failed");
	for (i = 0; i < sizeof(seed); i++)
		seed[i] = which == FIXTURE_KEY_A ? (uint8_t)(0x40U + i) :
		    (uint8_t)(0xc0U ^ (i * 7U));
	assert_int_equal(crypto_sign_seed_keypair(pk, sk, seed), 0);
	lkey_pubkey_from_bytes(pk, pub);
}

/* A day of the wire: 0xffff for never, else at most 65534. */
static void
put_day(uint8_t *p, lkey_day d, const char *what)
{
	if (d != LKEY_NEVER && d > 65534U)
		fail_msg("lic_issue: %s day %u is past what a key holds", what,
		    (unsigned)d);
	st16(p, d == LKEY_NEVER ? 0xffffU : d);
}

static size_t
put_ext(uint8_t *p, uint8_t type, const uint8_t *v, size_t n)
{
	p[0] = type;
	p[1] = (uint8_t)n;
	memcpy(p + 2, v, n);
	return 2U + n;
}

/*
 * The payload of l's terms as docs/FORMAT.md lays it out: the fixed fields,
 * then each extension that differs from its default, in type order.
 */
static size_t
payload(const lkey_license *l, uint8_t *out)
{
	uint8_t v[4U * LKEY_FEATURES_MAX];
	size_t n = 25, m;
	uint32_t bit;

	if (l->seats != LKEY_SEATS_UNLIMITED && l->seats > 0xfffffeU)
		fail_msg("lic_issue: %u seats do not fit a key",
		    (unsigned)l->seats);
	out[0] = l->version;
	st32(out + 1, l->key_id);
	st16(out + 5, l->product);
	out[7] = (uint8_t)l->edition;
	st32(out + 8, l->seats == LKEY_SEATS_UNLIMITED ? 0xffffffU : l->seats);
	put_day(out + 11, l->starts, "start");
	put_day(out + 13, l->expires, "expiry");
	put_day(out + 15, l->maintenance, "maintenance");
	st32(out + 17, l->serial);
	st32(out + 21, l->features);
	if (l->licensee_len > 0)
		n += put_ext(out + n, 0x01, (const uint8_t *)l->licensee,
		    l->licensee_len);
	if (l->grace_days != 0) {
		st16(v, l->grace_days);
		n += put_ext(out + n, 0x02, v, 2);
	}
	if (l->notice_days != 30) {
		st16(v, l->notice_days);
		n += put_ext(out + n, 0x03, v, 2);
	}
	for (bit = 0, m = 0; bit < LKEY_FEATURES_MAX; bit++)
		if (l->module_seats[bit] != 0) {
			v[m] = (uint8_t)bit;
			st32(v + m + 1U, l->module_seats[bit]);
			m += 4;
		}
	if (m > 0)
		n += put_ext(out + n, 0x84, v, m);
	if (l->trial)
		n += put_ext(out + n, 0x05, v, 0);
	if (l->issued != l->starts) {
		st16(v, l->issued);
		n += put_ext(out + n, 0x06, v, 2);
	}
	if (l->host_bound)
		n += put_ext(out + n, 0x87, l->host, sizeof(l->host));
	if (l->maintenance_features != 0) {
		st32(v, l->maintenance_features);
		n += put_ext(out + n, 0x88, v, 4);
	}
	return n;
}

void
lic_issue(lkey_license *l)
{
	uint8_t sk[64], key[LKEY_KEY_MAX + 64U], msg[16U + LKEY_KEY_MAX];
	char text[2U * LKEY_KEY_TEXT_MAX];
	lkey_pubkey pub;
	lkey_detail d;
	lkey_status st;
	size_t n;
	int which;

	if (l->version == 0) {
		/* What a refused lkey_decode leaves. */
		memset(l, 0, sizeof(*l));
		return;
	}
	for (which = FIXTURE_KEY_A; which <= FIXTURE_KEY_B; which++) {
		fixture_key(which, sk, &pub);
		if (pub.id == l->key_id)
			break;
	}
	if (which > FIXTURE_KEY_B)
		fail_msg("lic_issue: key id %08x is no fixture key",
		    (unsigned)l->key_id);
	n = payload(l, key);
	memcpy(msg, licence_tag, sizeof(licence_tag));
	memcpy(msg + sizeof(licence_tag), key, n);
	assert_int_equal(crypto_sign_detached(key + n, NULL, msg,
	    sizeof(licence_tag) + n, sk), 0);
	sodium_memzero(sk, sizeof(sk));
	sodium_bin2base64(text, sizeof(text), key, n + 64U,
	    sodium_base64_VARIANT_ORIGINAL);
	st = lkey_decode(text, strlen(text), &pub, 1, l, &d);
	if (st != LKEY_OK)
		fail_msg("lic_issue: these terms are no key: %s (%s)",
		    lkey_status_name(st), lkey_reason_text(d.reason));
}

lkey_license
lic_make(const char *spec)
{
	lkey_license l;
	lkey_pubkey pub;
	uint8_t sk[64];

	memset(&l, 0, sizeof(l));
	fixture_key(FIXTURE_KEY_A, sk, &pub);
	sodium_memzero(sk, sizeof(sk));
	l.version = 1;
	l.key_id = pub.id;
	l.product = 1;
	l.edition = 2;
	l.seats = 25;
	l.starts = day("2027-01-01");
	l.expires = day("2027-12-31");
	l.maintenance = day("2027-06-30");
	l.serial = 7;
	each_word(spec, lic_word, &l);
	lic_issue(&l);
	return l;
}

lkey_context
ctx_make(const char *spec)
{
	lkey_context c;

	memset(&c, 0, sizeof(c));
	c.product = 1;
	c.today = day("2027-03-01");
	each_word(spec, ctx_word, &c);
	return c;
}

/* ---- checking a report -------------------------------------------------- */

struct rcheck {
	struct tally *t;
	const char *what;
	const lkey_report *r;
	bool first;		/* the verdict word is next */
	lkey_status st;
};

static void
warnings_text(uint32_t bits, char *out, size_t cap)
{
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; i < 32; i++)
		if (bits & (1U << i)) {
			bprintf(out + len, cap - len, "%s%s", len ? "," : "",
			    i < COUNT(warnings) ? warnings[i] : "?");
			len += strlen(out + len);
		}
	if (len == 0)
		bprintf(out, cap, "none");
}

static void
problems_text(const lkey_report *r, char *out, size_t cap)
{
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; i < r->nproblems && i < LKEY_PROBLEMS_MAX; i++) {
		bprintf(out + len, cap - len, "%s%s", len ? "," : "",
		    status_name(r->problems[i].status));
		len += strlen(out + len);
		if (r->problems[i].module != LKEY_MODULE_NONE) {
			bprintf(out + len, cap - len, "@%u",
			    (unsigned)r->problems[i].module);
			len += strlen(out + len);
		}
	}
	if (len == 0)
		bprintf(out, cap, "none");
}

static void
report_word(void *arg, const char *word)
{
	struct rcheck *x = arg;
	const unsigned char *p;
	const struct field *f;
	const char *v;
	char got[WORD_MAX], want[WORD_MAX];
	size_t k;

	if (x->first) {
		lkey_status st = status_of(word);

		x->first = false;
		tcheck(x->t, x->st == st && x->r->status == st, x->what, NULL,
		    "verdict %s (report %s), expected %s", status_name(x->st),
		    status_name(x->r->status), word);
		return;
	}
	f = lookup(report_fields, COUNT(report_fields), word, &k, &v);
	p = (const unsigned char *)x->r + f->off;
	switch (f->kind) {
	case K_BOOL: {
		bool b;

		memcpy(&b, p, sizeof(b));
		tcheck(x->t, b == (number(v, 0, 1, 0) != 0), x->what, NULL,
		    "%s is %d, expected %s", f->name, (int)b, v);
		break;
	}
	case K_U8:
		tcheck(x->t, *p == (uint8_t)number(v, 0, UINT8_MAX, 0),
		    x->what, NULL, "%s is %u, expected %s", f->name,
		    (unsigned)*p, v);
		break;
	case K_U32: {
		uint32_t u;

		memcpy(&u, p, sizeof(u));
		tcheck(x->t, u == (uint32_t)number(v, 0, UINT32_MAX,
		    UINT32_MAX), x->what, NULL, "%s is %#x, expected %s",
		    f->name, (unsigned)u, v);
		break;
	}
	case K_DAY: {
		lkey_day d;

		memcpy(&d, p, sizeof(d));
		tcheck(x->t, d == day_value(v), x->what, NULL,
		    "%s is day %u, expected %s", f->name, (unsigned)d, v);
		break;
	}
	case K_I64: {
		int64_t n;

		memcpy(&n, p + k * sizeof(n), sizeof(n));
		tcheck(x->t, n == number(v, INT64_MIN, INT64_MAX, INT64_MAX),
		    x->what, NULL, "%s%s is %lld, expected %s", f->name,
		    f->array ? "[]" : "", (long long)n, v);
		break;
	}
	case K_WARNINGS:
		warnings_text(x->r->warnings, got, sizeof(got));
		warnings_text(warning_bits(v), want, sizeof(want));
		tcheck(x->t, strcmp(got, want) == 0, x->what, NULL,
		    "warnings are %s, expected %s", got, want);
		break;
	case K_PROBLEMS:
		problems_text(x->r, got, sizeof(got));
		tcheck(x->t, strcmp(got, v) == 0, x->what, NULL,
		    "problems are %s, expected %s", got, v);
		break;
	case K_NPROBLEMS:
		tcheck(x->t, x->r->nproblems == (size_t)number(v, 0,
		    LKEY_PROBLEMS_MAX, 0), x->what, NULL,
		    "%zu problems, expected %s", x->r->nproblems, v);
		break;
	default:
		fail_msg("spec: %s cannot be checked", f->name);
	}
}

static bool
report_matches(struct tally *t, const char *what, lkey_status st,
    const lkey_report *r, const char *want)
{
	struct rcheck x = { t, what, r, true, st };
	int before = t->failures;

	t->cases++;
	each_word(want, report_word, &x);
	if (x.first)
		fail_msg("%s: the spec \"%s\" has no verdict", what, want);
	return t->failures == before;
}

bool
report_is(struct tally *t, const char *what, const lkey_license *l,
    const lkey_context *c, const char *want)
{
	lkey_report r;
	lkey_status st = lkey_check(l, c, &r);

	return report_matches(t, what, st, &r, want);
}

/* ---- revocation lists --------------------------------------------------- */

const char list_tag[16] = "lkey-revoked-v1";

size_t
list_body(uint8_t *out, uint32_t key_id, uint32_t sequence, uint32_t made,
    uint32_t count, const struct entry *e, size_t n)
{
	size_t i;

	memcpy(out, "LKR", 3);
	out[3] = 1;
	st32(out + 4, key_id);
	st32(out + 8, sequence);
	st16(out + 12, made);
	st16(out + 14, count);
	for (i = 0; i < n; i++) {
		st32(out + LIST_HEAD + 8U * i, e[i].key_id);
		st32(out + LIST_HEAD + 8U * i + 4U, e[i].serial);
	}
	return LIST_HEAD + 8U * n;
}

size_t
list_sign(uint8_t *out, size_t len, const uint8_t sk[64], const char tag[16])
{
	uint8_t *msg = malloc(16U + len);

	assert_non_null(msg);
	memcpy(msg, tag, 16);
	memcpy(msg + 16, out, len);
	assert_int_equal(crypto_sign_detached(out + len, NULL, msg, 16U + len,
	    sk), 0);
	free(msg);
	return len + LIST_SIG;
}

size_t
list_text(const uint8_t *b, size_t len, char *out, size_t cap)
{
	static const char head[] = "# lkey revocation list (test)\n";
	size_t n = sizeof(head) - 1U;

	assert_true(cap > n + sodium_base64_ENCODED_LEN(len,
	    sodium_base64_VARIANT_ORIGINAL) + 1U);
	memcpy(out, head, n);
	sodium_bin2base64(out + n, cap - n, b, len,
	    sodium_base64_VARIANT_ORIGINAL);
	n += strlen(out + n);
	out[n++] = '\n';
	out[n] = '\0';
	return n;
}

/*
 * fz_paste.c - pasted text: lkey_key_find, lkey_detail_text, lkey_verify
 * (verify/lib/paste.c, detail.c)
 *
 * Checked: the finder writes nothing past the room it is given (guard
 * bytes after `out` and `where`, with the full room and with little); a
 * key found is base64 characters only, NUL-terminated, each where[i]
 * strictly after the one before and pointing at that very character of
 * the input; a refusal leaves "" and gives a reason, with an offset inside
 * the text where it has one, and for a stray character one that is no
 * base64 or whitespace, with its code point. The same input gives the
 * same answer twice. The detail's sentence fits its length, cut or not,
 * and lkey_verify's verdict is the finder's refusal or lkey_decode's and
 * lkey_check's of what it found.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "codec.h"
#include "lkey.h"
#include "targets.h"

#define OUT_CAP (LKEY_TEXT_MAX + 1U)
#define SMALL_CAP 130U
#define GUARD 32U
#define CANARY 0xa5

/* The demo vendor key, key id 277e0164 (keys/demo-vendor.pub). */
static const uint8_t demo_pk[LKEY_PUBLICKEYBYTES] = {
	0x99, 0x30, 0xce, 0x0f, 0xdd, 0xb7, 0xc7, 0x08, 0x35, 0x02, 0x36,
	0x26, 0x84, 0x68, 0xc0, 0x9f, 0x2e, 0x58, 0x70, 0xe5, 0x75, 0xc6,
	0x0d, 0x14, 0x74, 0x20, 0xd4, 0x5f, 0xd8, 0xd4, 0x8a, 0x9a
};

static bool
is_b64(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
}

static bool
guard_intact(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != CANARY)
			return false;
	return true;
}

/* One call with room for cap characters; returns the status. */
static lkey_status
find(const char *text, size_t size, size_t cap, char *out, size_t *where,
    size_t *n, lkey_detail *d)
{
	lkey_status st;
	size_t i;

	memset(out, CANARY, cap + GUARD);
	memset(where, CANARY, (cap + GUARD) * sizeof(*where));
	*n = SIZE_MAX;
	st = lkey_key_find(text, size, out, cap, n, where, d);
	FUZZ_CHECK(guard_intact((const uint8_t *)out + cap, GUARD));
	FUZZ_CHECK(guard_intact((const uint8_t *)(where + cap),
	    GUARD * sizeof(*where)));
	if (st == LKEY_OK) {
		FUZZ_CHECK(d->reason == LKEY_R_NONE);
		FUZZ_CHECK(*n > 0 && *n < cap && out[*n] == '\0');
		FUZZ_CHECK(size <= LKEY_TEXT_MAX);
		for (i = 0; i < *n; i++) {
			FUZZ_CHECK(is_b64(out[i]));
			FUZZ_CHECK(where[i] < size);
			FUZZ_CHECK(text[where[i]] == out[i]);
			FUZZ_CHECK(i == 0 || where[i] > where[i - 1U]);
		}
		return st;
	}
	FUZZ_CHECK(st == LKEY_MALFORMED);
	FUZZ_CHECK(*n == 0 && out[0] == '\0');
	FUZZ_CHECK(d->reason == LKEY_R_TOO_LONG || d->reason == LKEY_R_EMPTY ||
	    d->reason == LKEY_R_BAD_CHAR || d->reason == LKEY_R_AMBIGUOUS ||
	    d->reason == LKEY_R_TWICE);
	if (d->reason == LKEY_R_TOO_LONG)
		FUZZ_CHECK(size > LKEY_TEXT_MAX || cap < OUT_CAP);
	if (d->reason == LKEY_R_AMBIGUOUS || d->reason == LKEY_R_TWICE)
		FUZZ_CHECK(d->offset < size && is_b64(text[d->offset]));
	if (d->reason == LKEY_R_BAD_CHAR) {
		uint32_t cp;

		FUZZ_CHECK(d->offset < size);
		FUZZ_CHECK(!is_b64(text[d->offset]) &&
		    !lkey__b64_is_space((unsigned char)text[d->offset]));
		(void)lkey__utf8_next(text + d->offset, size - d->offset, &cp);
		FUZZ_CHECK(cp == d->value);
	}
	return st;
}

/* The sentence: NUL-terminated, as long as it says, or cut. */
static void
check_detail(const lkey_detail *d, const char *text, size_t size)
{
	char out[512], cut[16];
	size_t need;

	need = lkey_detail_text(d, text, size, out, sizeof(out));
	FUZZ_CHECK(need > 0 && need < sizeof(out));
	FUZZ_CHECK(strlen(out) == need);
	FUZZ_CHECK(lkey_detail_text(d, text, size, cut, sizeof(cut)) == need);
	FUZZ_CHECK(strlen(cut) == sizeof(cut) - 1U);
	FUZZ_CHECK(memcmp(cut, out, sizeof(cut) - 1U) == 0);
	FUZZ_CHECK(lkey_detail_text(d, NULL, 0, out, sizeof(out)) > 0);
}

int
fuzz_paste(const uint8_t *data, size_t size)
{
	static char out[OUT_CAP + GUARD], again[OUT_CAP + GUARD];
	static size_t where[OUT_CAP + GUARD], where2[OUT_CAP + GUARD];
	const char *text = (const char *)data;
	lkey_detail d, d2;
	lkey_pubkey ring;
	lkey_license lic, lic2;
	lkey_report rep, rep2;
	lkey_context ctx;
	lkey_status st, st2, want;
	size_t n, n2;

	st = find(text, size, OUT_CAP, out, where, &n, &d);
	/* No state: the same answer again. */
	st2 = find(text, size, OUT_CAP, again, where2, &n2, &d2);
	FUZZ_CHECK(st2 == st && n2 == n && memcmp(&d2, &d, sizeof(d)) == 0);
	FUZZ_CHECK(memcmp(again, out, n) == 0);
	FUZZ_CHECK(memcmp(where2, where, n * sizeof(*where)) == 0);
	/* Little room: the same key if it fits, else too long. */
	st2 = find(text, size, SMALL_CAP, again, where2, &n2, &d2);
	if (st == LKEY_OK && n < SMALL_CAP)
		FUZZ_CHECK(st2 == LKEY_OK && n2 == n &&
		    memcmp(again, out, n) == 0);
	else if (st == LKEY_OK)
		FUZZ_CHECK(st2 == LKEY_MALFORMED &&
		    d2.reason == LKEY_R_TOO_LONG);
	else
		FUZZ_CHECK(st2 == st && d2.reason == d.reason);
	if (st != LKEY_OK)
		check_detail(&d, text, size);

	/* The one call: the finder's refusal, or what the key is. */
	lkey_pubkey_from_bytes(demo_pk, &ring);
	memset(&ctx, 0, sizeof(ctx));
	ctx.product = 1;
	FUZZ_CHECK(lkey_day_from_ymd(2027, 6, 15, &ctx.today));
	st2 = lkey_verify(text, size, &ring, 1, &ctx, &lic, &rep, &d2);
	FUZZ_CHECK(rep.status == st2);
	if (st != LKEY_OK) {
		FUZZ_CHECK(st2 == st && d2.reason == d.reason &&
		    d2.offset == d.offset);
		FUZZ_CHECK(fuzz_all_zero(&lic, sizeof(lic)));
		return 0;
	}
	want = lkey_decode(out, n, &ring, 1, &lic2, &d);
	if (want == LKEY_OK)
		want = lkey_check(&lic2, &ctx, &rep2);
	FUZZ_CHECK(st2 == want);
	if (st2 == LKEY_MALFORMED || st2 == LKEY_UNKNOWN_KEY ||
	    st2 == LKEY_BAD_SIGNATURE) {
		FUZZ_CHECK(lic.version == 0 && rep.nproblems == 1);
		FUZZ_CHECK(d2.offset < size);
		check_detail(&d2, text, size);
	}
	return 0;
}

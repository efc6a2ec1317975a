/*
 * fz_key.c - licence key text: the strict decoder, the payload reader and
 * the terms
 *
 * lkey_decode gets the text with a ring of two keys: the demo vendor key
 * (keys/demo-vendor.pub) and a second key made for this target, which
 * signed some of the corpus keys. A fuzzer cannot forge a signature, so
 * what lies behind it is reached another way too: the text is decoded on
 * its own and its payload given straight to lkey__wire_parse. Mutations of a
 * signed key then still reach every field and extension, and lkey_check
 * runs on whatever licence comes out, for a few contexts made to cross its
 * periods and limits.
 *
 * Checked: a refusal leaves the licence zeroed and gives a reason; the
 * text the decoder accepts is the one canonical spelling of its bytes; an
 * accepted licence holds only values the format allows, is what lkey__wire_parse
 * makes of the same payload, and survives build_payload and lkey__wire_parse
 * unchanged; a report agrees with its verdict, and its texts fit.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "build.h"
#include "codec.h"
#include "lkey.h"
#include "lkey_vendor.h"
#include "seal.h"
#include "targets.h"
#include "wire.h"

/* The demo vendor key, key id 277e0164 (keys/demo-vendor.pub). */
static const uint8_t demo_pk[LKEY_PUBLICKEYBYTES] = {
	0x99, 0x30, 0xce, 0x0f, 0xdd, 0xb7, 0xc7, 0x08, 0x35, 0x02, 0x36,
	0x26, 0x84, 0x68, 0xc0, 0x9f, 0x2e, 0x58, 0x70, 0xe5, 0x75, 0xc6,
	0x0d, 0x14, 0x74, 0x20, 0xd4, 0x5f, 0xd8, 0xd4, 0x8a, 0x9a
};
#define DEMO_ID UINT32_C(0x277e0164)

/* A second vendor key, key id dac57a35: corpus/key/second-*.key. */
static const uint8_t second_pk[LKEY_PUBLICKEYBYTES] = {
	0xbe, 0x36, 0x85, 0x9a, 0x96, 0xe4, 0x26, 0x42, 0x78, 0xfd, 0xa6,
	0x5c, 0x27, 0x0e, 0x39, 0xe3, 0xa5, 0xef, 0x8a, 0xa2, 0xc1, 0x26,
	0x2f, 0x89, 0x7b, 0xa2, 0x96, 0x15, 0x73, 0xf7, 0x18, 0x40
};
#define SECOND_ID UINT32_C(0xdac57a35)

#define TEXT_CAP 1024U
/* Small enough that most texts are cut short. */
#define SHORT_CAP 12U
#define CONTEXTS 4U

/* A text function's result: NUL-terminated, as long as it says or cut. */
static void
check_text(const char *out, size_t cap, size_t need)
{
	size_t len = strnlen(out, cap);

	FUZZ_CHECK(len < cap);
	FUZZ_CHECK(len == (need < cap ? need : cap - 1U));
}

static void
check_problem_texts(const lkey_license *lic, const lkey_context *ctx,
    const lkey_report *rep)
{
	char out[TEXT_CAP], cut[SHORT_CAP];
	size_t i, need;
	unsigned w;

	for (i = 0; i < rep->nproblems; i++) {
		need = lkey_problem_text(&rep->problems[i], lic, ctx, rep, NULL,
		    out, sizeof(out));
		FUZZ_CHECK(need > 0);
		check_text(out, sizeof(out), need);
		need = lkey_problem_text(&rep->problems[i], lic, ctx, rep,
		    "module", cut, sizeof(cut));
		check_text(cut, sizeof(cut), need);
	}
	for (w = 0; w < LKEY_WARNING_COUNT; w++) {
		if ((rep->warnings & 1U << w) == 0)
			continue;
		FUZZ_CHECK(lkey_warning_name((lkey_warning)w) != NULL);
		need = lkey_warning_text((lkey_warning)w, lic, ctx, rep, out,
		    sizeof(out));
		FUZZ_CHECK(need > 0);
		check_text(out, sizeof(out), need);
		need = lkey_warning_text((lkey_warning)w, lic, ctx, rep, cut,
		    sizeof(cut));
		check_text(cut, sizeof(cut), need);
	}
}

static void
check_report(lkey_status st, const lkey_license *lic,
    const lkey_context *ctx, const lkey_report *rep)
{
	lkey_status product = LKEY_OK;
	size_t i;

	FUZZ_CHECK(st == rep->status);
	FUZZ_CHECK(rep->nproblems <= LKEY_PROBLEMS_MAX);
	FUZZ_CHECK(rep->nproblems > 0 || st == LKEY_OK);
	for (i = 0; i < rep->nproblems; i++) {
		FUZZ_CHECK(rep->problems[i].status != LKEY_OK);
		FUZZ_CHECK((unsigned)rep->problems[i].status <
		    LKEY_STATUS_COUNT);
		FUZZ_CHECK(rep->problems[i].module == LKEY_MODULE_NONE ||
		    rep->problems[i].module < LKEY_FEATURES_MAX);
		/* A module's problem is seats_exceeded, after the product's
		 * own problems, and never the verdict. */
		if (rep->problems[i].module != LKEY_MODULE_NONE) {
			FUZZ_CHECK(rep->problems[i].status ==
			    LKEY_SEATS_EXCEEDED);
			FUZZ_CHECK((rep->features_available &
			    UINT32_C(1) << rep->problems[i].module) == 0);
		} else {
			FUZZ_CHECK(i == 0 || rep->problems[i - 1U].module ==
			    LKEY_MODULE_NONE);
			if (product == LKEY_OK)
				product = rep->problems[i].status;
		}
	}
	FUZZ_CHECK(st == product);
	FUZZ_CHECK((rep->features_available & ~lic->features) == 0);
	/* Held back: the key's signed marks and the context's alike. */
	if (rep->addons_off != LKEY_ADDONS_ON)
		FUZZ_CHECK((rep->features_available &
		    (lic->maintenance_features | ctx->maintenance_features)) ==
		    0);
	FUZZ_CHECK(rep->warnings >> LKEY_WARNING_COUNT == 0);
	FUZZ_CHECK(lkey_status_name(st) != NULL);
	FUZZ_CHECK(lkey_status_message(st) != NULL);
	check_problem_texts(lic, ctx, rep);
}

/* A day `delta` days from `day`, kept within what a key can carry. */
static lkey_day
shift(lkey_day day, int64_t delta)
{
	int64_t d = (int64_t)day + delta;

	if (day == LKEY_NEVER || d > (int64_t)LKEY_DAY_MAX)
		return LKEY_DAY_MAX;
	return d < 0 ? 0 : (lkey_day)d;
}

/*
 * Context i of CONTEXTS: the demo product on a fixed day; then this
 * licence's product on its first day, after its end and after its
 * maintenance, with users over its seats (and its modules' seats), a
 * release after maintenance, an administrator asking, a grace period
 * begun.
 */
static void
make_context(unsigned i, const lkey_license *lic, lkey_context *ctx)
{
	uint32_t bit;
	lkey_day fixed;

	memset(ctx, 0, sizeof(*ctx));
	FUZZ_CHECK(lkey_day_from_ymd(2027, 6, 15, &fixed));
	ctx->product = i == 0 ? 1U : lic->product;
	ctx->maintenance_features = UINT32_C(0x9);
	switch (i) {
	case 0:
		ctx->today = fixed;
		ctx->has_release = true;
		ctx->release = shift(fixed, -45);
		ctx->has_users = true;
		ctx->users = 20;
		break;
	case 1:
		ctx->today = lic->starts;
		break;
	case 2:
		ctx->today = shift(lic->expires, 1);
		ctx->has_release = true;
		ctx->release = shift(lic->maintenance, 1);
		ctx->admin = true;
		break;
	default:
		ctx->today = shift(lic->maintenance, 1);
		ctx->has_over_since = true;
		ctx->over_since = shift(ctx->today, -3);
		break;
	}
	if (i > 0 && lic->seats != LKEY_SEATS_UNLIMITED) {
		ctx->has_users = true;
		ctx->users = lic->seats + 1U;
	}
	for (bit = 0; bit < LKEY_FEATURES_MAX && i > 0; bit++) {
		if (lic->module_seats[bit] == 0)
			continue;
		ctx->module_users_set |= UINT32_C(1) << bit;
		ctx->module_users[bit] = lic->module_seats[bit] + (i & 1U);
	}
}

static void
check_terms(const lkey_license *lic)
{
	lkey_context ctx;
	lkey_report rep;
	lkey_status st;
	unsigned i;

	for (i = 0; i < CONTEXTS; i++) {
		make_context(i, lic, &ctx);
		st = lkey_check(lic, &ctx, &rep);
		check_report(st, lic, &ctx, &rep);
	}
	FUZZ_CHECK(lkey_license_order(lic, lic) == 0);
}

/* What the format allows an authenticated licence to hold. */
static void
check_license(const lkey_license *lic)
{
	uint32_t bit;

	FUZZ_CHECK(lic->version == WIRE_VERSION);
	FUZZ_CHECK(lic->product >= 1U && lic->product <= 65535U);
	FUZZ_CHECK(lic->edition <= 255U);
	FUZZ_CHECK(lic->seats == LKEY_SEATS_UNLIMITED ||
	    (lic->seats >= 1U && lic->seats <= LKEY_SEATS_MAX));
	FUZZ_CHECK(lic->starts <= LKEY_DAY_MAX);
	FUZZ_CHECK(lic->expires == LKEY_NEVER || (lic->expires <= LKEY_DAY_MAX &&
	    lic->expires >= lic->starts));
	FUZZ_CHECK(lic->maintenance == LKEY_NEVER ||
	    (lic->maintenance <= LKEY_DAY_MAX &&
	    lic->maintenance >= lic->starts));
	FUZZ_CHECK(lic->issued <= LKEY_DAY_MAX);
	FUZZ_CHECK(lic->licensee_len <= LKEY_LICENSEE_MAX);
	FUZZ_CHECK(lic->licensee[lic->licensee_len] == '\0');
	FUZZ_CHECK(strlen(lic->licensee) == lic->licensee_len);
	FUZZ_CHECK(lkey__wire_text_ok(lic->licensee, lic->licensee_len));
	FUZZ_CHECK(lic->grace_days <= LKEY_GRACE_DAYS_MAX);
	FUZZ_CHECK(lic->notice_days <= LKEY_NOTICE_DAYS_MAX);
	FUZZ_CHECK(!lic->trial || lic->expires != LKEY_NEVER);
	for (bit = 0; bit < LKEY_FEATURES_MAX; bit++)
		if (lic->module_seats[bit] != 0)
			FUZZ_CHECK(lic->features & UINT32_C(1) << bit);
	FUZZ_CHECK((lic->maintenance_features & ~lic->features) == 0);
}

/*
 * One byte form: terms the issuer accepts serialise to a payload that
 * reads back as the same licence, no longer than the one read (which may
 * add unknown non-critical extensions, and nothing else).
 */
static void
check_rebuild(const lkey_license *lic, size_t plen)
{
	uint8_t payload[LKEY_KEY_MAX];
	lkey_license again;
	const char *why = NULL;
	size_t n;

	if (lkey_terms_check(lic, &why) != LKEY_ISSUE_OK)
		return;
	n = build_payload(lic, payload, sizeof(payload));
	FUZZ_CHECK(n >= WIRE_FIXED_BYTES && n <= plen);
	FUZZ_CHECK(lkey__wire_parse(payload, n, &again, NULL) == LKEY_OK);
	FUZZ_CHECK(memcmp(&again, lic, sizeof(again)) == 0);
}

/* Accepted text is exactly the canonical base64 of its bytes. */
static void
check_canonical(const char *text, size_t len, const uint8_t *raw, size_t n)
{
	char enc[LKEY_B64_TEXT_MAX];
	size_t m, i, j = 0;

	m = lkey__b64_encode(raw, n, enc, sizeof(enc));
	FUZZ_CHECK(m == LKEY_B64_LEN(n));
	for (i = 0; i < len; i++) {
		if (lkey__b64_is_space((unsigned char)text[i]))
			continue;
		FUZZ_CHECK(j < m && text[i] == enc[j]);
		j++;
	}
	FUZZ_CHECK(j == m);
}

int
fuzz_key(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	lkey_pubkey ring[2];
	lkey_license lic, raw_lic;
	lkey_detail detail;
	uint8_t raw[LKEY_KEY_MAX];
	lkey_status st, raw_st = LKEY_MALFORMED;
	size_t n = 0;

	lkey_pubkey_from_bytes(demo_pk, &ring[0]);
	lkey_pubkey_from_bytes(second_pk, &ring[1]);
	FUZZ_CHECK(ring[0].id == DEMO_ID && ring[1].id == SECOND_ID);

	/* The strict decoder alone, and the payload past the signature. */
	if (lkey__b64_decode(text, size, raw, sizeof(raw), &n, NULL) ==
	    LKEY_OK) {
		FUZZ_CHECK(n <= sizeof(raw));
		check_canonical(text, size, raw, n);
		if (n >= WIRE_MIN_BYTES) {
			raw_st = lkey__wire_parse(raw, n - LKEY_SIGNATUREBYTES,
			    &raw_lic, &detail);
			if (raw_st == LKEY_OK) {
				check_license(&raw_lic);
				check_rebuild(&raw_lic,
				    n - LKEY_SIGNATUREBYTES);
				/* Sealed as lkey_decode seals what it
				 * read, or lkey_check takes none of it. */
				lkey__seal_set(&raw_lic);
				check_terms(&raw_lic);
			} else {
				FUZZ_CHECK(raw_st == LKEY_MALFORMED);
				FUZZ_CHECK(detail.reason != LKEY_R_NONE);
				FUZZ_CHECK(fuzz_all_zero(&raw_lic,
				    sizeof(raw_lic)));
			}
		}
	}

	/* The whole way, as an application calls it. */
	st = lkey_decode(text, size, ring, 2, &lic, &detail);
	if (st == LKEY_OK) {
		FUZZ_CHECK(raw_st == LKEY_OK);
		FUZZ_CHECK(memcmp(&lic, &raw_lic, sizeof(lic)) == 0);
		FUZZ_CHECK(lic.key_id == DEMO_ID || lic.key_id == SECOND_ID);
		FUZZ_CHECK(detail.reason == LKEY_R_NONE);
	} else {
		FUZZ_CHECK(st == LKEY_MALFORMED || st == LKEY_UNKNOWN_KEY ||
		    st == LKEY_BAD_SIGNATURE);
		FUZZ_CHECK(detail.reason != LKEY_R_NONE);
		FUZZ_CHECK(detail.reason != LKEY_R_BAD_CHAR ||
		    detail.offset < size);
		FUZZ_CHECK(lkey_reason_text(detail.reason) != NULL);
		FUZZ_CHECK(fuzz_all_zero(&lic, sizeof(lic)));
	}

	/* An empty ring knows no key. */
	st = lkey_decode(text, size, NULL, 0, &lic, NULL);
	FUZZ_CHECK(st != LKEY_OK);
	FUZZ_CHECK(fuzz_all_zero(&lic, sizeof(lic)));
	return 0;
}

/*
 * guard.c - the clock guard's state, and host ids for node-locked keys
 *
 * The state is a small text file with one form: whatever lkey_state_format
 * writes for its values, check included. Any other text is refused as
 * corrupt, so a damaged or hand-edited file is an error the user sees, never
 * a silent reset of the guard. The check is a hash, not a MAC: the customer
 * machine holds no secret, so it catches damage and careless edits, not a
 * determined user (docs/SECURITY.md).
 */
#include <string.h>

#include <sodium.h>

#include "le.h"
#include "wire.h"

/*
 * The text form, version 2 (with the day of the latest check); version 1
 * files, which liblkey 1 wrote, are still read.
 */
#define STATE_MAGIC "lkey-state-v2"
#define STATE_MAGIC_V1 "lkey-state-v1"
#define STATE_HEAD "# lkey verifier state: the clock guard. Do not edit.\n"
#define STATE_CHECK_TAG "lkey-state-check-v2"
#define STATE_CHECK_TAG_V1 "lkey-state-check-v1"
#define STATE_CHECK_BYTES 16U
#define HOST_TAG "lkey-host-id-v1"

void
lkey_host_id(const char *machine_id, size_t len, uint32_t product,
    uint8_t out[LKEY_HOST_ID_BYTES])
{
	crypto_generichash_state st;
	uint8_t p[4];

	le_store32(p, product);
	crypto_generichash_init(&st, NULL, 0, LKEY_HOST_ID_BYTES);
	crypto_generichash_update(&st, (const uint8_t *)HOST_TAG,
	    sizeof(HOST_TAG));
	crypto_generichash_update(&st, p, sizeof(p));
	crypto_generichash_update(&st, (const uint8_t *)machine_id, len);
	crypto_generichash_final(&st, out, LKEY_HOST_ID_BYTES);
}

void
lkey_state_init(lkey_state *state, uint32_t product)
{
	memset(state, 0, sizeof(*state));
	state->product = product;
}

/*
 * The check: BLAKE2b-128 of the tag (its NUL included) and the fields,
 * each u32 LE. Version 1 had no latest day.
 */
static void
state_check(const lkey_state *s, int version, uint8_t out[STATE_CHECK_BYTES])
{
	uint8_t in[sizeof(STATE_CHECK_TAG) + 16U], *p = in;

	_Static_assert(sizeof(STATE_CHECK_TAG) == sizeof(STATE_CHECK_TAG_V1),
	    "tags of one length");
	memcpy(p, version == 1 ? STATE_CHECK_TAG_V1 : STATE_CHECK_TAG,
	    sizeof(STATE_CHECK_TAG));
	p += sizeof(STATE_CHECK_TAG);
	le_store32(p, s->product);
	le_store32(p + 4, s->last_seen);
	p += 8;
	if (version != 1) {
		le_store32(p, s->latest);
		p += 4;
	}
	le_store32(p, s->revocation_sequence);
	p += 4;
	crypto_generichash(out, STATE_CHECK_BYTES, in, (size_t)(p - in), NULL,
	    0);
}

/* Appends text; false when it does not fit (a NUL always does). */
static bool
put_str(char *out, size_t cap, size_t *pos, const char *s)
{
	size_t n = strlen(s);

	if (cap - *pos <= n)
		return false;
	memcpy(out + *pos, s, n);
	*pos += n;
	out[*pos] = '\0';
	return true;
}

static bool
put_u32(char *out, size_t cap, size_t *pos, uint32_t v)
{
	char buf[11];
	size_t i = sizeof(buf) - 1U;

	buf[i] = '\0';
	do {
		buf[--i] = (char)('0' + v % 10U);
		v /= 10U;
	} while (v > 0);
	return put_str(out, cap, pos, buf + i);
}

/* A day of the state, as "YYYY-MM-DD". */
static bool
put_day(char *out, size_t cap, size_t *pos, lkey_day d)
{
	char day[11];

	if (d > LKEY_DAY_MAX)
		return false;
	lkey_day_format(d, day);
	return put_str(out, cap, pos, day);
}

/* The text of `s` in the form of `version`: the one form it is read in. */
static size_t
format_version(const lkey_state *s, int version, char *out, size_t cap)
{
	uint8_t check[STATE_CHECK_BYTES];
	char hex[2U * STATE_CHECK_BYTES + 1U];
	size_t pos = 0;
	bool ok;

	if (cap == 0)
		return 0;
	out[0] = '\0';
	state_check(s, version, check);
	/* Lowercase, the one form lkey_state_parse accepts back. */
	(void)sodium_bin2hex(hex, sizeof(hex), check, sizeof(check));
	ok = put_str(out, cap, &pos, STATE_HEAD) &&
	    put_str(out, cap, &pos, version == 1 ? STATE_MAGIC_V1 :
	    STATE_MAGIC) &&
	    put_str(out, cap, &pos, " product ") &&
	    put_u32(out, cap, &pos, s->product) &&
	    put_str(out, cap, &pos, " last-seen ") &&
	    put_day(out, cap, &pos, s->last_seen);
	if (ok && version != 1)
		ok = put_str(out, cap, &pos, " latest ") &&
		    put_day(out, cap, &pos, s->latest);
	ok = ok && put_str(out, cap, &pos, " revocations ") &&
	    put_u32(out, cap, &pos, s->revocation_sequence) &&
	    put_str(out, cap, &pos, " check ") &&
	    put_str(out, cap, &pos, hex) && put_str(out, cap, &pos, "\n");
	if (!ok) {
		out[0] = '\0';
		return 0;
	}
	return pos;
}

size_t
lkey_state_format(const lkey_state *s, char *out, size_t cap)
{
	return format_version(s, 2, out, cap);
}

/* A decimal number of at most ten digits, no sign, no leading zero. */
static const char *
get_u32(const char *p, const char *end, uint32_t *out)
{
	uint64_t v = 0;
	const char *s = p;

	while (p < end && *p >= '0' && *p <= '9' && p - s < 10) {
		v = v * 10U + (uint64_t)(*p - '0');
		p++;
	}
	if (p == s || (*s == '0' && p - s > 1) || v > UINT32_MAX)
		return NULL;
	*out = (uint32_t)v;
	return p;
}

static const char *
get_word(const char *p, const char *end, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(end - p) < n || memcmp(p, w, n) != 0)
		return NULL;
	return p + n;
}

/*
 * The magic word of either version near the start of the text, or NULL;
 * its version into *version.
 */
static const char *
find_magic(const char *text, size_t len, int *version)
{
	size_t n = sizeof(STATE_MAGIC) - 1U, i;

	_Static_assert(sizeof(STATE_MAGIC) == sizeof(STATE_MAGIC_V1),
	    "magic words of one length");
	for (i = 0; i + n <= len && i <= 128U; i++) {
		*version = memcmp(text + i, STATE_MAGIC, n) == 0 ? 2 :
		    memcmp(text + i, STATE_MAGIC_V1, n) == 0 ? 1 : 0;
		if (*version != 0)
			return text + i;
	}
	return NULL;
}

/* " NAME YYYY-MM-DD": a day of the state, into *out; or NULL. */
static const char *
get_day(const char *p, const char *end, const char *name, lkey_day *out)
{
	char day[11];

	if ((p = get_word(p, end, name)) == NULL || end - p < 10)
		return NULL;
	memcpy(day, p, 10);
	day[10] = '\0';
	if (!lkey_day_parse(day, out) || *out > LKEY_DAY_MAX)
		return NULL;
	return p + 10;
}

lkey_state_result
lkey_state_parse(const char *text, size_t len, uint32_t product,
    lkey_state *out)
{
	char again[LKEY_STATE_TEXT_MAX];
	const char *p, *end = text + len;
	lkey_state s;
	int version;
	size_t n;

	memset(out, 0, sizeof(*out));
	memset(&s, 0, sizeof(s));
	/* A state file names itself; anything else is another file. */
	if (text == NULL || (p = find_magic(text, len, &version)) == NULL)
		return LKEY_STATE_NOT_STATE;
	if ((p = get_word(p + sizeof(STATE_MAGIC) - 1U, end, " product ")) ==
	    NULL || (p = get_u32(p, end, &s.product)) == NULL ||
	    (p = get_day(p, end, " last-seen ", &s.last_seen)) == NULL ||
	    (version != 1 &&
	    (p = get_day(p, end, " latest ", &s.latest)) == NULL) ||
	    (p = get_word(p, end, " revocations ")) == NULL ||
	    (p = get_u32(p, end, &s.revocation_sequence)) == NULL)
		return LKEY_STATE_CORRUPT;
	/* The one form of these values, check included, and nothing else. */
	n = format_version(&s, version, again, sizeof(again));
	if (n == 0 || n != len || memcmp(again, text, len) != 0)
		return LKEY_STATE_CORRUPT;
	if (s.product != product)
		return LKEY_STATE_FOREIGN;
	/*
	 * Version 1 kept one day, the last of a valid check, and took every
	 * such day as the guard's mark: it stays the mark, and the day the
	 * next check confirms from.
	 */
	if (version == 1)
		s.latest = s.last_seen;
	*out = s;
	return LKEY_STATE_OK;
}

/* Whether a valid check on `day` confirms the day of the one before. */
static bool
confirms(lkey_day latest, lkey_day day)
{
	return latest != 0 && latest <= day &&
	    day - latest <= LKEY_STATE_CONFIRM_DAYS;
}

/*
 * The mark (last_seen) moves only to a day confirmed by two valid checks
 * close together: the second no earlier than the first and at most
 * LKEY_STATE_CONFIRM_DAYS after it. A single check with the clock far
 * ahead (a restored virtual machine, a bad time server) so moves only
 * `latest`, which the next check with a correct clock replaces: it never
 * locks out a time-limited licence. A clock set back after a run of
 * correct checks is still behind the mark they confirmed.
 */
bool
lkey_state_update(lkey_state *state, const lkey_context *ctx,
    lkey_status verdict)
{
	lkey_day today = ctx->today;
	bool changed = false;

	if (verdict == LKEY_OK && today <= LKEY_DAY_MAX) {
		if (confirms(state->latest, today) &&
		    today > state->last_seen) {
			state->last_seen = today;
			changed = true;
		}
		if (state->latest != today) {
			state->latest = today;
			changed = true;
		}
	}
	if (ctx->revocations != NULL &&
	    ctx->revocations->sequence > state->revocation_sequence) {
		state->revocation_sequence = ctx->revocations->sequence;
		changed = true;
	}
	return changed;
}

bool
lkey_state_list_is_old(const lkey_state *state, const lkey_revocations *list)
{
	return list->sequence < state->revocation_sequence;
}

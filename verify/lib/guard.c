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

#define STATE_MAGIC "lkey-state-v1"
#define STATE_HEAD "# lkey verifier state: the clock guard. Do not edit.\n"
#define STATE_CHECK_TAG "lkey-state-check-v1"
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

static void
state_check(const lkey_state *s, uint8_t out[STATE_CHECK_BYTES])
{
	uint8_t in[sizeof(STATE_CHECK_TAG) + 12U];

	memcpy(in, STATE_CHECK_TAG, sizeof(STATE_CHECK_TAG));
	le_store32(in + sizeof(STATE_CHECK_TAG), s->product);
	le_store32(in + sizeof(STATE_CHECK_TAG) + 4U, s->last_seen);
	le_store32(in + sizeof(STATE_CHECK_TAG) + 8U, s->revocation_sequence);
	crypto_generichash(out, STATE_CHECK_BYTES, in, sizeof(in), NULL, 0);
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

size_t
lkey_state_format(const lkey_state *s, char *out, size_t cap)
{
	uint8_t check[STATE_CHECK_BYTES];
	char day[11], hex[2U * STATE_CHECK_BYTES + 1U];
	size_t pos = 0;

	if (cap == 0)
		return 0;
	out[0] = '\0';
	state_check(s, check);
	/* Lowercase, the one form lkey_state_parse accepts back. */
	(void)sodium_bin2hex(hex, sizeof(hex), check, sizeof(check));
	lkey_day_format(s->last_seen, day);
	if (s->last_seen > LKEY_DAY_MAX ||
	    !put_str(out, cap, &pos, STATE_HEAD STATE_MAGIC " product ") ||
	    !put_u32(out, cap, &pos, s->product) ||
	    !put_str(out, cap, &pos, " last-seen ") ||
	    !put_str(out, cap, &pos, day) ||
	    !put_str(out, cap, &pos, " revocations ") ||
	    !put_u32(out, cap, &pos, s->revocation_sequence) ||
	    !put_str(out, cap, &pos, " check ") ||
	    !put_str(out, cap, &pos, hex) || !put_str(out, cap, &pos, "\n")) {
		out[0] = '\0';
		return 0;
	}
	return pos;
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

/* The magic word near the start of the text, or NULL. */
static const char *
find_magic(const char *text, size_t len)
{
	size_t n = sizeof(STATE_MAGIC) - 1U, i;

	for (i = 0; i + n <= len && i <= 128U; i++)
		if (memcmp(text + i, STATE_MAGIC, n) == 0)
			return text + i;
	return NULL;
}

lkey_state_result
lkey_state_parse(const char *text, size_t len, uint32_t product,
    lkey_state *out)
{
	char again[LKEY_STATE_TEXT_MAX];
	const char *p, *end = text + len;
	char day[11];
	lkey_state s;
	size_t n;

	memset(out, 0, sizeof(*out));
	memset(&s, 0, sizeof(s));
	/* A state file names itself; anything else is another file. */
	if (text == NULL || (p = find_magic(text, len)) == NULL)
		return LKEY_STATE_NOT_STATE;
	if ((p = get_word(p, end, STATE_MAGIC " product ")) == NULL ||
	    (p = get_u32(p, end, &s.product)) == NULL ||
	    (p = get_word(p, end, " last-seen ")) == NULL ||
	    end - p < 10)
		return LKEY_STATE_CORRUPT;
	memcpy(day, p, 10);
	day[10] = '\0';
	if (!lkey_day_parse(day, &s.last_seen) || s.last_seen > LKEY_DAY_MAX ||
	    (p = get_word(p + 10, end, " revocations ")) == NULL ||
	    (p = get_u32(p, end, &s.revocation_sequence)) == NULL)
		return LKEY_STATE_CORRUPT;
	/* The one form of these values, check included, and nothing else. */
	n = lkey_state_format(&s, again, sizeof(again));
	if (n == 0 || n != len || memcmp(again, text, len) != 0)
		return LKEY_STATE_CORRUPT;
	if (s.product != product)
		return LKEY_STATE_FOREIGN;
	*out = s;
	return LKEY_STATE_OK;
}

bool
lkey_state_update(lkey_state *state, const lkey_context *ctx,
    lkey_status verdict)
{
	bool changed = false;

	if (verdict == LKEY_OK && ctx->today <= LKEY_DAY_MAX &&
	    ctx->today > state->last_seen) {
		state->last_seen = ctx->today;
		changed = true;
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

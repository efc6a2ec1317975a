/*
 * revoke.c - signed revocation lists (docs/FORMAT.md)
 *
 * A list is checked the way a licence key is: bounded text, strict base64,
 * kind and version, known key id, then the Ed25519 signature over a tag of
 * its own and every byte before it; only then are its fields read. The
 * revoked licences are kept sorted (key id, then serial), strictly
 * increasing, so a list has one byte form and a lookup is a binary search.
 */
#include <string.h>

#include "codec.h"
#include "le.h"
#include "sig.h"
#include "wire.h"

_Static_assert(sizeof(REVOKE_TAG) == WIRE_TAG_BYTES, "tag size");
_Static_assert(REVOKE_HEAD_BYTES + WIRE_TAG_BYTES + 8U * LKEY_REVOKED_MAX +
    LKEY_SIGNATUREBYTES == LKEY_REVOCATIONS_BYTES, "list size");

static const lkey__sig_head revoke_head = {
	3, REVOKE_VERSION, REVOKE_HEAD_BYTES + LKEY_SIGNATUREBYTES,
	REVOKE_OFF_KEYID
};

/* Past the '#' comment lines and blank lines that open the text. */
static size_t
skip_comments(const char *text, size_t len)
{
	size_t i = 0, line;

	while (i < len) {
		line = i;
		while (i < len && lkey__b64_is_space((unsigned char)text[i]) &&
		    text[i] != '\n')
			i++;
		if (i < len && text[i] == '\n') {
			i++;
			continue;
		}
		if (i == len || text[i] != '#')
			return line;
		while (i < len && text[i] != '\n')
			i++;
	}
	return i;
}

/*
 * The list of `text` into out->raw, as far as its signature: bound, strict
 * base64, kind, version, known key id, signature. The number of signed
 * bytes (the list less its signature) into *n. On failure `out` holds
 * unauthenticated bytes: the caller zeroes it.
 */
static lkey_status
authenticate(const char *text, size_t len, const lkey_pubkey *keys,
    size_t nkeys, lkey_revocations *out, size_t *n, lkey_detail *detail)
{
	uint8_t *raw = out->raw + WIRE_TAG_BYTES;
	const lkey_pubkey *key;
	lkey_status st;
	size_t start;

	if (text == NULL)
		return lkey__reject(detail, LKEY_MALFORMED, LKEY_R_EMPTY, 0);
	if (len > LKEY_REVOCATIONS_TEXT_MAX)
		return lkey__reject(detail, LKEY_MALFORMED, LKEY_R_TOO_LONG,
		    LKEY_REVOCATIONS_TEXT_MAX);
	start = skip_comments(text, len);
	st = lkey__b64_decode_max(text + start, len - start,
	    LKEY_REVOCATIONS_TEXT_MAX, raw, LKEY_REVOCATIONS_BYTES -
	    WIRE_TAG_BYTES, n, detail);
	if (st != LKEY_OK) {
		if (detail->reason == LKEY_R_BAD_CHAR)
			detail->offset += start;
		return st;
	}
	if (*n == 0)
		return lkey__reject(detail, LKEY_MALFORMED, LKEY_R_EMPTY, 0);
	if (*n < 3 || memcmp(raw, REVOKE_MAGIC, 3) != 0)
		return lkey__reject(detail, LKEY_MALFORMED, LKEY_R_WRONG_KIND,
		    0);
	st = lkey__sig_key(raw, *n, &revoke_head, keys, nkeys, &key, detail);
	if (st != LKEY_OK)
		return st;
	/* The tag goes in front of the list: one contiguous message. */
	memcpy(out->raw, REVOKE_TAG, WIRE_TAG_BYTES);
	*n -= LKEY_SIGNATUREBYTES;
	if (lkey__sig_verify(raw + *n, out->raw, WIRE_TAG_BYTES + *n,
	    key->pk) != 0)
		return lkey__reject(detail, LKEY_BAD_SIGNATURE,
		    LKEY_R_BAD_SIGNATURE, key->id);
	return LKEY_OK;
}

/* The fields of an authenticated list of n signed bytes. */
static lkey_status
read_fields(lkey_revocations *out, size_t n, lkey_detail *detail)
{
	const uint8_t *raw = out->raw + WIRE_TAG_BYTES;
	uint64_t prev = 0, cur;
	size_t i, count;
	uint32_t seq, day;

	seq = le_load32(raw + REVOKE_OFF_SEQUENCE);
	day = le_load16(raw + REVOKE_OFF_ISSUED);
	count = le_load16(raw + REVOKE_OFF_COUNT);
	if (seq == 0 || day > LKEY_DAY_MAX || count > LKEY_REVOKED_MAX ||
	    n != REVOKE_HEAD_BYTES + 8U * count)
		return lkey__reject(detail, LKEY_MALFORMED, LKEY_R_BAD_FIELD,
		    0);
	for (i = 0; i < count; i++) {
		cur = (uint64_t)le_load32(raw + REVOKE_HEAD_BYTES + 8U * i) <<
		    32 | le_load32(raw + REVOKE_HEAD_BYTES + 8U * i + 4U);
		if (i > 0 && cur <= prev)
			return lkey__reject(detail, LKEY_MALFORMED,
			    LKEY_R_BAD_FIELD, 0);
		prev = cur;
	}
	out->key_id = le_load32(raw + REVOKE_OFF_KEYID);
	out->sequence = seq;
	out->issued = day;
	out->count = count;
	return LKEY_OK;
}

lkey_status
lkey_revocations_decode(const char *text, size_t len, const lkey_pubkey *keys,
    size_t nkeys, lkey_revocations *out, lkey_detail *detail)
{
	lkey_detail local;
	lkey_status st;
	size_t n = 0;

	if (detail == NULL)
		detail = &local;
	memset(detail, 0, sizeof(*detail));
	memset(out, 0, sizeof(*out));
	st = authenticate(text, len, keys, nkeys, out, &n, detail);
	if (st == LKEY_OK)
		st = read_fields(out, n, detail);
	/* Fail closed: nothing of a refused list is left behind. */
	if (st != LKEY_OK)
		memset(out, 0, sizeof(*out));
	return st;
}

bool
lkey_revocations_contains(const lkey_revocations *list, uint32_t key_id,
    uint32_t serial)
{
	const uint8_t *e = list->raw + WIRE_TAG_BYTES + REVOKE_HEAD_BYTES;
	uint64_t want = (uint64_t)key_id << 32 | serial, cur;
	size_t lo = 0, hi = list->count, mid;

	if (list->sequence == 0 || hi > LKEY_REVOKED_MAX)
		return false;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2U;
		cur = (uint64_t)le_load32(e + 8U * mid) << 32 |
		    le_load32(e + 8U * mid + 4U);
		if (cur == want)
			return true;
		if (cur < want)
			lo = mid + 1U;
		else
			hi = mid;
	}
	return false;
}

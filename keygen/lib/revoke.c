/*
 * revoke.c - signed revocation lists, the vendor's side: lkey-keygen revoke
 *
 * A list goes to every installation of the product and stays there: a
 * wrong entry stops a paying customer, a missing one leaves a refunded or
 * leaked licence running. So the serials are checked before the passphrase
 * is asked for: their syntax, duplicates, and the ledger, where a serial
 * never issued with this key is a typo and refused. The list is built in
 * its one byte form (entries sorted, none twice), signed under a tag of its
 * own so that no licence signature can pass as a list or the other way
 * round, and the text is decoded again with the customer-side code and
 * compared entry by entry before anything is printed.
 */
#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "cli.h"
#include "codec.h"
#include "fulfil.h"
#include "keyfile.h"
#include "le.h"
#include "ledger.h"
#include "lkey_vendor.h"
#include "sign.h"
#include "wire.h"

#define EXIT_TROUBLE 1

#define ENTRY_BYTES 8U
/* The longest list, signature included (its tag is not sent). */
#define LIST_MAX (REVOKE_HEAD_BYTES + ENTRY_BYTES * LKEY_REVOKED_MAX + \
	LKEY_SIGNATUREBYTES)
/*
 * Bytes given to lkey__b64_encode at a time, within its bound (one licence
 * key's text): a multiple of 3, so the texts of the chunks join into the
 * base64 of the whole without padding between them.
 */
#define ENCODE_CHUNK (LKEY_TEXT_MAX / 4U * 3U)
/* "1a2b3c4d:4294967295" and its NUL. */
#define ITEM_MAX 20U

_Static_assert(ENCODE_CHUNK % 3U == 0, "chunks join without padding");
_Static_assert(LIST_MAX + WIRE_TAG_BYTES == LKEY_REVOCATIONS_BYTES,
    "list size");
_Static_assert(LIST_MAX - LKEY_SIGNATUREBYTES == SIGN_REVOKE_MAX,
    "signer's bound");
_Static_assert(LKEY_REVOCATIONS_TEXT_CAP <= LKEY_REVOCATIONS_TEXT_MAX,
    "a verifier reads every list written");
_Static_assert(LKEY_REVOKED_MAX <= 0xffffU, "the count is a u16");

/* ---- the list ----------------------------------------------------------- */

/* An entry as the wire orders it: key id, then serial. */
static uint64_t
entry_at(const uint8_t *e)
{
	return (uint64_t)le_load32(e) << 32 | le_load32(e + 4U);
}

static int
cmp_entry(const void *a, const void *b)
{
	uint64_t x = entry_at(a), y = entry_at(b);

	return (x > y) - (x < y);
}

/* One line of base64 of len bytes (up to LIST_MAX); 0 if cap is short. */
static size_t
encode_list(const uint8_t *in, size_t len, char *out, size_t cap)
{
	size_t done = 0, w = 0, k, n;

	if (cap > 0)
		out[0] = '\0';
	while (done < len) {
		k = len - done < ENCODE_CHUNK ? len - done : ENCODE_CHUNK;
		n = lkey__b64_encode(in + done, k, out + w, cap - w);
		if (n != LKEY_B64_LEN(k)) {
			out[0] = '\0';
			return 0;
		}
		done += k;
		w += n;
	}
	return w;
}

lkey_issue_status
lkey_revocations_issue(const lkey_vendor_key *key, uint32_t sequence,
    lkey_day issued, const lkey_revoked *revoked, size_t n, char *text,
    size_t cap)
{
	uint8_t raw[LIST_MAX], *e = raw + REVOKE_HEAD_BYTES;
	lkey_revocations back;
	char day[11];
	size_t i, len, head, b64;
	int m;

	if (cap > 0)
		text[0] = '\0';
	if (sequence == 0 || issued > LKEY_DAY_MAX || n > LKEY_REVOKED_MAX ||
	    (n > 0 && revoked == NULL))
		return LKEY_ISSUE_BAD_TERMS;
	memcpy(raw, REVOKE_MAGIC, 3);
	raw[3] = REVOKE_VERSION;
	le_store32(raw + REVOKE_OFF_KEYID, key->pub.id);
	le_store32(raw + REVOKE_OFF_SEQUENCE, sequence);
	le_store16(raw + REVOKE_OFF_ISSUED, issued);
	le_store16(raw + REVOKE_OFF_COUNT, (uint32_t)n);
	for (i = 0; i < n; i++) {
		le_store32(e + ENTRY_BYTES * i, revoked[i].key_id);
		le_store32(e + ENTRY_BYTES * i + 4U, revoked[i].serial);
	}
	/* The one byte form: sorted, so that a duplicate sits beside its
	 * twin. */
	if (n > 1)
		qsort(e, n, ENTRY_BYTES, cmp_entry);
	for (i = 1; i < n; i++)
		if (entry_at(e + ENTRY_BYTES * i) ==
		    entry_at(e + ENTRY_BYTES * (i - 1U)))
			return LKEY_ISSUE_BAD_TERMS;
	len = REVOKE_HEAD_BYTES + ENTRY_BYTES * n;
	sign_revocations(raw + len, raw, len, key->sk);
	len += LKEY_SIGNATUREBYTES;

	/* Comment (for people, never trusted), base64, newline. */
	lkey_day_format(issued, day);
	m = snprintf(text, cap, "# lkey revocation list %" PRIu32 " of key id "
	    "%08" PRIx32 ", made %s: %zu licence%s\n", sequence, key->pub.id,
	    day, n, n == 1 ? "" : "s");
	if (m < 0 || (size_t)m >= cap || (size_t)m > LKEY_REVOKE_COMMENT_MAX) {
		if (cap > 0)
			text[0] = '\0';
		return LKEY_ISSUE_TOO_LONG;
	}
	head = (size_t)m;
	b64 = encode_list(raw, len, text + head, cap - head);
	if (b64 == 0 || cap - head - b64 < 2U) {
		text[0] = '\0';
		return LKEY_ISSUE_TOO_LONG;
	}
	text[head + b64] = '\n';
	text[head + b64 + 1U] = '\0';

	/* What a verifier will read: exactly this list, every entry. */
	if (lkey_revocations_decode(text, head + b64 + 1U, &key->pub, 1, &back,
	    NULL) != LKEY_OK || back.key_id != key->pub.id ||
	    back.sequence != sequence || back.issued != issued ||
	    back.count != n ||
	    memcmp(back.raw + WIRE_TAG_BYTES, raw, len) != 0)
		goto self_check;
	for (i = 0; i < n; i++)
		if (!lkey_revocations_contains(&back, revoked[i].key_id,
		    revoked[i].serial))
			goto self_check;
	return LKEY_ISSUE_OK;
self_check:
	sodium_memzero(text, head + b64 + 2U);
	return LKEY_ISSUE_SELF_CHECK;
}

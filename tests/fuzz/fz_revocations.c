/*
 * fz_revocations.c - revocation lists (verify/lib/revoke.c)
 *
 * The bytes go to lkey_revocations_decode twice: as the text of a list file,
 * against a ring that holds the demo vendor key; and as the bytes of a list
 * before its signature, signed here with a key of the ring and encoded, so
 * that mutations get past the signature to the fields, as a vendor's own
 * mistakes would. Checked: a refusal zeroes the output; an accepted list
 * has the declared count, its entries strictly increasing, every entry
 * found by lkey_revocations_contains, and nothing found once it is zeroed.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "le.h"
#include "lkey.h"
#include "lkey_vendor.h"
#include "sign.h"
#include "targets.h"
#include "wire.h"

/* Zero-initialised: static, and big. */
static lkey_revocations list;
static char text[LKEY_REVOCATIONS_TEXT_MAX + 64U];
static uint8_t raw[SIGN_REVOKE_MAX + LKEY_SIGNATUREBYTES];

static void
check(lkey_status st, const lkey_pubkey *ring)
{
	const uint8_t *e = list.raw + 16U + REVOKE_HEAD_BYTES;
	uint64_t prev = 0, cur;
	size_t i;

	if (st != LKEY_OK) {
		FUZZ_CHECK(st == LKEY_MALFORMED || st == LKEY_UNKNOWN_KEY ||
		    st == LKEY_BAD_SIGNATURE);
		FUZZ_CHECK(fuzz_all_zero(&list, sizeof(list)));
		FUZZ_CHECK(!lkey_revocations_contains(&list, 0, 0));
		return;
	}
	FUZZ_CHECK(list.key_id == ring[0].id || list.key_id == ring[1].id);
	FUZZ_CHECK(list.sequence > 0 && list.count <= LKEY_REVOKED_MAX);
	FUZZ_CHECK(list.issued <= LKEY_DAY_MAX);
	for (i = 0; i < list.count; i++) {
		cur = (uint64_t)le_load32(e + 8U * i) << 32 |
		    le_load32(e + 8U * i + 4U);
		FUZZ_CHECK(i == 0 || cur > prev);
		FUZZ_CHECK(lkey_revocations_contains(&list,
		    (uint32_t)(cur >> 32), (uint32_t)cur));
		if ((uint32_t)cur != UINT32_MAX && (i + 1 == list.count ||
		    le_load32(e + 8U * i + 12U) != (uint32_t)cur + 1U))
			FUZZ_CHECK(!lkey_revocations_contains(&list,
			    (uint32_t)(cur >> 32), (uint32_t)cur + 1U));
		prev = cur;
	}
}

int
fuzz_revocations(const uint8_t *data, size_t size)
{
	static const uint8_t seed[LKEY_SEEDBYTES] = { 'f', 'u', 'z', 'z' };
	static lkey_vendor_key key;
	static bool ready;
	lkey_pubkey ring[2];
	lkey_status st;
	size_t n;

	if (!ready) {
		lkey_vendor_key_from_seed(seed, &key);
		ready = true;
	}
	/* The ring: this key, and the same key under another id. */
	ring[0] = key.pub;
	ring[1] = key.pub;
	ring[1].id ^= 1U;

	st = lkey_revocations_decode((const char *)data, size, ring, 2, &list,
	    NULL);
	check(st, ring);

	/* As list bytes: the header's key id made this key's, then signed. */
	if (size > SIGN_REVOKE_MAX)
		return 0;
	memcpy(raw, data, size);
	if (size >= REVOKE_OFF_KEYID + 4U)
		le_store32(raw + REVOKE_OFF_KEYID, ring[0].id);
	sign_revocations(raw + size, raw, size, key.sk);
	n = size + LKEY_SIGNATUREBYTES;
	memcpy(text, "# fuzz\n", 7);
	sodium_bin2base64(text + 7, sizeof(text) - 7U, raw, n,
	    sodium_base64_VARIANT_ORIGINAL);
	st = lkey_revocations_decode(text, strlen(text), ring, 2, &list,
	    NULL);
	check(st, ring);
	return 0;
}

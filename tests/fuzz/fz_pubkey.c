/*
 * fz_pubkey.c - public key files and key rings (verify/lib/pubkey.c, common/ring.c)
 *
 * The same text goes to lkey_pubkey_parse (one key) and pubkey_ring_parse
 * (a ring; as lkey-verify calls it, with a smaller cap, and with no room at
 * all). Checked: a refusal zeroes every output slot; an accepted key's id
 * is its key's own and its file reads back the same; a ring holds 1..cap
 * keys with distinct ids; a one-key file is exactly a ring of one; a
 * smaller cap refuses only for too many keys.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lkey.h"
#include "pubfile.h"
#include "ring.h"
#include "targets.h"

static void
check_key(const lkey_pubkey *key)
{
	lkey_pubkey derived, again;
	char text[256];
	size_t n;

	lkey_pubkey_from_bytes(key->pk, &derived);
	FUZZ_CHECK(derived.id == key->id);
	n = pubkey_file_format(key, text, sizeof(text));
	FUZZ_CHECK(n > 0 && n < sizeof(text));
	FUZZ_CHECK(lkey_pubkey_parse(text, n, &again) == LKEY_OK);
	FUZZ_CHECK(memcmp(&again, key, sizeof(again)) == 0);
}

int
fuzz_pubkey(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	lkey_pubkey one, ring[LKEY_RING_MAX], small[1];
	pubkey_ring_error why;
	lkey_status st;
	size_t n, i, j, nsmall;
	int r, rsmall;

	st = lkey_pubkey_parse(text, size, &one);
	if (st == LKEY_OK)
		check_key(&one);
	else {
		FUZZ_CHECK(st == LKEY_MALFORMED);
		FUZZ_CHECK(fuzz_all_zero(&one, sizeof(one)));
	}

	r = pubkey_ring_parse(text, size, ring, LKEY_RING_MAX, &n, &why);
	FUZZ_CHECK(pubkey_ring_result_text(r) != NULL);
	if (r == PUBKEY_RING_OK) {
		FUZZ_CHECK(n >= 1 && n <= LKEY_RING_MAX);
		FUZZ_CHECK(why.line == 0);
		for (i = 0; i < n; i++) {
			check_key(&ring[i]);
			for (j = 0; j < i; j++)
				FUZZ_CHECK(ring[j].id != ring[i].id);
		}
		FUZZ_CHECK(fuzz_all_zero(ring + n,
		    (LKEY_RING_MAX - n) * sizeof(ring[0])));
	} else {
		FUZZ_CHECK(r >= PUBKEY_RING_TOO_BIG &&
		    r <= PUBKEY_RING_DUPLICATE);
		FUZZ_CHECK(n == 0);
		FUZZ_CHECK(fuzz_all_zero(ring, sizeof(ring)));
		/* A line is named unless the file as a whole is wrong. */
		FUZZ_CHECK((why.line == 0) == (r == PUBKEY_RING_TOO_BIG ||
		    r == PUBKEY_RING_EMPTY));
		FUZZ_CHECK(why.line <= size);
	}

	/* One key file, one key ring of one: the same rules. */
	FUZZ_CHECK((st == LKEY_OK) == (r == PUBKEY_RING_OK && n == 1));
	if (st == LKEY_OK)
		FUZZ_CHECK(memcmp(&one, &ring[0], sizeof(one)) == 0);

	rsmall = pubkey_ring_parse(text, size, small, 1, &nsmall, NULL);
	if (r == PUBKEY_RING_OK && n == 1) {
		FUZZ_CHECK(rsmall == PUBKEY_RING_OK && nsmall == 1);
		FUZZ_CHECK(memcmp(&small[0], &ring[0], sizeof(small[0])) == 0);
	} else if (r == PUBKEY_RING_OK)
		FUZZ_CHECK(rsmall == PUBKEY_RING_TOO_MANY && nsmall == 0);
	else
		FUZZ_CHECK(rsmall != PUBKEY_RING_OK && nsmall == 0);

	/* No room at all: never a success, never a write. */
	r = pubkey_ring_parse(text, size, NULL, 0, &n, &why);
	FUZZ_CHECK(r != PUBKEY_RING_OK && n == 0);
	return 0;
}

/*
 * fz_state.c - clock guard state files (verify/lib/guard.c)
 *
 * lkey_state_parse must accept exactly the texts lkey_state_format writes
 * and those liblkey 1 wrote (version 1): an accepted text formats back to
 * itself byte for byte, or it is of version 1 and its last day seen is its
 * latest; a refused one leaves the output zeroed. The bytes are also read
 * as state values, whose text must parse back to the same values, for its
 * product only.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "le.h"
#include "lkey.h"
#include "targets.h"

/* Whether the text names version 1 of the state file. */
static bool
has_v1(const char *text, size_t size)
{
	static const char magic[] = "lkey-state-v1";
	size_t i, n = sizeof(magic) - 1U;

	for (i = 0; i + n <= size; i++)
		if (memcmp(text + i, magic, n) == 0)
			return true;
	return false;
}

int
fuzz_state(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	char again[LKEY_STATE_TEXT_MAX];
	lkey_state st, v;
	lkey_state_result r;
	size_t n;
	uint32_t product = 1;

	/* The product the text names, if it names one, and product 1. */
	r = lkey_state_parse(text, size, product, &st);
	FUZZ_CHECK(r >= LKEY_STATE_OK && r <= LKEY_STATE_FOREIGN);
	if (r == LKEY_STATE_OK) {
		n = lkey_state_format(&st, again, sizeof(again));
		if (n != size || memcmp(again, text, size) != 0) {
			FUZZ_CHECK(has_v1(text, size));
			FUZZ_CHECK(st.latest == st.last_seen);
		}
		FUZZ_CHECK(st.product == product);
	} else
		FUZZ_CHECK(fuzz_all_zero(&st, sizeof(st)));

	/* Values from the bytes: a round trip, and foreign elsewhere. */
	if (size >= 12) {
		lkey_state_init(&v, le_load32(data));
		v.last_seen = le_load32(data + 4) % (LKEY_DAY_MAX + 1U);
		v.revocation_sequence = le_load32(data + 8);
		if (size >= 16)
			v.latest = le_load32(data + 12) % (LKEY_DAY_MAX + 1U);
		n = lkey_state_format(&v, again, sizeof(again));
		FUZZ_CHECK(n > 0 && n < sizeof(again));
		FUZZ_CHECK(lkey_state_parse(again, n, v.product, &st) ==
		    LKEY_STATE_OK);
		FUZZ_CHECK(memcmp(&st, &v, sizeof(st)) == 0);
		FUZZ_CHECK(lkey_state_parse(again, n, v.product + 1U, &st) ==
		    LKEY_STATE_FOREIGN);
		FUZZ_CHECK(fuzz_all_zero(&st, sizeof(st)));
		/* One byte less is never a state. */
		FUZZ_CHECK(lkey_state_parse(again, n - 1U, v.product, &st) !=
		    LKEY_STATE_OK);
	}
	return 0;
}

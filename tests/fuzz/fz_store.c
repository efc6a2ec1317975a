/*
 * fz_store.c - the licence store's licence.keys (verify/store/keysfile.c)
 *
 * The bytes go to lkey__store_keys_parse, the store's parser with no file
 * I/O, as licence.keys of the product its first line names (product 1 if
 * it names none), with a ring that holds the demo vendor key
 * (keys/demo-vendor.pub). The parser reads the fuzzer's own block, of
 * exactly the input's size, so a read past its end is caught.
 *
 * Checked: a refusal is LKEY_STORE_DAMAGED and says where, and keeps no
 * length; an accepted text holds at most LKEY_STORE_KEYS_MAX keys, each
 * line decoding with lkey_decode to the licence the store holds for it,
 * of the file's product, no two alike; the first line and the key lines
 * written back as the store writes them (lkey__store_head, a line each)
 * give the input byte for byte, and parse again to the same keys; the same
 * text is refused for another product.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lkey.h"
#include "store_int.h"
#include "targets.h"

/* The demo vendor key, key id 277e0164 (keys/demo-vendor.pub). */
static const uint8_t demo_pk[LKEY_PUBLICKEYBYTES] = {
	0x99, 0x30, 0xce, 0x0f, 0xdd, 0xb7, 0xc7, 0x08, 0x35, 0x02, 0x36,
	0x26, 0x84, 0x68, 0xc0, 0x9f, 0x2e, 0x58, 0x70, 0xe5, 0x75, 0xc6,
	0x0d, 0x14, 0x74, 0x20, 0xd4, 0x5f, 0xd8, 0xd4, 0x8a, 0x9a
};

/* The first line's start, as keysfile.c writes it. */
#define HEAD_START "# lkey licence store of product "
#define STORE_DIR "fuzz-store"

/* Zero-initialised: static, and big (about 105 KiB each). */
static lkey_store st, again;
static char text[STORE_KEYS_TEXT_MAX + 1U];

/* The product the first line names (digits after HEAD_START), else 1. */
static uint32_t
named_product(const char *p, size_t size)
{
	size_t i = sizeof(HEAD_START) - 1U;
	uint64_t n = 0;

	if (size <= i || memcmp(p, HEAD_START, i) != 0 || p[i] < '0' ||
	    p[i] > '9')
		return 1;
	for (; i < size && p[i] >= '0' && p[i] <= '9' && n <= UINT32_MAX;
	    i++)
		n = n * 10U + (uint64_t)(p[i] - '0');
	return n > UINT32_MAX ? 1 : (uint32_t)n;
}

static void
check_refused(lkey_store_result r, const lkey__store_view *v)
{
	static const char where[] = STORE_DIR "/" STORE_KEYS ": line ";

	FUZZ_CHECK(r == LKEY_STORE_DAMAGED);
	FUZZ_CHECK(strncmp(st.message, where, sizeof(where) - 1U) == 0);
	FUZZ_CHECK(strnlen(st.message, sizeof(st.message)) <
	    sizeof(st.message));
	FUZZ_CHECK(v->keys_len == 0);
	FUZZ_CHECK(st.history <= LKEY_STORE_KEYS_MAX);
}

static void
check_accepted(const char *data, size_t size, const lkey__store_view *v,
    uint32_t product, const lkey_pubkey *ring)
{
	lkey__store_view v2;
	lkey_license lic;
	size_t i, j, n, off, len;

	FUZZ_CHECK(st.history <= LKEY_STORE_KEYS_MAX);
	FUZZ_CHECK(v->keys_len == size && size <= STORE_KEYS_TEXT_MAX);

	/* Written back: the first line, then each key's line. */
	n = lkey__store_head(product, text, STORE_HEAD_MAX);
	FUZZ_CHECK(n > 0);
	for (i = 0; i < st.history; i++) {
		off = v->line_off[i];
		len = v->line_len[i];
		FUZZ_CHECK(off >= n && len > 0 && len <= LKEY_KEY_TEXT_MAX);
		FUZZ_CHECK(off + len < size && data[off + len] == '\n');
		FUZZ_CHECK(lkey_decode(data + off, len, ring, 1, &lic, NULL) ==
		    LKEY_OK);
		FUZZ_CHECK(lic.product == product);
		FUZZ_CHECK(memcmp(&lic, &st.keys[i], sizeof(lic)) == 0);
		for (j = 0; j < i; j++)
			FUZZ_CHECK(v->line_len[j] != len ||
			    memcmp(data + v->line_off[j], data + off, len) !=
			    0);
		FUZZ_CHECK(n + len + 1U <= sizeof(text));
		memcpy(text + n, data + off, len);
		text[n + len] = '\n';
		n += len + 1U;
	}
	/* The store has one form: what it would write is what was read. */
	FUZZ_CHECK(n == size && memcmp(text, data, size) == 0);

	lkey__store_reset(&again, &v2, STORE_DIR, ring, 1, product);
	FUZZ_CHECK(lkey__store_keys_parse(&again, &v2, text, n) ==
	    LKEY_STORE_OK);
	FUZZ_CHECK(again.history == st.history);
	FUZZ_CHECK(memcmp(again.keys, st.keys, sizeof(st.keys)) == 0);
	FUZZ_CHECK(memcmp(v2.line_off, v->line_off, sizeof(v2.line_off)) ==
	    0);
	FUZZ_CHECK(memcmp(v2.line_len, v->line_len, sizeof(v2.line_len)) ==
	    0);
}

int
fuzz_store(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	lkey__store_view v;
	lkey_store_result r;
	lkey_pubkey ring;
	uint32_t product = named_product(p, size);

	lkey_pubkey_from_bytes(demo_pk, &ring);

	lkey__store_reset(&st, &v, STORE_DIR, &ring, 1, product);
	r = lkey__store_keys_parse(&st, &v, p, size);
	if (r != LKEY_STORE_OK) {
		check_refused(r, &v);
		return 0;
	}
	check_accepted(p, size, &v, product, &ring);

	/* The store of one product is damage to another's. */
	lkey__store_reset(&st, &v, STORE_DIR, &ring, 1, product + 1U);
	r = lkey__store_keys_parse(&st, &v, p, size);
	check_refused(r, &v);
	FUZZ_CHECK(st.history == 0);
	return 0;
}

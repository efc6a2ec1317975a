/*
 * seal.c - the seal lkey_decode puts on a licence and lkey_check asks for
 *
 * lkey_check trusts the fields of an lkey_license: they were read from
 * bytes whose signature lkey_decode checked. A struct filled in by hand, or
 * a decoded one changed afterwards (a seat count "fixed up" by a careless
 * integrator), would carry terms no vendor signed. The seal is a keyless
 * hash of every field under a tag of its own: it catches such mistakes,
 * not someone who edits memory (who could as well patch lkey_check).
 *
 * The fields are written out one by one, little-endian, in a fixed order,
 * never as the struct's bytes: padding holds anything, and the seal must
 * depend on the values alone.
 */
#include <stddef.h>
#include <string.h>

#include <sodium.h>

#include "le.h"
#include "seal.h"

#define SEAL_TAG "lkey-license-seal-v1"

_Static_assert(sizeof(((lkey_license *)0)->seal) == LKEY__SEAL_BYTES,
    "seal size");
_Static_assert(LKEY__SEAL_BYTES >= crypto_generichash_BYTES_MIN &&
    LKEY__SEAL_BYTES <= crypto_generichash_BYTES_MAX, "seal hash size");
/*
 * maintenance_features is the last field above the seal: a field added to
 * lkey_license before the seal fails here until it is sealed below too.
 */
_Static_assert(offsetof(lkey_license, seal) ==
    offsetof(lkey_license, maintenance_features) + sizeof(uint32_t),
    "every field of lkey_license above its seal is sealed");

/*
 * The tag and the fields in their serialised form, at most: the licensee
 * is written as far as its NUL, and of the modules only those with seats
 * of their own, after a mask that says which (so that a typical licence is
 * one block of the hash: lkey_decode and lkey_check each compute it).
 */
#define SEAL_MAX_BYTES (sizeof(SEAL_TAG) + 1U + 9U * 4U + 8U + \
	(LKEY_LICENSEE_MAX + 1U) + 3U * 4U + 1U + 4U + 4U * LKEY_FEATURES_MAX + \
	1U + LKEY_HOST_ID_BYTES + 4U)

static uint8_t *
put32(uint8_t *p, uint32_t v)
{
	le_store32(p, v);
	return p + 4;
}

static uint8_t *
put_bytes(uint8_t *p, const void *v, size_t n)
{
	memcpy(p, v, n);
	return p + n;
}

/* The modules: a mask of those with seats, then their seats in order. */
static uint8_t *
put_modules(uint8_t *p, const uint32_t seats[LKEY_FEATURES_MAX])
{
	uint32_t mask = 0, bit;

	for (bit = 0; bit < LKEY_FEATURES_MAX; bit++)
		if (seats[bit] != 0)
			mask |= 1U << bit;
	p = put32(p, mask);
	for (bit = 0; bit < LKEY_FEATURES_MAX; bit++)
		if (seats[bit] != 0)
			p = put32(p, seats[bit]);
	return p;
}

/*
 * The tag, then every field in the order of the struct; a bool as one
 * byte 0 or 1; the licensee as its length and its bytes up to and with
 * the NUL (a length past the bound stops at the bound, and no longer
 * matches).
 */
static size_t
serialise(const lkey_license *l, uint8_t out[SEAL_MAX_BYTES])
{
	size_t name = l->licensee_len < LKEY_LICENSEE_MAX ? l->licensee_len :
	    LKEY_LICENSEE_MAX;
	uint8_t *p = out;

	p = put_bytes(p, SEAL_TAG, sizeof(SEAL_TAG));
	*p++ = l->version;
	p = put32(p, l->key_id);
	p = put32(p, l->product);
	p = put32(p, l->edition);
	p = put32(p, l->seats);
	p = put32(p, l->starts);
	p = put32(p, l->expires);
	p = put32(p, l->maintenance);
	p = put32(p, l->serial);
	p = put32(p, l->features);
	le_store64(p, (uint64_t)l->licensee_len);
	p += 8;
	p = put_bytes(p, l->licensee, name + 1U);
	p = put32(p, l->issued);
	p = put32(p, l->grace_days);
	p = put32(p, l->notice_days);
	*p++ = l->trial ? 1U : 0U;
	p = put_modules(p, l->module_seats);
	*p++ = l->host_bound ? 1U : 0U;
	p = put_bytes(p, l->host, sizeof(l->host));
	p = put32(p, l->maintenance_features);
	return (size_t)(p - out);
}

void
lkey__seal(const lkey_license *lic, uint8_t out[LKEY__SEAL_BYTES])
{
	uint8_t in[SEAL_MAX_BYTES];

	crypto_generichash(out, LKEY__SEAL_BYTES, in, serialise(lic, in),
	    NULL, 0);
}

void
lkey__seal_set(lkey_license *lic)
{
	lkey__seal(lic, lic->seal);
}

bool
lkey__seal_ok(const lkey_license *lic)
{
	uint8_t want[LKEY__SEAL_BYTES];

	lkey__seal(lic, want);
	return memcmp(want, lic->seal, sizeof(want)) == 0;
}

/*
 * vendorkey.c - vendor keys made in the test from a fixed seed
 * (vendorkey.h)
 */
#include <stdint.h>
#include <string.h>

#include "lkey.h"
#include "lkey_vendor.h"
#include "vendorkey.h"

void
vendor_key(uint8_t n, lkey_vendor_key *key)
{
	uint8_t seed[LKEY_SEEDBYTES];

	memset(seed, n, sizeof(seed));
	lkey_vendor_key_from_seed(seed, key);
}

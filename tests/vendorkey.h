/*
 * vendorkey.h - vendor keys made in the test from a fixed seed (test code
 * only): the same key every run, with no key file. Apart from fixture.c,
 * which a test of the DLL links without the vendor library.
 */
#ifndef LKEY_TEST_VENDORKEY_H
#define LKEY_TEST_VENDORKEY_H

#include <stdint.h>

#include "lkey_vendor.h"

/* Vendor key number n (1, 2, ...): the seed is n repeated. */
void vendor_key(uint8_t n, lkey_vendor_key *key);

#endif

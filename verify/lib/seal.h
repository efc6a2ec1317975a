/* seal.h - the seal of a decoded licence (internal) */
#ifndef LKEY_SEAL_H
#define LKEY_SEAL_H

#include <stdbool.h>
#include <stdint.h>

#include "lkey.h"

#define LKEY__SEAL_BYTES 16U

/*
 * The seal of every field of `lic` above lkey_license.seal, into out:
 * what lkey_decode sets and lkey_check asks for.
 */
void lkey__seal(const lkey_license *lic, uint8_t out[LKEY__SEAL_BYTES]);

/* Sets lic->seal (lkey_decode, after the fields are read). */
void lkey__seal_set(lkey_license *lic);

/* Whether lic->seal is the seal of its fields. */
bool lkey__seal_ok(const lkey_license *lic);

#endif

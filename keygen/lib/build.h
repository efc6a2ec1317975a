/* build.h - serialising licence terms to the wire format (internal) */
#ifndef LKEY_BUILD_H
#define LKEY_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "lkey.h"

/*
 * Writes the payload of `lic` (fixed fields, then extensions in type order)
 * into out. Returns its length, or 0 if it would exceed cap. The terms must
 * have passed lkey_terms_check.
 */
size_t build_payload(const lkey_license *lic, uint8_t *out, size_t cap);

#endif

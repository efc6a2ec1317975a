/*
 * wire.h - the binary layout of a licence key, version 1 (internal).
 * docs/FORMAT.md is the description; this is the one place in code.
 */
#ifndef LKEY_WIRE_H
#define LKEY_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "lkey.h"

#define WIRE_VERSION 1U

/* Offsets of the fixed fields; all little-endian. */
#define WIRE_OFF_VERSION 0U	/* 1 byte */
#define WIRE_OFF_KEYID 1U	/* 4 bytes */
#define WIRE_OFF_PRODUCT 5U	/* 2 bytes, 1..65535 */
#define WIRE_OFF_EDITION 7U	/* 1 byte */
#define WIRE_OFF_SEATS 8U	/* 3 bytes, 0xffffff = unlimited */
#define WIRE_OFF_STARTS 11U	/* 2 bytes, day number */
#define WIRE_OFF_EXPIRES 13U	/* 2 bytes, 0xffff = never */
#define WIRE_OFF_MAINT 15U	/* 2 bytes, 0xffff = never */
#define WIRE_OFF_SERIAL 17U	/* 4 bytes */
#define WIRE_OFF_FEATURES 21U	/* 4 bytes, bit n = feature n */
#define WIRE_FIXED_BYTES 25U	/* extensions follow, then the signature */

#define WIRE_DAY_NEVER 0xffffU
#define WIRE_SEATS_UNLIMITED 0xffffffU

/* Extensions: type byte (bit 7 = critical), length byte, value. */
#define WIRE_EXT_CRITICAL 0x80U
#define WIRE_EXT_LICENSEE 0x01U	/* UTF-8 text, non-critical */
#define WIRE_EXT_GRACE 0x02U	/* u16 days 1..365, non-critical */
#define WIRE_EXT_NOTICE 0x03U	/* u16 days 0..365 (not 30), non-critical */
#define WIRE_EXT_MODULES 0x84U	/* (u8 bit, u24 seats) each, critical */
#define WIRE_EXT_TRIAL 0x05U	/* empty, non-critical */
#define WIRE_EXT_ISSUED 0x06U	/* u16 day (not = starts), non-critical */
#define WIRE_EXT_HOST 0x87U	/* LKEY_HOST_ID_BYTES host id, critical */
#define WIRE_EXT_MAINT_FEATURES 0x88U	/* u32 features that need
					   maintenance, critical */

#define WIRE_MODULE_BYTES 4U	/* one module entry */

/* Smallest and largest whole key, signature included. */
#define WIRE_MIN_BYTES (WIRE_FIXED_BYTES + LKEY_SIGNATUREBYTES)
#define WIRE_MAX_BYTES LKEY_KEY_MAX

/*
 * Domain-separation tag: the signature covers WIRE_TAG (16 bytes, its NUL
 * included) followed by every payload byte, so no signature made by the same
 * key for another purpose can pass as a licence.
 */
#define WIRE_TAG "lkey-license-v1"
#define WIRE_TAG_BYTES 16U

/*
 * A revocation list: "LKR", version, key id, sequence (u32, 1..), day made
 * (u16), count (u16), then count entries of (key id u32, serial u32) in
 * strictly increasing order, then the signature over REVOKE_TAG and every
 * byte before it.
 */
#define REVOKE_MAGIC "LKR"
#define REVOKE_VERSION 1U
#define REVOKE_OFF_KEYID 4U
#define REVOKE_OFF_SEQUENCE 8U
#define REVOKE_OFF_ISSUED 12U
#define REVOKE_OFF_COUNT 14U
#define REVOKE_HEAD_BYTES 16U
#define REVOKE_TAG "lkey-revoked-v1"

/*
 * Reads the payload (the key less its signature) into `out`. Called only
 * after the signature over it has been checked. LKEY_MALFORMED on a bad
 * extension or an impossible field, with the reason in `detail`.
 */
lkey_status lkey__wire_parse(const uint8_t *payload, size_t len, lkey_license *out,
    lkey_detail *detail);

/*
 * Why a key or a list is refused: reason and value into d (may be NULL; the
 * offset is 0). Returns st, so that "return lkey__reject(...);" ends the
 * decoder.
 */
lkey_status lkey__reject(lkey_detail *d, lkey_status st, lkey_reason reason,
    uint32_t value);

/* True if `s` (len bytes) is UTF-8 with no control characters. */
int lkey__wire_text_ok(const char *s, size_t len);

#endif

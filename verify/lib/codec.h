/* codec.h - strict base64 text form of keys and key files (internal) */
#ifndef LKEY_CODEC_H
#define LKEY_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "lkey.h"

/* Characters of the canonical base64 of n bytes (no line breaks). */
#define LKEY_B64_LEN(n) ((((n) + 2U) / 3U) * 4U)

/*
 * Decodes `text` into `out` (room for `cap` bytes). ASCII whitespace is
 * skipped; every other byte must be in [A-Za-z0-9+/=] and the whole must be
 * the one canonical encoding of its bytes: padded, '=' only at the end, unused
 * bits zero. Text longer than LKEY_TEXT_MAX is refused before any work.
 * Returns LKEY_OK or LKEY_MALFORMED with the reason in `detail` (may be NULL).
 */
lkey_status lkey__b64_decode(const char *text, size_t len, uint8_t *out,
    size_t cap, size_t *outlen, lkey_detail *detail);

/* The same with another bound than LKEY_TEXT_MAX (revocation lists). */
lkey_status lkey__b64_decode_max(const char *text, size_t len, size_t max,
    uint8_t *out, size_t cap, size_t *outlen, lkey_detail *detail);

/*
 * Encodes `len` bytes (at most LKEY_TEXT_MAX / 4 * 3) as one line of
 * canonical base64, NUL-terminated. `cap` must be at least
 * LKEY_B64_LEN(len) + 1. Returns the number of characters, or 0 when the
 * input is too long or `cap` too small (and `out` then holds "").
 */
size_t lkey__b64_encode(const uint8_t *in, size_t len, char *out, size_t cap);

/* True for the bytes the text form forgives: space, \t, \n, \v, \f, \r. */
int lkey__b64_is_space(unsigned char c);

/*
 * The character of UTF-8 at s (len > 0 bytes): returns its length in
 * bytes and its code point in *cp; a byte that starts no well-formed
 * sequence is one character, and *cp is that byte.
 */
size_t lkey__utf8_next(const char *s, size_t len, uint32_t *cp);

#endif

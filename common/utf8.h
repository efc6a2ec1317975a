/* utf8.h - checking UTF-8 text (internal; not part of liblkey) */
#ifndef LKEY_UTF8_H
#define LKEY_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Length of the UTF-8 sequence at s (1 to 4), or 0 if it is not the one
 * shortest encoding of a scalar value within n bytes (n at least 1):
 * overlong forms, surrogates (U+D800..U+DFFF), anything past U+10FFFF and
 * a sequence cut short are refused, as RFC 3629 says.
 */
size_t utf8_len(const unsigned char *s, size_t n);

/* Whether s[0..len) is all UTF-8 by that rule; NUL bytes are allowed. */
bool utf8_valid(const unsigned char *s, size_t len);

#endif

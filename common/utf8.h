/* utf8.h - checking UTF-8 text (internal; not part of liblkey) */
#ifndef LKEY_UTF8_H
#define LKEY_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Length of the UTF-8 sequence at s (1 to 4), or 0 if it is not the one
 * shortest encoding of a scalar value within n bytes (n at least 1):
 * overlong forms, surrogates (U+D800..U+DFFF), anything past U+10FFFF and
 * a sequence cut short are refused, as RFC 3629 says.
 */
size_t utf8_len(const unsigned char *s, size_t n);

/* Whether s[0..len) is all UTF-8 by that rule; NUL bytes are allowed. */
bool utf8_valid(const unsigned char *s, size_t len);

/*
 * Whether UTF-8 text s[0..len) is fit to be shown as a name (a licensee,
 * an order id): no character that is not seen but changes how the text is
 * shown. Those are the control characters (C0, DEL, C1), the Unicode
 * format characters (general category Cf: U+00AD, the bidirectional
 * marks, embeddings, overrides and isolates U+200E..U+200F,
 * U+202A..U+202E, U+2066..U+2069, the zero-width characters U+200B..U+200D,
 * U+2060, U+FEFF, ...); the line and paragraph separators U+2028 and
 * U+2029; and what shows as nothing or as a blank (U+034F, the variation
 * selectors U+FE00..U+FE0F and U+E0100..U+E01EF, U+180B..U+180D and
 * U+180F, the fillers U+115F, U+1160, U+17B4, U+17B5, U+3164, U+FFA0, and
 * U+2800).
 * 0, or -1 with where the first one is in err: "holds U+202E
 * (right-to-left override) at character 9" (characters counted from 1);
 * text that is not UTF-8: "byte 6 is not UTF-8".
 */
int utf8_shown_check(const char *s, size_t len, char *err, size_t errcap);

/*
 * UTF-8 text s[0..len) as it may be shown: each character utf8_shown_check
 * refuses written as "<U+202E>", and a byte that is not UTF-8 as "<0xff>",
 * so that what is shown is what the text holds. The result is cut at a
 * whole character to fit cap (at least 1) and always NUL-terminated.
 */
void utf8_shown(const char *s, size_t len, char *out, size_t cap);

/* The name of a character utf8_shown_check refuses ("right-to-left
 * override", "control character"), or NULL for any other. */
const char *utf8_hidden_name(uint32_t cp);

#endif

/*
 * utf8.c - what counts as UTF-8: the one shortest encoding of a scalar
 * value, and nothing else; and which characters a name to be shown may not
 * hold
 *
 * Text that two programs could decode differently (an overlong form, an
 * encoded surrogate) is refused wherever it is read or written, so that a
 * name or an order id means one thing to every reader.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "msg.h"
#include "utf8.h"

size_t
utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t k, need;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		need = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		need = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (n < need)
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (k = 2; k < need; k++) {
		if (s[k] < 0x80 || s[k] > 0xbf)
			return 0;
	}
	return need;
}

bool
utf8_valid(const unsigned char *s, size_t len)
{
	size_t i, k;

	for (i = 0; i < len; i += k)
		if ((k = utf8_len(s + i, len - i)) == 0)
			return false;
	return true;
}

/* The scalar value of the valid sequence of n bytes at s. */
static uint32_t
decode(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t k;

	if (n == 1)
		return s[0];
	cp = s[0] & (n == 2 ? 0x1fU : n == 3 ? 0x0fU : 0x07U);
	for (k = 1; k < n; k++)
		cp = cp << 6 | (s[k] & 0x3fU);
	return cp;
}

/*
 * Characters that change how the text around them is shown while not
 * being seen themselves, so that a name can pass for another on a
 * licence screen ("Acme" + U+202E + "cod.exe"): general category Cf of
 * Unicode 15.1 in full (the zero width joiners too: "Acme" and
 * "Ac<U+200D>me" look alike); the line and paragraph separators (Zl, Zp);
 * and what shows as nothing or as a blank: the combining grapheme joiner,
 * the variation selectors, the Mongolian free variation selectors, the
 * Hangul and Khmer fillers and the braille blank.
 */
static const struct {
	uint32_t lo, hi;
} hidden[] = {
	{ 0x00ad, 0x00ad }, { 0x034f, 0x034f }, { 0x0600, 0x0605 },
	{ 0x061c, 0x061c }, { 0x06dd, 0x06dd }, { 0x070f, 0x070f },
	{ 0x0890, 0x0891 }, { 0x08e2, 0x08e2 }, { 0x115f, 0x1160 },
	{ 0x17b4, 0x17b5 }, { 0x180b, 0x180f }, { 0x200b, 0x200f },
	{ 0x2028, 0x202e }, { 0x2060, 0x2064 }, { 0x2066, 0x206f },
	{ 0x2800, 0x2800 }, { 0x3164, 0x3164 }, { 0xfe00, 0xfe0f },
	{ 0xfeff, 0xfeff }, { 0xffa0, 0xffa0 }, { 0xfff9, 0xfffb },
	{ 0x110bd, 0x110bd },
	{ 0x110cd, 0x110cd }, { 0x13430, 0x1343f }, { 0x1bca0, 0x1bca3 },
	{ 0x1d173, 0x1d17a }, { 0xe0001, 0xe0001 }, { 0xe0020, 0xe007f },
	{ 0xe0100, 0xe01ef },
};

/* The names of those most likely met, for messages. */
static const struct {
	uint32_t cp;
	const char *name;
} names[] = {
	{ 0x0009, "tab" }, { 0x000a, "line feed" },
	{ 0x000d, "carriage return" }, { 0x001b, "escape" },
	{ 0x007f, "delete" }, { 0x00ad, "soft hyphen" },
	{ 0x034f, "combining grapheme joiner" },
	{ 0x061c, "arabic letter mark" },
	{ 0x115f, "hangul choseong filler" },
	{ 0x1160, "hangul jungseong filler" },
	{ 0x17b4, "khmer vowel inherent aq" },
	{ 0x17b5, "khmer vowel inherent aa" },
	{ 0x180e, "mongolian vowel separator" },
	{ 0x200b, "zero width space" }, { 0x200c, "zero width non-joiner" },
	{ 0x200d, "zero width joiner" }, { 0x200e, "left-to-right mark" },
	{ 0x200f, "right-to-left mark" }, { 0x2028, "line separator" },
	{ 0x2029, "paragraph separator" },
	{ 0x202a, "left-to-right embedding" },
	{ 0x202b, "right-to-left embedding" },
	{ 0x202c, "pop directional formatting" },
	{ 0x202d, "left-to-right override" },
	{ 0x202e, "right-to-left override" }, { 0x2060, "word joiner" },
	{ 0x2061, "function application" }, { 0x2062, "invisible times" },
	{ 0x2063, "invisible separator" }, { 0x2064, "invisible plus" },
	{ 0x2066, "left-to-right isolate" },
	{ 0x2067, "right-to-left isolate" },
	{ 0x2068, "first strong isolate" },
	{ 0x2069, "pop directional isolate" },
	{ 0x2800, "braille pattern blank" },
	{ 0x3164, "hangul filler" }, { 0xfeff, "zero width no-break space" },
	{ 0xffa0, "halfwidth hangul filler" },
	{ 0xfff9, "interlinear annotation anchor" },
	{ 0xfffa, "interlinear annotation separator" },
	{ 0xfffb, "interlinear annotation terminator" },
};

const char *
utf8_hidden_name(uint32_t cp)
{
	size_t k;

	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (names[k].cp == cp)
			return names[k].name;
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
		return "control character";
	if ((cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef))
		return "variation selector";
	if ((cp >= 0x180b && cp <= 0x180d) || cp == 0x180f)
		return "mongolian free variation selector";
	for (k = 0; k < sizeof(hidden) / sizeof(hidden[0]); k++)
		if (cp >= hidden[k].lo && cp <= hidden[k].hi)
			return "format character";
	return NULL;
}

void
utf8_shown(const char *s, size_t len, char *out, size_t cap)
{
	const unsigned char *u = (const unsigned char *)s;
	char one[16];
	size_t i, n, k, o = 0;

	for (i = 0; i < len; i += n) {
		if ((n = utf8_len(u + i, len - i)) == 0) {
			n = 1;
			k = (size_t)snprintf(one, sizeof(one), "<0x%02x>",
			    u[i]);
		} else if (utf8_hidden_name(decode(u + i, n)) != NULL)
			k = (size_t)snprintf(one, sizeof(one), "<U+%04X>",
			    (unsigned)decode(u + i, n));
		else {
			k = n;
			memcpy(one, u + i, n);
		}
		if (o + k >= cap)
			break;
		memcpy(out + o, one, k);
		o += k;
	}
	out[o] = '\0';
}

int
utf8_shown_check(const char *s, size_t len, char *err, size_t errcap)
{
	const unsigned char *u = (const unsigned char *)s;
	const char *name;
	size_t i, n, at;
	uint32_t cp;

	for (i = 0, at = 1; i < len; i += n, at++) {
		if ((n = utf8_len(u + i, len - i)) == 0)
			return msg_fail(err, errcap, "byte %zu is not UTF-8",
			    i + 1);
		cp = decode(u + i, n);
		if ((name = utf8_hidden_name(cp)) != NULL)
			return msg_fail(err, errcap, "holds U+%04X (%s) at "
			    "character %zu", (unsigned)cp, name, at);
	}
	return 0;
}

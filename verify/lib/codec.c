/*
 * codec.c - the one text form of a key: canonical base64, whitespace forgiven
 *
 * libb64 does the arithmetic; the strictness is ours. libb64's decoder never
 * fails: it skips any byte outside the alphabet, keeps going after '=' and
 * ignores unused bits, so "Zm9v!YmFy", "Zm8=YmFy" and "Zm9=" would all pass
 * as something. A licence must have exactly one text form, or a key could be
 * re-spelt past a blocklist or a "same key" comparison. So: bound the size,
 * drop ASCII whitespace, refuse every other byte outside [A-Za-z0-9+/=],
 * decode, and require that encoding the result gives back exactly the text.
 */
#include <string.h>

#include <b64/cdecode.h>
#include <b64/cencode.h>

#include "codec.h"

/* Characters of stripped text decoded at a time: a multiple of four. */
#define DECODE_CHUNK 1024U
/* libb64 breaks its output every 72 characters and ends with a newline. */
#define ENCODE_SCRATCH(n) (LKEY_B64_LEN(n) + LKEY_B64_LEN(n) / 72U + 4U)

int
lkey__b64_is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	    c == '\r';
}

static int
is_b64(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '+' || c == '/';
}

static void
set_detail(lkey_detail *d, lkey_reason reason, size_t offset)
{
	if (d == NULL)
		return;
	d->reason = reason;
	d->offset = offset;
	d->value = 0;
}

/*
 * One character of UTF-8 at s (len > 0 bytes): its length, and its code
 * point in *cp. A byte that does not start a well-formed sequence (the
 * rules of RFC 3629: no overlong forms, no surrogates, nothing over
 * U+10FFFF) is a character of its own, and *cp is the byte itself.
 */
size_t
lkey__utf8_next(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t c = p[0], min;
	size_t n, k;

	*cp = c;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1fU;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		c &= 0x0fU;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07U;
		min = 0x10000;
	} else
		return 1;
	if (len < n)
		return 1;
	for (k = 1; k < n; k++) {
		if ((p[k] & 0xc0U) != 0x80U)
			return 1;
		c = c << 6 | (p[k] & 0x3fU);
	}
	if (c < min || c > 0x10ffffU || (c >= 0xd800U && c <= 0xdfffU))
		return 1;
	*cp = c;
	return n;
}

size_t
lkey__b64_encode(const uint8_t *in, size_t len, char *out, size_t cap)
{
	char scratch[ENCODE_SCRATCH(LKEY_TEXT_MAX / 4U * 3U)];
	base64_encodestate st;
	size_t i, n, w;
	int r;

	if (cap > 0)
		out[0] = '\0';
	if (len > LKEY_TEXT_MAX / 4U * 3U || cap < LKEY_B64_LEN(len) + 1U)
		return 0;
	base64_init_encodestate(&st);
	r = base64_encode_block((const char *)in, (int)len, scratch, &st);
	n = (size_t)r;
	r = base64_encode_blockend(scratch + n, &st);
	n += (size_t)r;
	for (i = 0, w = 0; i < n; i++) {
		if (scratch[i] == '\n')
			continue;
		if (w >= cap - 1U) {
			out[0] = '\0';
			return 0;
		}
		out[w++] = scratch[i];
	}
	out[w] = '\0';
	if (w != LKEY_B64_LEN(len)) {
		out[0] = '\0';
		return 0;
	}
	return w;
}

/*
 * Decodes in chunks of DECODE_CHUNK characters of stripped text, so the
 * stack use does not grow with the bound: base64 groups of four are
 * independent, and '=' may only end the last one.
 */
lkey_status
lkey__b64_decode_max(const char *text, size_t len, size_t max, uint8_t *out,
    size_t cap, size_t *outlen, lkey_detail *detail)
{
	char clean[DECODE_CHUNK];
	char again[DECODE_CHUNK + 1U];
	char plain[DECODE_CHUNK / 4U * 3U + 4U];
	base64_decodestate st;
	size_t i, n, k, pad, dlen, done, want;
	bool bad_pad = false;
	int r;

	*outlen = 0;
	set_detail(detail, LKEY_R_NONE, 0);
	if (len > max) {
		set_detail(detail, LKEY_R_TOO_LONG, max);
		return LKEY_MALFORMED;
	}
	/* Every byte base64 or forgiven whitespace; count what stays. */
	pad = 0;
	for (i = 0, n = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (lkey__b64_is_space(c))
			continue;
		if (!is_b64(c) && c != '=') {
			set_detail(detail, LKEY_R_BAD_CHAR, i);
			/* The character, for a message that names it. */
			if (detail != NULL)
				(void)lkey__utf8_next(text + i, len - i,
				    &detail->value);
			return LKEY_MALFORMED;
		}
		/* '=' may be followed only by one more '=' (and spaces). */
		if (pad > 0 && (c != '=' || pad == 2))
			bad_pad = true;
		if (c == '=')
			pad++;
		n++;
	}
	/* Whole groups of four; '=' only as the last one or two characters. */
	if (bad_pad || n % 4U != 0) {
		set_detail(detail, LKEY_R_BAD_PADDING, 0);
		return LKEY_MALFORMED;
	}
	dlen = n / 4U * 3U - pad;
	if (dlen > cap) {
		set_detail(detail, LKEY_R_TOO_LONG, 0);
		return LKEY_MALFORMED;
	}

	for (i = 0, done = 0;;) {
		for (k = 0; k < DECODE_CHUNK && i < len; i++)
			if (!lkey__b64_is_space((unsigned char)text[i]))
				clean[k++] = text[i];
		if (k == 0)
			break;
		want = k / 4U * 3U;
		if (clean[k - 1] == '=')
			want -= (k > 1 && clean[k - 2] == '=') ? 2U : 1U;
		base64_init_decodestate(&st);
		r = base64_decode_block(clean, (int)k, plain, &st);
		if (r < 0 || (size_t)r != want || want > dlen - done) {
			set_detail(detail, LKEY_R_BAD_PADDING, 0);
			return LKEY_MALFORMED;
		}
		/* Unused low bits must be zero: encoding back gives the text. */
		if (lkey__b64_encode((const uint8_t *)plain, want, again,
		    sizeof(again)) != k || memcmp(again, clean, k) != 0) {
			set_detail(detail, LKEY_R_NONCANONICAL, 0);
			return LKEY_MALFORMED;
		}
		memcpy(out + done, plain, want);
		done += want;
	}
	*outlen = done;
	return LKEY_OK;
}

lkey_status
lkey__b64_decode(const char *text, size_t len, uint8_t *out, size_t cap,
    size_t *outlen, lkey_detail *detail)
{
	return lkey__b64_decode_max(text, len, LKEY_TEXT_MAX, out, cap, outlen,
	    detail);
}

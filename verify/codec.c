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

/* Stripped text is at most LKEY_TEXT_MAX; the decoder writes one byte past. */
#define DECODE_SCRATCH (LKEY_TEXT_MAX / 4U * 3U + 4U)
/* libb64 breaks its output every 72 characters and ends with a newline. */
#define ENCODE_SCRATCH(n) (LKEY_B64_LEN(n) + LKEY_B64_LEN(n) / 72U + 4U)

int
lkey_b64_is_space(unsigned char c)
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

size_t
lkey_b64_encode(const uint8_t *in, size_t len, char *out, size_t cap)
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

lkey_status
lkey_b64_decode(const char *text, size_t len, uint8_t *out, size_t cap,
    size_t *outlen, lkey_detail *detail)
{
	char clean[LKEY_TEXT_MAX + 1U];
	char again[LKEY_TEXT_MAX + 1U];
	char plain[DECODE_SCRATCH];
	base64_decodestate st;
	size_t i, n, pad, dlen;
	int r;

	*outlen = 0;
	set_detail(detail, LKEY_R_NONE, 0);
	if (len > LKEY_TEXT_MAX) {
		set_detail(detail, LKEY_R_TOO_LONG, LKEY_TEXT_MAX);
		return LKEY_MALFORMED;
	}
	for (i = 0, n = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (lkey_b64_is_space(c))
			continue;
		if (!is_b64(c) && c != '=') {
			set_detail(detail, LKEY_R_BAD_CHAR, i);
			return LKEY_MALFORMED;
		}
		clean[n++] = (char)c;
	}
	clean[n] = '\0';

	/* Whole groups of four; '=' only as the last one or two characters. */
	if (n % 4U != 0) {
		set_detail(detail, LKEY_R_BAD_PADDING, 0);
		return LKEY_MALFORMED;
	}
	pad = 0;
	if (n > 0 && clean[n - 1] == '=')
		pad = (n > 1 && clean[n - 2] == '=') ? 2 : 1;
	for (i = 0; i < n - pad; i++) {
		if (clean[i] == '=') {
			set_detail(detail, LKEY_R_BAD_PADDING, 0);
			return LKEY_MALFORMED;
		}
	}
	dlen = n / 4U * 3U - pad;
	if (dlen > cap) {
		set_detail(detail, LKEY_R_TOO_LONG, 0);
		return LKEY_MALFORMED;
	}

	base64_init_decodestate(&st);
	r = base64_decode_block(clean, (int)n, plain, &st);
	if (r < 0 || (size_t)r != dlen) {
		set_detail(detail, LKEY_R_BAD_PADDING, 0);
		return LKEY_MALFORMED;
	}
	/* Unused low bits must be zero: encoding back must give the same text. */
	if (lkey_b64_encode((const uint8_t *)plain, dlen, again,
	    sizeof(again)) != n || memcmp(again, clean, n) != 0) {
		set_detail(detail, LKEY_R_NONCANONICAL, 0);
		return LKEY_MALFORMED;
	}
	memcpy(out, plain, dlen);
	*outlen = dlen;
	return LKEY_OK;
}

/*
 * utf8.c - what counts as UTF-8: the one shortest encoding of a scalar
 * value, and nothing else
 *
 * Text that two programs could decode differently (an overlong form, an
 * encoded surrogate) is refused wherever it is read or written, so that a
 * name or an order id means one thing to every reader.
 */
#include <stdbool.h>
#include <stddef.h>

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

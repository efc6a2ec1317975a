/*
 * num.c - strict numbers: one spelling per value, so that a value written
 * by one program and read by another, or typed twice, always compares equal
 */
#include <stdbool.h>
#include <string.h>

#include <sodium.h>

#include "num.h"

int
num_parse(const char *p, size_t len, uint64_t min, uint64_t max,
    uint64_t *out)
{
	uint64_t v = 0, d;
	size_t i;

	if (len == 0)
		return NUM_SYNTAX;
	for (i = 0; i < len; i++)
		if (p[i] < '0' || p[i] > '9')
			return NUM_SYNTAX;
	if (len > 1 && p[0] == '0')
		return NUM_ZERO;
	for (i = 0; i < len; i++) {
		d = (uint64_t)(p[i] - '0');
		if (d > max || v > (max - d) / 10U)
			return NUM_RANGE;
		v = v * 10U + d;
	}
	if (v < min)
		return NUM_RANGE;
	*out = v;
	return NUM_OK;
}

int
num_text(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	return num_parse(s, strlen(s), min, max, out);
}

/* n bytes from 2n hex digits; capitals too when upper. */
static int
hex_bytes(const char *p, size_t len, uint8_t *out, size_t n, bool upper)
{
	size_t i, got;

	if (len != 2U * n)
		return -1;
	/* Checked here: sodium_hex2bin takes either case and would stop at
	 * a stray byte. */
	for (i = 0; i < len; i++)
		if (!((p[i] >= '0' && p[i] <= '9') ||
		    (p[i] >= 'a' && p[i] <= 'f') ||
		    (upper && p[i] >= 'A' && p[i] <= 'F')))
			return -1;
	if (sodium_hex2bin(out, n, p, len, NULL, &got, NULL) != 0 || got != n)
		return -1;
	return 0;
}

int
num_hex(const char *p, size_t len, uint8_t *out, size_t n)
{
	return hex_bytes(p, len, out, n, false);
}

int
num_hex_any_case(const char *p, size_t len, uint8_t *out, size_t n)
{
	return hex_bytes(p, len, out, n, true);
}

/* A key id from 8 hex digits; capitals too when upper. */
static int
key_id(const char *p, size_t len, uint32_t *out, bool upper)
{
	uint8_t b[4];

	if (hex_bytes(p, len, b, sizeof(b), upper) != 0)
		return -1;
	*out = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
	return 0;
}

int
num_key_id(const char *p, size_t len, uint32_t *out)
{
	return key_id(p, len, out, false);
}

int
num_key_id_any_case(const char *p, size_t len, uint32_t *out)
{
	return key_id(p, len, out, true);
}

/*
 * num.h - numbers as people and files write them: strict decimal, the
 * lowercase hex of key ids, and the hex of host ids (internal)
 */
#ifndef LKEY_NUM_H
#define LKEY_NUM_H

#include <stddef.h>
#include <stdint.h>

/* Results of num_parse; NUM_OK is 0, every other one a refusal. */
#define NUM_OK 0
#define NUM_SYNTAX 1	/* empty, or not digits only */
#define NUM_ZERO 2	/* a leading zero */
#define NUM_RANGE 3	/* below min or above max */

/*
 * Plain decimal from min to max in p[0..len): digits only, no sign, no
 * space, no leading zeros, no overflow. One number has one spelling.
 */
int num_parse(const char *p, size_t len, uint64_t min, uint64_t max,
    uint64_t *out);

/* num_parse of a NUL-terminated string. */
int num_text(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/*
 * Exactly 2 * n lowercase hex digits in p[0..len) into out[0..n), as the
 * programs print key ids and host ids. 0, or -1 for anything else.
 */
int num_hex(const char *p, size_t len, uint8_t *out, size_t n);

/*
 * num_hex, but upper and mixed case hex digits are taken too, meaning the
 * same bytes: for what people copy and type, such as host ids.
 */
int num_hex_any_case(const char *p, size_t len, uint8_t *out, size_t n);

/* A key id: 8 lowercase hex digits, big-endian as printed ("%08x"). */
int num_key_id(const char *p, size_t len, uint32_t *out);

/* The same in any case, as a person may type it ("DFE8EF15"). */
int num_key_id_any_case(const char *p, size_t len, uint32_t *out);

#endif

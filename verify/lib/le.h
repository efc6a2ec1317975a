/* le.h - explicit little-endian loads and stores (internal) */
#ifndef LKEY_LE_H
#define LKEY_LE_H

#include <stdint.h>

static inline uint32_t
le_load16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static inline uint32_t
le_load24(const uint8_t *p)
{
	return le_load16(p) | (uint32_t)p[2] << 16;
}

static inline uint32_t
le_load32(const uint8_t *p)
{
	return le_load24(p) | (uint32_t)p[3] << 24;
}

static inline uint64_t
le_load64(const uint8_t *p)
{
	return (uint64_t)le_load32(p) | (uint64_t)le_load32(p + 4) << 32;
}

static inline void
le_store16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v & 0xffU);
	p[1] = (uint8_t)(v >> 8 & 0xffU);
}

static inline void
le_store24(uint8_t *p, uint32_t v)
{
	le_store16(p, v);
	p[2] = (uint8_t)(v >> 16 & 0xffU);
}

static inline void
le_store32(uint8_t *p, uint32_t v)
{
	le_store24(p, v);
	p[3] = (uint8_t)(v >> 24 & 0xffU);
}

static inline void
le_store64(uint8_t *p, uint64_t v)
{
	le_store32(p, (uint32_t)(v & 0xffffffffU));
	le_store32(p + 4, (uint32_t)(v >> 32));
}

#endif

/* build.c - licence terms to payload bytes, field by field (docs/FORMAT.md) */
#include <string.h>

#include "build.h"
#include "le.h"
#include "wire.h"

static uint32_t
wire_day(lkey_day day)
{
	return day == LKEY_NEVER ? WIRE_DAY_NEVER : day;
}

size_t
build_payload(const lkey_license *lic, uint8_t *out, size_t cap)
{
	size_t n = WIRE_FIXED_BYTES;

	if (lic->licensee_len > 0)
		n += 2 + lic->licensee_len;
	if (n > cap)
		return 0;
	out[WIRE_OFF_VERSION] = WIRE_VERSION;
	le_store32(out + WIRE_OFF_KEYID, lic->key_id);
	le_store16(out + WIRE_OFF_PRODUCT, lic->product);
	out[WIRE_OFF_EDITION] = (uint8_t)lic->edition;
	le_store24(out + WIRE_OFF_SEATS, lic->seats == LKEY_SEATS_UNLIMITED ?
	    WIRE_SEATS_UNLIMITED : lic->seats);
	le_store16(out + WIRE_OFF_STARTS, wire_day(lic->starts));
	le_store16(out + WIRE_OFF_EXPIRES, wire_day(lic->expires));
	le_store16(out + WIRE_OFF_MAINT, wire_day(lic->maintenance));
	le_store32(out + WIRE_OFF_SERIAL, lic->serial);
	le_store32(out + WIRE_OFF_FEATURES, lic->features);
	if (lic->licensee_len > 0) {
		out[WIRE_FIXED_BYTES] = WIRE_EXT_LICENSEE;
		out[WIRE_FIXED_BYTES + 1] = (uint8_t)lic->licensee_len;
		memcpy(out + WIRE_FIXED_BYTES + 2, lic->licensee,
		    lic->licensee_len);
	}
	return n;
}

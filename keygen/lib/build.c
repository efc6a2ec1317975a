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

/* Appends one extension; 0 if it does not fit. */
static size_t
put_ext(uint8_t *out, size_t pos, size_t cap, uint32_t type,
    const uint8_t *v, size_t n)
{
	if (n > 255 || pos > cap || cap - pos < 2 + n)
		return 0;
	out[pos] = (uint8_t)type;
	out[pos + 1] = (uint8_t)n;
	if (n > 0)
		memcpy(out + pos + 2, v, n);
	return pos + 2 + n;
}

/*
 * Extensions go in increasing type order, and only where they differ from
 * what a key without them means (docs/FORMAT.md): one licence, one form.
 */
size_t
build_payload(const lkey_license *lic, uint8_t *out, size_t cap)
{
	uint8_t v[WIRE_MODULE_BYTES * LKEY_FEATURES_MAX];
	size_t pos = WIRE_FIXED_BYTES, n;
	uint32_t bit;

	if (cap < WIRE_FIXED_BYTES)
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

	if (lic->licensee_len > 0 && (pos = put_ext(out, pos, cap,
	    WIRE_EXT_LICENSEE, (const uint8_t *)lic->licensee,
	    lic->licensee_len)) == 0)
		return 0;
	if (lic->grace_days > 0) {
		le_store16(v, lic->grace_days);
		if ((pos = put_ext(out, pos, cap, WIRE_EXT_GRACE, v, 2)) == 0)
			return 0;
	}
	if (lic->notice_days != LKEY_NOTICE_DAYS_DEFAULT) {
		le_store16(v, lic->notice_days);
		if ((pos = put_ext(out, pos, cap, WIRE_EXT_NOTICE, v, 2)) == 0)
			return 0;
	}
	for (n = 0, bit = 0; bit < LKEY_FEATURES_MAX; bit++) {
		if (lic->module_seats[bit] == 0)
			continue;
		v[n] = (uint8_t)bit;
		le_store24(v + n + 1, lic->module_seats[bit]);
		n += WIRE_MODULE_BYTES;
	}
	if (n > 0 && (pos = put_ext(out, pos, cap, WIRE_EXT_MODULES, v,
	    n)) == 0)
		return 0;
	if (lic->trial && (pos = put_ext(out, pos, cap, WIRE_EXT_TRIAL, v,
	    0)) == 0)
		return 0;
	if (lic->issued != lic->starts) {
		le_store16(v, lic->issued);
		if ((pos = put_ext(out, pos, cap, WIRE_EXT_ISSUED, v, 2)) == 0)
			return 0;
	}
	if (lic->host_bound && (pos = put_ext(out, pos, cap, WIRE_EXT_HOST,
	    lic->host, LKEY_HOST_ID_BYTES)) == 0)
		return 0;
	if (lic->maintenance_features != 0) {
		le_store32(v, lic->maintenance_features);
		if ((pos = put_ext(out, pos, cap, WIRE_EXT_MAINT_FEATURES, v,
		    4)) == 0)
			return 0;
	}
	return pos;
}

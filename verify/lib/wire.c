/*
 * wire.c - reading the signed payload of a licence key
 *
 * Runs only on bytes whose signature has been checked, but still trusts
 * nothing: every length is bounded by what is left, extensions must come in
 * strictly increasing type order (so a key has one byte form), a known
 * extension must carry its documented critical bit, and an unknown critical
 * one makes the key unusable here: an old verifier must never ignore a term
 * it does not understand.
 */
#include <string.h>

#include "le.h"
#include "codec.h"
#include "wire.h"

lkey_status
lkey__reject(lkey_detail *d, lkey_status st, lkey_reason reason,
    uint32_t value)
{
	if (d != NULL) {
		d->reason = reason;
		d->offset = 0;
		d->value = value;
	}
	return st;
}

static lkey_day
load_day(const uint8_t *p)
{
	uint32_t v = le_load16(p);

	return v == WIRE_DAY_NEVER ? LKEY_NEVER : v;
}

/* UTF-8, shortest form, no surrogates, no C0/C1 controls and no DEL. */
int
lkey__wire_text_ok(const char *s, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = lkey__utf8_next(s + i, len - i, &cp);
		/* A byte of its own from 0x80 up starts no character. */
		if ((n == 1 && (unsigned char)s[i] >= 0x80U) || cp < 0x20U ||
		    (cp >= 0x7fU && cp <= 0x9fU))
			return 0;
		i += n;
	}
	return 1;
}

/* Add-on modules with their own seat counts: (bit, seats) pairs, bits in
 * strictly increasing order, each one a licensed feature. */
static int
parse_modules(const uint8_t *v, size_t n, lkey_license *out)
{
	size_t i;
	uint32_t bit, seats;
	int64_t last = -1;

	if (n == 0 || n % WIRE_MODULE_BYTES != 0)
		return 0;
	for (i = 0; i < n; i += WIRE_MODULE_BYTES) {
		bit = v[i];
		seats = le_load24(v + i + 1);
		if (bit >= LKEY_FEATURES_MAX || (int64_t)bit <= last ||
		    !(out->features & (1U << bit)) || seats == 0 ||
		    seats == WIRE_SEATS_UNLIMITED)
			return 0;
		out->module_seats[bit] = seats;
		last = bit;
	}
	return 1;
}

/*
 * One extension, already bounded: type byte as written, value of n bytes.
 * Returns 1 if understood and well-formed, 0 for an impossible value (a known
 * extension with the wrong critical flag too), -1 for an unknown critical
 * extension. Every known extension has exactly one
 * valid spelling (no defaults written out), so a licence has one byte form.
 */
static int
parse_extension(uint32_t type, const uint8_t *v, size_t n, lkey_license *out)
{
	uint32_t x;

	switch (type) {
	case WIRE_EXT_LICENSEE:
		if (n == 0 || n > LKEY_LICENSEE_MAX ||
		    !lkey__wire_text_ok((const char *)v, n))
			return 0;
		memcpy(out->licensee, v, n);
		out->licensee[n] = '\0';
		out->licensee_len = n;
		return 1;
	case WIRE_EXT_GRACE:
		if (n != 2 || (x = le_load16(v)) == 0 ||
		    x > LKEY_GRACE_DAYS_MAX)
			return 0;
		out->grace_days = x;
		return 1;
	case WIRE_EXT_NOTICE:
		if (n != 2 || (x = le_load16(v)) > LKEY_NOTICE_DAYS_MAX ||
		    x == LKEY_NOTICE_DAYS_DEFAULT)
			return 0;
		out->notice_days = x;
		return 1;
	case WIRE_EXT_MODULES:
		return parse_modules(v, n, out);
	case WIRE_EXT_TRIAL:
		if (n != 0 || out->expires == LKEY_NEVER)
			return 0;
		out->trial = true;
		return 1;
	case WIRE_EXT_ISSUED:
		if (n != 2 || (x = le_load16(v)) > LKEY_DAY_MAX ||
		    x == out->starts)
			return 0;
		out->issued = x;
		return 1;
	case WIRE_EXT_HOST:
		if (n != LKEY_HOST_ID_BYTES)
			return 0;
		memcpy(out->host, v, n);
		out->host_bound = true;
		return 1;
	case WIRE_EXT_MAINT_FEATURES:
		/* Licensed features only, and never the default 0. */
		if (n != 4 || (x = le_load32(v)) == 0 ||
		    (x & ~out->features) != 0)
			return 0;
		out->maintenance_features = x;
		return 1;
	default:
		/* Known ids with the wrong critical bit are impossible. */
		switch (type & ~WIRE_EXT_CRITICAL) {
		case WIRE_EXT_LICENSEE:
		case WIRE_EXT_GRACE:
		case WIRE_EXT_NOTICE:
		case WIRE_EXT_MODULES & ~WIRE_EXT_CRITICAL:
		case WIRE_EXT_TRIAL:
		case WIRE_EXT_ISSUED:
		case WIRE_EXT_HOST & ~WIRE_EXT_CRITICAL:
		case WIRE_EXT_MAINT_FEATURES & ~WIRE_EXT_CRITICAL:
			return 0;
		default:
			return (type & WIRE_EXT_CRITICAL) ? -1 : 1;
		}
	}
}

lkey_status
lkey__wire_parse(const uint8_t *p, size_t len, lkey_license *out, lkey_detail *d)
{
	size_t pos;
	uint32_t last = 0;

	memset(out, 0, sizeof(*out));
	if (len < WIRE_FIXED_BYTES || p[WIRE_OFF_VERSION] != WIRE_VERSION)
		return lkey__reject(d, LKEY_MALFORMED, LKEY_R_TOO_SHORT, 0);
	out->version = p[WIRE_OFF_VERSION];
	out->key_id = le_load32(p + WIRE_OFF_KEYID);
	out->product = le_load16(p + WIRE_OFF_PRODUCT);
	out->edition = p[WIRE_OFF_EDITION];
	out->seats = le_load24(p + WIRE_OFF_SEATS);
	if (out->seats == WIRE_SEATS_UNLIMITED)
		out->seats = LKEY_SEATS_UNLIMITED;
	out->starts = load_day(p + WIRE_OFF_STARTS);
	out->expires = load_day(p + WIRE_OFF_EXPIRES);
	out->maintenance = load_day(p + WIRE_OFF_MAINT);
	out->serial = le_load32(p + WIRE_OFF_SERIAL);
	out->features = le_load32(p + WIRE_OFF_FEATURES);
	/* Defaults of the optional terms, for a key that does not say. */
	out->issued = out->starts;
	out->notice_days = LKEY_NOTICE_DAYS_DEFAULT;

	if (out->product == 0 || out->seats == 0 ||
	    out->starts == LKEY_NEVER ||
	    (out->expires != LKEY_NEVER && out->expires < out->starts) ||
	    (out->maintenance != LKEY_NEVER &&
	    out->maintenance < out->starts))
		goto bad_field;

	for (pos = WIRE_FIXED_BYTES; pos < len;) {
		uint32_t type, id;
		size_t n;

		if (len - pos < 2) {
			(void)lkey__reject(d, LKEY_MALFORMED,
			    LKEY_R_BAD_EXTENSION, 0);
			goto bad;
		}
		type = p[pos];
		id = type & ~WIRE_EXT_CRITICAL;
		n = p[pos + 1];
		if (len - pos - 2 < n || id == 0 || id <= last) {
			(void)lkey__reject(d, LKEY_MALFORMED,
			    LKEY_R_BAD_EXTENSION, type);
			goto bad;
		}
		last = id;
		switch (parse_extension(type, p + pos + 2, n, out)) {
		case 1:
			break;
		case 0:
			goto bad_field;
		default:
			(void)lkey__reject(d, LKEY_MALFORMED,
			    LKEY_R_UNKNOWN_CRITICAL, type);
			goto bad;
		}
		pos += 2 + n;
	}
	return LKEY_OK;

bad_field:
	(void)lkey__reject(d, LKEY_MALFORMED, LKEY_R_BAD_FIELD, 0);
bad:
	memset(out, 0, sizeof(*out));
	return LKEY_MALFORMED;
}

/*
 * issue.c - issuing a licence key
 *
 * Every key is decoded again with the customer-side verifier and compared
 * field by field before it is handed out, so a key that the product would
 * refuse (a bug, a bad build, a flipped bit in memory) is never sent.
 */
#include <string.h>

#include <sodium.h>

#include "build.h"
#include "codec.h"
#include "sign.h"
#include "wire.h"

void
lkey_vendor_key_from_seed(const uint8_t seed[LKEY_SEEDBYTES],
    lkey_vendor_key *out)
{
	uint8_t pk[LKEY_PUBLICKEYBYTES];

	crypto_sign_seed_keypair(pk, out->sk, seed);
	lkey_pubkey_from_bytes(pk, &out->pub);
}

void
lkey_vendor_key_generate(lkey_vendor_key *out)
{
	uint8_t seed[LKEY_SEEDBYTES];

	randombytes_buf(seed, sizeof(seed));
	lkey_vendor_key_from_seed(seed, out);
	sodium_memzero(seed, sizeof(seed));
}

void
lkey_vendor_key_wipe(lkey_vendor_key *key)
{
	sodium_memzero(key, sizeof(*key));
}

static int
day_ok(lkey_day day, bool never_ok)
{
	return day <= LKEY_DAY_MAX || (never_ok && day == LKEY_NEVER);
}

void
lkey_terms_init(lkey_license *t, lkey_day today)
{
	memset(t, 0, sizeof(*t));
	t->starts = today;
	t->issued = today;
	t->notice_days = LKEY_NOTICE_DAYS_DEFAULT;
}

/* Module seat counts: only for licensed features, each 1..LKEY_SEATS_MAX. */
static const char *
modules_check(const lkey_license *t)
{
	uint32_t bit;

	for (bit = 0; bit < LKEY_FEATURES_MAX; bit++) {
		if (t->module_seats[bit] == 0)
			continue;
		if (!(t->features & (1U << bit)))
			return "a module with its own seat count must be one of "
			    "the licensed features";
		if (t->module_seats[bit] > LKEY_SEATS_MAX)
			return "module seats must be from 1 to 16777214";
	}
	return NULL;
}

/*
 * A host id only on a node-locked key, so that the terms have one meaning
 * and a decoded key compares equal byte for byte; and never all zeros,
 * which is what a caller that set host_bound but forgot the id would send:
 * a key for no computer.
 */
static const char *
host_check(const lkey_license *t)
{
	uint8_t any = 0;
	size_t i;

	for (i = 0; i < LKEY_HOST_ID_BYTES; i++)
		any |= t->host[i];
	if (!t->host_bound && any != 0)
		return "a host id is set but the licence is not node-locked";
	if (t->host_bound && any == 0)
		return "host id 0000000000000000 is no computer's: give the id "
		    "lkey-verify --host-id prints";
	return NULL;
}

lkey_issue_status
lkey_terms_check(const lkey_license *t, const char **why)
{
	const char *w = NULL;

	if (t->product < 1 || t->product > 65535)
		w = "product must be from 1 to 65535";
	else if (t->edition > 255)
		w = "edition must be from 0 to 255";
	else if (t->seats != LKEY_SEATS_UNLIMITED &&
	    (t->seats < 1 || t->seats > LKEY_SEATS_MAX))
		w = "seats must be from 1 to 16777214, or unlimited";
	else if (!day_ok(t->starts, false))
		w = "start date must be a day from 1970-01-01 to 2149-06-05";
	else if (!day_ok(t->expires, true))
		w = "expiry must be a day up to 2149-06-05, or never";
	else if (!day_ok(t->maintenance, true))
		w = "maintenance end must be a day up to 2149-06-05, or never";
	else if (t->expires != LKEY_NEVER && t->expires < t->starts)
		w = "licence would expire before it starts";
	else if (t->maintenance != LKEY_NEVER && t->maintenance < t->starts)
		w = "maintenance would end before the licence starts";
	else if (t->licensee_len > LKEY_LICENSEE_MAX ||
	    t->licensee_len != strnlen(t->licensee, LKEY_LICENSEE_MAX + 1))
		w = "licensee name is longer than 128 bytes";
	else if (!lkey__wire_text_ok(t->licensee, t->licensee_len))
		w = "licensee name must be UTF-8 text without control "
		    "characters";
	else if (!day_ok(t->issued, false))
		w = "issue date must be a day from 1970-01-01 to 2149-06-05";
	else if (t->expires != LKEY_NEVER && t->issued > t->expires)
		w = "licence would be issued after it expires";
	else if (t->grace_days > LKEY_GRACE_DAYS_MAX)
		w = "grace days must be from 0 to 365";
	else if (t->notice_days > LKEY_NOTICE_DAYS_MAX)
		w = "notice days must be from 0 to 365";
	else if (t->trial && t->expires == LKEY_NEVER)
		w = "a trial licence must have an expiry date";
	else if ((t->maintenance_features & ~t->features) != 0)
		w = "a feature that needs maintenance must be one of the "
		    "licensed features";
	else
		w = host_check(t);
	if (w == NULL)
		w = modules_check(t);
	if (why != NULL)
		*why = w;
	return w == NULL ? LKEY_ISSUE_OK : LKEY_ISSUE_BAD_TERMS;
}

lkey_issue_status
lkey_issue(const lkey_vendor_key *key, const lkey_license *terms, char *text,
    size_t cap)
{
	uint8_t raw[LKEY_KEY_MAX];
	lkey_license lic = *terms, back;
	lkey_issue_status st;
	size_t n, tlen;

	if (cap > 0)
		text[0] = '\0';
	st = lkey_terms_check(terms, NULL);
	if (st != LKEY_ISSUE_OK)
		return st;
	lic.version = WIRE_VERSION;
	lic.key_id = key->pub.id;
	n = build_payload(&lic, raw, sizeof(raw) - LKEY_SIGNATUREBYTES);
	if (n == 0)
		return LKEY_ISSUE_TOO_LONG;
	sign_license(raw + n, raw, n, key->sk);
	n += LKEY_SIGNATUREBYTES;
	tlen = lkey__b64_encode(raw, n, text, cap);
	if (tlen == 0)
		return LKEY_ISSUE_TOO_LONG;

	if (lkey_decode(text, tlen, &key->pub, 1, &back, NULL) != LKEY_OK ||
	    back.version != lic.version || back.key_id != lic.key_id ||
	    back.product != lic.product || back.edition != lic.edition ||
	    back.seats != lic.seats || back.starts != lic.starts ||
	    back.expires != lic.expires ||
	    back.maintenance != lic.maintenance ||
	    back.serial != lic.serial || back.features != lic.features ||
	    back.licensee_len != lic.licensee_len ||
	    memcmp(back.licensee, lic.licensee, lic.licensee_len) != 0 ||
	    back.issued != lic.issued || back.grace_days != lic.grace_days ||
	    back.notice_days != lic.notice_days || back.trial != lic.trial ||
	    memcmp(back.module_seats, lic.module_seats,
	    sizeof(lic.module_seats)) != 0 ||
	    back.host_bound != lic.host_bound ||
	    memcmp(back.host, lic.host, sizeof(lic.host)) != 0 ||
	    back.maintenance_features != lic.maintenance_features) {
		sodium_memzero(text, cap);
		return LKEY_ISSUE_SELF_CHECK;
	}
	return LKEY_ISSUE_OK;
}

const char *
lkey_issue_status_text(lkey_issue_status status)
{
	switch (status) {
	case LKEY_ISSUE_OK:
		return "ok";
	case LKEY_ISSUE_BAD_TERMS:
		return "licence terms out of range";
	case LKEY_ISSUE_TOO_LONG:
		return "licence key would be too long";
	case LKEY_ISSUE_SELF_CHECK:
		return "issued key failed verification (not printed)";
	}
	return "unknown error";
}

/* status.c - names and end-user sentences for verdicts, reasons and warnings */
#include <string.h>

#include "lkey.h"

/*
 * The stable names, as in the CLI's JSON, in the order of their enumeration
 * in lkey.h, each ended by a NUL: one string per list rather than a table of
 * pointers, which the shared library would relocate when it is loaded.
 */
static const char status_names[] = "valid\0malformed\0unknown_key\0"
    "bad_signature\0wrong_product\0not_yet_valid\0expired\0"
    "maintenance_lapsed\0seats_exceeded\0admin_only\0host_mismatch\0"
    "revoked\0clock_rollback\0revocations_outdated";
static const char warning_names[] = "trial\0license_expiring\0"
    "maintenance_expiring\0addons_unavailable\0seats_grace\0clock_behind";

/* Entry i of a list of n, or `none`. */
static const char *
nth(const char *list, unsigned n, unsigned i, const char *none)
{
	if (i >= n)
		return none;
	for (; i > 0; i--)
		list += strlen(list) + 1U;
	return list;
}

static const char *const messages[LKEY_STATUS_COUNT] = {
	[LKEY_OK] = "The licence is valid.",
	[LKEY_MALFORMED] = "The licence key is damaged or incomplete, or needs "
	    "a newer version of this program. Copy the whole key again from "
	    "the licence e-mail.",
	[LKEY_UNKNOWN_KEY] = "The licence key was signed with a key this "
	    "program does not know. Check that the key is for this product, "
	    "or update the program.",
	[LKEY_BAD_SIGNATURE] = "The licence key is not genuine: it has been "
	    "altered or mistyped. Copy it again from the licence e-mail.",
	[LKEY_WRONG_PRODUCT] = "The licence key is for a different product. "
	    "Register the key issued for this product.",
	[LKEY_NOT_YET_VALID] = "The licence period has not started yet. The "
	    "key can be used from its start date.",
	[LKEY_EXPIRED] = "The licence has expired. Register a renewed licence "
	    "key.",
	[LKEY_MAINTENANCE_LAPSED] = "Maintenance ended before this release "
	    "was built. Renew maintenance, or use a release built before "
	    "maintenance ended.",
	[LKEY_SEATS_EXCEEDED] = "The number of licences is exceeded. Ask your "
	    "administrator to add licences or deactivate users.",
	[LKEY_ADMIN_ONLY] = "The number of licences is exceeded: only "
	    "administrators can sign in. Add licences or deactivate users.",
	[LKEY_HOST_MISMATCH] = "The licence key is bound to another computer. "
	    "Ask the vendor for a key for this computer.",
	[LKEY_REVOKED] = "The licence key has been revoked. Contact the "
	    "vendor.",
	[LKEY_CLOCK_ROLLBACK] = "The system clock is set back: before a day "
	    "this computer has already seen, or before this release was "
	    "built. Correct the date and time.",
	[LKEY_REVOCATIONS_OUTDATED] = "The vendor's revocation list is older "
	    "than one this computer has already used, or missing. Install the "
	    "latest revocation list from the vendor.",
};

/* The phrases for lkey_reason, listed as the names are. */
static const char reasons[] = "no error\0key is too long\0key is empty\0"
    "key is not valid base64\0"
    "key is not valid base64 (wrong length or padding)\0"
    "key is not in canonical base64 (unused bits set)\0key is truncated\0"
    "key has an unknown format version\0"
    "key was signed by an unknown vendor key\0"
    "key signature does not verify\0key has a malformed extension\0"
    "key needs a newer verifier (unknown critical extension)\0"
    "key holds an impossible value\0"
    "not a licence key but another kind of lkey data\0"
    "text holds two different keys\0"
    "text holds the same key twice in a row\0"
    "licence was not made by lkey_decode, or changed since";

const char *
lkey_status_name(lkey_status status)
{
	return nth(status_names, LKEY_STATUS_COUNT, (unsigned)status,
	    "unknown");
}

const char *
lkey_status_message(lkey_status status)
{
	if ((unsigned)status >= LKEY_STATUS_COUNT)
		return "Unknown licence status.";
	return messages[status];
}

/*
 * A text with nothing in it was never a key: "damaged ... or needs a newer
 * version" would send the user after the wrong cause.
 */
const char *
lkey_verdict_message(lkey_status status, const lkey_detail *detail)
{
	if (status == LKEY_MALFORMED && detail != NULL &&
	    detail->reason == LKEY_R_EMPTY)
		return "No licence key was given. Paste the key from the "
		    "licence e-mail.";
	return lkey_status_message(status);
}

const char *
lkey_reason_text(lkey_reason reason)
{
	return nth(reasons, LKEY_R_NOT_SEALED + 1U, (unsigned)reason,
	    "unknown reason");
}

const char *
lkey_warning_name(lkey_warning warning)
{
	return nth(warning_names, LKEY_WARNING_COUNT, (unsigned)warning,
	    "unknown");
}

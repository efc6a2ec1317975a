/* status.c - names and end-user sentences for verdicts and reasons */
#include "lkey.h"

static const char *const names[LKEY_STATUS_COUNT] = {
	[LKEY_OK] = "valid",
	[LKEY_MALFORMED] = "malformed",
	[LKEY_UNKNOWN_KEY] = "unknown_key",
	[LKEY_BAD_SIGNATURE] = "bad_signature",
	[LKEY_WRONG_PRODUCT] = "wrong_product",
	[LKEY_NOT_YET_VALID] = "not_yet_valid",
	[LKEY_EXPIRED] = "expired",
	[LKEY_MAINTENANCE_LAPSED] = "maintenance_lapsed",
	[LKEY_SEATS_EXCEEDED] = "seats_exceeded",
	[LKEY_ADMIN_ONLY] = "admin_only",
	[LKEY_HOST_MISMATCH] = "host_mismatch",
	[LKEY_REVOKED] = "revoked",
	[LKEY_CLOCK_ROLLBACK] = "clock_rollback",
};

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
};

static const char *const reasons[] = {
	[LKEY_R_NONE] = "no error",
	[LKEY_R_TOO_LONG] = "key is too long",
	[LKEY_R_EMPTY] = "key is empty",
	[LKEY_R_BAD_CHAR] = "key is not valid base64",
	[LKEY_R_BAD_PADDING] = "key is not valid base64 (wrong length or "
	    "padding)",
	[LKEY_R_NONCANONICAL] = "key is not in canonical base64 (unused bits "
	    "set)",
	[LKEY_R_TOO_SHORT] = "key is truncated",
	[LKEY_R_BAD_VERSION] = "key has an unknown format version",
	[LKEY_R_UNKNOWN_KEY] = "key was signed by an unknown vendor key",
	[LKEY_R_BAD_SIGNATURE] = "key signature does not verify",
	[LKEY_R_BAD_EXTENSION] = "key has a malformed extension",
	[LKEY_R_UNKNOWN_CRITICAL] = "key needs a newer verifier (unknown "
	    "critical extension)",
	[LKEY_R_BAD_FIELD] = "key holds an impossible value",
	[LKEY_R_WRONG_KIND] = "not a licence key but another kind of lkey "
	    "data",
};

const char *
lkey_status_name(lkey_status status)
{
	if ((unsigned)status >= LKEY_STATUS_COUNT)
		return "unknown";
	return names[status];
}

const char *
lkey_status_message(lkey_status status)
{
	if ((unsigned)status >= LKEY_STATUS_COUNT)
		return "Unknown licence status.";
	return messages[status];
}

const char *
lkey_reason_text(lkey_reason reason)
{
	if ((unsigned)reason >= sizeof(reasons) / sizeof(reasons[0]))
		return "unknown reason";
	return reasons[reason];
}

static const char *const warnings[LKEY_WARNING_COUNT] = {
	[LKEY_W_TRIAL] = "trial",
	[LKEY_W_LICENSE_EXPIRING] = "license_expiring",
	[LKEY_W_MAINTENANCE_EXPIRING] = "maintenance_expiring",
	[LKEY_W_ADDONS_UNAVAILABLE] = "addons_unavailable",
	[LKEY_W_SEATS_GRACE] = "seats_grace",
	[LKEY_W_CLOCK_BEHIND] = "clock_behind",
};

const char *
lkey_warning_name(lkey_warning warning)
{
	if ((unsigned)warning >= LKEY_WARNING_COUNT)
		return "unknown";
	return warnings[warning];
}

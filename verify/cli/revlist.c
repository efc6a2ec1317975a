/* revlist.c - the vendor's revocation list, read and authenticated */
#include <stdio.h>

#include "revlist.h"
#include "textfile.h"

/* Why a damaged list was refused, in a word or two. */
static const char *
damage(lkey_reason reason)
{
	if (reason == LKEY_R_BAD_FIELD)
		return "impossible content";
	if (reason == LKEY_R_TOO_SHORT)
		return "truncated";
	return "not canonical base64";
}

/* Why a revocation list was refused, after "FILE: ". */
static void
list_refusal(lkey_status st, const lkey_detail *d, char *out, size_t cap)
{
	if (st == LKEY_UNKNOWN_KEY)
		snprintf(out, cap, "revocation list signed by key id %08x, "
		    "which is in no --pubkey file (another vendor's list?); "
		    "refused", (unsigned)d->value);
	else if (st == LKEY_BAD_SIGNATURE)
		snprintf(out, cap, "revocation list signature does not verify "
		    "(the list was altered or damaged); refused");
	else if (d->reason == LKEY_R_WRONG_KIND || d->reason == LKEY_R_EMPTY)
		snprintf(out, cap, "not a revocation list; refused");
	else if (d->reason == LKEY_R_BAD_CHAR)
		snprintf(out, cap, "not a revocation list: byte %zu is not "
		    "base64; refused", d->offset);
	else if (d->reason == LKEY_R_TOO_LONG)
		snprintf(out, cap, "revocation list too long (more than %u "
		    "bytes or %u serials); refused", LKEY_REVOCATIONS_TEXT_MAX,
		    LKEY_REVOKED_MAX);
	else if (d->reason == LKEY_R_BAD_VERSION)
		snprintf(out, cap, "revocation list of unknown version %u "
		    "(it needs a newer verifier); refused",
		    (unsigned)d->value);
	else
		snprintf(out, cap, "revocation list damaged (%s); refused",
		    damage(d->reason));
}

int
revlist_read(const char *path, char *text, size_t cap, size_t *len, stop *s)
{
	char err[512];
	int rc;

	if (path[0] == '\0')
		return halt(s, EXIT_USAGE, "--revocations needs the path of a "
		    "revocation list");
	rc = textfile_read(path, 0, text, cap, len, err, sizeof(err));
	if (rc == TEXTFILE_ERROR)
		return halt(s, EXIT_TROUBLE, "%s: %s", path, err);
	if (rc == TEXTFILE_TOO_BIG)
		*len = cap;	/* over the bound: refused */
	return 0;
}

int
revlist_load(const char *path, const lkey_pubkey *ring, size_t nring,
    lkey_revocations *list, stop *s)
{
	static char text[LKEY_REVOCATIONS_TEXT_MAX + 1U];
	char err[512];
	lkey_detail d;
	lkey_status st;
	size_t len;

	if (revlist_read(path, text, sizeof(text), &len, s) != 0)
		return s->code;
	st = lkey_revocations_decode(text, len, ring, nring, list, &d);
	if (st != LKEY_OK) {
		list_refusal(st, &d, err, sizeof(err));
		return halt(s, EXIT_REFUSED, "%s: %s", path, err);
	}
	return 0;
}

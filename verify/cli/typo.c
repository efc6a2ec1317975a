/*
 * typo.c - a mistyped key: where the one wrong character probably is, for
 * the screen and the JSON report
 *
 * Looked for only in the single check, never per line of --check: a search
 * costs up to a few hundred signature checks' worth of time for a key of
 * usual length (docs/PERFORMANCE.md).
 */
#include <stdio.h>

#include "typo.h"
#include "utf8.h"

/* What typo_look found; v->suggestion points here. */
static lkey_suggestion found;

bool
typo_wanted(const verdict *v)
{
	if (v->status == LKEY_BAD_SIGNATURE)
		return true;
	return v->status == LKEY_MALFORMED &&
	    (v->det.reason == LKEY_R_BAD_PADDING ||
	    v->det.reason == LKEY_R_NONCANONICAL ||
	    v->det.reason == LKEY_R_TOO_SHORT);
}

void
typo_look(verdict *v, const char *text, size_t len, const lkey_pubkey *keys,
    size_t nkeys)
{
	v->suggestion = NULL;
	if (typo_wanted(v) && lkey_suggest(text, len, keys, nkeys, &found))
		v->suggestion = &found;
}

void
typo_place(verdict *v, const size_t *where, size_t n, const char *text,
    size_t len)
{
	size_t at, i, k, chars = 0;

	if (v->suggestion == NULL || n == 0)
		return;
	/* A character missing after the last goes just after it. */
	at = found.offset < n ? where[found.offset] : where[n - 1U] + 1U;
	for (i = 0; i < at && i < len; i += k, chars++)
		if ((k = utf8_len((const unsigned char *)text + i, len - i)) ==
		    0)
			k = 1;
	found.offset = chars;
}

void
typo_text(const lkey_suggestion *s, char *out, size_t cap)
{
	size_t at = s->offset + 1U;

	switch (s->kind) {
	case LKEY_TYPO_SUBSTITUTED:
		snprintf(out, cap, "character %zu is probably '%s', not '%s'",
		    at, s->expected, s->typed);
		break;
	case LKEY_TYPO_DELETED:
		snprintf(out, cap, "a character is probably missing at "
		    "character %zu: '%s'", at, s->expected);
		break;
	case LKEY_TYPO_INSERTED:
		snprintf(out, cap, "character %zu, '%s', is probably one too "
		    "many", at, s->typed);
		break;
	case LKEY_TYPO_SWAPPED:
		snprintf(out, cap, "character %zu and the next are probably "
		    "swapped: '%s', not '%s'", at, s->expected, s->typed);
		break;
	default:
		snprintf(out, cap, "no typo");
		break;
	}
}

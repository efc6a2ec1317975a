/*
 * register.c - the registration policy of lkey-verify --install: which of
 * two keys a licence file keeps, and the one text form it is written in
 */
#include <stdio.h>
#include <string.h>

#include "install.h"
#include "register.h"
#include "stop.h"

/* The key without whitespace: its canonical one-line form. */
static size_t
compact(const char *in, size_t len, char *out)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (strchr(" \t\n\v\f\r", in[i]) == NULL || in[i] == '\0')
			out[n++] = in[i];
	out[n] = '\0';
	return n;
}

/*
 * Whether the stored key (old, oldlen bytes) stays: it is newer than the
 * one registered, or no key this program can authenticate. If so, the line
 * for standard error into msg.
 */
static bool
kept(const verdict *v, const char *old, size_t oldlen,
    const lkey_pubkey *keys, size_t nkeys, char *msg, size_t cap)
{
	char a[11], b[11];
	lkey_license prev;
	lkey_status st;

	st = lkey_decode(old, oldlen, keys, nkeys, &prev, NULL);
	if (st != LKEY_OK) {
		snprintf(msg, cap, "%s: holds no licence key this program can "
		    "authenticate (%s); not replaced (--force replaces it)",
		    v->install, lkey_status_name(st));
		return true;
	}
	if (prev.product == v->lic.product &&
	    lkey_license_order(&v->lic, &prev) < 0) {
		lkey_day_format(prev.issued, a);
		lkey_day_format(v->lic.issued, b);
		snprintf(msg, cap, "%s: holds a newer licence key (issued %s, "
		    "serial %u) than this one (issued %s, serial %u); not "
		    "replaced (--force replaces it)", v->install, a,
		    prev.serial, b, v->lic.serial);
		return true;
	}
	return false;
}

/*
 * The file is too big to hold a key: it is no licence this program can
 * authenticate, so only --force replaces it, and it is kept whole as
 * FILE.prev (by a second name: it is not read).
 */
static int
replace_big(verdict *v, const char *text, size_t len, bool force,
    const char *why, char *msg, size_t cap)
{
	char err[600];

	if (!force) {
		snprintf(msg, cap, "%s; not replaced (--force replaces it)",
		    why);
		return EXIT_KEPT;
	}
	if (install_write(v->install, text, len, NULL, 0, true, err,
	    sizeof(err)) != 0) {
		snprintf(msg, cap, "%s", err);
		return EXIT_TROUBLE;
	}
	v->installed = true;
	return 0;
}

int
register_key(verdict *v, const char *text, size_t len,
    const lkey_pubkey *keys, size_t nkeys, bool force, char *msg,
    size_t cap)
{
	static char old[LKEY_TEXT_MAX + 1U], stored[LKEY_TEXT_MAX + 1U];
	char err[600];
	size_t oldlen, slen;
	int rc;

	rc = install_read(v->install, old, sizeof(old), &oldlen, err,
	    sizeof(err));
	if (rc < 0) {
		snprintf(msg, cap, "%s; nothing changed", err);
		return EXIT_TROUBLE;
	}
	if (rc == INSTALL_TOO_BIG)
		return replace_big(v, text, len, force, err, msg, cap);
	slen = rc == INSTALL_NONE ? 0 : compact(old, oldlen, stored);
	if (slen > 0 && slen == len && memcmp(stored, text, len) == 0) {
		v->installed = v->already = true;
		return 0;
	}
	if (slen > 0 && !force && kept(v, old, oldlen, keys, nkeys, msg, cap))
		return EXIT_KEPT;
	if (install_write(v->install, text, len, old, oldlen, rc == 0, err,
	    sizeof(err)) != 0) {
		snprintf(msg, cap, "%s", err);
		return EXIT_TROUBLE;
	}
	v->installed = true;
	return 0;
}

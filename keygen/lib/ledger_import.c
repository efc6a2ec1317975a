/*
 * ledger_import.c - `ledger import`: a ledger in JSON lines read into the
 * database, the ledger of lkey 1 and 2 or what `ledger export` wrote
 * (ledger_line.h gives both formats)
 *
 * Every line is checked whole before it is recorded, each term against
 * the key itself (ledger_line.c), and the key's signature against the
 * vendor's public keys. One transaction: all lines or
 * none. A key already in the ledger with the
 * same record is left alone, so importing twice changes nothing.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ledger_int.h"
#include "ledger_line.h"
#include "msg.h"

/* Reads one line into buf (cap bytes); its length in *len, without the
 * '\n'. 1 at the end of input, 0 for a line, -1 for a bad one. */
static int
read_line(FILE *in, char *buf, size_t cap, size_t *len, char *err,
    size_t errcap)
{
	int c;
	size_t n = 0;

	*len = 0;
	while ((c = getc(in)) != EOF && c != '\n') {
		if (n + 1 >= cap) {
			while ((c = getc(in)) != EOF && c != '\n')
				;
			return msg_fail(err, errcap, "longer than %u bytes",
			    LEDGER_LINE_MAX - 1U);
		}
		buf[n++] = (char)c;
	}
	if (ferror(in))
		return msg_fail(err, errcap, "cannot be read");
	if (c == EOF && n == 0)
		return 1;
	buf[n] = '\0';
	*len = n;
	if (c == EOF)
		return msg_fail(err, errcap, "has no line end (a write cut "
		    "short?)");
	return 0;
}

/*
 * The key of a line must be one the vendor signed: a ledger file is text
 * anyone with the file can edit, and what import records, reissue signs
 * again and a retried order hands out. 0, or -1 with why.
 */
static int
signed_by_vendor(const char *key, const lkey_pubkey *keys, size_t nkeys,
    char *why, size_t whycap)
{
	static lkey_license lic;
	lkey_status st;

	st = lkey_decode(key, strlen(key), keys, nkeys, &lic, NULL);
	if (st == LKEY_OK)
		return 0;
	if (st == LKEY_UNKNOWN_KEY)
		return msg_fail(why, whycap, "\"key\" is signed by a vendor "
		    "key whose public key was not given (--pubkey FILE)");
	if (st == LKEY_BAD_SIGNATURE)
		return msg_fail(why, whycap, "\"key\" does not verify with "
		    "its vendor key's public key: it was altered, or is not "
		    "this vendor's");
	return msg_fail(why, whycap, "\"key\" is not a licence key (%s)",
	    lkey_status_name(st));
}

int
ledger_import(ledger *l, FILE *in, const char *name,
    const lkey_pubkey *keys, size_t nkeys, unsigned long *added,
    unsigned long *same, char *err, size_t errcap)
{
	struct {
		struct ledger_line line;
		char text[LEDGER_LINE_MAX + 1];
	} im;
	char why[512];
	unsigned long no = 0;
	uint64_t high = 0;
	bool found, eq;
	size_t len;
	int rc;

	*added = *same = 0;
	if (ledger_begin(l, err, errcap) != 0)
		return -1;
	for (;;) {
		rc = read_line(in, im.text, sizeof im.text, &len, why,
		    sizeof why);
		if (rc == 1)
			break;
		no++;
		if (rc != 0 || ledger_line_parse(im.text, len, &im.line, why,
		    sizeof why) != 0 || signed_by_vendor(im.line.rec.key, keys,
		    nkeys, why, sizeof why) != 0)
			goto bad_line;
		if (ledger_rec_compare(l, &im.line.rec, &found, &eq, err,
		    errcap) != 0)
			goto fail;
		if (found && !eq) {
			(void)snprintf(why, sizeof why, "key %08" PRIx32
			    " serial %" PRIu32 " is in %s with another "
			    "record", im.line.rec.lic.key_id,
			    im.line.rec.lic.serial, ledger_name(l));
			goto bad_line;
		}
		if (found) {
			(*same)++;
			continue;
		}
		if (ledger_insert(l, &im.line.rec, 1, err, errcap) != 0)
			goto fail;
		(*added)++;
		if (im.line.rec.lic.serial < UINT32_MAX &&
		    im.line.rec.lic.serial >= high)
			high = (uint64_t)im.line.rec.lic.serial + 1U;
	}
	/* Automatic serials go on above the imported ones. */
	if (high > l->next)
		ledger_set_next(l, (uint32_t)high);
	if (ledger_commit(l, err, errcap) != 0)
		goto fail_closed;
	return 0;
bad_line:
	(void)msg_fail(err, errcap, "%s: line %lu: %s; nothing imported",
	    name, no, why);
fail:
	ledger_rollback(l);
fail_closed:
	*added = *same = 0;
	return -1;
}

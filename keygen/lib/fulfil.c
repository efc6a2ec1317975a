/*
 * fulfil.c - one order: a key issued, recorded in the ledger, then printed
 *
 * The key is verified with the customer-side code, then its ledger entry is
 * written and synced; only then may the caller print it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "catalog.h"
#include "cli.h"
#include "fulfil.h"
#include "jsonline.h"
#include "keyfile.h"
#include "orders.h"

#define EXIT_TROUBLE 1

#define CHUNK_MAX 256		/* orders per ledger write, from a file */
#define JOBS_MAX 64		/* signing threads */

int
fulfil_one(const lkey_vendor_key *key, ledger *lg, lkey_license *t,
    bool serial_auto, const char *order, char *text, char *err,
    size_t errcap)
{
	ledger_entry e;
	lkey_issue_status st;
	char e2[256];
	int rc = -1;

	if (lg == NULL) {
		if (serial_auto) {
			snprintf(err, errcap, "--serial auto needs a ledger "
			    "(--ledger FILE)");
			return -1;
		}
		st = lkey_issue(key, t, text, LKEY_B64_TEXT_MAX);
		if (st != LKEY_ISSUE_OK) {
			snprintf(err, errcap, "%s", lkey_issue_status_text(st));
			return -1;
		}
		return 0;
	}
	if (ledger_lock(lg, err, errcap) != 0)
		return -1;
	if (serial_auto) {
		if (ledger_next_serial(lg, &t->serial, err, errcap) != 0)
			goto out;
	} else if (ledger_has_serial(lg, t->serial)) {
		snprintf(err, errcap, "serial %u was already issued (see "
		    "lkey-keygen ledger --serial %u)", t->serial, t->serial);
		goto out;
	}
	t->key_id = key->pub.id;	/* as lkey_issue writes it */
	st = lkey_issue(key, t, text, LKEY_B64_TEXT_MAX);
	if (st != LKEY_ISSUE_OK) {
		snprintf(err, errcap, "%s", lkey_issue_status_text(st));
		goto out;
	}
	e.time = (int64_t)time(NULL);
	e.order = order;
	e.lic = t;
	e.key = text;
	if (ledger_append(lg, &e, 1, err, errcap) != 0) {
		sodium_memzero(text, LKEY_B64_TEXT_MAX);
		goto out;
	}
	rc = 0;
out:
	if (ledger_unlock(lg, e2, sizeof(e2)) != 0 && rc == 0) {
		snprintf(err, errcap, "%s", e2);
		rc = -1;
	}
	return rc;
}

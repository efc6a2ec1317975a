/*
 * fz_ledger.c - one line of a JSON-lines ledger as `ledger import` reads it,
 * in the format of lkey 2 or of `ledger export` (keygen/lib/ledger_line.c:
 * ledger_line_parse)
 *
 * The input up to its first '\n' is the line. Checked: a refusal says why
 * in one line; an accepted line gives a record the ledger takes (its
 * checks pass) whose columns, written as the ledger writes them and read
 * back, give the same record; reading the line again gives the same.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ledger_int.h"
#include "ledger_line.h"
#include "targets.h"

#define ERR_CAP 1024U

/* Two records hold the same terms and the same texts. */
static void
check_same(const ledger_rec *a, const ledger_rec *b)
{
	const lkey_license *x = &a->lic, *y = &b->lic;

	FUZZ_CHECK(a->time == b->time);
	FUZZ_CHECK((a->order == NULL) == (b->order == NULL));
	FUZZ_CHECK(a->order == NULL || strcmp(a->order, b->order) == 0);
	FUZZ_CHECK(strcmp(a->key, b->key) == 0);
	FUZZ_CHECK(a->replaces == b->replaces);
	FUZZ_CHECK(!a->replaces || (a->replaces_key_id == b->replaces_key_id &&
	    a->replaces_serial == b->replaces_serial));
	FUZZ_CHECK(x->version == y->version && x->key_id == y->key_id &&
	    x->serial == y->serial && x->product == y->product &&
	    x->edition == y->edition && x->seats == y->seats &&
	    x->starts == y->starts && x->expires == y->expires &&
	    x->maintenance == y->maintenance && x->issued == y->issued &&
	    x->features == y->features &&
	    x->maintenance_features == y->maintenance_features &&
	    x->grace_days == y->grace_days &&
	    x->notice_days == y->notice_days && x->trial == y->trial &&
	    x->host_bound == y->host_bound);
	FUZZ_CHECK(x->licensee_len == y->licensee_len &&
	    memcmp(x->licensee, y->licensee, x->licensee_len) == 0);
	FUZZ_CHECK(memcmp(x->module_seats, y->module_seats,
	    sizeof x->module_seats) == 0);
	FUZZ_CHECK(!x->host_bound || memcmp(x->host, y->host,
	    sizeof x->host) == 0);
}

int
fuzz_ledger(const uint8_t *data, size_t size)
{
	struct ledger_line *a, *b;
	struct ledger_rec_text t;
	ledger_rec back;
	const char *line = (const char *)data;
	const uint8_t *nl = memchr(data, '\n', size);
	size_t len = nl != NULL ? (size_t)(nl - data) : size;
	char err[ERR_CAP];
	int rc;

	a = malloc(sizeof *a);
	b = malloc(sizeof *b);
	FUZZ_CHECK(a != NULL && b != NULL);
	err[0] = '\0';
	rc = ledger_line_parse(line, len, a, err, sizeof err);
	FUZZ_CHECK(rc == 0 || rc == -1);
	if (rc != 0) {
		FUZZ_CHECK(err[0] != '\0' && strchr(err, '\n') == NULL);
		goto out;
	}
	FUZZ_CHECK(a->rec.key != NULL && a->rec.key[0] != '\0');
	FUZZ_CHECK(ledger_rec_refused(&a->rec, err, sizeof err) == 0);
	/* the columns as the ledger writes them, read back */
	ledger_rec_text_of(&a->rec, &t);
	memset(&back, 0, sizeof back);
	FUZZ_CHECK(ledger_rec_from_row(t.p, &back));
	check_same(&a->rec, &back);
	/* the same line read again */
	FUZZ_CHECK(ledger_line_parse(line, len, b, err, sizeof err) == 0);
	check_same(&a->rec, &b->rec);
out:
	free(a);
	free(b);
	return 0;
}

/*
 * ledger_line.c - the ledger line of an issued key
 *
 * Numbers, not catalog names, which may change; every text checked as
 * UTF-8 without a NUL byte, and every line whole within LEDGER_LINE_MAX,
 * so that what one program records every reader takes the same way.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "jsonout.h"
#include "ledger_int.h"
#include "msg.h"

/* "9999-12-31T23:59:59Z" is the last time written: 253402300799. */
#define TIME_MAX INT64_C(253402300799)
/* "9999-12-31T23:59:59Z" and its NUL, with room the compiler can see. */
#define TIME_TEXT_CAP 32U
/* "31=16777214," at most 32 times. */
#define MODULES_CAP 512U

/* "2026-11-23T11:22:53Z": when an entry was recorded, in UTC. */
static void
time_text(int64_t t, char out[TIME_TEXT_CAP])
{
	char day[11];
	int64_t sod = t % 86400;

	lkey_day_format(lkey_day_from_unix(t), day);
	(void)snprintf(out, TIME_TEXT_CAP, "%.10sT%02d:%02d:%02dZ", day,
	    (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
}

/* "2=5,3=10": module (feature bit) = its own seat count. */
static void
module_text(const lkey_license *lic, char out[MODULES_CAP])
{
	size_t len = 0;
	uint32_t bit;
	int n;

	out[0] = '\0';
	for (bit = 0; bit < LKEY_FEATURES_MAX; bit++) {
		if (lic->module_seats[bit] == 0)
			continue;
		n = snprintf(out + len, MODULES_CAP - len, "%s%" PRIu32 "=%"
		    PRIu32, len > 0 ? "," : "", bit, lic->module_seats[bit]);
		if (n > 0)
			len += (size_t)n;
	}
}

_Static_assert(LKEY_FEATURES_MAX * sizeof(",31=4294967295") < MODULES_CAP,
    "module seats fit");

/* What no line may hold, whatever else it says. */
static int
entry_refused(const ledger_entry *e, char *err, size_t errcap)
{
	const lkey_license *lic = e->lic;

	if (lic == NULL || e->key == NULL || e->key[0] == '\0')
		return msg_fail(err, errcap, "an entry without a licence or a "
		    "key");
	if (e->time < 0 || e->time > TIME_MAX)
		return msg_fail(err, errcap, "serial %" PRIu32 ": time %" PRId64
		    " is not between 1970 and 9999", lic->serial, e->time);
	if (e->order != NULL && strlen(e->order) > LEDGER_ORDER_MAX)
		return msg_fail(err, errcap, "serial %" PRIu32 ": the order id "
		    "is longer than %u bytes", lic->serial, LEDGER_ORDER_MAX);
	if (lic->licensee_len > LKEY_LICENSEE_MAX)
		return msg_fail(err, errcap, "serial %" PRIu32 ": the licensee "
		    "is longer than %u bytes", lic->serial, LKEY_LICENSEE_MAX);
	return 0;
}

/*
 * A text field, or null for none; false if it is not UTF-8 or holds a NUL
 * byte, which no reader of the ledger should have to face.
 */
static bool
text_field(jsonout *j, const char *name, const char *s, size_t len)
{
	if (s == NULL) {
		jsonout_null(j, name);
		return true;
	}
	if (memchr(s, '\0', len) != NULL)
		return false;
	jsonout_strn(j, name, s, len);
	return (j->err & JSONOUT_ERR_TEXT) == 0;
}

/* The fields of entry e, in the order ledger.h gives. */
static int
write_entry(const ledger_entry *e, jsonout *j, char *err, size_t errcap)
{
	const lkey_license *lic = e->lic;
	char when[TIME_TEXT_CAP], id[9], modules[MODULES_CAP];
	char host[CLI_HOST_HEX];

	time_text(e->time, when);
	(void)snprintf(id, sizeof id, "%08" PRIx32, lic->key_id);
	jsonout_object(j, NULL);
	jsonout_str(j, "time", when);
	jsonout_str(j, "key_id", id);
	jsonout_uint(j, "serial", lic->serial);
	if (!text_field(j, "order", e->order, e->order != NULL ?
	    strlen(e->order) : 0))
		return msg_fail(err, errcap, "serial %" PRIu32 ": the order id "
		    "is not UTF-8 text", lic->serial);
	jsonout_uint(j, "product", lic->product);
	jsonout_uint(j, "edition", lic->edition);
	if (lic->seats == LKEY_SEATS_UNLIMITED)
		jsonout_str(j, "seats", "unlimited");
	else
		jsonout_uint(j, "seats", lic->seats);
	jsonout_day(j, "starts", lic->starts);
	jsonout_day(j, "expires", lic->expires);
	jsonout_day(j, "maintenance", lic->maintenance);
	jsonout_uint(j, "features", lic->features);
	jsonout_uint(j, "maintenance_features", lic->maintenance_features);
	if (!text_field(j, "licensee", lic->licensee_len > 0 ? lic->licensee :
	    NULL, lic->licensee_len))
		return msg_fail(err, errcap, "serial %" PRIu32 ": the licensee "
		    "is not UTF-8 text", lic->serial);
	jsonout_day(j, "issued", lic->issued);
	jsonout_uint(j, "grace_days", lic->grace_days);
	jsonout_uint(j, "notice_days", lic->notice_days);
	jsonout_bool(j, "trial", lic->trial);
	module_text(lic, modules);
	jsonout_str(j, "module_seats", modules);
	cli_host_format(lic->host, host);
	text_field(j, "host", lic->host_bound ? host : NULL, strlen(host));
	if (!text_field(j, "key", e->key, strlen(e->key)))
		return msg_fail(err, errcap, "serial %" PRIu32 ": the key is "
		    "not text", lic->serial);
	jsonout_close(j);
	return 0;
}

int
ledger_line(const ledger_entry *e, char line[LEDGER_LINE_MAX], size_t *len,
    char *err, size_t errcap)
{
	jsonout j;
	size_t n;

	*len = 0;
	if (entry_refused(e, err, errcap) != 0)
		return -1;
	/* The line and its '\n' fit LEDGER_LINE_MAX: cap less the NUL. */
	jsonout_init(&j, line, LEDGER_LINE_MAX);
	if (write_entry(e, &j, err, errcap) != 0)
		return -1;
	if ((n = jsonout_finish(&j)) == 0)
		return msg_fail(err, errcap, "serial %" PRIu32 ": the ledger "
		    "line would be longer than %u bytes", e->lic->serial,
		    LEDGER_LINE_MAX);
	line[n++] = '\n';
	*len = n;
	return 0;
}

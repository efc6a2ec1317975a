/*
 * ledger_import.c - `ledger import`: the JSON-lines ledger of lkey 1 and 2
 * read into the database (ledger_line.h gives the format)
 *
 * Every line is checked whole before anything is recorded, and each
 * term against the key itself, so that a ledger edited by hand cannot
 * record terms its key does not carry; a reissue would sign them. One
 * transaction: all lines or none. A key already in the ledger with the
 * same record is left alone, so importing twice changes nothing.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "codec.h"
#include "ledger_int.h"
#include "ledger_line.h"
#include "msg.h"
#include "num.h"
#include "utf8.h"
#include "wire.h"

static const char sql_set_next[] =
	"UPDATE meta SET next_serial = CAST(? AS BIGINT) WHERE id = 1";

/* The names of the format, each allowed once (jsonline_parse checks). */
static const char *const known[] = {
	"time", "key_id", "serial", "order", "product", "edition", "seats",
	"starts", "expires", "maintenance", "features", "maintenance_features",
	"licensee", "issued", "grace_days", "notice_days", "trial",
	"module_seats", "host", "key",
};

/* A whole number field, from min to max. */
static int
get_num(const jl_object *o, const char *name, uint64_t min, uint64_t max,
    bool *has, uint64_t *v, char *err, size_t errcap)
{
	const jl_field *f = jsonline_get(o, name);

	*has = f != NULL;
	if (f == NULL)
		return 0;
	if (f->type != JL_NUMBER || num_parse(f->value, f->len, min, max,
	    v) != NUM_OK)
		return msg_fail(err, errcap, "\"%s\" is not a whole number "
		    "from %" PRIu64 " to %" PRIu64, name, min, max);
	return 0;
}

/* A day field; "never" too where never_ok. */
static int
get_day(const jl_object *o, const char *name, bool never_ok, bool *has,
    lkey_day *d, char *err, size_t errcap)
{
	const jl_field *f = jsonline_get(o, name);

	*has = f != NULL;
	if (f == NULL)
		return 0;
	if (f->type == JL_STRING && never_ok &&
	    strcmp(f->value, "never") == 0) {
		*d = LKEY_NEVER;
		return 0;
	}
	if (f->type != JL_STRING || !lkey_day_parse(f->value, d) ||
	    *d > LKEY_DAY_MAX)
		return msg_fail(err, errcap, "\"%s\" is not a day YYYY-MM-DD "
		    "up to 2149-06-05%s", name, never_ok ? " or \"never\"" :
		    "");
	return 0;
}

/* A field the line gives must say what the key says. */
static int
agree(const char *name, bool has, uint64_t line, uint64_t key, char *err,
    size_t errcap)
{
	if (!has || line == key)
		return 0;
	return msg_fail(err, errcap, "\"%s\" is %" PRIu64 " but the key says %"
	    PRIu64, name, line, key);
}

static int
agree_day(const char *name, bool has, lkey_day line, lkey_day key,
    char *err, size_t errcap)
{
	char a[11], b[11];

	if (!has || line == key)
		return 0;
	lkey_day_format(line, a);
	lkey_day_format(key, b);
	return msg_fail(err, errcap, "\"%s\" is %s but the key says %s", name,
	    a, b);
}

/* The key's text: canonical base64 of a key, its payload parsed. */
static int
read_key(const jl_field *f, lkey_license *lic, char *err, size_t errcap)
{
	uint8_t raw[LKEY_KEY_MAX];
	size_t n, i;

	if (f == NULL)
		return msg_fail(err, errcap, "no \"key\"");
	if (f->type != JL_STRING || f->len == 0)
		return msg_fail(err, errcap, "\"key\" is not a key's text");
	for (i = 0; i < f->len; i++)
		if (lkey__b64_is_space((unsigned char)f->value[i]))
			return msg_fail(err, errcap, "\"key\" holds white "
			    "space");
	if (lkey__b64_decode(f->value, f->len, raw, sizeof raw, &n,
	    NULL) != LKEY_OK)
		return msg_fail(err, errcap, "\"key\" is not the canonical "
		    "base64 of a key");
	if (n < WIRE_FIXED_BYTES + LKEY_SIGNATUREBYTES ||
	    lkey__wire_parse(raw, n - LKEY_SIGNATUREBYTES, lic, NULL) !=
	    LKEY_OK)
		return msg_fail(err, errcap, "\"key\" is not a licence key "
		    "lkey reads");
	return 0;
}

/* "time": when it was recorded. */
static int
read_time(const jl_object *o, int64_t *t, char *err, size_t errcap)
{
	const jl_field *f = jsonline_get(o, "time");

	if (f == NULL)
		return msg_fail(err, errcap, "no \"time\"");
	if (f->type != JL_STRING || !ledger_time_parse(f->value, t))
		return msg_fail(err, errcap, "\"time\" is not "
		    "YYYY-MM-DDTHH:MM:SSZ");
	return 0;
}

/* The text fields: "order", "licensee", "host", "module_seats". */
static int
read_texts(const jl_object *o, const lkey_license *key, ledger_rec *r,
    char *err, size_t errcap)
{
	const jl_field *f;
	lkey_license m;
	uint8_t host[LKEY_HOST_ID_BYTES];

	r->order = NULL;
	if ((f = jsonline_get(o, "order")) != NULL && f->type != JL_NULL) {
		if (f->type != JL_STRING)
			return msg_fail(err, errcap, "\"order\" is not a "
			    "string or null");
		r->order = f->value;
	}
	if ((f = jsonline_get(o, "licensee")) != NULL) {
		if (f->type != JL_NULL && f->type != JL_STRING)
			return msg_fail(err, errcap, "\"licensee\" is not a "
			    "string or null");
		if ((f->type == JL_NULL ? 0 : f->len) != key->licensee_len ||
		    (f->type == JL_STRING && memcmp(f->value, key->licensee,
		    f->len) != 0))
			return msg_fail(err, errcap, "\"licensee\" is not the "
			    "key's licensee");
	}
	if ((f = jsonline_get(o, "host")) != NULL) {
		if (f->type == JL_STRING) {
			if (cli_host_parse(f->value, host) != 0)
				return msg_fail(err, errcap, "\"host\" is not "
				    "16 lowercase hex digits or null");
			if (!key->host_bound || memcmp(host, key->host,
			    sizeof host) != 0)
				return msg_fail(err, errcap, "\"host\" is not "
				    "the key's host id");
		} else if (f->type != JL_NULL) {
			return msg_fail(err, errcap, "\"host\" is not 16 "
			    "lowercase hex digits or null");
		} else if (key->host_bound) {
			return msg_fail(err, errcap, "\"host\" is null but the "
			    "key is bound to a host");
		}
	}
	if ((f = jsonline_get(o, "module_seats")) != NULL) {
		if (f->type != JL_STRING ||
		    !ledger_module_parse(f->value, f->len, &m))
			return msg_fail(err, errcap, "\"module_seats\" is not "
			    "BIT=SEATS,... (bits rising) or \"\"");
		if (memcmp(m.module_seats, key->module_seats,
		    sizeof m.module_seats) != 0)
			return msg_fail(err, errcap, "\"module_seats\" is not "
			    "the key's");
	}
	return 0;
}

int
ledger_line_parse(const char *line, size_t len, struct ledger_line *out,
    char *err, size_t errcap)
{
	const jl_object *o = &out->obj;
	const jl_field *f;
	lkey_license *k = &out->rec.lic;
	char jerr[400];
	bool has;
	uint64_t v;
	lkey_day d;
	size_t i, j;

	memset(&out->rec, 0, sizeof out->rec);
	if (len >= LEDGER_LINE_MAX)
		return msg_fail(err, errcap, "longer than %u bytes",
		    LEDGER_LINE_MAX - 1U);
	if (jsonline_parse(line, len, out->buf, sizeof out->buf, &out->obj,
	    jerr, sizeof jerr) != 0)
		return msg_fail(err, errcap, "%s", jerr);
	for (i = 0; i < o->n; i++) {
		for (j = 0; j < sizeof known / sizeof known[0]; j++)
			if (strcmp(o->f[i].name, known[j]) == 0)
				break;
		if (j == sizeof known / sizeof known[0]) {
			char show[MSG_SHOW_CAP];

			return msg_fail(err, errcap, "unknown field \"%s\"",
			    msg_show(o->f[i].name, strlen(o->f[i].name),
			    show));
		}
	}
	if (read_time(o, &out->rec.time, err, errcap) != 0 ||
	    read_key(jsonline_get(o, "key"), k, err, errcap) != 0)
		return -1;
	out->rec.key = jsonline_get(o, "key")->value;
	if ((f = jsonline_get(o, "serial")) == NULL)
		return msg_fail(err, errcap, "no \"serial\"");
	if (get_num(o, "serial", 0, UINT32_MAX, &has, &v, err, errcap) != 0 ||
	    agree("serial", has, v, k->serial, err, errcap) != 0)
		return -1;
	if ((f = jsonline_get(o, "key_id")) != NULL) {
		uint32_t id;

		if (f->type != JL_STRING || num_key_id(f->value, f->len,
		    &id) != 0)
			return msg_fail(err, errcap, "\"key_id\" is not 8 "
			    "lowercase hex digits");
		if (id != k->key_id)
			return msg_fail(err, errcap, "\"key_id\" is %s but the "
			    "key says %08" PRIx32, f->value, k->key_id);
	}
	if (get_num(o, "product", 1, 65535, &has, &v, err, errcap) != 0 ||
	    agree("product", has, v, k->product, err, errcap) != 0 ||
	    get_num(o, "edition", 0, 255, &has, &v, err, errcap) != 0 ||
	    agree("edition", has, v, k->edition, err, errcap) != 0)
		return -1;
	if ((f = jsonline_get(o, "seats")) != NULL && f->type == JL_STRING) {
		if (strcmp(f->value, "unlimited") != 0)
			return msg_fail(err, errcap, "\"seats\" is not a whole "
			    "number or \"unlimited\"");
		if (k->seats != LKEY_SEATS_UNLIMITED)
			return msg_fail(err, errcap, "\"seats\" is unlimited "
			    "but the key says %" PRIu32, k->seats);
	} else if (get_num(o, "seats", 1, LKEY_SEATS_MAX, &has, &v, err,
	    errcap) != 0 || agree("seats", has, v, k->seats, err,
	    errcap) != 0) {
		return -1;
	}
	if (get_day(o, "starts", false, &has, &d, err, errcap) != 0 ||
	    agree_day("starts", has, d, k->starts, err, errcap) != 0 ||
	    get_day(o, "expires", true, &has, &d, err, errcap) != 0 ||
	    agree_day("expires", has, d, k->expires, err, errcap) != 0 ||
	    get_day(o, "maintenance", true, &has, &d, err, errcap) != 0 ||
	    agree_day("maintenance", has, d, k->maintenance, err,
	    errcap) != 0 ||
	    get_day(o, "issued", false, &has, &d, err, errcap) != 0 ||
	    agree_day("issued", has, d, k->issued, err, errcap) != 0 ||
	    get_num(o, "features", 0, UINT32_MAX, &has, &v, err,
	    errcap) != 0 ||
	    agree("features", has, v, k->features, err, errcap) != 0 ||
	    get_num(o, "maintenance_features", 0, UINT32_MAX, &has, &v, err,
	    errcap) != 0 ||
	    agree("maintenance_features", has, v, k->maintenance_features,
	    err, errcap) != 0 ||
	    get_num(o, "grace_days", 0, 365, &has, &v, err, errcap) != 0 ||
	    agree("grace_days", has, v, k->grace_days, err, errcap) != 0 ||
	    get_num(o, "notice_days", 0, 365, &has, &v, err, errcap) != 0 ||
	    agree("notice_days", has, v, k->notice_days, err, errcap) != 0)
		return -1;
	if ((f = jsonline_get(o, "trial")) != NULL) {
		if (f->type != JL_TRUE && f->type != JL_FALSE)
			return msg_fail(err, errcap, "\"trial\" is not true or "
			    "false");
		if ((f->type == JL_TRUE) != k->trial)
			return msg_fail(err, errcap, "\"trial\" is %s but the "
			    "key says %s", f->type == JL_TRUE ? "true" :
			    "false", k->trial ? "true" : "false");
	}
	if (read_texts(o, k, &out->rec, err, errcap) != 0)
		return -1;
	return ledger_rec_refused(&out->rec, err, errcap);
}

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

int
ledger_import(ledger *l, FILE *in, const char *name, unsigned long *added,
    unsigned long *same, char *err, size_t errcap)
{
	struct {
		struct ledger_line line;
		char text[LEDGER_LINE_MAX + 1];
	} im;
	char why[512], num[LEDGER_NUM_CAP];
	const char *p[1] = { num };
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
		    sizeof why) != 0)
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
	if (high > l->next) {
		(void)snprintf(num, sizeof num, "%" PRIu64, high);
		if (db_query(l->d, sql_set_next, p, 1, NULL, NULL, err,
		    errcap) < 0)
			goto fail;
	}
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

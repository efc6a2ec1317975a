/*
 * ledger_line.c - one line of a ledger in JSON lines as `ledger import`
 * reads it: the ledger of lkey 1 and 2, or what `ledger export` writes
 * (ledger_line.h gives both formats)
 *
 * Every term a line gives is checked against the key's own bytes, so that
 * a ledger edited by hand cannot record terms its key does not carry: a
 * reissue would sign them.
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
#include "wire.h"

/* The names of each format, each allowed once (jsonline_read checks). */
static const char *const names_lkey2[] = {
	"time", "key_id", "serial", "order", "product", "edition", "seats",
	"starts", "expires", "maintenance", "features", "maintenance_features",
	"licensee", "issued", "grace_days", "notice_days", "trial",
	"module_seats", "host", "key",
};
static const char *const names_export[] = {
	"product", "edition", "seats", "starts", "license_expires",
	"maintenance_expires", "serial", "features", "maintenance_features",
	"licensee", "key_id", "host", "issued", "trial", "grace_days",
	"notice_days", "module_seats", "order", "key", "recorded", "replaces",
	"revoked", "replaced",
};

/* The refusal of a catalog's name where the ledger needs the number. */
static int
catalog_name(const char *name, const char *value, char *err, size_t errcap)
{
	char show[MSG_SHOW_CAP];

	return msg_fail(err, errcap, "\"%s\" holds a name (%s), not a number: "
	    "export without --catalog to import", name,
	    msg_show(value, strlen(value), show));
}

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

/* A product or edition: a number; in an export a string is a catalog's
 * name. */
static int
get_code(const struct ledger_line *l, const char *name, uint64_t min,
    uint64_t max, bool *has, uint64_t *v, char *err, size_t errcap)
{
	const jl_field *f = jsonline_get(&l->obj, name);

	if (f != NULL && f->type == JL_STRING &&
	    l->format == LEDGER_LINE_EXPORT)
		return catalog_name(name, f->value, err, errcap);
	return get_num(&l->obj, name, min, max, has, v, err, errcap);
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

/* The index of field f of l's object, for its token. */
static const jl_token *
token_of(const struct ledger_line *l, const jl_field *f)
{
	return &l->tok[l->at[(size_t)(f - l->obj.f)]];
}

/*
 * A set of features: in the lkey 2 format a bit mask, in an export a list
 * of bit numbers, rising (as lkey-verify --json prints them without a
 * catalog).
 */
static int
get_bits(const struct ledger_line *l, const char *name, bool *has,
    uint64_t *v, char *err, size_t errcap)
{
	const jl_field *f = jsonline_get(&l->obj, name);
	const jl_token *t;
	uint64_t bit;
	size_t i;
	int prev = -1;

	if (l->format == LEDGER_LINE_LKEY2)
		return get_num(&l->obj, name, 0, UINT32_MAX, has, v, err,
		    errcap);
	*has = f != NULL;
	*v = 0;
	if (f == NULL)
		return 0;
	if ((int)f->type != JL_ARRAY)
		return msg_fail(err, errcap, "\"%s\" is not a list of feature "
		    "bits", name);
	t = token_of(l, f);
	for (i = 1; i <= t->count; i++) {
		if (t[i].type == JL_STRING)
			return catalog_name(name, t[i].value, err, errcap);
		if (t[i].type != JL_NUMBER || num_parse(t[i].value, t[i].len,
		    0, LKEY_FEATURES_MAX - 1U, &bit) != NUM_OK ||
		    (int)bit <= prev)
			return msg_fail(err, errcap, "\"%s\" is not a list of "
			    "feature bits from 0 to %u, rising", name,
			    LKEY_FEATURES_MAX - 1U);
		*v |= UINT64_C(1) << bit;
		prev = (int)bit;
	}
	return 0;
}

/* Module seats: "2=5,3=10" in the lkey 2 format, {"2":5,"3":10} in an
 * export; into m. */
static int
get_modules(const struct ledger_line *l, bool *has, lkey_license *m,
    char *err, size_t errcap)
{
	const jl_field *f = jsonline_get(&l->obj, "module_seats");
	const jl_token *t;
	uint64_t bit, seats;
	size_t i;
	int prev = -1;

	memset(m->module_seats, 0, sizeof m->module_seats);
	*has = f != NULL;
	if (f == NULL)
		return 0;
	if (l->format == LEDGER_LINE_LKEY2) {
		if (f->type != JL_STRING ||
		    !ledger_module_parse(f->value, f->len, m))
			return msg_fail(err, errcap, "\"module_seats\" is not "
			    "BIT=SEATS,... (bits rising) or \"\"");
		return 0;
	}
	if ((int)f->type != JL_OBJECT)
		return msg_fail(err, errcap, "\"module_seats\" is not an "
		    "object of feature bits and seats");
	t = token_of(l, f);
	for (i = 1; i <= t->count; i++) {
		if (num_text(t[i].name, 0, LKEY_FEATURES_MAX - 1U,
		    &bit) != NUM_OK) {
			if (t[i].name[0] < '0' || t[i].name[0] > '9')
				return catalog_name("module_seats", t[i].name,
				    err, errcap);
			return msg_fail(err, errcap, "\"module_seats\": a "
			    "feature bit is not from 0 to %u",
			    LKEY_FEATURES_MAX - 1U);
		}
		if ((int)bit <= prev)
			return msg_fail(err, errcap, "\"module_seats\": the "
			    "feature bits are not rising");
		if (t[i].type != JL_NUMBER || num_parse(t[i].value, t[i].len,
		    1, LKEY_SEATS_MAX, &seats) != NUM_OK)
			return msg_fail(err, errcap, "\"module_seats\": the "
			    "seats of feature %" PRIu64 " are not a whole "
			    "number from 1 to %u", bit, LKEY_SEATS_MAX);
		m->module_seats[bit] = (uint32_t)seats;
		prev = (int)bit;
	}
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

/* "time" or "recorded": when it was recorded. */
static int
read_time(const jl_object *o, const char *name, int64_t *t, char *err,
    size_t errcap)
{
	const jl_field *f = jsonline_get(o, name);

	if (f == NULL)
		return msg_fail(err, errcap, "no \"%s\"", name);
	if (f->type != JL_STRING || !ledger_time_parse(f->value, t))
		return msg_fail(err, errcap, "\"%s\" is not "
		    "YYYY-MM-DDTHH:MM:SSZ", name);
	return 0;
}

/* The text fields: "order", "licensee", "host". */
static int
read_texts(const jl_object *o, const lkey_license *key, ledger_rec *r,
    char *err, size_t errcap)
{
	const jl_field *f;
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
			if (cli_host_parse_exact(f->value, host) != 0)
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
	return 0;
}

/*
 * What only an export holds: "replaces" (kept), "revoked" and "replaced"
 * (derived from the rest of a ledger: their types checked, not kept).
 */
static int
read_export(const jl_object *o, ledger_rec *r, char *err, size_t errcap)
{
	const jl_field *f;
	const char *colon;
	uint64_t serial;
	bool has;

	r->replaces = false;
	if ((f = jsonline_get(o, "replaces")) != NULL && f->type != JL_NULL) {
		colon = f->type == JL_STRING ? strchr(f->value, ':') : NULL;
		if (colon == NULL || num_key_id(f->value,
		    (size_t)(colon - f->value), &r->replaces_key_id) != 0 ||
		    num_text(colon + 1, 0, UINT32_MAX, &serial) != NUM_OK)
			return msg_fail(err, errcap, "\"replaces\" is not "
			    "KEYID:SERIAL (8 lowercase hex digits, a serial) "
			    "or null");
		r->replaces = true;
		r->replaces_serial = (uint32_t)serial;
	}
	if ((f = jsonline_get(o, "revoked")) != NULL && f->type != JL_NULL &&
	    get_num(o, "revoked", 1, UINT32_MAX, &has, &serial, err,
	    errcap) != 0)
		return msg_fail(err, errcap, "\"revoked\" is not a list's "
		    "sequence or null");
	if ((f = jsonline_get(o, "replaced")) != NULL &&
	    f->type != JL_TRUE && f->type != JL_FALSE)
		return msg_fail(err, errcap, "\"replaced\" is not true or "
		    "false");
	return 0;
}

/* Reads the line's fields into l->obj and l->at, and tells its format. */
static int
read_fields(const char *line, size_t len, struct ledger_line *l, char *err,
    size_t errcap)
{
	static const jl_rules rules = { 2, true };
	const char *const *names;
	char show[MSG_SHOW_CAP];
	jl_error e;
	size_t i = 0, n, k, nnames;

	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i == len || line[i] != '{')
		return msg_fail(err, errcap, "not a JSON object");
	n = jsonline_read(line, len, &rules, l->tok, LEDGER_LINE_TOKENS,
	    l->buf, sizeof l->buf, &e);
	if (n == 0) {
		if (e.fault == JL_TOKENS)
			return msg_fail(err, errcap, "more values than a "
			    "ledger line holds");
		if (e.fault == JL_DUPLICATE)
			return msg_fail(err, errcap, "%s", e.what);
		if (e.fault == JL_DEPTH)
			return msg_fail(err, errcap, "column %zu: nested "
			    "deeper than a ledger line is", e.at + 1);
		return msg_fail(err, errcap, "column %zu: %s", e.at + 1,
		    e.what);
	}
	if (l->tok[0].count > JSONLINE_FIELDS_MAX)
		return msg_fail(err, errcap, "more than %d fields",
		    JSONLINE_FIELDS_MAX);
	for (k = 1, i = 0; k < n; k = l->tok[k].end, i++) {
		l->obj.f[i].name = l->tok[k].name;
		l->obj.f[i].type = (jl_type)l->tok[k].type;
		l->obj.f[i].value = l->tok[k].value;
		l->obj.f[i].len = l->tok[k].len;
		l->at[i] = k;
	}
	l->obj.n = i;
	if (jsonline_get(&l->obj, "recorded") != NULL) {
		if (jsonline_get(&l->obj, "time") != NULL)
			return msg_fail(err, errcap, "both \"time\" (a ledger "
			    "of lkey 2) and \"recorded\" (ledger export): "
			    "not one format");
		l->format = LEDGER_LINE_EXPORT;
		names = names_export;
		nnames = sizeof names_export / sizeof names_export[0];
	} else {
		l->format = LEDGER_LINE_LKEY2;
		names = names_lkey2;
		nnames = sizeof names_lkey2 / sizeof names_lkey2[0];
	}
	for (i = 0; i < l->obj.n; i++) {
		for (k = 0; k < nnames; k++)
			if (strcmp(l->obj.f[i].name, names[k]) == 0)
				break;
		if (k == nnames)
			return msg_fail(err, errcap, "unknown field \"%s\"",
			    msg_show(l->obj.f[i].name,
			    strlen(l->obj.f[i].name), show));
	}
	return 0;
}

int
ledger_line_parse(const char *line, size_t len, struct ledger_line *out,
    char *err, size_t errcap)
{
	const jl_object *o = &out->obj;
	const jl_field *f;
	lkey_license *k = &out->rec.lic, m;
	bool has, ex;
	uint64_t v;
	lkey_day d;

	memset(&out->rec, 0, sizeof out->rec);
	memset(&out->obj, 0, sizeof out->obj);
	if (len >= LEDGER_LINE_MAX)
		return msg_fail(err, errcap, "longer than %u bytes",
		    LEDGER_LINE_MAX - 1U);
	if (read_fields(line, len, out, err, errcap) != 0)
		return -1;
	ex = out->format == LEDGER_LINE_EXPORT;
	if (read_time(o, ex ? "recorded" : "time", &out->rec.time, err,
	    errcap) != 0 ||
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
	if (get_code(out, "product", 1, 65535, &has, &v, err, errcap) != 0 ||
	    agree("product", has, v, k->product, err, errcap) != 0 ||
	    get_code(out, "edition", 0, 255, &has, &v, err, errcap) != 0 ||
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
	    get_day(o, ex ? "license_expires" : "expires", true, &has, &d, err,
	    errcap) != 0 ||
	    agree_day(ex ? "license_expires" : "expires", has, d, k->expires,
	    err, errcap) != 0 ||
	    get_day(o, ex ? "maintenance_expires" : "maintenance", true, &has,
	    &d, err, errcap) != 0 ||
	    agree_day(ex ? "maintenance_expires" : "maintenance", has, d,
	    k->maintenance, err, errcap) != 0 ||
	    get_day(o, "issued", false, &has, &d, err, errcap) != 0 ||
	    agree_day("issued", has, d, k->issued, err, errcap) != 0 ||
	    get_bits(out, "features", &has, &v, err, errcap) != 0 ||
	    agree("features", has, v, k->features, err, errcap) != 0 ||
	    get_bits(out, "maintenance_features", &has, &v, err,
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
	if (get_modules(out, &has, &m, err, errcap) != 0)
		return -1;
	if (has && memcmp(m.module_seats, k->module_seats,
	    sizeof m.module_seats) != 0)
		return msg_fail(err, errcap, "\"module_seats\" is not the "
		    "key's");
	if (read_texts(o, k, &out->rec, err, errcap) != 0 ||
	    (ex && read_export(o, &out->rec, err, errcap) != 0))
		return -1;
	return ledger_rec_refused(&out->rec, err, errcap);
}

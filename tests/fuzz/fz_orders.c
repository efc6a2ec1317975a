/*
 * fz_orders.c - orders for `lkey-keygen batch` (keygen/lib/orders.c) and the
 * one-line JSON parser under them and the ledger (common/jsonline.c)
 *
 * The input is read as an orders file three times, as `batch` reads it:
 * --format csv, --format json and by its first line; every row goes
 * through order_terms with the demo catalog. The whole input is also one
 * JSON line for jsonline_parse, in a buffer of exactly the size promised.
 *
 * Checked: reading ends, with line numbers that only grow, and a fatal
 * error stays fatal; a bad row leaves its fields empty; accepted terms pass
 * the issuer's own check, read the same whether the messages name fields
 * or options, and survive build_payload and lkey__wire_parse; a parsed JSON
 * object has distinct names and values that quote and parse back the same.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "catalog.h"
#include "jsonline.h"
#include "lkey.h"
#include "lkey_vendor.h"
#include "orders.h"
#include "targets.h"
#include "wire.h"

#define ERR_CAP 512U
/* A quoted value: 6 bytes for each byte at worst, quotes, NUL. */
#define QUOTE_CAP(len) (6U * (len) + 3U)

/* keys/catalog without its comments. */
static const char demo_catalog[] =
    "product  timetracker   1\n"
    "product  timelog       2\n"
    "edition  basic         1\n"
    "edition  professional  2\n"
    "edition  enterprise    3\n"
    "feature  desktop       0  maintenance\n"
    "feature  reports       1\n"
    "feature  payroll       2\n"
    "feature  mobile        3  maintenance\n";

/* Parsed on first use and never changed after. */
static catalog cat;
static bool cat_ready;

static const catalog *
demo(void)
{
	char err[ERR_CAP];

	if (!cat_ready) {
		FUZZ_CHECK(catalog_parse(demo_catalog, sizeof(demo_catalog) - 1U,
		    &cat, err, sizeof(err)) == 0);
		cat_ready = true;
	}
	return &cat;
}

/* ---- one JSON line ----------------------------------------------------- */

/*
 * `{NAME:VALUE}` from two pieces of JSON text parses to one field; line and
 * buf hold cap bytes, room for both pieces and four more.
 */
static void
reparse(const char *name, size_t nlen, const char *value, size_t vlen,
    jl_object *obj, char *buf, size_t cap, char *line)
{
	size_t len = 0;

	line[len++] = '{';
	memcpy(line + len, name, nlen);
	len += nlen;
	line[len++] = ':';
	memcpy(line + len, value, vlen);
	len += vlen;
	line[len++] = '}';
	FUZZ_CHECK(jsonline_parse(line, len, buf, cap, obj, NULL, 0) == 0);
	FUZZ_CHECK(obj->n == 1);
}

/* Each name and value, quoted again, parses to itself. */
static void
check_field(const jl_field *f)
{
	size_t nlen = strlen(f->name), cap, qn, qv;
	char *qname, *qvalue, *line, *buf;
	const char *value = f->value;
	jl_object *obj;

	cap = 2U * QUOTE_CAP(nlen + f->len) + 8U;
	qname = malloc(QUOTE_CAP(nlen));
	qvalue = malloc(QUOTE_CAP(f->len));
	line = malloc(cap);
	buf = malloc(cap);
	obj = malloc(sizeof(*obj));
	FUZZ_CHECK(qname != NULL && qvalue != NULL && line != NULL &&
	    buf != NULL && obj != NULL);

	qn = jsonline_quote(f->name, nlen, qname, QUOTE_CAP(nlen));
	FUZZ_CHECK(qn >= 2U);
	switch (f->type) {
	case JL_STRING:
		FUZZ_CHECK(strlen(f->value) == f->len);
		qv = jsonline_quote(f->value, f->len, qvalue,
		    QUOTE_CAP(f->len));
		FUZZ_CHECK(qv >= 2U);
		value = qvalue;
		break;
	case JL_NUMBER:
		FUZZ_CHECK(f->len > 0 && strlen(f->value) == f->len);
		qv = f->len;
		break;
	default:
		FUZZ_CHECK(f->len == 0 && f->value[0] == '\0');
		value = f->type == JL_TRUE ? "true" : f->type == JL_FALSE ?
		    "false" : "null";
		qv = strlen(value);
		break;
	}
	reparse(qname, qn, value, qv, obj, buf, cap, line);
	FUZZ_CHECK(strcmp(obj->f[0].name, f->name) == 0);
	FUZZ_CHECK(obj->f[0].type == f->type);
	FUZZ_CHECK(obj->f[0].len == f->len);
	FUZZ_CHECK(memcmp(obj->f[0].value, f->value, f->len) == 0);

	free(obj);
	free(buf);
	free(line);
	free(qvalue);
	free(qname);
}

static void
fuzz_jsonline(const char *text, size_t size)
{
	char err[ERR_CAP], *buf;
	jl_object *obj;
	size_t i, j;
	int rc;

	buf = malloc(size + 1U);
	obj = malloc(sizeof(*obj));
	FUZZ_CHECK(buf != NULL && obj != NULL);
	rc = jsonline_parse(text, size, buf, size + 1U, obj, err, sizeof(err));
	if (rc != 0) {
		FUZZ_CHECK(rc == -1 && obj->n == 0);
		FUZZ_CHECK(err[0] != '\0' && strnlen(err, sizeof(err)) <
		    sizeof(err));
	} else {
		FUZZ_CHECK(obj->n <= JSONLINE_FIELDS_MAX);
		for (i = 0; i < obj->n; i++) {
			for (j = 0; j < i; j++)
				FUZZ_CHECK(strcmp(obj->f[i].name,
				    obj->f[j].name) != 0);
			FUZZ_CHECK(jsonline_get(obj, obj->f[i].name) ==
			    &obj->f[i]);
			check_field(&obj->f[i]);
		}
	}
	free(obj);
	free(buf);
}

/* ---- orders ------------------------------------------------------------ */

static void
check_order(const order_fields *f, lkey_day today)
{
	lkey_license t, t2, back;
	uint8_t payload[LKEY_KEY_MAX];
	char err[ERR_CAP];
	const char *why = NULL;
	bool serial_auto, serial_auto2;
	size_t n;
	int rc;

	if (f->order != NULL) {
		err[0] = '\0';
		if (order_id_check(f->order, "order", err, sizeof(err)) != 0)
			FUZZ_CHECK(err[0] != '\0');
	}

	err[0] = '\0';
	rc = order_terms(demo(), f, today, &t, &serial_auto, err,
	    sizeof(err));
	FUZZ_CHECK(order_terms_as(demo(), f, today, true, &t2, &serial_auto2,
	    err, sizeof(err)) == rc);
	if (rc != 0) {
		FUZZ_CHECK(rc == -1 && err[0] != '\0');
		FUZZ_CHECK(!serial_auto && !serial_auto2);
		FUZZ_CHECK(fuzz_all_zero(&t, sizeof(t)));
		FUZZ_CHECK(fuzz_all_zero(&t2, sizeof(t2)));
		return;
	}
	FUZZ_CHECK(memcmp(&t, &t2, sizeof(t)) == 0);
	FUZZ_CHECK(serial_auto == serial_auto2);
	FUZZ_CHECK(!serial_auto || t.serial == 0);
	FUZZ_CHECK(lkey_terms_check(&t, &why) == LKEY_ISSUE_OK);

	/* What batch would sign reads back as these terms. */
	t.version = WIRE_VERSION;
	n = build_payload(&t, payload, sizeof(payload));
	FUZZ_CHECK(n >= WIRE_FIXED_BYTES &&
	    n <= LKEY_KEY_MAX - LKEY_SIGNATUREBYTES);
	FUZZ_CHECK(lkey__wire_parse(payload, n, &back, NULL) == LKEY_OK);
	FUZZ_CHECK(memcmp(&back, &t, sizeof(back)) == 0);
}

/*
 * A bad row: nothing of it, or (orders_partial) the fields that were read,
 * whose terms are checked but never make a key.
 */
static void
check_partial(const orders_reader *r, const order_fields *f, lkey_day today)
{
	lkey_license t;
	char err[ERR_CAP];
	uint32_t refused = 1;
	bool serial_auto = true;

	if (!orders_partial(r, &refused)) {
		FUZZ_CHECK(refused == 0);
		FUZZ_CHECK(fuzz_all_zero(f, sizeof(*f)));
		return;
	}
	FUZZ_CHECK(refused < (UINT32_C(1) << ORDERS_FIELDS));
	/* Only unknown names refused: the fields read may be good. */
	if (order_terms_but(demo(), f, refused, today, false, &t,
	    &serial_auto, err, sizeof(err)) == 0) {
		FUZZ_CHECK(refused == 0);
		return;
	}
	FUZZ_CHECK(!serial_auto && fuzz_all_zero(&t, sizeof(t)));
}

static void
read_orders(const uint8_t *data, size_t size, int format, lkey_day today)
{
	orders_reader *r;
	order_fields f;
	char err[ERR_CAP];
	unsigned long line, last = 0;
	size_t calls;
	FILE *in;
	int rc;

	/* A read-only stream: the data is never written. */
	if ((in = fmemopen((void *)(uintptr_t)data, size, "r")) == NULL)
		return;
	r = malloc(sizeof(*r));
	FUZZ_CHECK(r != NULL);
	err[0] = '\0';
	rc = orders_open(r, in, format, err, sizeof(err));
	if (rc != 0) {
		FUZZ_CHECK(rc == -1 && err[0] != '\0');
		goto out;
	}
	/* Every call takes at least one line; an input has size + 1. */
	for (calls = 0;; calls++) {
		FUZZ_CHECK(calls <= size + 2U);
		err[0] = '\0';
		rc = orders_next(r, &f, &line, err, sizeof(err));
		if (rc == 0) {
			FUZZ_CHECK(orders_next(r, &f, &line, err,
			    sizeof(err)) == 0);
			break;
		}
		if (rc == -2) {
			FUZZ_CHECK(orders_next(r, &f, &line, err,
			    sizeof(err)) == -2);
			break;
		}
		FUZZ_CHECK(line > last);
		last = line;
		if (rc == -1) {
			FUZZ_CHECK(err[0] != '\0');
			check_partial(r, &f, today);
			continue;
		}
		FUZZ_CHECK(rc == 1);
		check_order(&f, today);
	}
out:
	free(r);
	(void)fclose(in);
}

int
fuzz_orders(const uint8_t *data, size_t size)
{
	lkey_day today;

	FUZZ_CHECK(lkey_day_from_ymd(2027, 6, 15, &today));
	fuzz_jsonline((const char *)data, size);
	read_orders(data, size, ORDERS_AUTO, today);
	read_orders(data, size, ORDERS_CSV, today);
	read_orders(data, size, ORDERS_JSON, today);
	return 0;
}

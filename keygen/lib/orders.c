/*
 * orders.c - orders for `lkey-keygen batch`: CSV or JSON lines in, licence
 * terms out
 *
 * An order file is typed by hand or exported from a shop, and every row
 * becomes a signed key a customer keeps for years. So a row is issued only
 * when it reads exactly one way: a stray quote, a column too many or a name
 * nobody defined makes the row bad (with its line number) instead of
 * shifting values into the wrong fields; and the terms follow the rules of
 * `lkey-keygen issue` to the letter, so a batch cannot issue a key the
 * single command would refuse.
 *
 * Lines are read with getc and never past their end: `batch` may sit on a
 * pipe and answer each order as it arrives.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "catalog.h"
#include "cli.h"
#include "msg.h"
#include "num.h"
#include "orders.h"
#include "wire.h"

/* Not 0: a reader orders_open never saw is not reading. */
enum { READING = 1, AT_END, FAILED };

enum line_status {
	LINE_OK, LINE_EOF, LINE_LONG, LINE_NUL, LINE_CR, LINE_IOERR
};

/* Indexes of fields[], in the order of the members of order_fields. */
enum {
	F_ORDER, F_PRODUCT, F_EDITION, F_SEATS, F_STARTS, F_EXPIRES,
	F_MAINTENANCE, F_SERIAL, F_FEATURES, F_LICENSEE, F_GRACE_DAYS,
	F_NOTICE_DAYS, F_MODULE_SEATS, F_TRIAL, F_ISSUED, F_HOST
};

/*
 * The members of order_fields, by name (CSV header and JSON) and as the
 * option of `lkey-keygen issue`, and what JSON may give for them.
 */
static const struct {
	const char *name;
	const char *option;
	size_t off;
	bool required;
	bool number_ok;		/* JSON: a number, its text used */
	bool bool_ok;		/* JSON: true or false */
} fields[ORDERS_FIELDS] = {
	[F_ORDER] = { "order", "order", offsetof(order_fields, order), false,
	    false, false },
	[F_PRODUCT] = { "product", "--product",
	    offsetof(order_fields, product), true, true, false },
	[F_EDITION] = { "edition", "--edition",
	    offsetof(order_fields, edition), true, true, false },
	[F_SEATS] = { "seats", "--seats", offsetof(order_fields, seats), true,
	    true, false },
	[F_STARTS] = { "starts", "--starts", offsetof(order_fields, starts),
	    false, false, false },
	[F_EXPIRES] = { "expires", "--expires",
	    offsetof(order_fields, expires), true, false, false },
	[F_MAINTENANCE] = { "maintenance", "--maintenance",
	    offsetof(order_fields, maintenance), true, false, false },
	[F_SERIAL] = { "serial", "--serial", offsetof(order_fields, serial),
	    false, true, false },
	[F_FEATURES] = { "features", "--features",
	    offsetof(order_fields, features), false, false, false },
	[F_LICENSEE] = { "licensee", "--licensee",
	    offsetof(order_fields, licensee), false, false, false },
	[F_GRACE_DAYS] = { "grace_days", "--grace-days",
	    offsetof(order_fields, grace_days), false, true, false },
	[F_NOTICE_DAYS] = { "notice_days", "--notice-days",
	    offsetof(order_fields, notice_days), false, true, false },
	[F_MODULE_SEATS] = { "module_seats", "--module-seats",
	    offsetof(order_fields, module_seats), false, false, false },
	[F_TRIAL] = { "trial", "--trial", offsetof(order_fields, trial), false,
	    false, true },
	[F_ISSUED] = { "issued", "--issued", offsetof(order_fields, issued),
	    false, false, false },
	[F_HOST] = { "host", "--host", offsetof(order_fields, host), false,
	    false, false },
};

_Static_assert(sizeof(order_fields) == ORDERS_FIELDS * sizeof(const char *),
    "fields[] must list every member of order_fields");


static const char **
member(order_fields *f, size_t k)
{
	return (const char **)(void *)((char *)f + fields[k].off);
}

static const char *
cmember(const order_fields *f, size_t k)
{
	return *(const char *const *)(const void *)((const char *)f +
	    fields[k].off);
}

static int
field_index(const char *name)
{
	size_t k;

	for (k = 0; k < ORDERS_FIELDS; k++) {
		if (strcmp(fields[k].name, name) == 0)
			return (int)k;
	}
	return -1;
}

/* ---- terms ------------------------------------------------------------- */

/* A field as messages name it: its CSV/JSON name, or the issue option. */
#define NAME(k) (as_options ? fields[k].option : fields[k].name)

/* "YYYY-MM-DD", or "never" where allowed. */
static int
day(const char *name, const char *s, bool never_ok, lkey_day *out, char *err,
    size_t errcap)
{
	char sh[MSG_SHOW_CAP];

	if (never_ok && strcmp(s, "never") == 0) {
		*out = LKEY_NEVER;
		return 0;
	}
	if (!lkey_day_parse(s, out))
		return msg_fail(err, errcap, "%s: '%s' is not a real date as "
		    "YYYY-MM-DD%s", name, msg_show(s, strlen(s), sh),
		    never_ok ? " or never" : "");
	if (*out > LKEY_DAY_MAX)
		return msg_fail(err, errcap, "%s: %s is after 2149-06-05, the last "
		    "day a key can carry%s", name, s,
		    never_ok ? " (use never)" : "");
	return 0;
}

static int
days(const char *name, const char *s, uint32_t *out, char *err, size_t errcap)
{
	uint64_t v;

	if (num_text(s, 0, 365, &v) != 0)
		return msg_fail(err, errcap, "%s: must be a whole number of days "
		    "from 0 to 365", name);
	*out = (uint32_t)v;
	return 0;
}

static int
boolean(const char *s, bool *out)
{
	static const char *const yes[] = { "true", "1", "yes" };
	static const char *const no[] = { "false", "0", "no" };
	size_t k;

	for (k = 0; k < 3; k++) {
		if (strcasecmp(s, yes[k]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(s, no[k]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

int
order_terms_as(const catalog *cat, const order_fields *f, lkey_day today,
    bool as_options, lkey_license *t, bool *serial_auto, char *err,
    size_t errcap)
{
	char why[512];
	const char *terms_why;
	uint32_t mods = 0;
	uint64_t v;
	size_t k, len;

	*serial_auto = false;
	lkey_terms_init(t, today);
	for (k = 0; k < ORDERS_FIELDS; k++) {
		if (fields[k].required && cmember(f, k) == NULL) {
			if (as_options)
				msg_fail(err, errcap, "issue needs %s", NAME(k));
			else
				msg_fail(err, errcap, "missing field '%s'",
				    NAME(k));
			goto bad;
		}
	}
	if (catalog_lookup(cat, CATALOG_PRODUCT, f->product, &t->product, why,
	    sizeof(why)) != 0) {
		msg_fail(err, errcap, "%s: %s", NAME(F_PRODUCT), why);
		goto bad;
	}
	if (catalog_lookup(cat, CATALOG_EDITION, f->edition, &t->edition, why,
	    sizeof(why)) != 0) {
		msg_fail(err, errcap, "%s: %s", NAME(F_EDITION), why);
		goto bad;
	}
	if (f->features != NULL && catalog_features(cat, f->features,
	    &t->features, why, sizeof(why)) != 0) {
		msg_fail(err, errcap, "%s: %s", NAME(F_FEATURES), why);
		goto bad;
	}
	if (strcmp(f->seats, "unlimited") == 0)
		t->seats = LKEY_SEATS_UNLIMITED;
	else if (num_text(f->seats, 1, LKEY_SEATS_MAX, &v) == 0)
		t->seats = (uint32_t)v;
	else {
		msg_fail(err, errcap, "%s: must be a whole number from 1 to "
		    "16777214, or unlimited", NAME(F_SEATS));
		goto bad;
	}
	if (day(NAME(F_EXPIRES), f->expires, true, &t->expires, err,
	    errcap) != 0 || day(NAME(F_MAINTENANCE), f->maintenance, true,
	    &t->maintenance, err, errcap) != 0)
		goto bad;
	if (f->starts != NULL && day(NAME(F_STARTS), f->starts, false,
	    &t->starts, err, errcap) != 0)
		goto bad;
	/*
	 * The issue date is the start date unless the order records another
	 * (4 more bytes): then it orders keys with the same start by when
	 * they were issued.
	 */
	if (f->issued != NULL) {
		if (day(NAME(F_ISSUED), f->issued, false, &t->issued, err,
		    errcap) != 0)
			goto bad;
	} else
		t->issued = t->starts;
	if (f->module_seats != NULL) {
		if (cli_feature_counts(cat, NAME(F_MODULE_SEATS),
		    f->module_seats, 1, LKEY_SEATS_MAX, &mods, t->module_seats,
		    err, errcap) != 0)
			goto bad;
		if ((mods & t->features) != mods) {
			msg_fail(err, errcap, "%s: every module must also be in %s",
			    NAME(F_MODULE_SEATS), NAME(F_FEATURES));
			goto bad;
		}
	}
	if (f->grace_days != NULL && days(NAME(F_GRACE_DAYS), f->grace_days,
	    &t->grace_days, err, errcap) != 0)
		goto bad;
	if (f->notice_days != NULL && days(NAME(F_NOTICE_DAYS), f->notice_days,
	    &t->notice_days, err, errcap) != 0)
		goto bad;
	if (f->trial != NULL && boolean(f->trial, &t->trial) != 0) {
		msg_fail(err, errcap, "%s: must be true or false (or 1 or 0, yes or "
		    "no)", NAME(F_TRIAL));
		goto bad;
	}
	if (t->trial && t->expires == LKEY_NEVER) {
		msg_fail(err, errcap, "%s: a trial licence needs an expiry date, not "
		    "%s never", NAME(F_TRIAL), NAME(F_EXPIRES));
		goto bad;
	}
	if (f->serial == NULL || strcmp(f->serial, "auto") == 0) {
		*serial_auto = true;
		t->serial = 0;
	} else if (num_text(f->serial, 0, UINT32_MAX, &v) == 0)
		t->serial = (uint32_t)v;
	else {
		msg_fail(err, errcap, "%s: must be a whole number from 0 to "
		    "4294967295, or auto", NAME(F_SERIAL));
		goto bad;
	}
	if (f->licensee != NULL) {
		len = strlen(f->licensee);
		if (len == 0 || len > LKEY_LICENSEE_MAX) {
			msg_fail(err, errcap, "%s: must be 1 to 128 bytes of text",
			    NAME(F_LICENSEE));
			goto bad;
		}
		memcpy(t->licensee, f->licensee, len);
		t->licensee[len] = '\0';
		t->licensee_len = len;
	}
	/* A node-locked key: runs only where lkey-verify --host-id (for this
	 * product) prints this id. */
	if (f->host != NULL) {
		if (cli_host_parse(f->host, t->host) != 0) {
			msg_fail(err, errcap, "%s: must be a host id, 16 lowercase "
			    "hex digits as lkey-verify --host-id prints it",
			    NAME(F_HOST));
			goto bad;
		}
		t->host_bound = true;
	}
	if (lkey_terms_check(t, &terms_why) != LKEY_ISSUE_OK) {
		msg_fail(err, errcap, "%s", terms_why);
		goto bad;
	}
	return 0;
bad:
	memset(t, 0, sizeof(*t));
	*serial_auto = false;
	return -1;
}

#undef NAME

int
order_id_check(const char *id, const char *name, char *err, size_t errcap)
{
	size_t len = strlen(id);

	if (len == 0 || len > ORDERS_ID_MAX)
		return msg_fail(err, errcap, "%s: must be 1 to %d bytes", name,
		    ORDERS_ID_MAX);
	if (!lkey__wire_text_ok(id, len))
		return msg_fail(err, errcap, "%s: must be UTF-8 text without "
		    "control characters", name);
	return 0;
}

int
order_terms(const catalog *cat, const order_fields *f, lkey_day today,
    lkey_license *t, bool *serial_auto, char *err, size_t errcap)
{
	return order_terms_as(cat, f, today, false, t, serial_auto, err,
	    errcap);
}

/* ---- lines ------------------------------------------------------------- */

/*
 * One physical line into r->line (without its LF, or CRLF), never reading
 * past its LF. A UTF-8 byte order mark at the very start of the input is
 * dropped. A line too long is consumed to its end.
 */
static enum line_status
read_line(orders_reader *r)
{
	size_t n = 0;
	bool any = false, over = false, nul = false;
	int c, e = 0;

	flockfile(r->in);
	for (;;) {
		errno = 0;
		c = getc_unlocked(r->in);
		if (c == EOF) {
			e = errno;
			break;
		}
		any = true;
		if (c == '\n')
			break;
		if (c == '\0')
			nul = true;
		if (n < ORDERS_LINE_MAX + 1)
			r->line[n++] = (char)c;
		else
			over = true;
		if (n == 3 && !r->bom_checked) {
			r->bom_checked = true;
			if (memcmp(r->line, "\xef\xbb\xbf", 3) == 0)
				n = 0;
		}
	}
	funlockfile(r->in);
	if (c == EOF && ferror(r->in)) {
		errno = e != 0 ? e : EIO;
		return LINE_IOERR;
	}
	if (!any)
		return LINE_EOF;
	r->bom_checked = true;
	r->lineno++;
	r->len = n;
	if (over)
		return LINE_LONG;
	if (n > 0 && r->line[n - 1] == '\r')
		n--;
	r->len = n;
	if (n > ORDERS_LINE_MAX)
		return LINE_LONG;
	r->line[n] = '\0';
	if (nul)
		return LINE_NUL;
	if (memchr(r->line, '\r', n) != NULL)
		return LINE_CR;
	return LINE_OK;
}

static bool
blank(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	}
	return true;
}

/* The next line that is not blank, with its status in r->line_status. */
static enum line_status
fetch(orders_reader *r, char *err, size_t errcap)
{
	enum line_status st;

	do {
		st = read_line(r);
	} while (st == LINE_OK && blank(r->line, r->len));
	r->line_status = (int)st;
	r->line_at = st == LINE_IOERR ? r->lineno + 1 : r->lineno;
	if (st == LINE_IOERR)
		msg_fail(err, errcap, "cannot read the orders: %s",
		    strerror(errno));
	return st;
}

/* Why a line that is not LINE_OK cannot be read as a row. */
static int
line_fail(enum line_status st, char *err, size_t errcap)
{
	switch (st) {
	case LINE_LONG:
		return msg_fail(err, errcap, "line longer than %d bytes",
		    ORDERS_LINE_MAX);
	case LINE_NUL:
		return msg_fail(err, errcap, "NUL byte in the line");
	case LINE_CR:
		return msg_fail(err, errcap, "carriage return (CR) inside the "
		    "line: lines end in LF or CRLF");
	default:
		return msg_fail(err, errcap, "unreadable line");
	}
}

/* ---- CSV --------------------------------------------------------------- */

/*
 * Splits r->line per RFC 4180 into r->buf: the first maxval fields go to
 * val (NUL-terminated; "" when empty), all are counted in *nval. Each field
 * takes at most its own bytes plus a NUL and each separator is dropped, so
 * r->buf (ORDERS_LINE_MAX + 1) always has room.
 */
static int
csv_split(orders_reader *r, const char **val, size_t maxval, size_t *nval,
    char *err, size_t errcap)
{
	const char *s = r->line;
	size_t len = r->len, i = 0, used = 0, nf = 0, start;

	*nval = 0;
	for (;;) {
		start = used;
		nf++;
		if (i < len && s[i] == '"') {
			i++;
			for (;;) {
				if (i >= len)
					return msg_fail(err, errcap, "field %zu: "
					    "quote not closed before the end "
					    "of the line (line breaks inside "
					    "quoted fields are not supported)",
					    nf);
				if (s[i] == '"') {
					if (i + 1 < len && s[i + 1] == '"') {
						r->buf[used++] = '"';
						i += 2;
						continue;
					}
					i++;
					break;
				}
				r->buf[used++] = s[i++];
			}
			if (i < len && s[i] != ',')
				return msg_fail(err, errcap, "field %zu: text "
				    "after the closing quote", nf);
		} else {
			while (i < len && s[i] != ',') {
				if (s[i] == '"')
					return msg_fail(err, errcap, "field %zu: "
					    "quote inside an unquoted field "
					    "(quote the whole field and double "
					    "the quote)", nf);
				r->buf[used++] = s[i++];
			}
		}
		r->buf[used++] = '\0';
		if (nf <= maxval)
			val[nf - 1] = r->buf + start;
		if (i >= len)
			break;
		i++;
	}
	*nval = nf;
	return 0;
}

static int
csv_header(orders_reader *r, char *err, size_t errcap)
{
	const char *val[ORDERS_FIELDS + 1];
	char why[256], sh[MSG_SHOW_CAP];
	bool seen[ORDERS_FIELDS] = { false };
	size_t nf, k;
	int idx;

	if (r->line_status != LINE_OK) {
		line_fail((enum line_status)r->line_status, why, sizeof(why));
		return msg_fail(err, errcap, "header: %s", why);
	}
	if (csv_split(r, val, ORDERS_FIELDS + 1, &nf, why, sizeof(why)) != 0)
		return msg_fail(err, errcap, "header: %s", why);
	/* Distinct known names: one more is unknown or repeated. */
	for (k = 0; k < nf && k < ORDERS_FIELDS + 1; k++) {
		if (val[k][0] == '\0')
			return msg_fail(err, errcap, "header: field %zu has no "
			    "name", k + 1);
		if ((idx = field_index(val[k])) < 0)
			return msg_fail(err, errcap, "header: unknown field '%s'",
			    msg_show(val[k], strlen(val[k]), sh));
		if (seen[idx])
			return msg_fail(err, errcap, "header: field '%s' given "
			    "twice", val[k]);
		seen[idx] = true;
		r->col[k] = idx;
	}
	for (k = 0; k < ORDERS_FIELDS; k++) {
		if (fields[k].required && !seen[k])
			return msg_fail(err, errcap, "header: missing field '%s'",
			    fields[k].name);
	}
	r->ncols = nf;
	return 0;
}

static int
csv_row(orders_reader *r, order_fields *f, char *err, size_t errcap)
{
	const char *val[ORDERS_FIELDS];
	size_t nf, k;

	if (csv_split(r, val, ORDERS_FIELDS, &nf, err, errcap) != 0)
		return -1;
	if (nf != r->ncols)
		return msg_fail(err, errcap, "%zu field%s, the header has %zu", nf,
		    nf == 1 ? "" : "s", r->ncols);
	for (k = 0; k < nf; k++) {
		if (val[k][0] != '\0')
			*member(f, (size_t)r->col[k]) = val[k];
	}
	return 0;
}

/* ---- JSON lines -------------------------------------------------------- */

static int
json_row(orders_reader *r, order_fields *f, char *err, size_t errcap)
{
	const jl_field *jf;
	char sh[MSG_SHOW_CAP];
	size_t k;
	int idx;

	if (jsonline_parse(r->line, r->len, r->buf, sizeof(r->buf), &r->obj,
	    err, errcap) != 0)
		return -1;
	for (k = 0; k < r->obj.n; k++) {
		jf = &r->obj.f[k];
		if ((idx = field_index(jf->name)) < 0)
			return msg_fail(err, errcap, "unknown field '%s'",
			    msg_show(jf->name, strlen(jf->name), sh));
		switch (jf->type) {
		case JL_NULL:
			break;
		case JL_STRING:
			*member(f, (size_t)idx) = jf->value;
			break;
		case JL_NUMBER:
			if (!fields[idx].number_ok)
				return msg_fail(err, errcap, "%s: must be a "
				    "string%s, not a number", fields[idx].name,
				    fields[idx].bool_ok ? ", true or false" :
				    "");
			*member(f, (size_t)idx) = jf->value;
			break;
		case JL_TRUE:
		case JL_FALSE:
			if (!fields[idx].bool_ok)
				return msg_fail(err, errcap, "%s: must be a "
				    "string%s, not %s", fields[idx].name,
				    fields[idx].number_ok ? " or a number" : "",
				    jf->type == JL_TRUE ? "true" : "false");
			*member(f, (size_t)idx) = jf->type == JL_TRUE ?
			    "true" : "false";
			break;
		}
	}
	return 0;
}

/* ---- the reader -------------------------------------------------------- */

int
orders_open(orders_reader *r, FILE *in, int format, char *err, size_t errcap)
{
	enum line_status st;
	size_t i;

	memset(r, 0, sizeof(*r));
	r->in = in;
	r->state = FAILED;
	if (format != ORDERS_AUTO && format != ORDERS_CSV &&
	    format != ORDERS_JSON)
		return msg_fail(err, errcap, "unknown orders format %d", format);
	st = fetch(r, err, errcap);
	if (st == LINE_IOERR)
		return -1;
	if (st == LINE_EOF)
		return msg_fail(err, errcap, "no orders: the input is empty");
	if (format == ORDERS_AUTO) {
		/* A line too long still has its start in r->line. */
		for (i = 0; i < r->len && i < ORDERS_LINE_MAX + 1 &&
		    (r->line[i] == ' ' || r->line[i] == '\t'); i++)
			;
		format = i < r->len && r->line[i] == '{' ? ORDERS_JSON :
		    ORDERS_CSV;
	}
	r->format = format;
	if (format == ORDERS_JSON)
		r->pending = true;
	else if (csv_header(r, err, errcap) != 0)
		return -1;
	r->state = READING;
	return 0;
}

int
orders_next(orders_reader *r, order_fields *f, unsigned long *line,
    char *err, size_t errcap)
{
	enum line_status st;
	int rc;

	memset(f, 0, sizeof(*f));
	*line = r->lineno;
	if (r->state == AT_END)
		return 0;
	if (r->state != READING) {
		msg_fail(err, errcap, "the orders cannot be read after an error");
		return -2;
	}
	if (r->pending) {
		r->pending = false;
		st = (enum line_status)r->line_status;
	} else
		st = fetch(r, err, errcap);
	*line = r->line_at;
	if (st == LINE_IOERR) {
		r->state = FAILED;
		return -2;
	}
	if (st == LINE_EOF) {
		r->state = AT_END;
		*line = r->lineno;
		return 0;
	}
	if (st != LINE_OK)
		return line_fail(st, err, errcap);
	if (r->format == ORDERS_CSV)
		rc = csv_row(r, f, err, errcap);
	else
		rc = json_row(r, f, err, errcap);
	if (rc != 0) {
		memset(f, 0, sizeof(*f));
		return -1;
	}
	return 1;
}

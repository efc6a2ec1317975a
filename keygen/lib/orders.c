/*
 * orders.c - reading orders for `lkey-keygen batch`: CSV or JSON lines
 *
 * An order file is typed by hand or exported from a shop, and every row
 * becomes a signed key a customer keeps for years. So a row is read only
 * when it reads exactly one way: a stray quote, a column too many or a name
 * nobody defined makes the row bad (with its line number) instead of
 * shifting values into the wrong fields. Its terms are order_terms.c's.
 *
 * Lines are read with getc and never past their end: `batch` may sit on a
 * pipe and answer each order as it arrives.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "jsonline.h"
#include "msg.h"
#include "num.h"
#include "order_fields.h"
#include "orders.h"

/* Not 0: a reader orders_open never saw is not reading. */
enum { READING = 1, AT_END, FAILED };

enum line_status {
	LINE_OK, LINE_EOF, LINE_LONG, LINE_NUL, LINE_CR, LINE_IOERR
};

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
					return msg_fail(err, errcap, "field "
					    "%zu: quote not closed before the "
					    "end of the line (line breaks "
					    "inside quoted fields are not "
					    "supported)", nf);
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
					return msg_fail(err, errcap, "field "
					    "%zu: quote inside an unquoted "
					    "field (quote the whole field and "
					    "double the quote)", nf);
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
	const char *val[ORDERS_FIELDS + 1], *seen[ORDERS_FIELDS] = { NULL };
	char why[256], sh[MSG_SHOW_CAP];
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
		if ((idx = order_field_index(val[k])) < 0)
			return msg_fail(err, errcap, "header: unknown field "
			    "'%s'", msg_show(val[k], strlen(val[k]), sh));
		if (seen[idx] != NULL && strcmp(seen[idx], val[k]) == 0)
			return msg_fail(err, errcap, "header: field '%s' given "
			    "twice", val[k]);
		/* One field, two names (expires, license_expires). */
		if (seen[idx] != NULL)
			return msg_fail(err, errcap, "header: '%s' and '%s' are "
			    "the same field: give only one", seen[idx],
			    val[k]);
		seen[idx] = val[k];
		r->col[k] = idx;
	}
	for (k = 0; k < ORDERS_FIELDS; k++) {
		if (order_field_info[k].required && seen[k] == NULL)
			return msg_fail(err, errcap, "header: missing field "
			    "'%s'", order_field_info[k].name);
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
		return msg_fail(err, errcap, "%zu field%s, the header has %zu",
		    nf, nf == 1 ? "" : "s", r->ncols);
	for (k = 0; k < nf; k++) {
		if (val[k][0] != '\0')
			*order_field_member(f, (size_t)r->col[k]) = val[k];
	}
	return 0;
}

/* ---- JSON lines -------------------------------------------------------- */

/*
 * A JSON line takes today's flat values and also the shapes lkey-verify
 * --json prints: features and maintenance_features as a list of names or
 * numbers, module_seats as an object of name (or number) to seats. Lists
 * and objects are turned into the text `issue` takes ("a,b", "a=5") in
 * r->flat, after each element is checked on its own: an element that
 * would change the meaning of that text (a comma, an '=') is refused, so
 * that one element is always one item. r->flat has room: the text of a
 * list or object is never longer than its JSON.
 */

/* Why a JSON line could not be read, naming the field it is in. */
static int
json_fault(const jl_error *e, char *err, size_t errcap)
{
	char sh[MSG_SHOW_CAP];
	const char *m = e->member != NULL ? msg_show(e->member,
	    strlen(e->member), sh) : NULL;

	switch (e->fault) {
	case JL_TOKENS:
		if (m != NULL)
			return msg_fail(err, errcap, "%s: more than %u "
			    "elements", m, LKEY_FEATURES_MAX);
		return msg_fail(err, errcap, "more than %d fields",
		    JSONLINE_FIELDS_MAX);
	case JL_DEPTH:
		return msg_fail(err, errcap, "%s: lists and objects inside it "
		    "are not supported (column %zu)", m != NULL ? m : "line",
		    e->at + 1);
	case JL_DUPLICATE:
		if (m != NULL)
			return msg_fail(err, errcap, "%s: %s", m, e->what);
		return msg_fail(err, errcap, "%s", e->what);
	default:
		if (m != NULL)
			return msg_fail(err, errcap, "%s: column %zu: %s", m,
			    e->at + 1, e->what);
		return msg_fail(err, errcap, "column %zu: %s", e->at + 1,
		    e->what);
	}
}

/* What field k may hold in JSON, for a message. */
static const char *
json_kinds(size_t k)
{
	const struct order_field *fi = &order_field_info[k];

	if (k == F_FEATURES || k == F_MAINT_FEATURES)
		return "a string or a list of names or numbers";
	if (k == F_MODULE_SEATS)
		return "a string or an object of seats by name";
	if (fi->number_ok)
		return "a string or a number";
	if (fi->bool_ok)
		return "a string, true or false";
	return "a string";
}

/* One name of a feature or module, as an element or a member name: it
 * must stay one item in the text `issue` takes. */
static bool
json_item_ok(const char *s)
{
	return s[0] != '\0' && strpbrk(s, ",= \t") == NULL;
}

/* Appends len bytes of s to r->flat at *used. */
static int
flat_put(orders_reader *r, size_t *used, const char *s, size_t len)
{
	if (*used >= sizeof(r->flat) || len > sizeof(r->flat) - 1 - *used)
		return -1;
	memcpy(r->flat + *used, s, len);
	*used += len;
	r->flat[*used] = '\0';
	return 0;
}

/* The list tok[k] of field idx as "a,b,3" in r->flat from *used. */
static int
json_list(orders_reader *r, size_t k, size_t idx, size_t *used,
    const char **out, char *err, size_t errcap)
{
	const char *name = order_field_info[idx].name;
	const jl_token *t = &r->tok[k], *el;
	size_t e, nth = 0, start = *used;
	uint64_t bit;

	if (t->count > LKEY_FEATURES_MAX)
		return msg_fail(err, errcap, "%s: more than %u elements", name,
		    LKEY_FEATURES_MAX);
	if (start >= sizeof(r->flat))
		return msg_fail(err, errcap, "%s: too long", name);
	r->flat[start] = '\0';
	for (e = k + 1; e < t->end; e = r->tok[e].end) {
		el = &r->tok[e];
		nth++;
		if (el->type == JL_NUMBER) {
			if (num_text(el->value, 0, LKEY_FEATURES_MAX - 1,
			    &bit) != 0)
				return msg_fail(err, errcap, "%s: element %zu "
				    "(%s) is not a feature number from 0 to "
				    "%u", name, nth, el->value,
				    LKEY_FEATURES_MAX - 1);
		} else if (el->type != JL_STRING || !json_item_ok(el->value))
			return msg_fail(err, errcap, "%s: element %zu is not a "
			    "name or a number", name, nth);
		if ((nth > 1 && flat_put(r, used, ",", 1) != 0) ||
		    flat_put(r, used, el->value, el->len) != 0)
			return msg_fail(err, errcap, "%s: too long", name);
	}
	*out = r->flat + start;
	(*used)++;
	return 0;
}

/* The object tok[k] of module seats as "payroll=5,3=2" in r->flat; NULL
 * for {}: no module seats. */
static int
json_seats(orders_reader *r, size_t k, size_t *used, const char **out,
    char *err, size_t errcap)
{
	const char *name = order_field_info[F_MODULE_SEATS].name;
	const jl_token *t = &r->tok[k], *m;
	char sh[MSG_SHOW_CAP], sv[MSG_SHOW_CAP];
	size_t e, start = *used;
	uint64_t v;

	if (t->count > LKEY_FEATURES_MAX)
		return msg_fail(err, errcap, "%s: more than %u modules", name,
		    LKEY_FEATURES_MAX);
	*out = NULL;
	if (t->count == 0)
		return 0;
	if (start >= sizeof(r->flat))
		return msg_fail(err, errcap, "%s: too long", name);
	r->flat[start] = '\0';
	for (e = k + 1; e < t->end; e = r->tok[e].end) {
		m = &r->tok[e];
		if (!json_item_ok(m->name))
			return msg_fail(err, errcap, "%s: '%s' is not a name "
			    "or a number", name, msg_show(m->name,
			    strlen(m->name), sh));
		if (m->type != JL_NUMBER)
			return msg_fail(err, errcap, "%s: the value for '%s' "
			    "is not a number (a whole number from 1 to %u)",
			    name, msg_show(m->name, strlen(m->name), sh),
			    LKEY_SEATS_MAX);
		if (num_text(m->value, 1, LKEY_SEATS_MAX, &v) != 0)
			return msg_fail(err, errcap, "%s: %s for '%s' is not a "
			    "whole number from 1 to %u", name,
			    msg_show(m->value, m->len, sv),
			    msg_show(m->name, strlen(m->name), sh),
			    LKEY_SEATS_MAX);
		if ((e > k + 1 && flat_put(r, used, ",", 1) != 0) ||
		    flat_put(r, used, m->name, strlen(m->name)) != 0 ||
		    flat_put(r, used, "=", 1) != 0 ||
		    flat_put(r, used, m->value, m->len) != 0)
			return msg_fail(err, errcap, "%s: too long", name);
	}
	*out = r->flat + start;
	(*used)++;
	return 0;
}

/* The value tok[k] of field idx into *m. */
static int
json_value(orders_reader *r, size_t k, size_t idx, const char **m,
    size_t *used, char *err, size_t errcap)
{
	const struct order_field *fi = &order_field_info[idx];
	const jl_token *t = &r->tok[k];
	const char *not;

	switch (t->type) {
	case JL_NULL:
		return 0;
	case JL_STRING:
		*m = t->value;
		return 0;
	case JL_NUMBER:
		if (!fi->number_ok) {
			not = "a number";
			break;
		}
		*m = t->value;
		return 0;
	case JL_TRUE:
	case JL_FALSE:
		if (!fi->bool_ok) {
			not = t->type == JL_TRUE ? "true" : "false";
			break;
		}
		*m = t->type == JL_TRUE ? "true" : "false";
		return 0;
	case JL_ARRAY:
		if (idx == F_FEATURES || idx == F_MAINT_FEATURES)
			return json_list(r, k, idx, used, m, err, errcap);
		not = "a list";
		break;
	default:
		if (idx == F_MODULE_SEATS)
			return json_seats(r, k, used, m, err, errcap);
		not = "an object";
		break;
	}
	return msg_fail(err, errcap, "%s: must be %s, not %s", fi->name,
	    json_kinds(idx), not);
}

/*
 * Appends why to err as one more line (lines separated by '\n'); a line
 * that does not fit whole is left out. Returns -1.
 */
static int
add_fault(char *err, size_t errcap, size_t *used, const char *why)
{
	size_t len = strlen(why), sep = *used > 0 ? 1 : 0;

	if (*used + sep + len >= errcap)
		return -1;
	if (sep)
		err[(*used)++] = '\n';
	memcpy(err + *used, why, len + 1);
	*used += len;
	return -1;
}

/*
 * The fields of a JSON line. A field that cannot be read (an unknown
 * name, a name given twice, a value of the wrong kind) is one fault and
 * the others are still read, so that every bad field of the line is
 * reported at once: r->refused says which fields were refused, and
 * r->partial whether every fault was of one field (then f holds the
 * others).
 */
static int
json_row(orders_reader *r, order_fields *f, char *err, size_t errcap)
{
	static const jl_rules rules = { 2, true };
	const char *given[ORDERS_FIELDS] = { NULL };
	char sh[MSG_SHOW_CAP], why[512];
	jl_error e;
	size_t i = 0, n, k, used = 0, fused = 0;
	bool any = false;
	int idx;

	/* Its own message for a line that is no object at all. */
	while (i < r->len && (r->line[i] == ' ' || r->line[i] == '\t'))
		i++;
	if (i == r->len || r->line[i] != '{')
		return msg_fail(err, errcap, "not a JSON object");
	n = jsonline_read(r->line, r->len, &rules, r->tok, ORDERS_TOKENS,
	    r->buf, sizeof(r->buf), &e);
	if (n == 0)
		return json_fault(&e, err, errcap);
	if (r->tok[0].count > JSONLINE_FIELDS_MAX)
		return msg_fail(err, errcap, "more than %d fields",
		    JSONLINE_FIELDS_MAX);
	if (errcap > 0)
		err[0] = '\0';
	for (k = 1; k < n; k = r->tok[k].end) {
		if ((idx = order_field_index(r->tok[k].name)) < 0) {
			snprintf(why, sizeof(why), "unknown field '%s'",
			    msg_show(r->tok[k].name, strlen(r->tok[k].name),
			    sh));
			(void)add_fault(err, errcap, &fused, why);
			any = true;
			continue;
		}
		/* One field, two names (expires, license_expires). */
		if (given[idx] != NULL) {
			snprintf(why, sizeof(why), "'%s' and '%s' are the same "
			    "field: give only one", given[idx],
			    r->tok[k].name);
			(void)add_fault(err, errcap, &fused, why);
			r->refused |= UINT32_C(1) << idx;
			*order_field_member(f, (size_t)idx) = NULL;
			continue;
		}
		given[idx] = r->tok[k].name;
		if (json_value(r, k, (size_t)idx, order_field_member(f,
		    (size_t)idx), &used, why, sizeof(why)) != 0) {
			(void)add_fault(err, errcap, &fused, why);
			r->refused |= UINT32_C(1) << idx;
			*order_field_member(f, (size_t)idx) = NULL;
		}
	}
	if (!any && r->refused == 0)
		return 0;
	r->partial = true;
	return -1;
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
		return msg_fail(err, errcap, "unknown orders format %d",
		    format);
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
	r->refused = 0;
	r->partial = false;
	*line = r->lineno;
	if (r->state == AT_END)
		return 0;
	if (r->state != READING) {
		msg_fail(err, errcap, "the orders cannot be read after an "
		    "error");
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
		if (!r->partial)
			memset(f, 0, sizeof(*f));
		return -1;
	}
	return 1;
}

bool
orders_partial(const orders_reader *r, uint32_t *refused)
{
	*refused = r->partial ? r->refused : 0;
	return r->partial;
}

/*
 * Bytes of the input that stdio has read ahead, and whether a line end is
 * among them; only where the C library shows its buffer (glibc, the BSDs
 * and macOS). Elsewhere none: orders_ready then asks the descriptor only.
 */
static bool
buffered_line(FILE *in)
{
#if defined(__GLIBC__)
	const char *p = in->_IO_read_ptr, *end = in->_IO_read_end;

	return p != NULL && p < end &&
	    memchr(p, '\n', (size_t)(end - p)) != NULL;
#elif defined(__APPLE__) || defined(__FreeBSD__) || defined(__OpenBSD__) \
    || defined(__NetBSD__)
	return in->_r > 0 && memchr(in->_p, '\n', (size_t)in->_r) != NULL;
#else
	(void)in;
	return false;
#endif
}

bool
orders_ready(orders_reader *r)
{
	struct pollfd pfd;

	if (r->state != READING || r->pending)
		return true;
	if (buffered_line(r->in))
		return true;
	pfd.fd = fileno(r->in);
	pfd.events = POLLIN;
	pfd.revents = 0;
	return poll(&pfd, 1, 0) > 0 && pfd.revents != 0;
}

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
		if ((idx = order_field_index(val[k])) < 0)
			return msg_fail(err, errcap, "header: unknown field "
			    "'%s'", msg_show(val[k], strlen(val[k]), sh));
		if (seen[idx])
			return msg_fail(err, errcap, "header: field '%s' given "
			    "twice", val[k]);
		seen[idx] = true;
		r->col[k] = idx;
	}
	for (k = 0; k < ORDERS_FIELDS; k++) {
		if (order_field_info[k].required && !seen[k])
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

static int
json_row(orders_reader *r, order_fields *f, char *err, size_t errcap)
{
	const struct order_field *fi;
	const jl_field *jf;
	const char **m;
	char sh[MSG_SHOW_CAP];
	size_t k;
	int idx;

	if (jsonline_parse(r->line, r->len, r->buf, sizeof(r->buf), &r->obj,
	    err, errcap) != 0)
		return -1;
	for (k = 0; k < r->obj.n; k++) {
		jf = &r->obj.f[k];
		if ((idx = order_field_index(jf->name)) < 0)
			return msg_fail(err, errcap, "unknown field '%s'",
			    msg_show(jf->name, strlen(jf->name), sh));
		fi = &order_field_info[idx];
		m = order_field_member(f, (size_t)idx);
		switch (jf->type) {
		case JL_NULL:
			break;
		case JL_STRING:
			*m = jf->value;
			break;
		case JL_NUMBER:
			if (!fi->number_ok)
				return msg_fail(err, errcap, "%s: must be a "
				    "string%s, not a number", fi->name,
				    fi->bool_ok ? ", true or false" : "");
			*m = jf->value;
			break;
		case JL_TRUE:
		case JL_FALSE:
			if (!fi->bool_ok)
				return msg_fail(err, errcap, "%s: must be a "
				    "string%s, not %s", fi->name,
				    fi->number_ok ? " or a number" : "",
				    jf->type == JL_TRUE ? "true" : "false");
			*m = jf->type == JL_TRUE ? "true" : "false";
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
		memset(f, 0, sizeof(*f));
		return -1;
	}
	return 1;
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

/*
 * ledger_scan.c - reading the ledger: every line checked on every read
 *
 * A damaged or hand-edited ledger must not be trusted: each line must be
 * whole, at most LEDGER_LINE_MAX bytes, one JSON object with a serial not
 * seen before and a key. A last line without '\n' (a crash or a power cut
 * in the middle of a write) is reported with its offset and never
 * repaired here: a person decides what it was.
 */
#include <sys/types.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jsonline.h"
#include "ledger_int.h"
#include "msg.h"
#include "num.h"

/* Bytes read at a time; must exceed LEDGER_LINE_MAX. */
#define READ_CHUNK (1024U * 1024U)
/* A jsonline_parse message. */
#define PARSE_ERR_CAP 160U

_Static_assert(READ_CHUNK > LEDGER_LINE_MAX, "a whole line fits a chunk");

/* Per read: the chunk buffer and room for one parsed line. */
struct scan {
	char chunk[READ_CHUNK];
	char parsed[LEDGER_LINE_MAX + 1U];
	jl_object obj;
	char why[PARSE_ERR_CAP];
};


/* A JSON number that is a whole number 0..4294967295, written plainly. */
static bool
parse_serial(const jl_field *f, uint32_t *out)
{
	uint64_t v;

	if (f->type != JL_NUMBER ||
	    num_parse(f->value, f->len, 0, UINT32_MAX, &v) != NUM_OK)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* The "key_id" of a line: 8 lowercase hex digits, as the ledger writes it. */
static bool
line_key_id(const jl_object *o, uint32_t *out)
{
	const jl_field *f = jsonline_get(o, "key_id");

	*out = 0;
	return f != NULL && f->type == JL_STRING &&
	    num_key_id(f->value, f->len, out) == 0;
}

/* Why a parsed line is not a ledger line, or NULL; its serial in *serial. */
static const char *
line_fault(const jl_object *o, uint32_t *serial)
{
	const jl_field *f;

	if ((f = jsonline_get(o, "serial")) == NULL)
		return "no serial";
	if (!parse_serial(f, serial))
		return "the serial is not a whole number from 0 to 4294967295";
	if ((f = jsonline_get(o, "key")) == NULL)
		return "no key";
	if (f->type != JL_STRING || f->len == 0)
		return "the key is not a non-empty string";
	f = jsonline_get(o, "order");
	if (f != NULL && f->type != JL_STRING && f->type != JL_NULL)
		return "the order is not a string or null";
	return NULL;
}

/*
 * Hands a checked line to ledger_each, and to ledger_find if it has the
 * serial and the order id asked for. `line` has a byte after it for a NUL.
 */
static void
deliver(struct ledger_find *want, const jl_object *o, uint32_t serial,
    char *line, size_t len)
{
	const jl_field *f = jsonline_get(o, "order");
	uint32_t key_id;
	bool has_id;

	if (want->each != NULL) {
		has_id = line_key_id(o, &key_id);
		want->each(serial, has_id, key_id, want->arg);
	}
	if (want->fn == NULL ||
	    (want->serial != NULL && *want->serial != serial))
		return;
	if (want->order != NULL && (f == NULL || f->type != JL_STRING ||
	    f->len != want->order_len ||
	    memcmp(f->value, want->order, f->len) != 0))
		return;
	line[len] = '\0';
	if (want->count < LONG_MAX)
		want->count++;
	want->fn(line, len, want->arg);
}

/*
 * Checks one complete line (without its '\n'), adds its serial to the set
 * and delivers it to want, if any. `line` is writable and has a byte after
 * it for the NUL.
 */
static int
take_line(ledger *l, struct scan *sc, struct ledger_find *want, char *line,
    size_t len, char *err, size_t errcap)
{
	const char *why;
	uint64_t no = l->lines + 1U;
	uint32_t serial = 0, had;

	if (no > UINT32_MAX)
		return msg_fail(err, errcap, "%s: more than %" PRIu32 " lines",
		    l->path, UINT32_MAX);
	if (jsonline_parse(line, len, sc->parsed, sizeof(sc->parsed),
	    &sc->obj, sc->why, sizeof(sc->why)) != 0)
		why = sc->why;
	else
		why = line_fault(&sc->obj, &serial);
	if (why != NULL)
		return msg_fail(err, errcap, "%s: line %" PRIu64 ": %s",
		    l->path, no, why);
	if (serial_set_reserve(&l->set, 1) != 0)
		return msg_fail(err, errcap, "%s: out of memory", l->path);
	if ((had = serial_set_put(&l->set, serial, (uint32_t)no)) != 0)
		return msg_fail(err, errcap, "%s: line %" PRIu64 ": serial %"
		    PRIu32 " was already issued (ledger line %" PRIu32 ")",
		    l->path, no, serial, had);
	if (!l->any || serial > l->max)
		l->max = serial;
	l->any = true;
	l->lines = no;
	l->off += (off_t)len + 1;
	if (want != NULL)
		deliver(want, &sc->obj, serial, line, len);
	return 0;
}

int
ledger_scan(ledger *l, struct ledger_find *want, char *err, size_t errcap)
{
	struct scan *sc;
	char *nl;
	size_t have = 0, start, len;
	off_t pos = l->off;
	ssize_t n;
	int rc = -1;

	if ((sc = malloc(sizeof(*sc))) == NULL) {
		msg_fail(err, errcap, "%s: out of memory", l->path);
		return -1;
	}
	for (;;) {
		n = pread(l->fd, sc->chunk + have, sizeof(sc->chunk) - have,
		    pos);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			msg_fail(err, errcap, "%s: cannot read: %s", l->path,
			    strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		pos += (off_t)n;
		have += (size_t)n;
		start = 0;
		while ((nl = memchr(sc->chunk + start, '\n', have - start)) !=
		    NULL) {
			len = (size_t)(nl - (sc->chunk + start));
			if (len + 1U > LEDGER_LINE_MAX)
				goto too_long;
			if (take_line(l, sc, want, sc->chunk + start, len, err,
			    errcap) != 0)
				goto out;
			start += len + 1U;
		}
		if (have - start >= LEDGER_LINE_MAX)
			goto too_long;
		memmove(sc->chunk, sc->chunk + start, have - start);
		have -= start;
	}
	if (have > 0) {
		msg_fail(err, errcap, "%s: the last line (line %" PRIu64 ", "
		    "byte offset %jd) is incomplete: a write was interrupted; "
		    "check it and remove it by hand", l->path, l->lines + 1U,
		    (intmax_t)l->off);
		goto out;
	}
	rc = 0;
	goto out;
too_long:
	msg_fail(err, errcap, "%s: line %" PRIu64 ": longer than %u bytes",
	    l->path, l->lines + 1U, LEDGER_LINE_MAX);
out:
	free(sc);
	return rc;
}

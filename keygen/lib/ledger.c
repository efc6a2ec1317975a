/*
 * ledger.c - the issuance ledger (see ledger.h)
 *
 * What it defends against:
 *
 * - Two processes handing out one serial. Serials are allocated and lines
 *   appended only under an exclusive fcntl lock on the whole file, and
 *   taking the lock first reads whatever others appended, so the in-memory
 *   set of serials is complete while the lock is held.
 * - A key printed but not recorded. ledger_append returns only after the
 *   lines are written and fsync()ed; the caller prints after that.
 * - Half a line. Each append is built in memory and written with as few
 *   write() calls as possible; if one fails, the file is cut back to its
 *   size before. A last line without '\n' found on reading (a crash or a
 *   power cut in the middle of a write) is reported with its offset and
 *   never repaired here: a person decides what it was.
 * - A damaged or hand-edited ledger being trusted. Every line is checked on
 *   every read: length, JSON, a serial, a key, no serial twice.
 *
 * The set of serials is an open-addressing hash table (linear probing,
 * Fibonacci hashing, at most 3/4 full) that also keeps each serial's line
 * number for messages: a ledger of millions of lines loads in one pass.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "file.h"
#include "jsonline.h"
#include "jsonout.h"
#include "ledger.h"
#include "msg.h"
#include "num.h"

/* Bytes read at a time; must exceed LEDGER_LINE_MAX. */
#define READ_CHUNK (1024U * 1024U)
/* Smallest table of serials (a power of two). */
#define SET_MIN_BITS 10U
/* "9999-12-31T23:59:59Z" is the last time written: 253402300799. */
#define TIME_MAX INT64_C(253402300799)
/* "31=16777214," at most 32 times. */
#define MODULES_CAP 512U
/* "9999-12-31T23:59:59Z" and its NUL, with room the compiler can see. */
#define TIME_TEXT_CAP 32U
/* A jsonline_parse message. */
#define PARSE_ERR_CAP 160U

_Static_assert(READ_CHUNK > LEDGER_LINE_MAX, "a whole line fits a chunk");

struct slot {
	uint32_t serial;
	uint32_t line;		/* 1-based; 0: the slot is empty */
};

struct serial_set {
	struct slot *slot;
	size_t cap;		/* 1 << bits, or 0 before the first use */
	unsigned bits;
	size_t n;
};

struct ledger {
	char *path;
	int fd;
	bool locked;
	dev_t dev;		/* the file opened, to notice a replacement */
	ino_t ino;
	off_t off;		/* bytes of complete lines read and checked */
	uint64_t lines;		/* lines read and checked */
	struct serial_set set;
	bool any;		/* the ledger holds a serial */
	uint32_t max;		/* the largest it holds */
	bool reserved;		/* ledger_next_serial gave one under this lock */
	uint32_t reserved_max;	/* the largest it gave */
};

/* What ledger_find looks for, and what it found; or, for ledger_each,
 * what to call for every line. */
struct find {
	const uint32_t *serial;
	const char *order;
	size_t order_len;
	void (*fn)(const char *, size_t, void *);
	void (*each)(uint32_t, bool, uint32_t, void *);
	void *arg;
	long count;
};

/* Per read: the chunk buffer and room for one parsed line. */
struct scan {
	char chunk[READ_CHUNK];
	char parsed[LEDGER_LINE_MAX + 1U];
	jl_object obj;
	char why[PARSE_ERR_CAP];
};


/* ---- the set of serials ------------------------------------------------ */

static size_t
slot_of(uint32_t serial, unsigned bits)
{
	return (size_t)(((uint64_t)serial * UINT64_C(0x9e3779b97f4a7c15)) >>
	    (64U - bits));
}

/* The line holding serial, or 0. */
static uint32_t
set_find(const struct serial_set *s, uint32_t serial)
{
	size_t i, mask;

	if (s->cap == 0)
		return 0;
	mask = s->cap - 1U;
	for (i = slot_of(serial, s->bits); s->slot[i].line != 0;
	    i = (i + 1U) & mask)
		if (s->slot[i].serial == serial)
			return s->slot[i].line;
	return 0;
}

/* Inserts into a table known to have room and not to hold serial. */
static void
set_place(struct slot *slot, size_t cap, unsigned bits, uint32_t serial,
    uint32_t line)
{
	size_t i = slot_of(serial, bits);

	while (slot[i].line != 0)
		i = (i + 1U) & (cap - 1U);
	slot[i].serial = serial;
	slot[i].line = line;
}

/* Room for `extra` more serials, so that set_put cannot fail. */
static int
set_reserve(struct serial_set *s, size_t extra)
{
	struct slot *slot;
	size_t cap = s->cap, need, i;
	unsigned bits = s->bits;

	if (extra > SIZE_MAX / 4U - s->n)
		return -1;
	need = s->n + extra;
	if (cap == 0) {
		bits = SET_MIN_BITS;
		cap = (size_t)1 << bits;
	}
	while (need > cap / 4U * 3U) {
		if (bits >= 40U || cap > SIZE_MAX / 2U / sizeof(*slot))
			return -1;
		bits++;
		cap <<= 1;
	}
	if (cap == s->cap)
		return 0;
	if ((slot = calloc(cap, sizeof(*slot))) == NULL)
		return -1;
	for (i = 0; i < s->cap; i++)
		if (s->slot[i].line != 0)
			set_place(slot, cap, bits, s->slot[i].serial,
			    s->slot[i].line);
	free(s->slot);
	s->slot = slot;
	s->cap = cap;
	s->bits = bits;
	return 0;
}

/* Adds serial at line (after set_reserve); 0, or the line already holding
 * it (then nothing changes). */
static uint32_t
set_put(struct serial_set *s, uint32_t serial, uint32_t line)
{
	uint32_t had = set_find(s, serial);

	if (had != 0)
		return had;
	set_place(s->slot, s->cap, s->bits, serial, line);
	s->n++;
	return 0;
}

static void
set_free(struct serial_set *s)
{
	free(s->slot);
	memset(s, 0, sizeof(*s));
}

/* ---- reading ----------------------------------------------------------- */

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

/*
 * Checks one complete line (without its '\n'), adds its serial to the set
 * and, for ledger_find, delivers it if it matches. `line` is writable and
 * has a byte after it for the NUL.
 */
static int
take_line(ledger *l, struct scan *sc, struct find *want, char *line,
    size_t len, char *err, size_t errcap)
{
	const jl_field *f;
	uint64_t no = l->lines + 1U;
	uint32_t serial, had, key_id;
	bool has_id;

	if (no > UINT32_MAX) {
		msg_fail(err, errcap, "%s: more than %" PRIu32 " lines", l->path,
		    UINT32_MAX);
		return -1;
	}
	if (jsonline_parse(line, len, sc->parsed, sizeof(sc->parsed),
	    &sc->obj, sc->why, sizeof(sc->why)) != 0) {
		msg_fail(err, errcap, "%s: line %" PRIu64 ": %s", l->path, no,
		    sc->why);
		return -1;
	}
	if ((f = jsonline_get(&sc->obj, "serial")) == NULL) {
		msg_fail(err, errcap, "%s: line %" PRIu64 ": no serial", l->path,
		    no);
		return -1;
	}
	if (!parse_serial(f, &serial)) {
		msg_fail(err, errcap, "%s: line %" PRIu64 ": the serial is not a "
		    "whole number from 0 to 4294967295", l->path, no);
		return -1;
	}
	if ((f = jsonline_get(&sc->obj, "key")) == NULL) {
		msg_fail(err, errcap, "%s: line %" PRIu64 ": no key", l->path, no);
		return -1;
	}
	if (f->type != JL_STRING || f->len == 0) {
		msg_fail(err, errcap, "%s: line %" PRIu64 ": the key is not a "
		    "non-empty string", l->path, no);
		return -1;
	}
	f = jsonline_get(&sc->obj, "order");
	if (f != NULL && f->type != JL_STRING && f->type != JL_NULL) {
		msg_fail(err, errcap, "%s: line %" PRIu64 ": the order is not a "
		    "string or null", l->path, no);
		return -1;
	}
	if (set_reserve(&l->set, 1) != 0) {
		msg_fail(err, errcap, "%s: out of memory", l->path);
		return -1;
	}
	if ((had = set_put(&l->set, serial, (uint32_t)no)) != 0) {
		msg_fail(err, errcap, "%s: line %" PRIu64 ": serial %" PRIu32
		    " was already issued (ledger line %" PRIu32 ")", l->path,
		    no, serial, had);
		return -1;
	}
	if (!l->any || serial > l->max)
		l->max = serial;
	l->any = true;
	l->lines = no;
	l->off += (off_t)len + 1;

	if (want != NULL && want->each != NULL) {
		has_id = line_key_id(&sc->obj, &key_id);
		want->each(serial, has_id, key_id, want->arg);
	}
	if (want != NULL && want->fn != NULL &&
	    (want->serial == NULL || *want->serial == serial) &&
	    (want->order == NULL || (f != NULL && f->type == JL_STRING &&
	    f->len == want->order_len &&
	    memcmp(f->value, want->order, f->len) == 0))) {
		line[len] = '\0';
		if (want->count < LONG_MAX)
			want->count++;
		want->fn(line, len, want->arg);
	}
	return 0;
}

/*
 * Reads and checks the file from l->off to its end, advancing l->off and
 * l->lines past each good line. The caller holds a lock, so the end is the
 * end: an incomplete last line is a torn write, not one in progress.
 */
static int
scan(ledger *l, struct find *want, char *err, size_t errcap)
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
		msg_fail(err, errcap, "%s: the last line (line %" PRIu64 ", byte "
		    "offset %jd) is incomplete: a write was interrupted; check "
		    "it and remove it by hand", l->path, l->lines + 1U,
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

/* ---- locks ------------------------------------------------------------- */

/* Waits for a lock of `type` on the whole file (F_UNLCK releases it). */
static int
lock_file(int fd, short type)
{
	struct flock fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	fl.l_start = 0;
	fl.l_len = 0;
	while (fcntl(fd, F_SETLKW, &fl) == -1)
		if (errno != EINTR)
			return -1;
	return 0;
}

/* ---- opening ----------------------------------------------------------- */

static ledger *
ledger_new(const char *path)
{
	ledger *l;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	if ((l->path = strdup(path)) == NULL) {
		free(l);
		return NULL;
	}
	l->fd = -1;
	return l;
}

/* Makes a new file's name durable: fsync of the directory holding it. */
static int
sync_parent(const char *path, char *err, size_t errcap)
{
	char dir[FILE_PATH_MAX];
	const char *name;
	int dfd, rc = 0;

	if (file_split(path, dir, &name) == -1 ||
	    (dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		msg_fail(err, errcap, "%s: cannot open its directory: %s", path,
		    strerror(errno));
		return -1;
	}
	if (file_sync_dir(dfd) == -1) {
		msg_fail(err, errcap, "%s: cannot sync its directory: %s", path,
		    strerror(errno));
		rc = -1;
	}
	(void)close(dfd);
	return rc;
}

/* A regular file, then back to blocking I/O (O_NONBLOCK was for FIFOs). */
static int
check_regular(int fd, const char *path, struct stat *st, char *err,
    size_t errcap)
{
	int fl;

	if (fstat(fd, st) == -1) {
		msg_fail(err, errcap, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		msg_fail(err, errcap, "%s: not a regular file", path);
		return -1;
	}
	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == -1) {
		msg_fail(err, errcap, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static void
open_failed(const char *path, const char *how, char *err, size_t errcap)
{
	if (errno == ELOOP)
		msg_fail(err, errcap, "%s: is a symbolic link; refusing to follow "
		    "it", path);
	else
		msg_fail(err, errcap, "%s: cannot open %s: %s", path, how,
		    strerror(errno));
}

int
ledger_open(const char *path, ledger **out, char *err, size_t errcap)
{
	/* O_NONBLOCK: a FIFO must not hang us before fstat refuses it. */
	const int flags = O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW |
	    O_NONBLOCK;
	struct stat st;
	ledger *l;
	bool created = false;
	int tries;

	*out = NULL;
	if ((l = ledger_new(path)) == NULL) {
		msg_fail(err, errcap, "%s: out of memory", path);
		return -1;
	}
	/* Without O_EXCL we could not tell whether we made the file. */
	for (tries = 0; tries < 3 && l->fd == -1; tries++) {
		if ((l->fd = open(path, flags)) != -1 || errno != ENOENT)
			break;
		if ((l->fd = open(path, flags | O_CREAT | O_EXCL, 0600)) != -1)
			created = true;
		else if (errno != EEXIST)
			break;
	}
	if (l->fd == -1) {
		open_failed(path, "for writing", err, errcap);
		goto fail;
	}
	if (check_regular(l->fd, path, &st, err, errcap) != 0)
		goto fail;
	l->dev = st.st_dev;
	l->ino = st.st_ino;
	if (created && sync_parent(path, err, errcap) != 0)
		goto fail;
	/* A writer may be in the middle of a write: wait for it. */
	if (lock_file(l->fd, F_RDLCK) == -1) {
		msg_fail(err, errcap, "%s: cannot lock: %s", path, strerror(errno));
		goto fail;
	}
	if (scan(l, NULL, err, errcap) != 0)
		goto fail;
	if (lock_file(l->fd, F_UNLCK) == -1) {
		msg_fail(err, errcap, "%s: cannot unlock: %s", path,
		    strerror(errno));
		goto fail;
	}
	*out = l;
	return 0;
fail:
	ledger_close(l);
	return -1;
}

int
ledger_lock(ledger *l, char *err, size_t errcap)
{
	struct stat st;

	if (l->locked) {
		msg_fail(err, errcap, "%s: already locked", l->path);
		return -1;
	}
	if (lock_file(l->fd, F_WRLCK) == -1) {
		msg_fail(err, errcap, "%s: cannot lock: %s", l->path,
		    strerror(errno));
		return -1;
	}
	l->locked = true;
	l->reserved = false;
	/*
	 * A ledger renamed over ours, or one cut short, would make our
	 * serials and line numbers wrong: stop rather than guess.
	 */
	if (lstat(l->path, &st) == -1 || st.st_dev != l->dev ||
	    st.st_ino != l->ino) {
		msg_fail(err, errcap, "%s: was replaced or removed since it was "
		    "opened", l->path);
		goto fail;
	}
	if (fstat(l->fd, &st) == -1) {
		msg_fail(err, errcap, "%s: %s", l->path, strerror(errno));
		goto fail;
	}
	if (st.st_size < l->off) {
		msg_fail(err, errcap, "%s: is shorter than when it was read: "
		    "someone removed lines", l->path);
		goto fail;
	}
	if (scan(l, NULL, err, errcap) != 0)
		goto fail;
	return 0;
fail:
	(void)lock_file(l->fd, F_UNLCK);
	l->locked = false;
	return -1;
}

int
ledger_unlock(ledger *l, char *err, size_t errcap)
{
	if (!l->locked) {
		msg_fail(err, errcap, "%s: not locked", l->path);
		return -1;
	}
	l->locked = false;
	l->reserved = false;
	if (lock_file(l->fd, F_UNLCK) == -1) {
		msg_fail(err, errcap, "%s: cannot unlock: %s", l->path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

bool
ledger_has_serial(const ledger *l, uint32_t serial)
{
	return set_find(&l->set, serial) != 0;
}

int
ledger_next_serial(ledger *l, uint32_t *serial, char *err, size_t errcap)
{
	uint32_t top;
	bool any;

	if (!l->locked) {
		msg_fail(err, errcap, "%s: not locked", l->path);
		return -1;
	}
	any = l->any || l->reserved;
	top = l->max;
	if (l->reserved && (!l->any || l->reserved_max > top))
		top = l->reserved_max;
	if (any && top == UINT32_MAX) {
		msg_fail(err, errcap, "%s: no serials left: serial 4294967295 is "
		    "taken", l->path);
		return -1;
	}
	*serial = any ? top + 1U : 1U;
	l->reserved = true;
	l->reserved_max = *serial;
	return 0;
}

/* ---- appending --------------------------------------------------------- */

/* A growing buffer; `bad` once anything did not fit or memory ran out. */
struct out {
	char *p;
	size_t len, cap;
	bool bad;
};

static bool
out_room(struct out *o, size_t n)
{
	size_t cap;
	char *p;

	if (o->bad)
		return false;
	if (n <= o->cap - o->len)
		return true;
	cap = o->cap == 0 ? 4096U : o->cap;
	while (cap - o->len < n) {
		if (cap > SIZE_MAX / 2U) {
			o->bad = true;
			return false;
		}
		cap *= 2U;
	}
	if ((p = realloc(o->p, cap)) == NULL) {
		o->bad = true;
		return false;
	}
	o->p = p;
	o->cap = cap;
	return true;
}

/* Appends n bytes; false once memory ran out. */
static bool
out_put(struct out *o, const char *p, size_t n)
{
	if (!out_room(o, n))
		return false;
	memcpy(o->p + o->len, p, n);
	o->len += n;
	return true;
}

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
		return msg_fail(err, errcap, "serial %" PRIu32 ": the order id is "
		    "longer than %u bytes", lic->serial, LEDGER_ORDER_MAX);
	if (lic->licensee_len > LKEY_LICENSEE_MAX)
		return msg_fail(err, errcap, "serial %" PRIu32 ": the licensee is "
		    "longer than %u bytes", lic->serial, LKEY_LICENSEE_MAX);
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

/*
 * The fields of entry e, in the order ledger.h gives. On a refusal says
 * why in err (without the path: the fault is in the entry, not the file).
 */
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
		return msg_fail(err, errcap, "serial %" PRIu32 ": the order id is "
		    "not UTF-8 text", lic->serial);
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
	if (!text_field(j, "licensee", lic->licensee_len > 0 ? lic->licensee :
	    NULL, lic->licensee_len))
		return msg_fail(err, errcap, "serial %" PRIu32 ": the licensee is "
		    "not UTF-8 text", lic->serial);
	jsonout_day(j, "issued", lic->issued);
	jsonout_uint(j, "grace_days", lic->grace_days);
	jsonout_uint(j, "notice_days", lic->notice_days);
	jsonout_bool(j, "trial", lic->trial);
	module_text(lic, modules);
	jsonout_str(j, "module_seats", modules);
	cli_host_format(lic->host, host);
	text_field(j, "host", lic->host_bound ? host : NULL, strlen(host));
	if (!text_field(j, "key", e->key, strlen(e->key)))
		return msg_fail(err, errcap, "serial %" PRIu32 ": the key is not "
		    "text", lic->serial);
	jsonout_close(j);
	return 0;
}

/* Appends the line of entry e, with its '\n', to o. */
static int
format_entry(const ledger_entry *e, struct out *o, char *err, size_t errcap)
{
	char line[LEDGER_LINE_MAX];
	jsonout j;
	size_t n;

	if (entry_refused(e, err, errcap) != 0)
		return -1;
	/* The line and its '\n' fit LEDGER_LINE_MAX: cap less the NUL. */
	jsonout_init(&j, line, sizeof line);
	if (write_entry(e, &j, err, errcap) != 0)
		return -1;
	if ((n = jsonout_finish(&j)) == 0)
		return msg_fail(err, errcap, "serial %" PRIu32 ": the ledger line "
		    "would be longer than %u bytes", e->lic->serial,
		    LEDGER_LINE_MAX);
	line[n++] = '\n';
	if (!out_put(o, line, n))
		return msg_fail(err, errcap, "out of memory");
	return 0;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Serials the ledger holds, or that come twice among the entries. */
static int
check_serials(const ledger *l, const ledger_entry *e, size_t n, char *err,
    size_t errcap)
{
	uint32_t *s, line;
	size_t i;

	for (i = 0; i < n; i++)
		if ((line = set_find(&l->set, e[i].lic->serial)) != 0) {
			msg_fail(err, errcap, "serial %" PRIu32 " was already "
			    "issued (ledger line %" PRIu32 ")",
			    e[i].lic->serial, line);
			return -1;
		}
	if (n < 2)
		return 0;
	if ((s = calloc(n, sizeof(*s))) == NULL) {
		msg_fail(err, errcap, "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++)
		s[i] = e[i].lic->serial;
	qsort(s, n, sizeof(*s), cmp_u32);
	for (i = 1; i < n; i++)
		if (s[i] == s[i - 1]) {
			msg_fail(err, errcap, "serial %" PRIu32 " comes twice "
			    "among the keys to record", s[i]);
			free(s);
			return -1;
		}
	free(s);
	return 0;
}

int
ledger_append(ledger *l, const ledger_entry *e, size_t n, char *err,
    size_t errcap)
{
	struct out o = { NULL, 0, 0, false };
	struct stat st;
	char why[256];
	size_t i;
	int rc = -1, saved;

	if (!l->locked) {
		msg_fail(err, errcap, "%s: not locked", l->path);
		return -1;
	}
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (format_entry(&e[i], &o, err, errcap) != 0)
			goto out;
	if (check_serials(l, e, n, err, errcap) != 0)
		goto out;
	if (l->lines + n > UINT32_MAX) {
		msg_fail(err, errcap, "%s: more than %" PRIu32 " lines", l->path,
		    UINT32_MAX);
		goto out;
	}
	/* So that recording the serials cannot fail once they are written. */
	if (set_reserve(&l->set, n) != 0) {
		msg_fail(err, errcap, "out of memory");
		goto out;
	}
	if (fstat(l->fd, &st) == -1) {
		msg_fail(err, errcap, "%s: %s", l->path, strerror(errno));
		goto out;
	}
	/* Under our lock only we write: anything else is not playing fair. */
	if (st.st_size != l->off) {
		msg_fail(err, errcap, "%s: changed while locked: another program "
		    "writes to it without the lock", l->path);
		goto out;
	}

	if (file_write_all(l->fd, o.p, o.len) == 0 && file_sync(l->fd) == 0) {
		for (i = 0; i < n; i++) {
			(void)set_put(&l->set, e[i].lic->serial,
			    (uint32_t)(l->lines + i + 1U));
			if (!l->any || e[i].lic->serial > l->max)
				l->max = e[i].lic->serial;
			l->any = true;
		}
		l->lines += n;
		l->off += (off_t)o.len;
		rc = 0;
		goto out;
	}
	saved = errno;
	(void)snprintf(why, sizeof(why), "%s", strerror(saved));
	/* No partial line, and no line for a key that will not be printed. */
	if (ftruncate(l->fd, st.st_size) == -1 || file_sync(l->fd) == -1)
		msg_fail(err, errcap, "%s: cannot write: %s; and cannot cut it "
		    "back to %jd bytes: %s: check its last line by hand",
		    l->path, why, (intmax_t)st.st_size, strerror(errno));
	else
		msg_fail(err, errcap, "%s: cannot write: %s", l->path, why);
out:
	free(o.p);
	return rc;
}

void
ledger_close(ledger *l)
{
	if (l == NULL)
		return;
	if (l->fd != -1)
		(void)close(l->fd);
	set_free(&l->set);
	free(l->path);
	free(l);
}

/* ---- searching --------------------------------------------------------- */

/* Reads the ledger at path for ledger_find and ledger_each. */
static int
read_for(const char *path, struct find *want, char *err, size_t errcap)
{
	struct stat st;
	ledger *l;
	int rc = -1;

	if ((l = ledger_new(path)) == NULL) {
		msg_fail(err, errcap, "%s: out of memory", path);
		return -1;
	}
	if ((l->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW |
	    O_NONBLOCK)) == -1) {
		open_failed(path, "for reading", err, errcap);
		goto out;
	}
	if (check_regular(l->fd, path, &st, err, errcap) != 0)
		goto out;
	if (lock_file(l->fd, F_RDLCK) == -1) {
		msg_fail(err, errcap, "%s: cannot lock: %s", path, strerror(errno));
		goto out;
	}
	rc = scan(l, want, err, errcap);
out:
	ledger_close(l);
	return rc;
}

long
ledger_find(const char *path, const uint32_t *serial, const char *order,
    void (*fn)(const char *line, size_t len, void *arg), void *arg,
    char *err, size_t errcap)
{
	struct find want;

	memset(&want, 0, sizeof(want));
	want.serial = serial;
	want.order = order;
	want.order_len = order != NULL ? strlen(order) : 0;
	want.fn = fn;
	want.arg = arg;
	if (read_for(path, &want, err, errcap) != 0)
		return -1;
	return want.count;
}

int
ledger_each(const char *path, void (*fn)(uint32_t serial, bool has_id,
    uint32_t key_id, void *arg), void *arg, char *err, size_t errcap)
{
	struct find want;

	memset(&want, 0, sizeof(want));
	want.each = fn;
	want.arg = arg;
	return read_for(path, &want, err, errcap);
}

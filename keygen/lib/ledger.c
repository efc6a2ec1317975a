/*
 * ledger.c - the issuance ledger (see ledger.h): opening it, appending to
 * it, closing it
 *
 * A key printed but not recorded must not happen: ledger_append returns
 * only after the lines are written and fsync()ed, and the caller prints
 * after that. Nor half a line: each append is built in memory and written
 * with as few write() calls as possible; if one fails, the file is cut
 * back to its size before. The other files of the ledger read and check
 * its lines (ledger_scan.c), hold its lock (ledger_lock.c), write the line
 * of an entry (ledger_line.c) and answer questions (ledger_find.c).
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"
#include "ledger_int.h"
#include "msg.h"

/* A growing buffer; `bad` once anything did not fit or memory ran out. */
struct out {
	char *p;
	size_t len, cap;
	bool bad;
};

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
		msg_fail(err, errcap, "%s: is a symbolic link; refusing to "
		    "follow it", path);
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
	if (ledger_lock_file(l->fd, F_RDLCK) == -1) {
		msg_fail(err, errcap, "%s: cannot lock: %s", path,
		    strerror(errno));
		goto fail;
	}
	if (ledger_scan(l, NULL, err, errcap) != 0)
		goto fail;
	if (ledger_lock_file(l->fd, F_UNLCK) == -1) {
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
ledger_read(const char *path, struct ledger_find *want, char *err,
    size_t errcap)
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
	if (ledger_lock_file(l->fd, F_RDLCK) == -1) {
		msg_fail(err, errcap, "%s: cannot lock: %s", path,
		    strerror(errno));
		goto out;
	}
	rc = ledger_scan(l, want, err, errcap);
out:
	ledger_close(l);
	return rc;
}

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
		if ((line = serial_set_find(&l->set, e[i].lic->serial)) != 0) {
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
	char line[LEDGER_LINE_MAX], why[256];
	size_t i, len;
	int rc = -1, saved;

	if (!l->locked) {
		msg_fail(err, errcap, "%s: not locked", l->path);
		return -1;
	}
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (ledger_line(&e[i], line, &len, err, errcap) != 0)
			goto out;
		if (!out_put(&o, line, len)) {
			msg_fail(err, errcap, "out of memory");
			goto out;
		}
	}
	if (check_serials(l, e, n, err, errcap) != 0)
		goto out;
	if (l->lines + n > UINT32_MAX) {
		msg_fail(err, errcap, "%s: more than %" PRIu32 " lines",
		    l->path, UINT32_MAX);
		goto out;
	}
	/* So that recording the serials cannot fail once they are written. */
	if (serial_set_reserve(&l->set, n) != 0) {
		msg_fail(err, errcap, "out of memory");
		goto out;
	}
	if (fstat(l->fd, &st) == -1) {
		msg_fail(err, errcap, "%s: %s", l->path, strerror(errno));
		goto out;
	}
	/* Under our lock only we write: anything else is not playing fair. */
	if (st.st_size != l->off) {
		msg_fail(err, errcap, "%s: changed while locked: another "
		    "program writes to it without the lock", l->path);
		goto out;
	}

	if (file_write_all(l->fd, o.p, o.len) == 0 && file_sync(l->fd) == 0) {
		for (i = 0; i < n; i++) {
			(void)serial_set_put(&l->set, e[i].lic->serial,
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
	serial_set_free(&l->set);
	free(l->path);
	free(l);
}

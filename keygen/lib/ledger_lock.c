/*
 * ledger_lock.c - the ledger's lock, and the serials handed out under it
 *
 * Two processes must never hand out one serial. Serials are allocated and
 * lines appended only under an exclusive fcntl lock on the whole file, and
 * taking the lock first reads whatever others appended, so the set of
 * serials in memory is complete while the lock is held.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "ledger_int.h"
#include "msg.h"

int
ledger_lock_file(int fd, short type)
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

int
ledger_lock(ledger *l, char *err, size_t errcap)
{
	struct stat st;

	if (l->locked) {
		msg_fail(err, errcap, "%s: already locked", l->path);
		return -1;
	}
	if (ledger_lock_file(l->fd, F_WRLCK) == -1) {
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
		msg_fail(err, errcap, "%s: was replaced or removed since it "
		    "was opened", l->path);
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
	if (ledger_scan(l, NULL, err, errcap) != 0)
		goto fail;
	return 0;
fail:
	(void)ledger_lock_file(l->fd, F_UNLCK);
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
	if (ledger_lock_file(l->fd, F_UNLCK) == -1) {
		msg_fail(err, errcap, "%s: cannot unlock: %s", l->path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

bool
ledger_has_serial(const ledger *l, uint32_t serial)
{
	return serial_set_find(&l->set, serial) != 0;
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
		msg_fail(err, errcap, "%s: no serials left: serial 4294967295 "
		    "is taken", l->path);
		return -1;
	}
	*serial = any ? top + 1U : 1U;
	l->reserved = true;
	l->reserved_max = *serial;
	return 0;
}

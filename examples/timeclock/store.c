/*
 * store.c - bounded reads and atomic replacement of the data files
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"

#define STORE_MODE 0644

static int fail(char *err, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Writes one line into err; returns -1 for the caller to return. */
static int
fail(char *err, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(err, cap, fmt, ap);
	va_end(ap);
	return -1;
}

/* DIR/NAME into out, or -1 if it does not fit. */
static int
join(char out[STORE_PATH_MAX], const char *dir, const char *name)
{
	int n = snprintf(out, STORE_PATH_MAX, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= STORE_PATH_MAX ? -1 : 0;
}

int
store_read(const char *dir, const char *name, char *buf, size_t cap,
    size_t *len, char *err, size_t errcap)
{
	char path[STORE_PATH_MAX];
	struct stat st;
	ssize_t n;
	int fd, saved;

	*len = 0;
	buf[0] = '\0';
	if (join(path, dir, name) != 0)
		return fail(err, errcap, "%s: path too long", dir);
	/* O_NONBLOCK: a FIFO planted here must not hang us before fstat. */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1 && errno == ENOENT)
		return STORE_NONE;
	if (fd == -1)
		return fail(err, errcap, "%s: cannot read: %s", path,
		    strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		(void)close(fd);
		return fail(err, errcap, "%s: not a regular file", path);
	}
	/* A file that fills buf leaves no room for the NUL: too big. */
	while (*len < cap) {
		n = read(fd, buf + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			saved = errno;
			(void)close(fd);
			return fail(err, errcap, "%s: cannot read: %s", path,
			    strerror(saved));
		}
		if (n == 0)
			break;
		*len += (size_t)n;
	}
	(void)close(fd);
	if (*len == cap) {
		*len = 0;
		buf[0] = '\0';
		return fail(err, errcap, "%s: too big (more than %zu bytes)",
		    path, cap - 1U);
	}
	buf[*len] = '\0';
	return 0;
}

/*
 * The "Register licence" button must never leave a damaged licence behind:
 * a power cut between truncating a file and writing it would. So the new
 * contents go to a temporary file in the same directory (rename is atomic
 * only within one file system), which is synced and then renamed over the
 * old name; syncing the directory makes the rename itself durable.
 */
int
store_replace(const char *dir, const char *name, const char *data,
    size_t len, char *err, size_t errcap)
{
	char path[STORE_PATH_MAX], tmp[STORE_PATH_MAX];
	const char *what = "cannot write";
	size_t done = 0;
	ssize_t n;
	int fd, dfd, rc, saved;

	if (join(path, dir, name) != 0 || snprintf(tmp, sizeof(tmp),
	    "%s/.%s.XXXXXX", dir, name) >= (int)sizeof(tmp))
		return fail(err, errcap, "%s: path too long", dir);
	if ((fd = mkstemp(tmp)) == -1)
		return fail(err, errcap, "%s: cannot create a file in %s: %s",
		    path, dir, strerror(errno));
	if (fchmod(fd, STORE_MODE) != 0)
		goto fail;
	while (done < len) {
		n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			errno = n == 0 ? EIO : errno;
			goto fail;
		}
		done += (size_t)n;
	}
	if (fsync(fd) != 0)
		goto fail;
	rc = close(fd);
	fd = -1;
	if (rc != 0 || rename(tmp, path) != 0)
		goto fail;
	what = "replaced, but cannot sync its directory";
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return fail(err, errcap, "%s: %s: %s", path, what,
		    strerror(errno));
	if (fsync(dfd) != 0) {
		saved = errno;
		(void)close(dfd);
		return fail(err, errcap, "%s: %s: %s", path, what,
		    strerror(saved));
	}
	(void)close(dfd);
	return 0;
fail:
	saved = errno;
	if (fd != -1)
		(void)close(fd);
	(void)unlink(tmp);
	return fail(err, errcap, "%s: %s: %s; it is unchanged", path, what,
	    strerror(saved));
}

int
store_mkdir(const char *dir, char *err, size_t errcap)
{
	struct stat st;

	if (mkdir(dir, 0755) == 0)
		return 0;
	if (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	return fail(err, errcap, "%s: cannot create the data directory: %s",
	    dir, errno == EEXIST ? "not a directory" : strerror(errno));
}

/*
 * textfile.c - bounded reads of small files
 *
 * Every file the programs read (keys, key files, catalogs) is small; reading
 * stops one byte past the bound, so a 1 GiB "key" costs no more than a
 * legitimate one and nothing of it is decoded.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "textfile.h"

int
textfile_read(const char *path, int flags, char *buf, size_t cap, size_t *len,
    char *err, size_t errcap)
{
	int fd, oflags = O_RDONLY | O_CLOEXEC, rc = TEXTFILE_OK;
	size_t n = 0;

	*len = 0;
	if (cap > 0)
		buf[0] = '\0';
	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else {
		if (flags & TEXTFILE_NOFOLLOW)
			oflags |= O_NOFOLLOW;
		fd = open(path, oflags);
		if (fd < 0) {
			snprintf(err, errcap, "cannot open: %s",
			    errno == ELOOP ? "is a symbolic link" :
			    strerror(errno));
			return TEXTFILE_ERROR;
		}
	}
	for (;;) {
		ssize_t r;

		if (n == cap) {
			rc = TEXTFILE_TOO_BIG;
			snprintf(err, errcap, "too large (more than %zu bytes)",
			    cap - 1);
			break;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errcap, "cannot read: %s",
			    strerror(errno));
			rc = TEXTFILE_ERROR;
			break;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	if (rc == TEXTFILE_OK && n == cap) {
		rc = TEXTFILE_TOO_BIG;
		snprintf(err, errcap, "too large (more than %zu bytes)", cap - 1);
	}
	if (rc != TEXTFILE_OK) {
		if (cap > 0)
			buf[0] = '\0';
		return rc;
	}
	buf[n] = '\0';
	*len = n;
	return TEXTFILE_OK;
}

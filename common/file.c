/*
 * file.c - files written whole or not at all, never through a planted link
 *
 * A licence, a secret key or a ledger must never be left half-written or
 * missing, whatever happens: a full disk, a kill, a power cut. So a file
 * is never written in place. Its contents go to a fresh temporary file in
 * the same directory (same file system, so rename and link are atomic),
 * which is fsynced before it takes the real name; the caller then fsyncs
 * the directory so that the new name itself survives a crash.
 *
 * The temporary file is created O_EXCL|O_NOFOLLOW under a random name: a
 * file or a symbolic link planted at that name is refused, never written
 * through, and costs only another try. Nothing here opens an existing
 * name for writing.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "file.h"

/* Attempts at a temporary name that nobody holds. */
#define TMP_TRIES 64

int
file_write_all(int fd, const void *p, size_t len)
{
	const char *s = p;
	ssize_t n;

	while (len > 0) {
		n = write(fd, s, len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

int
file_sync(int fd)
{
	int r;

	do
		r = fsync(fd);
	while (r == -1 && errno == EINTR);
	return r;
}

int
file_sync_dir(int dfd)
{
	if (file_sync(dfd) == -1 && errno != EINVAL)
		return -1;
	return 0;
}

int
file_split(const char *path, char dir[FILE_PATH_MAX], const char **name)
{
	const char *slash = strrchr(path, '/');
	size_t k;

	*name = slash != NULL ? slash + 1 : path;
	if (**name == '\0' || strcmp(*name, ".") == 0 ||
	    strcmp(*name, "..") == 0) {
		errno = EINVAL;
		return -1;
	}
	if (slash == NULL) {
		memcpy(dir, ".", 2);
		return 0;
	}
	k = (size_t)(slash - path);
	while (k > 0 && path[k - 1] == '/')
		k--;
	if (k == 0) {
		memcpy(dir, "/", 2);
		return 0;
	}
	if (k >= FILE_PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(dir, path, k);
	dir[k] = '\0';
	return 0;
}

/* A new temporary name for `name` into tmp: ".NAME.tmp-" and 16 random
 * hex digits. */
static void
temp_name(const char *name, char tmp[FILE_TMP_CAP])
{
	unsigned char rnd[8];
	char hex[2 * sizeof rnd + 1];

	randombytes_buf(rnd, sizeof rnd);
	(void)sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
	(void)snprintf(tmp, FILE_TMP_CAP, ".%.*s.tmp-%s", FILE_TMP_KEEP, name,
	    hex);
}

/*
 * Creates a fresh temporary file for `name` in dfd (temp_name), with d's
 * mode as the kernel applies it (0600 for an exact mode, which fchmod sets
 * later). Returns the descriptor, or -1.
 */
static int
open_temp(int dfd, const char *name, const file_data *d,
    char tmp[FILE_TMP_CAP])
{
	int fd = -1, tries;

	for (tries = 0; tries < TMP_TRIES; tries++) {
		temp_name(name, tmp);
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_NOCTTY | O_CLOEXEC, d->exact ? 0600 : d->mode);
		if (fd != -1 || (errno != EEXIST && errno != EINTR))
			break;
	}
	return fd;
}

/*
 * Writes d to a new temporary file (its name into tmp): mode, data, fsync,
 * close. On failure the file is removed and tmp is "".
 */
static int
write_temp(int dfd, const char *name, const file_data *d,
    char tmp[FILE_TMP_CAP], int *step)
{
	size_t i;
	int fd, saved;

	*step = FILE_STEP_CREATE;
	if ((fd = open_temp(dfd, name, d, tmp)) == -1) {
		tmp[0] = '\0';
		return -1;
	}
	*step = FILE_STEP_WRITE;
	if (d->exact && fchmod(fd, d->mode) == -1)
		goto fail;
	for (i = 0; i < d->n; i++)
		if (file_write_all(fd, d->iov[i].iov_base,
		    d->iov[i].iov_len) == -1)
			goto fail;
	if (file_sync(fd) == -1)
		goto fail;
	/* close may be where a network file system reports a lost write. */
	if (close(fd) == -1 && errno != EINTR) {
		fd = -1;
		goto fail;
	}
	return 0;
fail:
	saved = errno;
	if (fd != -1)
		(void)close(fd);
	(void)unlinkat(dfd, tmp, 0);
	tmp[0] = '\0';
	errno = saved;
	return -1;
}

/* Renames the temporary name over `name`; on failure it is removed. */
static int
rename_temp(int dfd, const char *tmp, const char *name, int *step)
{
	int saved;

	if (renameat(dfd, tmp, dfd, name) == -1) {
		saved = errno;
		*step = FILE_STEP_RENAME;
		(void)unlinkat(dfd, tmp, 0);
		errno = saved;
		return -1;
	}
	return 0;
}

int
file_replace(int dfd, const char *name, const file_data *d, int *step)
{
	char tmp[FILE_TMP_CAP];

	if (write_temp(dfd, name, d, tmp, step) == -1)
		return -1;
	return rename_temp(dfd, tmp, name, step);
}

int
file_keep(int dfd, const char *name, const char *keep, int *step)
{
	char tmp[FILE_TMP_CAP];
	int r = -1, tries;

	*step = FILE_STEP_LINK;
	for (tries = 0; tries < TMP_TRIES && r == -1; tries++) {
		temp_name(keep, tmp);
		r = linkat(dfd, name, dfd, tmp, 0);
		if (r == -1 && errno != EEXIST && errno != EINTR)
			return -1;
	}
	if (r == -1)
		return -1;
	return rename_temp(dfd, tmp, keep, step);
}

int
file_create(int dfd, const char *name, const file_data *d,
    char tmp[FILE_TMP_CAP], int *step)
{
	int saved;

	if (write_temp(dfd, name, d, tmp, step) == -1)
		return -1;
	if (linkat(dfd, tmp, dfd, name, 0) == -1) {
		saved = errno;
		*step = FILE_STEP_LINK;
		(void)unlinkat(dfd, tmp, 0);
		errno = saved;
		return -1;
	}
	if (unlinkat(dfd, tmp, 0) == -1) {
		saved = errno;
		*step = FILE_STEP_CLEANUP;
		(void)unlinkat(dfd, name, 0);
		errno = saved;
		return -1;
	}
	return 0;
}

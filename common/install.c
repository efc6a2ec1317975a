/*
 * install.c - reading and atomically replacing an installed licence file
 *
 * "Register licence" must never leave a half-written or missing licence
 * behind, whatever happens: a full disk, a kill, a power cut. So each file
 * is replaced whole through a temporary file beside it (file.c), and the
 * directory is fsynced after each rename. The previous licence is kept the
 * same way as PATH.prev, before PATH is touched.
 *
 * Symbolic links: rename replaces a link at PATH rather than its target, so
 * the installed licence would silently stop being where the product reads
 * it. A link at PATH is refused, by install_read too, so that the caller
 * stops before any work. Nothing is ever opened for writing by an existing
 * name: a link planted at PATH.prev or at a temporary name is replaced or
 * refused, never written through.
 *
 * A new licence file gets mode 0644 and the kernel applies the umask (and
 * any default ACL) as for any new file; reading the umask would mean
 * setting it, which is process-wide state shared with other threads. That
 * is why mkstemp (always 0600) is not used.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "file.h"
#include "install.h"
#include "msg.h"

/* Suffix of the previous licence. */
#define PREV_SUFFIX ".prev"

_Static_assert(INSTALL_PATH_MAX <= FILE_PATH_MAX, "a directory fits");


static void
clear(char *err, size_t errcap)
{
	if (err != NULL && errcap > 0)
		err[0] = '\0';
}

/*
 * A path that can name a licence file: not empty, shorter than
 * INSTALL_PATH_MAX, and naming a file (not ending in '/', ".", ".."). Its
 * directory goes to dir, its last component to *base.
 */
static int
split_path(const char *path, char dir[INSTALL_PATH_MAX], const char **base,
    char *err, size_t errcap)
{
	size_t n;

	*base = NULL;
	if (path == NULL || *path == '\0') {
		msg_fail(err, errcap, "no licence file given");
		return -1;
	}
	n = strlen(path);
	if (n >= INSTALL_PATH_MAX) {
		msg_fail(err, errcap, "%.40s...: path too long (%zu bytes, at "
		    "most %d)", path, n, INSTALL_PATH_MAX - 1);
		return -1;
	}
	if (file_split(path, dir, base) == -1) {
		*base = NULL;
		msg_fail(err, errcap, "%s: not the name of a file", path);
		return -1;
	}
	return 0;
}

/* The licence itself must be a regular file, reached without a link. */
static int
check_kind(const char *path, const struct stat *st, char *err, size_t errcap)
{
	if (S_ISLNK(st->st_mode)) {
		msg_fail(err, errcap, "%s: is a symbolic link; give the path "
		    "of the file itself", path);
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		msg_fail(err, errcap, "%s: not a regular file", path);
		return -1;
	}
	return 0;
}

/*
 * Opens the licence file for reading: 0 with *fd, INSTALL_NONE, or -1.
 * It may have changed since lstat: O_NOFOLLOW refuses a link that
 * appeared, O_NONBLOCK keeps a FIFO from blocking us until fstat says what
 * it is.
 */
static int
open_licence(const char *path, int *fd, char *err, size_t errcap)
{
	struct stat st;

	do
		*fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
		    O_CLOEXEC);
	while (*fd == -1 && errno == EINTR);
	if (*fd != -1)
		return 0;
	if (errno == ENOENT)
		return INSTALL_NONE;
	if (errno == ELOOP && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		(void)check_kind(path, &st, err, errcap);
	else
		msg_fail(err, errcap, "%s: cannot read: %s", path,
		    strerror(errno));
	return -1;
}

/* Reads fd to its end, stopping one byte past the bound: a huge file
 * costs cap bytes. */
static int
read_bounded(int fd, const char *path, char *text, size_t cap, size_t *len,
    char *err, size_t errcap)
{
	size_t n = 0;
	ssize_t r;

	for (;;) {
		if (n == cap) {
			msg_fail(err, errcap, "%s: too big to be a licence "
			    "file (more than %zu bytes)", path, cap - 1);
			return INSTALL_TOO_BIG;
		}
		r = read(fd, text + n, cap - n);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			msg_fail(err, errcap, "%s: cannot read: %s", path,
			    strerror(errno));
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	text[n] = '\0';
	*len = n;
	return 0;
}

int
install_read(const char *path, char *text, size_t cap, size_t *len,
    char *err, size_t errcap)
{
	char dir[INSTALL_PATH_MAX];
	const char *base;
	struct stat st;
	int fd, rc;

	*len = 0;
	if (cap > 0)
		text[0] = '\0';
	clear(err, errcap);
	if (split_path(path, dir, &base, err, errcap) == -1)
		return -1;
	if (cap == 0) {
		msg_fail(err, errcap, "%s: no room to read it into", path);
		return -1;
	}
	if (lstat(path, &st) == -1) {
		if (errno == ENOENT)
			return INSTALL_NONE;
		msg_fail(err, errcap, "%s: cannot read: %s", path,
		    strerror(errno));
		return -1;
	}
	if (check_kind(path, &st, err, errcap) == -1)
		return -1;
	if ((rc = open_licence(path, &fd, err, errcap)) != 0)
		return rc;
	if (fstat(fd, &st) == -1) {
		msg_fail(err, errcap, "%s: cannot read: %s", path,
		    strerror(errno));
		rc = -1;
	} else if (check_kind(path, &st, err, errcap) == -1)
		rc = -1;
	else
		rc = read_bounded(fd, path, text, cap, len, err, errcap);
	(void)close(fd);
	if (rc != 0) {
		text[0] = '\0';
		*len = 0;
	}
	return rc;
}

/*
 * Replaces dfd/name (shown as `shown`; dir is dfd's name) with the bytes
 * of a then b, whole or not at all, then syncs the directory (`synced` is
 * what a failure to sync it adds to the message). The new file gets *mode,
 * or with mode NULL 0644 less the umask.
 */
static int
replace(int dfd, const char *dir, const char *name, const char *shown,
    const char *a, size_t alen, const char *b, size_t blen,
    const mode_t *mode, const char *synced, char *err, size_t errcap)
{
	struct iovec iov[2];
	file_data d;
	int step;

	iov[0].iov_base = (void *)(uintptr_t)a;
	iov[0].iov_len = alen;
	iov[1].iov_base = (void *)(uintptr_t)b;
	iov[1].iov_len = blen;
	d.iov = iov;
	d.n = 2;
	d.mode = mode != NULL ? *mode : 0644;
	d.exact = mode != NULL;
	if (file_replace(dfd, name, &d, &step) == -1) {
		if (step == FILE_STEP_CREATE)
			return msg_fail(err, errcap, "%s: cannot create a file "
			    "there: %s", dir, strerror(errno));
		return msg_fail(err, errcap, "%s: cannot %s: %s", shown,
		    step == FILE_STEP_WRITE ? "write" : "replace",
		    strerror(errno));
	}
	if (file_sync_dir(dfd) == -1) {
		msg_fail(err, errcap, "%s: cannot sync the directory: %s%s",
		    dir, strerror(errno), synced);
		return -1;
	}
	return 0;
}

/* PATH (base in dfd) becomes PATH.prev as well, by a second name. */
static int
keep_whole(int dfd, const char *dir, const char *base, const char *prevname,
    const char *prevpath, char *err, size_t errcap)
{
	int step;

	if (file_keep(dfd, base, prevname, &step) == -1)
		return msg_fail(err, errcap, "%s: cannot %s: %s", prevpath,
		    step == FILE_STEP_LINK ? "create it" : "replace it",
		    strerror(errno));
	if (file_sync_dir(dfd) == -1)
		return msg_fail(err, errcap, "%s: cannot sync the directory: "
		    "%s", dir, strerror(errno));
	return 0;
}

int
install_write(const char *path, const char *key, size_t len,
    const char *old, size_t oldlen, bool had_old, char *err, size_t errcap)
{
	char dir[INSTALL_PATH_MAX];
	char prevpath[INSTALL_PATH_MAX + sizeof PREV_SUFFIX];
	char prevname[INSTALL_PATH_MAX + sizeof PREV_SUFFIX];
	char undo[INSTALL_PATH_MAX + 64];
	const char *base;
	struct stat st;
	mode_t mode = 0;
	bool have_mode = false;
	int dfd = -1, ret = -1, n;

	msg_fail(err, errcap, "internal error");
	if (split_path(path, dir, &base, err, errcap) == -1)
		return -1;
	if (key == NULL && len > 0) {
		msg_fail(err, errcap, "%s: internal error: no data to write",
		    path);
		return -1;
	}
	n = snprintf(prevpath, sizeof prevpath, "%s%s", path, PREV_SUFFIX);
	if (n < 0 || (size_t)n >= sizeof prevpath)
		return -1;
	n = snprintf(prevname, sizeof prevname, "%s%s", base, PREV_SUFFIX);
	if (n < 0 || (size_t)n >= sizeof prevname)
		return -1;

	/* Everything below is relative to this one directory. */
	do
		dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	while (dfd == -1 && errno == EINTR);
	if (dfd == -1) {
		msg_fail(err, errcap, "%s: cannot open the directory %s: %s",
		    path, dir, strerror(errno));
		goto out;
	}
	if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (check_kind(path, &st, err, errcap) == -1)
			goto out;
		mode = st.st_mode & 0777;
		have_mode = true;
	} else if (errno != ENOENT) {
		msg_fail(err, errcap, "%s: %s", path, strerror(errno));
		goto out;
	}

	/* The previous licence is safe before PATH is touched. */
	if (had_old && old == NULL && keep_whole(dfd, dir, base, prevname,
	    prevpath, err, errcap) == -1)
		goto out;
	if (had_old && old != NULL && replace(dfd, dir, prevname, prevpath,
	    old, oldlen, NULL, 0, have_mode ? &mode : NULL, "", err,
	    errcap) == -1)
		goto out;
	(void)snprintf(undo, sizeof undo, "; %s holds the new licence but a "
	    "crash may undo it", path);
	if (replace(dfd, dir, base, path, key, len, "\n", 1,
	    have_mode ? &mode : NULL, undo, err, errcap) == -1)
		goto out;
	ret = 0;
	clear(err, errcap);
out:
	if (dfd != -1)
		(void)close(dfd);
	return ret;
}

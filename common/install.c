/*
 * install.c - reading and atomically replacing an installed licence file
 *
 * "Register licence" must never leave a half-written or missing licence
 * behind, whatever happens: a full disk, a kill, a power cut. So a file is
 * never written in place. Its new contents go to a fresh temporary file in
 * the same directory (same file system, so rename is atomic), which is
 * fsynced and then renamed over the old name; the directory is fsynced so
 * that the rename itself survives a crash. The previous licence is kept the
 * same way as PATH.prev, before PATH is touched.
 *
 * Symbolic links: rename replaces a link at PATH rather than its target, so
 * the installed licence would silently stop being where the product reads
 * it. A link at PATH is refused, by install_read too, so that the caller
 * stops before any work. Temporary files are created O_EXCL|O_NOFOLLOW and
 * nothing is ever opened for writing by an existing name: a link planted at
 * PATH.prev or at a temporary name is replaced or refused, never written
 * through.
 *
 * The temporary file is created with mode 0644 and the kernel applies the
 * umask (and any default ACL) as for any new file; reading the umask would
 * mean setting it, which is process-wide state shared with other threads.
 * That is why mkstemp (always 0600) is not used.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "install.h"
#include "msg.h"

/* Suffix of the previous licence. */
#define PREV_SUFFIX ".prev"
/* ".NAME.tmp-" + 16 hex digits; NAME is cut so that this fits NAME_MAX. */
#define TMP_NAME_KEEP 200
#define TMP_NAME_CAP (1 + TMP_NAME_KEEP + 5 + 16 + 1)
/* Attempts at a temporary name that nobody holds. */
#define TMP_TRIES 64


static void
clear(char *err, size_t errcap)
{
	if (err != NULL && errcap > 0)
		err[0] = '\0';
}

/*
 * Splits path into its directory ("." when there is none; "/" for "/x";
 * trailing slashes dropped) and its last component, which must name a file:
 * not empty (a path ending in '/'), "." or "..". The caller's string is not
 * modified; `dir` holds INSTALL_PATH_MAX bytes.
 */
static int
split_path(const char *path, char dir[INSTALL_PATH_MAX], const char **base,
    char *err, size_t errcap)
{
	const char *slash;
	size_t n, k;

	*base = NULL;
	if (path == NULL || *path == '\0') {
		msg_fail(err, errcap, "no licence file given");
		return -1;
	}
	n = strlen(path);
	if (n >= INSTALL_PATH_MAX) {
		msg_fail(err, errcap, "%.40s...: path too long (%zu bytes, at most "
		    "%d)", path, n, INSTALL_PATH_MAX - 1);
		return -1;
	}
	slash = strrchr(path, '/');
	*base = slash != NULL ? slash + 1 : path;
	if (**base == '\0' || strcmp(*base, ".") == 0 ||
	    strcmp(*base, "..") == 0) {
		msg_fail(err, errcap, "%s: not the name of a file", path);
		return -1;
	}
	if (slash == NULL) {
		memcpy(dir, ".", 2);
		return 0;
	}
	k = (size_t)(slash - path);
	while (k > 0 && path[k - 1] == '/')
		k--;
	if (k == 0)
		memcpy(dir, "/", 2);
	else {
		memcpy(dir, path, k);
		dir[k] = '\0';
	}
	return 0;
}

/* The licence itself must be a regular file, reached without a link. */
static int
check_kind(const char *path, const struct stat *st, char *err, size_t errcap)
{
	if (S_ISLNK(st->st_mode)) {
		msg_fail(err, errcap, "%s: is a symbolic link; give the path of "
		    "the file itself", path);
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		msg_fail(err, errcap, "%s: not a regular file", path);
		return -1;
	}
	return 0;
}

int
install_read(const char *path, char *text, size_t cap, size_t *len,
    char *err, size_t errcap)
{
	char dir[INSTALL_PATH_MAX];
	const char *base;
	struct stat st;
	size_t n = 0;
	ssize_t r;
	int fd, ret = -1;

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
		msg_fail(err, errcap, "%s: cannot read: %s", path, strerror(errno));
		return -1;
	}
	if (check_kind(path, &st, err, errcap) == -1)
		return -1;
	/*
	 * It may have changed since lstat: O_NOFOLLOW refuses a link that
	 * appeared, O_NONBLOCK keeps a FIFO from blocking us until fstat
	 * says what it is.
	 */
	do
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
		    O_CLOEXEC);
	while (fd == -1 && errno == EINTR);
	if (fd == -1) {
		if (errno == ENOENT)
			return INSTALL_NONE;
		if (errno == ELOOP && lstat(path, &st) == 0 &&
		    S_ISLNK(st.st_mode))
			(void)check_kind(path, &st, err, errcap);
		else
			msg_fail(err, errcap, "%s: cannot read: %s", path,
			    strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		msg_fail(err, errcap, "%s: cannot read: %s", path, strerror(errno));
		goto out;
	}
	if (check_kind(path, &st, err, errcap) == -1)
		goto out;
	/* Stop one byte past the bound: a huge file costs cap bytes. */
	for (;;) {
		if (n == cap) {
			msg_fail(err, errcap, "%s: too big to be a licence file "
			    "(more than %zu bytes)", path, cap - 1);
			goto out;
		}
		r = read(fd, text + n, cap - n);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			msg_fail(err, errcap, "%s: cannot read: %s", path,
			    strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	text[n] = '\0';
	*len = n;
	ret = 0;
out:
	(void)close(fd);
	if (ret != 0)
		text[0] = '\0';
	return ret;
}

static int
write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
sync_fd(int fd)
{
	int r;

	do
		r = fsync(fd);
	while (r == -1 && errno == EINTR);
	return r;
}

/*
 * Makes the directory's entries durable. EINVAL means the file system has
 * nothing to sync for a directory; that is not a failure.
 */
static int
sync_dir(int dfd)
{
	if (sync_fd(dfd) == -1 && errno != EINVAL)
		return -1;
	return 0;
}

/* splitmix64: spreads a seed over the bits of each name. */
static uint64_t
mix(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * Temporary names need to be unlikely to be taken, not secret: creation is
 * O_EXCL, so a name that is taken only costs another try. Clock, process
 * and stack address keep two writers apart.
 */
static uint64_t
tmp_seed(void)
{
	struct timespec ts;
	uint64_t seed = 0;

	if (clock_gettime(CLOCK_REALTIME, &ts) == 0)
		seed = (uint64_t)ts.tv_sec * 1000000000U + (uint64_t)ts.tv_nsec;
	seed ^= (uint64_t)getpid() << 32;
	seed ^= (uint64_t)(uintptr_t)&ts;
	return seed;
}

static void
tmp_name(char out[TMP_NAME_CAP], const char *name, uint64_t *state)
{
	(void)snprintf(out, TMP_NAME_CAP, ".%.*s.tmp-%016llx", TMP_NAME_KEEP,
	    name, (unsigned long long)mix(state));
}

/*
 * Replaces dfd/name (shown as `shown`; dir is dfd's name) with the bytes of
 * a then b, whole or not at all: temporary file, mode, data, fsync, rename.
 * The new file gets *mode, or with mode NULL 0644 less the umask. The
 * temporary file is removed on every failure. The caller syncs the
 * directory.
 */
static int
replace_file(int dfd, const char *dir, const char *name, const char *shown,
    const char *a, size_t alen, const char *b, size_t blen,
    const mode_t *mode, char *err, size_t errcap)
{
	char tmp[TMP_NAME_CAP];
	uint64_t state = tmp_seed();
	int fd = -1, tries, ret = -1;
	bool have_tmp = false;

	for (tries = 0; tries < TMP_TRIES; tries++) {
		tmp_name(tmp, name, &state);
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_NOCTTY | O_CLOEXEC, mode != NULL ? 0600 : 0644);
		if (fd != -1 || (errno != EEXIST && errno != EINTR))
			break;
	}
	if (fd == -1) {
		msg_fail(err, errcap, "%s: cannot create a file there: %s", dir,
		    strerror(errno));
		goto out;
	}
	have_tmp = true;
	if ((mode != NULL && fchmod(fd, *mode) == -1) ||
	    write_all(fd, a, alen) == -1 || write_all(fd, b, blen) == -1 ||
	    sync_fd(fd) == -1) {
		msg_fail(err, errcap, "%s: cannot write: %s", shown,
		    strerror(errno));
		goto out;
	}
	/* close may be where a network file system reports a lost write. */
	if (close(fd) == -1 && errno != EINTR) {
		fd = -1;
		msg_fail(err, errcap, "%s: cannot write: %s", shown,
		    strerror(errno));
		goto out;
	}
	fd = -1;
	if (renameat(dfd, tmp, dfd, name) == -1) {
		msg_fail(err, errcap, "%s: cannot replace: %s", shown,
		    strerror(errno));
		goto out;
	}
	have_tmp = false;
	ret = 0;
out:
	if (fd != -1)
		(void)close(fd);
	if (have_tmp)
		(void)unlinkat(dfd, tmp, 0);
	return ret;
}

int
install_write(const char *path, const char *key, size_t len,
    const char *old, size_t oldlen, bool had_old, char *err, size_t errcap)
{
	char dir[INSTALL_PATH_MAX];
	char prevpath[INSTALL_PATH_MAX + sizeof PREV_SUFFIX];
	char prevname[INSTALL_PATH_MAX + sizeof PREV_SUFFIX];
	const char *base;
	struct stat st;
	mode_t mode = 0;
	bool have_mode = false;
	int dfd = -1, ret = -1, n;

	msg_fail(err, errcap, "internal error");
	if (split_path(path, dir, &base, err, errcap) == -1)
		return -1;
	if ((key == NULL && len > 0) || (had_old && old == NULL &&
	    oldlen > 0)) {
		msg_fail(err, errcap, "%s: internal error: no data to write", path);
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
		msg_fail(err, errcap, "%s: cannot open the directory %s: %s", path,
		    dir, strerror(errno));
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
	if (had_old) {
		if (replace_file(dfd, dir, prevname, prevpath, old, oldlen, NULL,
		    0, have_mode ? &mode : NULL, err, errcap) == -1)
			goto out;
		if (sync_dir(dfd) == -1) {
			msg_fail(err, errcap, "%s: cannot sync the directory: %s",
			    dir, strerror(errno));
			goto out;
		}
	}
	if (replace_file(dfd, dir, base, path, key, len, "\n", 1,
	    have_mode ? &mode : NULL, err, errcap) == -1)
		goto out;
	if (sync_dir(dfd) == -1) {
		msg_fail(err, errcap, "%s: cannot sync the directory: %s; %s holds "
		    "the new licence but a crash may undo it", dir,
		    strerror(errno), path);
		goto out;
	}
	ret = 0;
	clear(err, errcap);
out:
	if (dfd != -1)
		(void)close(dfd);
	return ret;
}

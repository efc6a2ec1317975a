/*
 * platform_posix.c - the licence store's files on a POSIX system: the one
 * file of liblkey that does I/O
 *
 * A store must never be left half-written, whatever happens: a full disk,
 * a kill, a power cut. So a file is never written in place. Its contents
 * go to a fresh temporary file in the same directory (the same file
 * system: rename is atomic there), created O_EXCL|O_NOFOLLOW under a
 * random name, so that nothing planted at that name is written through;
 * the file is fsynced before it is renamed over the real name, and the
 * directory is fsynced so that the new name itself survives a crash.
 *
 * Reads open with O_NOFOLLOW and O_NONBLOCK (a FIFO planted in the store
 * must not hang the application) and take regular files only, up to the
 * caller's bound.
 *
 * Compiled everywhere but on Windows (platform_win32.c); there this file
 * is empty.
 */
#ifndef _WIN32

/* gethostuuid(2) is a Darwin extension, hidden under _POSIX_C_SOURCE. */
#if defined(__APPLE__) && !defined(_DARWIN_C_SOURCE)
#define _DARWIN_C_SOURCE
#endif

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#if defined(__FreeBSD__)
#include <sys/sysctl.h>
#endif

#include <sodium.h>

#include "platform.h"

/* Attempts at a temporary name that nobody holds. */
#define TMP_TRIES 16

#if defined(__linux__)
/* Where systemd and D-Bus keep the machine id (machine-id(5)). */
static const char *const machine_id_files[][2] = {
	{ "/etc", "machine-id" }, { "/var/lib/dbus", "machine-id" }
};
#endif
#define MACHINE_ID_HEX 32U

/*
 * The reasons a store's file may fail, as short phrases. A table of our
 * own rather than strerror: strerror need not be reentrant, and
 * strerror_r has two incompatible forms.
 */
static const struct {
	int e;
	const char *why;
} posix_reasons[] = {
	{ EACCES, "permission denied" }, { EPERM, "operation not permitted" },
	{ ENOSPC, "no space left on the device" },
#ifdef EDQUOT
	{ EDQUOT, "disk quota exceeded" },
#endif
	{ EROFS, "read-only file system" }, { EIO, "input/output error" },
	{ ENOTDIR, "a part of the path is not a directory" },
	{ ENAMETOOLONG, "path too long" }, { ENOENT, "no such file or "
	  "directory" }, { EEXIST, "already exists" },
	{ EISDIR, "is a directory" }, { ELOOP, "a symbolic link" },
	{ EMFILE, "too many open files" }, { ENFILE, "too many open files" },
	{ ENOMEM, "out of memory" }, { EBUSY, "busy" },
	{ EXDEV, "not on one file system" }, { EINVAL, "invalid argument" },
};

/* The reason for errno e, into why. */
static lkey__platform_result
fail(int e, char *why, size_t cap)
{
	size_t i;

	for (i = 0; i < sizeof(posix_reasons) / sizeof(posix_reasons[0]); i++)
		if (posix_reasons[i].e == e) {
			(void)snprintf(why, cap, "%s", posix_reasons[i].why);
			return PLATFORM_ERROR;
		}
	(void)snprintf(why, cap, "system error %d", e);
	return PLATFORM_ERROR;
}

static lkey__platform_result
join(const char *dir, const char *name, char path[PLATFORM_PATH_MAX],
    char *why, size_t cap)
{
	int n = snprintf(path, PLATFORM_PATH_MAX, "%s/%s", dir, name);

	if (n < 0 || (size_t)n >= PLATFORM_PATH_MAX)
		return fail(ENAMETOOLONG, why, cap);
	return PLATFORM_OK;
}

/* Reads fd to its end or to cap - 1 bytes; PLATFORM_TOO_BIG past that. */
static lkey__platform_result
read_all(int fd, char *buf, size_t cap, size_t *len, char *why,
    size_t whycap)
{
	ssize_t n;

	while (*len < cap) {
		n = read(fd, buf + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail(errno, why, whycap);
		if (n == 0)
			break;
		*len += (size_t)n;
	}
	return *len < cap ? PLATFORM_OK : PLATFORM_TOO_BIG;
}

/* dir/name into buf; a symbolic link is refused unless `follow`. */
static lkey__platform_result
read_path(const char *dir, const char *name, bool follow, char *buf,
    size_t cap, size_t *len, char *why, size_t whycap)
{
	char path[PLATFORM_PATH_MAX];
	lkey__platform_result r;
	struct stat st;
	int fd;

	*len = 0;
	if (cap == 0)
		return PLATFORM_TOO_BIG;
	buf[0] = '\0';
	if ((r = join(dir, name, path, why, whycap)) != PLATFORM_OK)
		return r;
	fd = open(path, O_RDONLY | (follow ? 0 : O_NOFOLLOW) | O_NONBLOCK |
	    O_NOCTTY | O_CLOEXEC);
	if (fd == -1) {
		if (errno == ENOENT)
			return PLATFORM_MISSING;
		/* O_NOFOLLOW: a symbolic link is ELOOP (EMLINK on BSD). */
		if (errno == ELOOP || errno == EMLINK)
			return PLATFORM_NOT_FILE;
		return fail(errno, why, whycap);
	}
	if (fstat(fd, &st) != 0)
		r = fail(errno, why, whycap);
	else if (!S_ISREG(st.st_mode))
		r = PLATFORM_NOT_FILE;
	else
		r = read_all(fd, buf, cap, len, why, whycap);
	(void)close(fd);
	if (r != PLATFORM_OK)
		*len = 0;
	buf[*len] = '\0';
	return r;
}

lkey__platform_result
lkey__platform_read(const char *dir, const char *name, char *buf, size_t cap,
    size_t *len, char *why, size_t whycap)
{
	return read_path(dir, name, false, buf, cap, len, why, whycap);
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

/* A directory's fsync; some file systems cannot and say EINVAL. */
static int
sync_dir(int dfd)
{
	return sync_fd(dfd) == -1 && errno != EINVAL ? -1 : 0;
}

static int
write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A new temporary file ".NAME.tmp-" and 16 random hex digits in dfd. */
static int
open_temp(int dfd, const char *name, char *tmp, size_t cap)
{
	unsigned char rnd[8];
	char hex[2U * sizeof(rnd) + 1U];
	int fd = -1, tries;

	for (tries = 0; tries < TMP_TRIES; tries++) {
		randombytes_buf(rnd, sizeof(rnd));
		(void)sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
		(void)snprintf(tmp, cap, ".%s.tmp-%s", name, hex);
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_NOCTTY | O_CLOEXEC, 0600);
		if (fd != -1 || (errno != EEXIST && errno != EINTR))
			break;
	}
	return fd;
}

/* The new contents into a temporary file, then over the name. */
static int
replace_in(int dfd, const char *name, const char *data, size_t len)
{
	char tmp[PLATFORM_PATH_MAX];
	int fd, e;

	if ((fd = open_temp(dfd, name, tmp, sizeof(tmp))) == -1)
		return -1;
	if (write_all(fd, data, len) == -1 || sync_fd(fd) == -1) {
		e = errno;
		(void)close(fd);
		goto fail;
	}
	/* close may be where a network file system reports a lost write. */
	if (close(fd) == -1 && errno != EINTR) {
		e = errno;
		goto fail;
	}
	if (renameat(dfd, tmp, dfd, name) == -1) {
		e = errno;
		goto fail;
	}
	return sync_dir(dfd);
fail:
	(void)unlinkat(dfd, tmp, 0);
	errno = e;
	return -1;
}

lkey__platform_result
lkey__platform_replace(const char *dir, const char *name, const char *data,
    size_t len, char *why, size_t whycap)
{
	int dfd, e;

	/* The bound of every path here, though only dir is opened. */
	if (strlen(dir) + 1U + strlen(name) >= PLATFORM_PATH_MAX)
		return fail(ENAMETOOLONG, why, whycap);
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd == -1)
		return fail(errno, why, whycap);
	if (replace_in(dfd, name, data, len) == -1) {
		e = errno;
		(void)close(dfd);
		return fail(e, why, whycap);
	}
	(void)close(dfd);
	return PLATFORM_OK;
}

lkey__platform_result
lkey__platform_dir(const char *dir, char *why, size_t whycap)
{
	struct stat st;

	if (stat(dir, &st) != 0)
		return errno == ENOENT ? PLATFORM_MISSING :
		    fail(errno, why, whycap);
	return S_ISDIR(st.st_mode) ? PLATFORM_OK : PLATFORM_NOT_FILE;
}

/* The directory that holds path, into out: what to fsync after mkdir. */
static void
parent_of(const char *path, char out[PLATFORM_PATH_MAX])
{
	size_t n = strlen(path);

	while (n > 1 && path[n - 1U] == '/')
		n--;
	while (n > 0 && path[n - 1U] != '/')
		n--;
	while (n > 1 && path[n - 1U] == '/')
		n--;
	if (n == 0)
		(void)snprintf(out, PLATFORM_PATH_MAX, ".");
	else
		(void)snprintf(out, PLATFORM_PATH_MAX, "%.*s", (int)n, path);
}

lkey__platform_result
lkey__platform_mkdir(const char *dir, char *why, size_t whycap)
{
	char parent[PLATFORM_PATH_MAX];
	int pfd, e;

	if (strlen(dir) >= PLATFORM_PATH_MAX)
		return fail(ENAMETOOLONG, why, whycap);
	if (mkdir(dir, 0700) != 0)	/* there already: fine if a directory */
		return errno == EEXIST ? lkey__platform_dir(dir, why, whycap) :
		    fail(errno, why, whycap);
	/* The new name in its parent survives a crash too. */
	parent_of(dir, parent);
	pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd == -1)
		return fail(errno, why, whycap);
	if (sync_dir(pfd) == -1) {
		e = errno;
		(void)close(pfd);
		return fail(e, why, whycap);
	}
	(void)close(pfd);
	return PLATFORM_OK;
}

/*
 * A machine id is 32 lowercase hex digits, never all zero (machine-id(5));
 * anything else is not one, and hashing it would bind a key to whatever
 * the file happens to hold.
 */
#if defined(__APPLE__) || defined(__FreeBSD__) || defined(__linux__)
static int
machine_id_ok(const char *text, size_t len)
{
	size_t i, zeros = 0;

	if (len != MACHINE_ID_HEX)
		return -1;
	for (i = 0; i < len; i++) {
		if (!((text[i] >= '0' && text[i] <= '9') ||
		    (text[i] >= 'a' && text[i] <= 'f')))
			return -1;
		zeros += text[i] == '0';
	}
	return zeros == len ? -1 : 0;
}
#endif

/*
 * A UUID in its text form (8-4-4-4-12 hex digits, either case) as 32
 * lowercase hex digits, the same form as a Linux machine id; all zero is
 * no id (FreeBSD says so when the firmware gives none).
 */
#if defined(__FreeBSD__)
static int
uuid_text_to_id(const char *u, size_t n, char *buf, size_t cap, size_t *len)
{
	size_t i, k = 0;
	char c;

	if (n != 36U || cap <= MACHINE_ID_HEX)
		return -1;
	for (i = 0; i < n; i++) {
		c = u[i];
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return -1;
			continue;
		}
		if (c >= 'A' && c <= 'F')
			c = (char)(c - 'A' + 'a');
		buf[k++] = c;
	}
	buf[k] = '\0';
	*len = k;
	return machine_id_ok(buf, k);
}
#endif

#if defined(__APPLE__)
/* The hardware's IOPlatformUUID (gethostuuid(2)), as 32 hex digits. */
static lkey__platform_result
system_machine_id(char *buf, size_t cap, size_t *len, char *why,
    size_t whycap)
{
	unsigned char u[16];
	struct timespec wait = { 5, 0 };	/* {0, 0} would wait forever */

	if (cap <= MACHINE_ID_HEX || gethostuuid(u, &wait) != 0) {
		(void)snprintf(why, whycap, "gethostuuid: no IOPlatformUUID");
		return PLATFORM_MISSING;
	}
	(void)sodium_bin2hex(buf, cap, u, sizeof(u));
	*len = MACHINE_ID_HEX;
	if (machine_id_ok(buf, *len) != 0) {
		(void)snprintf(why, whycap, "gethostuuid: IOPlatformUUID is "
		    "all zero");
		return PLATFORM_MISSING;
	}
	return PLATFORM_OK;
}
#elif defined(__FreeBSD__)
/* kern.hostuuid: from the SMBIOS, or /etc/hostid (hostid(8)). */
static lkey__platform_result
system_machine_id(char *buf, size_t cap, size_t *len, char *why,
    size_t whycap)
{
	char u[64];
	size_t n = sizeof(u) - 1U;

	if (sysctlbyname("kern.hostuuid", u, &n, NULL, 0) != 0) {
		(void)snprintf(why, whycap, "sysctl kern.hostuuid: cannot "
		    "be read");
		return PLATFORM_MISSING;
	}
	u[n < sizeof(u) ? n : sizeof(u) - 1U] = '\0';
	if (uuid_text_to_id(u, strlen(u), buf, cap, len) != 0) {
		(void)snprintf(why, whycap, "sysctl kern.hostuuid: not a "
		    "UUID, or all zero");
		return PLATFORM_MISSING;
	}
	return PLATFORM_OK;
}
#elif defined(__linux__)
/* systemd's /etc/machine-id, else D-Bus's copy (machine-id(5)). */
static lkey__platform_result
system_machine_id(char *buf, size_t cap, size_t *len, char *why,
    size_t whycap)
{
	char sys[8];
	size_t k;

	for (k = 0; k < sizeof(machine_id_files) / sizeof(*machine_id_files);
	    k++) {
		/* Followed if a link, as every reader of it does: the id
		 * must be the one lkey-verify --host-id prints. */
		if (read_path(machine_id_files[k][0], machine_id_files[k][1],
		    true, buf, cap, len, sys, sizeof(sys)) != PLATFORM_OK)
			continue;
		if (*len > 0 && buf[*len - 1U] == '\n')
			buf[--*len] = '\0';
		if (machine_id_ok(buf, *len) == 0)
			return PLATFORM_OK;
	}
	(void)snprintf(why, whycap, "/etc/machine-id, "
	    "/var/lib/dbus/machine-id: no machine id (32 hex digits)");
	return PLATFORM_MISSING;
}
#else
static lkey__platform_result
system_machine_id(char *buf, size_t cap, size_t *len, char *why,
    size_t whycap)
{
	(void)buf;
	(void)cap;
	(void)len;
	(void)snprintf(why, whycap, "%s", PLATFORM_NO_MACHINE_ID);
	return PLATFORM_MISSING;
}
#endif

lkey__platform_result
lkey__platform_machine_id(char *buf, size_t cap, size_t *len, char *why,
    size_t whycap)
{
	lkey__platform_result r;

	*len = 0;
	if (whycap > 0)
		why[0] = '\0';
	r = system_machine_id(buf, cap, len, why, whycap);
	if (r != PLATFORM_OK) {
		*len = 0;
		if (cap > 0)
			buf[0] = '\0';
	}
	return r;
}

#else

/* ISO C wants something in a translation unit. */
typedef int lkey__platform_posix_unused;

#endif

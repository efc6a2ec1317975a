/*
 * file.h - files written whole or not at all, never through a planted link
 * (internal; not part of liblkey)
 *
 * No heap and nothing printed: a failure is -1 with errno, and for the
 * writers the step that failed, so that each caller words its own message.
 */
#ifndef LKEY_FILE_H
#define LKEY_FILE_H

#include <sys/types.h>
#include <sys/uio.h>

#include <stdbool.h>
#include <stddef.h>

/* Bytes in a directory name from file_split, NUL included. */
#define FILE_PATH_MAX 4096
/* ".NAME.tmp-" + 16 hex digits + NUL, NAME cut to FILE_TMP_KEEP bytes. */
#define FILE_TMP_KEEP 200
#define FILE_TMP_CAP (1 + FILE_TMP_KEEP + 5 + 16 + 1)

/* The step of file_replace or file_create that failed. */
#define FILE_STEP_CREATE 1	/* creating the temporary file */
#define FILE_STEP_WRITE 2	/* its mode, data, fsync or close */
#define FILE_STEP_RENAME 3	/* renaming it over the name */
#define FILE_STEP_LINK 4	/* linking it to the name */
#define FILE_STEP_CLEANUP 5	/* removing the temporary name after linking */

/* Writes all len bytes, again after EINTR; -1 with errno set. */
int file_write_all(int fd, const void *p, size_t len);

/* fsync, again after EINTR; -1 with errno set. */
int file_sync(int fd);

/*
 * Makes a directory's entries durable (fsync of the directory). EINVAL,
 * a file system with nothing to sync for a directory, is not a failure.
 */
int file_sync_dir(int dfd);

/*
 * Splits path into its directory (into dir: "." when there is none, "/"
 * for "/x", trailing slashes dropped) and *name, its last component, which
 * must name a file: not empty (a path ending in '/'), "." or "..". The
 * caller's string is not modified. Returns 0, or -1 with errno EINVAL (no
 * file name) or ENAMETOOLONG (the directory does not fit dir).
 */
int file_split(const char *path, char dir[FILE_PATH_MAX], const char **name);

/*
 * What to write and with which permission bits: n pieces, one after the
 * other. With `exact` the file gets `mode` whatever the umask; otherwise
 * it is created with `mode` and the kernel applies the umask (and any
 * default ACL) as for any new file.
 */
typedef struct file_data {
	const struct iovec *iov;
	size_t n;
	mode_t mode;
	bool exact;
} file_data;

/*
 * Replaces dfd/name with d, whole or not at all: a fresh temporary file in
 * the same directory (created O_EXCL|O_NOFOLLOW, so nothing planted there is
 * written through), its mode, the data, fsync, close, then rename over the
 * name. The temporary file is removed on every failure. The caller syncs
 * the directory (file_sync_dir) to make the rename durable. Returns 0, or
 * -1 with errno and *step.
 */
int file_replace(int dfd, const char *name, const file_data *d, int *step);

/*
 * Creates dfd/name holding d, whole or not at all, and never in place of
 * an existing file: the data goes to a temporary file as for file_replace,
 * which is then hard-linked to the name. link fails with EEXIST rather
 * than replace what appeared since the caller looked, where rename would
 * replace it silently. The temporary name is always removed; if that
 * fails after the link (FILE_STEP_CLEANUP, its name in tmp), the new name
 * is removed too, so that no second name of the data lingers unseen.
 * Returns 0, or -1 with errno and *step.
 */
int file_create(int dfd, const char *name, const file_data *d,
    char tmp[FILE_TMP_CAP], int *step);

/*
 * Gives the file dfd/name a second name, dfd/keep, replacing whatever keep
 * named, without copying it: a hard link under a fresh temporary name,
 * renamed over keep. At every moment keep is the old file or this one,
 * whole. The caller syncs the directory. Returns 0, or -1 with errno and
 * *step (FILE_STEP_LINK or FILE_STEP_RENAME).
 */
int file_keep(int dfd, const char *name, const char *keep, int *step);

#endif

/*
 * install.h - reading and atomically replacing an installed licence file,
 * for "lkey-verify --install" (internal; not part of liblkey)
 */
#ifndef LKEY_INSTALL_H
#define LKEY_INSTALL_H

/*
 * No heap, no global state, nothing printed. Every message is one line that
 * names the file it is about, ready to follow "lkey-verify: ".
 */

#include <stdbool.h>
#include <stddef.h>

#define INSTALL_NONE 1		/* install_read: there is no such file */
#define INSTALL_TOO_BIG 2	/* install_read: larger than its bound */
#define INSTALL_PATH_MAX 4096	/* bytes in a path, NUL included */

/*
 * Reads the licence file at `path` into text (NUL-terminated, at most
 * cap - 1 bytes). Reads at most cap bytes however big the file is.
 * Returns 0 (text and *len filled), INSTALL_NONE if the file does not exist
 * (text "" and *len 0), INSTALL_TOO_BIG with text "", *len 0 and the line
 * "PATH: too big to be a licence file (more than N bytes)" in err, N being
 * cap - 1, or -1 with one line in err and text "", *len 0: "PATH: cannot
 * read: Permission denied", "PATH: not a regular file".
 * A symbolic link is refused, as install_write refuses it ("PATH: is a
 * symbolic link; give the path of the file itself"), and so is any path
 * install_write would refuse, so that a caller stops before any work.
 */
int install_read(const char *path, char *text, size_t cap, size_t *len,
    char *err, size_t errcap);

/*
 * Replaces the file at `path` with `key` (len bytes) followed by one '\n'.
 * If had_old, first stores `old` (oldlen bytes, written as is) as
 * PATH.prev, replacing any PATH.prev; with `old` NULL, the file at PATH
 * itself becomes PATH.prev (a second name, not a copy: how a file too big
 * to read is kept).
 *
 * Each file is written to a new temporary file in the same directory as
 * PATH (created O_EXCL|O_NOFOLLOW, named "." + basename + ".tmp-" + 16 hex
 * digits), given its mode, fully written, fsynced, then renamed into place,
 * and the directory is fsynced after each rename. PATH.prev comes first,
 * then PATH, so that a crash at any moment leaves PATH holding either the
 * old or the new licence, whole. The new PATH and PATH.prev get the
 * permission bits (0777) of the old PATH when it exists, else 0644 masked by
 * the process umask (by the kernel at creation: the umask is not touched).
 *
 * Refuses, before writing anything, a PATH that is a symbolic link (rename
 * would replace the link, not its target: "PATH: is a symbolic link; give
 * the path of the file itself"), that is not a regular file, that ends in
 * '/', or that is INSTALL_PATH_MAX bytes or longer. Never follows a
 * symbolic link at PATH.prev (it is replaced) or at the temporary name.
 *
 * Returns 0, or -1 with one line in err naming the file and the reason
 * ("DIR: cannot create a file there: Permission denied", "PATH: cannot open
 * the directory DIR: No such file or directory", ...). On failure no
 * temporary file is left behind and PATH is unchanged, with one exception
 * said in err: if the directory cannot be synced after PATH was renamed,
 * PATH holds the new licence, which a crash might still undo. PATH.prev may
 * already have been replaced when writing PATH fails; it then holds a copy
 * of the licence that PATH still holds.
 */
int install_write(const char *path, const char *key, size_t len,
    const char *old, size_t oldlen, bool had_old, char *err, size_t errcap);

#endif

/*
 * store.h - the files of timeclock's data directory
 *
 * liblkey does no I/O: keeping the licence key, the user list and the clock
 * guard's state is the application's job. Every file is read with a size
 * bound and replaced atomically, so a crash or a full disk never leaves a
 * half-written licence behind.
 */
#ifndef TIMECLOCK_STORE_H
#define TIMECLOCK_STORE_H

#include <stddef.h>

/* Longest path of a file in the data directory, its NUL included. */
#define STORE_PATH_MAX 4096U

/* store_read: the file is not there. */
#define STORE_NONE 1

/*
 * Reads DIR/NAME into buf (NUL-terminated; *len bytes). Returns 0,
 * STORE_NONE if there is no such file, or -1 with one line in err: it
 * cannot be read, is not a regular file (a symbolic link is refused), or
 * holds more than cap - 1 bytes.
 */
int store_read(const char *dir, const char *name, char *buf, size_t cap,
    size_t *len, char *err, size_t errcap);

/*
 * Replaces DIR/NAME with len bytes of data, atomically: the old contents or
 * the new, never a mix, whatever happens. Mode 0644. Returns 0, or -1 with
 * one line in err, and then DIR/NAME is as it was.
 */
int store_replace(const char *dir, const char *name, const char *data,
    size_t len, char *err, size_t errcap);

/* Creates DIR (mode 0755) unless it is there. 0, or -1 with err. */
int store_mkdir(const char *dir, char *err, size_t errcap);

#endif

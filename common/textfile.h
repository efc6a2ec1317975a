/* textfile.h - bounded reads of small files for the CLIs (internal) */
#ifndef LKEY_TEXTFILE_H
#define LKEY_TEXTFILE_H

#include <stddef.h>

#define TEXTFILE_OK 0
#define TEXTFILE_ERROR (-1)	/* cannot open or read: see err */
#define TEXTFILE_TOO_BIG (-2)	/* more than cap - 1 bytes */

/* Flags. */
#define TEXTFILE_NOFOLLOW 1	/* refuse a symbolic link (secret files) */

/*
 * Reads at most cap - 1 bytes of `path` ("-" is standard input) into buf,
 * NUL-terminated, stopping as soon as the bound is passed: a huge file costs
 * no more than cap bytes of reading. On error writes one line to err
 * ("cannot open: No such file or directory").
 */
int textfile_read(const char *path, int flags, char *buf, size_t cap,
    size_t *len, char *err, size_t errcap);

#endif

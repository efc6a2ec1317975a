/*
 * platform.h - the licence store's file access, one implementation per
 * system (platform_posix.c); the store itself (store.c) does no I/O of its
 * own (internal to liblkey)
 *
 * A file is named by the store's directory and its name in it. Every read
 * is bounded by the caller's buffer; every write replaces a file whole
 * (temporary file in the same directory, flushed to disk, renamed over the
 * name, the directory flushed), so that a crash at any moment leaves the
 * old file or the new one. Symbolic links and anything but a regular file
 * are refused, never followed.
 */
#ifndef LKEY_PLATFORM_H
#define LKEY_PLATFORM_H

#include <stddef.h>

typedef enum lkey__platform_result {
	PLATFORM_OK = 0,
	PLATFORM_MISSING,	/* no such file (or directory) */
	PLATFORM_TOO_BIG,	/* does not fit in the caller's buffer */
	PLATFORM_NOT_FILE,	/* a symbolic link, a directory, a device */
	PLATFORM_ERROR		/* cannot be read or written: see why */
} lkey__platform_result;

/* The longest path of a store's file this code builds (dir/name). */
#define PLATFORM_PATH_MAX 4096U

/*
 * Reads dir/name whole into buf: at most cap - 1 bytes, NUL-terminated;
 * its length into *len. A file of cap bytes or more is PLATFORM_TOO_BIG.
 * On any failure *len is 0 and, for PLATFORM_ERROR, the system's reason
 * (a short phrase) is in why.
 */
lkey__platform_result lkey__platform_read(const char *dir, const char *name,
    char *buf, size_t cap, size_t *len, char *why, size_t whycap);

/*
 * Replaces dir/name with len bytes of data, atomically and durably (mode
 * 0600). On failure dir/name is as it was; the reason is in why.
 */
lkey__platform_result lkey__platform_replace(const char *dir,
    const char *name, const char *data, size_t len, char *why,
    size_t whycap);

/*
 * Whether dir is there: PLATFORM_OK for a directory, PLATFORM_MISSING,
 * PLATFORM_NOT_FILE for something else at that name, PLATFORM_ERROR.
 */
lkey__platform_result lkey__platform_dir(const char *dir, char *why,
    size_t whycap);

/* Creates dir (mode 0700) unless it is there, durably. */
lkey__platform_result lkey__platform_mkdir(const char *dir, char *why,
    size_t whycap);

/*
 * This computer's machine id as text, 32 lowercase hex digits, into buf;
 * its length into *len. Linux: /etc/machine-id, else
 * /var/lib/dbus/machine-id (its newline removed); Windows: MachineGuid
 * under HKLM\SOFTWARE\Microsoft\Cryptography; macOS: the IOPlatformUUID
 * (gethostuuid); FreeBSD: kern.hostuuid; a GUID's hyphens removed. Never
 * all zero, never made up. PLATFORM_OK, or PLATFORM_MISSING with the
 * reason in why (on another system, PLATFORM_NO_MACHINE_ID).
 */
lkey__platform_result lkey__platform_machine_id(char *buf, size_t cap,
    size_t *len, char *why, size_t whycap);

/* Why a system without a machine id reader has no host id. */
#define PLATFORM_NO_MACHINE_ID "no machine id source on this system: give " \
	"the host id yourself (lkey_context.has_host)"

#endif

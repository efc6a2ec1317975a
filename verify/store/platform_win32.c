/*
 * platform_win32.c - the licence store's files on Windows: platform.h with
 * the Win32 API (platform_posix.c is the same for every other system)
 *
 * The same guarantees as on POSIX, by Windows' own means. A file is never
 * written in place: its contents go to a fresh temporary file in the same
 * directory (CREATE_NEW under a random name, so nothing planted at that
 * name is written through), FlushFileBuffers puts it on the disk, and
 * MoveFileExW with MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH puts
 * it over the real name and returns only once the move is on the disk too
 * (NTFS journals the directory: there is no directory to flush).
 *
 * Reads take regular files only, up to the caller's bound: a reparse point
 * (a symbolic link, a junction) is opened as itself and refused, never
 * followed, and so is a directory or a device. Paths are UTF-8, converted
 * to UTF-16 for the W functions; the ANSI ones would read them in the
 * system's code page. A new file takes the access rights its directory
 * passes on (under the user's profile: the user's alone), Windows' form
 * of mode 0600.
 *
 * The machine id is the MachineGuid value Windows writes at installation
 * under HKLM\SOFTWARE\Microsoft\Cryptography, read from the 64-bit view of
 * the registry (KEY_WOW64_64KEY) so that a 32-bit program reads the same
 * one as a 64-bit one.
 *
 * Compiled on Windows only; on every other system this file is empty.
 */
#ifdef _WIN32

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include <sodium.h>

#include "platform.h"

/* Attempts at a temporary name that nobody holds. */
#define WIN_TMP_TRIES 16

/* The longest path in UTF-16 units (a UTF-8 byte gives at most one). */
#define WIN_WPATH_MAX PLATFORM_PATH_MAX

/* A GUID as Windows writes it: 8-4-4-4-12 hex digits. */
#define WIN_GUID_CHARS 36U
#define WIN_MACHINE_ID_HEX 32U

/* Reads and writes at most this much a call (ReadFile takes a DWORD). */
#define WIN_IO_CHUNK 65536U

/*
 * The reasons a store's file may fail, as short phrases: the same words as
 * on POSIX. A table of our own rather than FormatMessage: its text is in
 * the system's language and ends in a full stop and a line break.
 */
static const struct {
	DWORD e;
	const char *why;
} win_reasons[] = {
	{ ERROR_ACCESS_DENIED, "permission denied" },
	{ ERROR_SHARING_VIOLATION, "in use by another program" },
	{ ERROR_LOCK_VIOLATION, "in use by another program" },
	{ ERROR_DISK_FULL, "no space left on the device" },
	{ ERROR_HANDLE_DISK_FULL, "no space left on the device" },
	{ ERROR_WRITE_PROTECT, "read-only file system" },
	{ ERROR_FILE_NOT_FOUND, "no such file or directory" },
	{ ERROR_PATH_NOT_FOUND, "no such file or directory" },
	{ ERROR_DIRECTORY, "a part of the path is not a directory" },
	{ ERROR_FILENAME_EXCED_RANGE, "path too long" },
	{ ERROR_BUFFER_OVERFLOW, "path too long" },
	{ ERROR_INVALID_NAME, "invalid file name" },
	{ ERROR_NO_UNICODE_TRANSLATION, "path is not valid UTF-8" },
	{ ERROR_FILE_EXISTS, "already exists" },
	{ ERROR_ALREADY_EXISTS, "already exists" },
	{ ERROR_TOO_MANY_OPEN_FILES, "too many open files" },
	{ ERROR_NOT_ENOUGH_MEMORY, "out of memory" },
	{ ERROR_OUTOFMEMORY, "out of memory" },
	{ ERROR_NOT_SAME_DEVICE, "not on one file system" },
	{ ERROR_CRC, "input/output error" },
	{ ERROR_READ_FAULT, "input/output error" },
	{ ERROR_WRITE_FAULT, "input/output error" },
	{ ERROR_INVALID_PARAMETER, "invalid argument" },
};

/* The reason for the system error e, into why. */
static lkey__platform_result
win_fail(DWORD e, char *why, size_t cap)
{
	size_t i;

	for (i = 0; i < sizeof(win_reasons) / sizeof(win_reasons[0]); i++)
		if (win_reasons[i].e == e) {
			(void)snprintf(why, cap, "%s", win_reasons[i].why);
			return PLATFORM_ERROR;
		}
	(void)snprintf(why, cap, "system error %lu", (unsigned long)e);
	return PLATFORM_ERROR;
}

static bool
win_missing(DWORD e)
{
	return e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND;
}

/* A UTF-8 path into UTF-16; invalid UTF-8 is refused, not replaced. */
static lkey__platform_result
win_wide(const char *path, WCHAR wpath[WIN_WPATH_MAX], char *why,
    size_t cap)
{
	if (strlen(path) >= PLATFORM_PATH_MAX)
		return win_fail(ERROR_FILENAME_EXCED_RANGE, why, cap);
	if (MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, wpath,
	    (int)WIN_WPATH_MAX) == 0)
		return win_fail(GetLastError(), why, cap);
	return PLATFORM_OK;
}

/* dir\name in UTF-16. */
static lkey__platform_result
win_join(const char *dir, const char *name, WCHAR wpath[WIN_WPATH_MAX],
    char *why, size_t cap)
{
	char path[PLATFORM_PATH_MAX];
	int n = snprintf(path, sizeof(path), "%s\\%s", dir, name);

	if (n < 0 || (size_t)n >= sizeof(path))
		return win_fail(ERROR_FILENAME_EXCED_RANGE, why, cap);
	return win_wide(path, wpath, why, cap);
}

/* Reads h to its end or to cap - 1 bytes; PLATFORM_TOO_BIG past that. */
static lkey__platform_result
win_read_all(HANDLE h, char *buf, size_t cap, size_t *len, char *why,
    size_t whycap)
{
	DWORD want, got;

	while (*len < cap) {
		want = cap - *len > WIN_IO_CHUNK ? WIN_IO_CHUNK :
		    (DWORD)(cap - *len);
		if (!ReadFile(h, buf + *len, want, &got, NULL))
			return win_fail(GetLastError(), why, whycap);
		if (got == 0)
			break;
		*len += got;
	}
	return *len < cap ? PLATFORM_OK : PLATFORM_TOO_BIG;
}

lkey__platform_result
lkey__platform_read(const char *dir, const char *name, char *buf, size_t cap,
    size_t *len, char *why, size_t whycap)
{
	WCHAR path[WIN_WPATH_MAX];
	BY_HANDLE_FILE_INFORMATION info;
	lkey__platform_result r;
	HANDLE h;
	DWORD e;

	*len = 0;
	if (cap == 0)
		return PLATFORM_TOO_BIG;
	buf[0] = '\0';
	if ((r = win_join(dir, name, path, why, whycap)) != PLATFORM_OK)
		return r;
	/* FILE_FLAG_OPEN_REPARSE_POINT: a link is opened, not followed;
	 * FILE_FLAG_BACKUP_SEMANTICS: a directory opens too, to be refused
	 * below as what it is rather than as "permission denied". */
	h = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE |
	    FILE_SHARE_DELETE, NULL, OPEN_EXISTING, FILE_FLAG_OPEN_REPARSE_POINT |
	    FILE_FLAG_BACKUP_SEMANTICS, NULL);
	if (h == INVALID_HANDLE_VALUE) {
		e = GetLastError();
		return win_missing(e) ? PLATFORM_MISSING :
		    win_fail(e, why, whycap);
	}
	if (GetFileType(h) != FILE_TYPE_DISK)
		r = PLATFORM_NOT_FILE;
	else if (!GetFileInformationByHandle(h, &info))
		r = win_fail(GetLastError(), why, whycap);
	else if (info.dwFileAttributes & (FILE_ATTRIBUTE_REPARSE_POINT |
	    FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_DEVICE))
		r = PLATFORM_NOT_FILE;
	else
		r = win_read_all(h, buf, cap, len, why, whycap);
	(void)CloseHandle(h);
	if (r != PLATFORM_OK)
		*len = 0;
	buf[*len] = '\0';
	return r;
}

static bool
win_write_all(HANDLE h, const char *p, size_t len)
{
	DWORD want, put;

	while (len > 0) {
		want = len > WIN_IO_CHUNK ? WIN_IO_CHUNK : (DWORD)len;
		if (!WriteFile(h, p, want, &put, NULL))
			return false;
		if (put == 0) {
			SetLastError(ERROR_WRITE_FAULT);
			return false;
		}
		p += put;
		len -= put;
	}
	return true;
}

/*
 * A new temporary file ".NAME.tmp-" and 16 random hex digits in dir:
 * its handle, and its path into tmp.
 */
static HANDLE
win_open_temp(const char *dir, const char *name, WCHAR tmp[WIN_WPATH_MAX],
    char *why, size_t whycap)
{
	unsigned char rnd[8];
	char hex[2U * sizeof(rnd) + 1U];
	char base[PLATFORM_PATH_MAX];
	HANDLE h = INVALID_HANDLE_VALUE;
	int tries, n;

	for (tries = 0; tries < WIN_TMP_TRIES; tries++) {
		randombytes_buf(rnd, sizeof(rnd));
		(void)sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
		n = snprintf(base, sizeof(base), ".%s.tmp-%s", name, hex);
		if (n < 0 || (size_t)n >= sizeof(base)) {
			(void)win_fail(ERROR_FILENAME_EXCED_RANGE, why, whycap);
			return INVALID_HANDLE_VALUE;
		}
		if (win_join(dir, base, tmp, why, whycap) != PLATFORM_OK)
			return INVALID_HANDLE_VALUE;
		h = CreateFileW(tmp, GENERIC_WRITE, 0, NULL, CREATE_NEW,
		    FILE_ATTRIBUTE_NORMAL, NULL);
		if (h != INVALID_HANDLE_VALUE ||
		    (GetLastError() != ERROR_FILE_EXISTS &&
		    GetLastError() != ERROR_ALREADY_EXISTS))
			break;
	}
	if (h == INVALID_HANDLE_VALUE)
		(void)win_fail(GetLastError(), why, whycap);
	return h;
}

lkey__platform_result
lkey__platform_replace(const char *dir, const char *name, const char *data,
    size_t len, char *why, size_t whycap)
{
	WCHAR path[WIN_WPATH_MAX], tmp[WIN_WPATH_MAX];
	lkey__platform_result r;
	HANDLE h;
	DWORD e;

	if ((r = win_join(dir, name, path, why, whycap)) != PLATFORM_OK)
		return r;
	h = win_open_temp(dir, name, tmp, why, whycap);
	if (h == INVALID_HANDLE_VALUE)
		return PLATFORM_ERROR;
	if (!win_write_all(h, data, len) || !FlushFileBuffers(h)) {
		e = GetLastError();
		(void)CloseHandle(h);
		goto fail;
	}
	if (!CloseHandle(h)) {
		e = GetLastError();
		goto fail;
	}
	if (!MoveFileExW(tmp, path, MOVEFILE_REPLACE_EXISTING |
	    MOVEFILE_WRITE_THROUGH)) {
		e = GetLastError();
		goto fail;
	}
	return PLATFORM_OK;
fail:
	(void)DeleteFileW(tmp);
	return win_fail(e, why, whycap);
}

lkey__platform_result
lkey__platform_dir(const char *dir, char *why, size_t whycap)
{
	WCHAR wdir[WIN_WPATH_MAX];
	lkey__platform_result r;
	DWORD attr, e;

	if ((r = win_wide(dir, wdir, why, whycap)) != PLATFORM_OK)
		return r;
	attr = GetFileAttributesW(wdir);
	if (attr == INVALID_FILE_ATTRIBUTES) {
		e = GetLastError();
		return win_missing(e) ? PLATFORM_MISSING :
		    win_fail(e, why, whycap);
	}
	return attr & FILE_ATTRIBUTE_DIRECTORY ? PLATFORM_OK :
	    PLATFORM_NOT_FILE;
}

lkey__platform_result
lkey__platform_mkdir(const char *dir, char *why, size_t whycap)
{
	WCHAR wdir[WIN_WPATH_MAX];
	lkey__platform_result r;
	DWORD e;

	if ((r = win_wide(dir, wdir, why, whycap)) != PLATFORM_OK)
		return r;
	if (!CreateDirectoryW(wdir, NULL)) {
		e = GetLastError();
		/* There already: fine if a directory. */
		if (e == ERROR_ALREADY_EXISTS)
			return lkey__platform_dir(dir, why, whycap);
		return win_fail(e, why, whycap);
	}
	return PLATFORM_OK;
}

#define WIN_NO_GUID "HKLM\\SOFTWARE\\Microsoft\\Cryptography\\MachineGuid: " \
	"cannot be read"

/*
 * MachineGuid as 32 lowercase hex digits, its braces (if any) and hyphens
 * removed, so that it has the same form as a Linux machine id; anything
 * that is not a GUID, or is all zero, is not a machine id.
 */
static int
win_guid_to_id(const WCHAR *g, size_t n, char *buf, size_t cap, size_t *len)
{
	size_t i, k = 0, zeros = 0;
	WCHAR c;

	if (n == WIN_GUID_CHARS + 2U && g[0] == L'{' && g[n - 1U] == L'}') {
		g++;
		n -= 2U;
	}
	if (n != WIN_GUID_CHARS || cap <= WIN_MACHINE_ID_HEX)
		return -1;
	for (i = 0; i < n; i++) {
		c = g[i];
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != L'-')
				return -1;
			continue;
		}
		if (c >= L'A' && c <= L'F')
			c = (WCHAR)(c - L'A' + L'a');
		if (!((c >= L'0' && c <= L'9') || (c >= L'a' && c <= L'f')))
			return -1;
		zeros += c == L'0';
		buf[k++] = (char)c;
	}
	buf[k] = '\0';
	*len = k;
	return zeros == k ? -1 : 0;
}

lkey__platform_result
lkey__platform_machine_id(char *buf, size_t cap, size_t *len, char *why,
    size_t whycap)
{
	WCHAR value[WIN_GUID_CHARS + 8U];
	DWORD type = 0, size = sizeof(value) - sizeof(WCHAR);
	HKEY key;
	LONG rc;
	size_t n;

	*len = 0;
	if (cap > 0)
		buf[0] = '\0';
	if (RegOpenKeyExW(HKEY_LOCAL_MACHINE,
	    L"SOFTWARE\\Microsoft\\Cryptography", 0,
	    KEY_QUERY_VALUE | KEY_WOW64_64KEY, &key) != ERROR_SUCCESS) {
		(void)snprintf(why, whycap, "%s", WIN_NO_GUID);
		return PLATFORM_MISSING;
	}
	rc = RegQueryValueExW(key, L"MachineGuid", NULL, &type, (BYTE *)value,
	    &size);
	(void)RegCloseKey(key);
	if (rc != ERROR_SUCCESS || type != REG_SZ) {
		(void)snprintf(why, whycap, "%s", WIN_NO_GUID);
		return PLATFORM_MISSING;
	}
	/* A registry string need not end in a NUL: end it here. */
	n = size / sizeof(WCHAR);
	value[n] = L'\0';
	n = wcslen(value);
	if (win_guid_to_id(value, n, buf, cap, len) != 0) {
		*len = 0;
		if (cap > 0)
			buf[0] = '\0';
		(void)snprintf(why, whycap, "MachineGuid: not a GUID, or all "
		    "zero");
		return PLATFORM_MISSING;
	}
	return PLATFORM_OK;
}

#else

/* ISO C wants something in a translation unit. */
typedef int lkey__platform_win32_unused;

#endif

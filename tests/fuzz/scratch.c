/*
 * scratch.c - scratch files for targets whose parser reads a path
 *
 * One private directory per process, made with mkdtemp on first use (mode
 * 0700, so no other user can swap a file in) and removed with its files at
 * a normal exit. A crash leaves it behind: libFuzzer has then kept the
 * input that matters, and the directory holds only fuzz data.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "targets.h"

#define SCRATCH_FILES_MAX 8
#define SCRATCH_PATH_CAP 512

static char dir[SCRATCH_PATH_CAP];
static char files[SCRATCH_FILES_MAX][SCRATCH_PATH_CAP];
static size_t nfiles;

static void
remove_all(void)
{
	size_t i;

	for (i = 0; i < nfiles; i++)
		(void)unlink(files[i]);
	if (dir[0] != '\0')
		(void)rmdir(dir);
}

static int
make_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	int n;

	if (dir[0] != '\0')
		return 0;
	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	n = snprintf(dir, sizeof(dir), "%s/lkey-fuzz-XXXXXX", tmp);
	if (n < 0 || (size_t)n >= sizeof(dir) || mkdtemp(dir) == NULL) {
		dir[0] = '\0';
		return -1;
	}
	if (atexit(remove_all) != 0) {
		(void)rmdir(dir);
		dir[0] = '\0';
		return -1;
	}
	return 0;
}

const char *
fuzz_scratch_path(const char *name)
{
	size_t i;
	int n;

	for (i = 0; i < nfiles; i++) {
		const char *base = strrchr(files[i], '/') + 1;

		if (strcmp(base, name) == 0)
			return files[i];
	}
	if (nfiles == SCRATCH_FILES_MAX || make_dir() != 0)
		return NULL;
	n = snprintf(files[nfiles], sizeof(files[nfiles]), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(files[nfiles]))
		return NULL;
	return files[nfiles++];
}

int
fuzz_scratch_write(const char *path, const uint8_t *data, size_t size)
{
	ssize_t n;
	int fd, rc = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd == -1)
		return -1;
	while (size > 0) {
		n = write(fd, data, size);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = -1;
			break;
		}
		data += n;
		size -= (size_t)n;
	}
	if (close(fd) == -1)
		rc = -1;
	return rc;
}

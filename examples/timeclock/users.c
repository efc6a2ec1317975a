/*
 * users.c - the employees, an empty file each (see users.h)
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "users.h"

#define PATHCAP 4096U

/* Where the employees of each kind are: [admin]. */
static const char *const kinds[2] = { "employees", "administrators" };

bool
user_name_ok(const char *name)
{
	size_t i, n = strlen(name);

	if (n == 0 || n > USER_NAME_MAX || name[0] == ' ' || name[0] == '.' ||
	    name[n - 1U] == ' ')
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20U ||
		    (unsigned char)name[i] == 0x7fU || name[i] == '/')
			return false;
	return true;
}

/* DIR/KIND or DIR/KIND/NAME (name NULL: the directory) into out. */
static int
path(char out[PATHCAP], const char *dir, bool admin, const char *name,
    char *err, size_t errcap)
{
	int n = name == NULL ?
	    snprintf(out, PATHCAP, "%s/%s", dir, kinds[admin]) :
	    snprintf(out, PATHCAP, "%s/%s/%s", dir, kinds[admin], name);

	if (n >= 0 && (size_t)n < PATHCAP)
		return 0;
	(void)snprintf(err, errcap, "%s: path too long", dir);
	return -1;
}

static int
by_name(const void *a, const void *b)
{
	const struct user *x = a, *y = b;
	int c = strcasecmp(x->name, y->name);

	return c != 0 ? c : strcmp(x->name, y->name);
}

/* The employees of one kind: regular files with an employee's name. */
static int
load_kind(const char *dir, bool admin, struct users *u, char *err,
    size_t errcap)
{
	char where[PATHCAP];
	struct dirent *e;
	struct stat st;
	DIR *d;

	if (path(where, dir, admin, NULL, err, errcap) != 0)
		return -1;
	if ((d = opendir(where)) == NULL && errno == ENOENT)
		return 0;
	if (d == NULL) {
		(void)snprintf(err, errcap, "%s: cannot read: %s", where,
		    strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (!user_name_ok(e->d_name) || fstatat(dirfd(d), e->d_name,
		    &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode) ||
		    users_find(u, e->d_name) != NULL || u->count == USERS_MAX) {
			(void)snprintf(err, errcap, "%s/%s: not an employee "
			    "(an empty file named after one, once, at most %u "
			    "in all); remove it", where, e->d_name, USERS_MAX);
			(void)closedir(d);
			return -1;
		}
		/* user_name_ok: it fits. */
		memcpy(u->list[u->count].name, e->d_name,
		    strlen(e->d_name) + 1U);
		u->list[u->count++].admin = admin;
	}
	(void)closedir(d);
	return 0;
}

int
users_load(const char *dir, struct users *u, char *err, size_t errcap)
{
	u->count = 0;
	if (load_kind(dir, false, u, err, errcap) != 0 ||
	    load_kind(dir, true, u, err, errcap) != 0)
		return -1;
	qsort(u->list, u->count, sizeof(u->list[0]), by_name);
	return 0;
}

struct user *
users_find(struct users *u, const char *name)
{
	size_t i;

	for (i = 0; i < u->count; i++)
		if (strcmp(u->list[i].name, name) == 0)
			return &u->list[i];
	return NULL;
}

int
users_add(const char *dir, const char *name, bool admin, char *err,
    size_t errcap)
{
	char file[PATHCAP];
	int fd;

	if (path(file, dir, admin, NULL, err, errcap) != 0)
		return -1;
	if (mkdir(file, 0700) != 0 && errno != EEXIST) {
		(void)snprintf(err, errcap, "%s: cannot create: %s", file,
		    strerror(errno));
		return -1;
	}
	if (path(file, dir, admin, name, err, errcap) != 0)
		return -1;
	fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd == -1 || close(fd) != 0) {
		(void)snprintf(err, errcap, "%s: cannot create: %s", file,
		    strerror(errno));
		return -1;
	}
	return 0;
}

int
users_remove(const char *dir, const struct user *who, char *err,
    size_t errcap)
{
	char file[PATHCAP];

	if (path(file, dir, who->admin, who->name, err, errcap) != 0)
		return -1;
	if (unlink(file) != 0) {
		(void)snprintf(err, errcap, "%s: cannot remove: %s", file,
		    strerror(errno));
		return -1;
	}
	return 0;
}

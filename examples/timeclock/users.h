/*
 * users.h - timeclock's employees: who may log in, and who is an
 * administrator. Each one takes a seat of the licence.
 *
 * Each employee is an empty file named after them, DATA/employees/NAME,
 * or DATA/administrators/NAME for an administrator. Adding one creates
 * the file (O_CREAT | O_EXCL), removing one deletes it: each change is one
 * system call, which the file system carries out whole or not at all. So a
 * crash never leaves a damaged list, and timeclock writes no data to any
 * file: no temporary file, no file replaced by another (the licence is
 * liblkey's, licence.h). The price: a change made just before a power cut
 * may be lost, since nothing is synced to the disk, and a name cannot
 * hold '/' or start with '.'. A product with a database keeps its
 * employees there instead.
 */
#ifndef TIMECLOCK_USERS_H
#define TIMECLOCK_USERS_H

#include <stdbool.h>
#include <stddef.h>

#define USERS_MAX 1000U
#define USER_NAME_MAX 64U

struct user {
	char name[USER_NAME_MAX + 1U];
	bool admin;
};

struct users {
	size_t count;
	struct user list[USERS_MAX];	/* by name, case ignored */
};

/*
 * Whether name can be an employee's name: 1 to USER_NAME_MAX bytes, no
 * control characters, no '/', no space at either end, not starting
 * with '.'.
 */
bool user_name_ok(const char *name);

/*
 * Reads the employees of data directory `dir` (none if it has none).
 * Returns 0, or -1 with one line in err: a directory cannot be read, or
 * holds something that is not an employee's file.
 */
int users_load(const char *dir, struct users *u, char *err, size_t errcap);

/* The employee called name, or NULL. */
struct user *users_find(struct users *u, const char *name);

/* Adds employee `name` (user_name_ok) to `dir`: 0, or -1 with err. */
int users_add(const char *dir, const char *name, bool admin, char *err,
    size_t errcap);

/* Removes employee `who` from `dir`: 0, or -1 with err. */
int users_remove(const char *dir, const struct user *who, char *err,
    size_t errcap);

#endif

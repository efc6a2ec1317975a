/*
 * users.h - timeclock's employees: who may log in, and who is an
 * administrator. Each one takes a seat of the licence.
 *
 * The file (DATA/users) holds one employee a line, "admin NAME" or
 * "user NAME", after a comment line.
 */
#ifndef TIMECLOCK_USERS_H
#define TIMECLOCK_USERS_H

#include <stdbool.h>
#include <stddef.h>

#define USERS_MAX 1000U
#define USER_NAME_MAX 64U
/* The longest users file: a comment line and USERS_MAX full lines. */
#define USERS_TEXT_MAX (128U + USERS_MAX * (USER_NAME_MAX + 7U))

struct user {
	char name[USER_NAME_MAX + 1U];
	bool admin;
};

struct users {
	size_t count;
	struct user list[USERS_MAX];
};

/*
 * Whether name can be an employee's name: 1 to USER_NAME_MAX bytes, no
 * control characters, no space at either end.
 */
bool user_name_ok(const char *name);

/* Parses a users file; 0, or -1 with the number of the bad line. */
int users_parse(const char *text, size_t len, struct users *u,
    size_t *bad_line);

/* The text of a users file into out (USERS_TEXT_MAX bytes); its length. */
size_t users_format(const struct users *u, char *out);

/* The employee called name, or NULL. */
struct user *users_find(struct users *u, const char *name);

/* Adds an employee (name_ok, not there yet, count < USERS_MAX). */
void users_add(struct users *u, const char *name, bool admin);

/* Removes an employee that users_find returned. */
void users_remove(struct users *u, struct user *who);

#endif

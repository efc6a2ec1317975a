/*
 * users.c - the list of employees and its file
 */
#include <stdio.h>
#include <string.h>

#include "users.h"

#define USERS_HEADER "# timeclock employees: \"admin NAME\" or \"user NAME\"\n"

bool
user_name_ok(const char *name)
{
	size_t i, n = strlen(name);

	if (n == 0 || n > USER_NAME_MAX || name[0] == ' ' ||
	    name[n - 1U] == ' ')
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20U ||
		    (unsigned char)name[i] == 0x7fU)
			return false;
	return true;
}

int
users_parse(const char *text, size_t len, struct users *u, size_t *bad_line)
{
	char name[USER_NAME_MAX + 1U];
	size_t pos = 0, line = 0, n;
	const char *end, *nl;
	bool admin;

	u->count = 0;
	while (pos < len) {
		line++;
		*bad_line = line;
		nl = memchr(text + pos, '\n', len - pos);
		end = nl != NULL ? nl : text + len;
		n = (size_t)(end - (text + pos));
		if (n > 0 && text[pos] != '#') {
			if (n > 6U && memcmp(text + pos, "admin ", 6) == 0)
				admin = true;
			else if (n > 5U && memcmp(text + pos, "user ", 5) == 0)
				admin = false;
			else
				return -1;
			n -= admin ? 6U : 5U;
			if (n > USER_NAME_MAX || u->count == USERS_MAX)
				return -1;
			memcpy(name, end - n, n);
			name[n] = '\0';
			if (!user_name_ok(name) || users_find(u, name) != NULL)
				return -1;
			users_add(u, name, admin);
		}
		pos += (size_t)(end - (text + pos)) + (nl != NULL ? 1U : 0U);
	}
	return 0;
}

size_t
users_format(const struct users *u, char *out)
{
	size_t i, len = sizeof(USERS_HEADER) - 1U;

	memcpy(out, USERS_HEADER, len);
	for (i = 0; i < u->count; i++)
		len += (size_t)snprintf(out + len, USERS_TEXT_MAX - len,
		    "%s %s\n", u->list[i].admin ? "admin" : "user",
		    u->list[i].name);
	return len;
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

void
users_add(struct users *u, const char *name, bool admin)
{
	struct user *who = &u->list[u->count++];

	(void)snprintf(who->name, sizeof(who->name), "%s", name);
	who->admin = admin;
}

void
users_remove(struct users *u, struct user *who)
{
	size_t i = (size_t)(who - u->list);

	memmove(&u->list[i], &u->list[i + 1U],
	    (u->count - i - 1U) * sizeof(u->list[0]));
	u->count--;
}

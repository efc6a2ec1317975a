/*
 * timeclock - an example application: a time clock for employees, licensed
 * with lkey the way TimeTracker and TimeLog are. Copy what you need.
 *
 * usage: timeclock [--data DIR] COMMAND [ARG...]
 *
 *   register [--force] KEY|-  register a licence key ("-": read it from
 *                             standard input; spaces and line breaks in
 *                             it do not matter). A key that starts later
 *                             is kept and takes over on its start day;
 *                             --force: also a key that gives less than
 *                             the licence in force (fewer seats, an
 *                             earlier end)
 *   licence                   the licence screen
 *   adduser NAME [--admin]    add an employee; each one takes a seat
 *   deluser NAME              remove an employee
 *   users                     list the employees
 *   login NAME                log an employee in
 *
 * DIR (default: $TIMECLOCK_DATA) is liblkey's licence store, which holds
 * the registered keys and the clock guard's memory, and holds the
 * employees (DIR/employees, DIR/administrators). A release built after the
 * licence's maintenance ended does not run: every command but `register`
 * and `licence`, which stay usable so that the licence can be fixed, is
 * refused.
 *
 * Exit status:
 *   0  done; login: logged in; licence: the screen was shown, whatever
 *      it says; register: registered (also a key whose maintenance ended
 *      before this release was built, with a warning: older releases run
 *      with it)
 *   1  a file of the data directory cannot be read or written, or is
 *      damaged (the licence store too); or standard input or output
 *      failed
 *   2  usage error
 *   3  register: the licence key was refused (not genuine, for another
 *      product, expired, or without --force giving less than the licence
 *      in force); nothing was changed
 *   4  no licence lets timeclock run: none is registered, or it is not
 *      genuine, for another product, not yet valid, expired, or the
 *      clock is set back
 *   5  the number of licences is exceeded: adduser beyond the seats, or
 *      login of an employee who is not an administrator
 *   6  login: an administrator logged in to admin-only mode (more
 *      employees than seats: remove some, or register more seats)
 *   7  this release was built after maintenance ended and does not run
 *   8  no such employee (deluser, login), or one of that name already
 *      (adduser)
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lkey.h>

#include "licence.h"
#include "users.h"

#define EXIT_FILE 1
#define EXIT_USAGE 2
#define EXIT_REFUSED 3
#define EXIT_NO_LICENCE 4
#define EXIT_SEATS 5
#define EXIT_ADMIN_ONLY 6
#define EXIT_MAINTENANCE 7
#define EXIT_NO_USER 8

#define ERRCAP 4608U

static const char help_text[] =
    "usage: timeclock [--data DIR] register [--force] KEY|-\n"
    "       timeclock [--data DIR] licence\n"
    "       timeclock [--data DIR] adduser NAME [--admin]\n"
    "       timeclock [--data DIR] deluser NAME\n"
    "       timeclock [--data DIR] users\n"
    "       timeclock [--data DIR] login NAME\n"
    "\n"
    "An example time clock licensed with lkey. DIR (default: "
    "$TIMECLOCK_DATA)\nis liblkey's licence store (the keys, the clock "
    "guard's state) and holds\nthe employees. register --force: also a "
    "key that gives less than the licence\nin force.\n";

/* The employees and the licence store's workspace: static, as they are
 * large. */
static struct users staff;
static lkey_store licence;

static void die(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));
static void usage(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/* One line on standard error, and the program ends. */
static void
die(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("timeclock: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

static void
usage(const char *fmt, ...)
{
	va_list ap;

	fputs("timeclock: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see timeclock --help)\n", stderr);
	exit(EXIT_USAGE);
}

/* The exit status of a command whose output must not be lost. */
static int
done(int code)
{
	if (fflush(stdout) != 0 || ferror(stdout))
		die(EXIT_FILE, "cannot write to standard output");
	return code;
}

static void
load_staff(const char *dir)
{
	char err[ERRCAP];

	if (users_load(dir, &staff, err, sizeof(err)) != 0)
		die(EXIT_FILE, "%s", err);
}

/*
 * Checks the licence for `count` employees, `admin` saying whether the one
 * asking is an administrator. Ends the program unless timeclock may run:
 * the only problem left is then the seats (LKEY_SEATS_EXCEEDED,
 * LKEY_ADMIN_ONLY), which each command handles.
 */
static void
gate(const char *dir, const char *cmd, size_t count, bool admin)
{
	lkey_store_result r;
	char text[512];

	r = licence_check(&licence, dir, count, admin);
	if (r == LKEY_STORE_EMPTY)
		die(EXIT_NO_LICENCE, "%s refused: no licence is registered in "
		    "%s; register the licence key with: timeclock register "
		    "KEY", cmd, dir);
	if (r != LKEY_STORE_OK)
		die(EXIT_FILE, "%s", licence.message);
	if (licence.status == LKEY_OK ||
	    licence.status == LKEY_SEATS_EXCEEDED ||
	    licence.status == LKEY_ADMIN_ONLY)
		return;
	licence_problem(&licence, text, sizeof(text));
	if (licence.status == LKEY_MAINTENANCE_LAPSED)
		die(EXIT_MAINTENANCE, "%s refused: this release (%s) does not "
		    "run: %s", cmd, TIMECLOCK_RELEASE, text);
	die(EXIT_NO_LICENCE, "%s refused: %s", cmd, text);
}

/* "you can add 3 more employees" for `count` employees. */
static void
seats_left(size_t count, char *out, size_t cap)
{
	uint32_t seats = licence.license.seats;
	int64_t left = (int64_t)seats - (int64_t)count;

	if (seats == LKEY_SEATS_UNLIMITED)
		(void)snprintf(out, cap, "the licence has unlimited seats");
	else if (left > 0)
		(void)snprintf(out, cap, "you can add %lld more employee%s",
		    (long long)left, left == 1 ? "" : "s");
	else if (left == 0)
		(void)snprintf(out, cap, "all %u seats are in use",
		    (unsigned)seats);
	else
		(void)snprintf(out, cap, "%lld employee%s too many for %u "
		    "seats: remove %s or register a licence key with more "
		    "seats", (long long)-left, left == -1 ? "" : "s",
		    (unsigned)seats, left == -1 ? "one" : "some");
}

/* Reads a key from standard input, up to one byte over what is allowed. */
static size_t
read_key(char *buf, size_t cap)
{
	size_t len = fread(buf, 1, cap, stdin);

	if (ferror(stdin))
		die(EXIT_FILE, "register: cannot read the key from standard "
		    "input");
	return len;
}

static int
cmd_register(const char *dir, int argc, char **argv)
{
	static char text[LKEY_TEXT_MAX + 1U];
	char why[1024];
	lkey_store_result r;
	const char *key;
	bool force = argc > 0 && strcmp(argv[0], "--force") == 0;
	size_t len;

	if (argc != 1 + force || (argv[force][0] == '-' &&
	    argv[force][1] != '\0'))
		usage("register needs the licence key, or - to read it from "
		    "standard input, after --force if given");
	if (strcmp(argv[force], "-") == 0) {
		/* A key over LKEY_TEXT_MAX is refused by liblkey. */
		len = read_key(text, sizeof(text));
		key = text;
	} else {
		key = argv[force];
		len = strlen(key);
	}
	load_staff(dir);
	r = licence_register(&licence, dir, key, len, staff.count, force);
	if (r == LKEY_STORE_REFUSED) {
		licence_refusal(&licence, force, why, sizeof(why));
		die(EXIT_REFUSED, "licence key refused, the registered licence "
		    "is unchanged: %s", why);
	}
	if (r != LKEY_STORE_OK)
		die(EXIT_FILE, "%s", licence.message);
	if (licence.in_force && licence.status == LKEY_MAINTENANCE_LAPSED) {
		licence_problem(&licence, why, sizeof(why));
		fprintf(stderr, "timeclock: warning: the licence is registered, "
		    "but this release (%s) does not run with it: %s\n",
		    TIMECLOCK_RELEASE, why);
	}
	printf("%s\n", licence.message);
	licence_screen(stdout, &licence, staff.count);
	return done(0);
}

static int
cmd_licence(const char *dir, int argc, char **argv)
{
	lkey_store_result r;

	(void)argv;
	if (argc != 0)
		usage("licence takes no arguments");
	load_staff(dir);
	r = licence_check(&licence, dir, staff.count, false);
	if (r == LKEY_STORE_EMPTY)
		printf("Release:      %s\nLicence:      none registered; "
		    "register the licence key with: timeclock register KEY\n",
		    TIMECLOCK_RELEASE);
	else if (r == LKEY_STORE_OK)
		licence_screen(stdout, &licence, staff.count);
	else
		die(EXIT_FILE, "%s", licence.message);
	return done(0);
}

/* NAME and, if allowed, --admin, in either order. */
static const char *
name_arg(const char *cmd, int argc, char **argv, bool *admin)
{
	const char *name = NULL;
	int i;

	for (i = 0; i < argc; i++) {
		if (admin != NULL && strcmp(argv[i], "--admin") == 0) {
			if (*admin)
				usage("%s: --admin given twice", cmd);
			*admin = true;
		} else if (argv[i][0] == '-')
			usage("%s: unknown option %s", cmd, argv[i]);
		else if (name != NULL)
			usage("%s takes one NAME", cmd);
		else
			name = argv[i];
	}
	if (name == NULL)
		usage("%s needs the name of an employee", cmd);
	if (!user_name_ok(name))
		usage("%s: not a name of an employee (1 to %u bytes, no "
		    "control characters, no '/', no space at either end, no "
		    "'.' first)", cmd, USER_NAME_MAX);
	return name;
}

static int
cmd_adduser(const char *dir, int argc, char **argv)
{
	char left[160], err[ERRCAP];
	const char *name;
	bool admin = false;

	name = name_arg("adduser", argc, argv, &admin);
	load_staff(dir);
	/* The licence as it would be with one employee more. */
	gate(dir, "adduser", staff.count + 1U, false);
	if (users_find(&staff, name) != NULL)
		die(EXIT_NO_USER, "adduser: %s is an employee already", name);
	if (licence.status != LKEY_OK)
		die(EXIT_SEATS, "adduser refused: number of licences exceeded: "
		    "the licence has %u seat%s for %zu employee%s; register a "
		    "licence key with more seats, or remove an employee",
		    (unsigned)licence.license.seats,
		    licence.license.seats == 1 ? "" : "s", staff.count,
		    staff.count == 1 ? "" : "s");
	if (staff.count == USERS_MAX)
		die(EXIT_FILE, "adduser: this example keeps at most %u "
		    "employees", USERS_MAX);
	if (users_add(dir, name, admin, err, sizeof(err)) != 0)
		die(EXIT_FILE, "%s", err);
	seats_left(staff.count + 1U, left, sizeof(left));
	printf("Added %s%s; %s.\n", name, admin ? " (administrator)" : "",
	    left);
	return done(0);
}

static int
cmd_deluser(const char *dir, int argc, char **argv)
{
	char left[160], err[ERRCAP];
	struct user *who;
	const char *name;

	name = name_arg("deluser", argc, argv, NULL);
	load_staff(dir);
	gate(dir, "deluser", staff.count, false);
	if ((who = users_find(&staff, name)) == NULL)
		die(EXIT_NO_USER, "deluser: %s is not an employee", name);
	if (users_remove(dir, who, err, sizeof(err)) != 0)
		die(EXIT_FILE, "%s", err);
	seats_left(staff.count - 1U, left, sizeof(left));
	printf("Removed %s; %s.\n", name, left);
	return done(0);
}

static int
cmd_users(const char *dir, int argc, char **argv)
{
	char left[160];
	size_t i;

	(void)argv;
	if (argc != 0)
		usage("users takes no arguments");
	load_staff(dir);
	gate(dir, "users", staff.count, false);
	for (i = 0; i < staff.count; i++)
		printf("%s%s\n", staff.list[i].name,
		    staff.list[i].admin ? " (administrator)" : "");
	seats_left(staff.count, left, sizeof(left));
	printf("%zu employee%s; %s.\n", staff.count,
	    staff.count == 1 ? "" : "s", left);
	return done(0);
}

/*
 * Over the seat limit, administrators still get in, to an admin-only mode
 * in which they can remove employees or register more seats; everyone else
 * is refused until they have.
 */
static int
cmd_login(const char *dir, int argc, char **argv)
{
	char text[512];
	struct user *who;
	const char *name;

	name = name_arg("login", argc, argv, NULL);
	load_staff(dir);
	who = users_find(&staff, name);
	gate(dir, "login", staff.count, who != NULL && who->admin);
	if (who == NULL)
		die(EXIT_NO_USER, "login refused: %s is not an employee; an "
		    "administrator can add them with: timeclock adduser NAME",
		    name);
	if (licence.status == LKEY_SEATS_EXCEEDED) {
		licence_problem(&licence, text, sizeof(text));
		die(EXIT_SEATS, "login refused: number of licences exceeded: "
		    "%s", text);
	}
	if (licence.status == LKEY_ADMIN_ONLY) {
		printf("%s: logged in to admin-only mode.\n", name);
		licence_problem(&licence, text, sizeof(text));
		(void)done(0);
		die(EXIT_ADMIN_ONLY, "admin-only mode: %s", text);
	}
	printf("%s: logged in.\n", name);
	licence_warnings(stdout, &licence);
	return done(0);
}

static const struct {
	const char *name;
	int (*run)(const char *dir, int argc, char **argv);
} commands[] = {
	{ "register", cmd_register },
	{ "licence", cmd_licence },
	{ "adduser", cmd_adduser },
	{ "deluser", cmd_deluser },
	{ "users", cmd_users },
	{ "login", cmd_login },
};

int
main(int argc, char **argv)
{
	const char *dir = getenv("TIMECLOCK_DATA"), *value;
	bool dir_given = false;
	lkey_day release;
	size_t k;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			fputs(help_text, stdout);
			return done(0);
		}
		if (strcmp(argv[i], "--version") == 0) {
			printf("timeclock 1.0 (release %s, lkey %s)\n",
			    TIMECLOCK_RELEASE, LKEY_VERSION_STRING);
			return done(0);
		}
		if (strcmp(argv[i], "--data") == 0) {
			if (i + 1 == argc)
				usage("--data needs a directory");
			value = argv[++i];
		} else if (strncmp(argv[i], "--data=", 7) == 0)
			value = argv[i] + 7;
		else
			usage("unknown option %s", argv[i]);
		if (dir_given)
			usage("--data given twice");
		dir = value;
		dir_given = true;
	}
	if (i == argc)
		usage("no command given");
	if (dir == NULL || dir[0] == '\0')
		usage("no data directory: give --data DIR or set "
		    "TIMECLOCK_DATA");
	if (!licence_release(&release))
		die(EXIT_FILE, "built with TIMECLOCK_RELEASE \"%s\", which is "
		    "not a date YYYY-MM-DD", TIMECLOCK_RELEASE);
	for (k = 0; k < sizeof(commands) / sizeof(commands[0]); k++)
		if (strcmp(argv[i], commands[k].name) == 0)
			return commands[k].run(dir, argc - i - 1, argv + i + 1);
	usage("unknown command %s", argv[i]);
}

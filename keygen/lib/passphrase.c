/*
 * passphrase.c - getting the vendor's passphrase: from LKEY_PASSPHRASE for
 * scripts, else from the terminal with echo off.
 *
 * The terminal is /dev/tty, not standard input, so that a passphrase is
 * never read from a pipe meant for something else and never shown on the
 * screen; its settings are put back on every path. A signal while we read
 * leaves echo off, as with many tools; `stty sane` restores it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "file.h"
#include "msg.h"
#include "passphrase.h"

#define ENV_NAME "LKEY_PASSPHRASE"


/* Text on the terminal; a prompt that cannot be shown is no reason to stop. */
static void
put(int fd, const char *s)
{
	(void)file_write_all(fd, s, strlen(s));
}

/*
 * Prompts and reads one line into buf, without its line ending. A line that
 * does not fit is read to its end anyway, so that the rest of it does not
 * reach the shell as a command, and then refused.
 */
static int
ask(int fd, const char *prompt, char *buf, size_t cap, char *err,
    size_t errcap)
{
	size_t len = 0;
	bool toolong = false, eof = false;
	ssize_t n;
	char c = 0;

	put(fd, prompt);
	for (;;) {
		n = read(fd, &c, 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			put(fd, "\n");
			msg_fail(err, errcap, "cannot read the passphrase: %s",
			    strerror(errno));
			goto fail;
		}
		if (n == 0) {
			eof = true;
			break;
		}
		if (c == '\n')
			break;
		if (len + 1 < cap)
			buf[len++] = c;
		else
			toolong = true;
	}
	c = 0;
	/* Echo is off, so the user's Enter did not move the cursor. */
	put(fd, "\n");
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	if (toolong) {
		msg_fail(err, errcap, "passphrase is too long (at most %zu "
		    "bytes)", cap - 1);
		goto fail;
	}
	if (len == 0) {
		msg_fail(err, errcap, eof ? "no passphrase entered" :
		    "empty passphrase refused");
		goto fail;
	}
	return 0;
fail:
	sodium_memzero(buf, cap);
	return -1;
}

int
passphrase_env(const char *name, char *buf, size_t cap, char *err,
    size_t errcap)
{
	const char *env;
	size_t len;

	if (buf == NULL || cap < 2)
		return msg_fail(err, errcap, "no room for a passphrase");
	buf[0] = '\0';
	if ((env = getenv(name)) == NULL)
		return 1;
	len = strlen(env);
	if (len == 0)
		return msg_fail(err, errcap, "%s is empty", name);
	if (len >= cap)
		return msg_fail(err, errcap, "%s is too long (at most %zu "
		    "bytes)", name, cap - 1);
	memcpy(buf, env, len + 1);
	return 0;
}

int
passphrase_get(char *buf, size_t cap, const char *prompt, bool confirm,
    char *err, size_t errcap)
{
	struct termios saved, quiet;
	char *again = NULL;
	size_t len;
	int fd = -1, ret = -1, env;
	bool restore = false;

	if ((env = passphrase_env(ENV_NAME, buf, cap, err, errcap)) != 1)
		return env;
	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1 ||
	    tcgetattr(fd, &saved) == -1) {
		msg_fail(err, errcap,
		    "no passphrase: set " ENV_NAME " or run on a terminal");
		goto out;
	}
	quiet = saved;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
	quiet.c_lflag |= ICANON;
	/* TCSAFLUSH: what was typed ahead with echo on is not a passphrase. */
	if (tcsetattr(fd, TCSAFLUSH, &quiet) == -1) {
		msg_fail(err, errcap, "cannot turn off echo on the terminal: "
		    "%s", strerror(errno));
		goto out;
	}
	restore = true;

	if (ask(fd, prompt != NULL ? prompt : "passphrase: ", buf, cap, err,
	    errcap) == -1)
		goto out;
	if (confirm) {
		if (sodium_init() < 0 || (again = sodium_malloc(cap)) == NULL) {
			msg_fail(err, errcap, "out of memory");
			goto out;
		}
		if (ask(fd, "confirm passphrase: ", again, cap, err,
		    errcap) == -1)
			goto out;
		len = strlen(buf);
		if (strlen(again) != len ||
		    sodium_memcmp(buf, again, len) != 0) {
			msg_fail(err, errcap, "passphrases do not match");
			goto out;
		}
	}
	ret = 0;
out:
	if (restore)
		(void)tcsetattr(fd, TCSAFLUSH, &saved);
	if (fd != -1)
		(void)close(fd);
	sodium_free(again);
	if (ret != 0)
		sodium_memzero(buf, cap);
	return ret;
}

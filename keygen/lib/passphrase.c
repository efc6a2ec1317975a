/*
 * passphrase.c - getting the vendor's passphrase: from LKEY_PASSPHRASE for
 * scripts, else from the terminal with echo off.
 *
 * A passphrase in the environment can be read in /proc/PID/environ for as
 * long as the process runs, and is passed on to every child: lkey-keygen
 * takes it out early (passphrase_take_env) into secure memory and wipes
 * it where it was.
 *
 * A new passphrase must have some length and variety (passphrase_strong):
 * the file it protects can be attacked offline, as fast as Argon2id allows,
 * by whoever copies it, and "x" or "aaaaaaaaaaaa" falls at the first
 * guesses. The rule is deliberately simple, so that its message can say
 * exactly what is needed.
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
#include "utf8.h"

#define ENV_NAME "LKEY_PASSPHRASE"

/*
 * The passphrases passphrase_take_env took out of the environment. The one
 * state of this file, for the life of the process: the environment it
 * replaces is process-wide too.
 */
static struct env_copy {
	const char *name;
	bool set;
	size_t len;		/* of the value, which may be too long */
	char *value;		/* sodium_malloc, PASSPHRASE_MAX bytes */
} env_copies[] = {
	{ "LKEY_PASSPHRASE", false, 0, NULL },
	{ "LKEY_NEW_PASSPHRASE", false, 0, NULL },
};
static bool env_taken;

#define ENV_COPIES (sizeof(env_copies) / sizeof(env_copies[0]))


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

/* The copy of `name` passphrase_take_env made, or NULL: not taken. */
static const struct env_copy *
env_copy(const char *name)
{
	size_t k;

	if (!env_taken)
		return NULL;
	for (k = 0; k < ENV_COPIES; k++)
		if (strcmp(env_copies[k].name, name) == 0)
			return &env_copies[k];
	return NULL;
}

static void
env_free(void)
{
	size_t k;

	for (k = 0; k < ENV_COPIES; k++) {
		sodium_free(env_copies[k].value);
		env_copies[k].value = NULL;
		env_copies[k].set = false;
	}
}

int
passphrase_take_env(char *err, size_t errcap)
{
	struct env_copy *c;
	char *env;
	size_t k;

	if (env_taken)
		return 0;
	if (sodium_init() < 0)
		return msg_fail(err, errcap, "cannot initialise libsodium");
	for (k = 0; k < ENV_COPIES; k++) {
		c = &env_copies[k];
		if ((env = getenv(c->name)) == NULL)
			continue;
		if ((c->value = sodium_malloc(PASSPHRASE_MAX)) == NULL) {
			env_free();
			return msg_fail(err, errcap, "out of secure memory");
		}
		c->set = true;
		c->len = strlen(env);
		/* Too long: kept as such, so that passphrase_env says so. */
		if (c->len < PASSPHRASE_MAX)
			memcpy(c->value, env, c->len + 1);
		else
			c->value[0] = '\0';
		/* Where the environment shows it, then out of environ. */
		sodium_memzero(env, c->len);
		(void)unsetenv(c->name);
	}
	env_taken = true;
	(void)atexit(env_free);
	return 0;
}

bool
passphrase_env_set(const char *name)
{
	const struct env_copy *c = env_copy(name);

	return c != NULL ? c->set : getenv(name) != NULL;
}

int
passphrase_env(const char *name, char *buf, size_t cap, char *err,
    size_t errcap)
{
	const struct env_copy *c = env_copy(name);
	const char *env;
	size_t len;

	if (buf == NULL || cap < 2)
		return msg_fail(err, errcap, "no room for a passphrase");
	buf[0] = '\0';
	if (c != NULL) {
		if (!c->set)
			return 1;
		env = c->value;
		len = c->len;
	} else {
		if ((env = getenv(name)) == NULL)
			return 1;
		len = strlen(env);
	}
	if (len == 0)
		return msg_fail(err, errcap, "%s is empty", name);
	if (len >= cap)
		return msg_fail(err, errcap, "%s is too long (at most %zu "
		    "bytes)", name, cap - 1);
	memcpy(buf, env, len + 1);
	return 0;
}

/* Bytes of the character at s (n bytes left): its UTF-8 sequence, or 1. */
static size_t
char_len(const unsigned char *s, size_t n)
{
	size_t k = utf8_len(s, n);

	return k == 0 ? 1 : k;
}

/*
 * Counts characters up to the end, and different ones up to
 * PASSPHRASE_MIN_DISTINCT, which is all the rule needs to know.
 */
int
passphrase_strong(const char *pass, const char *name, char *err,
    size_t errcap)
{
	const unsigned char *s = (const unsigned char *)pass;
	const unsigned char *seen[PASSPHRASE_MIN_DISTINCT];
	size_t seen_len[PASSPHRASE_MIN_DISTINCT];
	size_t len = strlen(pass), i = 0, k, j, chars = 0, distinct = 0;

	while (i < len) {
		k = char_len(s + i, len - i);
		for (j = 0; j < distinct; j++)
			if (seen_len[j] == k && memcmp(seen[j], s + i, k) == 0)
				break;
		if (j == distinct && distinct < PASSPHRASE_MIN_DISTINCT) {
			seen[distinct] = s + i;
			seen_len[distinct++] = k;
		}
		chars++;
		i += k;
	}
	if (chars < PASSPHRASE_MIN_CHARS)
		return msg_fail(err, errcap, "%s too short: %zu character%s; "
		    "use at least %u (a few words are easier to remember)",
		    name, chars, chars == 1 ? "" : "s", PASSPHRASE_MIN_CHARS);
	if (distinct < PASSPHRASE_MIN_DISTINCT)
		return msg_fail(err, errcap, "%s too repetitive: %zu "
		    "characters but only %zu different; use at least %u "
		    "different characters", name, chars, distinct,
		    PASSPHRASE_MIN_DISTINCT);
	return 0;
}

int
passphrase_get(char *buf, size_t cap, const char *prompt, unsigned how,
    char *err, size_t errcap)
{
	struct termios saved, quiet;
	char *again = NULL;
	size_t len;
	int fd = -1, ret = -1, env;
	bool restore = false;

	if ((env = passphrase_env(ENV_NAME, buf, cap, err, errcap)) != 1) {
		if (env == 0 && (how & PASSPHRASE_STRONG) != 0 &&
		    passphrase_strong(buf, ENV_NAME, err, errcap) != 0) {
			sodium_memzero(buf, cap);
			return -1;
		}
		return env;
	}
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
	/* Said before the confirmation is typed in vain. */
	if ((how & PASSPHRASE_STRONG) != 0 &&
	    passphrase_strong(buf, "passphrase", err, errcap) != 0)
		goto out;
	if ((how & PASSPHRASE_CONFIRM) != 0) {
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

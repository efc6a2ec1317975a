/*
 * custody.c - where the vendor's secret key may be kept
 *
 * Whoever can read vendor.sec can try passphrases offline at leisure (or
 * needs none, for a file stored unencrypted); whoever can write it, or the
 * directory that holds it, can swap in a key of their own and have the
 * vendor sign licences nobody can check, or read the next passphrase
 * typed for it. ssh refuses a private key others can read for the same
 * reason. So a secret key file with any permission for group or others,
 * or in a directory group or others can write (after following links, so
 * that a link to /tmp is no way round it), is refused with the command
 * that fixes it; so is one that another user owns, or whose directory
 * another user owns (root aside), as they could change its mode at will.
 * Whoever can write or owns a directory above can rename the key's
 * directory away and put one of their own in its place, so every
 * directory up to / is checked as ssh's StrictModes does, a sticky
 * directory of root's such as /tmp being safe. The demo key is exempt:
 * its secret is public, and git checks it out with mode 0644. It is known
 * by being stored unencrypted with a seed that gives the demo public key
 * (seckey.c), not by its id, a comment or the public key in its header,
 * which anyone can copy.
 */
#define _XOPEN_SOURCE 700	/* realpath */

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "custody.h"
#include "file.h"
#include "msg.h"

/* The public key of keys/demo-vendor.pub (key id 277e0164). */
static const uint8_t demo_pk[LKEY_PUBLICKEYBYTES] = {
	0x99, 0x30, 0xce, 0x0f, 0xdd, 0xb7, 0xc7, 0x08,
	0x35, 0x02, 0x36, 0x26, 0x84, 0x68, 0xc0, 0x9f,
	0x2e, 0x58, 0x70, 0xe5, 0x75, 0xc6, 0x0d, 0x14,
	0x74, 0x20, 0xd4, 0x5f, 0xd8, 0xd4, 0x8a, 0x9a,
};

/* Bytes of a path shown in a message, quoted for the shell if need be. */
#define SHOWN_CAP (2U * FILE_PATH_MAX + 3U)

bool
custody_is_demo(const uint8_t pk[LKEY_PUBLICKEYBYTES])
{
	return sodium_memcmp(pk, demo_pk, LKEY_PUBLICKEYBYTES) == 0;
}

/*
 * path as a shell word for the command in a message: as it is when it is
 * plainly safe, else in single quotes.
 */
static const char *
shell_word(const char *path, char *out, size_t cap)
{
	static const char safe[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/-+,:@%=";
	size_t i, n = 0;

	if (path[0] != '\0' && path[0] != '-' &&
	    strspn(path, safe) == strlen(path)) {
		(void)snprintf(out, cap, "%s", path);
		return out;
	}
	if (cap < 3)
		return "";
	out[n++] = '\'';
	for (i = 0; path[i] != '\0' && n + 6 < cap; i++) {
		if (path[i] == '\'') {
			memcpy(out + n, "'\\''", 4);
			n += 4;
		} else
			out[n++] = path[i];
	}
	out[n++] = '\'';
	out[n] = '\0';
	return out;
}

/*
 * Who besides the owner has what in mode, in words: "readable by group
 * and others", "writable by others", "readable and writable by group".
 */
static void
who(mode_t mode, bool dir_write_only, char *out, size_t cap)
{
	const char *g, *o, *what;
	size_t n = 0;
	int pass, len;
	mode_t gbit, obit;

	out[0] = '\0';
	for (pass = 0; pass < 3; pass++) {
		if (dir_write_only && pass != 1)
			continue;
		gbit = pass == 0 ? S_IRGRP : pass == 1 ? S_IWGRP : S_IXGRP;
		obit = pass == 0 ? S_IROTH : pass == 1 ? S_IWOTH : S_IXOTH;
		if (!(mode & (gbit | obit)))
			continue;
		what = pass == 0 ? "readable" : pass == 1 ? "writable" :
		    "executable";
		g = (mode & gbit) ? "group" : "";
		o = (mode & obit) ? "others" : "";
		len = snprintf(out + n, cap - n, "%s%s by %s%s%s",
		    n > 0 ? ", " : "", what, g, *g && *o ? " and " : "", o);
		if (len < 0 || (size_t)len >= cap - n)
			return;
		n += (size_t)len;
	}
}

/* Whether a component of path is a symbolic link. */
static bool
through_link(const char *path)
{
	char part[FILE_PATH_MAX];
	struct stat st;
	size_t i, len = strlen(path);

	if (len >= sizeof(part))
		return true;
	memcpy(part, path, len + 1);
	for (i = 1; i <= len; i++) {
		if (i < len && part[i] != '/')
			continue;
		part[i] = '\0';
		if (lstat(part, &st) == 0 && S_ISLNK(st.st_mode))
			return true;
		part[i] = path[i];
	}
	return false;
}

/*
 * The name of the user uid in out: the login name, else "uid N".
 */
static const char *
user_name(uid_t uid, char *out, size_t cap)
{
	const struct passwd *pw = getpwuid(uid);

	if (pw != NULL && pw->pw_name != NULL && pw->pw_name[0] != '\0')
		(void)snprintf(out, cap, "%s", pw->pw_name);
	else
		(void)snprintf(out, cap, "uid %lu", (unsigned long)uid);
	return out;
}

/* Whether a file or directory owned by uid is ours to trust: root's or
 * the running user's. Another user could change its mode at will. */
static bool
owner_ok(uid_t uid)
{
	return uid == 0 || uid == geteuid();
}

/*
 * The message for path (shown as shown) owned by another user: subject
 * first ("SEC: ", "SEC: its directory "), then who owns it, who should,
 * and the chown that gives it back (to be run as root unless we are).
 */
static int
owner_fail(const char *subject, const char *shown, const char *path,
    uid_t owner, char *err, size_t errcap)
{
	char theirs[64], mine[64], sh[SHOWN_CAP], me_sh[SHOWN_CAP];
	uid_t me = geteuid();

	(void)user_name(owner, theirs, sizeof theirs);
	(void)user_name(me, mine, sizeof mine);
	if (me == 0)
		return msg_fail(err, errcap, "%s%s is owned by %s, not by root; "
		    "run: chown root %s", subject, shown, theirs,
		    shell_word(path, sh, sizeof sh));
	return msg_fail(err, errcap, "%s%s is owned by %s, not by you (%s) or "
	    "root; run as root: chown %s %s", subject, shown, theirs, mine,
	    shell_word(mine, me_sh, sizeof me_sh),
	    shell_word(path, sh, sizeof sh));
}

/*
 * Every directory above real (a path realpath gave: absolute, no links)
 * up to / is one no other user can write or own, as ssh's StrictModes
 * asks: who can write a directory, or owns it and so can chmod it, can
 * rename what is below it away and put their own in its place. A
 * directory all may write is fine only with the sticky bit and owned by
 * root, as /tmp is: then no one may rename what another owns in it.
 * subject names the key file or the key directory as given; init says
 * who could do what (init true).
 */
static int
check_above(const char *real, const char *subject, bool init, char *err,
    size_t errcap)
{
	char up[PATH_MAX], words[128], owner[64], sh[SHOWN_CAP];
	char lead[FILE_PATH_MAX + 32], shown[PATH_MAX + 16];
	char *slash;
	struct stat st;

	(void)snprintf(up, sizeof up, "%s", real);
	while (strcmp(up, "/") != 0) {
		if ((slash = strrchr(up, '/')) == NULL)
			break;
		if (slash == up)
			slash[1] = '\0';
		else
			slash[0] = '\0';
		if (stat(up, &st) == -1)
			return msg_fail(err, errcap, "%s: %s", up,
			    strerror(errno));
		if ((st.st_mode & (S_IWGRP | S_IWOTH)) &&
		    !((st.st_mode & S_ISVTX) && st.st_uid == 0)) {
			who(st.st_mode, true, words, sizeof words);
			owner[0] = '\0';
			if (st.st_mode & S_ISVTX)
				(void)user_name(st.st_uid, owner, sizeof owner);
			return msg_fail(err, errcap, "%s: the directory %s "
			    "above it is %s (mode %04o)%s%s%s%s; run: chmod "
			    "go-w %s", subject, up, words,
			    (unsigned)(st.st_mode & 07777),
			    owner[0] != '\0' ? " and owned by " : "", owner,
			    owner[0] != '\0' ? ", not root" : "",
			    init ? ", who could move the key files away" : "",
			    shell_word(up, sh, sizeof sh));
		}
		if (!owner_ok(st.st_uid)) {
			(void)snprintf(lead, sizeof lead, "%s: the directory ",
			    subject);
			(void)snprintf(shown, sizeof shown, "%s above it", up);
			return owner_fail(lead, shown, up, st.st_uid, err,
			    errcap);
		}
	}
	return 0;
}

/*
 * dir, after following links, is not writable by group or others and is
 * owned by root or us, nor is any directory above it (check_above); else
 * the message: what (the file it holds, or NULL), then the directory.
 */
static int
check_dir(const char *dir, const char *what, char *err, size_t errcap)
{
	char real[PATH_MAX], words[128], shown[PATH_MAX + FILE_PATH_MAX + 16];
	char sh[SHOWN_CAP], subject[PATH_MAX + FILE_PATH_MAX + 32];
	struct stat st;

	if (realpath(dir, real) == NULL)
		return msg_fail(err, errcap, "%s: %s", dir, strerror(errno));
	if (stat(real, &st) == -1)
		return msg_fail(err, errcap, "%s: %s", real, strerror(errno));
	/* Through a link: the directory that is really written. */
	if (!through_link(dir))
		(void)snprintf(shown, sizeof(shown), "%s", dir);
	else
		(void)snprintf(shown, sizeof(shown), "%s (really %s)", dir,
		    real);
	if (!(st.st_mode & (S_IWGRP | S_IWOTH))) {
		if (owner_ok(st.st_uid))
			return check_above(real, what != NULL ? what : dir,
			    what == NULL, err, errcap);
		if (what != NULL)
			(void)snprintf(subject, sizeof subject, "%s: its "
			    "directory ", what);
		else {
			(void)snprintf(subject, sizeof subject, "%s: ", shown);
			(void)snprintf(shown, sizeof shown, "the directory");
		}
		return owner_fail(subject, shown, dir, st.st_uid, err, errcap);
	}
	who(st.st_mode, true, words, sizeof(words));
	if (what != NULL)
		return msg_fail(err, errcap, "%s: its directory %s is %s (mode "
		    "%04o); run: chmod go-w %s", what, shown, words,
		    (unsigned)(st.st_mode & 07777), shell_word(dir, sh,
		    sizeof(sh)));
	return msg_fail(err, errcap, "%s: the directory is %s (mode %04o), "
	    "who could replace the key files in it; run: chmod go-w %s",
	    shown, words, (unsigned)(st.st_mode & 07777), shell_word(dir, sh,
	    sizeof(sh)));
}

int
custody_dir_ok(const char *dir, char *err, size_t errcap)
{
	return check_dir(dir, NULL, err, errcap);
}

int
custody_secret_ok(const char *path, bool demo, char *err, size_t errcap)
{
	char dir[FILE_PATH_MAX], words[128], sh[SHOWN_CAP];
	char subject[FILE_PATH_MAX + 8];
	const char *name;
	struct stat st;

	if (demo)
		return 0;
	if (lstat(path, &st) == -1)
		return msg_fail(err, errcap, "%s: %s", path, strerror(errno));
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		who(st.st_mode, false, words, sizeof(words));
		return msg_fail(err, errcap, "%s: %s (mode %04o); run: chmod "
		    "600 %s", path, words, (unsigned)(st.st_mode & 07777),
		    shell_word(path, sh, sizeof(sh)));
	}
	if (!owner_ok(st.st_uid)) {
		(void)snprintf(subject, sizeof subject, "%s: ", path);
		return owner_fail(subject, "the file", path, st.st_uid, err,
		    errcap);
	}
	if (file_split(path, dir, &name) == -1)
		return msg_fail(err, errcap, "%s: not the path of a file",
		    path);
	return check_dir(dir, path, err, errcap);
}

/*
 * keyfile_write.c - writing the vendor's key files: a new key pair as
 * DIR/vendor.sec and DIR/vendor.pub, and a secret key file re-encrypted
 * under a new passphrase
 *
 * A key file is never half-written, never written through a planted link
 * and never silently replaced: each goes through a temporary file in its
 * directory (common/file.c), is linked into place where nothing may be
 * replaced and renamed over the old file where one must be, and the
 * directory is synced. Nothing is written that keyfile_load_secret would
 * refuse, nor into a directory others may write (where they could swap
 * the key files). The key itself, its id and public key never change on
 * re-encryption, so no licence or verifier notices.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "custody.h"
#include "file.h"
#include "keyfile.h"
#include "msg.h"
#include "pubfile.h"
#include "seckey.h"

/* "DIR/vendor.sec" */
#define PATH_CAP 4096U
/* pubkey_file_format: 256 is enough. */
#define PUB_TEXT_CAP 256U


/*
 * What both writers check before any work: libsodium ready, a path
 * (`missing` says it is not there), a passphrase that is not empty.
 */
static int
check_args(const char *path, const char *missing, const char *passphrase,
    char *err, size_t errcap)
{
	msg_fail(err, errcap, "internal error");
	if (sodium_init() < 0)
		return msg_fail(err, errcap, "cannot initialise libsodium");
	if (path == NULL || *path == '\0')
		return msg_fail(err, errcap, "%s", missing);
	if (passphrase != NULL && *passphrase == '\0')
		return msg_fail(err, errcap, "empty passphrase refused");
	return 0;
}

/* Never write a file that keyfile_load_secret would refuse. */
static int
check_key(const lkey_vendor_key *key, seckey_new *s, const char *pubpath,
    char *err, size_t errcap)
{
	if (!pubkey_point_ok(key->pub.pk, pubpath, err, errcap))
		return -1;
	if (sodium_memcmp(key->sk + LKEY_SEEDBYTES, key->pub.pk,
	    LKEY_PUBLICKEYBYTES) != 0 ||
	    !seckey_matches(key->sk, s->sk, key->pub.pk, key->pub.id))
		return msg_fail(err, errcap, "secret key does not match its "
		    "public key or key id");
	return 0;
}

/* Name of the directory that holds `dir`, for "parent does not exist". */
static void
parent_of(const char *dir, char *out, size_t cap)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	while (n > 0 && dir[n - 1] != '/')
		n--;
	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (n == 0)
		(void)snprintf(out, cap, ".");
	else
		(void)snprintf(out, cap, "%.*s", (int)(n > 4096 ? 4096 : n),
		    dir);
}

/* "DIR/name", for messages: the files themselves are opened under DIR. */
static int
join(char *out, size_t cap, const char *dir, const char *name)
{
	int n = snprintf(out, cap, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* mkdir DIR 0700 unless it is already a directory. */
static int
make_dir(const char *dir, bool *made, char *err, size_t errcap)
{
	char parent[PATH_CAP];
	struct stat st;

	*made = false;
	if (mkdir(dir, 0700) == 0) {
		*made = true;
		return 0;
	}
	if (errno == EEXIST) {
		if (stat(dir, &st) == -1) {
			msg_fail(err, errcap, "%s: %s", dir, strerror(errno));
			return -1;
		}
		if (!S_ISDIR(st.st_mode)) {
			msg_fail(err, errcap, "%s: exists and is not a "
			    "directory", dir);
			return -1;
		}
		return 0;
	}
	if (errno == ENOENT) {
		parent_of(dir, parent, sizeof parent);
		msg_fail(err, errcap, "%s: cannot create: %s does not exist",
		    dir, parent);
	} else
		msg_fail(err, errcap, "%s: cannot create directory: %s", dir,
		    strerror(errno));
	return -1;
}

/* lstat, so that a dangling symbolic link counts as existing too. */
static int
refuse_existing(int dfd, const char *name, const char *shown, char *err,
    size_t errcap)
{
	struct stat st;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		msg_fail(err, errcap, "%s: already exists; refusing to "
		    "overwrite", shown);
		return -1;
	}
	if (errno != ENOENT) {
		msg_fail(err, errcap, "%s: %s", shown, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Writes dfd/name (shown as `shown`) holding `data` with exactly `mode`,
 * whole or not at all: in place of the file with `replace` (file_replace),
 * else never in place of an existing one (file_create).
 */
static int
put_file(int dfd, const char *name, const char *shown, const char *data,
    size_t len, mode_t mode, bool replace, char *err, size_t errcap)
{
	char tmp[FILE_TMP_CAP];
	struct iovec iov;
	file_data d;
	int step, rc;

	iov.iov_base = (void *)(uintptr_t)data;
	iov.iov_len = len;
	d.iov = &iov;
	d.n = 1;
	d.mode = mode;
	d.exact = true;
	if (replace)
		rc = file_replace(dfd, name, &d, &step);
	else
		rc = file_create(dfd, name, &d, tmp, &step);
	if (rc == 0)
		return 0;
	if (step == FILE_STEP_LINK && errno == EEXIST)
		return msg_fail(err, errcap, "%s: already exists; refusing to "
		    "overwrite", shown);
	/* A second name of the secret key must not linger unseen. */
	if (step == FILE_STEP_CLEANUP)
		return msg_fail(err, errcap, "%s: cannot remove temporary file "
		    "%s: %s", shown, tmp, strerror(errno));
	return msg_fail(err, errcap, "%s: cannot %s: %s", shown,
	    step == FILE_STEP_CREATE ? "create a temporary file" :
	    step == FILE_STEP_WRITE ? "write" :
	    step == FILE_STEP_RENAME ? "replace" : "create", strerror(errno));
}

/*
 * Writes vendor.sec (s->text) and vendor.pub of key into dfd (named dir),
 * both or neither, and syncs the directory: the new names are durable
 * only once it is.
 */
static int
write_pair(int dfd, const char *dir, const lkey_vendor_key *key,
    const seckey_new *s, const char *secpath, const char *pubpath,
    char *err, size_t errcap)
{
	char pubtext[PUB_TEXT_CAP];
	size_t publen;

	publen = pubkey_file_format(&key->pub, pubtext, sizeof pubtext);
	if (publen == 0 || publen >= sizeof pubtext)
		return msg_fail(err, errcap, "%s: cannot format the public key",
		    pubpath);
	if (put_file(dfd, "vendor.sec", secpath, s->text, s->len, 0600, false,
	    err, errcap) == -1)
		return -1;
	if (put_file(dfd, "vendor.pub", pubpath, pubtext, publen, 0644, false,
	    err, errcap) == -1)
		goto fail;
	if (file_sync_dir(dfd) == -1) {
		msg_fail(err, errcap, "%s: cannot sync: %s", dir,
		    strerror(errno));
		(void)unlinkat(dfd, "vendor.pub", 0);
		goto fail;
	}
	return 0;
fail:
	/* All or nothing: remove only what this call created. */
	(void)unlinkat(dfd, "vendor.sec", 0);
	return -1;
}

/*
 * In the directory dir, unless either file is there already in any form:
 * vendor.sec sealed under `passphrase`, and vendor.pub (write_pair).
 */
static int
create_pair(const char *dir, const lkey_vendor_key *key,
    const char *passphrase, seckey_new *s, const char *secpath,
    const char *pubpath, char *err, size_t errcap)
{
	int dfd, rc = -1;

	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return msg_fail(err, errcap, "%s: %s", dir, strerror(errno));
	if (refuse_existing(dfd, "vendor.sec", secpath, err, errcap) == 0 &&
	    refuse_existing(dfd, "vendor.pub", pubpath, err, errcap) == 0 &&
	    seckey_seal(key, passphrase, s, err, errcap) == 0)
		rc = write_pair(dfd, dir, key, s, secpath, pubpath, err,
		    errcap);
	(void)close(dfd);
	return rc;
}

int
keyfile_init(const char *dir, const lkey_vendor_key *key,
    const char *passphrase, char *err, size_t errcap)
{
	seckey_new *s;
	char secpath[PATH_CAP], pubpath[PATH_CAP];
	int ret = -1;
	bool made_dir = false;

	if (check_args(dir, "no directory given for the key files", passphrase,
	    err, errcap) != 0)
		return -1;
	if (join(secpath, sizeof secpath, dir, "vendor.sec") == -1 ||
	    join(pubpath, sizeof pubpath, dir, "vendor.pub") == -1)
		return msg_fail(err, errcap, "%s: path too long", dir);
	if ((s = sodium_malloc(sizeof *s)) == NULL)
		return msg_fail(err, errcap, "out of memory");
	if (check_key(key, s, pubpath, err, errcap) == 0 &&
	    make_dir(dir, &made_dir, err, errcap) == 0 &&
	    custody_dir_ok(dir, err, errcap) == 0 &&
	    create_pair(dir, key, passphrase, s, secpath, pubpath, err,
	    errcap) == 0) {
		ret = 0;
		if (err != NULL && errcap > 0)
			err[0] = '\0';
	} else if (made_dir)
		(void)rmdir(dir);
	sodium_free(s);
	return ret;
}

/*
 * The file to be replaced must be a regular file reached without a link
 * (rename would replace the link, not its target), with no other hard
 * link, which would keep a copy under the old protection.
 */
static int
check_replaceable(int dfd, const char *name, const char *path, char *err,
    size_t errcap)
{
	struct stat st;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1)
		return msg_fail(err, errcap, "%s: %s", path, strerror(errno));
	if (S_ISLNK(st.st_mode))
		return msg_fail(err, errcap, "%s: is a symbolic link; refusing "
		    "to replace it", path);
	if (!S_ISREG(st.st_mode))
		return msg_fail(err, errcap, "%s: not a regular file; refusing "
		    "to replace it", path);
	if (st.st_nlink > 1)
		return msg_fail(err, errcap, "%s: has other hard links, which "
		    "would keep the key under its old protection; remove them "
		    "first", path);
	return 0;
}

/*
 * Re-encrypts a secret key file in place, all or nothing. Defends against:
 * a half-written or lost key (file_replace, then the directory synced: a
 * crash leaves the old file or the new one); writing through a planted
 * link (check_replaceable, and the temporary file is O_EXCL|O_NOFOLLOW);
 * replacing the wrong file (it must hold this key's id and public key, so
 * a file swapped since it was loaded is left alone); and a copy under the
 * old passphrase that silently survives (no other hard links).
 */
int
keyfile_passwd(const char *path, const lkey_vendor_key *key,
    const char *passphrase, char *err, size_t errcap)
{
	seckey_new *s = NULL;
	seckey_file *old = NULL;
	char dir[FILE_PATH_MAX];
	const char *name;
	int dfd = -1, ret = -1;

	if (check_args(path, "no secret key file given", passphrase, err,
	    errcap) != 0)
		return -1;
	if (file_split(path, dir, &name) == -1)
		return msg_fail(err, errcap, "%s: not the path of a file",
		    path);
	if ((s = sodium_malloc(sizeof *s)) == NULL ||
	    (old = sodium_malloc(sizeof *old)) == NULL) {
		msg_fail(err, errcap, "out of memory");
		goto out;
	}
	if (check_key(key, s, path, err, errcap) != 0)
		goto out;
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		msg_fail(err, errcap, "%s: %s", dir, strerror(errno));
		goto out;
	}
	if (check_replaceable(dfd, name, path, err, errcap) != 0 ||
	    seckey_read(path, old, err, errcap) == -1)
		goto out;
	if (old->id != key->pub.id || sodium_memcmp(old->pk, key->pub.pk,
	    LKEY_PUBLICKEYBYTES) != 0) {
		msg_fail(err, errcap, "%s: holds another key (key id %08" PRIx32
		    ", not %08" PRIx32 "); not replaced", path, old->id,
		    key->pub.id);
		goto out;
	}
	if (seckey_seal(key, passphrase, s, err, errcap) == -1 ||
	    put_file(dfd, name, path, s->text, s->len, 0600, true, err,
	    errcap) == -1)
		goto out;
	/* The new name is durable only once the directory is. */
	if (file_sync_dir(dfd) == -1) {
		msg_fail(err, errcap, "%s: replaced, but cannot sync %s: %s",
		    path, dir, strerror(errno));
		goto out;
	}
	ret = 0;
	if (err != NULL && errcap > 0)
		err[0] = '\0';
out:
	if (dfd != -1)
		(void)close(dfd);
	sodium_free(old);
	sodium_free(s);
	return ret;
}

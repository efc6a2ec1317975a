/*
 * keyfile.c - the vendor's key files: DIR/vendor.sec and DIR/vendor.pub.
 *
 * Secret key file (vendor.sec), version "lkS1". A text file:
 *
 *	# lkey secret key, key id 1a2b3c4d: keep private
 *	<one line of canonical base64 of the blob>
 *
 * Lines that start with '#' are comments for humans and are never trusted.
 * Blank lines (only ASCII whitespace) are ignored. There must be exactly one
 * other line, the canonical base64 (RFC 4648, padded) of the blob. The file
 * may not be larger than KEYFILE_SEC_MAX bytes nor contain a NUL byte.
 *
 * Blob, all integers little-endian:
 *
 *	offset size
 *	     0    4  magic "lkS1"
 *	     4    1  kdf: 0 = not encrypted, 1 = Argon2id (ARGON2ID13)
 *	     5    8  opslimit, u64 (0 when not encrypted)
 *	    13    8  memlimit in bytes, u64 (0 when not encrypted)
 *	    21   16  salt (crypto_pwhash_SALTBYTES; zero when not encrypted)
 *	    37   24  nonce (XChaCha20-Poly1305; zero when not encrypted)
 *	    61    4  key id, u32
 *	    65   32  Ed25519 public key
 *	    97       the header ends here
 *	    97   48  kdf 1: XChaCha20-Poly1305-IETF ciphertext of the 32-byte
 *	             seed and its 16-byte tag, with bytes 0..96 (the whole
 *	             header) as associated data
 *	    97   32  kdf 0: the 32-byte seed itself
 *
 * So a blob is 145 bytes (196 characters of base64) when encrypted and 129
 * bytes (172 characters) when not; any other length is refused.
 *
 * The encryption key is crypto_pwhash(32 bytes, passphrase, salt, opslimit,
 * memlimit, crypto_pwhash_ALG_ARGON2ID13). New files use libsodium's
 * OPSLIMIT_MODERATE and MEMLIMIT_MODERATE (3 passes, 256 MiB); the
 * environment variable LKEY_PWHASH_INTERACTIVE=1 selects the INTERACTIVE
 * limits (2 passes, 64 MiB) instead. That is for tests only: it makes the
 * passphrase cheaper to guess.
 *
 * Loading refuses, before any work: a file that is not exactly this shape;
 * an unencrypted file whose kdf fields are not all zero; opslimit outside
 * [crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_OPSLIMIT_SENSITIVE] (1..4) and
 * memlimit outside [crypto_pwhash_MEMLIMIT_MIN, 1 GiB] (8 KiB..1 GiB), so a
 * crafted file cannot make us burn time or memory. After decryption the key
 * pair is derived from the seed and must give the stored public key, and the
 * public key must give the stored key id: a file whose parts do not belong
 * together is refused rather than used to sign licences no one can check.
 *
 * The header is associated data, so changing the limits, salt, nonce, key id
 * or public key of an encrypted file makes decryption fail; a wrong
 * passphrase and a damaged file cannot be told apart, and are not.
 *
 * keyfile_passwd rewrites a secret key file under a new passphrase (or none)
 * with a fresh salt and nonce and the current limits; the key itself, its
 * id and public key never change, so no licence or verifier notices.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "codec.h"
#include "keyfile.h"
#include "le.h"
#include "passphrase.h"
#include "pubfile.h"
#include "pubkey.h"
#include "textfile.h"

#define SEC_MAGIC "lkS1"
#define SEC_MAGIC_BYTES 4U

/* Where unattended runs pass the old and the new passphrase. */
#define OLD_PASS_ENV "LKEY_PASSPHRASE"
#define NEW_PASS_ENV "LKEY_NEW_PASSPHRASE"

#define KDF_NONE 0U
#define KDF_ARGON2ID 1U

#define SALT_BYTES 16U
#define NONCE_BYTES 24U
#define KEK_BYTES 32U
#define TAG_BYTES 16U

#define OFF_MAGIC 0U
#define OFF_KDF 4U
#define OFF_OPS 5U
#define OFF_MEM 13U
#define OFF_SALT 21U
#define OFF_NONCE (OFF_SALT + SALT_BYTES)
#define OFF_KEYID (OFF_NONCE + NONCE_BYTES)
#define OFF_PK (OFF_KEYID + 4U)
#define HDR_BYTES (OFF_PK + LKEY_PUBLICKEYBYTES)

#define PLAIN_BYTES (HDR_BYTES + LKEY_SEEDBYTES)
#define SEALED_BYTES (HDR_BYTES + LKEY_SEEDBYTES + TAG_BYTES)

/* Longest key-derivation limits a file may ask of us. */
#define MEMLIMIT_CAP (1024ULL * 1024U * 1024U)

/* Comment line, base64 line, two newlines, NUL: well under this. */
#define SEC_TEXT_CAP 512U
/* Room for whatever the decoder can produce from a bounded file. */
#define DECODE_CAP (LKEY_TEXT_MAX / 4U * 3U)
/* "DIR/vendor.sec" */
#define PATH_CAP 4096U
/* pubkey_file_format: 256 is enough. */
#define PUB_TEXT_CAP 256U
/* ".NAME.tmp-" and 16 hex digits, NAME cut to NAME_MAX_SHOWN bytes. */
#define NAME_MAX_SHOWN 200
#define TMP_NAME_CAP 256U

_Static_assert(SALT_BYTES == crypto_pwhash_SALTBYTES, "salt size");
_Static_assert(NONCE_BYTES == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
    "nonce size");
_Static_assert(KEK_BYTES == crypto_aead_xchacha20poly1305_ietf_KEYBYTES,
    "key size");
_Static_assert(TAG_BYTES == crypto_aead_xchacha20poly1305_ietf_ABYTES,
    "tag size");
_Static_assert(LKEY_SEEDBYTES == crypto_sign_SEEDBYTES, "seed size");
_Static_assert(LKEY_SECRETKEYBYTES == crypto_sign_SECRETKEYBYTES,
    "secret key size");
_Static_assert(LKEY_PUBLICKEYBYTES == crypto_sign_PUBLICKEYBYTES,
    "public key size");
_Static_assert(HDR_BYTES == 97U, "header layout as documented");
_Static_assert(LKEY_B64_LEN(SEALED_BYTES) + 64U < SEC_TEXT_CAP,
    "secret key text fits");
_Static_assert(KEYFILE_SEC_MAX <= LKEY_TEXT_MAX, "decoder bound");
_Static_assert(MEMLIMIT_CAP <= SIZE_MAX, "memlimit fits in size_t");

/* Secrets of keyfile_init, in one guarded allocation wiped by sodium_free. */
struct init_secrets {
	uint8_t sk[LKEY_SECRETKEYBYTES];	/* re-derived, to check the key */
	uint8_t kek[KEK_BYTES];
	uint8_t blob[SEALED_BYTES];
	char text[SEC_TEXT_CAP];
};

/* Secrets of keyfile_load_secret, likewise. */
struct load_secrets {
	char text[KEYFILE_SEC_MAX + 1];
	uint8_t blob[DECODE_CAP];
	uint8_t seed[LKEY_SEEDBYTES];
	uint8_t kek[KEK_BYTES];
	char pass[PASSPHRASE_MAX];
	char prompt[PATH_CAP + 32];
};

static void fail(char *err, size_t errcap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
fail(char *err, size_t errcap, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errcap == 0)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(err, errcap, fmt, ap);
	va_end(ap);
}

/*
 * The cost of new files. MODERATE is libsodium's advice for keys that are
 * used now and then by a person; the test-only switch keeps the suite fast.
 */
static void
new_limits(uint64_t *ops, uint64_t *mem)
{
	const char *fast = getenv("LKEY_PWHASH_INTERACTIVE");

	if (fast != NULL && strcmp(fast, "1") == 0) {
		*ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
		*mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
	} else {
		*ops = crypto_pwhash_OPSLIMIT_MODERATE;
		*mem = crypto_pwhash_MEMLIMIT_MODERATE;
	}
}

/* Refuse limits that would let a crafted file make us hash for hours. */
static bool
limits_ok(uint64_t ops, uint64_t mem)
{
	return ops >= crypto_pwhash_OPSLIMIT_MIN &&
	    ops <= crypto_pwhash_OPSLIMIT_SENSITIVE &&
	    mem >= crypto_pwhash_MEMLIMIT_MIN && mem <= MEMLIMIT_CAP;
}

/*
 * The seed must give the public key and the public key the id: otherwise
 * we would sign licences that no verifier holding the public key accepts.
 * `sk` receives the derived secret key; `pk` the derived public key.
 */
static bool
key_matches(const uint8_t seed[LKEY_SEEDBYTES], uint8_t sk[LKEY_SECRETKEYBYTES],
    const uint8_t pk_stored[LKEY_PUBLICKEYBYTES], uint32_t id_stored)
{
	uint8_t pk[LKEY_PUBLICKEYBYTES];
	lkey_pubkey pub;

	if (crypto_sign_seed_keypair(pk, sk, seed) != 0)
		return false;
	if (sodium_memcmp(pk, pk_stored, sizeof pk) != 0)
		return false;
	lkey_pubkey_from_bytes(pk, &pub);
	return pub.id == id_stored;
}

/*
 * Builds the blob and the text of a secret key file in s->text. With a
 * passphrase the seed is sealed under a key derived from it, the header as
 * associated data so that no header field can be changed unnoticed.
 */
static int
seal_secret(const lkey_vendor_key *key, const char *passphrase,
    struct init_secrets *s, size_t *textlen, char *err, size_t errcap)
{
	unsigned long long clen;
	uint64_t ops = 0, mem = 0;
	size_t bloblen, n, b64;
	int len;

	memset(s->blob, 0, sizeof s->blob);
	memcpy(s->blob + OFF_MAGIC, SEC_MAGIC, SEC_MAGIC_BYTES);
	le_store32(s->blob + OFF_KEYID, key->pub.id);
	memcpy(s->blob + OFF_PK, key->pub.pk, LKEY_PUBLICKEYBYTES);
	if (passphrase != NULL) {
		new_limits(&ops, &mem);
		s->blob[OFF_KDF] = KDF_ARGON2ID;
		le_store64(s->blob + OFF_OPS, ops);
		le_store64(s->blob + OFF_MEM, mem);
		randombytes_buf(s->blob + OFF_SALT, SALT_BYTES);
		randombytes_buf(s->blob + OFF_NONCE, NONCE_BYTES);
		if (crypto_pwhash(s->kek, sizeof s->kek, passphrase,
		    strlen(passphrase), s->blob + OFF_SALT, ops, (size_t)mem,
		    crypto_pwhash_ALG_ARGON2ID13) != 0) {
			fail(err, errcap,
			    "key derivation failed (out of memory?)");
			return -1;
		}
		if (crypto_aead_xchacha20poly1305_ietf_encrypt(
		    s->blob + HDR_BYTES, &clen, key->sk, LKEY_SEEDBYTES,
		    s->blob, HDR_BYTES, NULL, s->blob + OFF_NONCE,
		    s->kek) != 0 || clen != LKEY_SEEDBYTES + TAG_BYTES) {
			fail(err, errcap, "cannot encrypt the secret key");
			return -1;
		}
		bloblen = SEALED_BYTES;
	} else {
		s->blob[OFF_KDF] = KDF_NONE;
		memcpy(s->blob + HDR_BYTES, key->sk, LKEY_SEEDBYTES);
		bloblen = PLAIN_BYTES;
	}

	len = snprintf(s->text, sizeof s->text,
	    "# lkey secret key, key id %08" PRIx32 ": keep private\n",
	    key->pub.id);
	if (len < 0 || (size_t)len >= sizeof s->text) {
		fail(err, errcap, "cannot format the secret key file");
		return -1;
	}
	n = (size_t)len;
	b64 = lkey_b64_encode(s->blob, bloblen, s->text + n,
	    sizeof s->text - n);
	if (b64 == 0 || n + b64 + 2 > sizeof s->text) {
		fail(err, errcap, "cannot encode the secret key file");
		return -1;
	}
	n += b64;
	s->text[n++] = '\n';
	s->text[n] = '\0';
	*textlen = n;
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
			fail(err, errcap, "%s: %s", dir, strerror(errno));
			return -1;
		}
		if (!S_ISDIR(st.st_mode)) {
			fail(err, errcap, "%s: exists and is not a directory",
			    dir);
			return -1;
		}
		return 0;
	}
	if (errno == ENOENT) {
		parent_of(dir, parent, sizeof parent);
		fail(err, errcap, "%s: cannot create: %s does not exist", dir,
		    parent);
	} else
		fail(err, errcap, "%s: cannot create directory: %s", dir,
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
		fail(err, errcap, "%s: already exists; refusing to overwrite",
		    shown);
		return -1;
	}
	if (errno != ENOENT) {
		fail(err, errcap, "%s: %s", shown, strerror(errno));
		return -1;
	}
	return 0;
}

static int
write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Writes `data` to a fresh temporary file ".NAME.tmp-RANDOM" in the
 * directory dfd, with `mode` whatever the umask, fsynced and closed; its
 * name goes to tmp. O_EXCL and O_NOFOLLOW: no planted file or link is
 * written through. On failure nothing is left behind.
 */
static int
write_temp(int dfd, const char *name, const char *shown, const char *data,
    size_t len, mode_t mode, char tmp[TMP_NAME_CAP], char *err,
    size_t errcap)
{
	uint8_t rnd[8];
	char hex[2 * sizeof rnd + 1];
	int fd = -1, ret = -1, tries;

	for (tries = 0; tries < 8; tries++) {
		randombytes_buf(rnd, sizeof rnd);
		(void)sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
		(void)snprintf(tmp, TMP_NAME_CAP, ".%.*s.tmp-%s", NAME_MAX_SHOWN,
		    name, hex);
		fd = openat(dfd, tmp,
		    O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, mode);
		if (fd != -1 || errno != EEXIST)
			break;
	}
	if (fd == -1) {
		fail(err, errcap, "%s: cannot create a temporary file: %s",
		    shown, strerror(errno));
		tmp[0] = '\0';
		goto out;
	}
	/* The umask may have taken bits from open's mode; 0644 needs them. */
	if (fchmod(fd, mode) == -1 || write_all(fd, data, len) == -1 ||
	    fsync(fd) == -1) {
		fail(err, errcap, "%s: cannot write: %s", shown,
		    strerror(errno));
		(void)close(fd);
		goto out;
	}
	if (close(fd) == -1) {
		fail(err, errcap, "%s: cannot write: %s", shown,
		    strerror(errno));
		goto out;
	}
	ret = 0;
out:
	if (ret != 0 && tmp[0] != '\0') {
		(void)unlinkat(dfd, tmp, 0);
		tmp[0] = '\0';
	}
	sodium_memzero(rnd, sizeof rnd);
	return ret;
}

/*
 * Creates DIR/name holding `data`, whole or not at all, and never in place
 * of an existing file: the data goes to a fresh temporary file (see
 * write_temp), and is then hard-linked to its name. link() fails with
 * EEXIST rather than replacing, which rename() would do: a file that
 * appeared since our check is left alone. The temporary name is always
 * removed.
 */
static int
write_new(int dfd, const char *name, const char *shown, const char *data,
    size_t len, mode_t mode, char *err, size_t errcap)
{
	char tmp[TMP_NAME_CAP];
	int ret = -1;

	if (write_temp(dfd, name, shown, data, len, mode, tmp, err,
	    errcap) == -1)
		return -1;
	if (linkat(dfd, tmp, dfd, name, 0) == -1) {
		if (errno == EEXIST)
			fail(err, errcap,
			    "%s: already exists; refusing to overwrite", shown);
		else
			fail(err, errcap, "%s: cannot create: %s", shown,
			    strerror(errno));
		goto out;
	}
	ret = 0;
out:
	if (unlinkat(dfd, tmp, 0) == -1 && ret == 0) {
		/* A second name of the secret key must not linger unseen. */
		fail(err, errcap, "%s: cannot remove temporary file %s: %s",
		    shown, tmp, strerror(errno));
		(void)unlinkat(dfd, name, 0);
		ret = -1;
	}
	return ret;
}

int
keyfile_init(const char *dir, const lkey_vendor_key *key,
    const char *passphrase, char *err, size_t errcap)
{
	struct init_secrets *s = NULL;
	char secpath[PATH_CAP], pubpath[PATH_CAP], pubtext[PUB_TEXT_CAP];
	size_t seclen, publen;
	int dfd = -1, ret = -1;
	bool made_dir = false, have_sec = false, have_pub = false;

	fail(err, errcap, "internal error");
	if (sodium_init() < 0) {
		fail(err, errcap, "cannot initialise libsodium");
		goto out;
	}
	if (dir == NULL || *dir == '\0') {
		fail(err, errcap, "no directory given for the key files");
		goto out;
	}
	if (passphrase != NULL && *passphrase == '\0') {
		fail(err, errcap, "empty passphrase refused");
		goto out;
	}
	if (join(secpath, sizeof secpath, dir, "vendor.sec") == -1 ||
	    join(pubpath, sizeof pubpath, dir, "vendor.pub") == -1) {
		fail(err, errcap, "%s: path too long", dir);
		goto out;
	}
	if ((s = sodium_malloc(sizeof *s)) == NULL) {
		fail(err, errcap, "out of memory");
		goto out;
	}
	/* Never write a file that keyfile_load_secret would refuse. */
	if (!pubkey_point_ok(key->pub.pk, pubpath, err, errcap))
		goto out;
	if (sodium_memcmp(key->sk + LKEY_SEEDBYTES, key->pub.pk,
	    LKEY_PUBLICKEYBYTES) != 0 ||
	    !key_matches(key->sk, s->sk, key->pub.pk, key->pub.id)) {
		fail(err, errcap,
		    "secret key does not match its public key or key id");
		goto out;
	}

	if (make_dir(dir, &made_dir, err, errcap) == -1)
		goto out;
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		fail(err, errcap, "%s: %s", dir, strerror(errno));
		goto out;
	}
	if (refuse_existing(dfd, "vendor.sec", secpath, err, errcap) == -1 ||
	    refuse_existing(dfd, "vendor.pub", pubpath, err, errcap) == -1)
		goto out;

	if (seal_secret(key, passphrase, s, &seclen, err, errcap) == -1)
		goto out;
	publen = pubkey_file_format(&key->pub, pubtext, sizeof pubtext);
	if (publen == 0 || publen >= sizeof pubtext) {
		fail(err, errcap, "%s: cannot format the public key", pubpath);
		goto out;
	}

	if (write_new(dfd, "vendor.sec", secpath, s->text, seclen, 0600, err,
	    errcap) == -1)
		goto out;
	have_sec = true;
	if (write_new(dfd, "vendor.pub", pubpath, pubtext, publen, 0644, err,
	    errcap) == -1)
		goto out;
	have_pub = true;
	/* The new names are durable only once the directory is. */
	if (fsync(dfd) == -1) {
		fail(err, errcap, "%s: cannot sync: %s", dir, strerror(errno));
		goto out;
	}
	ret = 0;
	if (err != NULL && errcap > 0)
		err[0] = '\0';
out:
	if (ret != 0) {
		/* All or nothing: remove only what this call created. */
		if (have_pub)
			(void)unlinkat(dfd, "vendor.pub", 0);
		if (have_sec)
			(void)unlinkat(dfd, "vendor.sec", 0);
	}
	if (dfd != -1)
		(void)close(dfd);
	if (ret != 0 && made_dir)
		(void)rmdir(dir);
	sodium_free(s);
	return ret;
}

/*
 * Finds the one line that is neither a comment nor blank. Comments are
 * skipped unread: they are not covered by anything and mean nothing.
 */
static int
find_key_line(const char *text, size_t len, const char **line,
    size_t *linelen)
{
	const char *p = text, *end = text + len, *eol;
	size_t i, n;
	bool blank;

	*line = NULL;
	*linelen = 0;
	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		n = (size_t)(eol - p);
		if (n > 0 && p[0] != '#') {
			blank = true;
			for (i = 0; i < n; i++)
				if (!lkey_b64_is_space((unsigned char)p[i]))
					blank = false;
			if (!blank) {
				if (*line != NULL)
					return -1;
				*line = p;
				*linelen = n;
			}
		}
		p = eol + (eol < end ? 1 : 0);
	}
	return *line == NULL ? -1 : 0;
}

static bool
all_zero(const uint8_t *p, size_t len)
{
	uint8_t acc = 0;
	size_t i;

	for (i = 0; i < len; i++)
		acc |= p[i];
	return acc == 0;
}

/*
 * Reads a secret key file into s->blob and checks its shape, touching
 * nothing secret yet: a bounded read that does not follow a link, no NUL
 * byte, exactly one canonical base64 line, the magic, a known kdf and the
 * exact length for it, and all-zero kdf fields when not encrypted. *kdf
 * receives the method.
 */
static int
read_blob(const char *path, struct load_secrets *s, unsigned *kdf,
    char *err, size_t errcap)
{
	char rerr[256];
	struct stat st;
	const char *line;
	size_t textlen, linelen, bloblen, want;
	int r;

	rerr[0] = '\0';
	r = textfile_read(path, TEXTFILE_NOFOLLOW, s->text, sizeof s->text,
	    &textlen, rerr, sizeof rerr);
	if (r == TEXTFILE_TOO_BIG || (r == TEXTFILE_OK &&
	    textlen > KEYFILE_SEC_MAX)) {
		fail(err, errcap, "%s: too big for a secret key file "
		    "(more than %u bytes)", path, KEYFILE_SEC_MAX);
		return -1;
	}
	if (r != TEXTFILE_OK) {
		/* O_NOFOLLOW refused it; say why in words. */
		if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			fail(err, errcap, "%s: is a symbolic link; refusing "
			    "to read a secret key through it", path);
		else
			fail(err, errcap, "%s: %s", path, rerr);
		return -1;
	}
	if (memchr(s->text, '\0', textlen) != NULL) {
		fail(err, errcap, "%s: not an lkey secret key file "
		    "(NUL byte)", path);
		return -1;
	}
	if (find_key_line(s->text, textlen, &line, &linelen) == -1) {
		fail(err, errcap, "%s: not an lkey secret key file "
		    "(need exactly one line of base64)", path);
		return -1;
	}
	if (lkey_b64_decode(line, linelen, s->blob, sizeof s->blob, &bloblen,
	    NULL) != LKEY_OK || bloblen > sizeof s->blob) {
		fail(err, errcap, "%s: not an lkey secret key file "
		    "(not canonical base64)", path);
		return -1;
	}
	if (bloblen < HDR_BYTES ||
	    memcmp(s->blob + OFF_MAGIC, SEC_MAGIC, SEC_MAGIC_BYTES) != 0) {
		fail(err, errcap, "%s: not an lkey secret key file", path);
		return -1;
	}
	*kdf = s->blob[OFF_KDF];
	if (*kdf != KDF_NONE && *kdf != KDF_ARGON2ID) {
		fail(err, errcap, "%s: not an lkey secret key file "
		    "(unknown key-derivation method %u)", path, *kdf);
		return -1;
	}
	want = *kdf == KDF_NONE ? PLAIN_BYTES : SEALED_BYTES;
	if (bloblen != want) {
		fail(err, errcap, "%s: not an lkey secret key file "
		    "(wrong length)", path);
		return -1;
	}
	/* One file, one meaning: unused fields must be zero. */
	if (*kdf == KDF_NONE &&
	    !all_zero(s->blob + OFF_OPS, OFF_KEYID - OFF_OPS)) {
		fail(err, errcap, "%s: not an lkey secret key file "
		    "(key-derivation fields set but not encrypted)", path);
		return -1;
	}
	if (!pubkey_point_ok(s->blob + OFF_PK, path, err, errcap))
		return -1;
	return 0;
}

/*
 * Loads the secret key. Defends against files that are not ours, damaged
 * or crafted: bounded read without following links, strict decoding, exact
 * sizes, sane key-derivation limits before any hashing, authenticated
 * decryption with the header bound in, and the key pair checked against the
 * stored public key and id before the key is handed out.
 */
int
keyfile_load_secret(const char *path, lkey_vendor_key *key, char *err,
    size_t errcap)
{
	struct load_secrets *s = NULL;
	char rerr[256];
	uint64_t ops, mem;
	uint32_t id;
	unsigned kdf;
	int ret = -1;

	sodium_memzero(key, sizeof *key);
	fail(err, errcap, "%s: internal error", path);
	if (sodium_init() < 0) {
		fail(err, errcap, "cannot initialise libsodium");
		goto out;
	}
	if ((s = sodium_malloc(sizeof *s)) == NULL) {
		fail(err, errcap, "out of memory");
		goto out;
	}
	if (read_blob(path, s, &kdf, err, errcap) == -1)
		goto out;

	ops = le_load64(s->blob + OFF_OPS);
	mem = le_load64(s->blob + OFF_MEM);
	id = le_load32(s->blob + OFF_KEYID);
	if (kdf == KDF_NONE)
		memcpy(s->seed, s->blob + HDR_BYTES, LKEY_SEEDBYTES);
	else {
		if (!limits_ok(ops, mem)) {
			fail(err, errcap, "%s: secret key file has "
			    "unreasonable key-derivation parameters", path);
			goto out;
		}
		(void)snprintf(s->prompt, sizeof s->prompt,
		    "passphrase for %s: ", path);
		rerr[0] = '\0';
		if (passphrase_get(s->pass, sizeof s->pass, s->prompt, false,
		    rerr, sizeof rerr) == -1) {
			fail(err, errcap, "%s: %s", path, rerr);
			goto out;
		}
		if (crypto_pwhash(s->kek, sizeof s->kek, s->pass,
		    strlen(s->pass), s->blob + OFF_SALT, ops, (size_t)mem,
		    crypto_pwhash_ALG_ARGON2ID13) != 0) {
			fail(err, errcap, "%s: key derivation failed "
			    "(out of memory?)", path);
			goto out;
		}
		if (crypto_aead_xchacha20poly1305_ietf_decrypt(s->seed, NULL,
		    NULL, s->blob + HDR_BYTES, LKEY_SEEDBYTES + TAG_BYTES,
		    s->blob, HDR_BYTES, s->blob + OFF_NONCE, s->kek) != 0) {
			fail(err, errcap, "%s: wrong passphrase or corrupt "
			    "secret key file", path);
			goto out;
		}
	}

	if (!key_matches(s->seed, key->sk, s->blob + OFF_PK, id)) {
		fail(err, errcap, "%s: secret key file is corrupt (key does "
		    "not match its public key)", path);
		goto out;
	}
	lkey_pubkey_from_bytes(s->blob + OFF_PK, &key->pub);
	ret = 0;
	if (err != NULL && errcap > 0)
		err[0] = '\0';
out:
	if (ret != 0)
		sodium_memzero(key, sizeof *key);
	sodium_free(s);
	return ret;
}

/*
 * The key id of a secret key file, read from its header without the
 * passphrase, so that a command can check its inputs against the key (a
 * revocation list against the ledger) before asking for one. The file is
 * checked as keyfile_load_secret checks it before decryption, and the stored
 * public key must give the stored id; what the header says is still not
 * authenticated: the caller compares it with the id of the key it loads.
 */
int
keyfile_key_id(const char *path, uint32_t *id, char *err, size_t errcap)
{
	struct load_secrets *s;
	lkey_pubkey pub;
	unsigned kdf;
	int ret = -1;

	*id = 0;
	if ((s = sodium_malloc(sizeof *s)) == NULL) {
		fail(err, errcap, "out of memory");
		return -1;
	}
	if (read_blob(path, s, &kdf, err, errcap) == -1)
		goto out;
	lkey_pubkey_from_bytes(s->blob + OFF_PK, &pub);
	if (pub.id != le_load32(s->blob + OFF_KEYID)) {
		fail(err, errcap, "%s: secret key file is corrupt (key id does "
		    "not match its public key)", path);
		goto out;
	}
	*id = pub.id;
	ret = 0;
out:
	sodium_free(s);
	return ret;
}

int
keyfile_new_passphrase(char *buf, size_t cap, const char *path, char *err,
    size_t errcap)
{
	char prompt[PATH_CAP + 32];
	const char *env;
	size_t len;
	int fd;

	if (buf == NULL || cap < 2) {
		fail(err, errcap, "no room for a passphrase");
		return -1;
	}
	buf[0] = '\0';
	if ((env = getenv(NEW_PASS_ENV)) != NULL) {
		len = strlen(env);
		if (len == 0) {
			fail(err, errcap, NEW_PASS_ENV " is empty");
			return -1;
		}
		if (len >= cap) {
			fail(err, errcap, NEW_PASS_ENV " is too long "
			    "(at most %zu bytes)", cap - 1);
			return -1;
		}
		memcpy(buf, env, len + 1);
		return 0;
	}
	/* passphrase_get would take the old passphrase for the new one. */
	if (getenv(OLD_PASS_ENV) != NULL) {
		fail(err, errcap, OLD_PASS_ENV " is set but " NEW_PASS_ENV
		    " is not: set both, or neither to be asked on the "
		    "terminal");
		return -1;
	}
	/* Said here, or passphrase_get would name only LKEY_PASSPHRASE. */
	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1) {
		fail(err, errcap, "no new passphrase: set " NEW_PASS_ENV
		    " or run on a terminal");
		return -1;
	}
	(void)close(fd);
	(void)snprintf(prompt, sizeof prompt, "new passphrase for %s: ",
	    path);
	return passphrase_get(buf, cap, prompt, true, err, errcap);
}

/* DIR and NAME of "DIR/NAME" ("." for a bare NAME); -1 if NAME is empty. */
static int
split_path(const char *path, char *dir, size_t cap, const char **name)
{
	const char *slash = strrchr(path, '/');
	size_t n;
	int len;

	if (slash == NULL) {
		*name = path;
		len = snprintf(dir, cap, ".");
	} else {
		*name = slash + 1;
		n = slash == path ? 1 : (size_t)(slash - path);
		if (n >= cap)
			return -1;
		len = snprintf(dir, cap, "%.*s", (int)n, path);
	}
	if (len < 0 || (size_t)len >= cap || **name == '\0' ||
	    strcmp(*name, ".") == 0 || strcmp(*name, "..") == 0)
		return -1;
	return 0;
}

/*
 * Re-encrypts a secret key file in place, all or nothing. Defends against:
 * a half-written or lost key (the new text goes to a fresh temporary file
 * in the same directory, is fsynced, renamed over the old name, and the
 * directory is fsynced: a crash leaves the old file or the new one);
 * writing through a planted link (the temporary file is O_EXCL|O_NOFOLLOW,
 * and the file itself must be a regular file, not a link); replacing the
 * wrong file (it must hold this key's id and public key, so a file swapped
 * since it was loaded is left alone); and a copy under the old passphrase
 * that silently survives (a file with other hard links is refused).
 */
int
keyfile_passwd(const char *path, const lkey_vendor_key *key,
    const char *passphrase, char *err, size_t errcap)
{
	struct init_secrets *s = NULL;
	struct load_secrets *old = NULL;
	char dir[PATH_CAP], tmp[TMP_NAME_CAP];
	const char *name;
	struct stat st;
	size_t textlen;
	unsigned kdf;
	int dfd = -1, ret = -1;
	bool have_tmp = false;

	fail(err, errcap, "internal error");
	if (sodium_init() < 0) {
		fail(err, errcap, "cannot initialise libsodium");
		goto out;
	}
	if (path == NULL || *path == '\0') {
		fail(err, errcap, "no secret key file given");
		goto out;
	}
	if (passphrase != NULL && *passphrase == '\0') {
		fail(err, errcap, "empty passphrase refused");
		goto out;
	}
	if (split_path(path, dir, sizeof dir, &name) == -1) {
		fail(err, errcap, "%s: not the path of a file", path);
		goto out;
	}
	if ((s = sodium_malloc(sizeof *s)) == NULL ||
	    (old = sodium_malloc(sizeof *old)) == NULL) {
		fail(err, errcap, "out of memory");
		goto out;
	}
	/* Never write a file that keyfile_load_secret would refuse. */
	if (sodium_memcmp(key->sk + LKEY_SEEDBYTES, key->pub.pk,
	    LKEY_PUBLICKEYBYTES) != 0 ||
	    !key_matches(key->sk, s->sk, key->pub.pk, key->pub.id)) {
		fail(err, errcap,
		    "secret key does not match its public key or key id");
		goto out;
	}

	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		fail(err, errcap, "%s: %s", dir, strerror(errno));
		goto out;
	}
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1) {
		fail(err, errcap, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (S_ISLNK(st.st_mode)) {
		fail(err, errcap, "%s: is a symbolic link; refusing to "
		    "replace it", path);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		fail(err, errcap, "%s: not a regular file; refusing to "
		    "replace it", path);
		goto out;
	}
	if (st.st_nlink > 1) {
		fail(err, errcap, "%s: has other hard links, which would keep "
		    "the key under its old protection; remove them first",
		    path);
		goto out;
	}
	if (read_blob(path, old, &kdf, err, errcap) == -1)
		goto out;
	if (le_load32(old->blob + OFF_KEYID) != key->pub.id ||
	    sodium_memcmp(old->blob + OFF_PK, key->pub.pk,
	    LKEY_PUBLICKEYBYTES) != 0) {
		fail(err, errcap, "%s: holds another key (key id %08" PRIx32
		    ", not %08" PRIx32 "); not replaced", path,
		    le_load32(old->blob + OFF_KEYID), key->pub.id);
		goto out;
	}

	if (seal_secret(key, passphrase, s, &textlen, err, errcap) == -1)
		goto out;
	if (write_temp(dfd, name, path, s->text, textlen, 0600, tmp, err,
	    errcap) == -1)
		goto out;
	have_tmp = true;
	if (renameat(dfd, tmp, dfd, name) == -1) {
		fail(err, errcap, "%s: cannot replace: %s", path,
		    strerror(errno));
		goto out;
	}
	have_tmp = false;
	/* The new name is durable only once the directory is. */
	if (fsync(dfd) == -1) {
		fail(err, errcap, "%s: replaced, but cannot sync %s: %s", path,
		    dir, strerror(errno));
		goto out;
	}
	ret = 0;
	if (err != NULL && errcap > 0)
		err[0] = '\0';
out:
	if (have_tmp)
		(void)unlinkat(dfd, tmp, 0);
	if (dfd != -1)
		(void)close(dfd);
	sodium_free(old);
	sodium_free(s);
	return ret;
}

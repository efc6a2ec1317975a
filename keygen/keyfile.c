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
#include "pubkey.h"
#include "textfile.h"

#define SEC_MAGIC "lkS1"
#define SEC_MAGIC_BYTES 4U

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
/* lkey_pubkey_file_format: 256 is enough. */
#define PUB_TEXT_CAP 256U

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
 * Creates DIR/name holding `data`, whole or not at all, and never in place
 * of an existing file: the data goes to a fresh temporary file (O_EXCL and
 * O_NOFOLLOW, so no planted file or link is written through), is fsynced,
 * and is then hard-linked to its name. link() fails with EEXIST rather than
 * replacing, which rename() would do: a file that appeared since our check
 * is left alone. The temporary name is always removed.
 */
static int
write_new(int dfd, const char *name, const char *shown, const char *data,
    size_t len, mode_t mode, char *err, size_t errcap)
{
	uint8_t rnd[8];
	char hex[2 * sizeof rnd + 1], tmp[64];
	int fd = -1, ret = -1, tries;
	bool have_tmp = false;

	for (tries = 0; tries < 8; tries++) {
		randombytes_buf(rnd, sizeof rnd);
		(void)sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
		(void)snprintf(tmp, sizeof tmp, ".%s.tmp-%s", name, hex);
		fd = openat(dfd, tmp,
		    O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, mode);
		if (fd != -1 || errno != EEXIST)
			break;
	}
	if (fd == -1) {
		fail(err, errcap, "%s: cannot create a temporary file: %s",
		    shown, strerror(errno));
		goto out;
	}
	have_tmp = true;
	/* The umask may have taken bits from open's mode; 0644 needs them. */
	if (fchmod(fd, mode) == -1 || write_all(fd, data, len) == -1 ||
	    fsync(fd) == -1) {
		fail(err, errcap, "%s: cannot write: %s", shown,
		    strerror(errno));
		goto out;
	}
	if (close(fd) == -1) {
		fd = -1;
		fail(err, errcap, "%s: cannot write: %s", shown,
		    strerror(errno));
		goto out;
	}
	fd = -1;
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
	if (fd != -1)
		(void)close(fd);
	if (have_tmp && unlinkat(dfd, tmp, 0) == -1 && ret == 0) {
		/* A second name of the secret key must not linger unseen. */
		fail(err, errcap, "%s: cannot remove temporary file %s: %s",
		    shown, tmp, strerror(errno));
		(void)unlinkat(dfd, name, 0);
		ret = -1;
	}
	sodium_memzero(rnd, sizeof rnd);
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
	publen = lkey_pubkey_file_format(&key->pub, pubtext, sizeof pubtext);
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
	struct stat st;
	const char *line;
	size_t textlen, linelen, bloblen, want;
	uint64_t ops, mem;
	uint32_t id;
	unsigned kdf;
	int ret = -1, r;

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

	rerr[0] = '\0';
	r = textfile_read(path, TEXTFILE_NOFOLLOW, s->text, sizeof s->text,
	    &textlen, rerr, sizeof rerr);
	if (r == TEXTFILE_TOO_BIG) {
		fail(err, errcap, "%s: too big for a secret key file "
		    "(more than %u bytes)", path, KEYFILE_SEC_MAX);
		goto out;
	}
	if (r != TEXTFILE_OK) {
		/* O_NOFOLLOW refused it; say why in words. */
		if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			fail(err, errcap, "%s: is a symbolic link; refusing "
			    "to read a secret key through it", path);
		else
			fail(err, errcap, "%s: %s", path, rerr);
		goto out;
	}
	if (textlen > KEYFILE_SEC_MAX) {
		fail(err, errcap, "%s: too big for a secret key file "
		    "(more than %u bytes)", path, KEYFILE_SEC_MAX);
		goto out;
	}
	if (memchr(s->text, '\0', textlen) != NULL) {
		fail(err, errcap, "%s: not an lkey secret key file "
		    "(NUL byte)", path);
		goto out;
	}
	if (find_key_line(s->text, textlen, &line, &linelen) == -1) {
		fail(err, errcap, "%s: not an lkey secret key file "
		    "(need exactly one line of base64)", path);
		goto out;
	}
	if (lkey_b64_decode(line, linelen, s->blob, sizeof s->blob, &bloblen,
	    NULL) != LKEY_OK || bloblen > sizeof s->blob) {
		fail(err, errcap, "%s: not an lkey secret key file "
		    "(not canonical base64)", path);
		goto out;
	}
	if (bloblen < HDR_BYTES ||
	    memcmp(s->blob + OFF_MAGIC, SEC_MAGIC, SEC_MAGIC_BYTES) != 0) {
		fail(err, errcap, "%s: not an lkey secret key file", path);
		goto out;
	}

	kdf = s->blob[OFF_KDF];
	ops = le_load64(s->blob + OFF_OPS);
	mem = le_load64(s->blob + OFF_MEM);
	id = le_load32(s->blob + OFF_KEYID);
	if (kdf != KDF_NONE && kdf != KDF_ARGON2ID) {
		fail(err, errcap, "%s: not an lkey secret key file "
		    "(unknown key-derivation method %u)", path, kdf);
		goto out;
	}
	want = kdf == KDF_NONE ? PLAIN_BYTES : SEALED_BYTES;
	if (bloblen != want) {
		fail(err, errcap, "%s: not an lkey secret key file "
		    "(wrong length)", path);
		goto out;
	}

	if (kdf == KDF_NONE) {
		/* One file, one meaning: unused fields must be zero. */
		if (!all_zero(s->blob + OFF_OPS, OFF_KEYID - OFF_OPS)) {
			fail(err, errcap, "%s: not an lkey secret key file "
			    "(key-derivation fields set but not encrypted)",
			    path);
			goto out;
		}
		memcpy(s->seed, s->blob + HDR_BYTES, LKEY_SEEDBYTES);
	} else {
		if (!limits_ok(ops, mem)) {
			fail(err, errcap, "%s: secret key file has "
			    "unreasonable key-derivation parameters", path);
			goto out;
		}
		(void)snprintf(s->prompt, sizeof s->prompt,
		    "passphrase for %s: ", path);
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

/*
 * seckey.c - the secret key file format, version "lkS1": the text, the blob
 * and the sealing of the seed under a passphrase
 *
 * A secret key file (vendor.sec) is a text file:
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

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "codec.h"
#include "custody.h"
#include "le.h"
#include "msg.h"
#include "pubkey.h"
#include "pubfile.h"
#include "seckey.h"
#include "textfile.h"

#define SEC_MAGIC "lkS1"
#define SEC_MAGIC_BYTES 4U

#define SALT_BYTES 16U
#define NONCE_BYTES 24U
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

/* Longest key-derivation limits a file may ask of us. */
#define MEMLIMIT_CAP (1024ULL * 1024U * 1024U)

_Static_assert(SALT_BYTES == crypto_pwhash_SALTBYTES, "salt size");
_Static_assert(NONCE_BYTES == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
    "nonce size");
_Static_assert(SECKEY_KEK_BYTES ==
    crypto_aead_xchacha20poly1305_ietf_KEYBYTES, "key size");
_Static_assert(TAG_BYTES == crypto_aead_xchacha20poly1305_ietf_ABYTES,
    "tag size");
_Static_assert(LKEY_SEEDBYTES == crypto_sign_SEEDBYTES, "seed size");
_Static_assert(LKEY_SECRETKEYBYTES == crypto_sign_SECRETKEYBYTES,
    "secret key size");
_Static_assert(LKEY_PUBLICKEYBYTES == crypto_sign_PUBLICKEYBYTES,
    "public key size");
_Static_assert(HDR_BYTES == SECKEY_HDR_BYTES, "header layout as documented");
_Static_assert(SECKEY_SEALED_BYTES == PLAIN_BYTES + TAG_BYTES,
    "sealed layout as documented");
_Static_assert(LKEY_B64_LEN(SECKEY_SEALED_BYTES) + 64U < SECKEY_TEXT_CAP,
    "secret key text fits");
_Static_assert(KEYFILE_SEC_MAX <= LKEY_TEXT_MAX, "decoder bound");
_Static_assert(MEMLIMIT_CAP <= SIZE_MAX, "memlimit fits in size_t");


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

bool
seckey_limits_ok(uint64_t ops, uint64_t mem)
{
	return ops >= crypto_pwhash_OPSLIMIT_MIN &&
	    ops <= crypto_pwhash_OPSLIMIT_SENSITIVE &&
	    mem >= crypto_pwhash_MEMLIMIT_MIN && mem <= MEMLIMIT_CAP;
}

/*
 * The seed must give the public key and the public key the id: otherwise
 * we would sign licences that no verifier holding the public key accepts.
 */
bool
seckey_matches(const uint8_t seed[LKEY_SEEDBYTES],
    uint8_t sk[LKEY_SECRETKEYBYTES], const uint8_t pk[LKEY_PUBLICKEYBYTES],
    uint32_t id)
{
	uint8_t derived[LKEY_PUBLICKEYBYTES];
	lkey_pubkey pub;

	if (crypto_sign_seed_keypair(derived, sk, seed) != 0)
		return false;
	if (sodium_memcmp(derived, pk, sizeof derived) != 0)
		return false;
	lkey_pubkey_from_bytes(derived, &pub);
	return pub.id == id;
}

/*
 * With a passphrase the seed is sealed under a key derived from it, the
 * header as associated data so that no header field can be changed
 * unnoticed.
 */
int
seckey_seal(const lkey_vendor_key *key, const char *passphrase,
    seckey_new *s, char *err, size_t errcap)
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
		s->blob[OFF_KDF] = SECKEY_KDF_ARGON2ID;
		le_store64(s->blob + OFF_OPS, ops);
		le_store64(s->blob + OFF_MEM, mem);
		randombytes_buf(s->blob + OFF_SALT, SALT_BYTES);
		randombytes_buf(s->blob + OFF_NONCE, NONCE_BYTES);
		if (crypto_pwhash(s->kek, sizeof s->kek, passphrase,
		    strlen(passphrase), s->blob + OFF_SALT, ops, (size_t)mem,
		    crypto_pwhash_ALG_ARGON2ID13) != 0) {
			msg_fail(err, errcap,
			    "key derivation failed (out of memory?)");
			return -1;
		}
		if (crypto_aead_xchacha20poly1305_ietf_encrypt(
		    s->blob + SECKEY_HDR_BYTES, &clen, key->sk, LKEY_SEEDBYTES,
		    s->blob, SECKEY_HDR_BYTES, NULL, s->blob + OFF_NONCE,
		    s->kek) != 0 || clen != LKEY_SEEDBYTES + TAG_BYTES) {
			msg_fail(err, errcap, "cannot encrypt the secret key");
			return -1;
		}
		bloblen = SECKEY_SEALED_BYTES;
	} else {
		s->blob[OFF_KDF] = SECKEY_KDF_NONE;
		memcpy(s->blob + SECKEY_HDR_BYTES, key->sk, LKEY_SEEDBYTES);
		bloblen = PLAIN_BYTES;
	}

	len = snprintf(s->text, sizeof s->text,
	    "# lkey secret key, key id %08" PRIx32 ": keep private\n",
	    key->pub.id);
	if (len < 0 || (size_t)len >= sizeof s->text) {
		msg_fail(err, errcap, "cannot format the secret key file");
		return -1;
	}
	n = (size_t)len;
	b64 = lkey__b64_encode(s->blob, bloblen, s->text + n,
	    sizeof s->text - n);
	if (b64 == 0 || n + b64 + 2 > sizeof s->text) {
		msg_fail(err, errcap, "cannot encode the secret key file");
		return -1;
	}
	n += b64;
	s->text[n++] = '\n';
	s->text[n] = '\0';
	s->len = n;
	return 0;
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
				if (!lkey__b64_is_space((unsigned char)p[i]))
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
 * Nothing secret is touched before the whole shape is known good: a file
 * that is not ours, damaged or crafted stops here.
 */
int
seckey_parse(const char *text, size_t len, seckey_file *f, char *why,
    size_t whycap)
{
	const char *line;
	size_t linelen, bloblen;

	if (memchr(text, '\0', len) != NULL)
		return msg_fail(why, whycap, " (NUL byte)");
	if (find_key_line(text, len, &line, &linelen) == -1)
		return msg_fail(why, whycap, " (need exactly one line of "
		    "base64)");
	if (lkey__b64_decode(line, linelen, f->blob, sizeof f->blob, &bloblen,
	    NULL) != LKEY_OK || bloblen > sizeof f->blob)
		return msg_fail(why, whycap, " (not canonical base64)");
	if (bloblen < HDR_BYTES ||
	    memcmp(f->blob + OFF_MAGIC, SEC_MAGIC, SEC_MAGIC_BYTES) != 0)
		return msg_fail(why, whycap, "%s", "");
	f->kdf = f->blob[OFF_KDF];
	if (f->kdf != SECKEY_KDF_NONE && f->kdf != SECKEY_KDF_ARGON2ID)
		return msg_fail(why, whycap, " (unknown key-derivation method "
		    "%u)", f->kdf);
	if (bloblen != (f->kdf == SECKEY_KDF_NONE ? PLAIN_BYTES :
	    SECKEY_SEALED_BYTES))
		return msg_fail(why, whycap, " (wrong length)");
	/* One file, one meaning: unused fields must be zero. */
	if (f->kdf == SECKEY_KDF_NONE &&
	    !all_zero(f->blob + OFF_OPS, OFF_KEYID - OFF_OPS))
		return msg_fail(why, whycap, " (key-derivation fields set but "
		    "not encrypted)");
	f->ops = le_load64(f->blob + OFF_OPS);
	f->mem = le_load64(f->blob + OFF_MEM);
	f->id = le_load32(f->blob + OFF_KEYID);
	memcpy(f->pk, f->blob + OFF_PK, LKEY_PUBLICKEYBYTES);
	return 0;
}

/*
 * Whether f is the demo key itself, whose secret is published and so may
 * lie anywhere: stored unencrypted and its seed giving the demo public
 * key. The public key in the header alone proves nothing: anyone can copy
 * it into a file of their own, encrypted or not, and so escape the
 * custody checks with a real secret.
 */
static bool
is_demo(const seckey_file *f)
{
	uint8_t pk[LKEY_PUBLICKEYBYTES], sk[LKEY_SECRETKEYBYTES];
	bool demo;

	if (f->kdf != SECKEY_KDF_NONE || !custody_is_demo(f->pk))
		return false;
	demo = crypto_sign_seed_keypair(pk, sk, f->blob + HDR_BYTES) == 0 &&
	    custody_is_demo(pk);
	sodium_memzero(sk, sizeof sk);
	return demo;
}

int
seckey_read(const char *path, seckey_file *f, char *err, size_t errcap)
{
	char rerr[256], why[64];
	struct stat st;
	size_t len;
	int r;

	rerr[0] = '\0';
	r = textfile_read(path, TEXTFILE_NOFOLLOW, f->text, sizeof f->text,
	    &len, rerr, sizeof rerr);
	if (r == TEXTFILE_TOO_BIG || (r == TEXTFILE_OK &&
	    len > KEYFILE_SEC_MAX))
		return msg_fail(err, errcap, "%s: too big for a secret key "
		    "file (more than %u bytes)", path, KEYFILE_SEC_MAX);
	if (r != TEXTFILE_OK) {
		/* O_NOFOLLOW refused it; say why in words. */
		if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			return msg_fail(err, errcap, "%s: is a symbolic link; "
			    "refusing to read a secret key through it", path);
		return msg_fail(err, errcap, "%s: %s", path, rerr);
	}
	if (seckey_parse(f->text, len, f, why, sizeof why) != 0)
		return msg_fail(err, errcap, "%s: not an lkey secret key "
		    "file%s", path, why);
	/* Before any passphrase: a weak public key can make no good key. */
	if (!pubkey_point_ok(f->pk, path, err, errcap))
		return -1;
	/* And none typed for a file others can read or replace. */
	return custody_secret_ok(path, is_demo(f), err, errcap);
}

int
seckey_unseal(seckey_file *f, const char *passphrase,
    uint8_t seed[LKEY_SEEDBYTES])
{
	if (f->kdf == SECKEY_KDF_NONE) {
		memcpy(seed, f->blob + HDR_BYTES, LKEY_SEEDBYTES);
		return 0;
	}
	if (crypto_pwhash(f->kek, sizeof f->kek, passphrase,
	    strlen(passphrase), f->blob + OFF_SALT, f->ops, (size_t)f->mem,
	    crypto_pwhash_ALG_ARGON2ID13) != 0)
		return -1;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(seed, NULL, NULL,
	    f->blob + HDR_BYTES, LKEY_SEEDBYTES + TAG_BYTES, f->blob, HDR_BYTES,
	    f->blob + OFF_NONCE, f->kek) != 0)
		return -2;
	return 0;
}

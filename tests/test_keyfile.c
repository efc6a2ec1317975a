/*
 * test_keyfile.c - the vendor's key files (keygen/lib/keyfile.c), the
 * passphrase source (keygen/lib/passphrase.c) and changing the passphrase
 * (keyfile_passwd, and lkey-keygen passwd run from $LKEY_BUILD_DIR).
 *
 * Files are crafted here with libsodium's own base64 and a byte layout
 * written out independently from docs/KEYFILES.md, so a mistake in the
 * implementation's layout cannot hide behind the same mistake in the test.
 * Every test runs in a fresh directory under $TMPDIR (or /tmp).
 */
#define _XOPEN_SOURCE 700	/* realpath */

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "keyfile.h"
#include "lkey.h"
#include "lkey_vendor.h"
#include "passphrase.h"
#include "proc.h"
#include "support.h"

/* The documented layout, restated. */
#define T_OFF_KDF 4U
#define T_OFF_OPS 5U
#define T_OFF_MEM 13U
#define T_OFF_SALT 21U
#define T_OFF_NONCE 37U
#define T_OFF_KEYID 61U
#define T_OFF_PK 65U
#define T_HDR 97U
#define T_PLAIN 129U
#define T_SEALED 145U

#define ERRCAP 512U
#define TEXTCAP 8192U

/* The shared fixture, with no passphrase in our own environment. */
static int
setup(void **state)
{
	(void)unsetenv("LKEY_PASSPHRASE");
	(void)unsetenv("LKEY_NEW_PASSPHRASE");
	return proc_setup(state);
}

static int
teardown(void **state)
{
	(void)unsetenv("LKEY_PASSPHRASE");
	(void)unsetenv("LKEY_NEW_PASSPHRASE");
	return proc_teardown(state);
}

/* A key pair from a seed of `fill` bytes, built with libsodium directly. */
static void
make_key(uint8_t fill, lkey_vendor_key *key)
{
	uint8_t seed[32], pk[32];

	memset(seed, fill, sizeof seed);
	memset(key, 0, sizeof *key);
	assert_int_equal(crypto_sign_seed_keypair(pk, key->sk, seed), 0);
	lkey_pubkey_from_bytes(pk, &key->pub);
	assert_memory_equal(key->pub.pk, pk, 32);
}

static bool
is_zero(const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] != 0)
			return false;
	return true;
}

static bool
contains(const uint8_t *hay, size_t len, const uint8_t *needle, size_t n)
{
	size_t i;

	for (i = 0; i + n <= len; i++)
		if (memcmp(hay + i, needle, n) == 0)
			return true;
	return false;
}

static int
count_entries(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	(void)closedir(d);
	return n;
}

static uint64_t
get64(const uint8_t *p)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* The blob of a secret key file's one base64 line (libsodium's decoder). */
static size_t
file_blob(const char *path, uint8_t *blob, size_t cap)
{
	char text[TEXTCAP], *line, *nl;
	size_t len;

	(void)read_file(path, text, sizeof text);
	assert_int_equal(strncmp(text, "# lkey secret key, key id ", 26), 0);
	line = strchr(text, '\n');
	assert_non_null(line);
	line++;
	nl = strchr(line, '\n');
	assert_non_null(nl);
	*nl = '\0';
	assert_int_equal(sodium_base642bin(blob, cap, line, strlen(line), NULL,
	    &len, NULL, sodium_base64_VARIANT_ORIGINAL), 0);
	return len;
}

/* Writes a secret key file around `blob`. */
static void
write_blob(const char *path, const uint8_t *blob, size_t len)
{
	char text[TEXTCAP];
	size_t n;

	n = (size_t)snprintf(text, sizeof text, "# crafted by test\n");
	sodium_bin2base64(text + n, sizeof text - n, blob, len,
	    sodium_base64_VARIANT_ORIGINAL);
	n = strlen(text);
	text[n++] = '\n';
	write_file(path, text, n);
}

/*
 * An encrypted blob made independently of keyfile.c. Limits out of range get
 * a random "ciphertext": a loader that hashed before checking them would fail
 * some other way (or run out of memory), not with the message we expect.
 */
static size_t
craft_sealed(const lkey_vendor_key *key, const char *pass, uint64_t ops,
    uint64_t mem, bool aad, uint8_t *blob)
{
	uint8_t kek[32];
	unsigned long long clen;

	memset(blob, 0, T_SEALED);
	memcpy(blob, "lkS1", 4);
	blob[T_OFF_KDF] = 1;
	st64(blob + T_OFF_OPS, ops);
	st64(blob + T_OFF_MEM, mem);
	randombytes_buf(blob + T_OFF_SALT, 16);
	randombytes_buf(blob + T_OFF_NONCE, 24);
	st32(blob + T_OFF_KEYID, key->pub.id);
	memcpy(blob + T_OFF_PK, key->pub.pk, 32);
	if (ops < crypto_pwhash_OPSLIMIT_MIN || ops > 4 ||
	    mem < crypto_pwhash_MEMLIMIT_MIN || mem > (1ULL << 30)) {
		randombytes_buf(blob + T_HDR, 48);
		return T_SEALED;
	}
	assert_int_equal(crypto_pwhash(kek, sizeof kek, pass, strlen(pass),
	    blob + T_OFF_SALT, ops, (size_t)mem, crypto_pwhash_ALG_ARGON2ID13),
	    0);
	assert_int_equal(crypto_aead_xchacha20poly1305_ietf_encrypt(
	    blob + T_HDR, &clen, key->sk, 32, aad ? blob : NULL,
	    aad ? T_HDR : 0, NULL, blob + T_OFF_NONCE, kek), 0);
	assert_int_equal(clen, 48);
	return T_SEALED;
}

static void
load_fails(const char *path, const char *why)
{
	lkey_vendor_key key;
	char err[ERRCAP];

	memset(&key, 0xa5, sizeof key);
	err[0] = '\0';
	assert_int_equal(keyfile_load_secret(path, &key, err, sizeof err), -1);
	assert_true(is_zero(&key, sizeof key));
	assert_true(err[0] != '\0');
	assert_null(strchr(err, '\n'));
	if (why != NULL)
		assert_contains(err, why);
}

static void
load_ok(const char *path, const lkey_vendor_key *want)
{
	lkey_vendor_key key;
	char err[ERRCAP];

	err[0] = '\0';
	if (keyfile_load_secret(path, &key, err, sizeof err) != 0)
		fail_msg("load %s: %s", path, err);
	assert_memory_equal(key.sk, want->sk, sizeof key.sk);
	assert_int_equal(key.pub.id, want->pub.id);
	assert_memory_equal(key.pub.pk, want->pub.pk, sizeof key.pub.pk);
}

/* A write of key files (keyfile_init into a directory, keyfile_passwd of
 * a file) succeeds, and says nothing. */
static void
written(int (*write)(const char *, const lkey_vendor_key *, const char *,
    char *, size_t), const char *path, const lkey_vendor_key *key,
    const char *pass)
{
	char err[ERRCAP];

	err[0] = '\0';
	if (write(path, key, pass, err, sizeof err) != 0)
		fail_msg("%s: %s", path, err);
	assert_string_equal(err, "");
}

static void
init_ok(const char *dir, const lkey_vendor_key *key, const char *pass)
{
	written(keyfile_init, dir, key, pass);
}

/*
 * keyfile_init into dir refuses, its message holding why, and writes
 * nothing: the test's directory then holds `entries` entries. Returns the
 * message.
 */
static const char *
init_refused(const struct fx *fx, const char *dir, const lkey_vendor_key *key,
    const char *pass, const char *why, int entries)
{
	static char err[ERRCAP];

	err[0] = '\0';
	assert_int_equal(keyfile_init(dir, key, pass, err, sizeof err), -1);
	assert_contains(err, why);
	assert_int_equal(count_entries(fx->dir), entries);
	return err;
}

/* Key `fill` written by keyfile_init into the test's directory, encrypted
 * with pass (NULL: not encrypted); its secret key file's path into sec
 * (PATHCAP bytes). */
static void
init_key(const struct fx *fx, uint8_t fill, const char *pass,
    lkey_vendor_key *key, char *sec)
{
	make_key(fill, key);
	init_ok(fx->dir, key, pass);
	path_in(fx, "vendor.sec", sec, PATHCAP);
}

static void
test_plain_roundtrip(void **state)
{
	struct fx *fx = *state;
	lkey_vendor_key key;
	char sec[4200], pub[4200], text[TEXTCAP], want[64];
	uint8_t blob[512];

	init_key(fx, 1, NULL, &key, sec);
	path_in(fx, "vendor.pub", pub, sizeof pub);
	assert_int_equal(count_entries(fx->dir), 2);
	assert_int_equal(mode_of(sec), 0600);
	assert_int_equal(mode_of(pub), 0644);
	(void)read_file(sec, text, sizeof text);
	(void)snprintf(want, sizeof want,
	    "# lkey secret key, key id %08x: keep private\n",
	    (unsigned)key.pub.id);
	assert_int_equal(strncmp(text, want, strlen(want)), 0);

	/* The layout as documented: unencrypted, zero kdf fields, the seed. */
	assert_int_equal(file_blob(sec, blob, sizeof blob), T_PLAIN);
	assert_memory_equal(blob, "lkS1", 4);
	assert_int_equal(blob[T_OFF_KDF], 0);
	assert_true(is_zero(blob + T_OFF_OPS, T_OFF_KEYID - T_OFF_OPS));
	assert_int_equal(get64(blob + T_OFF_KEYID) & 0xffffffffU, key.pub.id);
	assert_memory_equal(blob + T_OFF_PK, key.pub.pk, 32);
	assert_memory_equal(blob + T_HDR, key.sk, 32);

	load_ok(sec, &key);
}

static void
test_encrypted_roundtrip(void **state)
{
	struct fx *fx = *state;
	lkey_vendor_key key;
	char sec[4200];
	uint8_t blob[512];

	init_key(fx, 2, "correct horse battery staple", &key, sec);
	assert_int_equal(count_entries(fx->dir), 2);
	assert_int_equal(mode_of(sec), 0600);

	assert_int_equal(file_blob(sec, blob, sizeof blob), T_SEALED);
	assert_int_equal(blob[T_OFF_KDF], 1);
	/* main() asked for the cheap limits. */
	assert_int_equal(get64(blob + T_OFF_OPS),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE);
	assert_int_equal(get64(blob + T_OFF_MEM),
	    crypto_pwhash_MEMLIMIT_INTERACTIVE);
	assert_false(is_zero(blob + T_OFF_SALT, 16));
	assert_false(is_zero(blob + T_OFF_NONCE, 24));
	assert_false(contains(blob, T_SEALED, key.sk, 32));

	assert_int_equal(setenv("LKEY_PASSPHRASE",
	    "correct horse battery staple", 1), 0);
	load_ok(sec, &key);
}

/* A file made by this test's own encoder loads: the layout is as written. */
static void
test_crafted_file_loads(void **state)
{
	struct fx *fx = *state;
	lkey_vendor_key key;
	char sec[4200];
	uint8_t blob[T_SEALED];

	make_key(3, &key);
	path_in(fx, "crafted.sec", sec, sizeof sec);
	assert_int_equal(setenv("LKEY_PASSPHRASE", "pw", 1), 0);

	write_blob(sec, blob, craft_sealed(&key, "pw",
	    crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN, true,
	    blob));
	load_ok(sec, &key);
	/* Upper end of the ops range. */
	write_blob(sec, blob, craft_sealed(&key, "pw",
	    crypto_pwhash_OPSLIMIT_SENSITIVE, crypto_pwhash_MEMLIMIT_MIN, true,
	    blob));
	load_ok(sec, &key);
	/* The header must be the associated data. */
	write_blob(sec, blob, craft_sealed(&key, "pw",
	    crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN, false,
	    blob));
	load_fails(sec, "wrong passphrase or corrupt");
}

/*
 * The test vector of docs/KEYFILES.md (Encryption, in plain words), made
 * from that text with other implementations of Argon2id and
 * XChaCha20-Poly1305: lkey opens it, and each step agrees.
 */
static void
test_documented_vector(void **state)
{
	static const char text[] =
	    "# lkey secret key, key id 3cfde185: keep private\n"
	    "bGtTMQECAAAAAAAAAAAAAAQAAAAAAAECAwQFBgcICQoLDA0ODyAhIiMkJSYnKCkqKy"
	    "wtLi8wMTIzNDU2N4Xh/TwlQ7kv8QlVEUdq3INp223ckzZloRl43aFATuEGbKlVnVM"
	    "dRqVPoEl/16SqM+kgVuArkaPShqiWvsS1zFetgOWmbTx4ew6c6l4kjoNHjm2ilw=="
	    "\n";
	static const char pass[] = "correct horse battery staple";
	static const char kek_hex[] = "c05ce4c4dd7e0e45ee6011cc59d068ade47df1"
	    "b01fc0cf9cd4678bdf68a5b7b0";
	static const char pk_hex[] = "2543b92ff1095511476adc8369db6ddc933665a1"
	    "1978dda1404ee1066ca9559d";
	static const char ct_hex[] = "531d46a54fa0497fd7a4aa33e92056e02b91a3d2"
	    "86a896bec4b5cc57ad80e5a66d3c787b0e9cea5e248e83478e6da297";
	struct fx *fx = *state;
	lkey_vendor_key key;
	uint8_t blob[T_SEALED], salt[16], seed[32], kek[32], want[48];
	char sec[4200], err[ERRCAP];
	size_t i, len;

	path_in(fx, "vector.sec", sec, sizeof sec);
	write_file(sec, text, strlen(text));
	for (i = 0; i < 16; i++)
		salt[i] = (uint8_t)i;
	for (i = 0; i < 32; i++)
		seed[i] = (uint8_t)(0x40 + i);

	/* The file: its header as the table gives it. */
	len = file_blob(sec, blob, sizeof blob);
	assert_int_equal(len, T_SEALED);
	assert_memory_equal(blob, "lkS1\x01", 5);
	assert_int_equal(get64(blob + T_OFF_OPS), 2);
	assert_int_equal(get64(blob + T_OFF_MEM), 67108864);
	assert_memory_equal(blob + T_OFF_SALT, salt, 16);
	for (i = 0; i < 24; i++)
		assert_int_equal(blob[T_OFF_NONCE + i], 0x20 + i);
	assert_memory_equal(blob + T_OFF_KEYID, "\x85\xe1\xfd\x3c", 4);

	/* Step 1: the key; step 2: the ciphertext and tag. */
	assert_int_equal(crypto_pwhash(kek, sizeof kek, pass, strlen(pass),
	    salt, 2, 67108864, crypto_pwhash_ALG_ARGON2ID13), 0);
	assert_int_equal(sodium_hex2bin(want, sizeof want, kek_hex,
	    strlen(kek_hex), NULL, &len, NULL), 0);
	assert_int_equal(len, 32);
	assert_memory_equal(kek, want, 32);
	assert_int_equal(sodium_hex2bin(want, sizeof want, ct_hex,
	    strlen(ct_hex), NULL, &len, NULL), 0);
	assert_int_equal(len, 48);
	assert_memory_equal(blob + T_HDR, want, 48);

	/* And lkey opens it. */
	assert_int_equal(setenv("LKEY_PASSPHRASE", pass, 1), 0);
	err[0] = '\0';
	if (keyfile_load_secret(sec, &key, err, sizeof err) != 0)
		fail_msg("load %s: %s", sec, err);
	assert_memory_equal(key.sk, seed, 32);
	assert_int_equal(key.pub.id, 0x3cfde185);
	assert_int_equal(sodium_hex2bin(want, sizeof want, pk_hex,
	    strlen(pk_hex), NULL, &len, NULL), 0);
	assert_memory_equal(key.pub.pk, want, 32);
	assert_int_equal(setenv("LKEY_PASSPHRASE", "correct horse battery "
	    "staplE", 1), 0);
	load_fails(sec, "wrong passphrase or corrupt");
}

static void
test_modes_despite_umask(void **state)
{
	struct fx *fx = *state;
	lkey_vendor_key key;
	char sub[4200], sec[4200], pub[4200];
	mode_t old;

	make_key(4, &key);
	old = umask(0);
	path_in(fx, "open", sub, sizeof sub);
	init_ok(sub, &key, NULL);
	(void)umask(077);
	path_in(fx, "tight", sub, sizeof sub);
	assert_int_equal(mkdir(sub, 0700), 0);
	init_ok(sub, &key, NULL);
	(void)umask(old);

	path_in(fx, "open", sub, sizeof sub);
	assert_int_equal(mode_of(sub), 0700);
	path_in(fx, "open/vendor.sec", sec, sizeof sec);
	path_in(fx, "open/vendor.pub", pub, sizeof pub);
	assert_int_equal(mode_of(sec), 0600);
	assert_int_equal(mode_of(pub), 0644);
	path_in(fx, "tight/vendor.sec", sec, sizeof sec);
	path_in(fx, "tight/vendor.pub", pub, sizeof pub);
	assert_int_equal(mode_of(sec), 0600);
	assert_int_equal(mode_of(pub), 0644);
}

/* An existing `name` is refused, kept byte for byte, and nothing added. */
static void
refuses_existing(struct fx *fx, const char *name)
{
	lkey_vendor_key key;
	char path[4200], text[TEXTCAP];
	static const char keep[] = "# someone's key\nkeep me\n";

	make_key(5, &key);
	path_in(fx, name, path, sizeof path);
	write_file(path, keep, sizeof keep - 1);
	assert_contains(init_refused(fx, fx->dir, &key, NULL,
	    "already exists; refusing to overwrite", 1), path);
	assert_int_equal(read_file(path, text, sizeof text), sizeof keep - 1);
	assert_string_equal(text, keep);
}

static void
test_refuses_existing_sec(void **state)
{
	refuses_existing(*state, "vendor.sec");
}

static void
test_refuses_existing_pub(void **state)
{
	refuses_existing(*state, "vendor.pub");
}

static void
test_refuses_dangling_symlink(void **state)
{
	struct fx *fx = *state;
	lkey_vendor_key key;
	char lnk[4200], target[4200], got[64];
	ssize_t n;

	make_key(6, &key);
	path_in(fx, "vendor.sec", lnk, sizeof lnk);
	path_in(fx, "elsewhere", target, sizeof target);
	assert_int_equal(symlink("elsewhere", lnk), 0);
	(void)init_refused(fx, fx->dir, &key, NULL, "already exists", 1);
	n = readlink(lnk, got, sizeof got - 1);
	assert_int_equal(n, 9);
	got[n] = '\0';
	assert_string_equal(got, "elsewhere");
	assert_int_equal(access(target, F_OK), -1);
}

static void
test_init_twice(void **state)
{
	struct fx *fx = *state;
	lkey_vendor_key a, b;
	char sec[4200], pub[4200];
	char sec1[TEXTCAP], pub1[TEXTCAP], sec2[TEXTCAP], pub2[TEXTCAP];

	init_key(fx, 7, NULL, &a, sec);
	make_key(8, &b);
	path_in(fx, "vendor.pub", pub, sizeof pub);
	(void)read_file(sec, sec1, sizeof sec1);
	(void)read_file(pub, pub1, sizeof pub1);
	(void)init_refused(fx, fx->dir, &b, NULL, "vendor.sec: already exists",
	    2);
	(void)read_file(sec, sec2, sizeof sec2);
	(void)read_file(pub, pub2, sizeof pub2);
	assert_string_equal(sec1, sec2);
	assert_string_equal(pub1, pub2);
	load_ok(sec, &a);
}

static void
test_init_directory(void **state)
{
	struct fx *fx = *state;
	lkey_vendor_key key;
	char dir[4200], parent[4200], file[4200];

	make_key(9, &key);
	/* A missing parent is named and nothing is created. */
	path_in(fx, "no/such", dir, sizeof dir);
	path_in(fx, "no", parent, sizeof parent);
	assert_contains(init_refused(fx, dir, &key, NULL, "does not exist", 0),
	    parent);

	/* DIR exists but is not a directory. */
	path_in(fx, "plain", file, sizeof file);
	write_file(file, "x", 1);
	(void)init_refused(fx, file, &key, NULL, "not a directory", 1);
}

static void
test_init_refuses_bad_input(void **state)
{
	struct fx *fx = *state;
	lkey_vendor_key key, other;
	char dir[4200];

	make_key(10, &key);
	make_key(11, &other);
	path_in(fx, "new", dir, sizeof dir);
	(void)init_refused(fx, dir, &key, "", "passphrase", 0);
	/* A key whose halves do not belong together is not written. */
	memcpy(key.pub.pk, other.pub.pk, 32);
	(void)init_refused(fx, dir, &key, NULL, "does not match", 0);
	make_key(10, &key);
	key.pub.id ^= 1;
	(void)init_refused(fx, dir, &key, NULL, "does not match", 0);
}

static void
test_wrong_passphrase(void **state)
{
	struct fx *fx = *state;
	lkey_vendor_key key;
	char sec[4200];

	init_key(fx, 12, "the right one", &key, sec);
	assert_int_equal(setenv("LKEY_PASSPHRASE", "the wrong one", 1), 0);
	load_fails(sec, "passphrase");
	assert_int_equal(setenv("LKEY_PASSPHRASE", "the right one", 1), 0);
	load_ok(sec, &key);
}

static void
test_passphrase_from_env(void **state)
{
	char buf[16], err[ERRCAP];

	(void)state;
	assert_int_equal(setenv("LKEY_PASSPHRASE", "s3cret", 1), 0);
	assert_int_equal(passphrase_get(buf, sizeof buf, "p: ",
	    PASSPHRASE_CONFIRM, err, sizeof err), 0);
	assert_string_equal(buf, "s3cret");

	assert_int_equal(setenv("LKEY_PASSPHRASE", "0123456789abcdef", 1), 0);
	assert_int_equal(passphrase_get(buf, sizeof buf, "p: ", 0, err,
	    sizeof err), -1);
	assert_contains(err, "too long");

	assert_int_equal(setenv("LKEY_PASSPHRASE", "", 1), 0);
	assert_int_equal(passphrase_get(buf, sizeof buf, "p: ", 0, err,
	    sizeof err), -1);
	assert_string_equal(err, "LKEY_PASSPHRASE is empty");
}

static void
test_no_passphrase_source(void **state)
{
	struct fx *fx = *state;
	lkey_vendor_key key;
	char sec[4200], buf[64], err[ERRCAP];
	int fd;

	init_key(fx, 13, "pw", &key, sec);
	/* An empty variable is an error, not a cue to prompt. */
	assert_int_equal(setenv("LKEY_PASSPHRASE", "", 1), 0);
	load_fails(sec, "LKEY_PASSPHRASE is empty");

	assert_int_equal(unsetenv("LKEY_PASSPHRASE"), 0);
	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY)) != -1) {
		(void)close(fd);
		skip();	/* it would prompt on the terminal */
	}
	load_fails(sec, "no passphrase: set LKEY_PASSPHRASE or run on a "
	    "terminal");
	assert_int_equal(passphrase_get(buf, sizeof buf, "p: ", 0, err,
	    sizeof err), -1);
	assert_string_equal(err,
	    "no passphrase: set LKEY_PASSPHRASE or run on a terminal");
	/* An unencrypted file needs no passphrase at all. */
	rm_tree(sec);
	path_in(fx, "vendor.pub", sec, sizeof sec);
	rm_tree(sec);
	init_ok(fx->dir, &key, NULL);
	path_in(fx, "vendor.sec", sec, sizeof sec);
	load_ok(sec, &key);
}

/* Changes one base64 character of the key line at `pos` into another. */
static void
mutate_char(const char *text, size_t pos, char *out, size_t cap)
{
	const char *line = strchr(text, '\n') + 1;
	size_t at = (size_t)(line - text) + pos;

	assert_true(strlen(text) < cap);
	memcpy(out, text, strlen(text) + 1);
	out[at] = text[at] == 'A' ? 'B' : 'A';
}

static size_t
line_len(const char *text)
{
	const char *line = strchr(text, '\n') + 1;

	return strcspn(line, "\n");
}

/*
 * The key line of sec (len characters) changed at each of the n positions
 * (every one when pos is NULL), one at a time, in file bad: never loads.
 */
static void
tamper(const char *sec, const char *bad, size_t len, const size_t *pos,
    size_t n)
{
	char text[TEXTCAP], out[TEXTCAP];
	size_t i;

	(void)read_file(sec, text, sizeof text);
	assert_int_equal(line_len(text), len);
	for (i = 0; i < (pos != NULL ? n : len); i++) {
		mutate_char(text, pos != NULL ? pos[i] : i, out, sizeof out);
		write_file(bad, out, strlen(out));
		load_fails(bad, NULL);
	}
}

static void
test_tamper_plain_every_char(void **state)
{
	struct fx *fx = *state;
	lkey_vendor_key key;
	char sec[4200], bad[4200];

	init_key(fx, 14, NULL, &key, sec);
	path_in(fx, "bad.sec", bad, sizeof bad);
	tamper(sec, bad, 172, NULL, 0);
	load_ok(sec, &key);
}

/* Every character of a cheaply encrypted file (crafted with MIN limits). */
static void
test_tamper_sealed_every_char(void **state)
{
	struct fx *fx = *state;
	lkey_vendor_key key;
	char sec[4200], bad[4200];
	uint8_t blob[T_SEALED];

	make_key(15, &key);
	assert_int_equal(setenv("LKEY_PASSPHRASE", "pw", 1), 0);
	path_in(fx, "good.sec", sec, sizeof sec);
	path_in(fx, "bad.sec", bad, sizeof bad);
	write_blob(sec, blob, craft_sealed(&key, "pw",
	    crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN, true,
	    blob));
	load_ok(sec, &key);
	tamper(sec, bad, 196, NULL, 0);
}

/* A sample over a file from keyfile_init: header, salt, nonce, ciphertext. */
static void
test_tamper_sealed_sample(void **state)
{
	struct fx *fx = *state;
	lkey_vendor_key key;
	char sec[4200], bad[4200];
	static const size_t pos[] = {0, 5, 6, 8, 30, 40, 60, 82, 90, 130,
	    140, 150, 170, 180, 190, 195};

	init_key(fx, 16, "pw", &key, sec);
	assert_int_equal(setenv("LKEY_PASSPHRASE", "pw", 1), 0);
	path_in(fx, "bad.sec", bad, sizeof bad);
	tamper(sec, bad, 196, pos, sizeof pos / sizeof pos[0]);
	load_ok(sec, &key);
}

static void
test_truncated(void **state)
{
	struct fx *fx = *state;
	lkey_vendor_key key;
	char sec[4200], bad[4200], text[TEXTCAP];
	size_t len, cut;

	init_key(fx, 17, NULL, &key, sec);
	path_in(fx, "bad.sec", bad, sizeof bad);
	len = read_file(sec, text, sizeof text);
	assert_int_equal(text[len - 1], '\n');
	/* Every cut short of the last base64 character fails... */
	for (cut = 0; cut < len - 1; cut++) {
		write_file(bad, text, cut);
		load_fails(bad, NULL);
	}
	/* ...and the final newline is not needed. */
	write_file(bad, text, len - 1);
	load_ok(bad, &key);
}

static void
test_not_one_key_line(void **state)
{
	struct fx *fx = *state;
	lkey_vendor_key key;
	char sec[4200], bad[4200], text[TEXTCAP], out[2 * TEXTCAP];
	const char *line;
	size_t len;

	init_key(fx, 18, NULL, &key, sec);
	path_in(fx, "bad.sec", bad, sizeof bad);
	len = read_file(sec, text, sizeof text);
	line = strchr(text, '\n') + 1;

	write_file(bad, "", 0);
	load_fails(bad, "not an lkey secret key file");
	write_file(bad, "# only a comment\n\n", 18);
	load_fails(bad, "not an lkey secret key file");
	/* Two key lines, even equal ones. */
	(void)snprintf(out, sizeof out, "%s%s", text, line);
	write_file(bad, out, strlen(out));
	load_fails(bad, "not an lkey secret key file");
	/* A NUL byte anywhere. */
	memcpy(out, text, len);
	out[3] = '\0';
	write_file(bad, out, len);
	load_fails(bad, "not an lkey secret key file");
	/* Junk in the line. */
	(void)snprintf(out, sizeof out, "%.*s!%s", (int)(line - text + 10),
	    text, line + 10);
	write_file(bad, out, strlen(out));
	load_fails(bad, "not an lkey secret key file");

	/* Comments anywhere, blank lines and CRLF are forgiven. */
	(void)snprintf(out, sizeof out, "\r\n# one\r\n%.*s\r\n  \n# two\n",
	    (int)line_len(text), line);
	write_file(bad, out, strlen(out));
	load_ok(bad, &key);
}

static void
test_size_bound(void **state)
{
	struct fx *fx = *state;
	lkey_vendor_key key;
	char sec[4200], big[4200], text[TEXTCAP], out[TEXTCAP];
	size_t len;

	init_key(fx, 19, NULL, &key, sec);
	path_in(fx, "big.sec", big, sizeof big);
	len = read_file(sec, text, sizeof text);

	/* Exactly KEYFILE_SEC_MAX bytes: a long comment makes up the rest. */
	memcpy(out, text, len);
	out[len] = '#';
	memset(out + len + 1, 'x', KEYFILE_SEC_MAX - len - 2);
	out[KEYFILE_SEC_MAX - 1] = '\n';
	write_file(big, out, KEYFILE_SEC_MAX);
	load_ok(big, &key);
	/* One more byte is refused, before the key line is even looked at. */
	out[KEYFILE_SEC_MAX - 1] = 'x';
	out[KEYFILE_SEC_MAX] = '\n';
	write_file(big, out, KEYFILE_SEC_MAX + 1);
	load_fails(big, "too big");
}

static void
test_symlink_refused(void **state)
{
	struct fx *fx = *state;
	lkey_vendor_key key;
	char sec[4200], lnk[4200];

	init_key(fx, 20, NULL, &key, sec);
	path_in(fx, "link.sec", lnk, sizeof lnk);
	assert_int_equal(symlink("vendor.sec", lnk), 0);
	load_fails(lnk, "symbolic link");
	load_ok(sec, &key);
	load_fails("/nonexistent/lkey/vendor.sec", "/nonexistent/lkey");
}

/* A change of the n bytes at off of a plain key file's blob. */
struct change {
	const char *what;
	size_t off;
	const void *bytes;
	size_t n;
	size_t len;	/* of the blob written: T_PLAIN, or one more or less */
};

/*
 * Each change made to a copy of blob (T_PLAIN bytes and a zero after
 * them), written as file bad: it must not load, for `why`. Every change
 * that loads is listed.
 */
static void
changes_refused(const char *bad, const uint8_t *blob, const struct change *c,
    size_t n, const char *why)
{
	struct tally t = { 0, 0, 0 };
	uint8_t copy[T_PLAIN + 1U];
	lkey_vendor_key key;
	char err[ERRCAP];
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		memcpy(copy, blob, T_PLAIN);
		copy[T_PLAIN] = 0;
		assert_true(c[i].off + c[i].n <= sizeof copy);
		memcpy(copy + c[i].off, c[i].bytes, c[i].n);
		write_blob(bad, copy, c[i].len);
		memset(&key, 0xa5, sizeof key);
		err[0] = '\0';
		t.cases++;
		rc = keyfile_load_secret(bad, &key, err, sizeof err);
		tcheck(&t, rc == -1, c[i].what, NULL, "loaded");
		tcheck(&t, is_zero(&key, sizeof key), c[i].what, NULL,
		    "the key is not zeroed");
		tcheck(&t, strstr(err, why) != NULL &&
		    strchr(err, '\n') == NULL, c[i].what, NULL,
		    "\"%s\", expected one line with \"%s\"", err, why);
	}
	tally_done(&t, why);
}

static void
test_parts_do_not_match(void **state)
{
	struct fx *fx = *state;
	lkey_vendor_key key, other;
	char sec[4200], bad[4200];
	uint8_t blob[512], id[4], idpk[4 + 32];

	init_key(fx, 21, NULL, &key, sec);
	make_key(22, &other);
	path_in(fx, "bad.sec", bad, sizeof bad);
	assert_int_equal(file_blob(sec, blob, sizeof blob), T_PLAIN);
	st32(id, key.pub.id ^ 0x80000000U);
	st32(idpk, other.pub.id);
	memcpy(idpk + 4, other.pub.pk, 32);
	{
		const struct change c[] = {
			{ "another public key, id left alone", T_OFF_PK,
			    other.pub.pk, 32, T_PLAIN },
			{ "another public key with its own id", T_OFF_KEYID,
			    idpk, sizeof idpk, T_PLAIN },
			{ "only the id changed", T_OFF_KEYID, id, 4, T_PLAIN },
			{ "another seed", T_HDR, other.sk, 32, T_PLAIN },
		};

		changes_refused(bad, blob, c, sizeof c / sizeof c[0],
		    "does not match");
	}
	/* Untouched, it still loads. */
	write_blob(bad, blob, T_PLAIN);
	load_ok(bad, &key);
}

static void
test_structure(void **state)
{
	static const struct change c[] = {
		{ "magic", 3, "2", 1, T_PLAIN },
		{ "unknown kdf", T_OFF_KDF, "\x02", 1, T_PLAIN },
		{ "unencrypted, yet a salt byte is set", T_OFF_SALT + 7,
		    "\x01", 1, T_PLAIN },
		{ "a trailing byte", T_PLAIN, "", 1, T_PLAIN + 1 },
		{ "a byte missing", 0, "", 0, T_PLAIN - 1 },
		{ "encrypted, with the length of a plain one", T_OFF_KDF,
		    "\x01", 1, T_PLAIN },
	};
	struct fx *fx = *state;
	lkey_vendor_key key;
	char sec[4200], bad[4200];
	uint8_t blob[512];

	init_key(fx, 23, NULL, &key, sec);
	path_in(fx, "bad.sec", bad, sizeof bad);
	assert_int_equal(file_blob(sec, blob, sizeof blob), T_PLAIN);
	changes_refused(bad, blob, c, sizeof c / sizeof c[0],
	    "not an lkey secret key file");
}

/*
 * Limits outside the range are refused before the passphrase is asked for
 * or any hashing is done: 2^63 bytes would otherwise fail as "out of
 * memory" and 1 GiB + 1 as a wrong passphrase, never with this message.
 */
static void
test_unreasonable_limits(void **state)
{
	struct fx *fx = *state;
	lkey_vendor_key key;
	char bad[4200];
	uint8_t blob[T_SEALED];
	static const struct {
		uint64_t ops, mem;
	} cases[] = {
		{2, (1ULL << 30) + 1}, {2, 1ULL << 63}, {2, UINT64_MAX},
		{2, crypto_pwhash_MEMLIMIT_MIN - 1}, {2, 0},
		{0, crypto_pwhash_MEMLIMIT_MIN},
		{crypto_pwhash_OPSLIMIT_SENSITIVE + 1,
		    crypto_pwhash_MEMLIMIT_MIN},
		{1ULL << 40, crypto_pwhash_MEMLIMIT_MIN},
	};
	size_t i;

	make_key(24, &key);
	path_in(fx, "bad.sec", bad, sizeof bad);
	assert_int_equal(setenv("LKEY_PASSPHRASE", "pw", 1), 0);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		write_blob(bad, blob, craft_sealed(&key, "pw", cases[i].ops,
		    cases[i].mem, true, blob));
		load_fails(bad, "unreasonable key-derivation parameters");
	}
}

/* ---- changing the passphrase -------------------------------------------- */

/* Loads `path` with passphrase `pass` (NULL: none set) into key. */
static void
load_with(const char *path, const char *pass, lkey_vendor_key *key)
{
	char err[ERRCAP];

	if (pass != NULL)
		assert_int_equal(setenv("LKEY_PASSPHRASE", pass, 1), 0);
	else
		assert_int_equal(unsetenv("LKEY_PASSPHRASE"), 0);
	err[0] = '\0';
	if (keyfile_load_secret(path, key, err, sizeof err) != 0)
		fail_msg("load %s: %s", path, err);
}

static void
passwd_ok(const char *path, const lkey_vendor_key *key, const char *pass)
{
	written(keyfile_passwd, path, key, pass);
}

/* keyfile_passwd fails with `why`, and `path` is byte for byte as before. */
static void
passwd_fails(const char *path, const lkey_vendor_key *key, const char *pass,
    const char *why)
{
	char err[ERRCAP], before[TEXTCAP], after[TEXTCAP];
	struct stat st;
	bool had = lstat(path, &st) == 0 && S_ISREG(st.st_mode);
	size_t n = had ? read_file(path, before, sizeof before) : 0;

	err[0] = '\0';
	assert_int_equal(keyfile_passwd(path, key, pass, err, sizeof err), -1);
	assert_null(strchr(err, '\n'));
	assert_contains(err, why);
	if (had) {
		assert_int_equal(read_file(path, after, sizeof after), n);
		assert_memory_equal(before, after, n);
	}
}

static void
test_passwd_roundtrip(void **state)
{
	struct fx *fx = *state;
	lkey_vendor_key key, got;
	char sec[4200], pub[4200], pub1[TEXTCAP], pub2[TEXTCAP];
	char text[TEXTCAP], want[64];
	uint8_t b1[512], b2[512];

	init_key(fx, 40, "old pass", &key, sec);
	path_in(fx, "vendor.pub", pub, sizeof pub);
	(void)read_file(pub, pub1, sizeof pub1);
	assert_int_equal(file_blob(sec, b1, sizeof b1), T_SEALED);

	load_with(sec, "old pass", &got);
	passwd_ok(sec, &got, "new pass");

	/* Same key, same id and public key; new salt and nonce; 0600. */
	assert_int_equal(mode_of(sec), 0600);
	assert_int_equal(count_entries(fx->dir), 2);
	assert_int_equal(file_blob(sec, b2, sizeof b2), T_SEALED);
	assert_int_equal(b2[T_OFF_KDF], 1);
	assert_memory_equal(b2 + T_OFF_KEYID, b1 + T_OFF_KEYID, 4 + 32);
	assert_memory_not_equal(b2 + T_OFF_SALT, b1 + T_OFF_SALT, 16);
	assert_memory_not_equal(b2 + T_OFF_NONCE, b1 + T_OFF_NONCE, 24);
	assert_false(contains(b2, T_SEALED, key.sk, 32));
	(void)read_file(sec, text, sizeof text);
	(void)snprintf(want, sizeof want,
	    "# lkey secret key, key id %08x: keep private\n",
	    (unsigned)key.pub.id);
	assert_int_equal(strncmp(text, want, strlen(want)), 0);
	(void)read_file(pub, pub2, sizeof pub2);
	assert_string_equal(pub1, pub2);

	/* The old passphrase no longer opens it; the new one does. */
	assert_int_equal(setenv("LKEY_PASSPHRASE", "old pass", 1), 0);
	load_fails(sec, "wrong passphrase or corrupt secret key file");
	assert_int_equal(setenv("LKEY_PASSPHRASE", "new pass", 1), 0);
	load_ok(sec, &key);

	/* Again, to the same passphrase: allowed, and fresh salt again. */
	load_with(sec, "new pass", &got);
	passwd_ok(sec, &got, "new pass");
	assert_int_equal(file_blob(sec, b1, sizeof b1), T_SEALED);
	assert_memory_not_equal(b1 + T_OFF_SALT, b2 + T_OFF_SALT, 16);
	load_ok(sec, &key);
	assert_int_equal(count_entries(fx->dir), 2);
}

static void
test_passwd_plain_and_back(void **state)
{
	struct fx *fx = *state;
	lkey_vendor_key key, got;
	char sec[4200];
	uint8_t blob[512];

	init_key(fx, 41, NULL, &key, sec);

	/* Unencrypted to encrypted. */
	load_with(sec, NULL, &got);
	passwd_ok(sec, &got, "now secret");
	assert_int_equal(file_blob(sec, blob, sizeof blob), T_SEALED);
	assert_int_equal(blob[T_OFF_KDF], 1);
	assert_int_equal(get64(blob + T_OFF_OPS),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE);
	assert_false(contains(blob, T_SEALED, key.sk, 32));
	assert_int_equal(setenv("LKEY_PASSPHRASE", "now secret", 1), 0);
	load_ok(sec, &key);

	/* Encrypted to unencrypted: the documented plain layout. */
	load_with(sec, "now secret", &got);
	passwd_ok(sec, &got, NULL);
	assert_int_equal(file_blob(sec, blob, sizeof blob), T_PLAIN);
	assert_int_equal(blob[T_OFF_KDF], 0);
	assert_true(is_zero(blob + T_OFF_OPS, T_OFF_KEYID - T_OFF_OPS));
	assert_memory_equal(blob + T_HDR, key.sk, 32);
	assert_int_equal(unsetenv("LKEY_PASSPHRASE"), 0);
	load_ok(sec, &key);

	/* Unencrypted to unencrypted is a harmless rewrite. */
	passwd_ok(sec, &got, NULL);
	load_ok(sec, &key);
	assert_int_equal(mode_of(sec), 0600);
	assert_int_equal(count_entries(fx->dir), 2);
}

/* A wrong old passphrase stops at loading: nothing to write with. */
static void
test_passwd_wrong_old(void **state)
{
	struct fx *fx = *state;
	lkey_vendor_key key;
	char sec[4200], before[TEXTCAP], after[TEXTCAP];
	size_t n;

	init_key(fx, 42, "right", &key, sec);
	n = read_file(sec, before, sizeof before);
	assert_int_equal(setenv("LKEY_PASSPHRASE", "wrong", 1), 0);
	load_fails(sec, "wrong passphrase");
	assert_int_equal(read_file(sec, after, sizeof after), n);
	assert_memory_equal(before, after, n);
	assert_int_equal(count_entries(fx->dir), 2);
}

static void
test_passwd_refuses(void **state)
{
	struct fx *fx = *state;
	lkey_vendor_key key, other, bad;
	char sec[4200], lnk[4200], hard[4200], dir[4200], junk[4200];

	init_key(fx, 43, NULL, &key, sec);
	make_key(44, &other);

	/* A file that holds another key is not replaced. */
	passwd_fails(sec, &other, NULL, "holds another key");
	/* A key whose halves do not belong together is not written. */
	bad = key;
	memcpy(bad.pub.pk, other.pub.pk, 32);
	passwd_fails(sec, &bad, NULL, "does not match");
	bad = key;
	bad.pub.id ^= 1;
	passwd_fails(sec, &bad, NULL, "does not match");
	passwd_fails(sec, &key, "", "empty passphrase refused");

	/* A symbolic link: neither it nor its target is replaced. */
	path_in(fx, "link.sec", lnk, sizeof lnk);
	assert_int_equal(symlink("vendor.sec", lnk), 0);
	passwd_fails(lnk, &key, "pw", "is a symbolic link; refusing to "
	    "replace it");
	{
		struct stat st;

		assert_int_equal(lstat(lnk, &st), 0);
		assert_true(S_ISLNK(st.st_mode));
	}
	assert_int_equal(unlink(lnk), 0);

	/* Another hard link would keep the old text: refused. */
	path_in(fx, "backup.sec", hard, sizeof hard);
	assert_int_equal(link(sec, hard), 0);
	passwd_fails(sec, &key, "pw", "has other hard links");
	assert_int_equal(unlink(hard), 0);

	/* Not a regular file; not there; not a secret key file. */
	path_in(fx, "adir", dir, sizeof dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	passwd_fails(dir, &key, "pw", "not a regular file");
	path_in(fx, "missing.sec", junk, sizeof junk);
	passwd_fails(junk, &key, "pw", "No such file");
	path_in(fx, "junk.sec", junk, sizeof junk);
	write_file(junk, "# not a key\nAAAA\n", 17);
	passwd_fails(junk, &key, "pw", "not an lkey secret key file");
	passwd_fails("", &key, "pw", "no secret key file given");
	(void)snprintf(junk, sizeof junk, "%s/", fx->dir);
	passwd_fails(junk, &key, "pw", "not the path of a file");

	/* None of it left a temporary file, and the key still loads. */
	assert_int_equal(count_entries(fx->dir), 4);
	load_ok(sec, &key);
}

/* A file made readable by others comes back 0600, whatever the umask. */
static void
test_passwd_mode(void **state)
{
	struct fx *fx = *state;
	lkey_vendor_key key, got;
	char sec[4200], cwd[4200];
	mode_t old;

	init_key(fx, 45, NULL, &key, sec);
	load_with(sec, NULL, &got);
	old = umask(0);
	passwd_ok(sec, &got, "pw");
	(void)umask(old);
	assert_int_equal(mode_of(sec), 0600);

	/* A bare file name: the directory is ".". */
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(fx->dir), 0);
	passwd_ok("vendor.sec", &got, NULL);
	assert_int_equal(chdir(cwd), 0);
	load_ok(sec, &key);
	assert_int_equal(count_entries(fx->dir), 2);
}

static void
test_new_passphrase_source(void **state)
{
	char buf[16], err[ERRCAP];
	int fd;

	(void)state;
	assert_int_equal(setenv("LKEY_NEW_PASSPHRASE", "n3w", 1), 0);
	assert_int_equal(setenv("LKEY_PASSPHRASE", "old", 1), 0);
	assert_int_equal(keyfile_new_passphrase(buf, sizeof buf, "k.sec", true,
	    err, sizeof err), 0);
	assert_string_equal(buf, "n3w");

	assert_int_equal(setenv("LKEY_NEW_PASSPHRASE", "", 1), 0);
	assert_int_equal(keyfile_new_passphrase(buf, sizeof buf, "k.sec", true,
	    err, sizeof err), -1);
	assert_string_equal(err, "LKEY_NEW_PASSPHRASE is empty");
	assert_int_equal(setenv("LKEY_NEW_PASSPHRASE", "0123456789abcdef", 1),
	    0);
	assert_int_equal(keyfile_new_passphrase(buf, sizeof buf, "k.sec", true,
	    err, sizeof err), -1);
	assert_string_equal(err,
	    "LKEY_NEW_PASSPHRASE is too long (at most 15 bytes)");

	/* The old passphrase is never taken for the new one. */
	assert_int_equal(unsetenv("LKEY_NEW_PASSPHRASE"), 0);
	assert_int_equal(keyfile_new_passphrase(buf, sizeof buf, "k.sec", true,
	    err, sizeof err), -1);
	assert_string_equal(err, "LKEY_PASSPHRASE is set but "
	    "LKEY_NEW_PASSPHRASE is not: set both, or neither to be asked on "
	    "the terminal");
	assert_string_equal(buf, "");

	assert_int_equal(unsetenv("LKEY_PASSPHRASE"), 0);
	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY)) != -1) {
		(void)close(fd);
		skip();	/* it would prompt on the terminal */
	}
	assert_int_equal(keyfile_new_passphrase(buf, sizeof buf, "k.sec", true,
	    err, sizeof err), -1);
	assert_string_equal(err,
	    "no new passphrase: set LKEY_NEW_PASSPHRASE or run on a terminal");
}

/*
 * A new passphrase needs PASSPHRASE_MIN_CHARS characters, counted in
 * UTF-8 and not normalised, of which PASSPHRASE_MIN_DISTINCT differ.
 */
static void
test_passphrase_strength(void **state)
{
	static const struct {
		const char *pass, *want;	/* want NULL: strong enough */
	} cases[] = {
		{ "x", "too short: 1 character; use at least 12 (a few "
		  "words are easier to remember)" },
		{ "", "too short: 0 characters; use at least 12 (a few "
		  "words are easier to remember)" },
		{ "abcdefghijk", "too short: 11 characters; use at least 12 "
		  "(a few words are easier to remember)" },
		/* 11 characters in 17 bytes. */
		{ "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9" "abcde" "\xc3\xa9\xc3\xa9",
		  "too short: 11 characters; use at least 12 (a "
		  "few words are easier to remember)" },
		{ "aaaaaaaaaaaa", "too repetitive: 12 characters but only 1 "
		  "different; use at least 5 different characters" },
		{ "abababababababab", "too repetitive: 16 characters but only "
		  "2 different; use at least 5 different characters" },
		{ "abcdabcdabcd", "too repetitive: 12 characters but only 4 "
		  "different; use at least 5 different characters" },
		/* U+00E9, U+00E8, U+00EA, U+00EB: four characters, whose
		 * first bytes are the same. */
		{ "\xc3\xa9\xc3\xa8\xc3\xaa\xc3\xab\xc3\xa9\xc3\xa8"
		  "\xc3\xaa\xc3\xab\xc3\xa9\xc3\xa8\xc3\xaa\xc3\xab",
		  "too repetitive: 12 characters but only 4 different; use "
		  "at least 5 different characters" },
		/* e and a combining acute accent: not normalised to é. */
		{ "e\xcc\x81" "e\xcc\x81" "e\xcc\x81" "e\xcc\x81"
		  "e\xcc\x81" "e\xcc\x81", "too repetitive: 12 characters "
		  "but only 2 different; use at least 5 different "
		  "characters" },
		{ "abcdeabcdeab", NULL },
		{ "correct horse", NULL },
		{ "\xc3\xa9\xc3\xa8\xc3\xaa\xc3\xab\xc3\xa0\xc3\xa9"
		  "\xc3\xa8\xc3\xaa\xc3\xab\xc3\xa0\xc3\xa9\xc3\xa8",
		  NULL },
		/* Bytes that are no UTF-8 count one each. */
		{ "\xff\xfe\xfd\xfc\xfb\xff\xfe\xfd\xfc\xfb\xff\xc3", NULL },
		{ "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff",
		  "too repetitive: 12 characters but only 1 different; use "
		  "at least 5 different characters" },
	};
	char err[ERRCAP], want[ERRCAP];
	size_t k;

	(void)state;
	for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		strcpy(err, "untouched");
		if (cases[k].want == NULL) {
			if (passphrase_strong(cases[k].pass, "passphrase", err,
			    sizeof err) != 0)
				fail_msg("case %zu refused: %s", k, err);
			continue;
		}
		assert_int_equal(passphrase_strong(cases[k].pass, "passphrase",
		    err, sizeof err), -1);
		(void)snprintf(want, sizeof want, "passphrase %s",
		    cases[k].want);
		assert_string_equal(err, want);
	}
	assert_int_equal(passphrase_strong("x", "LKEY_PASSPHRASE", err,
	    sizeof err), -1);
	assert_string_equal(err, "LKEY_PASSPHRASE too short: 1 character; "
	    "use at least 12 (a few words are easier to remember)");
}

/* From the environment: refused unless weak, and then wiped. */
static void
test_new_passphrase_strength(void **state)
{
	char buf[64], err[ERRCAP];

	(void)state;
	assert_int_equal(setenv("LKEY_PASSPHRASE", "x", 1), 0);
	assert_int_equal(passphrase_get(buf, sizeof buf, "p: ",
	    PASSPHRASE_CONFIRM | PASSPHRASE_STRONG, err, sizeof err), -1);
	assert_string_equal(err, "LKEY_PASSPHRASE too short: 1 character; "
	    "use at least 12 (a few words are easier to remember)");
	assert_true(is_zero(buf, sizeof buf));
	/* Loading a key asks nothing of its passphrase. */
	assert_int_equal(passphrase_get(buf, sizeof buf, "p: ", 0, err,
	    sizeof err), 0);
	assert_string_equal(buf, "x");
	assert_int_equal(passphrase_get(buf, sizeof buf, "p: ",
	    PASSPHRASE_CONFIRM, err, sizeof err), 0);
	assert_string_equal(buf, "x");
	assert_int_equal(setenv("LKEY_PASSPHRASE", "correct horse", 1), 0);
	assert_int_equal(passphrase_get(buf, sizeof buf, "p: ",
	    PASSPHRASE_CONFIRM | PASSPHRASE_STRONG, err, sizeof err), 0);
	assert_string_equal(buf, "correct horse");

	assert_int_equal(setenv("LKEY_NEW_PASSPHRASE", "aaaaaaaaaaaa", 1), 0);
	assert_int_equal(keyfile_new_passphrase(buf, sizeof buf, "k.sec",
	    false, err, sizeof err), -1);
	assert_string_equal(err, "LKEY_NEW_PASSPHRASE too repetitive: 12 "
	    "characters but only 1 different; use at least 5 different "
	    "characters");
	assert_true(is_zero(buf, sizeof buf));
	assert_int_equal(keyfile_new_passphrase(buf, sizeof buf, "k.sec",
	    true, err, sizeof err), 0);
	assert_string_equal(buf, "aaaaaaaaaaaa");
	assert_int_equal(setenv("LKEY_NEW_PASSPHRASE", "new passphrase", 1),
	    0);
	assert_int_equal(keyfile_new_passphrase(buf, sizeof buf, "k.sec",
	    false, err, sizeof err), 0);
	assert_string_equal(buf, "new passphrase");
}

/* ---- lkey-keygen passwd ------------------------------------------------- */

/*
 * Runs lkey-keygen from $LKEY_BUILD_DIR with the arguments after `r`
 * (NULL-terminated), LKEY_PASSPHRASE = old and LKEY_NEW_PASSPHRASE = new
 * where not NULL, with no terminal (proc.c).
 */
static void
keygen(const struct fx *fx, const char *old, const char *new,
    struct result *r, ...)
{
	char prog[PATHCAP], oldenv[TEXTCAP], newenv[TEXTCAP];
	const char *argv[ARGMAX + 1U], *env[3] = { NULL, NULL, NULL };
	size_t k = 0;
	va_list ap;

	bprintf(prog, sizeof prog, "%s/lkey-keygen", fx->bindir);
	va_start(ap, r);
	argv[0] = prog;
	collect_args(va_arg(ap, const char *), ap, argv + 1);
	va_end(ap);
	if (old != NULL) {
		bprintf(oldenv, sizeof oldenv, "LKEY_PASSPHRASE=%s", old);
		env[k++] = oldenv;
	}
	if (new != NULL) {
		bprintf(newenv, sizeof newenv, "LKEY_NEW_PASSPHRASE=%s", new);
		env[k++] = newenv;
	} else
		(void)unsetenv("LKEY_NEW_PASSPHRASE");
	run_tool(argv, env, NULL, 0, r);
}

static void
expect_run(const struct result *r, int code, const char *out, const char *err)
{
	if (r->code != code || strcmp(r->out, out) != 0 ||
	    strcmp(r->err, err) != 0)
		fail_msg("exit %d, stdout \"%s\", stderr \"%s\"; expected exit "
		    "%d, stdout \"%s\", stderr \"%s\"", r->code, r->out, r->err,
		    code, out, err);
}

/* New passphrases strong enough for passwd (passphrase_strong). */
#define NEWPASS "new passphrase"
#define AGAIN "again and again"

static void
test_passwd_cli(void **state)
{
	struct fx *fx = *state;
	lkey_vendor_key key;
	struct result r;
	char dir[4200], sec[4300], text[TEXTCAP], want[TEXTCAP], msg[TEXTCAP];
	size_t n;

	make_key(46, &key);
	path_in(fx, "keys", dir, sizeof dir);
	init_ok(dir, &key, "old");
	(void)snprintf(sec, sizeof sec, "%s/vendor.sec", dir);
	n = read_file(sec, text, sizeof text);

	/* Wrong old passphrase: exit 1, one line, the file untouched. */
	keygen(fx, "wrong", NEWPASS, &r, "passwd", "--secret", sec, NULL);
	(void)snprintf(msg, sizeof msg, "lkey-keygen: %s: wrong passphrase or "
	    "corrupt secret key file\n", sec);
	expect_run(&r, 1, "", msg);
	assert_int_equal(read_file(sec, want, sizeof want), n);
	assert_memory_equal(text, want, n);

	/* Old from LKEY_PASSPHRASE, new not given: refused, untouched. */
	keygen(fx, "old", NULL, &r, "passwd", "--secret", sec, NULL);
	expect_run(&r, 1, "", "lkey-keygen: LKEY_PASSPHRASE is set but "
	    "LKEY_NEW_PASSPHRASE is not: set both, or neither to be asked on "
	    "the terminal\n");
	assert_int_equal(read_file(sec, want, sizeof want), n);
	assert_memory_equal(text, want, n);

	/* Usage errors: exit 2, one line, before the file is read. */
	keygen(fx, "old", NEWPASS, &r, "passwd", NULL);
	expect_run(&r, 2, "", "lkey-keygen: passwd needs --secret FILE (see "
	    "lkey-keygen --help)\n");
	keygen(fx, "old", NEWPASS, &r, "passwd", "--secret", sec,
	    "--no-passphrase", NULL);
	expect_run(&r, 2, "", "lkey-keygen: --no-passphrase conflicts with "
	    "LKEY_NEW_PASSPHRASE (see lkey-keygen --help)\n");
	keygen(fx, "old", NEWPASS, &r, "passwd", "--secret", sec, sec, NULL);
	expect_run(&r, 2, "", "lkey-keygen: passwd takes no arguments besides "
	    "its options (see lkey-keygen --help)\n");
	keygen(fx, "old", NEWPASS, &r, "passwd", "--secret", sec, "--secret",
	    sec, NULL);
	expect_run(&r, 2, "", "lkey-keygen: option --secret given twice (see "
	    "lkey-keygen --help)\n");
	assert_int_equal(read_file(sec, want, sizeof want), n);
	assert_memory_equal(text, want, n);

	/* A weak new passphrase: refused after the old one, untouched. */
	keygen(fx, "old", "n3w", &r, "passwd", "--secret", sec, NULL);
	expect_run(&r, 1, "", "lkey-keygen: LKEY_NEW_PASSPHRASE too short: 3 "
	    "characters; use at least 12 (a few words are easier to "
	    "remember)\n");
	keygen(fx, "old", "nnnnnnnnnnnnnnnn", &r, "passwd", "--secret", sec,
	    NULL);
	expect_run(&r, 1, "", "lkey-keygen: LKEY_NEW_PASSPHRASE too "
	    "repetitive: 16 characters but only 1 different; use at least 5 "
	    "different characters\n");
	keygen(fx, "old", NULL, &r, "passwd", "--secret", sec,
	    "--no-passphrase", "--weak-passphrase", NULL);
	expect_run(&r, 2, "", "lkey-keygen: --weak-passphrase conflicts with "
	    "--no-passphrase (see lkey-keygen --help)\n");
	assert_int_equal(read_file(sec, want, sizeof want), n);
	assert_memory_equal(text, want, n);

	/* Unless it is meant: --weak-passphrase, and back. */
	keygen(fx, "old", "n3w", &r, "passwd", "--secret", sec,
	    "--weak-passphrase", NULL);
	(void)snprintf(want, sizeof want, "key id %08x: secret key %s "
	    "(encrypted with the new passphrase; keep it private)\n",
	    (unsigned)key.pub.id, sec);
	expect_run(&r, 0, want, "");
	assert_int_equal(setenv("LKEY_PASSPHRASE", "n3w", 1), 0);
	load_ok(sec, &key);
	keygen(fx, "n3w", "old", &r, "passwd", "--secret", sec,
	    "--weak-passphrase", NULL);
	expect_run(&r, 0, want, "");

	/* Unattended: old and new from the environment. */
	keygen(fx, "old", NEWPASS, &r, "passwd", "--secret", sec, NULL);
	(void)snprintf(want, sizeof want, "key id %08x: secret key %s "
	    "(encrypted with the new passphrase; keep it private)\n",
	    (unsigned)key.pub.id, sec);
	expect_run(&r, 0, want, "");
	assert_int_equal(mode_of(sec), 0600);
	assert_int_equal(count_entries(dir), 2);
	assert_int_equal(setenv("LKEY_PASSPHRASE", "old", 1), 0);
	load_fails(sec, "wrong passphrase");
	assert_int_equal(setenv("LKEY_PASSPHRASE", NEWPASS, 1), 0);
	load_ok(sec, &key);

	/* To no passphrase, and back. */
	keygen(fx, NEWPASS, NULL, &r, "passwd", "--secret", sec,
	    "--no-passphrase", NULL);
	(void)snprintf(want, sizeof want, "key id %08x: secret key %s "
	    "(NOT encrypted; keep it private)\n", (unsigned)key.pub.id, sec);
	expect_run(&r, 0, want, "");
	assert_int_equal(unsetenv("LKEY_PASSPHRASE"), 0);
	load_ok(sec, &key);
	keygen(fx, NULL, AGAIN, &r, "passwd", "--secret", sec, NULL);
	(void)snprintf(want, sizeof want, "key id %08x: secret key %s "
	    "(encrypted with the new passphrase; keep it private)\n",
	    (unsigned)key.pub.id, sec);
	expect_run(&r, 0, want, "");
	assert_int_equal(setenv("LKEY_PASSPHRASE", AGAIN, 1), 0);
	load_ok(sec, &key);
	assert_int_equal(count_entries(dir), 2);

	/* Unencrypted file, no terminal and no LKEY_NEW_PASSPHRASE. */
	keygen(fx, AGAIN, NULL, &r, "passwd", "--secret", sec,
	    "--no-passphrase", NULL);
	assert_int_equal(r.code, 0);
	keygen(fx, NULL, NULL, &r, "passwd", "--secret", sec, NULL);
	expect_run(&r, 1, "", "lkey-keygen: no new passphrase: set "
	    "LKEY_NEW_PASSPHRASE or run on a terminal\n");
	assert_int_equal(count_entries(dir), 2);
}

/* The secret key file at path loads, whatever key it holds. */
static void
loads(const char *path)
{
	lkey_vendor_key key;
	char err[ERRCAP];

	err[0] = '\0';
	if (keyfile_load_secret(path, &key, err, sizeof err) != 0)
		fail_msg("load %s: %s", path, err);
}

/*
 * lkey-keygen init refuses a weak passphrase before it writes anything,
 * unless --weak-passphrase; --no-passphrase needs none.
 */
static void
test_init_strength_cli(void **state)
{
	struct fx *fx = *state;
	struct result r;
	char dir[4200], sec[4300];

	path_in(fx, "keys", dir, sizeof dir);
	(void)snprintf(sec, sizeof sec, "%s/vendor.sec", dir);
	keygen(fx, "x", NULL, &r, "init", "--out", dir, NULL);
	expect_run(&r, 1, "", "lkey-keygen: LKEY_PASSPHRASE too short: 1 "
	    "character; use at least 12 (a few words are easier to "
	    "remember)\n");
	keygen(fx, "aaaaaaaaaaaa", NULL, &r, "init", "--out", dir, NULL);
	expect_run(&r, 1, "", "lkey-keygen: LKEY_PASSPHRASE too repetitive: "
	    "12 characters but only 1 different; use at least 5 different "
	    "characters\n");
	keygen(fx, "x", NULL, &r, "init", "--out", dir, "--weak-passphrase",
	    "--no-passphrase", NULL);
	expect_run(&r, 2, "", "lkey-keygen: --weak-passphrase conflicts with "
	    "--no-passphrase (see lkey-keygen --help)\n");
	assert_int_equal(count_entries(fx->dir), 0);

	keygen(fx, "x", NULL, &r, "init", "--out", dir, "--weak-passphrase",
	    NULL);
	assert_int_equal(r.code, 0);
	assert_string_equal(r.err, "");
	assert_int_equal(setenv("LKEY_PASSPHRASE", "x", 1), 0);
	loads(sec);
	rm_tree(dir);

	keygen(fx, "correct horse", NULL, &r, "init", "--out", dir, NULL);
	assert_int_equal(r.code, 0);
	assert_int_equal(setenv("LKEY_PASSPHRASE", "correct horse", 1), 0);
	loads(sec);
	rm_tree(dir);

	/* No passphrase, no rule: how the demo and test keys are made. */
	keygen(fx, NULL, NULL, &r, "init", "--out", dir, "--no-passphrase",
	    NULL);
	assert_int_equal(r.code, 0);
	assert_int_equal(unsetenv("LKEY_PASSPHRASE"), 0);
	loads(sec);
}

/* ---- custody ----------------------------------------------------------- */

/* Loading and reading the key id both refuse path, with exactly `want`. */
static void
custody_refused(const char *path, const char *want)
{
	lkey_vendor_key key;
	char err[ERRCAP];
	uint32_t id = 1;

	memset(&key, 0xa5, sizeof key);
	err[0] = '\0';
	assert_int_equal(keyfile_load_secret(path, &key, err, sizeof err), -1);
	assert_true(is_zero(&key, sizeof key));
	assert_string_equal(err, want);
	err[0] = '\0';
	assert_int_equal(keyfile_key_id(path, &id, err, sizeof err), -1);
	assert_string_equal(err, want);
}

/* Any permission bit for group or others refuses the file, saying what to
 * run; the owner's bits are the owner's business. */
static void
test_custody_file_modes(void **state)
{
	static const struct {
		mode_t mode;
		const char *words;
	} bad[] = {
		{ 0644, "readable by group and others" },
		{ 0640, "readable by group" },
		{ 0604, "readable by others" },
		{ 0620, "writable by group" },
		{ 0602, "writable by others" },
		{ 0666, "readable by group and others, writable by group and "
		    "others" },
		{ 0610, "executable by group" },
	};
	static const mode_t good[] = { 0600, 0400, 0700 };
	struct fx *fx = *state;
	lkey_vendor_key key;
	char sec[4200], want[2 * 4200];
	size_t k;

	init_key(fx, 47, NULL, &key, sec);
	for (k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		assert_int_equal(chmod(sec, bad[k].mode), 0);
		bprintf(want, sizeof want, "%s: %s (mode %04o); run: chmod 600 "
		    "%s", sec, bad[k].words, (unsigned)bad[k].mode, sec);
		custody_refused(sec, want);
	}
	for (k = 0; k < sizeof good / sizeof good[0]; k++) {
		assert_int_equal(chmod(sec, good[k]), 0);
		load_ok(sec, &key);
	}
}

/* A directory others may write, also reached through a link, is refused
 * for init and for loading; realpath names the directory really used. */
static void
test_custody_directory(void **state)
{
	static const struct {
		mode_t mode;
		const char *words;
	} bad[] = {
		{ 0777, "writable by group and others" },
		{ 0775, "writable by group" },
		{ 0757, "writable by others" },
		{ 01777, "writable by group and others" },
	};
	struct fx *fx = *state;
	lkey_vendor_key key;
	char open_dir[4200], real[4200], link[4200], sec[4300], lsec[4300];
	char want[3 * 4300];
	size_t k;

	make_key(48, &key);
	path_in(fx, "open", open_dir, sizeof open_dir);
	path_in(fx, "link", link, sizeof link);
	assert_int_equal(make_dir(open_dir), 0);
	assert_non_null(realpath(open_dir, real));
	assert_int_equal(symlink("open", link), 0);
	bprintf(sec, sizeof sec, "%s/vendor.sec", open_dir);
	bprintf(lsec, sizeof lsec, "%s/vendor.sec", link);

	/* init: the directory as given, and through the link. */
	assert_int_equal(chmod(open_dir, 0777), 0);
	bprintf(want, sizeof want, "%s%s%s: the directory is writable by group "
	    "and others (mode 0777), who could replace the key files in it; "
	    "run: chmod go-w %s", open_dir, strcmp(real, open_dir) != 0 ?
	    " (really " : "", strcmp(real, open_dir) != 0 ? real : "",
	    open_dir);
	if (strcmp(real, open_dir) != 0)
		fail_msg("the test directory %s is reached through a link; "
		    "set TMPDIR to a real path", open_dir);
	assert_string_equal(init_refused(fx, open_dir, &key, NULL,
	    "the directory", 2), want);
	bprintf(want, sizeof want, "%s (really %s): the directory is writable "
	    "by group and others (mode 0777), who could replace the key files "
	    "in it; run: chmod go-w %s", link, real, link);
	assert_string_equal(init_refused(fx, link, &key, NULL,
	    "the directory", 2), want);

	/* Loading: a key made while the directory was closed. */
	assert_int_equal(chmod(open_dir, 0700), 0);
	init_ok(open_dir, &key, NULL);
	load_ok(sec, &key);
	load_ok(lsec, &key);
	for (k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		assert_int_equal(chmod(open_dir, bad[k].mode), 0);
		bprintf(want, sizeof want, "%s: its directory %s is %s (mode "
		    "%04o); run: chmod go-w %s", sec, open_dir, bad[k].words,
		    (unsigned)bad[k].mode, open_dir);
		custody_refused(sec, want);
		bprintf(want, sizeof want, "%s: its directory %s (really %s) "
		    "is %s (mode %04o); run: chmod go-w %s", lsec, link, real,
		    bad[k].words, (unsigned)bad[k].mode, link);
		custody_refused(lsec, want);
	}
	/* Readable and searchable by all is fine: the file itself is not. */
	assert_int_equal(chmod(open_dir, 0755), 0);
	load_ok(sec, &key);
	assert_int_equal(chmod(open_dir, 0700), 0);
}

/*
 * Every directory above the key's, after following links, up to /: one
 * that group or others may write is refused unless it is sticky and
 * root's, as /tmp is (the tests run below it); through a link to a shared
 * directory, init says which directory is really open.
 */
static void
test_custody_ancestors(void **state)
{
	struct fx *fx = *state;
	lkey_vendor_key key;
	char shared[4200], real[4200], link[4200], lk[4300], sub[4300];
	char keys[4300], sec[4400], lsec[4400], want[3 * 4400], me[64];
	const struct passwd *pw;

	make_key(51, &key);
	path_in(fx, "shared", shared, sizeof shared);
	path_in(fx, "wwl", link, sizeof link);
	assert_int_equal(make_dir(shared), 0);
	assert_non_null(realpath(shared, real));
	assert_int_equal(symlink("shared", link), 0);
	bprintf(lk, sizeof lk, "%s/k", link);

	/* init --out wwl/k: k would be the key's own, closed directory. */
	assert_int_equal(chmod(shared, 0777), 0);
	bprintf(want, sizeof want, "%s: the directory %s above it is writable "
	    "by group and others (mode 0777), who could move the key files "
	    "away; run: chmod go-w %s", lk, real, real);
	assert_string_equal(init_refused(fx, lk, &key, NULL, "above it", 2),
	    want);
	assert_int_equal(count_entries(shared), 0);
	assert_int_equal(chmod(shared, 0775), 0);
	bprintf(want, sizeof want, "%s: the directory %s above it is writable "
	    "by group (mode 0775), who could move the key files away; run: "
	    "chmod go-w %s", lk, real, real);
	assert_string_equal(init_refused(fx, lk, &key, NULL, "above it", 2),
	    want);
	assert_int_equal(count_entries(shared), 0);

	/* Sticky: safe only when root's, as no one else may then rename. */
	assert_int_equal(chmod(shared, 01777), 0);
	if (geteuid() == 0) {
		init_ok(lk, &key, NULL);
		bprintf(sec, sizeof sec, "%s/k/vendor.sec", link);
		load_ok(sec, &key);
	} else {
		pw = getpwuid(geteuid());
		if (pw != NULL)
			bprintf(me, sizeof me, "%s", pw->pw_name);
		else
			bprintf(me, sizeof me, "uid %lu",
			    (unsigned long)geteuid());
		bprintf(want, sizeof want, "%s: the directory %s above it is "
		    "writable by group and others (mode 1777) and owned by %s, "
		    "not root, who could move the key files away; run: chmod "
		    "go-w %s", lk, real, me, real);
		assert_string_equal(init_refused(fx, lk, &key, NULL,
		    "above it", 2), want);
	}

	/* Loading: the grandparent of the key file is open, not its parent. */
	assert_int_equal(chmod(shared, 0700), 0);
	bprintf(sub, sizeof sub, "%s/sub", shared);
	assert_int_equal(make_dir(sub), 0);
	bprintf(keys, sizeof keys, "%s/keys", sub);
	init_ok(keys, &key, NULL);
	bprintf(sec, sizeof sec, "%s/vendor.sec", keys);
	bprintf(lsec, sizeof lsec, "%s/sub/keys/vendor.sec", link);
	load_ok(sec, &key);
	load_ok(lsec, &key);
	assert_int_equal(chmod(shared, 0757), 0);
	bprintf(want, sizeof want, "%s: the directory %s above it is writable "
	    "by others (mode 0757); run: chmod go-w %s", sec, real, real);
	custody_refused(sec, want);
	bprintf(want, sizeof want, "%s: the directory %s above it is writable "
	    "by others (mode 0757); run: chmod go-w %s", lsec, real, real);
	custody_refused(lsec, want);
	assert_int_equal(chmod(shared, 0755), 0);
	load_ok(lsec, &key);
	assert_int_equal(chmod(shared, 0700), 0);
}

/* The user that owner_uid names in messages: login name, else "uid N". */
static void
user_name(uid_t uid, char *out, size_t cap)
{
	const struct passwd *pw = getpwuid(uid);

	if (pw != NULL && pw->pw_name != NULL && pw->pw_name[0] != '\0')
		bprintf(out, cap, "%s", pw->pw_name);
	else
		bprintf(out, cap, "uid %lu", (unsigned long)uid);
}

/*
 * A key file, its directory or a directory above owned by another user
 * than root or the one running is refused: they could chmod it at will.
 * Only root can give a file away, so this runs as root (as CI does).
 */
static void
test_custody_owners(void **state)
{
	static const uid_t other = 65534;	/* nobody */
	struct fx *fx = *state;
	lkey_vendor_key key;
	char sec[4200], up[4200], real[4200], keys[4300], upsec[4400];
	char fresh[4300], them[64], want[3 * 4400];

	if (geteuid() != 0) {
		print_message("not root: no file can be given to another user; "
		    "skipped\n");
		skip();
	}
	user_name(other, them, sizeof them);
	init_key(fx, 52, NULL, &key, sec);

	assert_int_equal(chown(sec, other, (gid_t)-1), 0);
	bprintf(want, sizeof want, "%s: the file is owned by %s, not by root; "
	    "run: chown root %s", sec, them, sec);
	custody_refused(sec, want);
	assert_int_equal(chown(sec, 0, (gid_t)-1), 0);
	load_ok(sec, &key);

	assert_int_equal(chown(fx->dir, other, (gid_t)-1), 0);
	bprintf(want, sizeof want, "%s: its directory %s is owned by %s, not "
	    "by root; run: chown root %s", sec, fx->dir, them, fx->dir);
	custody_refused(sec, want);
	assert_int_equal(chown(fx->dir, 0, (gid_t)-1), 0);
	load_ok(sec, &key);

	/* A directory above, mode 0755 but another's: they may chmod it. */
	path_in(fx, "up", up, sizeof up);
	assert_int_equal(make_dir(up), 0);
	assert_int_equal(chmod(up, 0755), 0);
	assert_non_null(realpath(up, real));
	bprintf(keys, sizeof keys, "%s/keys", up);
	init_ok(keys, &key, NULL);
	bprintf(upsec, sizeof upsec, "%s/vendor.sec", keys);
	assert_int_equal(chown(up, other, (gid_t)-1), 0);
	bprintf(want, sizeof want, "%s: the directory %s above it is owned by "
	    "%s, not by root; run: chown root %s", upsec, real, them, real);
	custody_refused(upsec, want);
	bprintf(fresh, sizeof fresh, "%s/fresh", up);
	bprintf(want, sizeof want, "%s: the directory %s above it is owned by "
	    "%s, not by root; run: chown root %s", fresh, real, them, real);
	assert_string_equal(init_refused(fx, fresh, &key, NULL, "above it",
	    3), want);
	assert_int_equal(count_entries(up), 1);

	/* init into an existing directory of another's. */
	assert_int_equal(chown(up, 0, (gid_t)-1), 0);
	assert_int_equal(make_dir(fresh), 0);
	assert_int_equal(chown(fresh, other, (gid_t)-1), 0);
	bprintf(want, sizeof want, "%s: the directory is owned by %s, not by "
	    "root; run: chown root %s", fresh, them, fresh);
	assert_string_equal(init_refused(fx, fresh, &key, NULL, "owned by",
	    3), want);
	assert_int_equal(count_entries(fresh), 0);
	assert_int_equal(chown(fresh, 0, (gid_t)-1), 0);
	init_ok(fresh, &key, NULL);
}

/*
 * The demo key, whose secret is public, loads from anywhere with any mode;
 * it is known by being stored unencrypted with a seed that gives its
 * public key: another key dressed up with its comments, its key id or its
 * whole public key, encrypted or not, is not.
 */
static void
test_custody_demo_exempt(void **state)
{
	struct fx *fx = *state;
	lkey_vendor_key key, demo;
	char open_dir[4200], enc_dir[4300], path[4300], text[TEXTCAP];
	char want[2 * 4300];
	uint8_t blob[512];
	size_t n, len;

	path_in(fx, "open", open_dir, sizeof open_dir);
	assert_int_equal(make_dir(open_dir), 0);
	n = read_file(DEMO_SEC, text, sizeof text);
	bprintf(path, sizeof path, "%s/demo.sec", open_dir);
	write_file(path, text, n);
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(chmod(open_dir, 0777), 0);
	memset(&demo, 0, sizeof demo);
	{
		char err[ERRCAP];

		err[0] = '\0';
		if (keyfile_load_secret(path, &demo, err, sizeof err) != 0)
			fail_msg("demo key refused: %s", err);
	}
	assert_int_equal(demo.pub.id, 0x277e0164U);

	/* Another key with the demo's comments. */
	make_key(49, &key);
	assert_int_equal(chmod(open_dir, 0700), 0);
	init_ok(open_dir, &key, NULL);
	bprintf(path, sizeof path, "%s/vendor.sec", open_dir);
	len = file_blob(path, blob, sizeof blob);
	n = read_file(path, text, sizeof text);
	memmove(text + 24, text, n + 1);
	memcpy(text, "# DEMO KEY (277e0164)  \n", 24);
	write_file(path, text, n + 24);
	assert_int_equal(chmod(path, 0644), 0);
	bprintf(want, sizeof want, "%s: readable by group and others (mode "
	    "0644); run: chmod 600 %s", path, path);
	custody_refused(path, want);

	/* The demo's key id over another public key. */
	assert_int_equal(len, T_PLAIN);
	st32(blob + T_OFF_KEYID, 0x277e0164U);
	bprintf(path, sizeof path, "%s/id.sec", open_dir);
	write_blob(path, blob, len);
	assert_int_equal(chmod(path, 0644), 0);
	bprintf(want, sizeof want, "%s: readable by group and others (mode "
	    "0644); run: chmod 600 %s", path, path);
	custody_refused(path, want);

	/* The demo's whole public key and id over another seed. */
	memcpy(blob + T_OFF_PK, demo.pub.pk, 32);
	bprintf(path, sizeof path, "%s/pk.sec", open_dir);
	write_blob(path, blob, len);
	assert_int_equal(chmod(path, 0644), 0);
	bprintf(want, sizeof want, "%s: readable by group and others (mode "
	    "0644); run: chmod 600 %s", path, path);
	custody_refused(path, want);

	/* The demo's header on an encrypted file: no passphrase is asked. */
	assert_int_equal(setenv("LKEY_PASSPHRASE", "demo-dressed", 1), 0);
	make_key(53, &key);
	bprintf(enc_dir, sizeof enc_dir, "%s/enc", open_dir);
	init_ok(enc_dir, &key, "demo-dressed");
	bprintf(path, sizeof path, "%s/vendor.sec", enc_dir);
	assert_int_equal(file_blob(path, blob, sizeof blob), T_SEALED);
	memcpy(blob + T_OFF_PK, demo.pub.pk, 32);
	st32(blob + T_OFF_KEYID, 0x277e0164U);
	bprintf(path, sizeof path, "%s/enc.sec", open_dir);
	write_blob(path, blob, T_SEALED);
	assert_int_equal(chmod(path, 0644), 0);
	bprintf(want, sizeof want, "%s: readable by group and others (mode "
	    "0644); run: chmod 600 %s", path, path);
	custody_refused(path, want);
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(chmod(open_dir, 0777), 0);
	bprintf(want, sizeof want, "%s: its directory %s is writable by group "
	    "and others (mode 0777); run: chmod go-w %s", path, open_dir,
	    open_dir);
	custody_refused(path, want);
	assert_int_equal(chmod(open_dir, 0700), 0);
	assert_int_equal(unsetenv("LKEY_PASSPHRASE"), 0);

	/* The demo key itself, below an open directory, still loads. */
	bprintf(path, sizeof path, "%s/deep", open_dir);
	assert_int_equal(make_dir(path), 0);
	bprintf(path, sizeof path, "%s/deep/demo.sec", open_dir);
	n = read_file(DEMO_SEC, text, sizeof text);
	write_file(path, text, n);
	assert_int_equal(chmod(path, 0666), 0);
	assert_int_equal(chmod(open_dir, 0777), 0);
	load_ok(path, &demo);
	assert_int_equal(chmod(open_dir, 0700), 0);
}

/* lkey-keygen init and issue say the same, on one line, exit 1. */
static void
test_custody_cli(void **state)
{
	struct fx *fx = *state;
	struct result r;
	char dir[4200], link[4200], real[4200], sec[4300], want[3 * 4300];

	path_in(fx, "shared", dir, sizeof dir);
	path_in(fx, "keys", link, sizeof link);
	assert_int_equal(make_dir(dir), 0);
	assert_int_equal(chmod(dir, 0777), 0);
	assert_int_equal(symlink("shared", link), 0);
	assert_non_null(realpath(dir, real));
	run(fx, (const char *const[]){ "lkey-keygen", "init", "--out", link,
	    "--no-passphrase", NULL }, NULL, 0, &r);
	bprintf(want, sizeof want, "lkey-keygen: %s (really %s): the "
	    "directory is writable by group and others (mode 0777), who could "
	    "replace the key files in it; run: chmod go-w %s\n", link, real,
	    link);
	expect_run(&r, 1, "", want);
	assert_int_equal(count_entries(dir), 0);
	/* A closed directory of its own inside the open one is no better. */
	bprintf(sec, sizeof sec, "%s/k", link);
	run(fx, (const char *const[]){ "lkey-keygen", "init", "--out", sec,
	    "--no-passphrase", NULL }, NULL, 0, &r);
	bprintf(want, sizeof want, "lkey-keygen: %s: the directory %s above "
	    "it is writable by group and others (mode 0777), who could move "
	    "the key files away; run: chmod go-w %s\n", sec, real, real);
	expect_run(&r, 1, "", want);
	assert_int_equal(count_entries(dir), 0);

	assert_int_equal(chmod(dir, 0700), 0);
	run(fx, (const char *const[]){ "lkey-keygen", "init", "--out", link,
	    "--no-passphrase", NULL }, NULL, 0, &r);
	assert_int_equal(r.code, 0);
	bprintf(sec, sizeof sec, "%s/vendor.sec", link);
	assert_int_equal(chmod(sec, 0644), 0);
	run(fx, (const char *const[]){ "lkey-keygen", "issue", "--secret", sec,
	    "--no-ledger", "--product", "1", "--edition", "1", "--seats", "1",
	    "--expires", "never", "--maintenance", "never", NULL }, NULL, 0,
	    &r);
	bprintf(want, sizeof want, "lkey-keygen: %s: readable by group and "
	    "others (mode 0644); run: chmod 600 %s\n", sec, sec);
	expect_run(&r, 1, "", want);
}

/*
 * A running lkey-keygen batch, reading its orders from a pipe we hold
 * open, no longer has the passphrase in its environment as /proc shows it:
 * it was copied to secure memory and wiped where it lay. The process is
 * non-dumpable, so as another user than root reading its environ may fail
 * outright (EACCES), which is as good; its /proc files are then root's.
 */
/*
 * Whether this test runs under valgrind (make test-valgrind), which then
 * runs lkey-keygen too: the environment /proc shows is then valgrind's
 * own, from before the program started, which the program never sees.
 */
static bool
under_valgrind(void)
{
	/* Valgrind preloads its own library into the program it runs. */
	const char *pre = getenv("LD_PRELOAD");

	return pre != NULL && strstr(pre, "vgpreload") != NULL;
}

static void
test_passphrase_leaves_environ(void **state)
{
#ifdef __linux__
	static const char pass[] = "environ-wipe-s3cret-7Qx";
	static const char order[] = "{\"product\":1,\"edition\":1,\"seats\":1,"
	    "\"expires\":\"never\",\"maintenance\":\"never\"}\n";
	struct fx *fx = *state;
	lkey_vendor_key key;
	struct pollfd pfd;
	struct stat st;
	char sec[4200], prog[4200], path[64], env[65536], out[4096];
	size_t n = 0, envlen = 0;
	ssize_t got;
	pid_t pid;
	int in[2], outp[2], status, fd;

	if (under_valgrind()) {
		print_message("under valgrind /proc shows valgrind's own "
		    "environment, not the program's\n");
		skip();
	}
	init_key(fx, 50, pass, &key, sec);
	bprintf(prog, sizeof prog, "%s/lkey-keygen", fx->bindir);
	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(outp), 0);
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		(void)setsid();
		(void)dup2(in[0], 0);
		(void)dup2(outp[1], 1);
		(void)close(in[0]);
		(void)close(in[1]);
		(void)close(outp[0]);
		(void)close(outp[1]);
		(void)setenv("LKEY_PASSPHRASE", pass, 1);
		(void)execl(prog, prog, "batch", "--secret", sec, "--no-ledger",
		    "--format", "json", "-", (char *)NULL);
		_exit(127);
	}
	(void)close(in[0]);
	(void)close(outp[1]);
	assert_int_equal(write(in[1], order, sizeof order - 1),
	    (ssize_t)(sizeof order - 1));
	/* The first key: the passphrase has been taken and used. */
	while (memchr(out, '\n', n) == NULL) {
		pfd.fd = outp[0];
		pfd.events = POLLIN;
		if (poll(&pfd, 1, RUN_TIMEOUT_MS) != 1) {
			(void)kill(pid, SIGKILL);
			fail_msg("lkey-keygen batch printed no key");
		}
		got = read(outp[0], out + n, sizeof out - 1 - n);
		if (got <= 0)
			fail_msg("lkey-keygen batch ended before its first key");
		n += (size_t)got;
	}

	bprintf(path, sizeof path, "/proc/%ld/environ", (long)pid);
	if ((fd = open(path, O_RDONLY)) != -1) {
		while ((got = read(fd, env + envlen, sizeof env - envlen)) > 0)
			envlen += (size_t)got;
		(void)close(fd);
		assert_false(contains((const uint8_t *)env, envlen,
		    (const uint8_t *)pass, strlen(pass)));
	} else
		assert_true(errno == EACCES || errno == EPERM);
	/* Non-dumpable: its /proc files belong to root (we may be root). */
	bprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_uid, 0);

	(void)close(in[1]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	(void)close(outp[0]);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
#else
	(void)state;
	skip();
#endif
}

/*
 * passphrase_take_env: the value moves to secure memory, its bytes in the
 * environment are zeroed and the variable is unset; passphrase_env and
 * passphrase_env_set then answer from the copy.
 */
static void
test_passphrase_take_env(void **state)
{
	char buf[64], err[ERRCAP];
	char *env;

	(void)state;
	assert_int_equal(setenv("LKEY_PASSPHRASE", "take-me", 1), 0);
	assert_int_equal(unsetenv("LKEY_NEW_PASSPHRASE"), 0);
	env = getenv("LKEY_PASSPHRASE");
	assert_non_null(env);
	assert_int_equal(passphrase_take_env(err, sizeof err), 0);
	assert_true(is_zero(env, strlen("take-me")));
	assert_null(getenv("LKEY_PASSPHRASE"));
	assert_true(passphrase_env_set("LKEY_PASSPHRASE"));
	assert_false(passphrase_env_set("LKEY_NEW_PASSPHRASE"));
	assert_int_equal(passphrase_env("LKEY_PASSPHRASE", buf, sizeof buf,
	    err, sizeof err), 0);
	assert_string_equal(buf, "take-me");
	assert_int_equal(passphrase_env("LKEY_NEW_PASSPHRASE", buf, sizeof buf,
	    err, sizeof err), 1);
	/* Once only: what is set later is not taken. */
	assert_int_equal(setenv("LKEY_NEW_PASSPHRASE", "later", 1), 0);
	assert_int_equal(passphrase_take_env(err, sizeof err), 0);
	assert_false(passphrase_env_set("LKEY_NEW_PASSPHRASE"));
	assert_int_equal(unsetenv("LKEY_NEW_PASSPHRASE"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_plain_roundtrip),
		T(test_encrypted_roundtrip),
		T(test_crafted_file_loads),
		T(test_documented_vector),
		T(test_modes_despite_umask),
		T(test_refuses_existing_sec),
		T(test_refuses_existing_pub),
		T(test_refuses_dangling_symlink),
		T(test_init_twice),
		T(test_init_directory),
		T(test_init_refuses_bad_input),
		T(test_wrong_passphrase),
		T(test_passphrase_from_env),
		T(test_no_passphrase_source),
		/* Before the tamper loops: without the limit check they hang. */
		T(test_unreasonable_limits),
		T(test_tamper_plain_every_char),
		T(test_tamper_sealed_every_char),
		T(test_tamper_sealed_sample),
		T(test_truncated),
		T(test_not_one_key_line),
		T(test_size_bound),
		T(test_symlink_refused),
		T(test_parts_do_not_match),
		T(test_structure),
		T(test_passwd_roundtrip),
		T(test_passwd_plain_and_back),
		T(test_passwd_wrong_old),
		T(test_passwd_refuses),
		T(test_passwd_mode),
		T(test_new_passphrase_source),
		T(test_passphrase_strength),
		T(test_new_passphrase_strength),
		T(test_passwd_cli),
		T(test_init_strength_cli),
		T(test_custody_file_modes),
		T(test_custody_directory),
		T(test_custody_ancestors),
		T(test_custody_owners),
		T(test_custody_demo_exempt),
		T(test_custody_cli),
		T(test_passphrase_leaves_environ),
#undef T
		/* Last: it changes how every later passphrase is found. */
		cmocka_unit_test(test_passphrase_take_env),
	};

	if (sodium_init() < 0)
		return 1;
	/* Keeps Argon2id cheap; see keyfile.c. */
	if (setenv("LKEY_PWHASH_INTERACTIVE", "1", 1) != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * seckey.h - the secret key file format "lkS1": its text, its blob and the
 * sealing of the seed under a passphrase (internal, vendor side only;
 * layout in seckey.c and docs/KEYFILES.md)
 *
 * The structures here hold secrets: keep them in sodium_malloc memory, so
 * that sodium_free wipes them on every path.
 */
#ifndef LKEY_SECKEY_H
#define LKEY_SECKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "keyfile.h"
#include "lkey_vendor.h"

/* The key-derivation method of a file. */
#define SECKEY_KDF_NONE 0U
#define SECKEY_KDF_ARGON2ID 1U

#define SECKEY_KEK_BYTES 32U
/* A blob: the header, then the seed, sealed (with its tag) or not. */
#define SECKEY_HDR_BYTES 97U
#define SECKEY_SEALED_BYTES (SECKEY_HDR_BYTES + LKEY_SEEDBYTES + 16U)
/* Room for whatever the decoder can produce from a bounded file. */
#define SECKEY_DECODE_CAP (LKEY_TEXT_MAX / 4U * 3U)
/* The text of a new file: comment line, base64 line, newlines, NUL. */
#define SECKEY_TEXT_CAP 512U

/* A secret key file as read: its text, its blob and what its header says. */
typedef struct seckey_file {
	char text[KEYFILE_SEC_MAX + 1];
	uint8_t blob[SECKEY_DECODE_CAP];
	unsigned kdf;			/* SECKEY_KDF_* */
	uint64_t ops, mem;		/* key-derivation limits (kdf 1) */
	uint32_t id;			/* the key id the header gives */
	uint8_t pk[LKEY_PUBLICKEYBYTES];	/* the public key it holds */
	uint8_t kek[SECKEY_KEK_BYTES];	/* scratch of seckey_unseal */
} seckey_file;

/* A new secret key file being made: the blob, its text, and scratch. */
typedef struct seckey_new {
	uint8_t sk[LKEY_SECRETKEYBYTES];	/* derived, to check the key */
	uint8_t kek[SECKEY_KEK_BYTES];
	uint8_t blob[SECKEY_SEALED_BYTES];
	char text[SECKEY_TEXT_CAP];
	size_t len;			/* bytes of text */
} seckey_new;

/*
 * Checks the text of a secret key file (len bytes, text[len] a NUL) and
 * decodes its blob into f, touching nothing secret yet: no NUL byte,
 * exactly one line of canonical base64 besides comments and blank lines,
 * the magic, a known kdf and the exact length for it, all-zero kdf fields
 * when not encrypted. Returns 0, or -1 with why the file is not one in
 * why: "" or " (NUL byte)", " (wrong length)", ...
 */
int seckey_parse(const char *text, size_t len, seckey_file *f, char *why,
    size_t whycap);

/*
 * Reads the secret key file at `path` (bounded, O_NOFOLLOW) into f->text
 * and seckey_parses it; refuses, unless it is the demo key itself
 * (unencrypted, its seed giving the demo public key), a file group or
 * others may use or another user owns, or in a directory they may write or
 * own or below one (custody_secret_ok). Returns 0, or -1 with one line
 * in err ("PATH: not an lkey secret key file (wrong length)", "PATH:
 * readable by group and others (mode 0644); run: chmod 600 PATH").
 */
int seckey_read(const char *path, seckey_file *f, char *err, size_t errcap);

/* Key-derivation limits a file may ask of us: refused past them. */
bool seckey_limits_ok(uint64_t ops, uint64_t mem);

/*
 * The seed of a parsed file into seed: as it is, or decrypted under
 * `passphrase` with f's limits (which the caller checked). Returns 0, -1
 * if key derivation failed (out of memory), -2 for a wrong passphrase or
 * a damaged file, which cannot be told apart.
 */
int seckey_unseal(seckey_file *f, const char *passphrase,
    uint8_t seed[LKEY_SEEDBYTES]);

/*
 * Whether the seed gives the public key pk and pk the key id `id`; the
 * secret key derived from the seed goes to sk.
 */
bool seckey_matches(const uint8_t seed[LKEY_SEEDBYTES],
    uint8_t sk[LKEY_SECRETKEYBYTES], const uint8_t pk[LKEY_PUBLICKEYBYTES],
    uint32_t id);

/*
 * The blob and text of a new secret key file for key into s: encrypted
 * under `passphrase` with a fresh salt and nonce and the current limits,
 * or not encrypted with passphrase NULL. Returns 0, or -1 with one line
 * in err.
 */
int seckey_seal(const lkey_vendor_key *key, const char *passphrase,
    seckey_new *s, char *err, size_t errcap);

#endif

/*
 * targets.h - fuzz targets: one per parser of outside input (README.md)
 *
 * A target feeds its bytes to a parser and checks what is cheap to check
 * about the result: a refusal leaves its output zeroed, an acceptance is
 * consistent with itself and survives a round trip. It returns 0 whatever
 * the input; a broken invariant calls fuzz_fail, which the harness defines:
 * libfuzzer.c aborts (libFuzzer keeps the input), test_corpus.c fails the
 * cmocka test naming the corpus file.
 *
 * Targets print nothing, leak nothing and keep no state that changes from
 * one input to the next; what they set up once (a scratch file, a parsed
 * catalog) is the same for every input.
 */
#ifndef LKEY_FUZZ_TARGETS_H
#define LKEY_FUZZ_TARGETS_H

#include <stddef.h>
#include <stdint.h>

/* Every target, for the corpus replay: X(name) per fz_<name>.c. */
#define FUZZ_TARGET_LIST(X) \
	X(key) \
	X(pubkey) \
	X(catalog) \
	X(orders) \
	X(secretkey) \
	X(ledger) \
	X(state) \
	X(revocations) \
	X(store) \
	X(json) \
	X(paste)

/* Licence key text: lkey_decode, lkey__wire_parse, lkey_check (fz_key.c). */
int fuzz_key(const uint8_t *data, size_t size);
/* Public key files and key rings (fz_pubkey.c). */
int fuzz_pubkey(const uint8_t *data, size_t size);
/* Catalog files (fz_catalog.c). */
int fuzz_catalog(const uint8_t *data, size_t size);
/* Batch orders, CSV and JSON lines, and one JSON line (fz_orders.c). */
int fuzz_orders(const uint8_t *data, size_t size);
/* Secret key files (fz_secretkey.c). */
int fuzz_secretkey(const uint8_t *data, size_t size);
/* The issuance ledger (fz_ledger.c). */
int fuzz_ledger(const uint8_t *data, size_t size);
/* Clock guard state files (fz_state.c). */
int fuzz_state(const uint8_t *data, size_t size);
/* Revocation lists, as text and as signed bytes (fz_revocations.c). */
int fuzz_revocations(const uint8_t *data, size_t size);

/* The licence store's licence.keys: lkey__store_keys_parse (fz_store.c). */
int fuzz_store(const uint8_t *data, size_t size);

/* Any JSON text, nested or one line: jsonline_read (fz_json.c). */
int fuzz_json(const uint8_t *data, size_t size);
/* Pasted text: lkey_key_find, lkey_detail_text, lkey_verify
 * (fz_paste.c). */
int fuzz_paste(const uint8_t *data, size_t size);

/* Reports a broken invariant; does not return. */
void fuzz_fail(const char *file, int line, const char *what)
    __attribute__((noreturn));

#define FUZZ_CHECK(cond) \
	do { \
		if (!(cond)) \
			fuzz_fail(__FILE__, __LINE__, #cond); \
	} while (0)

/*
 * For targets whose parser reads a file by name: the path of this
 * process's scratch file `name` in a private directory (mkdtemp under
 * $TMPDIR or /tmp, made on first use and removed at exit), or NULL if it
 * cannot be made. The same path for the same name every time.
 */
const char *fuzz_scratch_path(const char *name);

/* Replaces the scratch file's content with size bytes; 0 or -1. */
int fuzz_scratch_write(const char *path, const uint8_t *data, size_t size);

/* Whether len bytes at p are all zero: the fail-closed check. */
static inline int
fuzz_all_zero(const void *p, size_t len)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] != 0)
			return 0;
	return 1;
}

#endif

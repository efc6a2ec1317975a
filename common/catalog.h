/* catalog.h - vendor names for products, editions and features (internal) */
#ifndef LKEY_CATALOG_H
#define LKEY_CATALOG_H

/*
 * Shared by lkey-keygen and lkey-verify; not part of liblkey. No heap, no
 * global state. The file format is in docs/CATALOG.md. A catalog is about
 * 20 KiB: keep it static or on the heap, not on a small stack.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CATALOG_NAME_MAX 32		/* characters in a name, without NUL */
#define CATALOG_ENTRIES_MAX 512		/* entries of all kinds together */
#define CATALOG_FILE_MAX 65536		/* bytes in a catalog file */
#define CATALOG_LINE_MAX 256		/* bytes in a line, without its end */
/* Room for any catalog_features_format result, NUL included. */
#define CATALOG_FEATURES_TEXT_MAX (32 * (CATALOG_NAME_MAX + 1))

typedef enum catalog_kind {
	CATALOG_PRODUCT,	/* 1..65535 */
	CATALOG_EDITION,	/* 0..255 */
	CATALOG_FEATURE		/* bit number 0..31 */
} catalog_kind;

typedef struct catalog_entry {
	catalog_kind kind;
	uint32_t value;
	char name[CATALOG_NAME_MAX + 1];
	/* Features only: runs only while maintenance is active. */
	bool needs_maintenance;
} catalog_entry;

typedef struct catalog {
	size_t n;
	catalog_entry entry[CATALOG_ENTRIES_MAX];
} catalog;

/*
 * Parses catalog text (NUL bytes inside are an error, not an end). Returns 0,
 * or -1 with "line N: ..." in err and *out emptied.
 */
int catalog_parse(const char *text, size_t len, catalog *out, char *err,
    size_t errcap);

/*
 * Reads (at most CATALOG_FILE_MAX bytes; "-" is standard input) and parses a
 * file. Returns 0, or -1 with "PATH: ..." in err and *out emptied.
 */
int catalog_load(const char *path, catalog *out, char *err, size_t errcap);

/*
 * A catalog name or a plain decimal number for `kind`, range-checked; cat
 * may be NULL (numbers only). Returns 0, or -1 with the reason in err
 * ("unknown edition 'gold'") and *value = 0.
 */
int catalog_lookup(const catalog *cat, catalog_kind kind, const char *text,
    uint32_t *value, char *err, size_t errcap);

/*
 * Whether lkey-keygen may issue `value` of `kind` by the catalog: a
 * catalog that names any entry of a kind is the vendor's list of that
 * kind, so a number of it that the catalog does not name is refused (a
 * typo, or an edition nobody sells). A kind the catalog has no line for,
 * and every kind without a catalog (cat NULL), takes any number. 0, or -1
 * with "the catalog has no edition 0 (its editions: basic 1, professional
 * 2, enterprise 3)" in err.
 */
int catalog_named(const catalog *cat, catalog_kind kind, uint32_t value,
    char *err, size_t errcap);

/* The catalog name of a value, or NULL. cat may be NULL. */
const char *catalog_name(const catalog *cat, catalog_kind kind,
    uint32_t value);

/*
 * A comma-separated feature list ("desktop,reports,7") to bits. The empty
 * string is no features. Empty items, spaces and a feature given twice are
 * errors. Returns 0, or -1 with the reason in err and *bits = 0.
 */
int catalog_features(const catalog *cat, const char *list, uint32_t *bits,
    char *err, size_t errcap);

/*
 * Writes the features of `bits` as "desktop,reports,7" (catalog names where
 * known, bit numbers else), lowest bit first, NUL-terminated. Returns the
 * length; 0 and "" for no features or when cap is too small (see
 * CATALOG_FEATURES_TEXT_MAX).
 */
size_t catalog_features_format(const catalog *cat, uint32_t bits, char *out,
    size_t cap);

/*
 * The features marked `maintenance` as bits (bit n: feature n), for
 * lkey_context.maintenance_features. 0 when cat is NULL.
 */
uint32_t catalog_maintenance_features(const catalog *cat);

/* "product", "edition" or "feature". */
const char *catalog_kind_name(catalog_kind kind);

#endif

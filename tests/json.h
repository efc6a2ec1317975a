/*
 * json.h - JSON texts as the tests read them: the test vector files,
 * lkey-verify's --json output, ledger lines (test code).
 *
 * json_load parses a whole file (at most JSON_MAX_BYTES) into a flat array of
 * values; a value is named by its index (a size_t), JSON_NONE meaning "none".
 * The reader is the programs' own (jsonline_read, common/jsonline.h), with
 * its rules: strings unescaped once, at load, every \uXXXX to UTF-8; a raw
 * control character, \u0000, a lone surrogate, text that is not UTF-8 and
 * a name given twice in one object refused rather than mis-read.
 *
 * Malformed JSON, and asking for a member or type that is not there, fail
 * the running cmocka test: a vector file is never skipped silently. Getters
 * that tolerate absence are named json_find / json_has.
 *
 *	json_doc *d = json_load(vector_path("wycheproof_ed25519_test.json"));
 *	size_t groups = json_get_array(d, json_root(d), "testGroups"), g, t;
 *	JSON_FOR_EACH(d, groups, g) {
 *		const char *pk = json_get_string(d,
 *		    json_get_object(d, g, "publicKey"), "pk");
 *		JSON_FOR_EACH(d, json_get_array(d, g, "tests"), t)
 *			... json_get_string(d, t, "sig") ...
 *	}
 *	json_free(d);
 */
#ifndef LKEY_TEST_JSON_H
#define LKEY_TEST_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_BYTES (4U * 1024U * 1024U)
#define JSON_MAX_DEPTH 64U
#define JSON_NONE ((size_t)-1)

typedef enum json_type {
	JSON_NULL,
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT
} json_type;

typedef struct json_doc json_doc;

/* Reads and parses a file; fails the test if it cannot. Free with json_free. */
json_doc *json_load(const char *path);
/* Parses len bytes of text (copied); `name` is used in messages. */
json_doc *json_parse(const char *text, size_t len, const char *name);
/* Like json_parse, but returns NULL on malformed JSON instead of failing. */
json_doc *json_try_parse(const char *text, size_t len, const char *name);
void json_free(json_doc *doc);

/* The top-level value. */
size_t json_root(const json_doc *doc);
json_type json_type_of(const json_doc *doc, size_t v);

/* Elements of an array, members of an object. */
size_t json_count(const json_doc *doc, size_t v);
/* Iteration over an array's elements: first, then next until JSON_NONE. */
size_t json_first(const json_doc *doc, size_t arr);
size_t json_next(const json_doc *doc, size_t arr, size_t elem);
#define JSON_FOR_EACH(doc, arr, e) \
	for ((e) = json_first((doc), (arr)); (e) != JSON_NONE; \
	    (e) = json_next((doc), (arr), (e)))
/* Element i of an array. */
size_t json_at(const json_doc *doc, size_t arr, size_t i);

/* Member of an object by name, or JSON_NONE (a name is never repeated:
 * the reader refuses that). */
size_t json_find(const json_doc *doc, size_t obj, const char *name);
bool json_has(const json_doc *doc, size_t obj, const char *name);

/* A value of the given type, else the test fails. len may be NULL. */
const char *json_string(const json_doc *doc, size_t v, size_t *len);
bool json_bool(const json_doc *doc, size_t v);
bool json_is_null(const json_doc *doc, size_t v);
/* An integer (no fraction, no exponent) that fits int64_t. */
int64_t json_int(const json_doc *doc, size_t v);

/* The same for a member that must be present. */
const char *json_get_string(const json_doc *doc, size_t obj, const char *name);
bool json_get_bool(const json_doc *doc, size_t obj, const char *name);
bool json_get_is_null(const json_doc *doc, size_t obj, const char *name);
int64_t json_get_int(const json_doc *doc, size_t obj, const char *name);
size_t json_get_array(const json_doc *doc, size_t obj, const char *name);
size_t json_get_object(const json_doc *doc, size_t obj, const char *name);

/*
 * Value v as compact text for comparisons in tests: strings in single
 * quotes, unescaped; arrays [a,b]; objects {name:value,...} in document
 * order; numbers and literals as written. Fails the test if it does not
 * fit in cap bytes.
 */
void json_render(const json_doc *doc, size_t v, char *out, size_t cap);

#endif

/*
 * jsonline.h - one flat JSON object per line (internal)
 *
 * For line-oriented files that people and programs both write: orders read
 * by `lkey-keygen batch` and the issuance ledger. An object holds strings,
 * numbers, true, false and null; nothing nested. No heap, no global state:
 * every function is reentrant.
 */
#ifndef LKEY_JSONLINE_H
#define LKEY_JSONLINE_H

#include <stddef.h>

#define JSONLINE_FIELDS_MAX 32

typedef enum jl_type {
	JL_STRING, JL_NUMBER, JL_TRUE, JL_FALSE, JL_NULL
} jl_type;

typedef struct jl_field {
	const char *name;	/* unescaped, NUL-terminated, in buf */
	jl_type type;
	/*
	 * JL_STRING: unescaped UTF-8, NUL-terminated, in buf (never holds a
	 * NUL byte: \u0000 is refused); JL_NUMBER: its text as written,
	 * NUL-terminated, in buf; else "".
	 */
	const char *value;
	size_t len;		/* bytes of value */
} jl_field;

typedef struct jl_object {
	size_t n;
	jl_field f[JSONLINE_FIELDS_MAX];
} jl_object;

/*
 * Parses one line (len bytes, no newline; a trailing '\r' is not allowed
 * here: the caller strips line ends) holding one JSON object whose values
 * are strings, numbers, true, false or null. Strict RFC 8259: whitespace
 * only where JSON allows it (space and tab; CR and LF, which cannot be part
 * of a line, are refused), every escape including \uXXXX with surrogate
 * pairs to UTF-8 (lone surrogates and \u0000 refused), raw control
 * characters refused, invalid UTF-8 (overlong forms, encoded surrogates,
 * past U+10FFFF) refused, duplicate names refused, numbers per the JSON
 * grammar. Names and values are written into buf; cap >= len + 1 is always
 * enough. Returns 0, or -1 with one phrase in err ("column 17: expected
 * ':'", "not a JSON object", "duplicate name \"seats\"", "more than 32
 * fields", "column 7: nested values are not supported"; columns count
 * bytes from 1) and out->n = 0. err may be NULL.
 */
int jsonline_parse(const char *line, size_t len, char *buf, size_t cap,
    jl_object *out, char *err, size_t errcap);

/* The field called `name`, or NULL. */
const jl_field *jsonline_get(const jl_object *o, const char *name);

/*
 * Writes s (len bytes of UTF-8) as a JSON string with its quotes, escaping
 * '"', '\' and control characters (\n \r \t \b \f; the others, DEL and
 * U+0080..U+009F as \u00XX), then a NUL. Returns the bytes written without
 * the NUL, or 0 (and out[0] = '\0' when cap > 0) if that and the NUL do not
 * fit in cap or s is not valid UTF-8. A NUL byte in s becomes \u0000, which
 * jsonline_parse refuses.
 */
size_t jsonline_quote(const char *s, size_t len, char *out, size_t cap);

#endif

/*
 * jsonline.h - JSON read by one strict reader: any JSON text into a
 * caller's array of tokens, and on top of it one flat object per line
 * (internal; not part of liblkey)
 *
 * The flat objects are the line-oriented files that people and programs
 * both write: orders read by `lkey-keygen batch` and the issuance ledger.
 * The tests read lkey-verify's --json output and the public test vectors
 * with the same reader. No heap, no global state: every function is
 * reentrant.
 */
#ifndef LKEY_JSONLINE_H
#define LKEY_JSONLINE_H

#include <stdbool.h>
#include <stddef.h>

#define JSONLINE_FIELDS_MAX 32

/* What a field of a flat object holds. */
typedef enum jl_type {
	JL_STRING, JL_NUMBER, JL_TRUE, JL_FALSE, JL_NULL
} jl_type;

/* What else a token can hold. */
#define JL_OBJECT 5
#define JL_ARRAY 6

/*
 * One value of a JSON text. The values of a text are its tokens in the
 * order they begin: an object or an array is followed by everything inside
 * it, each member or element followed in turn by what is inside it.
 */
typedef struct jl_token {
	int type;		/* a jl_type, JL_OBJECT or JL_ARRAY */
	/* A member of an object: its name, unescaped, NUL-terminated, in buf.
	 * An element of an array, or the whole text's value: NULL. */
	const char *name;
	/*
	 * JL_STRING: unescaped UTF-8, NUL-terminated, in buf (never holds a
	 * NUL byte: \u0000 is refused); JL_NUMBER: its text as written,
	 * NUL-terminated, in buf; else "".
	 */
	const char *value;
	size_t len;		/* bytes of value */
	size_t count;		/* members of an object, elements of an array */
	size_t end;		/* index of the first token after this value and
				 * everything inside it */
} jl_token;

/* How jsonline_read reads a text. */
typedef struct jl_rules {
	unsigned depth;		/* objects and arrays open at once, at most:
				 * 1 is a flat object or array */
	bool line;		/* the text is one line: only space and tab are
				 * whitespace (CR and LF are not: the caller
				 * strips line ends) */
} jl_rules;

/* Why jsonline_read refused a text. */
typedef enum jl_fault {
	JL_SYNTAX = 1,		/* not JSON by these rules (or no room in buf) */
	JL_DUPLICATE,		/* one name twice in an object */
	JL_TOKENS,		/* more values than tokens */
	JL_DEPTH		/* nested deeper than the rules allow */
} jl_fault;

typedef struct jl_error {
	jl_fault fault;
	size_t at;		/* the byte of the text it is about, from 0 */
	/* The name of the member of the outermost object whose value holds
	 * the fault (in the caller's buf), so that a message can name the
	 * field; NULL when the fault is in no member's value. */
	const char *member;
	char what[320];		/* one phrase: "expected ':'", "duplicate name
				 * \"seats\"" */
} jl_error;

/*
 * Reads text (len bytes) holding one JSON value into tok (at most ntok
 * tokens). Strict RFC 8259: whitespace only where JSON allows it, every
 * escape including \uXXXX with surrogate pairs to UTF-8 (lone surrogates
 * and \u0000 refused), raw control characters refused, invalid UTF-8
 * (overlong forms, encoded surrogates, past U+10FFFF; utf8.h) refused,
 * numbers per the JSON grammar, and a name given twice in one object
 * refused, so that no two readers can take a text two ways. Names,
 * strings and numbers are written into buf; cap >= len + 1 is always
 * enough, and so is ntok >= (len + 1) / 2. Checking names against each
 * other costs time in the square of an object's members.
 *
 * Returns the number of tokens (1 or more), or 0 with err filled in.
 */
size_t jsonline_read(const char *text, size_t len, const jl_rules *rules,
    jl_token *tok, size_t ntok, char *buf, size_t cap, jl_error *err);

typedef struct jl_field {
	const char *name;	/* unescaped, NUL-terminated, in buf */
	jl_type type;
	const char *value;	/* as jl_token's */
	size_t len;		/* bytes of value */
} jl_field;

typedef struct jl_object {
	size_t n;
	jl_field f[JSONLINE_FIELDS_MAX];
} jl_object;

/*
 * Parses one line (len bytes, no newline; a trailing '\r' is not allowed
 * here: the caller strips line ends) holding one JSON object whose values
 * are strings, numbers, true, false or null: jsonline_read's rules for one
 * line, with nothing nested. Names and values are written into buf; cap >=
 * len + 1 is always enough. Returns 0, or -1 with one phrase in err
 * ("column 17: expected ':'", "not a JSON object", "duplicate name
 * \"seats\"", "more than 32 fields", "column 7: nested values are not
 * supported"; columns count bytes from 1) and out->n = 0. err may be NULL.
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

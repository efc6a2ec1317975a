/*
 * jsonout.h - JSON text written into a caller's buffer: objects and arrays
 * nested, fields by name, the commas put in by the writer (internal; not
 * part of liblkey)
 *
 * No heap, no global state, nothing printed. Every call after a failure
 * writes nothing more; the failure is sticky and jsonout_finish reports it,
 * so a caller writes a whole object and checks once:
 *
 *	jsonout j;
 *
 *	jsonout_init(&j, buf, sizeof buf);
 *	jsonout_object(&j, NULL);
 *	jsonout_str(&j, "status", "valid");
 *	jsonout_uint(&j, "seats", 25);
 *	jsonout_day(&j, "expires", lic.expires);
 *	jsonout_array(&j, "features");
 *	jsonout_str(&j, NULL, "payroll");
 *	jsonout_close(&j);
 *	jsonout_close(&j);
 *	if (jsonout_finish(&j) == 0)
 *		... too small, or a string was not UTF-8 ...
 *
 * Strings (values and names alike) are escaped as RFC 8259 asks and more:
 * '"', '\' and every control character, DEL and U+0080..U+009F (C1)
 * included, as \n \r \t \b \f or \u00XX, so that a value shown on a
 * terminal cannot carry ESC or CSI to it. A string that is not UTF-8 (an
 * overlong form, a surrogate, past U+10FFFF, cut short) is refused, not
 * passed on to make a line nobody can read. A NUL byte is written \u0000.
 */
#ifndef LKEY_JSONOUT_H
#define LKEY_JSONOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lkey.h"

/* Objects and arrays open at once, at most. */
#define JSONOUT_DEPTH_MAX 8

/* What went wrong, as bits of jsonout.err. */
#define JSONOUT_ERR_ROOM 1U	/* the buffer is too small */
#define JSONOUT_ERR_TEXT 2U	/* a string or a name is not UTF-8 */
#define JSONOUT_ERR_NEST 4U	/* a name where none belongs, or none where
				 * one does, too deep, or closed too often */

/* Members are private but for err. */
typedef struct jsonout {
	char *buf;
	size_t cap;
	size_t len;
	unsigned err;		/* JSONOUT_ERR_* bits, 0 while all is well */
	unsigned depth;		/* objects and arrays open */
	bool object[JSONOUT_DEPTH_MAX + 1];	/* level n is an object */
	bool more[JSONOUT_DEPTH_MAX + 1];	/* level n has a value */
} jsonout;

/*
 * Starts writing into buf (cap bytes, one of them kept for the NUL that
 * jsonout_finish puts after the text). The text is one value: at the top
 * level a value takes no name.
 */
void jsonout_init(jsonout *j, char *buf, size_t cap);

/*
 * Each writes one value: a field called `name` inside an object, or an
 * element (name NULL) inside an array or at the top level. An object or
 * an array is opened, filled with values and closed with jsonout_close.
 */
void jsonout_object(jsonout *j, const char *name);
void jsonout_array(jsonout *j, const char *name);
void jsonout_close(jsonout *j);
void jsonout_str(jsonout *j, const char *name, const char *s);
void jsonout_strn(jsonout *j, const char *name, const char *s, size_t len);
void jsonout_uint(jsonout *j, const char *name, uint64_t v);
void jsonout_int(jsonout *j, const char *name, int64_t v);
void jsonout_bool(jsonout *j, const char *name, bool v);
void jsonout_null(jsonout *j, const char *name);
/* A day as "YYYY-MM-DD", or "never" (lkey_day_format). */
void jsonout_day(jsonout *j, const char *name, lkey_day day);

/*
 * The length of the text (a NUL follows it in buf), or 0 if anything
 * failed or an object or array is still open: then buf holds "" (when cap
 * is not 0) and j->err says why.
 */
size_t jsonout_finish(jsonout *j);

#endif

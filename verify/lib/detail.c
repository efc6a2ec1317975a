/*
 * detail.c - what a person is told about a key text that was refused
 *
 * One line: what is wrong, where (a character position, counted from 1 as
 * a person counts, and the line on text of several lines), and what to do.
 * A stray character is named as a person sees it: "'-' (hyphen)" for
 * ASCII, the Unicode name for the characters that word processors and
 * mail programs really put into pasted text ("U+00A0 NO-BREAK SPACE"),
 * else its code point; a byte that is not UTF-8 by its value. No
 * allocation; the caller's buffer is filled with snprintf and always
 * NUL-terminated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"

/* The length snprintf needed, never negative. */
static size_t
detail_put(int n)
{
	return n < 0 ? 0 : (size_t)n;
}

/*
 * Names of ASCII punctuation, each entry the character then its name, and
 * of the characters pasted text brings, each entry four hex digits then
 * the name: one string per list (see status.c), ended by an empty entry.
 */
static const char ascii_names[] = "!exclamation mark\0\"quotation mark\0"
    "#number sign\0$dollar sign\0%percent sign\0&ampersand\0'apostrophe\0"
    "(left parenthesis\0)right parenthesis\0*asterisk\0,comma\0-hyphen\0"
    ".full stop\0:colon\0;semicolon\0<less-than sign\0>greater-than sign\0"
    "?question mark\0@at sign\0[left square bracket\0\\backslash\0"
    "]right square bracket\0^circumflex accent\0_underscore\0"
    "`grave accent\0{left curly bracket\0|vertical line\0"
    "}right curly bracket\0~tilde\0";
/* One literal per entry: a hex digit after "\0" would extend the escape. */
static const char unicode_names[] =
    "0000NULL\0"
    "001BESCAPE\0"
    "007FDELETE\0"
    "00A0NO-BREAK SPACE\0"
    "00ABLEFT-POINTING DOUBLE ANGLE QUOTATION MARK\0"
    "00ADSOFT HYPHEN\0"
    "00B7MIDDLE DOT\0"
    "00BBRIGHT-POINTING DOUBLE ANGLE QUOTATION MARK\0"
    "2007FIGURE SPACE\0"
    "2009THIN SPACE\0"
    "200BZERO WIDTH SPACE\0"
    "200CZERO WIDTH NON-JOINER\0"
    "200DZERO WIDTH JOINER\0"
    "200ELEFT-TO-RIGHT MARK\0"
    "200FRIGHT-TO-LEFT MARK\0"
    "2010HYPHEN\0"
    "2011NON-BREAKING HYPHEN\0"
    "2012FIGURE DASH\0"
    "2013EN DASH\0"
    "2014EM DASH\0"
    "2018LEFT SINGLE QUOTATION MARK\0"
    "2019RIGHT SINGLE QUOTATION MARK\0"
    "201CLEFT DOUBLE QUOTATION MARK\0"
    "201DRIGHT DOUBLE QUOTATION MARK\0"
    "201EDOUBLE LOW-9 QUOTATION MARK\0"
    "2022BULLET\0"
    "2026HORIZONTAL ELLIPSIS\0"
    "2028LINE SEPARATOR\0"
    "2029PARAGRAPH SEPARATOR\0"
    "202FNARROW NO-BREAK SPACE\0"
    "2060WORD JOINER\0"
    "2212MINUS SIGN\0"
    "3000IDEOGRAPHIC SPACE\0"
    "FEFFZERO WIDTH NO-BREAK SPACE (a byte order mark)\0"
    "FFFDREPLACEMENT CHARACTER\0";

/* The name of ASCII character c, or NULL. */
static const char *
detail_ascii_name(uint32_t c)
{
	const char *p;

	for (p = ascii_names; *p != '\0'; p += strlen(p) + 1U)
		if ((unsigned char)p[0] == c)
			return p + 1;
	return NULL;
}

/* The Unicode name of cp, or NULL. */
static const char *
detail_unicode_name(uint32_t cp)
{
	char hex[5];
	const char *p;

	for (p = unicode_names; *p != '\0'; p += strlen(p) + 1U) {
		memcpy(hex, p, 4);
		hex[4] = '\0';
		if (strtoul(hex, NULL, 16) == cp)
			return p + 4;
	}
	return NULL;
}

/* The character as a person sees it: "'-' (hyphen)", "U+00A0 NO-BREAK
 * SPACE", "U+0B95", "the byte 0xFF (not UTF-8 text)". */
static void
detail_char_name(uint32_t cp, bool byte, char *out, size_t cap)
{
	const char *name;

	if (byte)
		snprintf(out, cap, "the byte 0x%02X (not UTF-8 text)",
		    (unsigned)cp);
	else if (cp > 0x20 && cp < 0x7f && (name = detail_ascii_name(cp)) != NULL)
		snprintf(out, cap, "'%c' (%s)", (char)cp, name);
	else if (cp > 0x20 && cp < 0x7f)
		snprintf(out, cap, "'%c'", (char)cp);
	else if ((name = detail_unicode_name(cp)) != NULL)
		snprintf(out, cap, "U+%04X %s", (unsigned)cp, name);
	else if (cp < 0x20 || (cp >= 0x80 && cp < 0xa0))
		snprintf(out, cap, "U+%04X (a control character)",
		    (unsigned)cp);
	else
		snprintf(out, cap, "U+%04X", (unsigned)cp);
}

/* Whether a line break comes before the last non-blank byte of text. */
static bool
detail_lines(const char *text, size_t len)
{
	bool broken = false;
	size_t i;

	for (i = 0; i < len; i++) {
		if (text[i] == '\n' || text[i] == '\r')
			broken = true;
		else if (broken && !lkey__b64_is_space((unsigned char)text[i]))
			return true;
	}
	return false;
}

/*
 * Where offset is, for a person: "character 57", and on text of several
 * lines "character 57 (line 3, column 12)". Characters are UTF-8's, a
 * byte that is not UTF-8 one of its own; LF, CR and CRLF end a line.
 */
static void
detail_position(const char *text, size_t len, size_t offset, char *out,
    size_t cap)
{
	size_t i, k, chars = 0, line = 1, col = 0;
	uint32_t cp;

	if (text == NULL || offset > len) {
		snprintf(out, cap, "byte %zu", offset + 1U);
		return;
	}
	for (i = 0; i < offset; i += k) {
		k = lkey__utf8_next(text + i, len - i, &cp);
		chars++;
		col++;
		if (text[i] == '\n' || (text[i] == '\r' && (i + 1U >= len ||
		    text[i + 1U] != '\n'))) {
			line++;
			col = 0;
		}
	}
	if (detail_lines(text, len))
		snprintf(out, cap, "character %zu (line %zu, column %zu)",
		    chars + 1U, line, col + 1U);
	else
		snprintf(out, cap, "character %zu", chars + 1U);
}

static size_t
detail_bad_char(const lkey_detail *d, const char *text, size_t len, char *out,
    size_t cap)
{
	char what[96], where[64];
	uint32_t cp = d->value;
	bool byte = false;

	if (text != NULL && d->offset < len) {
		byte = lkey__utf8_next(text + d->offset, len - d->offset,
		    &cp) == 1 && cp >= 0x80;
	}
	detail_char_name(cp, byte, what, sizeof(what));
	detail_position(text, len, d->offset, where, sizeof(where));
	return detail_put(snprintf(out, cap, "The key holds %s at %s, which "
	    "a licence key never holds. Remove it, or copy the key again "
	    "from the licence e-mail.", what, where));
}

/*
 * "The key", or where it was found in text of several lines or after
 * other text: "The key from character 17 (line 3, column 1)". The
 * detail's offset is where the key begins (lkey_verify, lkey-verify).
 */
static void
detail_key(const lkey_detail *d, const char *text, size_t len, char *out,
    size_t cap)
{
	char where[64];

	if (text == NULL || d->offset >= len || (d->offset == 0 &&
	    !detail_lines(text, len))) {
		snprintf(out, cap, "The key");
		return;
	}
	detail_position(text, len, d->offset, where, sizeof(where));
	snprintf(out, cap, "The key from %s", where);
}

/* The sentence of a reason about the key as a whole, `key` naming it and
 * where it is; 0 with nothing written for the other reasons. */
static size_t
detail_whole(const lkey_detail *d, const char *key, char *out, size_t cap)
{
	switch (d->reason) {
	case LKEY_R_BAD_PADDING:
		return detail_put(snprintf(out, cap, "%s has the wrong length "
		    "or padding: characters are missing or extra, or an '=' is "
		    "out of place. Copy the whole key again from the licence "
		    "e-mail.", key));
	case LKEY_R_NONCANONICAL:
		return detail_put(snprintf(out, cap, "%s does not end the way "
		    "a licence key can: its last characters were changed or "
		    "mistyped. Copy the key again from the licence e-mail.",
		    key));
	case LKEY_R_TOO_SHORT:
		return detail_put(snprintf(out, cap, "%s is too short: part of "
		    "it is missing. Copy the whole key again from the licence "
		    "e-mail, every line of it.", key));
	case LKEY_R_BAD_VERSION:
		return detail_put(snprintf(out, cap, "%s has a format version "
		    "this program does not know (%u): it needs a newer release "
		    "of the program, or it is not a licence key. Update the "
		    "program, or copy the key again from the licence e-mail.",
		    key, (unsigned)d->value));
	case LKEY_R_UNKNOWN_KEY:
		return detail_put(snprintf(out, cap, "%s was signed with vendor "
		    "key %08x, which this program does not know. Check that the "
		    "key is for this product, or update the program.", key,
		    (unsigned)d->value));
	case LKEY_R_BAD_SIGNATURE:
		return detail_put(snprintf(out, cap, "%s is not genuine: it was "
		    "altered or mistyped. Copy it again from the licence "
		    "e-mail.", key));
	case LKEY_R_BAD_EXTENSION:
		return detail_put(snprintf(out, cap, "%s holds a damaged term "
		    "(extension 0x%02x). Ask the vendor for a new key.", key,
		    (unsigned)d->value));
	case LKEY_R_UNKNOWN_CRITICAL:
		return detail_put(snprintf(out, cap, "%s has a term this "
		    "program does not know (extension 0x%02x). Update the "
		    "program to a newer release.", key, (unsigned)d->value));
	case LKEY_R_BAD_FIELD:
		return detail_put(snprintf(out, cap, "%s holds an impossible "
		    "value. Ask the vendor for a new key.", key));
	default:
		return 0;
	}
}

size_t
lkey_detail_text(const lkey_detail *d, const char *text, size_t len,
    char *out, size_t cap)
{
	char where[64], key[96];
	size_t n;

	detail_key(d, text, len, key, sizeof(key));
	if ((n = detail_whole(d, key, out, cap)) > 0)
		return n;
	switch (d->reason) {
	case LKEY_R_NONE:
		return detail_put(snprintf(out, cap, "Nothing is wrong with "
		    "the key text."));
	case LKEY_R_TOO_LONG:
		return detail_put(snprintf(out, cap, "The text is too long for "
		    "a licence key (at most %u characters of key in %u bytes "
		    "of text). Copy only the key from the licence e-mail.",
		    LKEY_KEY_TEXT_MAX, LKEY_TEXT_MAX));
	case LKEY_R_EMPTY:
		return detail_put(snprintf(out, cap, "There is no licence key "
		    "in the text: it is empty, or only spaces and punctuation. "
		    "Paste the key from the licence e-mail."));
	case LKEY_R_BAD_CHAR:
		return detail_bad_char(d, text, len, out, cap);
	case LKEY_R_WRONG_KIND:
		return detail_put(snprintf(out, cap, "The text is not a licence "
		    "key but other lkey data, such as a revocation list. Paste "
		    "the licence key itself."));
	case LKEY_R_AMBIGUOUS:
		detail_position(text, len, d->offset, where, sizeof(where));
		return detail_put(snprintf(out, cap, "The text holds two "
		    "different licence keys, the second from %s. Paste only "
		    "the one key to use.", where));
	case LKEY_R_TWICE:
		detail_position(text, len, d->offset, where, sizeof(where));
		return detail_put(snprintf(out, cap, "The text holds the same "
		    "key twice in a row, the second copy from %s. Paste it "
		    "once.", where));
	case LKEY_R_NOT_SEALED:
		return detail_put(snprintf(out, cap, "The licence was not made "
		    "by lkey_decode, or was changed since: a fault of the "
		    "application, not of the key. Check the licence lkey_decode "
		    "gives, unchanged."));
	default:
		return detail_put(snprintf(out, cap, "The key was refused "
		    "(reason %u).", (unsigned)d->reason));
	}
}

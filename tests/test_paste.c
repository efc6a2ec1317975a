/*
 * test_paste.c - keys pasted from e-mails: found, and held to their one
 * text form; what a person is told when they are not
 *
 * In process, with real keys signed by a vendor key from a fixed seed:
 *
 *   - lkey_key_find on a table of pasted texts (quote marks, a greeting, a
 *     signature, a byte-order mark, no-break and zero-width spaces, CRLF
 *     and CR, keys wrapped at 20 columns, whitespace between every
 *     character): the key it gives and where[] pointing at each of its
 *     characters in the text; the same key twice in separate places; a
 *     key twice in a row (LKEY_R_TWICE), two different keys
 *     (LKEY_R_AMBIGUOUS) and a stray character (LKEY_R_BAD_CHAR) each at
 *     the offset the table marks;
 *   - lkey_detail_text: a sentence for every reason, the stray character
 *     named as a person sees it, its place as character, line and column;
 *   - lkey_decode's stray character carries its code point;
 *   - lkey_verify: the common case in one call, a refusal's report and
 *     detail (the key id an unknown or altered key names), and every
 *     one-character change to a pasted key refused;
 *   - lkey_verdict_message: a text with no key has its own sentence.
 *
 * Through the program: lkey-verify accepting an e-mail pasted into a key
 * file and on standard input, --install writing the key alone, the named
 * character in the malformed line and the JSON, and the prompt when the
 * key comes from a terminal (a pseudo-terminal made here).
 */
/* posix_openpt and its friends are XSI. */
#define _XOPEN_SOURCE 700

#include <sys/types.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <poll.h>
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

#include "fixture.h"
#include "golden.h"
#include "lkey.h"
#include "lkey_vendor.h"
#include "proc.h"
#include "support.h"

#define TEXT_CAP 8192U

/* K: product 1, 5 seats, 2027, serial 7: 89 bytes, 120 characters ending
 * in '='. M: the same with serial 8. U: a licensee "AB", 93 bytes, 124
 * characters without '='. */
static char key_k[LKEY_B64_TEXT_MAX], key_m[LKEY_B64_TEXT_MAX],
    key_u[LKEY_B64_TEXT_MAX];
static lkey_pubkey ring[1];

static void
issue_key(const lkey_vendor_key *vk, uint32_t serial, const char *licensee,
    char *out)
{
	lkey_license t;

	lkey_terms_init(&t, day("2027-01-01"));
	t.product = 1;
	t.seats = 5;
	t.expires = day("2027-12-31");
	t.maintenance = day("2027-12-31");
	t.serial = serial;
	if (licensee != NULL) {
		t.licensee_len = strlen(licensee);
		memcpy(t.licensee, licensee, t.licensee_len + 1U);
	}
	assert_int_equal(lkey_issue(vk, &t, out, LKEY_B64_TEXT_MAX),
	    LKEY_ISSUE_OK);
}

static int
setup_keys(void **state)
{
	uint8_t seed[LKEY_SEEDBYTES];
	lkey_vendor_key vk;

	(void)state;
	memset(seed, 0x51, sizeof(seed));
	lkey_vendor_key_from_seed(seed, &vk);
	ring[0] = vk.pub;
	issue_key(&vk, 7, NULL, key_k);
	issue_key(&vk, 8, NULL, key_m);
	issue_key(&vk, 9, "AB", key_u);
	lkey_vendor_key_wipe(&vk);
	if (strlen(key_k) != 120 || key_k[119] != '=' ||
	    strlen(key_u) != 124 || key_u[123] == '=') {
		fprintf(stderr, "test keys not of the lengths expected\n");
		return -1;
	}
	return 0;
}

/* ---- pasted texts -------------------------------------------------------- */

/* s wrapped every `width` characters, each line after `prefix`, the
 * lines joined by `nl`, appended to out at *n. */
static void
put_wrapped(char *out, size_t *n, const char *s, size_t width,
    const char *prefix, const char *nl)
{
	size_t i, len = strlen(s);

	for (i = 0; i < len; i += width) {
		bprintf(out + *n, TEXT_CAP - *n, "%s%s%.*s", i > 0 ? nl : "",
		    prefix, (int)width, s + i);
		*n += strlen(out + *n);
	}
}

/*
 * A text from a template: {K} {M} {U} the keys, {K20} K wrapped at 20
 * columns, {K20Q} the same quoted ("> ") with CRLF, {Kh} and {Kt} its two
 * halves (60 characters each), {KWS} K with whitespace between every
 * character, blank lines too; {@} marks a place (*mark, its offset).
 * Returns the text's length.
 */
static size_t
expand(const char *tmpl, char *out, size_t *mark)
{
	static const char *const ws[] = { " ", "\t", "\r\n", "\n", "  \t",
	    "\v", "\f", "\n\n" };
	size_t n = 0, i;
	const char *p = tmpl;

	*mark = SIZE_MAX;
	out[0] = '\0';
	while (*p != '\0') {
		if (strncmp(p, "{K}", 3) == 0) {
			bprintf(out + n, TEXT_CAP - n, "%s", key_k);
			p += 3;
		} else if (strncmp(p, "{M}", 3) == 0) {
			bprintf(out + n, TEXT_CAP - n, "%s", key_m);
			p += 3;
		} else if (strncmp(p, "{U}", 3) == 0) {
			bprintf(out + n, TEXT_CAP - n, "%s", key_u);
			p += 3;
		} else if (strncmp(p, "{K20}", 5) == 0) {
			put_wrapped(out, &n, key_k, 20, "", "\n");
			p += 5;
		} else if (strncmp(p, "{K20Q}", 6) == 0) {
			put_wrapped(out, &n, key_k, 20, "> ", "\r\n");
			p += 6;
		} else if (strncmp(p, "{Kh}", 4) == 0) {
			bprintf(out + n, TEXT_CAP - n, "%.60s", key_k);
			p += 4;
		} else if (strncmp(p, "{Kt}", 4) == 0) {
			bprintf(out + n, TEXT_CAP - n, "%s", key_k + 60);
			p += 4;
		} else if (strncmp(p, "{KWS}", 5) == 0) {
			for (i = 0; key_k[i] != '\0'; i++) {
				bprintf(out + n, TEXT_CAP - n, "%c%s",
				    key_k[i], ws[i % 8U]);
				n += strlen(out + n);
			}
			p += 5;
		} else if (strncmp(p, "{@}", 3) == 0) {
			*mark = n;
			p += 3;
		} else {
			assert_true(n + 1U < TEXT_CAP);
			out[n++] = *p++;
			out[n] = '\0';
		}
		n += strlen(out + n);
	}
	return n;
}

/*
 * want: "K", "M" or "U", the key found; "twice", "ambiguous" at {@};
 * "char:HEX", a stray character at {@} (its code point); "empty";
 * "decode:N", found, and then lkey_decode refuses it for reason N.
 */
struct paste_case {
	const char *what;
	const char *text;
	const char *want;
};

static const struct paste_case paste_cases[] = {
	{ "bare key", "{K}", "K" },
	{ "key and a newline", "{K}\n", "K" },
	{ "byte-order mark", "\xef\xbb\xbf{K}\r\n", "K" },
	{ "quoted", "> {K}\n", "K" },
	{ "quoted twice", "> > {K}\n>\n> -- \n> Jane\n", "K" },
	{ "quoted twice, no spaces", ">>{K}", "K" },
	{ "greeting and signature", "Dear customer,\n\nhere is your "
	  "licence key:\n\n{K}\n\nBest regards\n-- \nJane\nSales\n", "K" },
	{ "CRLF e-mail", "Dear customer,\r\n\r\n{K}\r\n\r\n-- \r\nJane\r\n"
	  "Sales\r\n", "K" },
	{ "CR e-mail", "Dear customer,\r\r{K}\r\r-- \rJane\r", "K" },
	{ "no-break space inside", "{Kh}\xc2\xa0{Kt}", "K" },
	{ "zero-width space inside", "{Kh}\xe2\x80\x8b{Kt}", "K" },
	{ "narrow no-break space inside", "{Kh}\xe2\x80\xaf{Kt}", "K" },
	{ "zero-width joiners inside", "{Kh}\xe2\x80\x8c\xe2\x80\x8d{Kt}", "K" },
	{ "word joiner inside", "{Kh}\xe2\x81\xa0{Kt}", "K" },
	{ "byte-order mark inside", "{Kh}\xef\xbb\xbf{Kt}", "K" },
	{ "CRLF inside", "{Kh}\r\n{Kt}", "K" },
	{ "CR inside", "{Kh}\r{Kt}", "K" },
	{ "wrapped at 20", "{K20}", "K" },
	{ "wrapped at 20, quoted, CRLF", "Dear customer,\r\n\r\n{K20Q}\r\n"
	  "\r\nThanks,\r\nJane\r\n", "K" },
	{ "whitespace between every character", "{KWS}", "K" },
	{ "words around it on its line", "Your licence key is {K} and it is "
	  "yours", "K" },
	{ "prose lines next to it", "Hi Jane\n{K}\nRegards\n", "K" },
	{ "a closing word after a key without '='", "{U}\nJane", "U" },
	{ "a closing word on its line", "{U} Regards", "U" },
	{ "the same key in two paragraphs", "{K}\n\n{K}", "K" },
	{ "the same key on two lines", "{K}\n{K}\n", "K" },
	{ "the same key quoted and again", "> {K}\n\nAgain, for your "
	  "records:\n{K}\n", "K" },
	{ "the same key, one wrapped", "{K20}\n\nor in one line: {K}", "K" },
	{ "a key after the signature", "{K}\n-- \n{M}\n", "K" },
	{ "the signature first", "-- \nJane\n\n{U}\n", "U" },
	{ "twice in a row", "{K}{@}{K}", "twice" },
	{ "twice with a space", "{K} {@}{K}", "twice" },
	{ "twice without '='", "Key: {U}{@}{U}\n", "twice" },
	{ "twice wrapped", "{K20}\n{@}{K20}", "twice" },
	{ "two keys", "{K}\n\n{@}{M}", "ambiguous" },
	{ "two keys on two lines", "{K}\n{@}{M}\n", "ambiguous" },
	{ "old key and new key", "Old key:\n{M}\n\nNew key:\n{@}{K}\n",
	  "ambiguous" },
	{ "hyphen in the key, in an e-mail", "Dear customer,\n\n{Kh}{@}-{Kt}"
	  "\n\nThanks,\nJane", "char:2d" },
	{ "en dash in a wrapped key", "Key:\n\n> {Kh}\n> {@}\xe2\x80\x93{Kt}\n",
	  "char:2013" },
	{ "soft hyphen in the key", "{Kh}{@}\xc2\xad{Kt}", "char:ad" },
	{ "byte 0xff in the key", "{Kh}{@}\xff{Kt}", "char:ff" },
	{ "only prose with a comma", "Thanks{@}, Jane", "char:2c" },
	/* Quotation marks around the key, and the full stop or comma of the
	 * sentence around them; what is inside the key stays refused. */
	{ "in quotation marks, full stop", "Your key: \"{K}\".", "K" },
	{ "in apostrophes", "'{K}'", "K" },
	{ "in typographic double quotes", "\xe2\x80\x9c{K}\xe2\x80\x9d", "K" },
	{ "in typographic single quotes", "\xe2\x80\x98{K}\xe2\x80\x99", "K" },
	{ "in guillemets", "\xc2\xab{K}\xc2\xbb", "K" },
	{ "in German quotes, comma", "Ihr Schl\xc3\xbcssel: \xe2\x80\x9e{K}"
	  "\xe2\x80\x9c, danke", "K" },
	{ "in reversed guillemets", "\xc2\xbb{U}\xc2\xab", "U" },
	{ "quoted, comma and prose", "Key: '{U}', thanks", "U" },
	{ "quoted, full stop inside", "Your key is \"{U}.\"", "U" },
	{ "quoted and wrapped", "\xe2\x80\x9c{K20}\xe2\x80\x9d.", "K" },
	{ "quoted, quote marks of a reply", "> \"{K}\"\n", "K" },
	{ "quoted, hyphen in the key", "\"{Kh}{@}-{Kt}\"", "char:2d" },
	{ "quotation mark in the key", "{Kh}{@}\"{Kt}", "char:22" },
	{ "quoted, an ellipsis", "Here it is: \"{K}\"...", "K" },
	{ "quoted, a comma and a full stop", "'{K}',.", "K" },
	{ "full stop without quotation marks", "Your key is {K}{@}.",
	  "char:2e" },
	{ "two keys, quoted", "Old: \"{K}\",\nnew: \"{@}{M}\".", "ambiguous" },
	{ "twice, quoted", "\"{K}{@}{K}\"", "twice" },
	{ "only quotation marks", "\xe2\x80\x9c\xe2\x80\x9d ''", "empty" },
	{ "only quotation marks and a full stop", "\"\".", "empty" },
	{ "only an ellipsis", "...", "empty" },
	{ "quoted, a typographic ellipsis", "\xe2\x80\x9c{K}\xe2\x80\x9d"
	  "\xe2\x80\xa6", "K" },
	/* Punctuation alone parts two keys as prose does. */
	{ "two keys parted by a comma", "{K} , {@}{M}", "ambiguous" },
	{ "one key twice, parted by a comma", "{K} , {K}", "K" },
	{ "a quotation mark and prose", "Thanks{@}, \" Jane", "char:2c" },
	{ "nothing", "", "empty" },
	{ "only spaces", " \r\n\t\xc2\xa0\xef\xbb\xbf\n", "empty" },
	{ "only quote marks", "> \n>>\n", "empty" },
	{ "a greeting alone", "Hello", "decode:4" },
	{ "a truncated key", "Dear customer,\n\n{Kh}\n\nThanks,\nJane",
	  "decode:6" },
	{ "trailing data", "{K}AAAA", "decode:4" },
};

/* Whether where[] holds increasing offsets of out's characters in text. */
static bool
where_ok(const char *text, const char *out, size_t n, const size_t *where)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (text[where[i]] != out[i] || (i > 0 &&
		    where[i] <= where[i - 1]))
			return false;
	return true;
}

static void
paste_row(struct tally *t, const struct paste_case *c)
{
	static char text[TEXT_CAP], out[LKEY_TEXT_MAX + 1U];
	static size_t where[LKEY_TEXT_MAX + 1U];
	const char *want = NULL;
	lkey_license lic;
	lkey_detail d;
	lkey_status st;
	size_t len, mark, n;
	unsigned long cp;

	len = expand(c->text, text, &mark);
	st = lkey_key_find(text, len, out, sizeof(out), &n, where, &d);
	t->cases++;
	if (strcmp(c->want, "K") == 0 || strcmp(c->want, "M") == 0 ||
	    strcmp(c->want, "U") == 0) {
		want = c->want[0] == 'K' ? key_k : c->want[0] == 'M' ? key_m :
		    key_u;
		tcheck(t, st == LKEY_OK && strcmp(out, want) == 0 &&
		    n == strlen(want), c->what, NULL, "status %d reason %d at "
		    "%zu, found \"%s\"", st, d.reason, d.offset, out);
		tcheck(t, st != LKEY_OK || where_ok(text, out, n, where),
		    c->what, NULL, "where[] does not point at the key");
		tcheck(t, st != LKEY_OK || d.reason == LKEY_R_NONE, c->what,
		    NULL, "detail %d with a key found", d.reason);
	} else if (strncmp(c->want, "decode:", 7) == 0) {
		tcheck(t, st == LKEY_OK, c->what, NULL, "status %d reason %d",
		    st, d.reason);
		st = lkey_decode(out, n, ring, 1, &lic, &d);
		tcheck(t, st == LKEY_MALFORMED && (unsigned)d.reason ==
		    strtoul(c->want + 7, NULL, 10), c->what, NULL,
		    "decoding \"%s\": status %d reason %d", out, st, d.reason);
	} else {
		lkey_reason r = strcmp(c->want, "twice") == 0 ? LKEY_R_TWICE :
		    strcmp(c->want, "ambiguous") == 0 ? LKEY_R_AMBIGUOUS :
		    strcmp(c->want, "empty") == 0 ? LKEY_R_EMPTY :
		    LKEY_R_BAD_CHAR;

		tcheck(t, st == LKEY_MALFORMED && d.reason == r && n == 0 &&
		    out[0] == '\0', c->what, NULL, "status %d reason %d (want "
		    "%d), found \"%s\"", st, d.reason, r, out);
		tcheck(t, mark == SIZE_MAX || d.offset == mark, c->what, NULL,
		    "offset %zu, want %zu", d.offset, mark);
		if (r == LKEY_R_BAD_CHAR) {
			cp = strtoul(c->want + 5, NULL, 16);
			tcheck(t, d.value == cp, c->what, NULL, "value %x, "
			    "want %lx", d.value, cp);
		}
	}
}

static void
test_find(void **state)
{
	struct tally t = { 0, 0, 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(paste_cases) / sizeof(paste_cases[0]); i++)
		paste_row(&t, &paste_cases[i]);
	tally_done(&t, "pasted texts");
}

/* The bounds: too long, no room, no text, and NULL outputs allowed. */
static void
test_find_bounds(void **state)
{
	static char text[LKEY_TEXT_MAX + 2U];
	char out[LKEY_TEXT_MAX + 1U], small[16];
	lkey_detail d;
	size_t n = 99;

	(void)state;
	memset(text, ' ', sizeof(text));
	memcpy(text, key_k, strlen(key_k));
	assert_int_equal(lkey_key_find(text, LKEY_TEXT_MAX, out, sizeof(out),
	    &n, NULL, &d), LKEY_OK);
	assert_string_equal(out, key_k);
	assert_int_equal(lkey_key_find(text, LKEY_TEXT_MAX + 1U, out,
	    sizeof(out), &n, NULL, &d), LKEY_MALFORMED);
	assert_int_equal(d.reason, LKEY_R_TOO_LONG);
	assert_int_equal(n, 0);
	assert_int_equal(lkey_key_find(key_k, strlen(key_k), small,
	    sizeof(small), &n, NULL, &d), LKEY_MALFORMED);
	assert_int_equal(d.reason, LKEY_R_TOO_LONG);
	assert_string_equal(small, "");
	assert_int_equal(lkey_key_find(NULL, 0, out, sizeof(out), &n, NULL,
	    &d), LKEY_MALFORMED);
	assert_int_equal(d.reason, LKEY_R_EMPTY);
	assert_int_equal(lkey_key_find(key_k, strlen(key_k), out, sizeof(out),
	    &n, NULL, NULL), LKEY_OK);
	assert_int_equal(n, strlen(key_k));
}

/* ---- what a person is told ----------------------------------------------- */

/* lkey_detail_text of a detail about text, into a static buffer. */
static const char *
detail_of(lkey_reason reason, size_t offset, uint32_t value,
    const char *text)
{
	static char out[512];
	lkey_detail d = { reason, offset, value };
	size_t need;

	need = lkey_detail_text(&d, text, text != NULL ? strlen(text) : 0,
	    out, sizeof(out));
	assert_int_equal(need, strlen(out));
	return out;
}

/* Every reason: one sentence or two, what is wrong and what to do. */
static void
test_detail_every_reason(void **state)
{
	static const char *const words[] = {
		[LKEY_R_NONE] = "Nothing is wrong",
		[LKEY_R_TOO_LONG] = "too long",
		[LKEY_R_EMPTY] = "no licence key",
		[LKEY_R_BAD_CHAR] = "at character 1,",
		[LKEY_R_BAD_PADDING] = "padding",
		[LKEY_R_NONCANONICAL] = "last characters",
		[LKEY_R_TOO_SHORT] = "too short",
		[LKEY_R_BAD_VERSION] = "format version",
		[LKEY_R_UNKNOWN_KEY] = "vendor key 12345678",
		[LKEY_R_BAD_SIGNATURE] = "not genuine",
		[LKEY_R_BAD_EXTENSION] = "damaged term",
		[LKEY_R_UNKNOWN_CRITICAL] = "does not know",
		[LKEY_R_BAD_FIELD] = "impossible value",
		[LKEY_R_WRONG_KIND] = "not a licence key",
		[LKEY_R_AMBIGUOUS] = "two different licence keys",
		[LKEY_R_TWICE] = "twice",
		[LKEY_R_NOT_SEALED] = "lkey_decode",
	};
	char cut[12];
	const char *s;
	lkey_detail d;
	size_t r, need;

	(void)state;
	for (r = 0; r < sizeof(words) / sizeof(words[0]); r++) {
		s = detail_of((lkey_reason)r, 0, r == LKEY_R_UNKNOWN_KEY ?
		    0x12345678U : '!', "!");
		if (strstr(s, words[r]) == NULL || s[0] < 'A' || s[0] > 'Z' ||
		    s[strlen(s) - 1U] != '.')
			fail_msg("reason %zu: \"%s\" (want \"%s\")", r, s,
			    words[r]);
		/* A short buffer: cut, NUL-terminated, the length needed. */
		d.reason = (lkey_reason)r;
		d.offset = 0;
		d.value = 0;
		need = lkey_detail_text(&d, "x", 1, cut, sizeof(cut));
		assert_true(need > sizeof(cut));
		assert_int_equal(strlen(cut), sizeof(cut) - 1U);
		assert_int_equal(lkey_detail_text(&d, "x", 1, NULL, 0), need);
	}
	assert_non_null(strstr(detail_of((lkey_reason)99, 0, 0, NULL),
	    "reason 99"));
}

/* A stray character named as a person sees it, and where it is. */
static void
test_detail_names(void **state)
{
	static const struct {
		const char *text;
		size_t offset;
		const char *want;
	} names[] = {
		{ "AB-CD", 2, "'-' (hyphen) at character 3," },
		{ "AB_CD", 2, "'_' (underscore) at character 3," },
		{ "AB\xc2\xa0", 2, "U+00A0 NO-BREAK SPACE at character 3," },
		{ "AB\xe2\x80\x8b", 2, "U+200B ZERO WIDTH SPACE at character "
		  "3," },
		{ "\xef\xbb\xbf" "AB", 0, "U+FEFF ZERO WIDTH NO-BREAK SPACE "
		  "(a byte order mark) at character 1," },
		{ "AB\xc2\xad", 2, "U+00AD SOFT HYPHEN at character 3," },
		{ "AB\xe2\x80\x93", 2, "U+2013 EN DASH" },
		{ "AB\xe2\x80\x94", 2, "U+2014 EM DASH" },
		{ "AB\xe2\x80\x99", 2, "U+2019 RIGHT SINGLE QUOTATION MARK" },
		{ "AB\xe2\x80\x9c", 2, "U+201C LEFT DOUBLE QUOTATION MARK" },
		{ "AB\xe2\x80\xa6", 2, "U+2026 HORIZONTAL ELLIPSIS" },
		{ "AB\xe2\x80\xa2", 2, "U+2022 BULLET" },
		{ "AB\xe0\xae\x95", 2, "U+0B95 at character 3," },
		{ "AB\x01", 2, "U+0001 (a control character) at character 3," },
		{ "AB\x7f", 2, "U+007F DELETE at character 3," },
		{ "AB\xff", 2, "the byte 0xFF (not UTF-8 text) at character 3," },
		{ "AB\xc3", 2, "the byte 0xC3 (not UTF-8 text)" },
		{ "AB\xed\xa0\x80", 2, "the byte 0xED (not UTF-8 text)" },
		{ "\xc3\xa9\xc3\xa9-", 4, "'-' (hyphen) at character 3," },
		{ "AAAA\r\nBB\xe2\x80\x93", 8, "U+2013 EN DASH at character 9 "
		  "(line 2, column 3)," },
		{ "A\rB\n\nC-", 6, "'-' (hyphen) at character 7 (line 4, "
		  "column 2)," },
		{ "AB-\n", 2, "'-' (hyphen) at character 3," },
	};
	const char *s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		s = detail_of(LKEY_R_BAD_CHAR, names[i].offset,
		    (unsigned char)names[i].text[names[i].offset],
		    names[i].text);
		if (strstr(s, names[i].want) == NULL || strstr(s,
		    "copy the key again") == NULL)
			fail_msg("\"%s\": \"%s\" (want \"%s\")",
			    names[i].text, s, names[i].want);
	}
	/* Without the text: the value named, the place in bytes. */
	s = detail_of(LKEY_R_BAD_CHAR, 56, 0x2013, NULL);
	assert_non_null(strstr(s, "U+2013 EN DASH at byte 57,"));
	s = detail_of(LKEY_R_TWICE, 120, 0, NULL);
	assert_non_null(strstr(s, "from byte 121."));
}

/* The place of the second key or copy, in characters, lines, columns. */
static void
test_detail_places(void **state)
{
	static char text[TEXT_CAP];
	char want[128], out[LKEY_TEXT_MAX + 1U];
	lkey_detail d;
	size_t len, mark, n;

	(void)state;
	len = expand("\xc3\xa9t\xc3\xa9:\n{K}\n\n{@}{M}", text, &mark);
	assert_int_equal(lkey_key_find(text, len, out, sizeof(out), &n, NULL,
	    &d), LKEY_MALFORMED);
	assert_int_equal(d.reason, LKEY_R_AMBIGUOUS);
	assert_int_equal(d.offset, mark);
	bprintf(want, sizeof(want), "the second from character %zu (line 4, "
	    "column 1). Paste only", mark - 2U + 1U);
	assert_non_null(strstr(detail_of(d.reason, d.offset, d.value, text),
	    want));
	len = expand("{K} {@}{K}", text, &mark);
	assert_int_equal(lkey_key_find(text, len, out, sizeof(out), &n, NULL,
	    &d), LKEY_MALFORMED);
	assert_int_equal(d.reason, LKEY_R_TWICE);
	assert_non_null(strstr(detail_of(d.reason, d.offset, d.value, text),
	    "the second copy from character 122. Paste it once."));
}

/* lkey_decode stays strict, and names the character it refuses. */
static void
test_decode_value(void **state)
{
	static const struct {
		const char *c;
		uint32_t value;
		const char *name;
	} stray[] = {
		{ "\xc2\xa0", 0xa0, "U+00A0 NO-BREAK SPACE at character 11," },
		{ "\xc3\xa9", 0xe9, "U+00E9 at character 11," },
		{ "\xff", 0xff, "the byte 0xFF (not UTF-8 text) at character "
		  "11," },
		{ "-", '-', "'-' (hyphen) at character 11," },
		{ ">", '>', "'>' (greater-than sign) at character 11," },
	};
	char text[256];
	lkey_license lic;
	lkey_detail d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(stray) / sizeof(stray[0]); i++) {
		bprintf(text, sizeof(text), "%.10s%s%s", key_k, stray[i].c,
		    key_k + 10);
		assert_int_equal(lkey_decode(text, strlen(text), ring, 1, &lic,
		    &d), LKEY_MALFORMED);
		assert_int_equal(d.reason, LKEY_R_BAD_CHAR);
		assert_int_equal(d.offset, 10);
		assert_int_equal(d.value, stray[i].value);
		if (strstr(detail_of(d.reason, d.offset, d.value, text),
		    stray[i].name) == NULL)
			fail_msg("%s: \"%s\"", stray[i].name, detail_of(
			    d.reason, d.offset, d.value, text));
	}
	/* Quote marks and no-break spaces are the finder's, not its. */
	bprintf(text, sizeof(text), "> %s", key_k);
	assert_int_equal(lkey_decode(text, strlen(text), ring, 1, &lic, &d),
	    LKEY_MALFORMED);
	assert_int_equal(lkey_decode(key_k, strlen(key_k), ring, 1, &lic, &d),
	    LKEY_OK);
}

/* ---- the one call -------------------------------------------------------- */

static void
test_verify_one_call(void **state)
{
	static char text[TEXT_CAP];
	lkey_context ctx = ctx_make("today=2027-06-15 users=3");
	lkey_license lic;
	lkey_report rep;
	lkey_detail d;
	size_t len, mark;

	(void)state;
	len = expand("\xef\xbb\xbf" "Dear customer,\r\n\r\n{K20Q}\r\n\r\n"
	    "-- \r\nJane\r\n", text, &mark);
	assert_int_equal(lkey_verify(text, len, ring, 1, &ctx, &lic, &rep,
	    &d), LKEY_OK);
	assert_int_equal(rep.status, LKEY_OK);
	assert_int_equal(rep.remaining, 2);
	assert_int_equal(lic.serial, 7);
	assert_int_equal(d.reason, LKEY_R_NONE);
	assert_int_equal(lkey_verify(text, len, ring, 1, &ctx, &lic, &rep,
	    NULL), LKEY_OK);

	/* The terms are lkey_check's: another product. */
	ctx.product = 2;
	assert_int_equal(lkey_verify(text, len, ring, 1, &ctx, &lic, &rep,
	    &d), LKEY_WRONG_PRODUCT);
	assert_int_equal(rep.status, LKEY_WRONG_PRODUCT);
	assert_int_equal(lic.serial, 7);
	ctx.product = 1;

	/* Not decoded: no licence, the status as the one problem, the
	 * detail's place in the text as given (where the key starts). */
	len = expand("Dear customer,\n\n{@}{Kh}\n\nThanks,\nJane", text, &mark);
	assert_int_equal(lkey_verify(text, len, ring, 1, &ctx, &lic, &rep,
	    &d), LKEY_MALFORMED);
	assert_int_equal(d.reason, LKEY_R_TOO_SHORT);
	assert_int_equal(d.offset, mark);
	assert_int_equal(lic.version, 0);
	assert_int_equal(rep.status, LKEY_MALFORMED);
	assert_int_equal(rep.nproblems, 1);
	assert_int_equal(rep.problems[0].status, LKEY_MALFORMED);
	assert_int_equal(rep.problems[0].module, LKEY_MODULE_NONE);
	assert_int_equal(rep.remaining, 0);
	assert_non_null(strstr(detail_of(d.reason, d.offset, d.value, text),
	    "The key from character 17 (line 3, column 1) is too short: "));
	/* A bare key is "the key", without a place. */
	assert_int_equal(lkey_verify(key_k, 100, ring, 1, &ctx, &lic, &rep,
	    &d), LKEY_MALFORMED);
	assert_int_equal(d.reason, LKEY_R_TOO_SHORT);
	assert_true(strncmp(detail_of(d.reason, d.offset, d.value, key_k),
	    "The key is too short: ", 22) == 0);

	len = expand("{K}{@}{K}", text, &mark);
	assert_int_equal(lkey_verify(text, len, ring, 1, &ctx, &lic, &rep,
	    &d), LKEY_MALFORMED);
	assert_int_equal(d.reason, LKEY_R_TWICE);
	assert_int_equal(d.offset, mark);

	/* Another vendor's ring: the key id the key names. */
	assert_int_equal(lkey_verify(key_k, strlen(key_k), NULL, 0, &ctx,
	    &lic, &rep, &d), LKEY_UNKNOWN_KEY);
	assert_int_equal(rep.status, LKEY_UNKNOWN_KEY);
	assert_int_equal(d.reason, LKEY_R_UNKNOWN_KEY);
	assert_int_equal(d.value, ring[0].id);
	assert_string_equal(lkey_verdict_message(LKEY_UNKNOWN_KEY, &d),
	    lkey_status_message(LKEY_UNKNOWN_KEY));

	/* Altered: the key id it names too, though nothing is trusted. */
	memcpy(text, key_k, strlen(key_k) + 1U);
	text[20] = text[20] == 'A' ? 'B' : 'A';
	assert_int_equal(lkey_verify(text, strlen(text), ring, 1, &ctx, &lic,
	    &rep, &d), LKEY_BAD_SIGNATURE);
	assert_int_equal(d.reason, LKEY_R_BAD_SIGNATURE);
	assert_int_equal(d.value, ring[0].id);
	assert_int_equal(lic.version, 0);
	assert_int_equal(lic.key_id, 0);
}

/*
 * The sentence for end users: a text with no key has its own, every other
 * refusal the status's; the key id of a detail is never a sentence.
 */
static void
test_verdict_message(void **state)
{
	static const char *const texts[] = { "", " \t\r\n", "\xc2\xa0\n",
	    "> \n>>\n" };
	static const char empty[] = "No licence key was given. Paste the key "
	    "from the licence e-mail.";
	lkey_context ctx = ctx_make("today=2027-06-15");
	lkey_license lic;
	lkey_report rep;
	lkey_detail d;
	size_t i;
	int s;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		assert_int_equal(lkey_verify(texts[i], strlen(texts[i]), ring,
		    1, &ctx, &lic, &rep, &d), LKEY_MALFORMED);
		assert_int_equal(d.reason, LKEY_R_EMPTY);
		assert_string_equal(lkey_verdict_message(LKEY_MALFORMED, &d),
		    empty);
	}
	assert_int_equal(lkey_verify(NULL, 0, ring, 1, &ctx, &lic, &rep, &d),
	    LKEY_MALFORMED);
	assert_string_equal(lkey_verdict_message(LKEY_MALFORMED, &d), empty);
	/* A damaged key keeps the status's sentence. */
	assert_int_equal(lkey_verify(key_k, 100, ring, 1, &ctx, &lic, &rep,
	    &d), LKEY_MALFORMED);
	assert_string_equal(lkey_verdict_message(LKEY_MALFORMED, &d),
	    lkey_status_message(LKEY_MALFORMED));
	assert_non_null(strstr(lkey_status_message(LKEY_MALFORMED),
	    "damaged or incomplete"));
	/* Without a detail, and for every status, the status's own. */
	d.reason = LKEY_R_EMPTY;
	for (s = 0; s < LKEY_STATUS_COUNT; s++) {
		assert_string_equal(lkey_verdict_message((lkey_status)s, NULL),
		    lkey_status_message((lkey_status)s));
		if (s != LKEY_MALFORMED)
			assert_string_equal(lkey_verdict_message(
			    (lkey_status)s, &d),
			    lkey_status_message((lkey_status)s));
	}
}

/*
 * Forgiving around the key, strict in it: every character of a pasted key
 * changed to another base64 character, or left out, is refused.
 */
static void
test_verify_changed(void **state)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
	static char text[TEXT_CAP];
	lkey_context ctx = ctx_make("today=2027-06-15");
	char key[LKEY_B64_TEXT_MAX];
	lkey_license lic;
	lkey_report rep;
	size_t i, c, len, tried = 0;

	(void)state;
	for (i = 0; key_k[i] != '\0'; i++) {
		for (c = 0; c <= sizeof(b64) - 1U; c++) {
			memcpy(key, key_k, sizeof(key));
			if (c < sizeof(b64) - 1U) {
				if (b64[c] == key_k[i])
					continue;
				key[i] = b64[c];
			} else
				memmove(key + i, key + i + 1U,
				    strlen(key + i));
			bprintf(text, sizeof(text), "Dear customer,\n\n> %s\n"
			    "\n-- \nJane\n", key);
			len = strlen(text);
			tried++;
			if (lkey_verify(text, len, ring, 1, &ctx, &lic, &rep,
			    NULL) == LKEY_OK)
				fail_msg("character %zu changed to '%c' (or left "
				    "out) is accepted", i + 1U, b64[c]);
		}
	}
	assert_true(tried > 100U * 64U);
}

/* ---- lkey-verify --------------------------------------------------------- */

#define DEMO_TT "lkey-verify --pubkey " DEMO_PUB " --catalog " CATALOG \
	" --product timetracker --today 2027-06-15 --json "

static const struct golden cli_cases[] = {
	{ "e-mail in a key file", DEMO_TT "--key-file $MAIL", 0,
	  { "verdict=valid", "serial=4711" } },
	{ "e-mail on standard input", DEMO_TT "- <$MAILTEXT", 0,
	  { "verdict=valid", "serial=4711", "err=" } },
	{ "e-mail as the KEY argument", DEMO_TT "$MAILTEXT", 0,
	  { "verdict=valid" } },
	{ "--install writes the key alone", DEMO_TT "--install $DIR/licence.key "
	  "--key-file $MAIL", 0,
	  { "verdict=valid", "installed=true", "file:$DIR/licence.key=$KEYNL" } },
	{ "an en dash in the key", DEMO_TT "--key-file $DASHED", 10,
	  { "verdict=malformed", "err~malformed: The key holds U+2013 EN DASH "
	    "at character 61 (line 3, column 51), which a licence key never "
	    "holds. Remove it, or copy the key again from the licence e-mail.",
	    "detail~U+2013 EN DASH at character 61",
	    "problems[0].message~U+2013 EN DASH", "message~Copy the whole key",
	    "product=null" } },
	{ "a no-break space is forgiven", DEMO_TT "$NBSP", 0,
	  { "verdict=valid" } },
	{ "the key in quotation marks", DEMO_TT "--install "
	  "$DIR/quoted.key $QUOTED", 0, { "verdict=valid", "serial=4711",
	  "file:$DIR/quoted.key=$KEYNL" } },
	{ "the key in typographic quotes", DEMO_TT "$CURLY", 0,
	  { "verdict=valid", "serial=4711" } },
	{ "a key twice", DEMO_TT "--key-file $TWICE", 10,
	  { "verdict=malformed", "err~the same key twice in a row, the second "
	    "copy from character" } },
	{ "two different keys", DEMO_TT "--key-file $TWO", 10,
	  { "verdict=malformed", "err~two different licence keys, the second "
	    "from character" } },
	{ "--install of two keys changes nothing", DEMO_TT "--install "
	  "$DIR/licence2.key --key-file $TWO", 10,
	  { "verdict=malformed", "nofile:$DIR/licence2.key" } },
	{ "a manifest line with a pasted e-mail", "lkey-verify --check "
	  "$DIR/MANIFEST", 0, { "out~pass", "out!~FAIL" } },
	{ "a typo in a pasted e-mail: where it is in the text", DEMO_TT
	  "--key-file $TYPO", 12,
	  { "verdict=bad_signature", "suggestion.offset=$TYPO_AT",
	    "suggestion.key='$KEY'" } },
};

/* Copies the file at from (a repository path) to fx->dir/name. */
static void
copy_file(const char *from, const struct fx *fx, const char *name)
{
	static char buf[65536];
	char path[PATHCAP];
	size_t n;

	n = read_file(from, buf, sizeof(buf));
	path_in(fx, name, path, sizeof(path));
	write_file(path, buf, n);
}

static void
test_cli_pasted(void **state)
{
	const struct fx *fx = *state;
	static char mail_text[TEXT_CAP], dashed_text[TEXT_CAP];
	char key[KEYCAP], other[KEYCAP], keynl[KEYCAP + 2U], mail[PATHCAP],
	    dashed[PATHCAP], twice[PATHCAP], two[PATHCAP], nbsp[KEYCAP + 8U],
	    manifest[PATHCAP], text[TEXT_CAP], typo[PATHCAP], typo_at[16],
	    quoted[KEYCAP + 32U], curly[KEYCAP + 32U];
	const struct var vars[] = { { "MAIL", mail }, { "MAILTEXT", mail_text },
	    { "DASHED", dashed }, { "TWICE", twice }, { "TWO", two },
	    { "KEYNL", keynl }, { "NBSP", nbsp }, { "DIR", fx->dir },
	    { "TYPO", typo }, { "TYPO_AT", typo_at }, { "KEY", key },
	    { "QUOTED", quoted }, { "CURLY", curly }, { NULL, NULL } };
	struct tally t = { 0, 0, 0 };
	size_t n = 0;

	issue(fx, NULL, key, sizeof(key), "--secret", DEMO_SEC, "--catalog",
	    CATALOG, "--product", "timetracker", "--edition", "professional",
	    "--seats", "25", "--starts", "2027-01-01", "--expires",
	    "2027-12-31", "--maintenance", "2027-12-31", "--serial", "4711",
	    "--licensee", "Example GmbH", NULL);
	issue(fx, NULL, other, sizeof(other), "--secret", DEMO_SEC, "--catalog",
	    CATALOG, "--product", "timetracker", "--edition", "professional",
	    "--seats", "25", "--starts", "2027-01-01", "--expires",
	    "2027-12-31", "--maintenance", "2027-12-31", "--serial", "4712",
	    NULL);
	bprintf(keynl, sizeof(keynl), "%s\n", key);

	/* The e-mail: BOM, CRLF, a greeting, the key quoted and wrapped at
	 * 20 with a no-break space in it, a closing, a signature. */
	bprintf(mail_text, sizeof(mail_text), "\xef\xbb\xbf" "Dear customer,"
	    "\r\n\r\nthank you for your order. Your licence key:\r\n\r\n");
	n = strlen(mail_text);
	put_wrapped(mail_text, &n, key, 20, "> ", "\r\n");
	bprintf(mail_text + n, sizeof(mail_text) - n, "\xc2\xa0\r\n\r\nBest "
	    "regards\r\n-- \r\nJane\r\nSales\r\n");
	path_in(fx, "mail.txt", mail, sizeof(mail));
	write_file(mail, mail_text, strlen(mail_text));

	/* An en dash in place of character 51 of the key, on line 3. */
	bprintf(dashed_text, sizeof(dashed_text), "Hello,\r\n\r\n%.50s\xe2\x80"
	    "\x93%s\r\n\r\nThanks,\r\nJane\r\n", key, key + 51);
	path_in(fx, "dashed.txt", dashed, sizeof(dashed));
	write_file(dashed, dashed_text, strlen(dashed_text));

	bprintf(text, sizeof(text), "%s%s\n", key, key);
	path_in(fx, "twice.txt", twice, sizeof(twice));
	write_file(twice, text, strlen(text));
	bprintf(text, sizeof(text), "New key:\n%s\n\nOld key:\n%s\n", key,
	    other);
	path_in(fx, "two.txt", two, sizeof(two));
	write_file(two, text, strlen(text));
	bprintf(nbsp, sizeof(nbsp), "%.30s\xc2\xa0%s", key, key + 30);
	bprintf(quoted, sizeof(quoted), "Your key: \"%s\".", key);
	bprintf(curly, sizeof(curly), "\xe2\x80\x9c%s\xe2\x80\x9d,", key);

	/* --check judges a key file as the single check does; the manifest
	 * names its files relative to itself. */
	copy_file(DEMO_PUB, fx, "demo.pub");
	copy_file(CATALOG, fx, "catalog");
	path_in(fx, "MANIFEST", manifest, sizeof(manifest));
	bprintf(text, sizeof(text), "defaults --pubkey demo.pub --catalog "
	    "catalog\nmail.txt valid --product timetracker --today "
	    "2027-06-15\ndashed.txt malformed --product timetracker --today "
	    "2027-06-15\ntwo.txt malformed --product timetracker --today "
	    "2027-06-15\n");
	write_file(manifest, text, strlen(text));

	/* Character 41 of the key mistyped, in a mail with a byte-order
	 * mark (one character of three bytes) and a no-break space after
	 * the quote mark: 19 characters before the key. */
	bprintf(text, sizeof(text), "\xef\xbb\xbf" "Dear customer,\n\n>"
	    "\xc2\xa0%s\n", key);
	text[19 + 3 + 40] = key[40] == 'A' ? 'B' : 'A';
	path_in(fx, "typo.txt", typo, sizeof(typo));
	write_file(typo, text, strlen(text));
	bprintf(typo_at, sizeof(typo_at), "%d", 19 + 40);
	GOLDEN(fx, &t, cli_cases, vars);
	tally_done(&t, "lkey-verify pasted text");
}

/*
 * lkey-verify (argv, argv[0] the program's path) on a terminal: the
 * prompt must come on standard error before anything is read; then `input`
 * is typed (pasted) and Ctrl-D. The terminal is a pseudo-terminal made
 * here, the program's controlling terminal in a session of its own.
 * Returns the exit status; what it wrote after the prompt, both streams,
 * goes to out.
 */
static int
on_terminal(char *const argv[], const char *input, char *out, size_t cap)
{
	int master, slave, errp[2], status, waited;
	struct pollfd p;
	size_t n = 0;
	ssize_t r;
	pid_t pid;

	master = posix_openpt(O_RDWR | O_NOCTTY);
	assert_true(master >= 0);
	assert_int_equal(grantpt(master), 0);
	assert_int_equal(unlockpt(master), 0);
	assert_int_equal(pipe(errp), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* The child: the terminal as its controlling terminal and
		 * standard input; standard output and error to the pipe. */
		const char *pts = ptsname(master);

		if (setsid() < 0 || pts == NULL ||
		    (slave = open(pts, O_RDWR)) < 0 ||
		    dup2(slave, STDIN_FILENO) < 0 ||
		    dup2(errp[1], STDERR_FILENO) < 0 ||
		    dup2(errp[1], STDOUT_FILENO) < 0)
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	close(errp[1]);
	/* The prompt comes before the program reads: nothing was typed. */
	p.fd = errp[0];
	p.events = POLLIN;
	if (poll(&p, 1, 20000) != 1) {
		kill(pid, SIGKILL);
		fail_msg("%s: no prompt within 20 s", argv[0]);
	}
	r = read(errp[0], out, cap - 1U);
	assert_true(r > 0);
	out[r] = '\0';
	assert_string_equal(out, "lkey-verify: paste the licence key, then "
	    "press Enter and Ctrl-D\n");
	assert_int_equal(write(master, input, strlen(input)),
	    (ssize_t)strlen(input));
	assert_int_equal(write(master, "\x04", 1), 1);
	while (n < cap - 1U && (r = read(errp[0], out + n, cap - 1U - n)) > 0)
		n += (size_t)r;
	out[n] = '\0';
	close(errp[0]);
	waited = waitpid(pid, &status, 0) == pid;
	close(master);
	assert_true(waited && WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* lkey-verify - and --store --register - on a terminal: the prompt. */
static void
test_cli_prompt(void **state)
{
	const struct fx *fx = *state;
	char prog[PATHCAP], out[4096], key[KEYCAP], line[KEYCAP + 8U],
	    store[PATHCAP];
	char *single[] = { prog, "--pubkey", DEMO_PUB, "--product", "1",
	    "--today", "2027-06-15", "-", NULL };
	char *reg[] = { prog, "--pubkey", DEMO_PUB, "--product", "1",
	    "--today", "2027-06-15", "--store", store, "--register", "-",
	    NULL };
	int code;

	issue(fx, NULL, key, sizeof(key), "--secret", DEMO_SEC, "--product",
	    "1", "--edition", "1", "--seats", "5", "--starts", "2027-01-01",
	    "--expires", "2027-12-31", "--maintenance", "2027-12-31", NULL);
	bprintf(prog, sizeof(prog), "%s/lkey-verify", fx->bindir);
	path_in(fx, "store", store, sizeof(store));
	/* The key, quoted as in a reply. */
	bprintf(line, sizeof(line), "> %s\n", key);
	code = on_terminal(single, line, out, sizeof(out));
	if (code != 0 || strstr(out, "Status:       valid") == NULL)
		fail_msg("exit %d, output:\n%s", code, out);
	/* The bare key: the store's registration reads it the same way. */
	bprintf(line, sizeof(line), "%s\n", key);
	code = on_terminal(reg, line, out, sizeof(out));
	if (code != 0)
		fail_msg("--store --register -: exit %d, output:\n%s", code,
		    out);
}

int
main(void)
{
	const struct CMUnitTest unit[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_find_bounds),
		cmocka_unit_test(test_detail_every_reason),
		cmocka_unit_test(test_detail_names),
		cmocka_unit_test(test_detail_places),
		cmocka_unit_test(test_decode_value),
		cmocka_unit_test(test_verify_one_call),
		cmocka_unit_test(test_verdict_message),
		cmocka_unit_test(test_verify_changed),
	};
	const struct CMUnitTest cli[] = {
		cmocka_unit_test(test_cli_pasted),
		cmocka_unit_test(test_cli_prompt),
	};
	int failed;

	if (lkey_init() != 0)
		return 1;
	failed = cmocka_run_group_tests_name("paste", unit, setup_keys,
	    NULL);
	failed += cmocka_run_group_tests_name("paste cli", cli, proc_setup,
	    proc_teardown);
	return failed;
}

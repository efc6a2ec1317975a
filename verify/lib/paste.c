/*
 * paste.c - the key in text pasted from an e-mail or a document, and the
 * common case in one call
 *
 * People paste a key with what was around it: the quote marks of a reply,
 * a greeting, a signature, the byte-order mark Notepad writes, the
 * no-break and zero-width spaces of HTML mail, line breaks of any kind.
 * lkey_key_find takes the key out of that text. It forgives what is around
 * the key, never what is in it: the key it finds is whole words of the
 * text in their order, which lkey_decode then holds to the one canonical
 * text form and to the signature. Nothing found here is trusted.
 *
 * The rule (docs/FORMAT.md, "Text form"):
 *
 *   - Whitespace is ASCII's and U+00A0, U+200B, U+200C, U+200D, U+2060,
 *     U+202F and U+FEFF (no-break, zero-width and narrow spaces, the
 *     byte-order mark). Lines end at LF, CR or CRLF. Quote marks ('>',
 *     repeated, with spaces) at the start of a line are dropped. A blank
 *     line, or a change in the depth of quoting, ends a paragraph.
 *   - A line "--" (the "-- " signature separator) ends the text; only if
 *     no key is found before it is the rest looked at too.
 *   - A word is what lies between whitespace, less the marks of a quoted
 *     key: quotation marks (" ' and U+00AB, U+00BB, U+2018 to U+201F,
 *     U+2039, U+203A) at its start, and at its end quotation marks with
 *     any full stops and commas among or after them (an ellipsis too,
 *     "..." or U+2026).
 *     A clean word holds only base64 characters [A-Za-z0-9+/=]; anything
 *     else in a word is a stray character, and a word with one is prose.
 *   - A run is consecutive clean words: prose ends it, a blank line does
 *     not. A key is looked for in each line of a run; in a paragraph as a
 *     whole where its lines hold no key, or a line holds neither a key nor
 *     only prose (a wrapped key); and so in the run as a whole (a key with
 *     blank lines in it). Each is tried whole, then less the fewest words
 *     at its ends that are letters alone or digits alone (a greeting or a
 *     closing word on the key's own line), at most PASTE_TRIM_MAX a side.
 *     A key is found where the characters are the canonical base64 of at
 *     least the smallest key, with this format's version byte (a "whole
 *     key"). One whole key written twice on a line or within a wrapped key
 *     is LKEY_R_TWICE.
 *   - Two different keys are LKEY_R_AMBIGUOUS; the same key in several
 *     places (lines, paragraphs) is that key.
 *   - With no key found, the stretch of the text with the most base64
 *     characters is taken as the key meant (consecutive words of one
 *     paragraph, clean or with at most one stray character in
 *     PASTE_TAINT base64 ones): its first stray character is
 *     LKEY_R_BAD_CHAR; without one, its characters are the key, and
 *     lkey_decode says what is wrong with them (too short, padding, ...).
 *
 * No heap, no I/O; the work is bounded by LKEY_TEXT_MAX and the few tries
 * at each line, paragraph and run.
 */
#include <stdbool.h>
#include <string.h>

#include "codec.h"
#include "wire.h"

/* The fewest characters of a key: the smallest key, in base64. */
#define PASTE_KEY_MIN LKEY_B64_LEN(WIRE_MIN_BYTES)
/* The most words of prose dropped at each end of what is tried. */
#define PASTE_TRIM_MAX 16U
#define PASTE_ENDS (PASTE_TRIM_MAX + 1U)
/* A word with stray characters is part of a key with this many base64
 * characters for each stray one (a key with a typo; "customer," is not). */
#define PASTE_TAINT 16U
/* The longest stretch tried: a key written twice. */
#define PASTE_TRY_MAX (2U * LKEY_KEY_TEXT_MAX)

enum paste_kind { PASTE_B64, PASTE_SPACE, PASTE_BREAK, PASTE_STRAY };

/* A word of the text: bytes [start, end). */
typedef struct paste_word {
	size_t start, end;
	size_t nb64;		/* base64 characters */
	size_t nstray;		/* other characters */
	size_t stray_at;	/* the first of those, and what it is */
	uint32_t stray;
	bool plain;		/* letters alone or digits alone: maybe prose */
} paste_word;

/* Where a word is, for trying a stretch less some words at its ends. */
typedef struct paste_end {
	size_t start, end, nb64;
	bool plain;
	bool single;		/* one character */
} paste_end;

/* Keys found: the first is the first nchars base64 characters of
 * [start, end) of the text. */
typedef struct paste_keys {
	bool found;
	size_t start, end, nchars;
	bool twice;		/* a key twice in a row; the second from */
	size_t twice_at;
	bool ambiguous;		/* two different keys; the second from */
	size_t ambiguous_at;
} paste_keys;

/*
 * A line, a paragraph or a run of clean words: how many, the first and the
 * last PASTE_ENDS of them (a ring: word k at tail[k % PASTE_ENDS]), the
 * keys its parts hold (a paragraph's lines, a run's paragraphs), how many
 * parts, and whether a part holds neither a key nor only prose.
 */
typedef struct paste_level {
	size_t n, nb64;
	paste_end head[PASTE_ENDS];
	paste_end tail[PASTE_ENDS];
	paste_keys keys;
	size_t parts;
	bool unclear;
} paste_level;

/* A stretch of text and the base64 characters in it. */
typedef struct paste_span {
	bool open;
	size_t start, end, nb64;
	bool stray;		/* holds a stray character: the first one */
	size_t stray_at;
	uint32_t stray_cp;
} paste_span;

/* What one reading of the text finds. */
typedef struct paste_scan {
	const char *t;
	paste_level line, para, run;
	paste_keys all;
	/* For no key: the best stretch, the one being read, the first stray
	 * character of all. */
	paste_span best, cur, first_stray;
	char buf[PASTE_TRY_MAX];
	char other[LKEY_KEY_TEXT_MAX];
} paste_scan;

static bool
paste_is_b64(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
}

/* The characters forgiven as whitespace beyond ASCII's. */
static bool
paste_is_space(uint32_t cp)
{
	return cp == 0x00a0U || cp == 0x200bU || cp == 0x200cU ||
	    cp == 0x200dU || cp == 0x2060U || cp == 0x202fU || cp == 0xfeffU;
}

/* The character at t[i]: its kind and length; *cp is what it is. */
static size_t
paste_char(const char *t, size_t len, size_t i, enum paste_kind *kind,
    uint32_t *cp)
{
	unsigned char c = (unsigned char)t[i];
	size_t n;

	*cp = c;
	if (paste_is_b64(c)) {
		*kind = PASTE_B64;
		return 1;
	}
	if (c == '\n' || c == '\r') {
		*kind = PASTE_BREAK;
		return c == '\r' && i + 1U < len && t[i + 1U] == '\n' ? 2 : 1;
	}
	if (c == ' ' || c == '\t' || c == '\v' || c == '\f') {
		*kind = PASTE_SPACE;
		return 1;
	}
	n = lkey__utf8_next(t + i, len - i, cp);
	*kind = n > 1 && paste_is_space(*cp) ? PASTE_SPACE : PASTE_STRAY;
	return n;
}

/* Copies the first n base64 characters of t[start, end) to out (and their
 * offsets to where, if not NULL); returns how many there were. */
static size_t
paste_gather(const char *t, size_t start, size_t end, size_t n, char *out,
    size_t *where)
{
	size_t i, k = 0;

	for (i = start; i < end && k < n; i++) {
		if (!paste_is_b64((unsigned char)t[i]))
			continue;
		if (where != NULL)
			where[k] = i;
		out[k++] = t[i];
	}
	return k;
}

/* The offset of base64 character k of t[start, end). */
static size_t
paste_offset(const char *t, size_t start, size_t end, size_t k)
{
	size_t i;

	for (i = start; i < end; i++)
		if (paste_is_b64((unsigned char)t[i]) && k-- == 0)
			return i;
	return start;
}

/* The six bits a base64 character stands for ('=' as 0). */
static unsigned
paste_bits(char c)
{
	if (c >= 'A' && c <= 'Z')
		return (unsigned)(c - 'A');
	if (c >= 'a' && c <= 'z')
		return (unsigned)(c - 'a') + 26U;
	if (c >= '0' && c <= '9')
		return (unsigned)(c - '0') + 52U;
	return c == '+' ? 62U : c == '/' ? 63U : 0U;
}

/*
 * Whether the base64 at t[start, end) begins with this format's version
 * byte: the cheap test first, for text that tries many stretches.
 */
static bool
paste_version(const char *t, size_t start, size_t end)
{
	char two[2];

	if (paste_gather(t, start, end, 2, two, NULL) != 2)
		return false;
	return (paste_bits(two[0]) << 2 | paste_bits(two[1]) >> 4) ==
	    WIRE_VERSION;
}

/*
 * Whether n characters are the canonical base64 of a whole key of this
 * format: long enough, and its version byte. Not whether it is genuine:
 * that is lkey_decode's.
 */
static bool
paste_whole(const char *s, size_t n)
{
	uint8_t raw[LKEY_KEY_MAX];
	size_t m;

	if (n < PASTE_KEY_MIN || n > LKEY_KEY_TEXT_MAX)
		return false;
	if (lkey__b64_decode(s, n, raw, sizeof(raw), &m, NULL) != LKEY_OK)
		return false;
	return m >= WIRE_MIN_BYTES && raw[WIRE_OFF_VERSION] == WIRE_VERSION;
}

/* Whether key b (found) is the key a holds first. */
static bool
paste_same(paste_scan *f, const paste_keys *a, const paste_keys *b)
{
	if (a->nchars != b->nchars)
		return false;
	(void)paste_gather(f->t, a->start, a->end, a->nchars, f->other, NULL);
	(void)paste_gather(f->t, b->start, b->end, b->nchars, f->buf, NULL);
	return memcmp(f->other, f->buf, a->nchars) == 0;
}

/* Adds the keys of `from` (a part, or what was tried) to those of `to`. */
static void
paste_merge(paste_scan *f, paste_keys *to, const paste_keys *from)
{
	if (!from->found)
		return;
	if (!to->found) {
		*to = *from;
		return;
	}
	if (!to->ambiguous && !paste_same(f, to, from)) {
		to->ambiguous = true;
		to->ambiguous_at = from->start;
	}
	if (from->ambiguous && !to->ambiguous) {
		to->ambiguous = true;
		to->ambiguous_at = from->ambiguous_at;
	}
	if (from->twice && !to->twice) {
		to->twice = true;
		to->twice_at = from->twice_at;
	}
}

/* Word k of l, for k among its first or last PASTE_ENDS. */
static const paste_end *
paste_nth(const paste_level *l, size_t k)
{
	if (k < PASTE_ENDS)
		return &l->head[k];
	return &l->tail[k % PASTE_ENDS];
}

static void
paste_level_add(paste_level *l, const paste_word *w)
{
	paste_end e;

	e.start = w->start;
	e.end = w->end;
	e.nb64 = w->nb64;
	e.plain = w->plain;
	e.single = w->nb64 == 1;
	if (l->n < PASTE_ENDS)
		l->head[l->n] = e;
	l->tail[l->n % PASTE_ENDS] = e;
	l->n++;
	l->nb64 += w->nb64;
}

/*
 * The words of l less tl at the start and tr at the end: a key, or one
 * twice? If so, *k says where.
 */
static bool
paste_try(paste_scan *f, const paste_level *l, size_t tl, size_t tr,
    paste_keys *k)
{
	const paste_end *first = paste_nth(l, tl);
	const paste_end *last = paste_nth(l, l->n - 1U - tr);
	size_t i, n = l->nb64;

	for (i = 0; i < tl; i++)
		n -= paste_nth(l, i)->nb64;
	for (i = 0; i < tr; i++)
		n -= paste_nth(l, l->n - 1U - i)->nb64;
	if (n < PASTE_KEY_MIN || n > PASTE_TRY_MAX || n % 4U != 0 ||
	    !paste_version(f->t, first->start, last->end))
		return false;
	(void)paste_gather(f->t, first->start, last->end, n, f->buf, NULL);
	memset(k, 0, sizeof(*k));
	k->start = first->start;
	k->end = last->end;
	if (n % 8U == 0 && memcmp(f->buf, f->buf + n / 2U, n / 2U) == 0 &&
	    paste_whole(f->buf, n / 2U)) {
		k->found = k->twice = true;
		k->nchars = n / 2U;
		k->twice_at = paste_offset(f->t, k->start, k->end, n / 2U);
		return true;
	}
	if (!paste_whole(f->buf, n))
		return false;
	k->found = true;
	k->nchars = n;
	return true;
}

/* How many of the first (from_end: last) words may be prose. */
static size_t
paste_plain(const paste_level *l, bool from_end)
{
	size_t k;

	for (k = 0; k < PASTE_TRIM_MAX && k + 1U < l->n; k++)
		if (!paste_nth(l, from_end ? l->n - 1U - k : k)->plain)
			break;
	return k;
}

/* A key in l's words with the fewest words of prose dropped: found? */
static bool
paste_search(paste_scan *f, const paste_level *l, paste_keys *k)
{
	size_t nh, nt, s, tl;

	memset(k, 0, sizeof(*k));
	if (l->n == 0 || l->nb64 < PASTE_KEY_MIN)
		return false;
	nh = paste_plain(l, false);
	nt = paste_plain(l, true);
	for (s = 0; s <= nh + nt && s < l->n; s++)
		for (tl = 0; tl <= s && tl <= nh; tl++)
			if (s - tl <= nt && paste_try(f, l, tl, s - tl, k))
				return true;
	return false;
}

/*
 * Whether l's words are prose: short, of letters or digits alone, and not
 * all single characters (a key with whitespace between its characters).
 */
static bool
paste_prose(const paste_level *l)
{
	bool word = false;
	size_t k;

	if (l->nb64 >= PASTE_KEY_MIN || l->n > 2U * PASTE_ENDS)
		return false;
	for (k = 0; k < l->n; k++) {
		if (!paste_nth(l, k)->plain)
			return false;
		if (!paste_nth(l, k)->single)
			word = true;
	}
	return word;
}

/*
 * The end of a line, a paragraph or a run (l) within the next (up, or
 * NULL): the keys its parts hold if they are clear, else the key it holds
 * as a whole, else what its parts hold; added to up's. A line, which has
 * no parts, is always tried whole; what has one part only is that part,
 * tried already.
 */
static void
paste_level_end(paste_scan *f, paste_level *l, paste_level *up,
    paste_keys *out)
{
	paste_keys k;

	if (l->n == 0)
		return;
	if ((!l->keys.found || l->unclear) && l->parts != 1) {
		if (paste_search(f, l, &k))
			l->keys = k;
	}
	paste_merge(f, out, &l->keys);
	if (up != NULL) {
		up->parts++;
		if (!l->keys.found && !paste_prose(l))
			up->unclear = true;
	}
	memset(l, 0, sizeof(*l));
}

static void
paste_line_end(paste_scan *f)
{
	paste_level_end(f, &f->line, &f->para, &f->para.keys);
}

/* A blank line or a change of quoting: a paragraph ends. */
static void
paste_para_end(paste_scan *f)
{
	paste_line_end(f);
	paste_level_end(f, &f->para, &f->run, &f->run.keys);
}

/* A word of prose or the end of the text: a run ends. */
static void
paste_run_end(paste_scan *f)
{
	paste_para_end(f);
	paste_level_end(f, &f->run, NULL, &f->all);
}

/* The end of a stretch: is it the best so far? */
static void
paste_span_end(paste_scan *f)
{
	if (f->cur.open && f->cur.nb64 > f->best.nb64)
		f->best = f->cur;
	memset(&f->cur, 0, sizeof(f->cur));
}

static void
paste_span_add(paste_span *s, const paste_word *w)
{
	if (!s->open) {
		s->open = true;
		s->start = w->start;
	}
	s->end = w->end;
	s->nb64 += w->nb64;
	if (w->nstray > 0 && !s->stray) {
		s->stray = true;
		s->stray_at = w->stray_at;
		s->stray_cp = w->stray;
	}
}

static void
paste_word_add(paste_scan *f, const paste_word *w)
{
	bool clean = w->nstray == 0;

	if (!clean && !f->first_stray.open)
		paste_span_add(&f->first_stray, w);
	if (clean) {
		paste_level_add(&f->line, w);
		paste_level_add(&f->para, w);
		paste_level_add(&f->run, w);
	} else
		paste_run_end(f);
	/* A word mostly of base64 continues a stretch; prose is one alone. */
	if (!clean && w->nb64 < PASTE_TAINT * w->nstray) {
		paste_span_end(f);
		paste_span_add(&f->cur, w);
		paste_span_end(f);
	} else
		paste_span_add(&f->cur, w);
}

/* A word ends: plain if letters alone or digits alone. */
static void
paste_word_end(paste_scan *f, paste_word *w, bool letters, bool digits,
    size_t *nwords)
{
	w->plain = w->nstray == 0 && (letters || digits);
	paste_word_add(f, w);
	(*nwords)++;
}

/* Quotation marks: ASCII's two, and the typographic ones of the
 * languages that write the Latin alphabet. */
static bool
paste_is_quote(uint32_t cp)
{
	return cp == '"' || cp == '\'' || cp == 0x00abU || cp == 0x00bbU ||
	    (cp >= 0x2018U && cp <= 0x201fU) || cp == 0x2039U ||
	    cp == 0x203aU;
}

/*
 * The word at t[*start, *end) less the marks around a quoted key:
 * quotation marks at its start, and at its end a run of quotation marks
 * with any full stops and commas among or after them (`"KEY".`,
 * `"KEY"...`, `'KEY',`, `KEY."`). A full stop or comma with no quotation mark is
 * left, and stays a stray character, as is anything inside the word.
 * Returns true for a word of nothing but quotation marks, full stops,
 * commas and ellipses (`""`, `“”.`, `...`): punctuation, no word at all.
 */
static bool
paste_unquote(const char *t, size_t *start, size_t *end)
{
	enum paste_kind kind;
	size_t i, k, a = *start, core = *start, nq = 0;
	uint32_t cp;

	while (a < *end) {
		k = paste_char(t, *end, a, &kind, &cp);
		if (kind != PASTE_STRAY || !paste_is_quote(cp))
			break;
		a += k;
	}
	for (i = a; i < *end; i += k) {
		k = paste_char(t, *end, i, &kind, &cp);
		if (kind == PASTE_STRAY && paste_is_quote(cp))
			nq++;
		else if (kind != PASTE_STRAY || (cp != '.' && cp != ',' &&
		    cp != 0x2026U)) {
			core = i + k;
			nq = 0;
		}
	}
	if (core <= a)
		return true;	/* every character is a mark */
	*start = a;
	if (nq > 0)
		*end = core;
	return false;
}

/* A word at t[start, end): its characters counted, its marks dropped. */
static void
paste_word_read(paste_scan *f, size_t start, size_t end, size_t *nwords)
{
	enum paste_kind kind;
	bool letters = true, digits = true;
	paste_word w;
	uint32_t cp;
	size_t i, k;

	if (paste_unquote(f->t, &start, &end)) {
		/* Punctuation: it parts what is before from what is after,
		 * as prose does, but is no stray character of the text. */
		paste_run_end(f);
		paste_span_end(f);
		(*nwords)++;
		return;
	}
	memset(&w, 0, sizeof(w));
	w.start = start;
	w.end = end;
	for (i = start; i < end; i += k) {
		k = paste_char(f->t, end, i, &kind, &cp);
		if (kind != PASTE_B64) {
			if (w.nstray++ == 0) {
				w.stray_at = i;
				w.stray = cp;
			}
			continue;
		}
		w.nb64++;
		if ((cp | 0x20U) < 'a' || (cp | 0x20U) > 'z')
			letters = false;
		if (cp < '0' || cp > '9')
			digits = false;
	}
	paste_word_end(f, &w, letters, digits, nwords);
}

/* The words of the line at t[i]; returns where the next line starts. */
static size_t
paste_line(paste_scan *f, size_t len, size_t i, size_t *nwords)
{
	enum paste_kind kind;
	bool in = false;
	uint32_t cp;
	size_t k, start = 0;

	for (; i < len; i += k) {
		k = paste_char(f->t, len, i, &kind, &cp);
		if (kind == PASTE_B64 || kind == PASTE_STRAY) {
			if (!in)
				start = i;
			in = true;
			continue;
		}
		if (in)
			paste_word_read(f, start, i, nwords);
		in = false;
		if (kind == PASTE_BREAK)
			return i + k;
	}
	if (in)
		paste_word_read(f, start, i, nwords);
	return i;
}

/* Skips whitespace and '>' quote marks at a line's start; counts them. */
static size_t
paste_quotes(const char *t, size_t len, size_t i, size_t *depth)
{
	enum paste_kind kind;
	uint32_t cp;
	size_t k;

	*depth = 0;
	while (i < len) {
		k = paste_char(t, len, i, &kind, &cp);
		if (kind == PASTE_STRAY && t[i] == '>')
			(*depth)++;
		else if (kind != PASTE_SPACE)
			break;
		i += k;
	}
	return i;
}

/* Whether the line at t[i] is a signature separator, "--" or "-- ". */
static bool
paste_signature(const char *t, size_t len, size_t i)
{
	enum paste_kind kind;
	uint32_t cp;
	size_t k;

	if (len - i < 2 || t[i] != '-' || t[i + 1U] != '-')
		return false;
	for (i += 2; i < len; i += k) {
		k = paste_char(t, len, i, &kind, &cp);
		if (kind == PASTE_BREAK)
			return true;
		if (kind != PASTE_SPACE)
			return false;
	}
	return true;
}

/* Reads the text line by line; with `signature`, up to a signature
 * separator. */
static void
paste_read(paste_scan *f, size_t len, bool signature)
{
	size_t i = 0, depth, last = 0, nwords;

	while (i < len) {
		i = paste_quotes(f->t, len, i, &depth);
		if (signature && paste_signature(f->t, len, i))
			break;
		if (depth != last) {
			paste_para_end(f);
			paste_span_end(f);
		}
		last = depth;
		nwords = 0;
		i = paste_line(f, len, i, &nwords);
		paste_line_end(f);
		if (nwords == 0) {
			paste_para_end(f);
			paste_span_end(f);
		}
	}
	paste_run_end(f);
	paste_span_end(f);
}

static lkey_status
paste_refuse(lkey_detail *d, lkey_reason reason, size_t offset,
    uint32_t value)
{
	d->reason = reason;
	d->offset = offset;
	d->value = value;
	return LKEY_MALFORMED;
}

/*
 * The key in t: on LKEY_OK it is the first f->all.nchars base64
 * characters of t[f->all.start, f->all.end). `d` is not NULL.
 */
static lkey_status
paste_find(const char *t, size_t len, paste_scan *f, lkey_detail *d)
{
	paste_span best;

	memset(d, 0, sizeof(*d));
	memset(f, 0, sizeof(*f));
	f->t = t;
	if (t == NULL)
		return paste_refuse(d, LKEY_R_EMPTY, 0, 0);
	if (len > LKEY_TEXT_MAX)
		return paste_refuse(d, LKEY_R_TOO_LONG, LKEY_TEXT_MAX, 0);
	paste_read(f, len, true);
	if (!f->all.found) {
		/* No key before a signature: all of the text, but the
		 * stretch most like a key before it, if any. */
		best = f->best;
		memset(f, 0, sizeof(*f));
		f->t = t;
		paste_read(f, len, false);
		if (!f->all.found && best.nb64 > 0)
			f->best = best;
	}
	if (f->all.ambiguous)
		return paste_refuse(d, LKEY_R_AMBIGUOUS, f->all.ambiguous_at,
		    0);
	if (f->all.twice)
		return paste_refuse(d, LKEY_R_TWICE, f->all.twice_at, 0);
	if (f->all.found)
		return LKEY_OK;
	if (f->best.nb64 == 0 && !f->first_stray.open)
		return paste_refuse(d, LKEY_R_EMPTY, 0, 0);
	if (f->best.nb64 == 0)
		return paste_refuse(d, LKEY_R_BAD_CHAR,
		    f->first_stray.stray_at, f->first_stray.stray_cp);
	if (f->best.stray)
		return paste_refuse(d, LKEY_R_BAD_CHAR, f->best.stray_at,
		    f->best.stray_cp);
	f->all.start = f->best.start;
	f->all.end = f->best.end;
	f->all.nchars = f->best.nb64;
	return LKEY_OK;
}

/*
 * The common case, a key alone: one word of base64 characters, ASCII
 * whitespace around it at most, not one half repeated. It is the key as
 * it stands (the search below would find that word, and nothing else);
 * true if so, with *from and *to around it.
 */
static bool
paste_alone(const char *text, size_t len, size_t *from, size_t *to)
{
	size_t a = 0, b = len, i, h;

	if (text == NULL || len > LKEY_TEXT_MAX)
		return false;
	while (a < b && lkey__b64_is_space((unsigned char)text[a]))
		a++;
	while (b > a && lkey__b64_is_space((unsigned char)text[b - 1U]))
		b--;
	if (a == b)
		return false;
	for (i = a; i < b; i++)
		if (!paste_is_b64((unsigned char)text[i]))
			return false;
	h = (b - a) / 2U;
	if ((b - a) % 2U == 0 && memcmp(text + a, text + a + h, h) == 0)
		return false;
	*from = a;
	*to = b;
	return true;
}

/*
 * Where the key in text is: t[*start, *end), with *n base64 characters.
 * A key alone at once, else by the search.
 */
static lkey_status
paste_locate(const char *text, size_t len, size_t *start, size_t *end,
    size_t *n, lkey_detail *detail)
{
	paste_scan f;
	lkey_status st;

	if (paste_alone(text, len, start, end)) {
		memset(detail, 0, sizeof(*detail));
		*n = *end - *start;
		return LKEY_OK;
	}
	if ((st = paste_find(text, len, &f, detail)) != LKEY_OK)
		return st;
	*start = f.all.start;
	*end = f.all.end;
	*n = f.all.nchars;
	return LKEY_OK;
}

lkey_status
lkey_key_find(const char *text, size_t len, char *out, size_t cap,
    size_t *out_len, size_t *where, lkey_detail *detail)
{
	lkey_detail local;
	lkey_status st;
	size_t a, b, n;

	if (detail == NULL)
		detail = &local;
	*out_len = 0;
	if (cap > 0)
		out[0] = '\0';
	if ((st = paste_locate(text, len, &a, &b, &n, detail)) != LKEY_OK)
		return st;
	if (n >= cap)
		return paste_refuse(detail, LKEY_R_TOO_LONG, a, 0);
	*out_len = paste_gather(text, a, b, n, out, where);
	out[*out_len] = '\0';
	return LKEY_OK;
}

/*
 * Text, key, licence, terms: the first step that refuses gives the
 * verdict, with its detail about the text as given.
 */
lkey_status
lkey_verify(const char *text, size_t len, const lkey_pubkey *keys,
    size_t nkeys, const lkey_context *ctx, lkey_license *lic,
    lkey_report *report, lkey_detail *detail)
{
	char key[LKEY_TEXT_MAX + 1U];
	lkey_detail local;
	lkey_status st;
	size_t a = 0, b = 0, n = 0;

	if (detail == NULL)
		detail = &local;
	memset(lic, 0, sizeof(*lic));
	memset(report, 0, sizeof(*report));
	memset(detail, 0, sizeof(*detail));
	/* Without libsodium nothing can be authenticated: no licence. */
	if (lkey_init() != 0)
		st = LKEY_MALFORMED;
	else
		st = paste_locate(text, len, &a, &b, &n, detail);
	if (st == LKEY_OK) {
		n = paste_gather(text, a, b, n, key, NULL);
		st = lkey_decode(key, n, keys, nkeys, lic, detail);
		if (st != LKEY_OK)
			detail->offset = paste_offset(text, a, b,
			    detail->offset < n ? detail->offset : n - 1U);
	}
	if (st != LKEY_OK) {
		/* As lkey_check reports a licence lkey_decode did not make:
		 * every problem's module none, the unused ones too. */
		for (a = 0; a < sizeof(report->problems) /
		    sizeof(report->problems[0]); a++)
			report->problems[a].module = LKEY_MODULE_NONE;
		report->status = st;
		report->nproblems = 1;
		report->problems[0].status = st;
		return st;
	}
	return lkey_check(lic, ctx, report);
}

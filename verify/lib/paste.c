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
 * text form and the signature. Nothing found here is trusted.
 *
 * The rule, in the words of docs/FORMAT.md ("Text form"):
 *
 *   - Whitespace is ASCII's and U+00A0, U+200B, U+200C, U+200D, U+2060,
 *     U+202F and U+FEFF (no-break, zero-width and narrow spaces, the
 *     byte-order mark). Lines end at LF, CR or CRLF. Quote marks ('>',
 *     repeated, with spaces) at the start of a line are dropped. A blank
 *     line, or a change in the depth of quoting, ends a paragraph.
 *   - A line "--" (the "-- " signature separator) ends the text; only if
 *     nothing key-like is found before it is the rest looked at too.
 *   - A word is what lies between whitespace. A clean word holds only
 *     base64 characters [A-Za-z0-9+/=]; anything else in a word is a stray
 *     character.
 *   - A key is looked for in each run of consecutive clean words (prose
 *     ends a run, a blank line does not): first in each paragraph of the
 *     run, and in the run as a whole if a paragraph of it holds neither a
 *     key nor only words of prose (a key with blank lines in it). In each,
 *     the whole of it is tried, else it less the fewest words at either end
 *     that are letters alone or digits alone (a greeting or a closing word
 *     on the key's own line), at most PASTE_TRIM_MAX a side. A key is found
 *     when its characters are the canonical base64 of at least the
 *     smallest key with this format's version byte (a "whole key"). One
 *     whole key written twice in one paragraph is LKEY_R_TWICE.
 *   - Two different keys are LKEY_R_AMBIGUOUS; the same key in several
 *     places is that key.
 *   - With no key found, the stretch of the text with the most base64
 *     characters is taken as the key the user meant (consecutive words of
 *     one paragraph that are clean or have a stray character among at
 *     least PASTE_TAINT base64 characters each): its first stray character
 *     is LKEY_R_BAD_CHAR; without one, its characters are the key, and
 *     lkey_decode says what is wrong with them (too short, padding, ...).
 *
 * No heap, no I/O; the work is bounded by LKEY_TEXT_MAX and the few tries
 * per run.
 */
#include <stdbool.h>
#include <string.h>

#include "codec.h"
#include "wire.h"

/* The fewest characters of a key: the smallest key, in base64. */
#define PASTE_KEY_MIN LKEY_B64_LEN(WIRE_MIN_BYTES)
/* The most words of prose dropped at each end of a run. */
#define PASTE_TRIM_MAX 16U
/* A word with stray characters is part of a key with this many base64
 * characters for each stray one (a key with a typo; "customer," is not). */
#define PASTE_TAINT 16U
/* The longest stretch of a run tried: a key written twice. */
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

/* A stretch of text and the base64 characters in it. */
typedef struct paste_span {
	bool open;
	size_t start, end, nb64;
	bool stray;		/* holds a stray character: the first one */
	size_t stray_at;
	uint32_t stray_cp;
} paste_span;

/* Consecutive clean words: how many, and the first and the last
 * PASTE_TRIM_MAX + 1 of them (a ring: word k at tail[k % size]). */
typedef struct paste_words {
	size_t n, nb64;
	paste_word head[PASTE_TRIM_MAX + 1U];
	paste_word tail[PASTE_TRIM_MAX + 1U];
} paste_words;

/* Keys found: the first is the first nchars base64 characters of
 * [start, end). */
typedef struct paste_keys {
	bool found;
	size_t start, end, nchars;
	char key[LKEY_KEY_TEXT_MAX];
	bool twice;		/* a key twice in a row; the second from */
	size_t twice_at;
	bool ambiguous;		/* two different keys; the second from */
	size_t ambiguous_at;
} paste_keys;

/* What a scan reads and finds. */
typedef struct paste_scan {
	paste_words para;	/* of a run, in one paragraph */
	paste_words run;
	size_t nparas;		/* paragraphs of the run */
	bool unclear;		/* one that holds no key and not only prose */
	paste_keys in_run, all;
	/* For no key: the best stretch, the one being read, the first stray
	 * character of all. */
	paste_span best, cur, first_stray;
	char buf[PASTE_TRY_MAX];
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

/* A key (its characters in buf) found in t[start, end). */
static void
paste_found(paste_keys *k, const char *buf, const char *t, size_t start,
    size_t end, size_t n, bool twice)
{
	if (!k->found) {
		k->found = true;
		k->start = start;
		k->end = end;
		k->nchars = n;
		memcpy(k->key, buf, n);
	} else if (!k->ambiguous && (n != k->nchars ||
	    memcmp(k->key, buf, n) != 0)) {
		k->ambiguous = true;
		k->ambiguous_at = start;
	}
	if (twice && !k->twice) {
		k->twice = true;
		k->twice_at = paste_offset(t, start, end, n);
	}
}

/* The keys of a run, added to those before it. */
static void
paste_merge(paste_keys *all, const paste_keys *run)
{
	if (!run->found)
		return;
	if (!all->found) {
		*all = *run;
		return;
	}
	if (!all->ambiguous && (run->nchars != all->nchars ||
	    memcmp(run->key, all->key, run->nchars) != 0)) {
		all->ambiguous = true;
		all->ambiguous_at = run->start;
	}
	if (run->ambiguous && !all->ambiguous) {
		all->ambiguous = true;
		all->ambiguous_at = run->ambiguous_at;
	}
	if (run->twice && !all->twice) {
		all->twice = true;
		all->twice_at = run->twice_at;
	}
}

/* Word k of w, for k among its first or last PASTE_TRIM_MAX + 1. */
static const paste_word *
paste_nth(const paste_words *w, size_t k)
{
	if (k <= PASTE_TRIM_MAX)
		return &w->head[k];
	return &w->tail[k % (PASTE_TRIM_MAX + 1U)];
}

static void
paste_words_add(paste_words *w, const paste_word *word)
{
	if (w->n <= PASTE_TRIM_MAX)
		w->head[w->n] = *word;
	w->tail[w->n % (PASTE_TRIM_MAX + 1U)] = *word;
	w->n++;
	w->nb64 += word->nb64;
}

/* The words less tl at the start and tr at the end: a key, or one twice? */
static bool
paste_try(paste_scan *f, const paste_words *w, paste_keys *k,
    const char *t, size_t tl, size_t tr)
{
	const paste_word *first = paste_nth(w, tl);
	const paste_word *last = paste_nth(w, w->n - 1U - tr);
	size_t i, n = w->nb64;

	for (i = 0; i < tl; i++)
		n -= paste_nth(w, i)->nb64;
	for (i = 0; i < tr; i++)
		n -= paste_nth(w, w->n - 1U - i)->nb64;
	if (n < PASTE_KEY_MIN || n > PASTE_TRY_MAX || n % 4U != 0)
		return false;
	(void)paste_gather(t, first->start, last->end, n, f->buf, NULL);
	if (n % 8U == 0 && memcmp(f->buf, f->buf + n / 2U, n / 2U) == 0 &&
	    paste_whole(f->buf, n / 2U)) {
		paste_found(k, f->buf, t, first->start, last->end, n / 2U,
		    true);
		return true;
	}
	if (!paste_whole(f->buf, n))
		return false;
	paste_found(k, f->buf, t, first->start, last->end, n, false);
	return true;
}

/* How many of the first (from_end: last) words may be prose. */
static size_t
paste_plain(const paste_words *w, bool from_end)
{
	size_t k;

	for (k = 0; k < PASTE_TRIM_MAX && k + 1U < w->n; k++)
		if (!paste_nth(w, from_end ? w->n - 1U - k : k)->plain)
			break;
	return k;
}

/* A key in the words, with the fewest words of prose dropped: found? */
static bool
paste_search(paste_scan *f, const paste_words *w, paste_keys *k,
    const char *t)
{
	size_t nh, nt, s, tl;

	if (w->n == 0 || w->nb64 < PASTE_KEY_MIN)
		return false;
	nh = paste_plain(w, false);
	nt = paste_plain(w, true);
	for (s = 0; s <= nh + nt && s < w->n; s++)
		for (tl = 0; tl <= s && tl <= nh; tl++)
			if (s - tl <= nt && paste_try(f, w, k, t, tl, s - tl))
				return true;
	return false;
}

/*
 * Whether the words are prose: short, of letters or digits alone, and not
 * all single characters (a key with whitespace between every character).
 */
static bool
paste_prose(const paste_words *w)
{
	bool word = false;
	size_t k;

	if (w->nb64 >= PASTE_KEY_MIN || w->n > 2U * (PASTE_TRIM_MAX + 1U))
		return false;
	for (k = 0; k < w->n; k++) {
		if (!paste_nth(w, k)->plain)
			return false;
		if (paste_nth(w, k)->nb64 > 1)
			word = true;
	}
	return word;
}

/* The end of a paragraph of a run: a key in it? */
static void
paste_para_end(paste_scan *f, const char *t)
{
	if (f->para.n == 0)
		return;
	f->nparas++;
	if (!paste_search(f, &f->para, &f->in_run, t) &&
	    !paste_prose(&f->para))
		f->unclear = true;
	memset(&f->para, 0, sizeof(f->para));
}

/*
 * The end of a run: its paragraphs' keys, or, where a paragraph is
 * unclear, the key the run makes as a whole if it makes one.
 */
static void
paste_run_end(paste_scan *f, const char *t)
{
	paste_keys whole;

	paste_para_end(f, t);
	if (f->unclear && f->nparas > 1) {
		memset(&whole, 0, sizeof(whole));
		if (paste_search(f, &f->run, &whole, t))
			f->in_run = whole;
	}
	paste_merge(&f->all, &f->in_run);
	memset(&f->run, 0, sizeof(f->run));
	memset(&f->in_run, 0, sizeof(f->in_run));
	f->nparas = 0;
	f->unclear = false;
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

/* A blank line or a change of quoting: a paragraph ends. */
static void
paste_paragraph(paste_scan *f, const char *t)
{
	paste_para_end(f, t);
	paste_span_end(f);
}

static void
paste_word_add(paste_scan *f, const char *t, const paste_word *w)
{
	bool clean = w->nstray == 0;

	if (!clean && !f->first_stray.open)
		paste_span_add(&f->first_stray, w);
	if (clean) {
		paste_words_add(&f->para, w);
		paste_words_add(&f->run, w);
	} else
		paste_run_end(f, t);
	/* A word mostly of base64 continues a stretch; prose is one alone. */
	if (!clean && w->nb64 < PASTE_TAINT * w->nstray) {
		paste_span_end(f);
		paste_span_add(&f->cur, w);
		paste_span_end(f);
	} else
		paste_span_add(&f->cur, w);
}

/* The words of the line at t[i]; returns where the next line starts. */
static size_t
paste_line(paste_scan *f, const char *t, size_t len, size_t i,
    size_t *nwords)
{
	enum paste_kind kind;
	paste_word w;
	bool in = false, letters = false, digits = false;
	uint32_t cp;
	size_t k;

	memset(&w, 0, sizeof(w));
	for (; i < len; i += k) {
		k = paste_char(t, len, i, &kind, &cp);
		if (kind == PASTE_B64 || kind == PASTE_STRAY) {
			if (!in) {
				memset(&w, 0, sizeof(w));
				w.start = i;
				letters = digits = in = true;
			}
			w.end = i + k;
			if (kind == PASTE_STRAY) {
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
			continue;
		}
		if (in) {
			w.plain = w.nstray == 0 && (letters || digits);
			paste_word_add(f, t, &w);
			(*nwords)++;
			in = false;
		}
		if (kind == PASTE_BREAK)
			return i + k;
	}
	if (in) {
		w.plain = w.nstray == 0 && (letters || digits);
		paste_word_add(f, t, &w);
		(*nwords)++;
	}
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

/* Reads t line by line; with `signature`, up to a signature separator. */
static void
paste_read(paste_scan *f, const char *t, size_t len, bool signature)
{
	size_t i = 0, depth, last = 0, nwords;

	while (i < len) {
		i = paste_quotes(t, len, i, &depth);
		if (signature && paste_signature(t, len, i))
			break;
		if (depth != last)
			paste_paragraph(f, t);
		last = depth;
		nwords = 0;
		i = paste_line(f, t, len, i, &nwords);
		if (nwords == 0)
			paste_paragraph(f, t);
	}
	paste_run_end(f, t);
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
	paste_span best, first_stray;

	memset(d, 0, sizeof(*d));
	memset(f, 0, sizeof(*f));
	if (t == NULL)
		return paste_refuse(d, LKEY_R_EMPTY, 0, 0);
	if (len > LKEY_TEXT_MAX)
		return paste_refuse(d, LKEY_R_TOO_LONG, LKEY_TEXT_MAX, 0);
	paste_read(f, t, len, true);
	if (!f->all.found) {
		/* Nothing before a signature: all of the text. */
		best = f->best;
		first_stray = f->first_stray;
		memset(f, 0, sizeof(*f));
		paste_read(f, t, len, false);
		if (!f->all.found && best.nb64 > 0) {
			f->best = best;
			f->first_stray = first_stray;
		}
	}
	if (f->all.ambiguous)
		return paste_refuse(d, LKEY_R_AMBIGUOUS, f->all.ambiguous_at,
		    0);
	if (f->all.twice)
		return paste_refuse(d, LKEY_R_TWICE, f->all.twice_at, 0);
	if (f->all.found)
		return LKEY_OK;
	/* No whole key: the stretch most like one. */
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

lkey_status
lkey_key_find(const char *text, size_t len, char *out, size_t cap,
    size_t *out_len, size_t *where, lkey_detail *detail)
{
	paste_scan f;
	lkey_detail local;
	lkey_status st;

	if (detail == NULL)
		detail = &local;
	*out_len = 0;
	if (cap > 0)
		out[0] = '\0';
	st = paste_find(text, len, &f, detail);
	if (st != LKEY_OK)
		return st;
	if (f.all.nchars >= cap)
		return paste_refuse(detail, LKEY_R_TOO_LONG, f.all.start, 0);
	*out_len = paste_gather(text, f.all.start, f.all.end, f.all.nchars,
	    out, where);
	out[*out_len] = '\0';
	return LKEY_OK;
}

/*
 * Text, key, licence, terms: every step's refusal is the verdict, with its
 * detail about the text as given.
 */
lkey_status
lkey_verify(const char *text, size_t len, const lkey_pubkey *keys,
    size_t nkeys, const lkey_context *ctx, lkey_license *lic,
    lkey_report *report, lkey_detail *detail)
{
	char key[LKEY_TEXT_MAX + 1U];
	paste_scan f;
	lkey_detail local;
	lkey_status st;
	size_t n;

	if (detail == NULL)
		detail = &local;
	memset(lic, 0, sizeof(*lic));
	memset(report, 0, sizeof(*report));
	memset(detail, 0, sizeof(*detail));
	if (lkey_init() != 0)
		st = LKEY_MALFORMED;
	else
		st = paste_find(text, len, &f, detail);
	if (st == LKEY_OK) {
		n = paste_gather(text, f.all.start, f.all.end, f.all.nchars, key, NULL);
		st = lkey_decode(key, n, keys, nkeys, lic, detail);
		if (st != LKEY_OK)
			detail->offset = paste_offset(text, f.all.start, f.all.end,
			    detail->offset < n ? detail->offset : n - 1U);
	}
	if (st != LKEY_OK) {
		report->status = st;
		report->nproblems = 1;
		report->problems[0].status = st;
		report->problems[0].module = LKEY_MODULE_NONE;
		return st;
	}
	return lkey_check(lic, ctx, report);
}

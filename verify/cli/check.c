/*
 * check.c - lkey-verify --check MANIFEST: a vendor's CI checks its sample
 * keys against the verdicts they must give (keys/samples/MANIFEST,
 * docs/CI.md)
 *
 * A line is "FILE STATUS [OPTIONS...]", or "defaults OPTIONS..." for the
 * lines after it. Each key line is judged by the very code of a single
 * check: its options, those of the defaults line and the command line,
 * and --key-file FILE, parsed as the single check parses its own, are
 * given to evaluate() (evaluate.c), so that --check can never judge a key
 * otherwise than "lkey-verify ... --key-file FILE" does. When it stops
 * before a verdict, the line the single check would have written to
 * standard error is the line's reason. All in this one process: no fork,
 * no exec.
 *
 * The manifest is read whole, within CHECK_FILE_MAX, and split in place:
 * no heap, and every line and the paths of each line are bounded.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "cli.h"
#include "evaluate.h"
#include "lkey.h"
#include "msg.h"
#include "options.h"
#include "stop.h"
#include "textfile.h"

/* The paths made for one key line, relative to the manifest. */
#define CHECK_POOL_MAX 65536U
/* The reason a line could not be checked. */
#define CHECK_REASON_MAX 1200U

typedef struct run {
	const args *cmd;	/* the command line */
	const char *manifest;	/* as given there */
	size_t dirlen;		/* manifest[0..dirlen) is the directory that
				 * manifest paths are relative to, with its
				 * '/'; 0 for the current directory */
	args defaults;		/* of the defaults line in force */
	size_t bad_defaults;	/* the line of a bad defaults line in force,
				 * or 0 */
	size_t keylines, passed, failed;
	char pool[CHECK_POOL_MAX];
	size_t used;
} run;

/* Words are separated by spaces and tabs. */
static bool
blank(char c)
{
	return c == ' ' || c == '\t';
}

static void outcome(run *r, bool pass, size_t line, const char *file,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* "pass  MANIFEST:LINE  FILE  what" or "FAIL  ...", counted. */
static void
outcome(run *r, bool pass, size_t line, const char *file, const char *fmt,
    ...)
{
	va_list ap;

	printf("%s  %s:%zu  %s  ", pass ? "pass" : "FAIL", r->manifest, line,
	    file);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (pass)
		r->passed++;
	else
		r->failed++;
}

/* The status named `word`, or -1. */
static int
status_of(const char *word)
{
	int s;

	for (s = 0; s < LKEY_STATUS_COUNT; s++)
		if (strcmp(lkey_status_name((lkey_status)s), word) == 0)
			return s;
	return -1;
}

/*
 * Splits a line (len bytes, its '\n' and any '\r' before it removed) into
 * words in place. Returns the number of words, or 0 with the reason in why
 * (line[len] is overwritten).
 */
static size_t
split(char *line, size_t len, char *words[CHECK_WORDS_MAX], char *why,
    size_t cap)
{
	size_t i, n = 0;
	unsigned char c;

	if (len > CHECK_LINE_MAX) {
		snprintf(why, cap, "line longer than %u bytes", CHECK_LINE_MAX);
		return 0;
	}
	for (i = 0; i < len; i++) {
		c = (unsigned char)line[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			snprintf(why, cap, "byte %zu of the line is a control "
			    "character (\\x%02x)", i + 1U, c);
			return 0;
		}
	}
	i = 0;
	for (;;) {
		while (i < len && blank(line[i]))
			line[i++] = '\0';
		if (i == len)
			break;
		if (n == CHECK_WORDS_MAX) {
			snprintf(why, cap, "more than %u words on the line",
			    CHECK_WORDS_MAX);
			return 0;
		}
		words[n++] = line + i;
		while (i < len && !blank(line[i]))
			i++;
	}
	line[len] = '\0';
	return n;
}

/* Whether --check refuses option k; if so, why (one line) into why. */
static bool
refused(size_t k, char *why, size_t cap)
{
	if (option_refused[k] == NULL)
		return false;
	snprintf(why, cap, "--%s is not allowed with --check: %s",
	    options[k].name, option_refused[k]);
	return true;
}

/*
 * The options of a manifest line, words[first..nwords), into out. Returns
 * 0, or -1 with the reason in why: an option the single check does not
 * know, given twice or without its value, one --check refuses, or a word
 * that is not an option.
 */
static int
line_options(char **words, size_t nwords, size_t first, args *out,
    char *why, size_t cap)
{
	char sh[MSG_SHOW_CAP];
	size_t k;

	if (args_parse((int)nwords, words, (int)first, options, O_COUNT, out,
	    why, cap) != 0)
		return -1;
	for (k = 0; k < O_COUNT; k++)
		if (out->seen[k] && refused(k, why, cap))
			return -1;
	if (out->npos > 0) {
		snprintf(why, cap, "unexpected word '%s': options start with "
		    "--", msg_show(out->pos[0], strlen(out->pos[0]), sh));
		return -1;
	}
	return 0;
}

/* n bytes of a and then b, NUL-terminated, in the line's pool; or NULL. */
static char *
pool_cat(run *r, const char *a, size_t n, const char *b)
{
	size_t m = strlen(b);
	char *p;

	if (n + m + 1U > sizeof(r->pool) - r->used)
		return NULL;
	p = r->pool + r->used;
	memcpy(p, a, n);
	memcpy(p + n, b, m + 1U);
	r->used += n + m + 1U;
	return p;
}

/*
 * A path given in the manifest, relative to the manifest's directory: the
 * same path when it is absolute or empty (the single check says what an
 * empty one is). "-" is a file named "-", never standard input.
 */
static const char *
manifest_path(run *r, const char *path)
{
	if (path[0] == '\0' || path[0] == '/')
		return path;
	if (r->dirlen == 0)
		return strcmp(path, "-") == 0 ? pool_cat(r, "./", 2, path) :
		    path;
	return pool_cat(r, r->manifest, r->dirlen, path);
}

/*
 * The single check's options for a key line into out: each option from the
 * line if given there, else from the defaults line in force, else from the
 * command line (every value of --pubkey from that one place), then
 * --key-file FILE. Returns 0, or -1 if the paths do not fit in the pool.
 */
static int
merge(run *r, const args *line, const char *file, args *out)
{
	const args *src;
	const char *v;
	size_t k, i;

	memset(out, 0, sizeof(*out));
	r->used = 0;
	for (k = 0; k < O_COUNT; k++) {
		src = line->seen[k] ? line : r->defaults.seen[k] ?
		    &r->defaults : r->cmd->seen[k] ? r->cmd : NULL;
		if (k == O_CHECK || src == NULL)
			continue;
		for (i = 0; i < src->count[k]; i++) {
			v = args_nth(src, k, i);
			if (src != r->cmd && option_is_path[k] &&
			    (v = manifest_path(r, v)) == NULL)
				return -1;
			/* Each option from one place: within the bounds
			 * args_parse kept there. */
			(void)args_add(out, k, options[k].has_value ==
			    ARGS_MULTI, v);
		}
	}
	if ((file = manifest_path(r, file)) == NULL)
		return -1;
	(void)args_add(out, O_KEYFILE, false, file);
	return 0;
}

/* The verdict of the single check, or -1 with why it stopped before. */
static int
single(const args *a, char *why, size_t cap)
{
	static job j;
	stop s;

	if (evaluate(a, &j, &s) == 0)
		return (int)j.v.status;
	stop_reason(&s, why, cap);
	return -1;
}

/* A key line: words[0] the key file, words[1] the status expected. */
static void
key_line(run *r, size_t lineno, char **words, size_t nwords,
    const char *shown)
{
	static args line, merged;
	char why[CHECK_REASON_MAX + 64U], names[320], sh[MSG_SHOW_CAP];
	size_t k;
	int want, got;

	r->keylines++;
	if (words[0][0] == '-') {
		outcome(r, false, lineno, shown, "a line starts with its key "
		    "file, not an option (write a file named -x as ./-x)");
		return;
	}
	if (nwords < 2) {
		outcome(r, false, lineno, shown, "no expected status: a line "
		    "is FILE STATUS [OPTIONS...]");
		return;
	}
	want = status_of(words[1]);
	if (want < 0) {
		names[0] = '\0';
		for (k = 0; k < LKEY_STATUS_COUNT; k++) {
			if (k > 0)
				strcat(names, ", ");
			strcat(names, lkey_status_name((lkey_status)k));
		}
		outcome(r, false, lineno, shown, "unknown status '%s' (one of "
		    "%s)", msg_show(words[1], strlen(words[1]), sh), names);
		return;
	}
	if (line_options(words, nwords, 2, &line, why, sizeof(why)) != 0) {
		outcome(r, false, lineno, shown, "%s", why);
		return;
	}
	if (r->bad_defaults != 0) {
		outcome(r, false, lineno, shown, "not checked: the defaults "
		    "line %s:%zu is bad", r->manifest, r->bad_defaults);
		return;
	}
	if (merge(r, &line, words[0], &merged) != 0) {
		outcome(r, false, lineno, shown, "not checked: the options of "
		    "the line are too long");
		return;
	}
	got = single(&merged, why, sizeof(why));
	if (got == want)
		outcome(r, true, lineno, shown, "%s",
		    lkey_status_name((lkey_status)want));
	else if (got < 0)
		outcome(r, false, lineno, shown, "expected %s, got error: %s",
		    lkey_status_name((lkey_status)want), why);
	else
		outcome(r, false, lineno, shown, "expected %s, got %s",
		    lkey_status_name((lkey_status)want),
		    lkey_status_name((lkey_status)got));
}

/* "defaults OPTIONS...": the options of the lines after it. */
static void
defaults_line(run *r, size_t lineno, char **words, size_t nwords,
    const char *why_split)
{
	char why[512];
	args next;

	if (why_split != NULL)
		snprintf(why, sizeof(why), "%s", why_split);
	if (why_split != NULL || line_options(words, nwords, 1, &next, why,
	    sizeof(why)) != 0) {
		outcome(r, false, lineno, "defaults", "%s", why);
		memset(&r->defaults, 0, sizeof(r->defaults));
		r->bad_defaults = lineno;
		return;
	}
	r->defaults = next;
	r->bad_defaults = 0;
}

int
check_run(const args *cmd)
{
	static char text[CHECK_FILE_MAX + 1U];
	static run r;
	char err[512], sh[MSG_SHOW_CAP], *words[CHECK_WORDS_MAX], *line, *end,
	    *p;
	const char *slash;
	size_t len, n, nwords, lineno = 0, k;
	bool dflt;
	int rc;

	for (k = 0; k < O_COUNT; k++)
		if (k != O_CHECK && cmd->seen[k] &&
		    refused(k, err, sizeof(err)))
			cli_usage(err);
	if (cmd->npos > 0)
		cli_usage("--check takes no KEY: the manifest names the key "
		    "files");
	memset(&r, 0, sizeof(r));
	r.cmd = cmd;
	r.manifest = cmd->value[O_CHECK];
	if (r.manifest[0] == '\0')
		cli_usage("--check needs the path of a manifest");
	rc = textfile_read(r.manifest, 0, text, sizeof(text), &len, err,
	    sizeof(err));
	if (rc == TEXTFILE_TOO_BIG)
		cli_die(1, "%s: too large for a manifest (more than %u bytes)",
		    r.manifest, CHECK_FILE_MAX);
	if (rc != TEXTFILE_OK)
		cli_die(1, "%s: %s", r.manifest, err);
	slash = strrchr(r.manifest, '/');
	if (slash != NULL)
		r.dirlen = (size_t)(slash - r.manifest) + 1U;

	for (line = text; line < text + len; line = end + 1) {
		lineno++;
		end = memchr(line, '\n', (size_t)(text + len - line));
		if (end == NULL)
			end = text + len;
		n = (size_t)(end - line);
		if (n > 0 && line[n - 1U] == '\r')
			n--;
		for (p = line; p < line + n && blank(*p); p++)
			continue;
		if (p == line + n || *p == '#')
			continue;
		for (k = 0; p + k < line + n && !blank(p[k]); k++)
			continue;
		msg_show(p, k, sh);
		dflt = k == 8U && memcmp(p, "defaults", 8) == 0;
		nwords = split(line, n, words, err, sizeof(err));
		if (dflt)
			defaults_line(&r, lineno, words, nwords,
			    nwords == 0 ? err : NULL);
		else if (nwords == 0) {
			r.keylines++;
			outcome(&r, false, lineno, sh, "%s", err);
		} else
			key_line(&r, lineno, words, nwords, sh);
	}

	printf("%zu passed, %zu failed\n", r.passed, r.failed);
	if (fflush(stdout) != 0 || ferror(stdout))
		cli_die(1, "cannot write the report");
	if (r.keylines == 0)
		cli_die(EXIT_CHECK_FAILED, "%s: no key line: nothing was "
		    "checked", r.manifest);
	if (r.failed > 0)
		cli_die(EXIT_CHECK_FAILED, "%s: %zu of %zu lines did not "
		    "pass", r.manifest, r.failed, r.passed + r.failed);
	return 0;
}

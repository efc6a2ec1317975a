/* golden.c - runs of the programs as golden cases (see golden.h) */
#include <sys/stat.h>

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "golden.h"
#include "json.h"

#define TEXTCAP 8192U
#define ARENA (3U * 1024U * 1024U)

/* Words expanded for one case, until the next. */
static char arena[ARENA];
static size_t used;

/* s with each $NAME replaced by its value, in the arena. */
static const char *
expand(const char *s, size_t n, const struct var *vars)
{
	char *out = arena + used;
	size_t len = 0, k, i;

	for (i = 0; i < n; i++) {
		const char *v = NULL;
		size_t vn;

		if (s[i] == '$' && i + 1U < n && ((s[i + 1U] >= 'A' &&
		    s[i + 1U] <= 'Z') || s[i + 1U] == '_')) {
			for (k = i + 1U; k < n && ((s[k] >= 'A' && s[k] <= 'Z') ||
			    (s[k] >= '0' && s[k] <= '9') || s[k] == '_'); k++)
				;
			for (vn = 0; vars != NULL && vars[vn].name != NULL;
			    vn++)
				if (strlen(vars[vn].name) == k - i - 1U &&
				    strncmp(vars[vn].name, s + i + 1U,
				    k - i - 1U) == 0)
					break;
			if (vars == NULL || vars[vn].name == NULL)
				fail_msg("golden: no variable $%.*s",
				    (int)(k - i - 1U), s + i + 1U);
			v = vars[vn].value;
			i = k - 1U;
		}
		vn = v != NULL ? strlen(v) : 1U;
		if (used + len + vn + 1U > ARENA)
			fail_msg("golden: expanded text too long");
		memcpy(out + len, v != NULL ? v : s + i, vn);
		len += vn;
	}
	out[len] = '\0';
	used += len + 1U;
	return out;
}

/* Splits args at spaces into argv (ARGMAX + 1 entries), expanded. */
static void
split(const char *args, const struct var *vars, const char *argv[])
{
	const char *p = args;
	size_t n = 0;

	while (*p != '\0') {
		size_t k = strcspn(p, " ");

		if (k > 0) {
			if (n == ARGMAX)
				fail_msg("golden: too many arguments: %s",
				    args);
			argv[n++] = expand(p, k, vars);
		}
		p += k;
		while (*p == ' ')
			p++;
	}
	argv[n] = NULL;
	if (n == 0)
		fail_msg("golden: no program");
}

/* The source a verdict line names for this run. */
static const char *
source_of(const char *const argv[])
{
	size_t i;

	for (i = 1; argv[i] != NULL; i++) {
		if (strcmp(argv[i], "--key-file") == 0 && argv[i + 1U] != NULL)
			return argv[i + 1U];
		if (strcmp(argv[i], "-") == 0)
			return "standard input";
	}
	return "key";
}

/* The program's name as it prints it: argv[0] without its directory. */
static const char *
prog_of(const char *const argv[])
{
	const char *slash = strrchr(argv[0], '/');

	return slash != NULL ? slash + 1 : argv[0];
}

static bool
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), k = strlen(tail);

	return n >= k && strcmp(s + n - k, tail) == 0;
}

/*
 * The value at path below v rendered into out; *raw is the string itself
 * for a string, else the rendering. false: no such value.
 */
static bool
at_path(const json_doc *d, size_t v, const char *path, char *out,
    size_t cap, const char **raw)
{
	size_t n = strcspn(path, ".[");

	*raw = out;
	if (n > 0) {
		char name[128];

		if (n >= sizeof(name))
			fail_msg("golden: JSON name too long: %s", path);
		memcpy(name, path, n);
		name[n] = '\0';
		if (json_type_of(d, v) != JSON_OBJECT ||
		    (v = json_find(d, v, name)) == JSON_NONE)
			return false;
		path += n;
	}
	if (path[0] == '.')
		return at_path(d, v, path + 1, out, cap, raw);
	if (path[0] == '[' && path[1] == ']') {
		size_t e, len = 1;
		const char *rest = path + 2, *r;

		if (*rest == '.')
			rest++;
		if (json_type_of(d, v) != JSON_ARRAY)
			return false;
		bprintf(out, cap, "[");
		JSON_FOR_EACH(d, v, e) {
			if (len > 1) {
				bprintf(out + len, cap - len, ",");
				len++;
			}
			if (!at_path(d, e, rest, out + len, cap - len, &r))
				bprintf(out + len, cap - len, "-");
			len += strlen(out + len);
		}
		bprintf(out + len, cap - len, "]");
		return true;
	}
	if (path[0] == '[') {
		char *end;
		unsigned long i = strtoul(path + 1, &end, 10);

		if (end == path + 1 || *end != ']')
			fail_msg("golden: bad JSON index in %s", path);
		if (json_type_of(d, v) != JSON_ARRAY || i >= json_count(d, v))
			return false;
		return at_path(d, json_at(d, v, i), end + 1, out, cap, raw);
	}
	if (path[0] != '\0')
		fail_msg("golden: bad JSON path at %s", path);
	json_render(d, v, out, cap);
	if (json_type_of(d, v) == JSON_STRING)
		*raw = json_string(d, v, NULL);
	return true;
}

/* A JSON check "PATH=VALUE", "PATH~TEXT" or "!PATH" of report r. */
static void
json_check(struct tally *t, const char *what, const struct result *r,
    const char *check, const struct var *vars)
{
	static char got[TEXTCAP];
	const char *raw, *value;
	bool absent = check[0] == '!', found;
	size_t n = strcspn(check + absent, "=~");
	char path[256];
	json_doc *d = json_try_parse(r->out, r->outlen, "stdout");

	if (d == NULL || json_type_of(d, json_root(d)) != JSON_OBJECT) {
		tcheck(t, false, what, r, "stdout is not a JSON object "
		    "(checking %s)", check);
		json_free(d);
		return;
	}
	check += absent;
	if (n >= sizeof(path) || (!absent && check[n] == '\0'))
		fail_msg("golden: bad check \"%s\"", check);
	memcpy(path, check, n);
	path[n] = '\0';
	found = at_path(d, json_root(d), path, got, sizeof(got), &raw);
	if (absent)
		tcheck(t, !found, what, r, "%s is there: %s", path, got);
	else if (!found)
		tcheck(t, false, what, r, "%s is not in the report", path);
	else {
		value = expand(check + n + 1, strlen(check + n + 1), vars);
		if (check[n] == '=')
			tcheck(t, strcmp(got, value) == 0, what, r,
			    "%s is %s, expected %s", path, got, value);
		else
			tcheck(t, strstr(raw, value) != NULL, what, r,
			    "%s is %s, which lacks \"%s\"", path, got, value);
	}
	json_free(d);
}

/* "out..." or "err...": stream s of the run against the rest. */
static void
text_check(struct tally *t, const char *what, const struct result *r,
    const char *name, const char *s, const char *op, const struct var *vars)
{
	const char *v;

	if (strncmp(op, "=", 1) == 0) {
		v = expand(op + 1, strlen(op + 1), vars);
		tcheck(t, strcmp(s, v) == 0, what, r, "%s is not \"%s\"", name,
		    v);
	} else if (strncmp(op, "~", 1) == 0) {
		v = expand(op + 1, strlen(op + 1), vars);
		tcheck(t, strstr(s, v) != NULL, what, r,
		    "%s does not hold \"%s\"", name, v);
	} else if (strncmp(op, "!~", 2) == 0) {
		v = expand(op + 2, strlen(op + 2), vars);
		tcheck(t, strstr(s, v) == NULL, what, r, "%s holds \"%s\"",
		    name, v);
	} else if (strncmp(op, "^=", 2) == 0) {
		v = expand(op + 2, strlen(op + 2), vars);
		tcheck(t, strncmp(s, v, strlen(v)) == 0, what, r,
		    "%s does not start \"%s\"", name, v);
	} else if (strncmp(op, "$=", 2) == 0) {
		v = expand(op + 2, strlen(op + 2), vars);
		tcheck(t, ends_with(s, v), what, r, "%s does not end \"%s\"",
		    name, v);
	} else
		fail_msg("golden: bad check of %s: %s", name, op);
}

/* "file:PATH=TEXT": the file's content. */
static void
file_check(struct tally *t, const char *what, const struct result *r,
    const char *check, const struct var *vars)
{
	static char got[TEXTCAP];
	size_t n = strcspn(check, "=");
	const char *path = expand(check, n, vars), *want;

	if (check[n] != '=')
		fail_msg("golden: bad file check \"%s\"", check);
	want = expand(check + n + 1, strlen(check + n + 1), vars);
	if (!file_exists(path)) {
		tcheck(t, false, what, r, "%s does not exist", path);
		return;
	}
	n = read_file(path, got, sizeof(got));
	tcheck(t, n == strlen(want) && memcmp(got, want, n) == 0, what, r,
	    "%s holds \"%.300s\", expected \"%.300s\"", path, got, want);
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names in directory dir, sorted, comma-joined, into out. */
static void
names_in(const char *dir, char *out, size_t cap)
{
	static char store[64][256];
	const char *names[64];
	struct dirent *de;
	size_t n = 0, i, len = 0;
	DIR *d = opendir(dir);

	if (d == NULL)
		fail_msg("golden: cannot list %s", dir);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		assert_true(n < 64);
		bprintf(store[n], sizeof(store[n]), "%s", de->d_name);
		names[n] = store[n];
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_name);
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		bprintf(out + len, cap - len, "%s%s", i > 0 ? "," : "",
		    names[i]);
		len += strlen(out + len);
	}
}

void
golden_check(struct tally *t, const char *what, const struct result *r,
    const char *const argv[], const char *check, const struct var *vars)
{
	const char *prog = prog_of(argv);
	char head[64], tail[64];

	if (strncmp(check, "verdict=", 8) == 0) {
		const char *status = check + 8;
		size_t i;

		for (i = 1; argv[i] != NULL; i++)
			if (strcmp(argv[i], "--json") == 0)
				tcheck(t, json_status_is(r, status), what, r,
				    "JSON status is not \"%s\"", status);
		if (r->code == 0)
			tcheck(t, r->errlen == 0, what, r, "stderr not empty");
		else
			tcheck(t, verdict_line_ok(r, source_of(argv), status),
			    what, r, "stderr is not one line \"lkey-verify: "
			    "%s: %s: ...\"", source_of(argv), status);
	} else if (strncmp(check, "usage~", 6) == 0 ||
	    strncmp(check, "error~", 6) == 0 ||
	    strncmp(check, "line~", 5) == 0) {
		const char *v = strchr(check, '~') + 1;

		v = expand(v, strlen(v), vars);
		bprintf(head, sizeof(head), "%s: ", prog);
		bprintf(tail, sizeof(tail), " (see %s --help)\n", prog);
		if (check[0] != 'l')
			tcheck(t, r->outlen == 0, what, r,
			    "stdout is not empty");
		tcheck(t, err_lines(r) == 1 && r->err[r->errlen - 1U] == '\n' &&
		    strncmp(r->err, head, strlen(head)) == 0 &&
		    r->errlen > strlen(head) + 1U, what, r,
		    "stderr is not one line \"%s...\"", head);
		if (check[0] == 'u')
			tcheck(t, ends_with(r->err, tail), what, r,
			    "stderr does not end \"%s\"", tail + 1);
		tcheck(t, strstr(r->err, v) != NULL, what, r,
		    "stderr does not hold \"%s\"", v);
	} else if (strncmp(check, "out", 3) == 0 &&
	    strchr("=~!^$", check[3]) != NULL)
		text_check(t, what, r, "stdout", r->out, check + 3, vars);
	else if (strncmp(check, "err", 3) == 0 &&
	    strchr("=~!^$", check[3]) != NULL)
		text_check(t, what, r, "stderr", r->err, check + 3, vars);
	else if (strncmp(check, "file:", 5) == 0)
		file_check(t, what, r, check + 5, vars);
	else if (strncmp(check, "dir:", 4) == 0) {
		size_t n = strcspn(check + 4, "=");
		const char *dir = expand(check + 4, n, vars), *want;
		char got[TEXTCAP];

		if (check[4 + n] != '=')
			fail_msg("golden: bad dir check \"%s\"", check);
		want = expand(check + 5 + n, strlen(check + 5 + n), vars);
		names_in(dir, got, sizeof(got));
		tcheck(t, strcmp(got, want) == 0, what, r, "%s holds %s, "
		    "expected %s (a temporary file left behind?)", dir, got,
		    want);
	} else if (strncmp(check, "mode:", 5) == 0 ||
	    strncmp(check, "type:", 5) == 0) {
		size_t n = strcspn(check + 5, "=");
		const char *path = expand(check + 5, n, vars), *want;
		const char *type;
		struct stat st;
		char got[16];

		if (check[5 + n] != '=')
			fail_msg("golden: bad check \"%s\"", check);
		want = expand(check + 6 + n, strlen(check + 6 + n), vars);
		if (lstat(path, &st) != 0) {
			tcheck(t, false, what, r, "%s does not exist", path);
			return;
		}
		type = S_ISREG(st.st_mode) ? "file" : S_ISDIR(st.st_mode) ?
		    "dir" : S_ISLNK(st.st_mode) ? "link" : "other";
		if (check[0] == 'm')
			bprintf(got, sizeof(got), "%04o",
			    (unsigned)(st.st_mode & 07777));
		else
			bprintf(got, sizeof(got), "%s", type);
		tcheck(t, strcmp(got, want) == 0, what, r, "%s of %s is %s, "
		    "expected %s", check[0] == 'm' ? "mode" : "type", path,
		    got, want);
	} else if (strncmp(check, "nofile:", 7) == 0) {
		const char *path = expand(check + 7, strlen(check + 7), vars);

		tcheck(t, !file_exists(path), what, r, "%s exists", path);
	} else
		json_check(t, what, r, check, vars);
}

/* A step before the run: "+fresh:DIR", "+put:PATH=TEXT", "+mkdir:PATH",
 * "+symlink:PATH=TARGET" or "+chmod:PATH=MODE" (octal). */
static void
prepare(const char *step, const struct var *vars)
{
	const char *op = step + 1, *colon = strchr(op, ':'), *arg, *eq;
	const char *path, *value = NULL;

	if (colon == NULL)
		fail_msg("golden: bad step \"%s\"", step);
	arg = colon + 1;
	eq = strchr(arg, '=');
	path = expand(arg, eq != NULL ? (size_t)(eq - arg) : strlen(arg), vars);
	if (eq != NULL)
		value = expand(eq + 1, strlen(eq + 1), vars);
	if (strncmp(op, "fresh:", 6) == 0) {
		assert_int_equal(rm_tree(path), 0);
		assert_int_equal(mkdir(path, 0700), 0);
	} else if (strncmp(op, "mkdir:", 6) == 0)
		assert_int_equal(mkdir(path, 0700), 0);
	else if (strncmp(op, "put:", 4) == 0 && value != NULL)
		write_file(path, value, strlen(value));
	else if (strncmp(op, "symlink:", 8) == 0 && value != NULL)
		assert_int_equal(symlink(value, path), 0);
	else if (strncmp(op, "chmod:", 6) == 0 && value != NULL)
		assert_int_equal(chmod(path, (mode_t)strtoul(value, NULL, 8)),
		    0);
	else
		fail_msg("golden: bad step \"%s\"", step);
}

void
golden_run(const struct fx *fx, struct tally *t, const struct golden *g,
    size_t n, const struct var *vars)
{
	const char *argv[ARGMAX + 1U], *in, *pass;
	struct result *r = malloc(sizeof(*r));
	size_t i, k;

	assert_non_null(r);
	for (i = 0; i < n; i++) {
		used = 0;
		pass = NULL;
		for (k = 0; k < GOLDEN_CHECKS && g[i].want[k] != NULL; k++)
			if (strncmp(g[i].want[k], "+passphrase:", 12) == 0)
				pass = expand(g[i].want[k] + 12,
				    strlen(g[i].want[k] + 12), vars);
			else if (g[i].want[k][0] == '+')
				prepare(g[i].want[k], vars);
		split(g[i].args, vars, argv);
		for (k = 0; argv[k] != NULL; k++)
			;
		in = NULL;
		if (k > 1 && argv[k - 1U][0] == '<') {
			in = argv[k - 1U] + 1;
			argv[k - 1U] = NULL;
		}
		run_env(fx, argv, pass, in, in != NULL ? strlen(in) : 0, r);
		t->cases++;
		tcheck(t, r->code == g[i].code, g[i].what, r,
		    "exit %d, expected %d", r->code, g[i].code);
		for (k = 0; k < GOLDEN_CHECKS && g[i].want[k] != NULL; k++)
			if (g[i].want[k][0] != '+')
				golden_check(t, g[i].what, r, argv,
				    g[i].want[k], vars);
	}
	free(r);
}

void
golden_table(const struct fx *fx, const struct golden *g, size_t n,
    const struct var *vars, const char *name)
{
	struct tally t = { 0, 0, 0 };

	golden_run(fx, &t, g, n, vars);
	tally_done(&t, name);
}

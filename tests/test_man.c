/*
 * test_man.c - the manual pages are clean and complete
 *
 * For each page, lkey-verify(1), lkey-keygen(1) and lkey(3):
 *
 * 1. mandoc -T lint and groff -ww -man -Tutf8 -z both print nothing and
 *    exit 0. A page that either formatter warns about renders wrongly
 *    somewhere: man-db uses groff, the BSDs and many packagers mandoc.
 * 2. It has the sections a reader looks for: NAME, SYNOPSIS, DESCRIPTION,
 *    EXAMPLES, FILES, SECURITY CONSIDERATIONS and SEE ALSO; a section 1
 *    page also OPTIONS and EXIT STATUS, the library page RETURN VALUES.
 *    Its .TH section is the one its file name ends with.
 * 3. lkey(3)'s SYNOPSIS names every function include/lkey.h exports
 *    (declared LKEY_API), and no lkey_ function the header does not have:
 *    a function added to the API without its manual, or one documented
 *    that does not exist, fails here.
 * 4. The library as built agrees: liblkey.so exports exactly the header's
 *    functions, and liblkey.a defines no global symbol outside the lkey_
 *    prefix, its internal ones under the reserved lkey__, so that linking
 *    it statically cannot clash with an integrator's own names.
 *
 * mandoc and groff are required (Debian: mandoc, groff-base); where one
 * is missing the test fails saying so, rather than skipping a check CI
 * relies on; so does nm (binutils) for 4, on the build in $LKEY_BUILD_DIR.
 * The tests run from the repository root; no shell is used.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proc.h"
#include "support.h"

#define HEADER "include/lkey.h"
#define FILECAP (256U * 1024U)	/* a page or the header, with room */
#define NAMECAP 128U		/* a section heading */

struct page {
	const char *path;
	int section;		/* 1 or 3, as the file name ends */
};

/* Not const: cmocka hands each test its page as a void *. */
static struct page verify_1 = { "verify/cli/lkey-verify.1", 1 };
static struct page keygen_1 = { "keygen/cmd/lkey-keygen.1", 1 };
static struct page lib_3 = { "verify/lib/lkey.3", 3 };

/* Every page has these; section 1 and 3 pages some more. */
static const char *const sections_all[] = {
	"NAME", "SYNOPSIS", "DESCRIPTION", "EXAMPLES", "FILES",
	"SECURITY CONSIDERATIONS", "SEE ALSO", NULL,
};
static const char *const sections_1[] = { "OPTIONS", "EXIT STATUS", NULL };
static const char *const sections_3[] = { "RETURN VALUES", NULL };

static char text[FILECAP];

/* ---- the formatters ------------------------------------------------------ */

/*
 * Runs a formatter on the page: true if it exits 0 and prints nothing on
 * either stream, else what it printed is shown. A formatter that is not
 * installed fails the test with the package to install.
 */
static bool
formatter_quiet(const char *const argv[], const char *package,
    const char *page)
{
	char cmd[PATHCAP];
	struct result r;
	size_t i;

	cmd[0] = '\0';
	for (i = 0; argv[i] != NULL; i++)
		bprintf(cmd + strlen(cmd), sizeof(cmd) - strlen(cmd), "%s%s",
		    i > 0 ? " " : "", argv[i]);
	run_tool(argv, NULL, NULL, 0, &r);
	if (r.code == 127 && strncmp(r.err, "proc: cannot run", 16) == 0)
		fail_msg("%s is not installed: %s cannot be checked "
		    "(apt-get install %s)", argv[0], page, package);
	if (r.code == 0 && r.outlen == 0 && r.errlen == 0)
		return true;
	print_error("%s: exit %d; what it printed:\n%s%s%s%s\n", cmd, r.code,
	    r.out, r.out_trunc ? "[...]\n" : "", r.err,
	    r.err_trunc ? "[...]" : "");
	return false;
}

static void
test_lint(void **state)
{
	const struct page *p = *state;
	const char *mandoc[] = { "mandoc", "-T", "lint", p->path, NULL };
	const char *groff[] = { "groff", "-ww", "-man", "-Tutf8", "-z",
	    p->path, NULL };
	bool m, g;

	/* Both run, so that one failure shows what each formatter says. */
	m = formatter_quiet(mandoc, "mandoc", p->path);
	g = formatter_quiet(groff, "groff-base", p->path);
	if (!m || !g)
		fail_msg("%s is not clean under %s%s%s", p->path,
		    m ? "" : "mandoc", !m && !g ? " and " : "",
		    g ? "" : "groff");
}

/* ---- the page source ----------------------------------------------------- */

/* The next line of text at *pos (without its newline), or NULL at the end. */
static const char *
next_line(const char *s, size_t *pos, size_t *len)
{
	const char *line = s + *pos, *nl;

	if (*line == '\0')
		return NULL;
	nl = strchr(line, '\n');
	*len = nl != NULL ? (size_t)(nl - line) : strlen(line);
	*pos += *len + (nl != NULL ? 1U : 0U);
	return line;
}

/*
 * The title of a ".SH" line into out: quotes removed, runs of blanks made
 * one space. False if the line is no section heading.
 */
static bool
heading(const char *line, size_t len, char *out, size_t cap)
{
	size_t i = 3, n = 0;
	bool blank = false;

	if (len < 3 || strncmp(line, ".SH", 3) != 0 ||
	    (len > 3 && line[3] != ' ' && line[3] != '\t'))
		return false;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	for (; i < len && n + 1U < cap; i++) {
		if (line[i] == '"')
			continue;
		if (line[i] == ' ' || line[i] == '\t') {
			blank = true;
			continue;
		}
		if (blank && n > 0)
			out[n++] = ' ';
		blank = false;
		if (n + 1U < cap)
			out[n++] = line[i];
	}
	out[n] = '\0';
	return true;
}

static bool
has_section(const char *page, const char *want)
{
	char title[NAMECAP];
	const char *line;
	size_t pos = 0, len;

	while ((line = next_line(page, &pos, &len)) != NULL)
		if (heading(line, len, title, sizeof(title)) &&
		    strcmp(title, want) == 0)
			return true;
	return false;
}

/* The section number of the ".TH" line, or -1. */
static int
th_section(const char *page)
{
	const char *line, *p;
	size_t pos = 0, len;

	while ((line = next_line(page, &pos, &len)) != NULL) {
		if (len < 4 || strncmp(line, ".TH ", 4) != 0)
			continue;
		p = line + 4;
		while (*p == ' ')
			p++;
		while (*p != ' ' && *p != '\n' && *p != '\0')
			p++;	/* the title */
		while (*p == ' ')
			p++;
		return *p >= '1' && *p <= '9' ? *p - '0' : -1;
	}
	return -1;
}

static void
test_sections(void **state)
{
	const struct page *p = *state;
	const char *const *extra = p->section == 1 ? sections_1 : sections_3;
	int missing = 0, th;
	size_t i;

	read_file(p->path, text, sizeof(text));
	th = th_section(text);
	if (th != p->section)
		fail_msg("%s: .TH gives section %d, the file name %d", p->path,
		    th, p->section);
	for (i = 0; sections_all[i] != NULL; i++)
		if (!has_section(text, sections_all[i])) {
			print_error("%s: no section %s\n", p->path,
			    sections_all[i]);
			missing++;
		}
	for (i = 0; extra[i] != NULL; i++)
		if (!has_section(text, extra[i])) {
			print_error("%s: no section %s\n", p->path, extra[i]);
			missing++;
		}
	if (missing > 0)
		fail_msg("%s: %d required section%s missing", p->path, missing,
		    missing == 1 ? " is" : "s are");
}

/* ---- lkey(3)'s SYNOPSIS against the header ------------------------------ */

static bool
ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool
ident_char(char c)
{
	return ident_start(c) || (c >= '0' && c <= '9');
}

/*
 * The C of the header with comments and preprocessor lines (continued
 * ones too) turned to blanks, so that "#define LKEY_API ..." is not taken
 * for a declaration and a comment cannot hide or fake one.
 */
static void
strip_c(char *s)
{
	bool line_start = true, directive = false;
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '/' && s[i + 1] == '*') {
			s[i] = s[i + 1] = ' ';
			for (i += 2; s[i] != '\0' &&
			    !(s[i] == '*' && s[i + 1] == '/'); i++)
				if (s[i] != '\n')
					s[i] = ' ';
			if (s[i] == '\0')
				fail_msg(HEADER ": a comment is not closed");
			s[i] = s[i + 1] = ' ';
			i++;
			continue;
		}
		if (s[i] == '/' && s[i + 1] == '/') {
			for (; s[i] != '\0' && s[i] != '\n'; i++)
				s[i] = ' ';
			if (s[i] == '\0')
				break;
		}
		if (line_start && s[i] == '#')
			directive = true;
		if (s[i] == '\n') {
			/* A directive goes on after a backslash-newline. */
			directive = directive && i > 0 && s[i - 1] == '\\';
			line_start = true;
			continue;
		}
		if (s[i] != ' ' && s[i] != '\t')
			line_start = false;
		if (directive)
			s[i] = ' ';
	}
}

/*
 * The functions the header exports: in each declaration that starts with
 * LKEY_API (it may span lines), the identifier just before the first '('.
 */
static void
exported_functions(struct names *ns)
{
	size_t i, start, last = 0, lastlen = 0;
	bool in_decl = false;

	read_file(HEADER, text, sizeof(text));
	strip_c(text);
	for (i = 0; text[i] != '\0';) {
		if (!ident_start(text[i])) {
			if (in_decl && text[i] == '(') {
				if (lastlen == 0)
					fail_msg(HEADER ": LKEY_API without "
					    "a function name");
				names_add(ns, text + last, lastlen);
				in_decl = false;
			} else if (in_decl && text[i] == ';')
				fail_msg(HEADER ": LKEY_API on a declaration "
				    "that is no function");
			i++;
			continue;
		}
		start = i;
		while (ident_char(text[i]))
			i++;
		if (i - start == 8 &&
		    strncmp(text + start, "LKEY_API", 8) == 0) {
			in_decl = true;
			lastlen = 0;
		} else if (in_decl) {
			last = start;
			lastlen = i - start;
		}
	}
	if (in_decl)
		fail_msg(HEADER ": the last LKEY_API declaration has no '('");
}

/*
 * One line of roff made plain for searching: font changes (\fB, \f(CW,
 * \f[B]) and the zero-width escapes \%, \& and \c removed, \- made '-'.
 */
static void
plain_roff(const char *line, size_t len, char *out, size_t cap)
{
	size_t i = 0, n = 0;

	while (i < len && n + 1U < cap) {
		if (line[i] == '\\' && i + 1U < len) {
			char c = line[i + 1];

			if (c == 'f' && i + 2U < len) {
				if (line[i + 2] == '(')
					i += 5;
				else if (line[i + 2] == '[') {
					i += 3;
					while (i < len && line[i] != ']')
						i++;
					i++;
				} else
					i += 3;
				continue;
			}
			if (c == '%' || c == '&' || c == 'c') {
				i += 2;
				continue;
			}
			if (c == '-') {
				out[n++] = '-';
				i += 2;
				continue;
			}
		}
		out[n++] = line[i++];
	}
	out[n] = '\0';
}

/*
 * The lkey(3) SYNOPSIS as plain text, one line each: from ".SH SYNOPSIS"
 * to the next ".SH".
 */
static void
synopsis_text(const char *page, char *out, size_t cap)
{
	char title[NAMECAP];
	const char *line;
	size_t pos = 0, len, n = 0;
	bool in = false;

	out[0] = '\0';
	while ((line = next_line(page, &pos, &len)) != NULL) {
		if (heading(line, len, title, sizeof(title))) {
			if (in)
				break;
			in = strcmp(title, "SYNOPSIS") == 0;
			continue;
		}
		if (!in)
			continue;
		if (cap - n < len + 2U)
			fail_msg("%s: the SYNOPSIS is too long to check",
			    lib_3.path);
		plain_roff(line, len, out + n, cap - n);
		n += strlen(out + n);
		out[n++] = '\n';
		out[n] = '\0';
	}
	if (n == 0)
		fail_msg("%s: no SYNOPSIS, or an empty one", lib_3.path);
}

/* Whether `name` is in s as a whole identifier. */
static bool
names_ident(const char *s, const char *name)
{
	size_t len = strlen(name);
	const char *p = s;

	while ((p = strstr(p, name)) != NULL) {
		if ((p == s || !ident_char(p[-1])) && !ident_char(p[len]))
			return true;
		p += len;
	}
	return false;
}

static void
test_synopsis(void **state)
{
	static struct names header;
	static char page[FILECAP], syn[FILECAP];
	const char *p, *q;
	int bad = 0;
	size_t i, n;

	(void)state;
	memset(&header, 0, sizeof(header));
	exported_functions(&header);
	/* A parser that finds nothing would pass anything. */
	if (!names_has(&header, "lkey_decode", 11) ||
	    !names_has(&header, "lkey_check", 10))
		fail_msg(HEADER ": lkey_decode and lkey_check not found among "
		    "%zu LKEY_API functions: the header parser is wrong",
		    header.n);

	read_file(lib_3.path, page, sizeof(page));
	synopsis_text(page, syn, sizeof(syn));
	for (i = 0; i < header.n; i++)
		if (!names_ident(syn, header.name[i])) {
			print_error("%s: the SYNOPSIS does not name %s, which "
			    HEADER " exports\n", lib_3.path, header.name[i]);
			bad++;
		}
	/* And every lkey_ function it shows is one the header exports. */
	for (p = syn; (p = strstr(p, "lkey_")) != NULL; p = q) {
		for (q = p; ident_char(*q); q++)
			;
		n = (size_t)(q - p);
		if (p > syn && ident_char(p[-1]))
			continue;	/* inside another identifier */
		while (*q == ' ')
			q++;
		if (*q == '(' && !names_has(&header, p, n)) {
			print_error("%s: the SYNOPSIS shows %.*s(), which "
			    HEADER " does not export\n", lib_3.path, (int)n,
			    p);
			bad++;
		}
	}
	if (bad > 0)
		fail_msg("%s: the SYNOPSIS and " HEADER " disagree (%d)",
		    lib_3.path, bad);
	print_message("%s: the SYNOPSIS names all %zu functions of " HEADER
	    "\n", lib_3.path, header.n);
}

/*
 * The names of the global symbols nm lists as defined in bindir/file, with
 * opts (NULL-terminated) added. nm's lines are "VALUE TYPE NAME"; an
 * archive adds "member.o:" and blank lines. Anything else fails the test.
 */
static void
defined_globals(const char *file, const char *const opts[], struct names *ns)
{
	static struct result r;
	const char *argv[8], *bindir = getenv("LKEY_BUILD_DIR");
	char path[PATHCAP], *line, *next, *nl, *name;
	size_t k = 0, i;

	bprintf(path, sizeof(path), "%s/%s", bindir != NULL ? bindir : "build",
	    file);
	argv[k++] = "nm";
	for (i = 0; opts[i] != NULL && k < 6U; i++)
		argv[k++] = opts[i];
	argv[k++] = path;
	argv[k] = NULL;
	run_tool(argv, NULL, NULL, 0, &r);
	if (r.code == 127)
		fail_msg("nm is not installed (binutils): the symbols of %s "
		    "cannot be checked", path);
	if (r.code != 0 || r.out_trunc) {
		show("nm", &r);
		fail_msg("nm %s failed", path);
	}
	for (line = r.out; *line != '\0'; line = next) {
		nl = strchr(line, '\n');
		next = nl != NULL ? nl + 1 : line + strlen(line);
		if (nl != NULL)
			*nl = '\0';
		if (line[0] == '\0' || line[strlen(line) - 1U] == ':')
			continue;	/* between members, member name */
		name = strrchr(line, ' ');
		if (name == NULL || name - line < 2 || name[-2] != ' ' ||
		    name[1] == '\0')
			fail_msg("nm %s: unexpected line \"%s\"", path, line);
		names_add(ns, name + 1, strlen(name + 1));
	}
}

/*
 * In a build for make coverage (tests/coverage.sh sets LKEY_COVERAGE=1),
 * the linker puts gcc's coverage runtime into liblkey.so, with the names
 * it exports; no other build has them.
 */
static bool
gcov_runtime(const char *name)
{
	const char *cov = getenv("LKEY_COVERAGE");

	return cov != NULL && strcmp(cov, "1") == 0 &&
	    (strncmp(name, "__gcov_", 7) == 0 ||
	    strcmp(name, "mangle_path") == 0);
}

static void
test_symbols(void **state)
{
	static const char *const so_opts[] = { "-D", "--defined-only", NULL };
	static const char *const a_opts[] = { "-g", "--defined-only", NULL };
	static struct names header, so, a;
	const char *s;
	int bad = 0;
	size_t i;

	(void)state;
	memset(&header, 0, sizeof(header));
	memset(&so, 0, sizeof(so));
	memset(&a, 0, sizeof(a));
	exported_functions(&header);
	defined_globals("liblkey.so.2.0.0", so_opts, &so);
	defined_globals("liblkey.a", a_opts, &a);
	for (i = 0; i < header.n; i++) {
		s = header.name[i];
		if (!names_has(&so, s, strlen(s)) ||
		    !names_has(&a, s, strlen(s))) {
			print_error("%s: declared in " HEADER ", not defined "
			    "in both libraries\n", s);
			bad++;
		}
	}
	for (i = 0; i < so.n; i++)
		if (!names_has(&header, so.name[i], strlen(so.name[i])) &&
		    !gcov_runtime(so.name[i])) {
			print_error("liblkey.so exports %s, which " HEADER
			    " does not declare\n", so.name[i]);
			bad++;
		}
	for (i = 0; i < a.n; i++) {
		s = a.name[i];
		/* AddressSanitizer marks each global variable with one of
		 * its own (__odr_asan.NAME), here for an internal one. */
		if (strncmp(s, "__odr_asan.", 11) == 0)
			s += 11;
		if (strncmp(s, "lkey__", 6) == 0 ||
		    names_has(&header, s, strlen(s)))
			continue;
		print_error("liblkey.a defines %s: neither in " HEADER " nor "
		    "internal (lkey__)\n", s);
		bad++;
	}
	if (bad > 0)
		fail_msg("%d symbols out of place", bad);
	print_message("liblkey.so exports the %zu functions of " HEADER
	    "; liblkey.a's other %zu global symbols are lkey__ ones\n",
	    header.n, a.n - header.n);
}

/* A test of one page, named after it. */
#define PAGE_TEST(what, fn, pg) { what, fn, NULL, NULL, &(pg) }

int
main(void)
{
	const struct CMUnitTest tests[] = {
		PAGE_TEST("lint lkey-verify.1", test_lint, verify_1),
		PAGE_TEST("lint lkey-keygen.1", test_lint, keygen_1),
		PAGE_TEST("lint lkey.3", test_lint, lib_3),
		PAGE_TEST("sections lkey-verify.1", test_sections, verify_1),
		PAGE_TEST("sections lkey-keygen.1", test_sections, keygen_1),
		PAGE_TEST("sections lkey.3", test_sections, lib_3),
		cmocka_unit_test(test_synopsis),
		cmocka_unit_test(test_symbols),
	};

	return cmocka_run_group_tests_name("man", tests, NULL, NULL);
}

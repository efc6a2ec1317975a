/*
 * test_completion.c - the bash completion of both programs,
 * completion/lkey-keygen and completion/lkey-verify
 *
 * Each case runs `bash --norc --noprofile -c SCRIPT` (no bash-completion
 * package, no user settings): the script sources a completion file, sets
 * COMP_WORDS, COMP_CWORD, COMP_LINE and COMP_POINT as bash would for a
 * command line typed up to its end, calls the function that `complete -p`
 * names, and prints COMPREPLY one item a line. Command lines are split
 * into COMP_WORDS the way bash does with its default COMP_WORDBREAKS: at
 * blanks, and around runs of '=' and ':' ("--seats=" is "--seats", "=").
 *
 * The option tables of the completion cannot drift silently from the
 * programs: every option the completion offers for lkey-verify and for
 * each lkey-keygen subcommand must appear in that program's (or
 * subcommand's) --help usage, and every option the usage names must be
 * offered; likewise the subcommands. The programs come from
 * $LKEY_BUILD_DIR (default "build"); the tests run from the repository
 * root.
 */
#include <sys/stat.h>

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

#define KG "completion/lkey-keygen"
#define VF "completion/lkey-verify"

#define LINECAP 2048U		/* a command line of a case, expanded */

/* ---- running the completion -------------------------------------------- */

/*
 * $1 the completion file, $2 COMP_LINE, then the words of COMP_WORDS (the
 * last is the one being completed). The function gets the usual three
 * arguments: command, current word, previous word. Under `set -eu`: some
 * users' shells have those on, and a completion that trips on them breaks
 * the shell it runs in.
 */
static const char complete_script[] =
    "set -eu\n"
    "file=$1 line=$2; shift 2\n"
    ". \"$file\" || exit 3\n"
    "spec=$(complete -p \"$1\") || exit 4\n"
    "case $spec in *' -F '*) ;; *) echo \"not a -F completion: $spec\" >&2;"
    " exit 4;; esac\n"
    "fn=${spec#* -F }; fn=${fn%% *}\n"
    "COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1))\n"
    "COMP_LINE=$line; COMP_POINT=${#line}; COMP_TYPE=9; COMP_KEY=9\n"
    "COMPREPLY=()\n"
    "\"$fn\" \"$1\" \"${COMP_WORDS[COMP_CWORD]}\" "
    "\"${COMP_WORDS[COMP_CWORD - 1]}\" || exit 5\n"
    "((${#COMPREPLY[@]} == 0)) || printf '%s\\n' \"${COMPREPLY[@]}\"\n";

/* The char of a word that bash splits off with the default wordbreaks. */
static bool
is_break(char c)
{
	return c == '=' || c == ':';
}

/*
 * Runs the completion of `file` for `line` (completed at its end; a line
 * ending in a blank completes a new, empty word): COMPREPLY into rep, as a
 * set. The run must succeed with nothing on stderr, else the test fails.
 */
static void
complete_line(const char *file, const char *line, struct names *rep)
{
	static char pieces[LINECAP * 2U];
	const char *argv[ARGMAX + 1U];
	struct result r;
	size_t n = 0, used = 0, i, len = strlen(line);
	char *p;

	argv[n++] = "bash";
	argv[n++] = "--norc";
	argv[n++] = "--noprofile";
	argv[n++] = "-c";
	argv[n++] = complete_script;
	argv[n++] = "lkey-completion";
	argv[n++] = file;
	argv[n++] = line;
	assert_true(len < LINECAP);
	for (i = 0; i < len;) {
		size_t j = i;

		if (line[i] == ' ') {
			i++;
			continue;
		}
		/* A run of break characters, or of anything else. */
		while (j < len && line[j] != ' ' &&
		    is_break(line[j]) == is_break(line[i]))
			j++;
		assert_true(n < ARGMAX && used + (j - i) + 1U <= sizeof(pieces));
		p = pieces + used;
		memcpy(p, line + i, j - i);
		p[j - i] = '\0';
		used += j - i + 1U;
		argv[n++] = p;
		i = j;
	}
	if (len > 0 && line[len - 1U] == ' ') {
		assert_true(n < ARGMAX);
		argv[n++] = "";
	}
	argv[n] = NULL;

	run_tool(argv, NULL, NULL, 0, &r);
	if (r.code != 0 || r.errlen != 0 || r.out_trunc) {
		show(line, &r);
		fail_msg("completion of \"%s\" (%s) did not run cleanly", line,
		    file);
	}
	rep->n = 0;
	for (p = r.out; *p != '\0';) {
		char *nl = strchr(p, '\n');

		assert_non_null(nl);
		names_add(rep, p, (size_t)(nl - p));
		p = nl + 1;
	}
}

/* The reply as one line, items in [brackets], for messages. */
static const char *
reply_text(const struct names *rep)
{
	static char text[OUTCAP * 2U];
	size_t i, len = 0;

	text[0] = '\0';
	for (i = 0; i < rep->n; i++) {
		int k = snprintf(text + len, sizeof(text) - len, "%s[%s]",
		    i > 0 ? " " : "", rep->name[i]);

		if (k < 0 || (size_t)k >= sizeof(text) - len)
			break;
		len += (size_t)k;
	}
	return rep->n == 0 ? "nothing" : text;
}

/* s with every '@' replaced by dir. */
static void
expand(const char *s, const char *dir, char *out, size_t cap)
{
	size_t len = 0, dl = strlen(dir);

	for (; *s != '\0'; s++) {
		if (*s == '@') {
			assert_true(len + dl < cap);
			memcpy(out + len, dir, dl);
			len += dl;
		} else {
			assert_true(len + 1U < cap);
			out[len++] = *s;
		}
	}
	out[len] = '\0';
}

/* ---- the table ---------------------------------------------------------- */

enum mode {
	EXACTLY,	/* the reply is the set of items, in any order */
	HAS,		/* the reply holds each item, and maybe more */
	LACKS,		/* the reply holds none of the items */
};

/* The completion file of a case is that of the program the line starts
 * with: completion/lkey-keygen or completion/lkey-verify. */
struct ccase {
	const char *line;	/* '@' stands for the test's directory */
	enum mode mode;
	const char *want;	/* items separated by spaces; '@' as above */
};

/*
 * The directory of the file cases: key files, a revocation list, a text
 * file, a subdirectory and a catalog with CRLF line ends, comments, lines
 * that are no entries and no newline at its end.
 */
static const char odd_catalog[] =
    "# a catalog\r\n"
    "\r\n"
    "  product  alpha  7\r\n"
    "product Bad 8\r\n"
    "edition x\r\n"
    "feature  extra  4  maintenance\r\n"
    "product\tbeta\t9";

static const struct ccase cases[] = {
	/* lkey-keygen: subcommands at position 1 */
	{ "lkey-keygen ", EXACTLY,
	    "init passwd issue batch reissue ledger revoke pubkey" },
	{ "lkey-keygen i", EXACTLY, "init issue" },
	{ "lkey-keygen -", EXACTLY, "--help --version" },
	{ "lkey-keygen nosuch --", EXACTLY, "" },

	/* options of issue, by prefix; no positional arguments */
	{ "lkey-keygen issue --", EXACTLY,
	    "--secret --product --edition --seats --expires --maintenance "
	    "--starts --serial --features --licensee --catalog --grace-days "
	    "--notice-days --trial --module-seats --issued --ledger "
	    "--no-ledger --order --reissue --host --maintenance-features "
	    "--help" },
	{ "lkey-keygen issue --se", EXACTLY, "--secret --seats --serial" },
	{ "lkey-keygen issue ", HAS, "--secret --product --trial" },
	{ "lkey-keygen init --", EXACTLY,
	    "--out --no-passphrase --weak-passphrase --help" },
	{ "lkey-keygen passwd --", EXACTLY,
	    "--secret --no-passphrase --weak-passphrase --help" },
	{ "lkey-keygen ledger --", EXACTLY,
	    "--ledger --secret --order --serial --licensee --key-id "
	    "--ends-after --ends-before --revoked --json --keys --list "
	    "--catalog --help" },
	{ "lkey-keygen ledger ", HAS, "import export --ledger" },
	{ "lkey-keygen ledger im", EXACTLY, "import" },
	{ "lkey-keygen ledger import --", EXACTLY,
	    "--pubkey --ledger --secret --help" },
	{ "lkey-keygen ledger export --", EXACTLY,
	    "--ledger --secret --format --catalog --help" },
	{ "lkey-keygen ledger export --format ", EXACTLY, "jsonl csv" },
	{ "lkey-keygen ledger --json --k", EXACTLY, "--key-id" },
	{ "lkey-keygen revoke --", EXACTLY,
	    "--secret --serials --sequence --only --issued --ledger "
	    "--no-ledger --help" },

	/* fixed values */
	{ "lkey-keygen issue --seats ", EXACTLY, "unlimited" },
	{ "lkey-keygen issue --seats u", EXACTLY, "unlimited" },
	{ "lkey-keygen issue --seats 5", EXACTLY, "" },
	{ "lkey-keygen issue --expires ", EXACTLY, "never" },
	{ "lkey-keygen issue --maintenance=", EXACTLY, "never" },
	{ "lkey-keygen issue --maintenance=n", EXACTLY, "never" },
	{ "lkey-keygen issue --serial ", EXACTLY, "auto" },
	{ "lkey-keygen ledger --serial ", EXACTLY, "" },
	{ "lkey-keygen batch --format ", EXACTLY, "csv json" },
	{ "lkey-keygen issue --licensee ", EXACTLY, "" },
	{ "lkey-keygen issue --starts ", EXACTLY, "" },

	/* files by kind */
	{ "lkey-keygen issue --secret @/", EXACTLY,
	    "@/a.sec @/b.sec @/sub" },
	{ "lkey-keygen issue --secret=@/a", EXACTLY, "@/a.sec" },
	{ "lkey-keygen passwd --secret @/", EXACTLY,
	    "@/a.sec @/b.sec @/sub" },
	{ "lkey-keygen init --out @/", EXACTLY, "@/sub" },
	{ "lkey-keygen issue --ledger @/n", EXACTLY, "@/notes.txt" },
	{ "lkey-keygen issue --catalog @/", HAS,
	    "@/a.sec @/c.pub @/notes.txt @/cat @/sub" },
	{ "lkey-keygen batch --secret k.sec @/n", EXACTLY, "@/notes.txt" },
	{ "lkey-keygen batch --secret k.sec ", HAS, "-" },
	{ "lkey-keygen batch --secret k.sec orders.csv --", HAS,
	    "--catalog --format" },
	{ "lkey-keygen batch --secret k.sec orders.csv ", LACKS, "-" },
	{ "lkey-keygen pubkey @/", EXACTLY, "@/c.pub @/sub" },
	{ "lkey-keygen pubkey --c-header @/c.pub @/", EXACTLY,
	    "@/c.pub @/sub" },

	/* catalog names, from a --catalog earlier on the line */
	{ "lkey-keygen issue --catalog keys/catalog --product ", EXACTLY,
	    "timetracker timelog" },
	{ "lkey-keygen issue --catalog=keys/catalog --edition=", EXACTLY,
	    "basic professional enterprise" },
	{ "lkey-keygen issue --catalog keys/catalog --edition pro",
	    EXACTLY, "professional" },
	{ "lkey-keygen issue --catalog keys/catalog --features ", EXACTLY,
	    "desktop reports payroll mobile" },
	{ "lkey-keygen issue --catalog keys/catalog --features desktop,",
	    EXACTLY, "desktop,reports desktop,payroll desktop,mobile" },
	{ "lkey-keygen issue --catalog keys/catalog --module-seats pay",
	    EXACTLY, "payroll=" },
	{ "lkey-keygen issue --catalog keys/catalog --maintenance-features "
	    "desktop,", EXACTLY, "desktop,reports desktop,payroll "
	    "desktop,mobile" },
	/* bash replaces only "5," of "payroll=5,": the part after the '=' */
	{ "lkey-keygen issue --catalog keys/catalog --module-seats "
	    "payroll=5,", EXACTLY, "5,desktop= 5,reports= 5,mobile=" },
	{ "lkey-keygen issue --product ", EXACTLY, "" },
	{ "lkey-keygen issue --catalog @/none --product ", EXACTLY, "" },
	{ "lkey-keygen issue --catalog @/cat --product ", EXACTLY,
	    "alpha beta" },
	{ "lkey-keygen issue --catalog @/cat --features ", EXACTLY,
	    "extra" },
	/* batch has no --product: not an option that takes a value */
	{ "lkey-keygen batch --catalog keys/catalog --product ", LACKS,
	    "timetracker timelog" },

	/* options given are not offered again, nor those they exclude */
	{ "lkey-keygen issue --secret k.sec --se", EXACTLY,
	    "--seats --serial" },
	{ "lkey-keygen issue --product=1 --pro", EXACTLY, "" },
	{ "lkey-keygen issue --trial --t", EXACTLY, "" },
	{ "lkey-keygen issue --ledger l.jsonl --no", EXACTLY,
	    "--notice-days" },
	{ "lkey-keygen issue --no-ledger --l", EXACTLY, "--licensee" },
	{ "lkey-keygen ledger --serial 7 --secret k.sec --", EXACTLY,
	    "--order --licensee --key-id --ends-after --ends-before "
	    "--revoked --json --keys --list --catalog --help" },
	/* a value that looks like an option is still a value */
	{ "lkey-keygen issue --licensee --trial --t", EXACTLY, "--trial" },

	/* pubkey --c-header [--name NAME] FILE... */
	{ "lkey-keygen pubkey --", EXACTLY, "--c-header --name --help" },
	{ "lkey-keygen pubkey --c-header --", EXACTLY, "--name --help" },
	{ "lkey-keygen pubkey --c-header --name ", EXACTLY, "" },
	{ "lkey-keygen pubkey --c-header --name lkey_pub keys/demo-vendor.p",
	    EXACTLY, "keys/demo-vendor.pub" },

	/* lkey-verify */
	{ "lkey-verify --", EXACTLY,
	    "--pubkey --product --catalog --today --release --users --admin "
	    "--over-since --module-users --json --key-file --install --force "
	    "--state --revocations --host --host-id --check --store --register "
	    "--help --version" },
	{ "lkey-verify ", HAS, "- --pubkey --check" },
	/* --store DIR: a directory; not with the single-file forms */
	{ "lkey-verify --store @/", EXACTLY, "@/sub" },
	{ "lkey-verify --store d --", LACKS, "--install --state --check" },
	{ "lkey-verify --store d --re", EXACTLY, "--release --revocations "
	    "--register" },
	{ "lkey-verify --pubkey @/", EXACTLY, "@/c.pub @/sub" },
	{ "lkey-verify --revocations @/", EXACTLY, "@/r.lkr @/sub" },
	{ "lkey-verify --state @/n", EXACTLY, "@/notes.txt" },
	{ "lkey-verify --install @/", HAS, "@/notes.txt @/a.sec @/sub" },
	{ "lkey-verify --key-file ", HAS, "-" },
	{ "lkey-verify --key-file @/", HAS, "@/notes.txt @/c.pub @/sub" },
	{ "lkey-verify --catalog keys/catalog --product t", EXACTLY,
	    "timetracker timelog" },
	{ "lkey-verify --catalog=keys/catalog --module-users re", EXACTLY,
	    "reports=" },
	{ "lkey-verify --today ", EXACTLY, "" },
	/* --pubkey may be given again; --product may not */
	{ "lkey-verify --pubkey a.pub --product 1 --p", EXACTLY,
	    "--pubkey" },
	{ "lkey-verify --pubkey a.pub --pubkey b.pub --pu", EXACTLY,
	    "--pubkey" },
	/* one key: an argument, -, or --key-file */
	{ "lkey-verify --key-file k.key ", LACKS, "- --key-file" },
	{ "lkey-verify - --k", EXACTLY, "" },
	{ "lkey-verify AUege --", LACKS, "--key-file" },
	/* --check MANIFEST */
	{ "lkey-verify --ch", EXACTLY, "--check" },
	{ "lkey-verify --check keys/samples/MAN", EXACTLY,
	    "keys/samples/MANIFEST" },
	{ "lkey-verify --check=keys/samples/MAN", EXACTLY,
	    "keys/samples/MANIFEST" },
	{ "lkey-verify --check keys/samples/MANIFEST --pubkey "
	    "keys/demo-vendor.pub --ch", EXACTLY, "" },
	/* what --check refuses is not offered with it, and the reverse */
	{ "lkey-verify --check m --", LACKS,
	    "--json --key-file --install --force --state --host-id --check" },
	{ "lkey-verify --check m --", HAS,
	    "--pubkey --product --catalog --today --revocations" },
	{ "lkey-verify --check m ", LACKS, "-" },
	{ "lkey-verify --json --ch", EXACTLY, "" },
	{ "lkey-verify - --ch", EXACTLY, "" },
};

/* Whether item (len bytes) is one of the space-separated words of list. */
static bool
list_has(const char *list, const char *item, size_t len)
{
	const char *p = list;

	while (*p != '\0') {
		size_t n = strcspn(p, " ");

		if (n == len && strncmp(p, item, len) == 0)
			return true;
		p += n;
		p += strspn(p, " ");
	}
	return false;
}

static void
check_case(struct tally *t, const struct fx *fx, const struct ccase *c)
{
	char line[LINECAP], want[LINECAP], what[LINECAP + 64U];
	static struct names rep;
	const char *p;
	size_t i;

	expand(c->line, fx->dir, line, sizeof(line));
	expand(c->want, fx->dir, want, sizeof(want));
	bprintf(what, sizeof(what), "\"%s\"", line);
	complete_line(strncmp(line, "lkey-keygen ", 12) == 0 ? KG : VF, line,
	    &rep);
	t->cases++;
	for (p = want; *p != '\0';) {
		size_t n = strcspn(p, " ");
		bool has = names_has(&rep, p, n);

		if (n > 0 && c->mode != LACKS)
			tcheck(t, has, what, NULL, "%.*s is not offered (got %s)",
			    (int)n, p, reply_text(&rep));
		if (n > 0 && c->mode == LACKS)
			tcheck(t, !has, what, NULL, "%.*s is offered (got %s)",
			    (int)n, p, reply_text(&rep));
		p += n;
		p += strspn(p, " ");
	}
	if (c->mode == EXACTLY)
		for (i = 0; i < rep.n; i++)
			tcheck(t, list_has(want, rep.name[i],
			    strlen(rep.name[i])), what, NULL,
			    "offers %s, expected only [%s]", rep.name[i], want);
}

static void
test_cases(void **state)
{
	const struct fx *fx = *state;
	static const char *const files[] = { "a.sec", "b.sec", "c.pub",
	    "notes.txt", "r.lkr" };
	char path[PATHCAP];
	struct tally t = { 0, 0, 0 };
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		path_in(fx, files[i], path, sizeof(path));
		write_file(path, "x\n", 2);
	}
	path_in(fx, "cat", path, sizeof(path));
	write_file(path, odd_catalog, sizeof(odd_catalog) - 1U);
	path_in(fx, "sub", path, sizeof(path));
	assert_int_equal(mkdir(path, 0700), 0);

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(&t, fx, &cases[i]);
	tally_done(&t, "completion cases");
}

/* ---- the files as shell code -------------------------------------------- */

static void
test_syntax(void **state)
{
	static const char *const files[] = { KG, VF };
	struct tally t = { 0, 0, 0 };
	struct result r;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		const char *argv[] = { "bash", "--norc", "--noprofile", "-n",
		    files[i], NULL };

		run_tool(argv, NULL, NULL, 0, &r);
		t.cases++;
		tcheck(&t, r.code == 0 && r.errlen == 0 && r.outlen == 0,
		    files[i], &r, "bash -n: exit %d", r.code);
	}
	tally_done(&t, "bash -n");
}

/*
 * Sourcing a file and completing leaves nothing behind but functions named
 * _lkey_* and COMPREPLY: no variable, no other function, no changed shell
 * option, IFS as it was. $1 the file, then command lines (split at
 * blanks); each must complete to something.
 */
static const char namespace_script[] =
    "v0= f0= o0= i0= n= l= fn= file=$1; shift\n"
    "v0=$(compgen -v); f0=$(compgen -A function)\n"
    "o0=$(set +o; shopt -p); i0=$IFS\n"
    ". \"$file\" || exit 3\n"
    "for l in \"$@\"; do\n"
    "  read -ra COMP_WORDS <<< \"$l\"\n"
    "  [[ $l == *' ' ]] && COMP_WORDS+=('')\n"
    "  COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE=$l\n"
    "  COMP_POINT=${#l}\n"
    "  fn=$(complete -p \"${COMP_WORDS[0]}\"); fn=${fn#* -F }; fn=${fn%% *}\n"
    "  COMPREPLY=()\n"
    "  \"$fn\" \"${COMP_WORDS[0]}\" \"${COMP_WORDS[COMP_CWORD]}\" "
    "\"${COMP_WORDS[COMP_CWORD - 1]}\"\n"
    "  ((${#COMPREPLY[@]} > 0)) || echo \"nothing for: $l\"\n"
    "done\n"
    "for n in $(compgen -v); do\n"
    "  case $n in COMP_WORDS|COMP_CWORD|COMP_LINE|COMP_POINT|COMPREPLY)"
    " continue;; esac\n"
    "  [[ $'\\n'$v0$'\\n' == *$'\\n'$n$'\\n'* ]] || echo \"variable $n\"\n"
    "done\n"
    "for n in $(compgen -A function); do\n"
    "  [[ $n == _lkey_* ]] && continue\n"
    "  [[ $'\\n'$f0$'\\n' == *$'\\n'$n$'\\n'* ]] || echo \"function $n\"\n"
    "done\n"
    "[[ $(set +o; shopt -p) == \"$o0\" ]] || echo \"shell options changed\"\n"
    "[[ $IFS == \"$i0\" ]] || echo \"IFS changed\"\n";

static void
test_namespace(void **state)
{
	const char *kg[] = { "bash", "--norc", "--noprofile", "-c",
	    namespace_script, "lkey-completion", KG,
	    "lkey-keygen ",
	    "lkey-keygen issue --catalog keys/catalog --product ",
	    "lkey-keygen issue --catalog keys/catalog --features desktop,",
	    "lkey-keygen issue --secret keys/",
	    "lkey-keygen issue --seats ",
	    "lkey-keygen batch --secret k ",
	    "lkey-keygen issue --ledger x --",
	    NULL };
	const char *vf[] = { "bash", "--norc", "--noprofile", "-c",
	    namespace_script, "lkey-completion", VF,
	    "lkey-verify ",
	    "lkey-verify --catalog keys/catalog --module-users ",
	    "lkey-verify --pubkey keys/",
	    "lkey-verify --key-file ",
	    NULL };
	struct tally t = { 0, 0, 0 };
	struct result r;

	(void)state;
	run_tool(kg, NULL, NULL, 0, &r);
	t.cases++;
	tcheck(&t, r.code == 0 && r.errlen == 0 && r.outlen == 0, KG, &r,
	    "sourcing and completing left something behind (stdout)");
	run_tool(vf, NULL, NULL, 0, &r);
	t.cases++;
	tcheck(&t, r.code == 0 && r.errlen == 0 && r.outlen == 0, VF, &r,
	    "sourcing and completing left something behind (stdout)");
	tally_done(&t, "namespace");
}

/*
 * The helpers both files carry (every _lkey_* function but the program's
 * own) are the same in both: each file must work alone, and the copy
 * sourced last wins.
 */
static const char helpers_script[] =
    ". \"$1\" || exit 3\n"
    "for n in $(compgen -A function _lkey_); do\n"
    "  [[ $n == \"$2\" ]] || declare -f \"$n\"\n"
    "done\n";

static void
test_shared_helpers(void **state)
{
	static struct result a, b;
	const char *argv_kg[] = { "bash", "--norc", "--noprofile", "-c",
	    helpers_script, "lkey-completion", KG, "_lkey_keygen", NULL };
	const char *argv_vf[] = { "bash", "--norc", "--noprofile", "-c",
	    helpers_script, "lkey-completion", VF, "_lkey_verify", NULL };
	size_t i, line = 1;

	(void)state;
	run_tool(argv_kg, NULL, NULL, 0, &a);
	run_tool(argv_vf, NULL, NULL, 0, &b);
	assert_int_equal(a.code, 0);
	assert_int_equal(b.code, 0);
	assert_false(a.out_trunc || b.out_trunc);
	assert_true(strstr(a.out, "_lkey_words") != NULL);
	for (i = 0; i < a.outlen && i < b.outlen && a.out[i] == b.out[i]; i++)
		if (a.out[i] == '\n')
			line++;
	if (i < a.outlen || i < b.outlen)
		fail_msg("the shared _lkey_* helpers of %s and %s differ at line "
		    "%zu of their definitions (declare -f): copy the shared "
		    "section of one file into the other", KG, VF, line);
}

/* ---- completion and --help agree ---------------------------------------- */

static bool
opt_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/* Every --option in text[0..len) into s. */
static void
help_options(const char *text, size_t len, struct names *s)
{
	size_t i, j;

	for (i = 0; i + 2U < len; i++) {
		if (text[i] != '-' || text[i + 1U] != '-' ||
		    !opt_char(text[i + 2U]) || text[i + 2U] == '-' ||
		    (i > 0 && (opt_char(text[i - 1U]) ||
		    (text[i - 1U] >= 'A' && text[i - 1U] <= 'Z'))))
			continue;
		for (j = i + 2U; j < len && opt_char(text[j]); j++)
			;
		names_add(s, text + i, j - i);
		i = j;
	}
}

/* Where the line at p starts its text: after blanks and "usage:". */
static const char *
line_text(const char *p)
{
	p += strspn(p, " \t");
	if (strncmp(p, "usage:", 6) == 0)
		p += 6;
	return p + strspn(p, " \t");
}

/*
 * The options the usage of "PROG SUB" names in a --help text, into s. The
 * usage is the text up to its first blank line; in it, each line that
 * starts (after "usage:" and blanks) with "PROG WORD" begins the synopsis
 * of the subcommand WORD, and the lines up to the next such line continue
 * it. A subcommand may have several synopses. SUB NULL: the whole usage.
 * false when no line names SUB.
 */
static bool
usage_options(const char *text, const char *prog, const char *sub,
    struct names *s)
{
	const char *p = text, *nl, *tx;
	size_t pl = strlen(prog);
	bool in = sub == NULL, found = sub == NULL;

	s->n = 0;
	for (; *p != '\0' && *p != '\n'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		tx = line_text(p);
		if (sub != NULL && strncmp(tx, prog, pl) == 0 && tx[pl] == ' ') {
			tx += pl + 1U;
			in = strncmp(tx, sub, strlen(sub)) == 0 &&
			    (tx[strlen(sub)] == ' ' || tx[strlen(sub)] == '\n' ||
			    tx[strlen(sub)] == '\0');
			found = found || in;
		}
		if (in)
			help_options(p, (size_t)(nl - p), s);
		if (*nl == '\0')
			break;
	}
	return found;
}

/*
 * The options the completion offers against those a usage names, both
 * ways. --help and --version are exempt one way: a usage text does not
 * list them.
 */
static void
agree(struct tally *t, const char *what, const struct names *offered,
    const struct names *usage, const char *helpcmd)
{
	size_t i;

	t->cases++;
	for (i = 0; i < offered->n; i++) {
		const char *o = offered->name[i];

		if (strcmp(o, "--help") == 0 || strcmp(o, "--version") == 0)
			continue;
		tcheck(t, names_has(usage, o, strlen(o)), what, NULL,
		    "the completion offers %s, which `%s` does not name", o,
		    helpcmd);
	}
	for (i = 0; i < usage->n; i++)
		tcheck(t, names_has(offered, usage->name[i],
		    strlen(usage->name[i])), what, NULL,
		    "`%s` names %s, which the completion does not offer",
		    helpcmd, usage->name[i]);
}

static void
test_help_verify(void **state)
{
	const struct fx *fx = *state;
	const char *argv[] = { "lkey-verify", "--help", NULL };
	static struct result r;
	static struct names offered, usage;
	struct tally t = { 0, 0, 0 };

	run(fx, argv, NULL, 0, &r);
	if (r.code != 0 || r.outlen == 0) {
		show("lkey-verify --help", &r);
		fail_msg("lkey-verify --help failed");
	}
	assert_true(usage_options(r.out, "lkey-verify", NULL, &usage));
	complete_line(VF, "lkey-verify --", &offered);
	agree(&t, "lkey-verify", &offered, &usage, "lkey-verify --help");
	tally_done(&t, "lkey-verify --help and completion/lkey-verify");
}

static void
test_help_keygen(void **state)
{
	const struct fx *fx = *state;
	const char *argv[] = { "lkey-keygen", "--help", NULL };
	static struct result r, rs;
	static struct names subs, listed, offered, usage;
	struct tally t = { 0, 0, 0 };
	char line[NAME_CAP * 2U], cmd[NAME_CAP * 2U];
	const char *p;
	size_t i;

	run(fx, argv, NULL, 0, &r);
	if (r.code != 0 || r.outlen == 0) {
		show("lkey-keygen --help", &r);
		fail_msg("lkey-keygen --help failed");
	}
	/* The subcommands: "lkey-keygen SUB" lines of the usage. */
	listed.n = 0;
	for (p = r.out; *p != '\0' && *p != '\n'; p = strchr(p, '\n') + 1) {
		const char *tx = line_text(p);

		if (strncmp(tx, "lkey-keygen ", 12) == 0 && tx[12] != '-')
			names_add(&listed, tx + 12, strcspn(tx + 12, " \n"));
		if (strchr(p, '\n') == NULL)
			break;
	}
	complete_line(KG, "lkey-keygen ", &subs);
	t.cases++;
	for (i = 0; i < subs.n; i++)
		tcheck(&t, names_has(&listed, subs.name[i],
		    strlen(subs.name[i])), "subcommands",
		    NULL, "the completion offers %s, which `lkey-keygen "
		    "--help` does not list", subs.name[i]);
	for (i = 0; i < listed.n; i++)
		tcheck(&t, names_has(&subs, listed.name[i],
		    strlen(listed.name[i])), "subcommands",
		    NULL, "`lkey-keygen --help` lists %s, which the "
		    "completion does not offer", listed.name[i]);

	/* Each subcommand's options against its own --help usage. */
	for (i = 0; i < subs.n; i++) {
		const char *sub = subs.name[i];
		const char *sargv[] = { "lkey-keygen", sub, "--help", NULL };

		bprintf(cmd, sizeof(cmd), "lkey-keygen %s --help", sub);
		run(fx, sargv, NULL, 0, &rs);
		t.cases++;
		tcheck(&t, rs.code == 0 && rs.errlen == 0, cmd, &rs,
		    "exit %d: its options cannot be checked", rs.code);
		if (rs.code != 0)
			continue;
		if (!usage_options(rs.out, "lkey-keygen", sub, &usage)) {
			tcheck(&t, false, cmd, &rs, "no usage line "
			    "\"lkey-keygen %s ...\"", sub);
			continue;
		}
		bprintf(line, sizeof(line), "lkey-keygen %s --", sub);
		complete_line(KG, line, &offered);
		agree(&t, cmd, &offered, &usage, cmd);
	}
	tally_done(&t, "lkey-keygen --help and completion/lkey-keygen");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_namespace),
		cmocka_unit_test(test_shared_helpers),
		cmocka_unit_test(test_help_verify),
		cmocka_unit_test(test_help_keygen),
	};

	return cmocka_run_group_tests_name("completion", tests, proc_setup,
	    proc_teardown);
}

/*
 * golden.h - runs of the programs as golden cases: the arguments, the
 * exit status, and what stdout, stderr, the JSON report and files must
 * then hold. The cases of a table run in order, so a table can also be a
 * short session (register, then check, then register again).
 *
 *	static const struct golden cases[] = {
 *		{ "last day", TT "--today 2027-12-31 $KEY", 0,
 *		  { "verdict=valid", "days_left=1" } },
 *		{ "unknown option", TT "--frob $KEY", 2, { "usage~--frob" } },
 *	};
 *	GOLDEN(fx, &t, cases, vars);
 *
 * args is the program (a name in $LKEY_BUILD_DIR, or a path) and its
 * arguments, split at single spaces; "$NAME" in a word is replaced by the
 * value of variable NAME (vars, ended by { NULL, NULL }), so keys, paths
 * and words with spaces come in through variables. A last word "<TEXT"
 * gives TEXT (expanded; "<$NAME" for text with spaces) on standard
 * input. A check is one of:
 *
 *	verdict=STATUS	stderr is empty (exit 0) or the one verdict line
 *			"lkey-verify: SOURCE: STATUS: ..." (SOURCE: the
 *			--key-file path, "standard input" for "-", else
 *			"key"); with --json the report says STATUS too
 *	usage~TEXT	a usage error: nothing on stdout, one stderr line
 *			"PROG: ... (see PROG --help)" that holds TEXT
 *	error~TEXT	nothing on stdout, one stderr line "PROG: ..." that
 *			holds TEXT; line~TEXT: the same line, whatever is
 *			on stdout
 *	out=TEXT out~TEXT out!~TEXT out^=TEXT out$=TEXT
 *	err=TEXT err~TEXT err!~TEXT err^=TEXT err$=TEXT
 *			stdout or stderr is, holds, lacks, starts or ends
 *			with TEXT
 *	file:PATH=TEXT	the file holds exactly TEXT; nofile:PATH: nothing
 *			is at PATH; dir:PATH=a,b: the directory holds
 *			exactly these names (sorted, comma-joined);
 *			mode:PATH=0644; type:PATH=file|dir|link (lstat)
 *	PATH=VALUE	the JSON report's value at PATH, rendered by
 *			json_render ('text', [a,b], {k:v}), is VALUE; PATH is
 *			member names joined by '.', an element [i], or [] for
 *			every element (an absent member of one renders "-")
 *	PATH~TEXT	the string at PATH (or the rendered value) holds TEXT
 *	!PATH		the report has no member at PATH
 *
 * $NAME is replaced in TEXT, VALUE and PATH of a file too. An entry
 * that starts with '+' is a step taken before the run instead:
 * +fresh:DIR (emptied, or made), +put:PATH=TEXT, +mkdir:PATH,
 * +symlink:PATH=TARGET, +chmod:PATH=MODE; +passphrase:TEXT runs the
 * program with LKEY_PASSPHRASE=TEXT. Test code only: a malformed check
 * fails the test.
 */
#ifndef LKEY_TEST_GOLDEN_H
#define LKEY_TEST_GOLDEN_H

#include <stddef.h>

#include "proc.h"

#define GOLDEN_CHECKS 24U

struct golden {
	const char *what;
	const char *args;
	int code;			/* the exit status */
	const char *want[GOLDEN_CHECKS];	/* the checks, see above */
};

struct var {
	const char *name;
	const char *value;
};

/* Runs the n cases in order, each a case of t. */
void golden_run(const struct fx *fx, struct tally *t, const struct golden *g,
    size_t n, const struct var *vars);

#define GOLDEN(fx, t, cases, vars) \
	golden_run((fx), (t), (cases), sizeof(cases) / sizeof((cases)[0]), \
	    (vars))

/* Runs the n cases as a table of their own, named name: the test fails
 * at the end if any case did. */
void golden_table(const struct fx *fx, const struct golden *g, size_t n,
    const struct var *vars, const char *name);

#define GOLDEN_TABLE(fx, cases, vars) \
	golden_table((fx), (cases), sizeof(cases) / sizeof((cases)[0]), \
	    (vars), #cases)

/* One check (as above) of a run r already made with argv, as part of the
 * current case of t. */
void golden_check(struct tally *t, const char *what, const struct result *r,
    const char *const argv[], const char *check, const struct var *vars);

#endif

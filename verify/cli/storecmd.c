/*
 * storecmd.c - lkey-verify --store DIR: the licence store of liblkey
 * (lkey_store_*, docs/STORE.md) from the command line
 *
 *	--store DIR			evaluates the store: the licence in
 *					force today, checked, the clock
 *					guard's state recorded
 *	--store DIR --register KEY	registers a key first (--force: one
 *					that gives less than the licence in
 *					force)
 *	--store DIR --revocations FILE	installs a revocation list first
 *
 * The store holds the clock guard's state, so the guard is always on
 * here; --install and --state, the single-file forms, do not go with it.
 * The report is the single check's (report.c), with what the store holds
 * and what registration did added.
 */
#include <stdio.h>
#include <string.h>

#include "context.h"
#include "evaluate.h"
#include "options.h"
#include "report.h"
#include "revlist.h"
#include "statefile.h"
#include "stop.h"
#include "storecmd.h"

/* One run: the store's outcome is large, and in static storage. */
static lkey_store st;

/* The options that go with --store, and the key given with --register. */
static void
store_options(const args *a)
{
	size_t keys = a->npos + (a->seen[O_KEYFILE] ? 1U : 0U);
	stop s;

	if (!a->seen[O_STORE])
		cli_usage("--register goes with --store");
	if (a->value[O_STORE][0] == '\0')
		cli_usage("--store needs the path of a store directory");
	if (a->seen[O_INSTALL] || a->seen[O_STATE])
		cli_usage("--store holds the licence and the clock guard's "
		    "state: --install and --state are the single-file forms");
	if (evaluate_required(a, &s) != 0)
		cli_usage(s.msg);
	if (a->seen[O_FORCE] && !a->seen[O_REGISTER])
		cli_usage("--force goes with --register (or --install)");
	if (a->seen[O_REGISTER] && keys != 1)
		cli_usage("--register: give the key once: KEY, --key-file FILE "
		    "or - for standard input");
	if (!a->seen[O_REGISTER] && keys != 0)
		cli_usage("--store takes a key only with --register");
}

/* What a store call that did not go through ends with. */
static void
store_failed(lkey_store_result r)
{
	if (r == LKEY_STORE_DAMAGED)
		cli_die(EXIT_STORE_DAMAGED, "%s", st.message);
	if (r == LKEY_STORE_EMPTY)
		cli_die(EXIT_NO_LICENCE, "%s (register a key with --register)",
		    st.message);
	cli_die(EXIT_TROUBLE, "%s", st.message);
}

/* --revocations FILE: the list installed; its line for the screen. */
static void
install_list(const args *a, const ring_set *ring, uint32_t product,
    char *done, size_t cap)
{
	static char text[LKEY_REVOCATIONS_TEXT_MAX + 1U];
	const char *path = a->value[O_REVOCATIONS];
	lkey_store_result r;
	size_t len;
	stop s;

	if (revlist_read(path, text, sizeof(text), &len, &s) != 0)
		stop_exit(&s);
	r = lkey_store_install_revocations(&st, a->value[O_STORE], text, len,
	    ring->key, ring->n, product);
	if (r == LKEY_STORE_REFUSED)
		cli_die(EXIT_REFUSED, "%s: %s", path, st.message);
	if (r != LKEY_STORE_OK)
		store_failed(r);
	snprintf(done, cap, "%s", st.message);
}

/* The store's part of the licence screen, after the licence. */
static void
screen_store(const args *a, const char *list_done)
{
	char d[11];
	size_t i;

	printf("\nStore:        %s, %zu key%s\n", a->value[O_STORE],
	    st.history, st.history == 1 ? "" : "s");
	if (st.in_force)
		printf("In force:     licence %u\n", st.license.serial);
	else
		printf("In force:     none yet\n");
	for (i = 0; i < st.npending; i++) {
		lkey_day_format(st.pending[i].starts, d);
		printf("%s  licence %u from %s\n", i == 0 ? "Pending:    " :
		    "            ", st.pending[i].serial, d);
	}
	if (list_done[0] != '\0')
		printf("%s\n", list_done);
	if (a->seen[O_REGISTER] && st.registered != LKEY_REG_NONE)
		printf("%s\n", st.message);
}

int
store_main(const args *a)
{
	const char *text = NULL, *keyname = "key", *dir = a->value[O_STORE];
	static char keybuf[LKEY_TEXT_MAX + 1U];
	static ring_set ring;
	char list_done[sizeof(st.message)] = "", tail[sizeof(st.message) + 32];
	lkey_store_result r;
	lkey_context ctx;
	verdict v;
	size_t len = 0;
	stop s;
	int code;

	store_options(a);
	if (lkey_init() != 0)
		cli_die(EXIT_TROUBLE, "cannot initialise libsodium");
	memset(&v, 0, sizeof(v));
	if (context_from_args(a, &v.cat, &ctx, &s) != 0 ||
	    evaluate_ring(a, &ring, &s) != 0)
		stop_exit(&s);
	if (evaluate_host(a, &ctx, &s) != 0 || (a->seen[O_REGISTER] &&
	    evaluate_key_text(a, keybuf, sizeof(keybuf), &text, &len,
	    &keyname, &s) != 0))
		stop_exit(&s);
	ctx.build_day = statefile_build_day();
	if (a->seen[O_REVOCATIONS])
		install_list(a, &ring, ctx.product, list_done,
		    sizeof(list_done));

	if (text != NULL)
		r = lkey_store_register(&st, dir, text, len, ring.key, ring.n,
		    &ctx, a->seen[O_FORCE] ? LKEY_STORE_FORCE : 0U);
	else
		r = lkey_store_evaluate(&st, dir, ring.key, ring.n, &ctx);
	if (r == LKEY_STORE_REFUSED && !st.has_license)
		cli_die(EXIT_NOT_REGISTERED, "%s: not registered: %s", keyname,
		    st.message);
	if (r != LKEY_STORE_OK && r != LKEY_STORE_REFUSED)
		store_failed(r);

	v.status = st.status;
	v.decoded = st.has_license;
	v.lic = st.license;
	v.ctx = st.ctx;
	v.rep = st.report;
	v.store = &st;
	v.registering = a->seen[O_REGISTER];
	if (a->seen[O_JSON])
		report_json(&v);
	else {
		report_screen(&v);
		screen_store(a, list_done);
	}
	if (fflush(stdout) != 0 || ferror(stdout))
		cli_die(EXIT_TROUBLE, "cannot write the report");
	if (r == LKEY_STORE_REFUSED) {
		fprintf(stderr, "lkey-verify: %s: not registered: %s\n",
		    keyname, st.message);
		return EXIT_NOT_REGISTERED;
	}
	code = stop_verdict_exit(v.status);
	if (code != 0) {
		/* What a registration did, or why this computer's id is
		 * missing: the store's message, set only then. */
		snprintf(tail, sizeof(tail), "%s%s", st.message[0] != '\0' ?
		    " " : "", st.message);
		report_stderr(&v, dir, tail);
	}
	return code;
}

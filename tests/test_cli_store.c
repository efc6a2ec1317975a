/*
 * test_cli_store.c - "lkey-verify --store DIR": the licence store from
 * the command line, run the way a user or a pipeline runs it, from the
 * repository root (proc.c).
 *
 * What is checked, as golden sessions (golden.h): the JSON contract
 * ("store": in_force, pending, history, revocations; after --register
 * "registered", "dropped", "registration"), the screen's store lines, the
 * exit statuses (0 and the verdicts', 6 refused, 7 damaged, 8 empty, 4 a
 * refused list, 2 usage: --store with --install or --state, a key without
 * --register, --force without it, --check with --store); a renewal
 * registered ahead taking over on its start day; and, run by run, that a
 * refused registration leaves every byte and name of the store as it was.
 *
 * Keys are timetracker keys of the demo vendor key (keys/catalog), issued
 * by lkey-keygen; revocation lists are signed in-process with the demo key
 * (lkey_revocations_issue).
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "fixture.h"
#include "golden.h"
#include "keyfile.h"
#include "lkey.h"
#include "lkey_vendor.h"
#include "proc.h"

#define TT "lkey-verify --pubkey " DEMO_PUB " --catalog " CATALOG \
	" --product timetracker "
#define HEAD "# lkey licence store of product 1: the registered keys, one " \
	"a line, in the order registered. Do not edit.\n"
#define SNAPCAP 8192U

static struct {
	char k1[KEYCAP];	/* serial 5, 2027, 25 seats */
	char ren[KEYCAP];	/* serial 6, 2028, issued 2027-11-01 */
	char less[KEYCAP];	/* serial 7, 10 seats, issued 2027-02-01 */
	char expired[KEYCAP];	/* serial 8, ended 2027-03-31 */
	char timelog[KEYCAP];	/* product timelog */
	/* Lists: sequence 1 revoking none, sequence 2 revoking serial 99. */
	char list1[LKEY_REVOCATIONS_TEXT_CAP];
	char list2[LKEY_REVOCATIONS_TEXT_CAP];
} K;

/* D: the group's directory for stores; the paths and keys below. */
enum {
	V_D, V_S, V_KF, V_L1, V_L2, V_K1, V_REN, V_LESS, V_EXPIRED, V_TIMELOG,
	V_KEYS1, V_KEYS2, V_KEYS3, V_WRAPPED, V_COUNT
};
static struct var vars[V_COUNT + 1];

static void
tt_key(const struct fx *fx, char *key, const char *serial, const char *seats,
    const char *starts, const char *expires, const char *issued)
{
	issue(fx, NULL, key, KEYCAP, "--secret", DEMO_SEC, "--catalog", CATALOG,
	    "--product", "timetracker", "--edition", "professional", "--seats",
	    seats, "--starts", starts, "--expires", expires, "--maintenance",
	    expires, "--serial", serial, "--issued", issued, NULL);
}

static void
lists(void)
{
	lkey_vendor_key *demo = sodium_malloc(sizeof(*demo));
	lkey_revoked r = { 0, 99 };
	char err[512];

	assert_non_null(demo);
	if (keyfile_load_secret(DEMO_SEC, demo, err, sizeof(err)) != 0)
		fail_msg("%s: %s", DEMO_SEC, err);
	r.key_id = demo->pub.id;
	assert_int_equal(lkey_revocations_issue(demo, 1, day("2027-01-01"),
	    &r, 0, K.list1, sizeof(K.list1)), LKEY_ISSUE_OK);
	assert_int_equal(lkey_revocations_issue(demo, 2, day("2027-01-01"),
	    &r, 1, K.list2, sizeof(K.list2)), LKEY_ISSUE_OK);
	sodium_free(demo);
}

static int
setup(void **state)
{
	static char d[PATHCAP], s[PATHCAP], kf[PATHCAP], l1[PATHCAP],
	    l2[PATHCAP], keys1[SNAPCAP], keys2[SNAPCAP], keys3[SNAPCAP],
	    wrapped[KEYCAP + 8];
	const struct fx *fx;

	if (lkey_init() != 0 || proc_setup(state) != 0)
		return -1;
	fx = *state;
	tt_key(fx, K.k1, "5", "25", "2027-01-01", "2027-12-31", "2027-01-01");
	tt_key(fx, K.ren, "6", "25", "2028-01-01", "2028-12-31", "2027-11-01");
	tt_key(fx, K.less, "7", "10", "2027-01-01", "2027-12-31",
	    "2027-02-01");
	tt_key(fx, K.expired, "8", "25", "2027-01-01", "2027-03-31",
	    "2027-01-01");
	issue(fx, NULL, K.timelog, KEYCAP, "--secret", DEMO_SEC, "--catalog",
	    CATALOG, "--product", "timelog", "--edition", "basic", "--seats",
	    "5", "--starts", "2027-01-01", "--expires", "never",
	    "--maintenance", "never", "--serial", "9", NULL);
	lists();
	path_in(fx, "stores", d, sizeof(d));
	bprintf(s, sizeof(s), "%s/store", d);
	bprintf(kf, sizeof(kf), "%s/key.txt", d);
	bprintf(l1, sizeof(l1), "%s/list1.lkr", d);
	bprintf(l2, sizeof(l2), "%s/list2.lkr", d);
	bprintf(keys1, sizeof(keys1), HEAD "%s\n", K.k1);
	bprintf(keys2, sizeof(keys2), HEAD "%s\n%s\n", K.k1, K.ren);
	bprintf(keys3, sizeof(keys3), HEAD "%s\n%s\n%s\n", K.k1, K.ren,
	    K.less);
	bprintf(wrapped, sizeof(wrapped), "  %.40s\r\n%s\n", K.ren,
	    K.ren + 40);
	vars[V_D] = (struct var){ "D", d };
	vars[V_S] = (struct var){ "S", s };
	vars[V_KF] = (struct var){ "KF", kf };
	vars[V_L1] = (struct var){ "L1", l1 };
	vars[V_L2] = (struct var){ "L2", l2 };
	vars[V_K1] = (struct var){ "K1", K.k1 };
	vars[V_REN] = (struct var){ "REN", K.ren };
	vars[V_LESS] = (struct var){ "LESS", K.less };
	vars[V_EXPIRED] = (struct var){ "EXPIRED", K.expired };
	vars[V_TIMELOG] = (struct var){ "TIMELOG", K.timelog };
	vars[V_KEYS1] = (struct var){ "KEYS1", keys1 };
	vars[V_KEYS2] = (struct var){ "KEYS2", keys2 };
	vars[V_KEYS3] = (struct var){ "KEYS3", keys3 };
	vars[V_WRAPPED] = (struct var){ "WRAPPED", wrapped };
	vars[V_COUNT] = (struct var){ NULL, NULL };
	return 0;
}

/* ---- the session -------------------------------------------------------- */

#define JS TT "--json --store $S "
#define KEYS_F "file:$S/licence.keys="

/*
 * One store through its life: empty, a key registered, a renewal
 * registered ahead, refusals, a forced registration, the renewal's first
 * day, a list installed, the store damaged.
 */
static const struct golden session[] = {
	{ "empty: no directory", JS "--today 2027-06-15", 8,
	  { "+fresh:$D", "error~$S: no licence is registered in this store "
	    "(register a key with --register)", "nofile:$S" } },
	{ "register", JS "--today 2027-06-15 --register $K1", 0,
	  { "err=", "status='valid'", "serial=5",
	    "store={in_force:5,pending:[],history:1,revocations:null}",
	    "registered='in_force'", "dropped=null",
	    "registration='Registered licence 5: it is in force.'",
	    KEYS_F "$KEYS1", "mode:$S=0700", "dir:$S=licence.keys,state" } },
	{ "evaluate", JS "--today 2027-06-16", 0,
	  { "err=", "status='valid'", "store.in_force=5", "!registered",
	    "!dropped", "!registration", KEYS_F "$KEYS1" } },
	{ "register ahead, a key file with line breaks",
	  TT "--store $S --today 2027-11-15 --register --key-file $KF", 0,
	  { "+put:$KF=$WRAPPED", "err=", "out~\nStore:        $S, 2 keys\n"
	    "In force:     licence 5\nPending:      licence 6 from "
	    "2028-01-01\nRegistered licence 6: it takes over on "
	    "2028-01-01.\n", KEYS_F "$KEYS2" } },
	{ "the same key again", JS "--today 2027-11-15 --register - <$REN", 0,
	  { "err=", "registered='already'",
	    "registration='Licence 6 is registered already; nothing "
	    "changed.'", KEYS_F "$KEYS2" } },
	{ "pending in JSON", JS "--today 2027-11-16", 0,
	  { "store.pending=[{serial:6,starts:'2028-01-01'}]",
	    "store.history=2", "store.in_force=5" } },
	{ "fewer seats: refused, the licence in force reported",
	  JS "--today 2027-11-16 --register $LESS", 6,
	  { "line~key: not registered: The key gives less than licence 5, "
	    "which is in force: 10 seats instead of 25.",
	    "status='valid'", "serial=5", "registered=null", "dropped=null",
	    "registration~Nothing was registered", KEYS_F "$KEYS2" } },
	{ "fewer seats, the screen: one line on stderr",
	  TT "--store $S --today 2027-11-16 --register $LESS", 6,
	  { "line~key: not registered: The key gives less",
	    "out~In force:     licence 5\n", "out!~Registered",
	    KEYS_F "$KEYS2" } },
	{ "expired: refused", JS "--today 2027-11-16 --register $EXPIRED", 6,
	  { "line~key: not registered: The licence expired on 2027-03-31",
	    "registered=null", KEYS_F "$KEYS2" } },
	{ "another product: refused",
	  JS "--today 2027-11-16 --register $TIMELOG", 6,
	  { "line~not registered: ", "registered=null", KEYS_F "$KEYS2" } },
	{ "not a key: refused", JS "--today 2027-11-16 --register AAAA", 6,
	  { "line~not registered: The key has a format version this program "
	    "does not know (0)", "err~Nothing was registered.",
	    KEYS_F "$KEYS2" } },
	{ "fewer seats, --force", JS "--today 2027-11-16 --register --force "
	  "$LESS", 0,
	  { "err=", "registered='in_force'", "seats=10",
	    "store={in_force:7,pending:[{serial:6,starts:'2028-01-01'}],"
	    "history:3,revocations:null}", KEYS_F "$KEYS3" } },
	{ "seats over the limit: the verdict's exit, the store's line",
	  TT "--store $S --today 2027-11-17 --users 12", 17,
	  { "line~lkey-verify: $S: seats_exceeded: ",
	    "out~Seats:        10 valid, 12 in use, 2 over the limit" } },
	{ "the renewal's first day", JS "--today 2028-01-01", 0,
	  { "err=", "serial=6", "store.in_force=6", "store.pending=[]",
	    "store.history=3" } },
	{ "a list", JS "--today 2028-01-01 --revocations $L2", 0,
	  { "+put:$L2=$LIST2", "err=", "store.revocations=2",
	    "file:$S/revocations=$LIST2" } },
	{ "a list, the screen", TT "--store $S --today 2028-01-01 "
	  "--revocations $L2", 0,
	  { "out~\nRevocation list 2 is installed already; nothing "
	    "changed.\n" } },
	{ "an older list: refused", JS "--today 2028-01-01 --revocations $L1",
	  4, { "+put:$L1=$LIST1", "error~$L1: Revocation list 1 is older "
	    "than list 2", "file:$S/revocations=$LIST2" } },
	{ "a damaged state", JS "--today 2028-01-02", 7,
	  { "+put:$S/state=junk\n", "error~$S/state: not a state file: the "
	    "store is damaged", "file:$S/state=junk\n" } },
	{ "register in a damaged store", JS "--today 2028-01-02 --register "
	  "$K1", 7, { "error~$S/state: not a state file",
	    "file:$S/state=junk\n" } },
	{ "register into a new store: refused, nothing made",
	  JS "--today 2028-01-02 --register $EXPIRED", 6,
	  { "+fresh:$D", "error~key: not registered: The licence expired",
	    "nofile:$S" } },
	{ "pending into a new store: not yet valid, registered",
	  JS "--today 2027-11-15 --register $REN", 14,
	  { "line~$S: not_yet_valid: ", "line~Registered licence 6: it takes "
	    "over on 2028-01-01.", "status='not_yet_valid'",
	    "store.in_force=null", "registered='pending'" } },
};

static void
test_session(void **state)
{
	struct var v[V_COUNT + 3];

	memcpy(v, vars, sizeof(vars));
	v[V_COUNT] = (struct var){ "LIST1", K.list1 };
	v[V_COUNT + 1] = (struct var){ "LIST2", K.list2 };
	v[V_COUNT + 2] = (struct var){ NULL, NULL };
	GOLDEN_TABLE(*state, session, v);
}

/* ---- usage -------------------------------------------------------------- */

static const struct golden usage[] = {
	{ "--store and --install", TT "--store $S --install $D/f $K1", 2,
	  { "+fresh:$D", "usage~--install and --state are the single-file "
	    "forms", "nofile:$S" } },
	{ "--store and --state", TT "--store $S --state $D/st", 2,
	  { "usage~--install and --state", "nofile:$S" } },
	{ "--register without --store", TT "--register $K1", 2,
	  { "usage~--register goes with --store" } },
	{ "a key without --register", TT "--store $S $K1", 2,
	  { "usage~--store takes a key only with --register", "nofile:$S" } },
	{ "--register without a key", TT "--store $S --register", 2,
	  { "usage~--register: give the key once", "nofile:$S" } },
	{ "--register with two keys", TT "--store $S --register $K1 $REN", 2,
	  { "usage~give the key once", "nofile:$S" } },
	{ "--force without --register", TT "--store $S --force", 2,
	  { "usage~--force goes with --register" } },
	{ "--store ''", TT "--store= ", 2, { "usage~--store needs the path" } },
	{ "--store twice", TT "--store $S --store $S", 2, { "usage~" } },
	{ "--check refuses --store", "lkey-verify --check "
	  "keys/samples/MANIFEST --store $S", 2,
	  { "usage~--store is not allowed with --check", "nofile:$S" } },
	{ "--help names the forms", "lkey-verify --help", 0,
	  { "out~--store DIR", "out~[--register [--force] (KEY | --key-file "
	    "FILE | -)]" } },
};

static void
test_usage(void **state)
{
	GOLDEN_TABLE(*state, usage, vars);
}

/* ---- a refused registration changes nothing ----------------------------- */

/* Every name in dir and the bytes of each file, as one text. */
static void
snapshot(const char *dir, char *out, size_t cap)
{
	char p[PATHCAP], body[SNAPCAP];
	struct dirent *e;
	size_t n = 0;
	DIR *d;

	out[0] = '\0';
	assert_non_null(d = opendir(dir));
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' && (e->d_name[1] == '\0' ||
		    strcmp(e->d_name, "..") == 0))
			continue;
		bprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		(void)read_file(p, body, sizeof(body));
		n += (size_t)snprintf(out + n, cap - n, "== %s\n%s", e->d_name,
		    body);
		assert_true(n < cap);
	}
	(void)closedir(d);
}

static void
test_refused_changes_nothing(void **state)
{
	static const char *const refused[] = { "less", "expired", "timelog",
	    "junk" };
	static char before[4 * SNAPCAP], after[4 * SNAPCAP];
	const struct fx *fx = *state;
	const char *s = vars[V_S].value, *key;
	const char *argv[] = { "lkey-verify", "--pubkey", DEMO_PUB,
	    "--catalog", CATALOG, "--product", "timetracker", "--today",
	    "2027-11-16", "--store", s, "--revocations", vars[V_L2].value,
	    "--register", NULL, NULL };
	struct result r;
	size_t i;

	assert_int_equal(rm_tree(vars[V_D].value), 0);
	assert_int_equal(mkdir(vars[V_D].value, 0700), 0);
	write_file(vars[V_L2].value, K.list2, strlen(K.list2));
	argv[14] = K.k1;
	run(fx, argv, NULL, 0, &r);
	assert_int_equal(r.code, 0);
	argv[14] = K.ren;
	run(fx, argv, NULL, 0, &r);
	assert_int_equal(r.code, 0);
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		key = i == 0 ? K.less : i == 1 ? K.expired : i == 2 ?
		    K.timelog : "Dear customer, your key: AAAA";
		snapshot(s, before, sizeof(before));
		argv[14] = key;
		run(fx, argv, NULL, 0, &r);
		if (r.code != 6) {
			show(refused[i], &r);
			fail_msg("%s: exit %d, expected 6", refused[i], r.code);
		}
		assert_int_equal(err_lines(&r), 1);
		snapshot(s, after, sizeof(after));
		if (strcmp(before, after) != 0)
			fail_msg("%s: the store changed:\n%s\nnow:\n%s",
			    refused[i], before, after);
	}
}

/* Runs argv; fails unless it exits with code and its stderr holds want. */
static void
exits_saying(const char *const argv[], int code, const char *want,
    const char *what)
{
	struct result r;

	run_tool(argv, NULL, NULL, 0, &r);
	if (r.code != code || strstr(r.err, want) == NULL) {
		show(what, &r);
		fail_msg("%s: expected exit %d and \"%s\" on stderr", what,
		    code, want);
	}
}

/*
 * A computer whose machine id cannot be read: a node-locked key is checked
 * against no made-up id. lkey-verify says why on stderr, and a store
 * refuses to register the key, saying so. The machine id files are hidden
 * behind an empty file in a mount namespace of the run's own (unshare -m,
 * where the system permits it: as root).
 */
static void
test_no_machine_id(void **state)
{
	const struct fx *fx = *state;
	static const char script[] =
	    "set -e; for f in /etc/machine-id /var/lib/dbus/machine-id; do "
	    "if [ -e \"$f\" ]; then mount --bind \"$1\" \"$f\"; fi; done; "
	    "shift; exec \"$@\"";
	char empty[PATHCAP], prog[PATHCAP], dir[PATHCAP];
	const char *probe[] = { "unshare", "-m", "true", NULL };
	const char *check[] = { "unshare", "-m", "sh", "-c", script, "sh",
	    empty, prog, "--pubkey", DEMO_PUB, "--catalog", CATALOG,
	    "--product", "timetracker", "--today", "2027-06-15", "--key-file",
	    "keys/samples/host.key", NULL, NULL, NULL, NULL };
	struct result r;

	run_tool(probe, NULL, NULL, 0, &r);
	if (r.code != 0) {
		print_message("no mount namespace here (unshare -m: %.*s): "
		    "skipped\n", (int)strcspn(r.err, "\n"), r.err);
		skip();
	}
	path_in(fx, "empty", empty, sizeof(empty));
	write_file(empty, "", 0);
	bprintf(prog, sizeof(prog), "%s/lkey-verify", fx->bindir);
	exits_saying(check, 19, "lkey-verify: this computer's machine id "
	    "cannot be read (/etc/machine-id, /var/lib/dbus/machine-id: no "
	    "machine id", "lkey-verify, no machine id (host_mismatch)");
	path_in(fx, "no-id-store", dir, sizeof(dir));
	check[18] = "--store";
	check[19] = dir;
	check[20] = "--register";
	exits_saying(check, 6, "this computer's id could not be read. Ask the "
	    "vendor for help. This computer's machine id cannot be read: "
	    "/etc/machine-id, /var/lib/dbus/machine-id: no machine id",
	    "lkey-verify --store --register, no machine id");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_session),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_refused_changes_nothing),
		cmocka_unit_test(test_no_machine_id),
	};

	return cmocka_run_group_tests_name("cli store", tests, setup,
	    proc_teardown);
}

/*
 * test_nonet.c - lkey-verify and liblkey never use the network: a licence
 * check works on a machine with no network and tells no one that it ran.
 *
 * Three proofs, for the build in $LKEY_BUILD_DIR (plain or sanitizer):
 *
 * 1. What they import. The undefined symbols of lkey-verify and
 *    liblkey.so (nm -D --undefined-only) and of liblkey.a (nm -u) name no
 *    socket call, no resolver or name-service lookup, no interface query,
 *    no remote command, and no way around this check: a raw syscall(),
 *    symbols looked up at run time (dlopen, dlsym) or another program
 *    started (fork, exec*, posix_spawn, system, popen), which could do what
 *    the imports do not show. A sanitizer build needs no exemption: its
 *    code imports only the sanitizer's __asan_* and __ubsan_* entry points,
 *    and the sanitizer runtime is a library of its own, not checked here.
 * 2. What lkey-verify does. Checking a valid sample key under
 *    strace -f -e trace=%network records no system call of that class.
 * 3. That it needs nothing from the network. The same check in a new
 *    network namespace (unshare -n; checked: a namespace other than ours,
 *    with no interface but the loopback) gives "valid", exit 0.
 *
 * 2 and 3 are skipped, saying why, where strace is missing or may not
 * trace, or where a network namespace cannot be made (both are tried, not
 * assumed). 1 is never skipped. The runs start from the repository root.
 */
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

#include "json.h"
#include "proc.h"

#define SAMPLE "keys/samples/valid.key"
#define TRACECAP 65536U

/* What lkey-verify and liblkey must not import, by what it is for. */
static const char *const sockets[] = {
	"socket", "socketpair", "connect", "bind", "listen", "accept",
	"accept4", "send", "sendto", "sendmsg", "sendmmsg", "recv", "recvfrom",
	"recvmsg", "recvmmsg", "__recv_chk", "__recvfrom_chk", "shutdown",
	"getsockopt", "setsockopt", "getsockname", "getpeername", "sockatmark",
	"isfdtype", "__cmsg_nxthdr", NULL,
};
static const char *const lookups[] = {
	"getaddrinfo", "getaddrinfo_a", "gai_suspend", "gai_cancel",
	"gai_error", "freeaddrinfo", "getnameinfo", "gethostbyname",
	"gethostbyname_r", "gethostbyname2", "gethostbyname2_r",
	"gethostbyaddr", "gethostbyaddr_r", "gethostent", "gethostent_r",
	"sethostent", "getservbyname", "getservbyname_r", "getservbyport",
	"getservbyport_r", "getservent", "getprotobyname", "getprotobynumber",
	"getnetbyname", "getnetbyaddr", "getipnodebyname", "getipnodebyaddr",
	"ether_hostton", "ether_ntohost", "res_init", "res_ninit", "res_query",
	"res_nquery", "res_search", "res_nsearch", "res_querydomain",
	"res_nquerydomain", "res_mkquery", "res_nmkquery", "res_send",
	"res_nsend", "__res_init", "__res_ninit", "__res_query",
	"__res_nquery", "__res_search", "__res_nsearch", "__res_querydomain",
	"__res_nquerydomain", "__res_mkquery", "__res_nmkquery", "__res_send",
	"__res_nsend", "__res_state", "dn_expand", "__dn_expand", "dn_comp",
	"__dn_comp", "ns_initparse", "ns_parserr", NULL,
};
static const char *const interfaces[] = {
	"getifaddrs", "if_nametoindex", "if_indextoname", "if_nameindex",
	NULL,
};
static const char *const remote[] = {
	"rcmd", "rcmd_af", "rexec", "rexec_af", "rresvport", "rresvport_af",
	"ruserok", "ruserok_af", "iruserok", "iruserok_af", "bindresvport",
	NULL,
};
static const char *const detours[] = {
	"syscall", "dlopen", "dlmopen", "dlsym", "dlvsym", "fork", "vfork",
	"clone", "clone3", "execve", "execveat", "execv", "execvp", "execvpe",
	"execl", "execle", "execlp", "fexecve", "posix_spawn", "posix_spawnp",
	"system", "popen", NULL,
};

static const struct {
	const char *what;
	const char *const *names;
} forbidden[] = {
	{ "socket calls", sockets },
	{ "name and address lookups", lookups },
	{ "interface queries", interfaces },
	{ "remote commands", remote },
	{ "ways around this check", detours },
};
#define NGROUPS (sizeof(forbidden) / sizeof(forbidden[0]))

/* The group of forbidden name sym (without "@VERSION"), or NULL. */
static const char *
forbidden_as(const char *sym, size_t len)
{
	size_t g, i;

	for (g = 0; g < NGROUPS; g++)
		for (i = 0; forbidden[g].names[i] != NULL; i++)
			if (strlen(forbidden[g].names[i]) == len &&
			    strncmp(forbidden[g].names[i], sym, len) == 0)
				return forbidden[g].what;
	return NULL;
}

static size_t
forbidden_count(void)
{
	size_t g, i, n = 0;

	for (g = 0; g < NGROUPS; g++)
		for (i = 0; forbidden[g].names[i] != NULL; i++)
			n++;
	return n;
}

/*
 * Runs nm with the options in opts (NULL-terminated) on the file
 * bindir/name and checks every undefined symbol it lists. nm's lines are
 * "<spaces>U name[@VERSION]" (or w, v for weak ones); an archive adds
 * "member.o:" and blank lines. Anything else fails the test, so a change
 * in nm's output cannot make it pass unchecked. A known import must be
 * seen, for the same reason.
 */
static void
check_imports(const struct fx *fx, const char *const opts[],
    const char *name)
{
	char path[PATHCAP], cmd[PATHCAP];
	const char *argv[8];
	const char *known = "crypto_sign_verify_detached";
	struct result r;
	char *line, *next, *nl;
	size_t n = 0, bad = 0, i, k = 0;
	bool seen = false;

	bprintf(path, sizeof(path), "%s/%s", fx->bindir, name);
	bprintf(cmd, sizeof(cmd), "nm");
	argv[k++] = "nm";
	for (i = 0; opts[i] != NULL; i++) {
		assert_true(k < 6U);
		argv[k++] = opts[i];
		bprintf(cmd + strlen(cmd), sizeof(cmd) - strlen(cmd), " %s",
		    opts[i]);
	}
	argv[k++] = path;
	argv[k] = NULL;
	bprintf(cmd + strlen(cmd), sizeof(cmd) - strlen(cmd), " %s", path);
	run_tool(argv, NULL, NULL, 0, &r);
	if (r.code == 127)
		fail_msg("nm is not installed (binutils): the imports of %s "
		    "cannot be checked", path);
	if (r.code != 0 || r.out_trunc || r.errlen != 0) {
		show(cmd, &r);
		fail_msg("%s failed", cmd);
	}
	for (line = r.out; *line != '\0'; line = next) {
		const char *p = line, *sym, *group;
		size_t len;

		nl = strchr(line, '\n');
		next = nl != NULL ? nl + 1 : line + strlen(line);
		if (nl != NULL)
			*nl = '\0';
		if (line[0] == '\0' || (line[0] != ' ' &&
		    line[strlen(line) - 1U] == ':'))
			continue;	/* between members, member name */
		while (*p == ' ')
			p++;
		if (strchr("Uwv", *p) == NULL || *p == '\0' || p[1] != ' ' ||
		    p[2] == '\0' || p[2] == ' ' || strchr(p + 2, ' ') != NULL)
			fail_msg("%s: unexpected line \"%s\"", cmd, line);
		sym = p + 2;
		len = strcspn(sym, "@");
		n++;
		if (len == strlen(known) && strncmp(sym, known, len) == 0)
			seen = true;
		if ((group = forbidden_as(sym, len)) != NULL) {
			print_error("%s imports %s (%s)\n", path, sym, group);
			bad++;
		}
	}
	if (!seen)
		fail_msg("%s: %s not among its %zu imports: the check sees "
		    "nothing", cmd, known, n);
	print_message("%s: %zu undefined symbols, %s\n", cmd, n,
	    bad == 0 ? "none forbidden" : "SOME FORBIDDEN (listed above)");
	if (bad > 0)
		fail_msg("%s imports %zu forbidden symbols", path, bad);
}

static const char *const dynamic[] = { "-D", "--undefined-only", NULL };
static const char *const archive[] = { "-u", NULL };

static void
test_imports_verify(void **state)
{
	size_t g;

	print_message("forbidden imports: %zu names\n", forbidden_count());
	for (g = 0; g < NGROUPS; g++) {
		char list[1024];
		size_t i, len = 0;

		for (i = 0; forbidden[g].names[i] != NULL; i++) {
			int k = snprintf(list + len, sizeof(list) - len, "%s%s",
			    i > 0 ? " " : "", forbidden[g].names[i]);

			assert_true(k > 0 && (size_t)k < sizeof(list) - len);
			len += (size_t)k;
		}
		print_message("  %s: %s\n", forbidden[g].what, list);
	}
	check_imports(*state, dynamic, "lkey-verify");
}

static void
test_imports_shared(void **state)
{
	check_imports(*state, dynamic, "liblkey.so");
}

static void
test_imports_static(void **state)
{
	check_imports(*state, archive, "liblkey.a");
}

/* ---- running lkey-verify ------------------------------------------------ */

/* argv for lkey-verify checking the valid sample key, after prefix. */
static void
verify_argv(const struct fx *fx, const char *const prefix[], char *prog,
    const char *argv[])
{
	static const char *const opts[] = { "--pubkey", DEMO_PUB,
	    "--catalog", CATALOG, "--product", "timetracker", "--today",
	    "2027-06-15", "--key-file", SAMPLE, "--json", NULL };
	size_t n = 0, i;

	bprintf(prog, PATHCAP, "%s/lkey-verify", fx->bindir);
	for (i = 0; prefix[i] != NULL; i++)
		argv[n++] = prefix[i];
	argv[n++] = prog;
	for (i = 0; opts[i] != NULL; i++)
		argv[n++] = opts[i];
	assert_true(n <= ARGMAX);
	argv[n] = NULL;
}

static void
expect_valid(const char *what, const struct result *r)
{
	if (r->code != 0 || !json_status_is(r, "valid") || r->errlen != 0) {
		show(what, r);
		fail_msg("%s: expected exit 0, status valid, nothing on stderr",
		    what);
	}
}

/* Whether s holds needle, ignoring case (for tools' messages). */
static bool
mentions(const char *s, const char *needle)
{
	size_t n = strlen(needle), i, j;

	for (i = 0; s[i] != '\0'; i++) {
		for (j = 0; j < n; j++) {
			char a = s[i + j], b = needle[j];

			if (a >= 'A' && a <= 'Z')
				a = (char)(a - 'A' + 'a');
			if (a != b)
				break;
		}
		if (j == n)
			return true;
	}
	return false;
}

/* ---- 2. strace ---------------------------------------------------------- */

/*
 * Counts the system calls in an strace output file (-f: "PID call(...)");
 * lines that only note an exit or a signal ("+++ ...", "--- ...") are not
 * calls. Prints each call.
 */
static size_t
trace_calls(const char *path, char *buf, size_t cap, bool print)
{
	char *line, *next;
	size_t n = 0;

	(void)read_file(path, buf, cap);
	for (line = buf; *line != '\0'; line = next) {
		const char *p = line;
		size_t len = strcspn(line, "\n");

		next = line + len + (line[len] == '\n' ? 1U : 0U);
		while ((*p >= '0' && *p <= '9') || *p == ' ')
			p++;
		if (*p == '\0' || *p == '\n' || strncmp(p, "+++ ", 4) == 0 ||
		    strncmp(p, "--- ", 4) == 0)
			continue;
		if (print)
			print_error("  %.*s\n", (int)len, line);
		n++;
	}
	return n;
}

/*
 * Runs probe, a harmless use of a tool, to see whether this test can use
 * the tool here. Skips the test, saying why and what is skipped, if the
 * tool is not installed (package: where it comes from) or the system does
 * not permit what it does: its stderr mentions `need` (NULL: nothing in
 * particular) and one of `refusals`. Fails the test if the tool fails any
 * other way.
 */
static void
usable_or_skip(const char *const probe[], const char *skipped,
    const char *package, const char *refused, const char *need,
    const char *const refusals[])
{
	char cmd[256];
	struct result r;
	size_t i, len = 0;

	run_tool(probe, NULL, NULL, 0, &r);
	if (r.code == 127) {
		print_message("%s is not installed: %s is skipped (%s)\n",
		    probe[0], skipped, package);
		skip();
	}
	if (r.code == 0)
		return;
	for (i = 0; refusals[i] != NULL; i++)
		if ((need == NULL || mentions(r.err, need)) &&
		    mentions(r.err, refusals[i])) {
			print_message("%s: %s is skipped\n  %s said: %.*s\n",
			    refused, skipped, probe[0],
			    (int)strcspn(r.err, "\n"), r.err);
			skip();
		}
	for (i = 0; probe[i] != NULL; i++) {
		bprintf(cmd + len, sizeof(cmd) - len, "%s%s", i > 0 ? " " : "",
		    probe[i]);
		len += strlen(cmd + len);
	}
	show(cmd, &r);
	fail_msg("%s failed: %s does not work here", cmd, probe[0]);
}

/* What strace and unshare say when the system does not let them work. */
static const char *const traced_not[] = { "not permitted",
    "permission denied", NULL };
static const char *const unshared_not[] = { "not permitted",
    "permission denied", "invalid argument", NULL };

/*
 * lkey-verify (prog) on the valid sample under strace -e trace=%CLASS,
 * with env added to its environment; it must find the key valid. Returns
 * the calls strace recorded (trace_calls, into buf: TRACECAP bytes).
 */
static size_t
traced(const struct fx *fx, const char *class, const char *const env[],
    char *prog, char *buf, bool print)
{
	char trace[PATHCAP], name[64], filter[64], what[128];
	const char *prefix[] = { "strace", "-f", "-qq", "-e", "signal=none",
	    "-e", filter, "-o", trace, NULL };
	const char *argv[ARGMAX + 1U];
	struct result r;

	bprintf(name, sizeof(name), "%s.trace", class);
	path_in(fx, name, trace, sizeof(trace));
	bprintf(filter, sizeof(filter), "trace=%%%s", class);
	verify_argv(fx, prefix, prog, argv);
	run_tool(argv, env, NULL, 0, &r);
	bprintf(what, sizeof(what), "lkey-verify under strace -e %s", filter);
	expect_valid(what, &r);
	return trace_calls(trace, buf, TRACECAP, print);
}

static void
test_strace(void **state)
{
	const struct fx *fx = *state;
	static char buf[TRACECAP];
	char prog[PATHCAP], asan[1024];
	const char *probe[] = { "strace", "-o", "/dev/null", "true", NULL };
	const char *const extra[] = { asan, NULL };
	const char *a = getenv("ASAN_OPTIONS");
	size_t calls, control;

	usable_or_skip(probe, "the system-call check", "apt-get install strace",
	    "strace may not trace here (ptrace not permitted)", "ptrace",
	    traced_not);
	/*
	 * LeakSanitizer stops the process with ptrace at exit, which it
	 * cannot while strace traces it: only that part of a sanitizer build
	 * is turned off, and only for these runs (the plain build ignores
	 * ASAN_OPTIONS).
	 */
	bprintf(asan, sizeof(asan), "ASAN_OPTIONS=%s%sdetect_leaks=0",
	    a != NULL ? a : "", a != NULL && a[0] != '\0' ? ":" : "");

	calls = traced(fx, "network", extra, prog, buf, true);
	/* The same run, tracing what it opens: the tracing sees the run. */
	control = traced(fx, "file", extra, prog, buf, false);
	if (control == 0 || strstr(buf, "\"" SAMPLE "\"") == NULL)
		fail_msg("strace -e trace=%%file recorded %zu calls and not the "
		    "opening of %s: the trace does not see lkey-verify", control,
		    SAMPLE);

	print_message("strace -f -e trace=%%network %s ... --key-file %s: "
	    "%zu network calls (control: trace=%%file recorded %zu calls, "
	    "%s among them)\n", prog, SAMPLE, calls, control, SAMPLE);
	if (calls != 0)
		fail_msg("lkey-verify made %zu network system calls (listed "
		    "above)", calls);
}

/* ---- 3. no network at all ----------------------------------------------- */

/* Interfaces listed in /proc/net/dev text (after its two header lines). */
static size_t
interfaces_in(const char *dev, bool *only_lo)
{
	const char *p = dev;
	size_t n = 0, skipped = 0;

	*only_lo = true;
	while (*p != '\0') {
		const char *nl = strchr(p, '\n'), *q = p;

		if (nl == NULL)
			nl = p + strlen(p);
		if (skipped < 2)
			skipped++;
		else if (nl > p) {
			while (*q == ' ')
				q++;
			n++;
			if (strncmp(q, "lo:", 3) != 0)
				*only_lo = false;
		}
		p = *nl != '\0' ? nl + 1 : nl;
	}
	return n;
}

static void
test_no_network(void **state)
{
	const struct fx *fx = *state;
	char prog[PATHCAP], ours[PATHCAP], theirs[PATHCAP];
	const char *probe[] = { "unshare", "-n", "true", NULL };
	const char *ns[] = { "unshare", "-n", "readlink", "/proc/self/ns/net",
	    NULL };
	const char *dev[] = { "unshare", "-n", "cat", "/proc/net/dev", NULL };
	const char *prefix[] = { "unshare", "-n", NULL };
	const char *argv[ARGMAX + 1U];
	struct result r;
	ssize_t len;
	bool only_lo;
	size_t n;

	usable_or_skip(probe, "the run without a network", "util-linux",
	    "a network namespace cannot be made here (unshare -n)", NULL,
	    unshared_not);

	/* A namespace of its own, with no interface but the loopback. */
	len = readlink("/proc/self/ns/net", ours, sizeof(ours) - 1U);
	assert_true(len > 0);
	ours[len] = '\0';
	run_tool(ns, NULL, NULL, 0, &r);
	if (r.code != 0 || strncmp(r.out, ours, (size_t)len) == 0) {
		show("unshare -n readlink /proc/self/ns/net", &r);
		fail_msg("unshare -n did not give a new network namespace "
		    "(ours is %s)", ours);
	}
	bprintf(theirs, sizeof(theirs), "%.*s", (int)strcspn(r.out, "\n"),
	    r.out);
	run_tool(dev, NULL, NULL, 0, &r);
	n = interfaces_in(r.out, &only_lo);
	if (r.code != 0 || n != 1 || !only_lo) {
		show("unshare -n cat /proc/net/dev", &r);
		fail_msg("the new namespace has interfaces other than lo");
	}

	verify_argv(fx, prefix, prog, argv);
	run_tool(argv, NULL, NULL, 0, &r);
	expect_valid("lkey-verify in a new network namespace", &r);
	print_message("unshare -n %s ... --key-file %s: valid, exit 0 (a new "
	    "network namespace, %s, not ours, %s; interfaces: lo only)\n",
	    prog, SAMPLE, theirs, ours);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_imports_verify),
		cmocka_unit_test(test_imports_shared),
		cmocka_unit_test(test_imports_static),
		cmocka_unit_test(test_strace),
		cmocka_unit_test(test_no_network),
	};

	return cmocka_run_group_tests_name("nonet", tests, proc_setup,
	    proc_teardown);
}

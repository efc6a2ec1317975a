/*
 * proc.c - running the built programs for the CLI tests (see proc.h)
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "json.h"
#include "proc.h"

extern char **environ;

/* ---- running a program -------------------------------------------------- */

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000LL + ts.tv_nsec / 1000000L;
}

/* RUN_TIMEOUT_MS times $LKEY_TEST_TIMEOUT_SCALE (see proc.h). */
static long long
run_timeout_ms(void)
{
	const char *s = getenv("LKEY_TEST_TIMEOUT_SCALE");
	char *end;
	long k;

	if (s == NULL || s[0] == '\0')
		return RUN_TIMEOUT_MS;
	errno = 0;
	k = strtol(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || errno != 0 || *end != '\0' || k < 1 ||
	    k > 1000)
		fail_msg("LKEY_TEST_TIMEOUT_SCALE=%s: expected a whole number "
		    "from 1 to 1000", s);
	return (long long)RUN_TIMEOUT_MS * k;
}

/* Whether environment entry e sets the variable that "NAME=..." sets. */
static bool
same_name(const char *e, const char *setting)
{
	const char *eq = strchr(setting, '=');
	size_t n = eq != NULL ? (size_t)(eq - setting) + 1U : strlen(setting);

	return strncmp(e, setting, n) == 0;
}

/*
 * The child's environment: ours without LKEY_PASSPHRASE,
 * LKEY_PWHASH_INTERACTIVE and the names extra sets, then
 * LKEY_PWHASH_INTERACTIVE=1 and the extra settings (NULL-terminated, or
 * NULL). Returns a malloc'd array of borrowed strings.
 */
static char **
child_env(const char *const extra[])
{
	static char fast[] = "LKEY_PWHASH_INTERACTIVE=1";
	size_t n = 0, nx = 0, i, j, k = 0;
	char **env;

	while (environ[n] != NULL)
		n++;
	while (extra != NULL && extra[nx] != NULL)
		nx++;
	env = calloc(n + nx + 2U, sizeof(*env));
	assert_non_null(env);
	for (i = 0; i < n; i++) {
		bool drop = same_name(environ[i], "LKEY_PASSPHRASE=") ||
		    same_name(environ[i], fast);

		for (j = 0; j < nx && !drop; j++)
			drop = same_name(environ[i], extra[j]);
		if (!drop)
			env[k++] = environ[i];
	}
	env[k++] = fast;
	for (j = 0; j < nx; j++)
		env[k++] = (char *)extra[j];
	env[k] = NULL;
	return env;
}

/* Reads what is there from fd into buf (kept up to OUTCAP); -1 at EOF. */
static int
drain(int fd, char *buf, size_t *len, bool *trunc)
{
	char scratch[4096];
	ssize_t n;

	if (*len < OUTCAP)
		n = read(fd, buf + *len, OUTCAP - *len);
	else
		n = read(fd, scratch, sizeof(scratch));
	if (n < 0)
		return (errno == EINTR || errno == EAGAIN) ? 0 : -1;
	if (n == 0)
		return -1;
	if (*len < OUTCAP)
		*len += (size_t)n;
	else
		*trunc = true;
	return 0;
}

/*
 * Runs prog (a path, or a name execvp looks up on PATH) with argv[1...]
 * and the environment of child_env(extra); see run_env.
 */
static void
spawn(const char *prog, const char *const argv[], const char *const extra[],
    const char *stdin_data, size_t stdin_len, struct result *r)
{
	char *av[ARGMAX + 1U], **env;
	int in[2], out[2], err[2], status = 0;
	size_t i, written = 0;
	struct sigaction sa;
	long long timeout = run_timeout_ms(), deadline;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->code = -1;
	for (i = 0; argv[i] != NULL; i++) {
		assert_true(i < ARGMAX);
		av[i] = (char *)argv[i];
	}
	av[0] = (char *)prog;
	av[i] = NULL;
	env = child_env(extra);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGPIPE, &sa, NULL), 0);
	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(out), 0);
	assert_int_equal(pipe(err), 0);

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		sa.sa_handler = SIG_DFL;
		(void)sigaction(SIGPIPE, &sa, NULL);
		/* No controlling terminal: /dev/tty cannot be opened. */
		(void)setsid();
		if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0 ||
		    dup2(err[1], 2) < 0)
			_exit(126);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		close(err[0]);
		close(err[1]);
		environ = env;
		execvp(prog, av);
		dprintf(2, "proc: cannot run %s: %s\n", prog, strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	close(err[1]);
	if (stdin_data == NULL || stdin_len == 0) {
		close(in[1]);
		in[1] = -1;
	} else
		assert_int_equal(fcntl(in[1], F_SETFL,
		    fcntl(in[1], F_GETFL) | O_NONBLOCK), 0);

	deadline = now_ms() + timeout;
	while (in[1] != -1 || out[0] != -1 || err[0] != -1) {
		struct pollfd p[3];
		nfds_t np = 0;
		int ii = -1, io = -1, ie = -1, left, k;

		if (in[1] != -1) {
			p[np].fd = in[1];
			p[np].events = POLLOUT;
			ii = (int)np++;
		}
		if (out[0] != -1) {
			p[np].fd = out[0];
			p[np].events = POLLIN;
			io = (int)np++;
		}
		if (err[0] != -1) {
			p[np].fd = err[0];
			p[np].events = POLLIN;
			ie = (int)np++;
		}
		left = (int)(deadline - now_ms());
		if (left <= 0) {
			r->timed_out = true;
			(void)kill(pid, SIGKILL);
			break;
		}
		k = poll(p, np, left);
		if (k < 0 && errno == EINTR)
			continue;
		assert_true(k >= 0);
		if (ii >= 0 && p[ii].revents != 0) {
			ssize_t n = write(in[1], stdin_data + written,
			    stdin_len - written);

			if (n > 0)
				written += (size_t)n;
			if ((n < 0 && errno != EAGAIN && errno != EINTR) ||
			    written == stdin_len) {
				close(in[1]);
				in[1] = -1;
			}
		}
		if (io >= 0 && p[io].revents != 0 &&
		    drain(out[0], r->out, &r->outlen, &r->out_trunc) < 0) {
			close(out[0]);
			out[0] = -1;
		}
		if (ie >= 0 && p[ie].revents != 0 &&
		    drain(err[0], r->err, &r->errlen, &r->err_trunc) < 0) {
			close(err[0]);
			err[0] = -1;
		}
	}
	if (in[1] != -1)
		close(in[1]);
	if (out[0] != -1)
		close(out[0]);
	if (err[0] != -1)
		close(err[0]);
	while (waitpid(pid, &status, 0) < 0)
		assert_int_equal(errno, EINTR);
	free(env);
	r->out[r->outlen] = '\0';
	r->err[r->errlen] = '\0';
	if (WIFEXITED(status))
		r->code = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		r->code = 128 + WTERMSIG(status);
	if (r->timed_out)
		fail_msg("%s did not finish within %lld ms", prog, timeout);
}

void
run_env(const struct fx *fx, const char *const argv[], const char *passphrase,
    const char *stdin_data, size_t stdin_len, struct result *r)
{
	char prog[PATHCAP], *setting = NULL;
	const char *extra[2] = { NULL, NULL };

	if (strchr(argv[0], '/') != NULL)
		bprintf(prog, sizeof(prog), "%s", argv[0]);
	else
		bprintf(prog, sizeof(prog), "%s/%s", fx->bindir, argv[0]);
	if (passphrase != NULL) {
		size_t len = strlen(passphrase) + sizeof("LKEY_PASSPHRASE=");

		setting = malloc(len);
		assert_non_null(setting);
		bprintf(setting, len, "LKEY_PASSPHRASE=%s", passphrase);
		extra[0] = setting;
	}
	spawn(prog, argv, extra, stdin_data, stdin_len, r);
	free(setting);
}

void
run(const struct fx *fx, const char *const argv[], const char *stdin_data,
    size_t stdin_len, struct result *r)
{
	run_env(fx, argv, NULL, stdin_data, stdin_len, r);
}

void
run_tool_ok(const char *what, const char *const argv[],
    const char *const extra_env[], struct result *r)
{
	run_tool(argv, extra_env, NULL, 0, r);
	if (r->code != 0) {
		show(what, r);
		fail_msg("%s failed", what);
	}
}

void
run_tool(const char *const argv[], const char *const extra_env[],
    const char *stdin_data, size_t stdin_len, struct result *r)
{
	spawn(argv[0], argv, extra_env, stdin_data, stdin_len, r);
}

void
collect_args(const char *first, va_list ap, const char *argv[])
{
	size_t n = 0;
	const char *a = first;

	while (a != NULL) {
		assert_true(n < ARGMAX);
		argv[n++] = a;
		a = va_arg(ap, const char *);
	}
	argv[n] = NULL;
}

void
prefix_args(const char *const prefix[], va_list ap, const char *argv[])
{
	size_t n = 0;
	const char *a;

	while (prefix[n] != NULL) {
		assert_true(n < ARGMAX);
		argv[n] = prefix[n];
		n++;
	}
	while ((a = va_arg(ap, const char *)) != NULL) {
		assert_true(n < ARGMAX);
		argv[n++] = a;
	}
	argv[n] = NULL;
}

/* ---- the programs ------------------------------------------------------- */

void
run_prefixed(const struct fx *fx, struct result *r,
    const char *const prefix[], va_list ap)
{
	const char *argv[ARGMAX + 1U];

	prefix_args(prefix, ap, argv);
	run(fx, argv, NULL, 0, r);
}

void
keygen_run(const struct fx *fx, struct result *r, ...)
{
	static const char *const prefix[] = { "lkey-keygen", NULL };
	va_list ap;

	va_start(ap, r);
	run_prefixed(fx, r, prefix, ap);
	va_end(ap);
}

void
expect_refusal(const char *what, const struct result *r, int code,
    const char *want)
{
	if (r->code != code || r->outlen != 0 || err_lines(r) != 1 ||
	    strstr(r->err, want) == NULL) {
		show(what, r);
		fail_msg("%s: expected exit %d, no output and \"%s\"", what,
		    code, want);
	}
}

void
load_pub(const char *path, lkey_pubkey *pub)
{
	char text[4097];	/* a key ring file: at most 4096 bytes */
	size_t n = read_file(path, text, sizeof(text));

	assert_int_equal(lkey_pubkey_parse(text, n, pub), LKEY_OK);
}

bool
is_b64(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
}

void
issue_argv(const struct fx *fx, const char *passphrase, char *key,
    size_t cap, const char *const opts[])
{
	const char *argv[ARGMAX + 1U];
	struct result r;
	size_t i, n = 0;

	argv[n++] = "lkey-keygen";
	argv[n++] = "issue";
	argv[n++] = "--no-ledger";	/* the demo key's serials repeat */
	for (i = 0; opts[i] != NULL; i++) {
		assert_true(n < ARGMAX);
		argv[n++] = opts[i];
	}
	argv[n] = NULL;
	run_env(fx, argv, passphrase, NULL, 0, &r);
	if (r.code != 0 || r.errlen != 0) {
		show("issue", &r);
		fail_msg("lkey-keygen issue failed");
	}
	assert_true(r.outlen >= 2U && r.outlen < cap);
	assert_int_equal(r.out[r.outlen - 1U], '\n');
	for (i = 0; i + 1U < r.outlen; i++)
		if (!is_b64(r.out[i]))
			fail_msg("issued key has byte 0x%02x at %zu: %s",
			    (unsigned)(unsigned char)r.out[i], i, r.out);
	memcpy(key, r.out, r.outlen - 1U);
	key[r.outlen - 1U] = '\0';
}

void
issue(const struct fx *fx, const char *passphrase, char *key, size_t cap,
    ...)
{
	const char *opts[ARGMAX + 1U], *first;
	va_list ap;

	va_start(ap, cap);
	first = va_arg(ap, const char *);
	collect_args(first, ap, opts);
	va_end(ap);
	issue_argv(fx, passphrase, key, cap, opts);
}

void
init_plain(const struct fx *fx, const char *name, char *sec, char *pub)
{
	char out[PATHCAP];
	struct result r;
	const char *argv[] = { "lkey-keygen", "init", "--out", out,
	    "--no-passphrase", NULL };

	path_in(fx, name, out, sizeof(out));
	run(fx, argv, NULL, 0, &r);
	if (r.code != 0 || r.errlen != 0) {
		show("init", &r);
		fail_msg("lkey-keygen init --no-passphrase failed");
	}
	bprintf(sec, PATHCAP, "%s/vendor.sec", out);
	bprintf(pub, PATHCAP, "%s/vendor.pub", out);
}

void
verify(const struct fx *fx, const char *stdin_data, size_t stdin_len,
    struct result *r, ...)
{
	const char *argv[ARGMAX + 1U], *first;
	va_list ap;

	va_start(ap, r);
	argv[0] = "lkey-verify";
	first = va_arg(ap, const char *);
	collect_args(first, ap, argv + 1);
	va_end(ap);
	run(fx, argv, stdin_data, stdin_len, r);
}

/* ---- lkey-verify's verdicts and JSON report ----------------------------- */

bool
verdict_line_ok(const struct result *r, const char *source,
    const char *status)
{
	char head[128];

	bprintf(head, sizeof(head), "lkey-verify: %s: %s: ", source, status);
	return err_lines(r) == 1 && r->err[r->errlen - 1U] == '\n' &&
	    strncmp(r->err, head, strlen(head)) == 0 &&
	    r->errlen > strlen(head) + 1U;
}

bool
json_status_is(const struct result *r, const char *status)
{
	char needle[64];

	bprintf(needle, sizeof(needle), "\"status\":\"%s\"", status);
	return strstr(r->out, needle) != NULL;
}

void
expect_verdict(struct tally *t, const char *what, const struct result *r,
    const char *source, const char *status, int code)
{
	t->cases++;
	tcheck(t, r->code == code, what, r, "exit %d, expected %d", r->code,
	    code);
	tcheck(t, json_status_is(r, status), what, r,
	    "JSON status is not \"%s\"", status);
	if (code == 0)
		tcheck(t, r->errlen == 0, what, r, "stderr not empty");
	else
		tcheck(t, verdict_line_ok(r, source, status), what, r,
		    "stderr is not one line \"lkey-verify: %s: %s: ...\"",
		    source, status);
}

json_doc *
report(const struct result *r)
{
	json_doc *d;

	if (r->outlen == 0 || r->out[r->outlen - 1U] != '\n' ||
	    memchr(r->out, '\n', r->outlen) != r->out + r->outlen - 1U) {
		show("--json", r);
		fail_msg("--json output is not one line");
	}
	d = json_try_parse(r->out, r->outlen, "lkey-verify --json");
	if (d == NULL) {
		show("--json", r);
		fail_msg("--json output is not JSON");
	}
	assert_int_equal(json_type_of(d, json_root(d)), JSON_OBJECT);
	return d;
}

void
assert_json_str(const json_doc *d, const char *name, const char *want)
{
	const char *got = json_get_string(d, json_root(d), name);

	if (strcmp(got, want) != 0)
		fail_msg("JSON \"%s\" is \"%s\", expected \"%s\"", name, got,
		    want);
}

void
assert_json_int(const json_doc *d, const char *name, int64_t want)
{
	int64_t got = json_get_int(d, json_root(d), name);

	if (got != want)
		fail_msg("JSON \"%s\" is %lld, expected %lld", name,
		    (long long)got, (long long)want);
}

void
json_value_append(const json_doc *d, size_t v, char *out, size_t cap,
    size_t *len)
{
	const char *sep = *len > 0 ? "," : "";
	int n;

	if (v == JSON_NONE)
		n = snprintf(out + *len, cap - *len, "%s-", sep);
	else if (json_type_of(d, v) == JSON_STRING)
		n = snprintf(out + *len, cap - *len, "%s\"%s\"", sep,
		    json_string(d, v, NULL));
	else
		n = snprintf(out + *len, cap - *len, "%s%lld", sep,
		    (long long)json_int(d, v));
	assert_true(n > 0 && (size_t)n < cap - *len);
	*len += (size_t)n;
}

void
json_array_text(const json_doc *d, size_t obj, const char *name, char *out,
    size_t cap)
{
	size_t arr = json_get_array(d, obj, name), e, len = 0;

	out[0] = '\0';
	JSON_FOR_EACH(d, arr, e)
		json_value_append(d, e, out, cap, &len);
}

void
json_features(const json_doc *d, char *out, size_t cap)
{
	json_array_text(d, json_root(d), "features", out, cap);
}

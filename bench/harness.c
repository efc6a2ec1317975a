/* harness.c - what the benchmark programs share (harness.h) */
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "ledger.h"

static const char *progname = "bench";

void
harness_init(const char *name)
{
	progname = name;
}

void
die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

double
now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		die("clock_gettime: %s", strerror(errno));
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

void
path_in(char *out, size_t cap, const char *dir, const char *name)
{
	int n = snprintf(out, cap, "%s/%s", dir, name);

	if (n < 0 || (size_t)n >= cap)
		die("path too long: %s/%s", dir, name);
}

double
run_proc(char *const argv[], const char *out, const char *err, int *status)
{
	int ofd, efd;
	double t0, t1;
	pid_t pid;

	ofd = open(out != NULL ? out : "/dev/null",
	    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	efd = open(err != NULL ? err : "/dev/null",
	    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (ofd < 0 || efd < 0)
		die("cannot open %s: %s", out != NULL ? out : "/dev/null",
		    strerror(errno));
	t0 = now_ns();
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		if (dup2(ofd, STDOUT_FILENO) < 0 ||
		    dup2(efd, STDERR_FILENO) < 0)
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, status, 0) < 0) {
		if (errno != EINTR)
			die("waitpid: %s", strerror(errno));
	}
	t1 = now_ns();
	close(ofd);
	close(efd);
	return t1 - t0;
}

double
children_cpu_ns(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_CHILDREN, &ru) != 0)
		die("getrusage: %s", strerror(errno));
	return ((double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec) *
	    1e9 + ((double)ru.ru_utime.tv_usec +
	    (double)ru.ru_stime.tv_usec) * 1e3;
}

int
exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

unsigned long
count_lines(const char *path)
{
	unsigned long n = 0;
	FILE *f = fopen(path, "r");
	int c;

	if (f == NULL)
		return 0;
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

/* Counts a key (ledger_find's callback). */
static int
count_key(void *arg, const ledger_rec *r)
{
	(void)arg;
	(void)r;
	return 0;
}

long
ledger_keys(const char *path)
{
	ledger_query q;
	ledger *l;
	long n;

	if (ledger_open(path, false, &l, NULL, 0) != 0)
		return -1;
	memset(&q, 0, sizeof(q));
	n = ledger_find(l, &q, count_key, NULL, NULL, 0);
	ledger_close(l);
	return n;
}

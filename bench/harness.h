/*
 * harness.h - what the benchmark programs share: dying with a message,
 * a monotonic clock, paths, and running a program with its output in files
 */
#ifndef LKEY_BENCH_HARNESS_H
#define LKEY_BENCH_HARNESS_H

#include <stddef.h>

/* Names the program in die's messages; call first. */
void harness_init(const char *progname);

/* "PROG: message" on stderr, exit 1. */
void die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/* CLOCK_MONOTONIC in ns. */
double now_ns(void);

/* dir/name into out, or die. */
void path_in(char *out, size_t cap, const char *dir, const char *name);

/*
 * Runs argv[0] with stdout and stderr to the given files (NULL: /dev/null)
 * and returns its wall time in ns, from before fork to after wait; its
 * wait status in *status.
 */
double run_proc(char *const argv[], const char *out, const char *err,
    int *status);

/* The exit code of a wait status, 128 + the signal for a killed one. */
int exit_code(int status);

/* User + system CPU time of every waited-for child so far, in ns. */
double children_cpu_ns(void);

/* Lines of a file; 0 if it cannot be read. */
unsigned long count_lines(const char *path);

/* Keys the ledger at path holds, read with the ledger's own code
 * (ledger_find); -1 if it cannot be read. */
long ledger_keys(const char *path);

#endif

/*
 * test_ledger_open.c - opening an SQLite ledger (keygen/lib/db_sqlite.c):
 * many processes at once on a file none of them has seen, and a ledger
 * whose directory is reached through a symbolic link
 *
 * The first is what a web shop's first concurrent requests do: each one
 * opens the default ledger, which does not exist yet. Switching a new file
 * to write-ahead logging can meet another process doing the same, which
 * SQLite answers with "database is locked" at once; every process must
 * still get its ledger.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ledger.h"
#include "proc.h"
#include "support.h"

#define KIDS 8
#define ROUNDS 25

static char err[1024];

/* KIDS processes open one new ledger at once, ROUNDS times: none fails. */
static void
test_new_file_at_once(void **state)
{
	char path[PATHCAP], name[32];
	pid_t pid[KIDS];
	int k, round, st, bad = 0;
	ledger *l;

	for (round = 0; round < ROUNDS; round++) {
		bprintf(name, sizeof name, "new%d.sqlite", round);
		path_in(*state, name, path, sizeof path);
		for (k = 0; k < KIDS; k++) {
			pid[k] = fork();
			assert_true(pid[k] >= 0);
			if (pid[k] == 0) {
				if (ledger_open(path, true, &l, err,
				    sizeof err) != 0) {
					fprintf(stderr, "%s\n", err);
					_exit(1);
				}
				ledger_close(l);
				_exit(0);
			}
		}
		for (k = 0; k < KIDS; k++) {
			assert_int_equal(waitpid(pid[k], &st, 0), pid[k]);
			if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
				bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/*
 * A ledger in a directory reached through a link opens; a link as the
 * ledger file itself is still refused.
 */
static void
test_linked_directory(void **state)
{
	char real[PATHCAP], link[PATHCAP], via[PATHCAP], file[PATHCAP];
	char flink[PATHCAP];
	ledger *l;

	path_in(*state, "real", real, sizeof real);
	path_in(*state, "link", link, sizeof link);
	assert_int_equal(make_dir(real), 0);
	assert_int_equal(symlink(real, link), 0);
	bprintf(via, sizeof via, "%s/ledger.sqlite", link);
	if (ledger_open(via, true, &l, err, sizeof err) != 0)
		fail_msg("ledger_open through a linked directory: %s", err);
	ledger_close(l);
	assert_int_equal(ledger_open(via, false, &l, err, sizeof err), 0);
	ledger_close(l);

	bprintf(file, sizeof file, "%s/ledger.sqlite", real);
	path_in(*state, "flink.sqlite", flink, sizeof flink);
	assert_int_equal(symlink(file, flink), 0);
	assert_int_equal(ledger_open(flink, false, &l, err, sizeof err), -1);
	assert_non_null(strstr(err, "symbolic link"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_new_file_at_once,
		    proc_setup, proc_teardown),
		cmocka_unit_test_setup_teardown(test_linked_directory,
		    proc_setup, proc_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

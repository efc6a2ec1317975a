# The test suite under valgrind: test binaries of the plain build, and the
# programs they start, under memcheck (tests/valgrind.sh says what is
# checked and what fails), LKEY_TEST_JOBS at a time as in make test. Ends
# with the suite's "N passed, N failed" line.
#
#   make test-valgrind      every test binary
#   make test-valgrind-ci   the part CI runs (VALGRIND_CI below)
#
# Valgrind finds what the sanitizer build of make test cannot: reads of
# uninitialised memory, in our code and inside libsodium and libb64 (not
# built with sanitizers), and leaks in the programs the tests start. But
# every program started costs over half a second of valgrind's own
# start-up, and every loop of signature checks runs some 40 times slower.
# Measured on two cores with other builds running, the whole suite takes
# 11 minutes (test_cli alone 3; test_revoke, test_mutations, test_keyfile
# and test_batch about 2 each). CI runs a part that keeps every kind of
# code under memcheck, in 5.5 minutes so measured (3 min 51 s with little
# else running):
#
# - the unit tests of liblkey (codec, date, explain, format, guard, terms,
#   paste, and the licence store with its file I/O: store) and corpus (every fuzz seed through every parser), of the code both
#   programs share (catalog, jsonline, jsonout, install) and of the vendor
#   library (ledger, orders), all in process;
# - both programs as users run them: test_cli (every command of
#   lkey-keygen and lkey-verify, their options, files and errors),
#   test_cli_store (lkey-verify --store: 31 s) and part
#   of test_batch (lkey-keygen batch with bad rows, the ledger, and 2 000
#   orders on its signing threads, orders issued once; VALGRIND_CI_BATCH_SKIP
#   leaves out the tests of input formats, output quoting, --jobs, pipes and
#   concurrency, which run the same code again).
#
# Left to make test-valgrind: test_keyfile (90 s under valgrind since the
# custody checks: its Argon2id runs dominate; the corpus test takes every
# secret key file seed through the same parser, and make test runs it under
# AddressSanitizer), test_sig, test_mutations and test_suggest
# (thousands of signature checks of libsodium, which the tests above run
# too; test_cli's mistyped keys run lkey-verify's typo search), the
# program tests that take the same code through other options (register,
# cli_guard, cli_terms, check, revoke, rotation, weakkey, nonet), the
# example application, and the tests whose own code is shell, make or the
# compiler (cheader, completion, docs, man, pkgconfig).
#
# Programs run some 40 times slower under valgrind: the tests' per-run time
# limit (60 s) is multiplied by VALGRIND_TIMEOUT_SCALE; 20 leaves room for
# a slower machine and still catches a program that hangs.

VALGRIND_TIMEOUT_SCALE ?= 20

# Longest first: they start in this order.
VALGRIND_CI = test_cli test_cli_store test_paste test_batch \
	test_ledger test_format test_date test_orders test_guard test_codec \
	test_corpus test_install test_jsonline test_jsonout test_catalog \
	test_terms test_explain test_store
VALGRIND_CI_BATCH_SKIP = test_json_lines test_jobs_and_serials \
	test_default_ledger test_concurrent test_csv_formulas test_pipe \
	test_issue_concurrent_retries

.PHONY: test-valgrind test-valgrind-ci

test-valgrind:
	@sh tools/deps.sh valgrind
	@$(MAKE) --no-print-directory $(BUILD_JOBS) test-plain > /dev/null
	@LKEY_TEST_WRAPPER="sh tests/valgrind.sh" \
		LKEY_TEST_TIMEOUT_SCALE=$(VALGRIND_TIMEOUT_SCALE) \
		LKEY_TEST_JOBS=$(TEST_JOBS) sh tests/pgserver.sh run $(B)/pg \
		sh tests/run.sh $(B)

test-valgrind-ci:
	@sh tools/deps.sh valgrind
	@$(MAKE) --no-print-directory $(BUILD_JOBS) test-plain > /dev/null
	@LKEY_TEST_WRAPPER="sh tests/valgrind.sh" \
		LKEY_TEST_TIMEOUT_SCALE=$(VALGRIND_TIMEOUT_SCALE) \
		LKEY_TEST_JOBS=$(TEST_JOBS) LKEY_TESTS="$(VALGRIND_CI)" \
		LKEY_TEST_BATCH_SKIP="$(VALGRIND_CI_BATCH_SKIP)" \
		sh tests/run.sh $(B)

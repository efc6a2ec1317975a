# The test suite under valgrind: every test binary of the plain build, and
# the programs it starts, under memcheck (tests/valgrind.sh says what is
# checked and what fails). Ends with the suite's "N passed, N failed" line.
#
# Programs run some 40 times slower under valgrind: the tests' per-run time
# limit (60 s) is multiplied by VALGRIND_TIMEOUT_SCALE. The longest run,
# lkey-keygen batch with 100 000 orders (test_batch), takes about 250 s on
# two cores; 20 gives it a 20-minute limit, so a slower machine still
# passes and a program that hangs is still caught.

VALGRIND_TIMEOUT_SCALE ?= 20

.PHONY: test-valgrind

test-valgrind:
	@sh tools/deps.sh valgrind
	@$(MAKE) --no-print-directory test-plain > /dev/null
	@LKEY_TEST_WRAPPER="sh tests/valgrind.sh" \
		LKEY_TEST_TIMEOUT_SCALE=$(VALGRIND_TIMEOUT_SCALE) \
		sh tests/run.sh $(B)

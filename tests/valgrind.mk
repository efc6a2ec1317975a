# The test suite under valgrind.

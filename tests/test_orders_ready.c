/*
 * test_orders_ready.c - orders_ready, which a batch on a pipe asks before
 * it commits: whether another order has already arrived (read ahead into
 * the reader's buffer, or waiting on the pipe) or the input has ended, so
 * that what arrived together is committed together and nothing waits for
 * input that has not come.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "orders.h"

#define HEADER "order,product,edition,seats,expires,maintenance\n"
#define ROW(id) id ",1,1,5,never,never\n"

static orders_reader rd;

static void
put(int fd, const char *s)
{
	assert_int_equal(write(fd, s, strlen(s)), (ssize_t)strlen(s));
}

static void
next_is(const char *id)
{
	order_fields f;
	unsigned long line;
	char err[512];

	assert_int_equal(orders_next(&rd, &f, &line, err, sizeof(err)), 1);
	assert_string_equal(f.order, id);
}

static void
test_pipe(void **state)
{
	order_fields f;
	unsigned long line;
	char err[512];
	int p[2];
	FILE *in;

	(void)state;
	assert_int_equal(pipe(p), 0);
	in = fdopen(p[0], "r");
	assert_non_null(in);
	/* Two orders written together: the second is ready once the first
	 * is read (it is in the reader's buffer), then nothing is. */
	put(p[1], HEADER ROW("A-1") ROW("A-2"));
	assert_int_equal(orders_open(&rd, in, ORDERS_AUTO, err, sizeof(err)),
	    0);
	assert_true(orders_ready(&rd));
	next_is("A-1");
	assert_true(orders_ready(&rd));
	next_is("A-2");
	assert_false(orders_ready(&rd));
	/* One more arrives on the pipe. */
	put(p[1], ROW("A-3"));
	assert_true(orders_ready(&rd));
	next_is("A-3");
	assert_false(orders_ready(&rd));
	/* The end of the input is ready too: reading it does not wait. */
	assert_int_equal(close(p[1]), 0);
	assert_true(orders_ready(&rd));
	assert_int_equal(orders_next(&rd, &f, &line, err, sizeof(err)), 0);
	assert_true(orders_ready(&rd));
	fclose(in);
}

/* JSON lines: the first order is read by orders_open and is ready. */
static void
test_json_first(void **state)
{
	char err[512];
	int p[2];
	FILE *in;

	(void)state;
	assert_int_equal(pipe(p), 0);
	in = fdopen(p[0], "r");
	assert_non_null(in);
	put(p[1], "{\"order\":\"J-1\",\"product\":1,\"edition\":1,\"seats\":5,"
	    "\"expires\":\"never\",\"maintenance\":\"never\"}\n");
	assert_int_equal(orders_open(&rd, in, ORDERS_AUTO, err, sizeof(err)),
	    0);
	assert_true(orders_ready(&rd));
	next_is("J-1");
	assert_false(orders_ready(&rd));
	assert_int_equal(close(p[1]), 0);
	fclose(in);
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pipe),
		cmocka_unit_test(test_json_first),
	};

	return cmocka_run_group_tests_name("test_orders_ready", tests, NULL,
	    NULL);
}

/*
 * The conformance test framework. Tests live in tables, one per area
 * (tests/conformance/<area>.c); each is named area.behaviour, says in one line
 * what it confirms and which spec section it checks. A test's checks report
 * expected against seen; skip() leaves with a reason; an exception or the
 * watchdog fails the test and the run goes on.
 */
#ifndef TEST_H
#define TEST_H

#include <stdbool.h>
#include <stdint.h>

struct test {
	const char *name;     /* area.behaviour */
	void (*run)(void);
	const char *confirms; /* one line: the behaviour this test confirms */
	const char *spec;     /* specification and section it checks */
	unsigned timeout_ms;  /* 0: the run's default */
	bool explicit_only;   /* runs only when a tests= pattern selects it */
};

struct test_suite {
	const char *area;
	const struct test *tests;
	unsigned count;
};

#define TEST_SUITE(var, area_name, table)                                                          \
	const struct test_suite var = {area_name, table, sizeof(table) / sizeof((table)[0])}

struct test_options {
	const char *tests;	  /* comma-separated patterns; NULL or "" selects all */
	const char *exclude;	  /* comma-separated patterns */
	const char *resume_after; /* skip every test up to and including this one */
	bool list;		  /* list the selection instead of running it */
	unsigned timeout_ms;	  /* default per-test watchdog */
};

enum test_outcome { TEST_PASS, TEST_FAIL, TEST_SKIP };

struct test_totals {
	unsigned passed, failed, skipped;
};

void test_framework_init(void);
/* Called after every test, however it ended: puts shared hardware back in the
 * state each test may assume, even after a test was cut short. */
void test_set_after_each(void (*fn)(void));
/* Runs the selected tests of every suite, printing TAP; returns the totals. */
struct test_totals test_run(const struct test_suite *const *suites, unsigned nsuites,
			    const struct test_options *o);
/* Whether name is chosen by the comma-separated pattern list (see test.c). */
bool test_pattern_match(const char *patterns, const char *name);

/* --- for use inside tests --- */
void test_check(bool ok, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void test_check_eq(uint64_t seen, uint64_t expected, const char *what, const char *file,
		   int line);
__attribute__((noreturn, format(printf, 1, 2))) void test_skip(const char *fmt, ...);
/* Fails the running test and leaves it: for a precondition the harness itself
 * could not establish (out of memory, a setup command that timed out). */
__attribute__((noreturn, format(printf, 3, 4))) void test_abort(const char *file, int line,
								 const char *fmt, ...);
/* A diagnostic line under the running test (shown with its result). */
void test_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *test_current(void);

#define check(cond, ...) test_check(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define check_eq(seen, expected, what)                                                             \
	test_check_eq((uint64_t)(seen), (uint64_t)(expected), what, __FILE__, __LINE__)
#define skip(...) test_skip(__VA_ARGS__)
#define fail_now(...) test_abort(__FILE__, __LINE__, __VA_ARGS__)

#endif

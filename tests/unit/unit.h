/*
 * A very small host test framework: each test file exports a table of
 * {name, function}; checks record a failure with the expected and seen values
 * and let the test go on. main.c prints the results as TAP version 14.
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/finding.h"

struct unit_test {
	const char *name;
	void (*fn)(void);
};

/* Name of the test running now (for diagnostics and corpus file names). */
extern const char *unit_current;

void unit_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Marks the running test as skipped (TAP "# SKIP reason"); the test should return. */
void unit_skip(const char *reason);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			unit_fail(__FILE__, __LINE__, "CHECK(%s) is false", #cond);                \
	} while (0)

#define CHECK_EQ(expected, seen)                                                                   \
	do {                                                                                       \
		unsigned long long e_ = (unsigned long long)(expected);                            \
		unsigned long long s_ = (unsigned long long)(seen);                                \
		if (e_ != s_)                                                                      \
			unit_fail(__FILE__, __LINE__,                                              \
				  "%s: expected %lld (%#llx), seen %lld (%#llx)", #seen,           \
				  (long long)e_, e_, (long long)s_, s_);                           \
	} while (0)

#define CHECK_STR_EQ(expected, seen) unit_check_str(__FILE__, __LINE__, #seen, expected, seen)
void unit_check_str(const char *file, int line, const char *what, const char *expected,
		    const char *seen);

/* The findings, in order, are exactly the codes listed. */
#define CHECK_FINDINGS(f, ...)                                                                     \
	unit_check_findings(__FILE__, __LINE__, (f), (const enum finding_code[]){ __VA_ARGS__ },   \
			    sizeof((const enum finding_code[]){ __VA_ARGS__ }) /                   \
				    sizeof(enum finding_code))
#define CHECK_NO_FINDINGS(f) unit_check_findings(__FILE__, __LINE__, (f), NULL, 0)
void unit_check_findings(const char *file, int line, const struct findings *f,
			 const enum finding_code *codes, size_t n);

/* The first finding with this code, with these arguments. */
#define CHECK_FINDING_ARGS(f, code, a, b) unit_check_finding_args(__FILE__, __LINE__, f, code, a, b)
void unit_check_finding_args(const char *file, int line, const struct findings *f,
			     enum finding_code code, uint64_t a, uint64_t b);

const char *finding_name(enum finding_code code);

#endif

/* Every conformance suite, in the order they run. */
#ifndef SUITES_H
#define SUITES_H

#include "kernel/test.h"

extern const struct test_suite *const all_suites[];
extern const unsigned all_suites_count;

#endif

#include "kernel/platform.h"
#include "kernel/test.h"

static void dmar_present(void)
{
	check(platform.dmar.present, "DMAR table present");
}

static const struct test dmar_tests[] = {
	{"dmar.present", dmar_present, "the firmware reports a DMAR table", "VT-d 8.1", 0},
};

TEST_SUITE(dmar_suite, "dmar", dmar_tests);

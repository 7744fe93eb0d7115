/* Findings: the table behind the codes and the fixed-size list. */
#include <string.h>

#include "kernel/finding.h"
#include "tests/unit/unit.h"

/* Every code has a message whose conversions all take the uint64_t arguments. */
static void every_code_has_a_usable_format(void)
{
	for (int c = 0; c < FINDING_CODE_COUNT; c++) {
		const char *fmt = finding_format(c);
		int conversions = 0;

		CHECK(fmt != NULL && *fmt);
		for (const char *p = fmt; p && (p = strchr(p, '%')); p++) {
			if (p[1] == '%') {
				p++;
				continue;
			}
			conversions++;
			p += strspn(p + 1, "#0- +");
			if (strncmp(p + 1, "ll", 2) != 0)
				unit_fail(__FILE__, __LINE__, "%s: conversion without ll in \"%s\"",
					  finding_name(c), fmt);
		}
		if (conversions > 2)
			unit_fail(__FILE__, __LINE__, "%s: %d conversions, at most 2 arguments",
				  finding_name(c), conversions);
		CHECK(finding_origin(c) <= ORIGIN_HARNESS);
		CHECK(finding_severity(c) <= SEV_ERROR);
	}
}

/* Origins and severities come from the table. */
static void origin_and_severity_follow_the_table(void)
{
	CHECK_EQ(ORIGIN_FIRMWARE, finding_origin(F_DRHD_OVERLAP));
	CHECK_EQ(SEV_ERROR, finding_severity(F_DRHD_OVERLAP));
	CHECK_EQ(ORIGIN_HARNESS, finding_origin(F_MODEL_FULL));
	CHECK_EQ(SEV_WARN, finding_severity(F_MODEL_FULL));
	CHECK_EQ(SEV_NOTE, finding_severity(F_STRUCT_UNKNOWN));
	CHECK_STR_EQ("firmware", finding_origin_name(ORIGIN_FIRMWARE));
	CHECK_STR_EQ("hardware", finding_origin_name(ORIGIN_HARDWARE));
	CHECK_STR_EQ("harness", finding_origin_name(ORIGIN_HARNESS));
	CHECK_STR_EQ("DRHDs at offsets %#llx and %#llx overlap", finding_format(F_DRHD_OVERLAP));
}

/* Codes outside the table do not index past it. */
static void unknown_code_is_harmless(void)
{
	enum finding_code bad = (enum finding_code)FINDING_CODE_COUNT;

	CHECK(finding_format(bad) != NULL);
	CHECK_EQ(ORIGIN_HARNESS, finding_origin(bad));
}

/* The list keeps the first FINDINGS_MAX and counts the rest. */
static void list_drops_beyond_max(void)
{
	static struct findings f;

	memset(&f, 0, sizeof(f));
	CHECK(!finding_has(&f, F_DMAR_HAW));
	for (int i = 0; i < FINDINGS_MAX + 6; i++)
		finding_add(&f, i < FINDINGS_MAX ? F_STRUCT_LENGTH : F_DMAR_HAW, i, i + 1);
	CHECK_EQ(FINDINGS_MAX, f.count);
	CHECK_EQ(6, f.dropped);
	CHECK(finding_has(&f, F_STRUCT_LENGTH));
	CHECK(!finding_has(&f, F_DMAR_HAW));
	CHECK_EQ(3, f.item[3].arg[0]);
	CHECK_EQ(4, f.item[3].arg[1]);
}

const struct unit_test finding_tests[] = {
	{ "finding_every_code_has_a_usable_format", every_code_has_a_usable_format },
	{ "finding_origin_and_severity_follow_the_table", origin_and_severity_follow_the_table },
	{ "finding_unknown_code_is_harmless", unknown_code_is_harmless },
	{ "finding_list_drops_beyond_max", list_drops_beyond_max },
	{ NULL, NULL },
};

/*
 * ACPI lint: the tables every other check stands on, read from the RSDP down
 * (ACPI 6.5, 5.2 "ACPI System Description Tables").
 */
#include "kernel/platform.h"
#include "kernel/test.h"
#include "tests/conformance/common.h"

static void acpi_rsdp_checksum(void)
{
	const struct findings *f = &platform.acpi.findings;

	check_no_finding(f, F_RSDP_SIGNATURE);
	check_no_finding(f, F_RSDP_CHECKSUM);
	check_no_finding(f, F_RSDP_EXT_CHECKSUM);
}

/* ACPI 2.0+ firmware must provide the XSDT, and OSes must use it over the RSDT. */
static void acpi_root_table(void)
{
	const struct findings *f = &platform.acpi.findings;

	if (platform.acpi.rsdp_revision < 2)
		skip("ACPI 1.0 RSDP (revision %u): there is no XSDT to use",
		     platform.acpi.rsdp_revision);
	check(platform.acpi.xsdt, "expected the XSDT to be used, seen the RSDT fallback");
	check_no_finding(f, F_ROOT_SIGNATURE);
	check_no_finding(f, F_ROOT_LENGTH);
	check_no_finding(f, F_ROOT_CHECKSUM);
	check_no_finding(f, F_ROOT_UNMAPPABLE);
}

static void acpi_table_checksums(void)
{
	const struct acpi_tables *a = &platform.acpi;

	for (unsigned i = 0; i < a->count; i++)
		check(a->table[i].checksum_ok, "%s at %#llx: bytes do not sum to zero",
		      a->table[i].sig, (unsigned long long)a->table[i].phys);
	check_no_finding(&a->findings, F_TABLE_LENGTH);
	check_no_finding(&a->findings, F_TABLE_UNMAPPABLE);
}

static const struct test acpi_tests[] = {
	{"acpi.rsdp_checksum", acpi_rsdp_checksum,
	 "the RSDP has its signature and both checksums right",
	 "ACPI 6.5 5.2.5.3 Root System Description Pointer (RSDP) Structure", 0},
	{"acpi.root_table", acpi_root_table, "an ACPI 2.0+ RSDP leads to a valid XSDT",
	 "ACPI 6.5 5.2.8 Extended System Description Table (XSDT)", 0},
	{"acpi.table_checksums", acpi_table_checksums,
	 "every table the root table lists is readable and sums to zero",
	 "ACPI 6.5 5.2.6 System Description Table Header", 0},
};

TEST_SUITE(acpi_suite, "acpi", acpi_tests);

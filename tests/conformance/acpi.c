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
	{
		.name = "acpi.rsdp_checksum",
		.run = acpi_rsdp_checksum,
		.confirms = "the RSDP has its signature and both checksums right",
		.spec = "ACPI 6.5 5.2.5.3 Root System Description Pointer (RSDP) Structure",
	},
	{
		.name = "acpi.root_table",
		.run = acpi_root_table,
		.confirms = "an ACPI 2.0+ RSDP leads to a valid XSDT",
		.spec = "ACPI 6.5 5.2.8 Extended System Description Table (XSDT)",
	},
	{
		.name = "acpi.table_checksums",
		.run = acpi_table_checksums,
		.confirms = "every table the root table lists is readable and sums to zero",
		.spec = "ACPI 6.5 5.2.6 System Description Table Header",
	},
};

TEST_SUITE(acpi_suite, "acpi", acpi_tests);

/*
 * Platform discovery: the ACPI tables are read once, here, into the models in
 * struct platform; their findings are printed once, here, labelled by origin.
 */
#include "kernel/platform.h"

#include "kernel/console.h"
#include "kernel/memmap.h"
#include "kernel/test.h"
#include "kernel/vm.h"

struct platform platform;

/* Firmware tables normally sit in RAM (ACPI reclaim/NVS), already mapped;
 * some firmware puts them in reserved memory, which is mapped on demand. */
static const void *map_firmware(void *ctx, uint64_t phys, size_t len)
{
	uint64_t bad;
	int type;

	(void)ctx;
	if (!len || phys + len < phys)
		return NULL;
	if (memmap_range_all(phys, phys + len - 1, memmap_is_ram, &bad, &type))
		return phys_to_virt(phys);
	return (const void *)mmio_map(phys, len);
}

/* Prints findings from index first on (earlier ones were printed already). */
static void print_findings(const char *what, const struct findings *f, unsigned first)
{
	for (unsigned i = first; i < f->count; i++) {
		const struct finding *x = &f->item[i];
		printf("# finding [%s] %s: ", finding_origin_name(finding_origin(x->code)), what);
		printf(finding_format(x->code), (unsigned long long)x->arg[0],
		       (unsigned long long)x->arg[1]);
		printf("\n");
	}
	if (f->dropped)
		printf("# finding [harness] %s: %u more findings not kept\n", what, f->dropped);
}

static void report(const struct acpi_table *t, int err, const struct findings *findings)
{
	if (err)
		printf("# warning: %s table at %#llx is unusable\n", t->sig,
		       (unsigned long long)t->phys);
	print_findings(t->sig, findings, 0);
}

static void print_tables(void)
{
	const struct acpi_tables *a = &platform.acpi;

	printf("# ACPI: RSDP rev %u at %#llx, %s, %u tables:", a->rsdp_revision,
	       (unsigned long long)a->rsdp_phys, a->xsdt ? "XSDT" : "RSDT", a->count);
	for (unsigned i = 0; i < a->count; i++)
		printf(" %s%s", a->table[i].sig, a->table[i].checksum_ok ? "" : "(bad checksum)");
	printf("\n");
}

/* IOMMU tables of other vendors, so a machine without VT-d is named for what it has */
static const char *const other_iommu_tables[][2] = {
	{"IVRS", "AMD-Vi (IVRS table)"},
	{"IORT", "an Arm SMMU (IORT table)"},
};

int platform_init(const struct bootinfo *bi)
{
	platform.boot = bi;
	if (!bi->rsdp) {
		printf("# error: the firmware gave no ACPI RSDP\n");
		return -1;
	}
	int err = acpi_tables_parse(&platform.acpi, bi->rsdp, map_firmware, NULL);
	print_findings("ACPI", &platform.acpi.findings, 0);
	if (err) {
		printf("# error: no usable ACPI root table\n");
		return -1;
	}
	print_tables();
	const struct acpi_tables *a = &platform.acpi;
	const struct acpi_table *t;
	if ((t = acpi_find(a, "FACP", 0)))
		report(t, fadt_parse(&platform.fadt, t->data, t->length), &platform.fadt.findings);
	if ((t = acpi_find(a, "HPET", 0)))
		report(t, hpet_parse(&platform.hpet, t->data, t->length), &platform.hpet.findings);
	if ((t = acpi_find(a, "APIC", 0)))
		report(t, madt_parse(&platform.madt, t->data, t->length), &platform.madt.findings);
	if ((t = acpi_find(a, "MCFG", 0)))
		report(t, mcfg_parse(&platform.mcfg, t->data, t->length), &platform.mcfg.findings);
	if ((t = acpi_find(a, "DMAR", 0)))
		report(t, dmar_parse(&platform.dmar, t->data, t->length), &platform.dmar.findings);
	for (unsigned i = 0; i < sizeof(other_iommu_tables) / sizeof(other_iommu_tables[0]); i++)
		if (acpi_find(&platform.acpi, other_iommu_tables[i][0], 0))
			platform.other_iommu = other_iommu_tables[i][1];
	return 0;
}

void platform_resolve_dmar_scopes(dmar_secondary_bus_fn secondary_bus)
{
	unsigned printed = platform.dmar.findings.count;

	dmar_resolve_scopes(&platform.dmar, secondary_bus, NULL);
	print_findings("DMAR", &platform.dmar.findings, printed);
}

/* Hex lines a host script can turn back into the table (tests/unit/fixtures/). */
void platform_dump_tables(const char *sigs)
{
	for (unsigned i = 0; i < platform.acpi.count; i++) {
		const struct acpi_table *t = &platform.acpi.table[i];
		if (!test_pattern_match(sigs, t->sig))
			continue;
		printf("# acpi-dump: %s %u bytes at %#llx\n", t->sig, t->length,
		       (unsigned long long)t->phys);
		for (uint32_t off = 0; off < t->length; off += 32) {
			printf("# acpi-dump: %s %06x", t->sig, off);
			for (uint32_t j = off; j < t->length && j < off + 32; j++)
				printf(" %02x", t->data[j]);
			printf("\n");
		}
	}
}

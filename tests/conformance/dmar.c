/*
 * DMAR table lint: the firmware's description of the remapping hardware
 * (VT-d spec, chapter 8 "BIOS Considerations"), checked against the rules the
 * spec gives and against the machine it describes (memory map, PCI, MADT,
 * the units' own registers).
 */
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/memmap.h"
#include "kernel/pci.h"
#include "kernel/platform.h"
#include "kernel/test.h"
#include "tests/conformance/common.h"
#include "vtd/regs.h"
#include "vtd/unit.h"

#define SPEC_DMAR  "VT-d 8.1 DMA Remapping Reporting Structure"
#define SPEC_DRHD  "VT-d 8.3 DMA Remapping Hardware Unit Definition Structure"
#define SPEC_SCOPE "VT-d 8.3.1 Device Scope Structure"
#define SPEC_RMRR  "VT-d 8.4 Reserved Memory Region Reporting Structure"

#define DMAR_REVISION       1

static void dmar_checksum(void)
{
	const struct acpi_table *t = need_dmar_table();

	check_eq(acpi_checksum(t->data, t->length), 0, "byte sum of the whole DMAR table");
}

static void dmar_revision(void)
{
	const struct acpi_table *t = need_dmar_table();

	check_eq(t->revision, DMAR_REVISION, "DMAR header revision");
}

/* Structural damage: anything the parser had to cut or drop. */
static void dmar_structures_wellformed(void)
{
	static const enum finding_code damage[] = {
		F_TABLE_TRUNCATED, F_TABLE_TOO_SHORT, F_STRUCT_TRUNCATED, F_STRUCT_LENGTH,
		F_SCOPE_LENGTH,    F_SCOPE_TYPE,      F_SCOPE_PATH,
	};
	const struct dmar *d = need_dmar();

	for (unsigned i = 0; i < sizeof(damage) / sizeof(damage[0]); i++)
		check_no_finding(&d->findings, damage[i]);
	if (d->nunknown)
		test_note("%u structures of types this harness does not know were skipped",
			  d->nunknown);
}

static void dmar_host_address_width(void)
{
	const struct dmar *d = need_dmar();
	unsigned cpu_bits = cpuid(0x80000008, 0).eax & 0xff;

	check_no_finding(&d->findings, F_DMAR_HAW);
	test_note("host address width %u bits; the CPU reports %u physical address bits",
		  d->haw, cpu_bits);
}

static void dmar_flags(void)
{
	const struct dmar *d = need_dmar();

	test_note("flags %#x:%s%s%s", d->flags,
		  d->flags & DMAR_FLAG_INTR_REMAP ? " INTR_REMAP" : "",
		  d->flags & DMAR_FLAG_X2APIC_OPT_OUT ? " X2APIC_OPT_OUT" : "",
		  d->flags & DMAR_FLAG_DMA_CTRL_PLATFORM_OPT_IN ? " DMA_CTRL_PLATFORM_OPT_IN" : "");
	check_no_finding(&d->findings, F_DMAR_FLAGS_RESERVED);
}

/* INTR_REMAP set promises interrupt remapping, which every unit must then offer. */
static void dmar_intr_remap_consistent(void)
{
	const struct dmar *d = need_dmar();

	if (!(d->flags & DMAR_FLAG_INTR_REMAP))
		skip("DMAR flag INTR_REMAP is clear: the platform claims no interrupt remapping");
	for (unsigned i = 0; i < vtd_unit_count(); i++) {
		const struct vtd_unit *u = vtd_unit(i);
		if (u->regs)
			check(u->ecap & VTD_ECAP_IR,
			      "DRHD %u at %#llx: INTR_REMAP is set but ECAP.IR is 0", i,
			      (unsigned long long)u->drhd->base);
	}
}

static void dmar_drhd_present(void)
{
	const struct dmar *d = need_dmar();

	check(d->ndrhd >= 1, "expected at least one DRHD structure, seen %u", d->ndrhd);
}

static void dmar_drhd_base_aligned(void)
{
	const struct dmar *d = need_dmar();

	check_no_finding(&d->findings, F_DRHD_BASE_ZERO);
	check_no_finding(&d->findings, F_DRHD_BASE_ALIGN);
}

static void dmar_drhd_no_overlap(void)
{
	check_no_finding(&need_dmar()->findings, F_DRHD_OVERLAP);
}

static void dmar_include_all_last(void)
{
	const struct dmar *d = need_dmar();

	check_no_finding(&d->findings, F_DRHD_INCLUDE_ALL_DUP);
	check_no_finding(&d->findings, F_DRHD_INCLUDE_ALL_ORDER);
}

/* Absent registers read as all ones: a base pointing at nothing shows here. */
/* Skips unless the DMAR table describes at least one remapping unit. */
static void need_units(void)
{
	need_dmar();
	if (!vtd_unit_count())
		skip("no DRHD structure to read");
}

static void dmar_drhd_registers_readable(void)
{
	need_units();
	for (unsigned i = 0; i < vtd_unit_count(); i++) {
		const struct vtd_unit *u = vtd_unit(i);
		check(u->regs, "DRHD %u: registers at %#llx could not be mapped", i,
		      (unsigned long long)u->drhd->base);
		if (!u->regs)
			continue;
		check(u->cap != ~0ull, "DRHD %u at %#llx: CAP reads all ones", i,
		      (unsigned long long)u->drhd->base);
		check(u->ecap != ~0ull, "DRHD %u at %#llx: ECAP reads all ones", i,
		      (unsigned long long)u->drhd->base);
	}
}

static void dmar_unit_version(void)
{
	need_units();
	for (unsigned i = 0; i < vtd_unit_count(); i++) {
		const struct vtd_unit *u = vtd_unit(i);
		if (!u->regs)
			continue;
		test_note("DRHD %u: VER %#x (version %u.%u)", i, u->ver, VTD_VER_MAJOR(u->ver),
			  VTD_VER_MINOR(u->ver));
		check_eq(u->ver & ~0xffu, 0, "VER reserved bits 31:8");
		check(VTD_VER_MAJOR(u->ver) >= 1, "DRHD %u: VER major version 0", i);
	}
}

static bool madt_has_ioapic(uint8_t id)
{
	for (unsigned i = 0; i < platform.madt.nioapics; i++)
		if (platform.madt.ioapic[i].id == id)
			return true;
	return false;
}

static void check_scope(const struct dmar_scope *s, uint16_t segment)
{
	switch (s->type) {
	case SCOPE_PCI_ENDPOINT:
	case SCOPE_PCI_BRIDGE: {
		struct pci_addr a = PCI_ADDR(segment, s->bus, s->dev, s->fn);
		check(s->resolved, "scope at offset %#x: path from bus %#x does not resolve",
		      s->offset, s->start_bus);
		if (s->resolved)
			check(pci_lookup(&a), "scope at offset %#x: no device at " PCI_ADDR_FMT,
			      s->offset, PCI_ADDR_ARGS(&a));
		break;
	}
	case SCOPE_IOAPIC:
		check(madt_has_ioapic(s->enum_id),
		      "scope at offset %#x: I/O APIC id %u is not in the MADT", s->offset,
		      s->enum_id);
		break;
	default: /* HPET and ACPI namespace devices are named, not enumerable here */
		break;
	}
}

static void check_scopes(const struct dmar *d, struct dmar_scopes sc, uint16_t segment)
{
	for (unsigned i = 0; i < sc.count; i++)
		check_scope(&d->scope[sc.first + i], segment);
}

static void dmar_scopes_resolve(void)
{
	const struct dmar *d = need_dmar();

	if (!d->nscopes)
		skip("the DMAR table has no device scopes");
	for (unsigned i = 0; i < d->ndrhd; i++)
		check_scopes(d, d->drhd[i].scopes, d->drhd[i].segment);
	for (unsigned i = 0; i < d->nrmrr; i++)
		check_scopes(d, d->rmrr[i].scopes, d->rmrr[i].segment);
	for (unsigned i = 0; i < d->natsr; i++)
		check_scopes(d, d->atsr[i].scopes, d->atsr[i].segment);
	for (unsigned i = 0; i < d->nsatc; i++)
		check_scopes(d, d->satc[i].scopes, d->satc[i].segment);
}

/* A function outside every unit's scope does DMA that nothing ever translates. */
static void dmar_devices_covered(void)
{
	const struct dmar *d = need_dmar();

	for (unsigned i = 0; i < pci_count(); i++) {
		const struct pci_addr *a = &pci_device(i)->addr;
		bool covered = false;
		for (unsigned u = 0; u < d->ndrhd && !covered; u++)
			covered = vtd_drhd_covers(d, &d->drhd[u], a);
		check(covered, PCI_ADDR_FMT " is under no DRHD: its DMA bypasses VT-d",
		      PCI_ADDR_ARGS(a));
	}
}

static const struct dmar *need_rmrr(void)
{
	const struct dmar *d = need_dmar();

	if (!d->nrmrr)
		skip("the DMAR table has no RMRR structures");
	return d;
}

static void dmar_rmrr_aligned(void)
{
	const struct dmar *d = need_rmrr();

	check_no_finding(&d->findings, F_RMRR_ALIGN);
	check_no_finding(&d->findings, F_RMRR_RANGE);
}

static bool is_reserved(uint32_t type)
{
	return type == EFI_RESERVED;
}

/* The spec requires RMRR regions to be reported as reserved in the system
 * memory map, so no OS ever hands them out as ordinary RAM. */
static void dmar_rmrr_reserved(void)
{
	const struct dmar *d = need_rmrr();

	for (unsigned i = 0; i < d->nrmrr; i++) {
		const struct dmar_rmrr *r = &d->rmrr[i];
		uint64_t bad;
		int type;
		if (r->limit < r->base)
			continue; /* reported by dmar.rmrr_aligned */
		check(memmap_range_all(r->base, r->limit, is_reserved, &bad, &type),
		      "RMRR %#llx-%#llx: address %#llx is %s in the EFI memory map, expected "
		      "reserved",
		      (unsigned long long)r->base, (unsigned long long)r->limit,
		      (unsigned long long)bad, type < 0 ? "not described" : memmap_type_name(type));
	}
}

static const struct test dmar_tests[] = {
	{
		.name = "dmar.checksum",
		.run = dmar_checksum,
		.confirms = "the DMAR table's bytes sum to zero",
		.spec = "ACPI 6.5 5.2.6 System Description Table Header; " SPEC_DMAR,
	},
	{
		.name = "dmar.revision",
		.run = dmar_revision,
		.confirms = "the DMAR table has revision 1",
		.spec = SPEC_DMAR,
	},
	{
		.name = "dmar.structures_wellformed",
		.run = dmar_structures_wellformed,
		.confirms = "every remapping structure and device scope has a valid length within "
			    "the table",
		.spec = "VT-d 8.2 Remapping Structure Types; " SPEC_SCOPE,
	},
	{
		.name = "dmar.host_address_width",
		.run = dmar_host_address_width,
		.confirms = "the host address width is a plausible physical address width",
		.spec = SPEC_DMAR,
	},
	{
		.name = "dmar.flags",
		.run = dmar_flags,
		.confirms = "the DMAR flags use no reserved bits (flags reported)",
		.spec = SPEC_DMAR,
	},
	{
		.name = "dmar.intr_remap_consistent",
		.run = dmar_intr_remap_consistent,
		.confirms = "with INTR_REMAP set, every remapping unit reports interrupt remapping "
			    "(ECAP.IR)",
		.spec = SPEC_DMAR "; VT-d Extended Capability Register",
	},
	{
		.name = "dmar.drhd_present",
		.run = dmar_drhd_present,
		.confirms = "the table describes at least one remapping unit",
		.spec = SPEC_DRHD,
	},
	{
		.name = "dmar.drhd_base_aligned",
		.run = dmar_drhd_base_aligned,
		.confirms = "each DRHD register base is nonzero and 4 KiB aligned",
		.spec = SPEC_DRHD,
	},
	{
		.name = "dmar.drhd_no_overlap",
		.run = dmar_drhd_no_overlap,
		.confirms = "no two DRHD register sets overlap",
		.spec = SPEC_DRHD,
	},
	{
		.name = "dmar.include_all_last",
		.run = dmar_include_all_last,
		.confirms = "at most one INCLUDE_PCI_ALL DRHD per segment, and it is the segment's "
			    "last",
		.spec = SPEC_DRHD,
	},
	{
		.name = "dmar.drhd_registers_readable",
		.run = dmar_drhd_registers_readable,
		.confirms = "each DRHD register base answers (CAP and ECAP do not read all ones)",
		.spec = SPEC_DRHD "; VT-d Capability Register",
	},
	{
		.name = "dmar.unit_version",
		.run = dmar_unit_version,
		.confirms = "each unit's Version Register reads a major version of 1 or more, "
			    "reserved bits 0",
		.spec = "VT-d Version Register",
	},
	{
		.name = "dmar.scopes_resolve",
		.run = dmar_scopes_resolve,
		.confirms =
			"every device scope resolves to a present PCI device or a MADT I/O APIC",
		.spec = SPEC_SCOPE,
	},
	{
		.name = "dmar.devices_covered",
		.run = dmar_devices_covered,
		.confirms = "every PCI function is in the scope of some remapping unit",
		.spec = SPEC_DRHD "; " SPEC_SCOPE,
	},
	{
		.name = "dmar.rmrr_aligned",
		.run = dmar_rmrr_aligned,
		.confirms = "each RMRR range is 4 KiB aligned with limit above base",
		.spec = SPEC_RMRR,
	},
	{
		.name = "dmar.rmrr_reserved",
		.run = dmar_rmrr_reserved,
		.confirms = "each RMRR range lies in reserved memory of the EFI memory map",
		.spec = SPEC_RMRR,
	},
};

TEST_SUITE(dmar_suite, "dmar", dmar_tests);

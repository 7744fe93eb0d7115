/* What the harness knows about the machine, gathered once at boot from the
 * firmware (boot info, ACPI) and read by everything after. */
#ifndef PLATFORM_H
#define PLATFORM_H

#include "boot/bootinfo.h"
#include "kernel/acpi.h"
#include "kernel/dmar.h"

struct platform {
	const struct bootinfo *boot;
	struct acpi_tables acpi;
	struct fadt fadt;
	struct madt madt;
	struct mcfg mcfg;
	struct hpet_info hpet;
	struct dmar dmar;
	const char *other_iommu; /* signature of a non-Intel IOMMU table (IVRS), or NULL */
};

extern struct platform platform;

/* Reads and parses the firmware's ACPI tables; returns 0 or -1 (reported). */
int platform_init(const struct bootinfo *bi);
/* Resolves the DMAR device scopes through PCI once PCI is enumerated. */
void platform_resolve_dmar_scopes(dmar_secondary_bus_fn secondary_bus);
/* Hex-dumps the tables whose signatures the comma-separated list names. */
void platform_dump_tables(const char *sigs);

#endif

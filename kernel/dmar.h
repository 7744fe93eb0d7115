/*
 * DMAR: the ACPI table that describes the platform's VT-d remapping units
 * (VT-d spec, chapter "BIOS Considerations", section "DMA Remapping Reporting
 * Structure" and the remapping structure types that follow it).
 * Parsed once into this model; structures are validated, malformed ones are
 * reported as findings and left out, and nothing is read past the table.
 */
#ifndef DMAR_H
#define DMAR_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "finding.h"

/* DMAR header flags */
#define DMAR_FLAG_INTR_REMAP (1u << 0)
#define DMAR_FLAG_X2APIC_OPT_OUT (1u << 1)
#define DMAR_FLAG_DMA_CTRL_PLATFORM_OPT_IN (1u << 2)

/* Remapping structure types */
enum dmar_struct_type {
	DMAR_TYPE_DRHD = 0,
	DMAR_TYPE_RMRR = 1,
	DMAR_TYPE_ATSR = 2,
	DMAR_TYPE_RHSA = 3,
	DMAR_TYPE_ANDD = 4,
	DMAR_TYPE_SATC = 5,
	DMAR_TYPE_SIDP = 6,
};

/* DRHD flags */
#define DRHD_FLAG_INCLUDE_PCI_ALL (1u << 0)

/* Device scope entry types */
enum dmar_scope_type {
	SCOPE_PCI_ENDPOINT = 1,
	SCOPE_PCI_BRIDGE = 2,
	SCOPE_IOAPIC = 3,
	SCOPE_HPET = 4,
	SCOPE_ACPI_NAMESPACE = 5,
};

#define DMAR_MAX_PATH 8

struct dmar_scope {
	uint8_t type;
	uint8_t enum_id;   /* I/O APIC id, HPET number or ACPI device number */
	uint8_t start_bus;
	uint8_t path_len;  /* number of (device, function) hops */
	struct {
		uint8_t dev, fn;
	} path[DMAR_MAX_PATH];
	uint32_t offset;   /* of the scope entry within the table, for findings */
	uint16_t segment;  /* PCI segment of the structure the scope belongs to */
	/* filled by dmar_resolve_scopes() */
	bool resolved;
	uint8_t bus, dev, fn;
};

struct dmar_scopes {
	unsigned first, count; /* a range of struct dmar.scope[] */
};

struct dmar_drhd {
	uint32_t offset;
	uint8_t flags;
	uint8_t size_field;	/* registers span 2^size_field 4 KiB pages */
	uint16_t segment;
	uint64_t base;
	struct dmar_scopes scopes;
};

struct dmar_rmrr {
	uint32_t offset;
	uint16_t segment;
	uint64_t base, limit; /* limit is the last byte, inclusive */
	struct dmar_scopes scopes;
};

struct dmar_atsr {
	uint32_t offset;
	uint8_t flags; /* bit 0: ALL_PORTS */
	uint16_t segment;
	struct dmar_scopes scopes;
};

struct dmar_rhsa {
	uint32_t offset;
	uint64_t base;
	uint32_t proximity_domain;
};

struct dmar_andd {
	uint32_t offset;
	uint8_t device_number;
	char name[64]; /* NUL-terminated, truncated if longer */
};

struct dmar_satc {
	uint32_t offset;
	uint8_t flags; /* bit 0: ATC_REQUIRED */
	uint16_t segment;
	struct dmar_scopes scopes;
};

#define DMAR_MAX_DRHD 64
#define DMAR_MAX_RMRR 32
#define DMAR_MAX_ATSR 16
#define DMAR_MAX_RHSA 16
#define DMAR_MAX_ANDD 16
#define DMAR_MAX_SATC 16
#define DMAR_MAX_SCOPES 512

struct dmar {
	bool present;
	uint32_t length;
	uint8_t revision;
	bool checksum_ok;
	uint8_t haw; /* host address width in bits: the table's field plus 1 */
	uint8_t flags;
	unsigned ndrhd, nrmrr, natsr, nrhsa, nandd, nsatc, nunknown, nscopes;
	struct dmar_drhd drhd[DMAR_MAX_DRHD];
	struct dmar_rmrr rmrr[DMAR_MAX_RMRR];
	struct dmar_atsr atsr[DMAR_MAX_ATSR];
	struct dmar_rhsa rhsa[DMAR_MAX_RHSA];
	struct dmar_andd andd[DMAR_MAX_ANDD];
	struct dmar_satc satc[DMAR_MAX_SATC];
	struct dmar_scope scope[DMAR_MAX_SCOPES];
	struct findings findings;
};

/*
 * Parses a DMAR table of len readable bytes. Returns 0 when the header is
 * usable (structures may still have been dropped, see findings), -1 when not.
 */
int dmar_parse(struct dmar *d, const uint8_t *table, size_t len);

/*
 * Returns the secondary bus number of the PCI-to-PCI bridge at seg:bus:dev.fn,
 * or -1 when there is no bridge there.
 */
typedef int (*dmar_secondary_bus_fn)(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn);

/*
 * Follows each PCI scope's path through the bridges (VT-d spec "Device Scope
 * Structure") to the bus/device/function it names. Unresolvable paths are
 * reported as findings and left with resolved = false.
 */
void dmar_resolve_scopes(struct dmar *d, dmar_secondary_bus_fn secondary_bus, void *ctx);

#endif

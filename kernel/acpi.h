/*
 * ACPI: the firmware's tables, found once from the RSDP and parsed into small
 * validated models that the rest of the harness reads. Nothing outside the
 * parsers touches raw table bytes. The parsers are pure (no I/O, no printing)
 * and are also built for the host, where they are unit-tested and fuzzed.
 */
#ifndef ACPI_H
#define ACPI_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "finding.h"

#define ACPI_HEADER_LEN 36

/* Reads firmware memory: returns a pointer to len readable bytes at phys, or NULL. */
typedef const void *(*acpi_map_fn)(void *ctx, uint64_t phys, size_t len);

struct acpi_table {
	char sig[5];	  /* NUL-terminated signature */
	uint64_t phys;
	uint32_t length;  /* header length field, validated to be readable */
	uint8_t revision;
	bool checksum_ok;
	const uint8_t *data; /* length bytes, header included */
};

#define ACPI_MAX_TABLES 64

struct acpi_tables {
	uint64_t rsdp_phys;
	uint8_t rsdp_revision;
	bool xsdt;	     /* entries came from the XSDT (false: RSDT fallback) */
	unsigned count;
	struct acpi_table table[ACPI_MAX_TABLES];
	struct findings findings;
};

/* Walks RSDP -> XSDT (RSDT fallback); returns 0 or -1 when no root table is usable. */
int acpi_tables_parse(struct acpi_tables *t, uint64_t rsdp_phys, acpi_map_fn map, void *ctx);
/* The n-th table (0-based) with signature sig, or NULL. */
const struct acpi_table *acpi_find(const struct acpi_tables *t, const char *sig, unsigned n);
/* Byte sum of len bytes; an ACPI checksum is right when this is 0. */
uint8_t acpi_checksum(const void *p, size_t len);

/* ACPI Generic Address Structure */
struct acpi_gas {
	uint8_t space; /* ACPI_SPACE_* */
	uint8_t bit_width, bit_offset, access_size;
	uint64_t address;
};
#define ACPI_SPACE_MEMORY 0
#define ACPI_SPACE_IO 1
#define ACPI_SPACE_PCI 2
#define ACPI_GAS_LEN 12

/* Helpers shared by the table parsers below (fadt.c, hpet.c, madt.c, mcfg.c, dmar.c). */

/* Decodes the 12-byte Generic Address Structure at p. */
struct acpi_gas acpi_gas_read(const uint8_t *p);
/*
 * Checks the header of a table handed to a parser: len readable bytes, of which
 * the parser needs min_len (>= ACPI_HEADER_LEN) and signature sig. Returns how
 * many bytes the parser may use: the header's length field, cut down to len
 * (F_TABLE_TRUNCATED) when it claims more; 0 when the signature is wrong or
 * fewer than min_len bytes remain (F_TABLE_TOO_SHORT).
 */
size_t acpi_table_span(const uint8_t *table, size_t len, const char *sig, size_t min_len,
		       struct findings *f);

/* FADT: what the harness needs from it (ACPI 6.x "Fixed ACPI Description Table") */
struct fadt {
	bool present;
	struct acpi_gas pm_timer; /* address 0 when there is none */
	bool pm_timer_32bit;	  /* flags.TMR_VAL_EXT */
	bool reset_supported;	  /* flags.RESET_REG_SUP */
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	struct findings findings;
};
int fadt_parse(struct fadt *f, const uint8_t *table, size_t len);

/* HPET description table */
struct hpet_info {
	bool present;
	uint64_t base; /* memory-space base of the HPET block */
	struct findings findings;
};
int hpet_parse(struct hpet_info *h, const uint8_t *table, size_t len);

/* MADT ("Multiple APIC Description Table") */
#define MADT_MAX_CPUS 256
#define MADT_MAX_IOAPICS 16
#define MADT_MAX_OVERRIDES 16

struct madt_cpu {
	uint32_t apic_id; /* x2APIC ids do not fit 8 bits */
	uint32_t uid;
	bool enabled;
};

struct madt_ioapic {
	uint8_t id;
	uint32_t address;
	uint32_t gsi_base;
};

struct madt_override {
	uint8_t source_irq;
	uint32_t gsi;
	uint16_t flags;
};

struct madt {
	bool present;
	uint32_t lapic_address; /* may be replaced by the 64-bit override structure */
	uint64_t lapic_address64;
	bool pcat_compat;	/* flags.PCAT_COMPAT: legacy 8259s present */
	unsigned ncpus, nioapics, noverrides;
	struct madt_cpu cpu[MADT_MAX_CPUS];
	struct madt_ioapic ioapic[MADT_MAX_IOAPICS];
	struct madt_override override[MADT_MAX_OVERRIDES];
	struct findings findings;
};
int madt_parse(struct madt *m, const uint8_t *table, size_t len);

/* MCFG: PCI Express enhanced configuration (ECAM) windows */
#define MCFG_MAX 16

struct mcfg_window {
	uint64_t base; /* ECAM address of bus 0 of the segment, even if bus_start > 0 */
	uint16_t segment;
	uint8_t bus_start, bus_end;
};

struct mcfg {
	bool present;
	unsigned count;
	struct mcfg_window window[MCFG_MAX];
	struct findings findings;
};
int mcfg_parse(struct mcfg *m, const uint8_t *table, size_t len);

#endif

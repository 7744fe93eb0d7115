/*
 * Interrupt remapping on a unit (VT-d spec "Interrupt Remapping" chapter,
 * "Interrupt Remapping Table Address Register", "Global Command Register"):
 * a table of 2^(S+1) IRTEs, pointed at with IRTA + GCMD.SIRTP, its entries
 * cached in the interrupt entry cache (IEC), which only queued invalidation
 * can invalidate. The table belongs to its caller, who frees it after
 * interrupt remapping is off (vtd_unit_quiesce turns IRE and CFI off).
 */
#ifndef VTD_INTREMAP_H
#define VTD_INTREMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "vtd/irte.h"

struct vtd_unit;

#define VTD_IRTA_S_MAX 15 /* S is 4 bits: at most 2^16 entries */

struct vtd_irt {
	struct vtd_unit *u;
	struct vtd_irte *table;
	uint64_t phys;
	unsigned s;	  /* IRTA.S: the table has 2^(S+1) entries */
	uint32_t entries; /* 2^(S+1) */
	uint32_t capacity; /* entries the allocated pages hold (>= entries) */
	bool x2apic;	  /* IRTA.EIME: 32-bit destinations */
};

/*
 * Allocates a zeroed (all not-present) table of 2^(s+1) entries, whole pages,
 * for unit u, in x2APIC mode (needs ECAP.EIM) or xAPIC mode. Returns 0,
 * -VTD_ENOTSUP (no ECAP.IR, or x2APIC mode without ECAP.EIM), -VTD_EINVAL
 * (s > 15) or -VTD_ENOMEM.
 */
int vtd_irt_alloc(struct vtd_irt *t, struct vtd_unit *u, unsigned s, bool x2apic);
void vtd_irt_free(struct vtd_irt *t);

/*
 * Writes entry index (< entries) from its fields and makes it visible to the
 * unit. A new entry is written upper half first and the half with P last; a
 * present entry is replaced in one 128-bit store, so the unit never reads a
 * mix. The IEC may still hold the old entry: invalidate it. Returns 0 or
 * -VTD_EINVAL (index out of the table, or fields that do not encode).
 */
int vtd_irt_set(struct vtd_irt *t, uint32_t index, const struct vtd_irte_fields *f);
/* Writes a raw entry anywhere in the allocation (index < capacity), beyond the
 * table too, for tests that check what the unit must not read. */
int vtd_irt_write_raw(struct vtd_irt *t, uint32_t index, struct vtd_irte e);
/* Clears P first, then the rest. */
void vtd_irt_clear(struct vtd_irt *t, uint32_t index);
struct vtd_irte vtd_irt_get(const struct vtd_irt *t, uint32_t index);

/*
 * Points the unit at the table: queued invalidation on (vtd_qi_enable), IRTA
 * (base, EIME, S), GCMD.SIRTP, then a global IEC invalidation, which the spec
 * requires after SIRTP. Interrupt remapping itself stays as it was. Returns 0
 * or a negated vtd_error.
 */
int vtd_irt_install(struct vtd_irt *t);

/* GCMD.IRE: interrupt remapping on or off, awaited in GSTS.IRES. */
int vtd_ir_enable(struct vtd_unit *u, bool on);
/* GCMD.CFI: compatibility-format interrupts passed through (allow) or blocked,
 * awaited in GSTS.CFIS. */
int vtd_ir_compat(struct vtd_unit *u, bool allow);

/* Interrupt entry cache invalidation through the queue (queued invalidation
 * must be on): everything, or the 2^im entries from index (index aligned to
 * 2^im; im <= ECAP.MHMV). Return 0 or a negated vtd_error. */
int vtd_iec_invalidate_global(struct vtd_unit *u);
int vtd_iec_invalidate_index(struct vtd_unit *u, uint16_t index, unsigned im);

#endif

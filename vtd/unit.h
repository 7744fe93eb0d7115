/* A VT-d remapping unit: one per DRHD structure of the DMAR table. */
#ifndef VTD_UNIT_H
#define VTD_UNIT_H

#include <stdint.h>

#include "kernel/dmar.h"

#define VTD_MAX_UNITS DMAR_MAX_DRHD

struct vtd_unit {
	unsigned index;
	const struct dmar_drhd *drhd;
	volatile uint8_t *regs; /* NULL when the register base is unusable */
	uint32_t ver;
	uint64_t cap, ecap;
};

/* Maps every DRHD's registers and reads its identification; returns the count. */
unsigned vtd_units_init(const struct dmar *d);
unsigned vtd_unit_count(void);
struct vtd_unit *vtd_unit(unsigned i);

#endif

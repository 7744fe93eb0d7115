/*
 * Remapping unit discovery: map each DRHD's register set (2^size 4 KiB pages,
 * VT-d spec 8.3 "DMA Remapping Hardware Unit Definition Structure") and read
 * VER/CAP/ECAP. Units whose base the DMAR model flagged are left unmapped.
 */
#include "vtd/unit.h"

#include "kernel/console.h"
#include "kernel/io.h"
#include "kernel/vm.h"
#include "vtd/regs.h"

#define PAGE 4096ull
#define MAX_SIZE_FIELD 8 /* 1 MiB of registers is far beyond any real unit */

static struct vtd_unit units[VTD_MAX_UNITS];
static unsigned nunits;

static uint64_t register_span(const struct dmar_drhd *drhd)
{
	unsigned size = drhd->size_field > MAX_SIZE_FIELD ? MAX_SIZE_FIELD : drhd->size_field;

	return PAGE << size;
}

static void probe(struct vtd_unit *u)
{
	const struct dmar_drhd *drhd = u->drhd;

	if (!drhd->base || drhd->base & (PAGE - 1))
		return;
	u->regs = (volatile uint8_t *)mmio_map(drhd->base, register_span(drhd));
	if (!u->regs) {
		printf("# warning: cannot map DRHD %u registers at %#llx\n", u->index,
		       (unsigned long long)drhd->base);
		return;
	}
	u->ver = mmio_read32(u->regs + VTD_VER);
	u->cap = mmio_read64(u->regs + VTD_CAP);
	u->ecap = mmio_read64(u->regs + VTD_ECAP);
	printf("# DRHD %u: segment %u base %#llx%s VER %u.%u CAP %#018llx ECAP %#018llx\n",
	       u->index, drhd->segment, (unsigned long long)drhd->base,
	       drhd->flags & DRHD_FLAG_INCLUDE_PCI_ALL ? " (INCLUDE_PCI_ALL)" : "",
	       VTD_VER_MAJOR(u->ver), VTD_VER_MINOR(u->ver), (unsigned long long)u->cap,
	       (unsigned long long)u->ecap);
}

unsigned vtd_units_init(const struct dmar *d)
{
	nunits = 0;
	for (unsigned i = 0; i < d->ndrhd && i < VTD_MAX_UNITS; i++) {
		units[nunits] = (struct vtd_unit){.index = i, .drhd = &d->drhd[i]};
		probe(&units[nunits++]);
	}
	return nunits;
}

unsigned vtd_unit_count(void)
{
	return nunits;
}

struct vtd_unit *vtd_unit(unsigned i)
{
	return i < nunits ? &units[i] : NULL;
}

/* A VT-d remapping unit: one per DRHD structure of the DMAR table. */
#ifndef VTD_UNIT_H
#define VTD_UNIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/dmar.h"
#include "kernel/io.h"
#include "kernel/pci.h"

#define VTD_MAX_UNITS DMAR_MAX_DRHD

/* Errors, returned negated; vtd_strerror() names them. */
enum vtd_error {
	VTD_ETIMEDOUT = 1, /* a command's completion never showed */
	VTD_ENOMEM,	   /* no memory for a table */
	VTD_ENOTSUP,	   /* the unit does not advertise what was asked */
	VTD_EINVAL,	   /* argument outside what the unit or the format allows */
	VTD_EQUEUE,	   /* the invalidation queue reported an error (FSTS.IQE/ICE/ITE) */
	VTD_EREFUSED,	   /* an invalidation the unit did not perform (granularity 0) */
};
const char *vtd_strerror(int err);

struct vtd_qi {
	uint64_t *queue; /* 256 descriptors of 128 bits, one page */
	uint64_t phys;
	unsigned tail;	 /* next free descriptor */
	volatile uint32_t *status; /* dword the wait descriptors write */
	uint32_t seq;
	bool enabled;
	uint64_t last_error_head; /* IQH at the last queue error */
};

struct vtd_unit {
	unsigned index;
	const struct dmar_drhd *drhd;
	volatile uint8_t *regs; /* NULL when the register base is unusable */
	uint32_t ver;
	uint64_t cap, ecap;
	unsigned haw;		/* host address width from the DMAR table */
	uint64_t root_phys;	/* root table (0 until vtd_context_init) */
	uint64_t *root;
	struct vtd_qi qi;
};

/* Maps every DRHD's registers, reads its identification, prints a summary and
 * takes the unit over from firmware; returns the count. */
unsigned vtd_units_init(const struct dmar *d);
unsigned vtd_unit_count(void);
struct vtd_unit *vtd_unit(unsigned i);
/* The usable unit whose scope covers the PCI function, or NULL. */
struct vtd_unit *vtd_unit_for(const struct pci_addr *a);
/* Whether the DRHD's device scope names the function or a bridge above it. */
bool vtd_drhd_covers(const struct dmar *d, const struct dmar_drhd *drhd,
		     const struct pci_addr *a);

static inline uint32_t vtd_read32(const struct vtd_unit *u, unsigned off)
{
	return mmio_read32(u->regs + off);
}
static inline uint64_t vtd_read64(const struct vtd_unit *u, unsigned off)
{
	return mmio_read64(u->regs + off);
}
static inline void vtd_write32(const struct vtd_unit *u, unsigned off, uint32_t v)
{
	mmio_write32(u->regs + off, v);
}
static inline void vtd_write64(const struct vtd_unit *u, unsigned off, uint64_t v)
{
	mmio_write64(u->regs + off, v);
}

/*
 * Sets (on) or clears one GCMD bit the way the spec asks: the command is the
 * current GSTS with the one-shot status bits masked, so the other enables stay
 * as they are, and the matching GSTS bit is awaited (set, for a one-shot
 * command). Returns 0 or -VTD_ETIMEDOUT.
 */
int vtd_gcmd(struct vtd_unit *u, uint32_t bit, bool on);
/* Polls a register (64-bit when wide) until (value & mask) == want, bounded;
 * returns 0 or -VTD_ETIMEDOUT. */
int vtd_wait_reg(struct vtd_unit *u, unsigned reg, bool wide, uint64_t mask, uint64_t want);
/* Programs an event message (ctl: VTD_FECTL or VTD_IECTL) to the vector on
 * apic_id and leaves it masked. */
void vtd_event_setup(struct vtd_unit *u, unsigned ctl, uint8_t vector, uint32_t apic_id);
/* Makes table writes visible to the unit's page walks: clflush when ECAP.C is 0,
 * and a write-buffer flush when CAP.RWBF. Call after every table change. */
void vtd_flush(struct vtd_unit *u, const void *p, size_t len);
/*
 * Returns the unit to the state every test starts from: translation,
 * interrupt remapping and queued invalidation off (in that order), fault
 * records and status cleared, fault event interrupt masked. Returns 0 or the
 * first error.
 */
int vtd_unit_quiesce(struct vtd_unit *u);

/* vtd_unit_quiesce() for every usable unit; failures are printed. */
void vtd_units_quiesce(void);

/* Domain ids the unit supports: 2^(4 + 2*CAP.ND). */
static inline uint32_t vtd_domain_count(const struct vtd_unit *u)
{
	return 1u << (4 + 2 * (u->cap & 7));
}

#endif

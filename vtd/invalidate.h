/*
 * Cache invalidation (VT-d spec "Invalidation of Translation Caches"): the
 * context cache and the IOTLB, through the registers ("Register-based
 * Invalidation Interface") or the queue (qi.h) when it is enabled.
 */
#ifndef VTD_INVALIDATE_H
#define VTD_INVALIDATE_H

#include <stdbool.h>
#include <stdint.h>

#include "vtd/regs.h"

struct vtd_unit;

/*
 * Register-based: each returns the granularity the unit reports it actually
 * performed (CAIG / IAIG, enum vtd_gran), -VTD_EREFUSED when it reports 0,
 * or another negated vtd_error. fm is the source-id function mask (0-3);
 * am the address mask: 2^am pages from addr, which must be aligned to it.
 */
int vtd_inval_context_reg(struct vtd_unit *u, enum vtd_gran g, uint16_t did, uint16_t sid,
			  unsigned fm);
int vtd_inval_iotlb_reg(struct vtd_unit *u, enum vtd_gran g, uint16_t did, uint64_t addr,
			unsigned am, bool ih);

/* The same through whichever interface is in force: the queue once QIE is on
 * (registers must not be used then), else the registers. The queue reports no
 * granularity, so g itself is returned on success. */
int vtd_inval_context(struct vtd_unit *u, enum vtd_gran g, uint16_t did, uint16_t sid,
		      unsigned fm);
int vtd_inval_iotlb(struct vtd_unit *u, enum vtd_gran g, uint16_t did, uint64_t addr,
		    unsigned am, bool ih);

#endif

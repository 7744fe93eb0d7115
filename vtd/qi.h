/*
 * Queued invalidation (VT-d spec "Queued Invalidation Interface" and
 * "Invalidation Descriptors"): a ring of 128-bit descriptors in memory, the
 * unit fetching from IQH up to the IQT software writes.
 */
#ifndef VTD_QI_H
#define VTD_QI_H

#include <stdbool.h>
#include <stdint.h>

#include "vtd/regs.h"

struct vtd_unit;

struct vtd_desc {
	uint64_t lo, hi;
};

enum vtd_desc_type {
	VTD_DESC_CONTEXT = 1, /* "Context-cache Invalidate Descriptor" */
	VTD_DESC_IOTLB = 2,   /* "IOTLB Invalidate Descriptor" */
	VTD_DESC_IEC = 4,     /* "Interrupt Entry Cache Invalidate Descriptor" */
	VTD_DESC_WAIT = 5,    /* "Invalidation Wait Descriptor" */
};

/* Context-cache: G 5:4, DID 31:16, SID 47:32, FM 49:48 */
static inline struct vtd_desc vtd_desc_context(enum vtd_gran g, uint16_t did, uint16_t sid,
					       unsigned fm)
{
	return (struct vtd_desc){
		VTD_DESC_CONTEXT | (uint64_t)g << 4 | (uint64_t)did << 16 | (uint64_t)sid << 32 |
			(uint64_t)(fm & 3) << 48,
		0};
}

/* IOTLB: G 5:4, DW 6, DR 7, DID 31:16; address 63:12, IH 6, AM 5:0 */
#define VTD_DESC_IOTLB_DW (1ull << 6)
#define VTD_DESC_IOTLB_DR (1ull << 7)
static inline struct vtd_desc vtd_desc_iotlb(enum vtd_gran g, uint16_t did, uint64_t addr,
					     unsigned am, bool ih, uint64_t drain)
{
	return (struct vtd_desc){
		VTD_DESC_IOTLB | (uint64_t)g << 4 | drain | (uint64_t)did << 16,
		g == VTD_GRAN_PAGE ? (addr & ~0xfffull) | (ih ? 1ull << 6 : 0) | (am & 0x3f) : 0};
}

/* Interrupt entry cache: G 4 (0 global, 1 index-selective), IM 31:27, IIDX 47:32 */
static inline struct vtd_desc vtd_desc_iec_global(void)
{
	return (struct vtd_desc){VTD_DESC_IEC, 0};
}
static inline struct vtd_desc vtd_desc_iec_index(uint16_t index, unsigned im)
{
	return (struct vtd_desc){
		VTD_DESC_IEC | 1ull << 4 | (uint64_t)(im & 0x1f) << 27 | (uint64_t)index << 32, 0};
}

/* Invalidation wait: IF 4, SW 5, FN 6, status data 63:32; status address 63:2 */
#define VTD_DESC_WAIT_IF (1ull << 4)
#define VTD_DESC_WAIT_SW (1ull << 5)
#define VTD_DESC_WAIT_FN (1ull << 6)
static inline struct vtd_desc vtd_desc_wait(uint64_t flags, uint32_t data, uint64_t status_addr)
{
	return (struct vtd_desc){VTD_DESC_WAIT | flags | (uint64_t)data << 32,
				 flags & VTD_DESC_WAIT_SW ? status_addr & ~3ull : 0};
}

#define VTD_QI_ENTRIES 256 /* one 4 KiB page: IQA.QS = 0 */

/* Allocates the queue (once per unit) and enables queued invalidation:
 * IQT = 0, IQA, then GCMD.QIE. Returns 0 or a negated vtd_error. */
int vtd_qi_enable(struct vtd_unit *u);
/* Waits for the queue to drain and turns QIE off (no-op when off). */
int vtd_qi_disable(struct vtd_unit *u);
/* Appends descriptors and moves IQT past them, without waiting. */
void vtd_qi_post(struct vtd_unit *u, const struct vtd_desc *d, unsigned n);
/* Overwrites the descriptor at a queue index (flushed): how software replaces
 * the one a queue error stopped at. IQT is left alone. */
void vtd_qi_replace(struct vtd_unit *u, unsigned index, struct vtd_desc d);
/*
 * Appends descriptors and an invalidation wait descriptor with a status write,
 * then waits for the status. On a queue error (FSTS.IQE) the offending
 * descriptor, which IQH points at, is replaced by a harmless wait, IQE is
 * cleared so the unit goes on, and -VTD_EQUEUE is returned; the head index seen
 * is kept in u->qi.last_error_head.
 */
int vtd_qi_submit(struct vtd_unit *u, const struct vtd_desc *d, unsigned n);

#endif

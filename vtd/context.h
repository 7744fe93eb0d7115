/*
 * Legacy-mode root and context tables (VT-d spec "Root Entry", "Context
 * Entry"; RTADDR.TTM = 00): the root table has one entry per bus pointing at
 * a context table, which has one entry per device/function.
 */
#ifndef VTD_CONTEXT_H
#define VTD_CONTEXT_H

#include <stdbool.h>
#include <stdint.h>

struct vtd_unit;

struct vtd_entry128 {
	uint64_t lo, hi;
};

#define VTD_ROOT_P (1ull << 0)

#define VTD_CTX_P (1ull << 0)
#define VTD_CTX_FPD (1ull << 1) /* fault processing disable */
#define VTD_CTX_TT_SHIFT 2
#define VTD_CTX_DID_SHIFT 8 /* in the upper qword: DID is bits 87:72 */

/* Translation types ("Context Entry", TT field) */
enum vtd_tt {
	VTD_TT_UNTRANSLATED = 0, /* untranslated requests through the second-level tables */
	VTD_TT_PASSTHROUGH = 2,	 /* untranslated requests pass through (ECAP.PT) */
};

static inline struct vtd_entry128 vtd_root_entry(uint64_t context_table)
{
	return (struct vtd_entry128){context_table | VTD_ROOT_P, 0};
}

/* A present context entry; slptptr is ignored for pass-through. */
static inline struct vtd_entry128 vtd_context_entry(uint64_t slptptr, enum vtd_tt tt,
						    unsigned aw, uint16_t did)
{
	return (struct vtd_entry128){slptptr | (uint64_t)tt << VTD_CTX_TT_SHIFT | VTD_CTX_P,
				     (aw & 7) | (uint64_t)did << VTD_CTX_DID_SHIFT};
}

static inline uint16_t vtd_context_did(struct vtd_entry128 e)
{
	return (uint16_t)(e.hi >> VTD_CTX_DID_SHIFT);
}

/* Allocates the unit's root table (once) and clears every root and context entry. */
int vtd_root_init(struct vtd_unit *u);
/*
 * Points the unit at its root table (RTADDR, GCMD.SRTP) and invalidates the
 * context cache and IOTLB globally, as the spec requires after SRTP.
 */
int vtd_root_install(struct vtd_unit *u);
/* Clears one bus's root entry (the context table is kept for later). */
void vtd_root_clear(struct vtd_unit *u, uint8_t bus);

/* Writes the context entry for sid, creating its bus's context table; the
 * present bit is written last. Returns 0 or -VTD_ENOMEM. */
int vtd_context_set(struct vtd_unit *u, uint16_t sid, struct vtd_entry128 e);
/* Reads it back (zero when its bus has no table). */
struct vtd_entry128 vtd_context_get(struct vtd_unit *u, uint16_t sid);
void vtd_context_clear(struct vtd_unit *u, uint16_t sid);

/* Translation enable (GCMD.TE) on or off. */
int vtd_translation(struct vtd_unit *u, bool on);

#endif

/*
 * Primary fault logging (VT-d spec "Primary Fault Logging", "Fault Recording
 * Registers [n]", "Fault Status Register", "Fault Event Control Register"):
 * decode and clear the fault records, and the fault event interrupt.
 */
#ifndef VTD_FAULT_H
#define VTD_FAULT_H

#include <stdbool.h>
#include <stdint.h>

struct vtd_unit;

/* Fault reasons ("Non-Recoverable Fault Reason Encodings", legacy mode) */
enum vtd_fault_reason {
	VTD_FR_ROOT_NOT_PRESENT = 0x01,
	VTD_FR_CONTEXT_NOT_PRESENT = 0x02,
	VTD_FR_CONTEXT_INVALID = 0x03,
	VTD_FR_ADDRESS_BEYOND_AW = 0x04,
	VTD_FR_WRITE = 0x05, /* write to a page without W */
	VTD_FR_READ = 0x06,  /* read from a page without R */
	VTD_FR_PAGING_ENTRY_ACCESS = 0x07,
	VTD_FR_ROOT_RESERVED = 0x0a,
	VTD_FR_CONTEXT_RESERVED = 0x0b,
	VTD_FR_PAGING_RESERVED = 0x0c,
	/* interrupt remapping */
	VTD_FR_IR_REQUEST_RESERVED = 0x20,
	VTD_FR_IR_INDEX_BEYOND = 0x21,
	VTD_FR_IR_NOT_PRESENT = 0x22,
	VTD_FR_IR_TABLE_ACCESS = 0x23,
	VTD_FR_IR_IRTE_RESERVED = 0x24,
	VTD_FR_IR_COMPAT_BLOCKED = 0x25,
	VTD_FR_IR_SID_CHECK = 0x26,
};

/* One decoded fault recording register */
struct vtd_fault {
	unsigned index;	   /* which FRCD it came from */
	uint8_t reason;	   /* FR */
	uint16_t sid;	   /* source-id: bus 15:8, device 7:3, function 2:0 */
	uint64_t addr;	   /* FI: page address of a DMA fault */
	uint16_t intr_index; /* FI 63:48 of an interrupt-remapping fault */
	bool read;	   /* T: 1 read (or AtomicOp), 0 write; DMA faults only */
	uint8_t at;	   /* address type */
	bool pasid_present;
	uint32_t pasid;
};

#define VTD_FRCD_F (1ull << 63) /* in the upper qword: fault recorded, RW1C */

static inline bool vtd_fault_is_ir(uint8_t reason)
{
	return reason >= 0x20 && reason <= 0x2f;
}

/* FRCD layout: lower qword FI 63:12; upper qword SID 15:0, PP 31, FR 39:32,
 * PV 59:40, AT 61:60, T 62, F 63. */
static inline struct vtd_fault vtd_fault_decode(unsigned index, uint64_t lo, uint64_t hi)
{
	struct vtd_fault f = {
		.index = index,
		.reason = (uint8_t)(hi >> 32),
		.sid = (uint16_t)hi,
		.read = (hi >> 62) & 1,
		.at = (hi >> 60) & 3,
		.pasid_present = (hi >> 31) & 1,
		.pasid = (hi >> 40) & 0xfffff,
	};

	if (vtd_fault_is_ir(f.reason))
		f.intr_index = (uint16_t)(lo >> 48);
	else
		f.addr = lo & ~0xfffull;
	return f;
}

static inline uint16_t vtd_sid_bdf(uint8_t bus, uint8_t dev, uint8_t fn)
{
	return (uint16_t)(bus << 8 | (dev & 0x1f) << 3 | (fn & 7));
}

/* The raw halves of fault recording register i (lower: FI; upper: the rest). */
uint64_t vtd_frcd_lo(struct vtd_unit *u, unsigned i);
uint64_t vtd_frcd_hi(struct vtd_unit *u, unsigned i);

/*
 * Reads every recorded fault, from FSTS.FRI on round the NFR records, into
 * out[] (at most max) and clears each record (RW1C on F) as it goes; returns
 * how many were recorded. FSTS.PFO is left for the caller to read.
 */
unsigned vtd_faults_collect(struct vtd_unit *u, struct vtd_fault *out, unsigned max);
/* Clears every fault record and the W1C bits of FSTS. */
void vtd_faults_clear(struct vtd_unit *u);
/* Programs the fault event message (compatibility format, fixed, to apic_id) and
 * leaves it masked; the unit's fault events are never remapped. */
void vtd_fault_event_setup(struct vtd_unit *u, uint8_t vector, uint32_t apic_id);
void vtd_fault_event_mask(struct vtd_unit *u, bool masked);
/* The fault event control register, for its IM and IP bits */
uint32_t vtd_fault_event_control(struct vtd_unit *u);

#endif

/*
 * Interrupt remapping formats, pure (no MMIO; also built on the host):
 *
 * - the Interrupt Remapping Table Entry for remapped interrupts (VT-d spec
 *   "Interrupt Remapping Table Entry (IRTE) for Remapped Interrupts"), 128 bits;
 * - the MSI address/data a device sends: "Interrupt Requests in Remappable
 *   Format" (a handle into the table) and "Interrupt Requests in Compatibility
 *   Format" (an ordinary xAPIC message).
 *
 * Encoders take a struct of fields and refuse values a field cannot hold;
 * decoders give the fields back and say which reserved bits are set.
 */
#ifndef VTD_IRTE_H
#define VTD_IRTE_H

#include <stdbool.h>
#include <stdint.h>

#include "vtd/regs.h"

/* IRTE, lower qword */
#define VTD_IRTE_P BIT(0)    /* present */
#define VTD_IRTE_FPD BIT(1)  /* fault processing disable */
#define VTD_IRTE_DM BIT(2)   /* destination mode: 1 logical */
#define VTD_IRTE_RH BIT(3)   /* redirection hint */
#define VTD_IRTE_TM BIT(4)   /* trigger mode: 1 level */
#define VTD_IRTE_DLM_SHIFT 5 /* delivery mode, 7:5 */
#define VTD_IRTE_AVAIL_SHIFT 8 /* available to software, 11:8 */
#define VTD_IRTE_IM BIT(15)  /* IRTE mode: 0 remapped, 1 posted */
#define VTD_IRTE_V_SHIFT 16  /* vector, 23:16 */
#define VTD_IRTE_DST_SHIFT 32 /* destination id, 63:32 */
/* xAPIC mode (IRTA.EIME = 0): the 8-bit APIC id sits in DST bits 15:8 (IRTE
 * bits 47:40); DST 7:0 and 31:16 are reserved. */
#define VTD_IRTE_DST_XAPIC_SHIFT 40
/* Reserved in the lower qword: 14:12 and 31:24; in xAPIC mode also 39:32, 63:48 */
#define VTD_IRTE_LO_RSVD 0x00000000ff007000ull
#define VTD_IRTE_LO_RSVD_XAPIC 0xffff00ff00000000ull
/* IRTE, upper qword */
#define VTD_IRTE_SID_SHIFT 0  /* source-id, 79:64 */
#define VTD_IRTE_SQ_SHIFT 16  /* source-id qualifier, 81:80 */
#define VTD_IRTE_SVT_SHIFT 18 /* source validation type, 83:82 */
#define VTD_IRTE_HI_RSVD 0xfffffffffff00000ull /* 127:84 */

/* Delivery modes (DLM), as in the xAPIC message data */
enum vtd_dlm {
	VTD_DLM_FIXED = 0,
	VTD_DLM_LOWEST = 1,
	VTD_DLM_SMI = 2,
	VTD_DLM_NMI = 4,
	VTD_DLM_INIT = 5,
	VTD_DLM_EXTINT = 7,
};

/* Source validation type (SVT) */
enum vtd_svt {
	VTD_SVT_NONE = 0, /* no requester check */
	VTD_SVT_SID = 1,  /* requester-id must equal SID, bits masked per SQ */
	VTD_SVT_BUS = 2,  /* requester bus within [SID 15:8, SID 7:0] */
};

/* Source-id qualifier (SQ), with SVT = VTD_SVT_SID: which SID bits to ignore */
enum vtd_sq {
	VTD_SQ_ALL = 0,	     /* compare all 16 bits */
	VTD_SQ_IGNORE_2 = 1, /* ignore bit 2 */
	VTD_SQ_IGNORE_21 = 2,
	VTD_SQ_IGNORE_210 = 3, /* ignore the function number */
};

struct vtd_irte {
	uint64_t lo, hi;
};
_Static_assert(sizeof(struct vtd_irte) == 16, "IRTE is 128 bits");

/* The fields of a remapped-format IRTE (IM = 0) */
struct vtd_irte_fields {
	bool present, fpd;
	bool dest_logical; /* DM */
	bool redir_hint;   /* RH */
	bool level;	   /* TM */
	uint8_t dlm;	   /* enum vtd_dlm */
	uint8_t avail;	   /* 4 bits */
	uint8_t vector;
	uint32_t dest; /* APIC id: 8 bits in xAPIC mode, 32 in x2APIC mode */
	uint16_t sid;
	uint8_t sq;  /* enum vtd_sq */
	uint8_t svt; /* enum vtd_svt */
};

/*
 * Encodes f for a table in x2APIC mode (IRTA.EIME = 1) or xAPIC mode. Returns
 * false, leaving *out zero, when a field does not fit: a destination above
 * 0xff in xAPIC mode, DLM, AVAIL, SQ or SVT out of range, SVT = 3 (reserved).
 */
bool vtd_irte_encode(const struct vtd_irte_fields *f, bool x2apic, struct vtd_irte *out);
/* Decodes the fields; IM = 1 (a posted-format entry) leaves them meaningless. */
struct vtd_irte_fields vtd_irte_decode(struct vtd_irte e, bool x2apic);
/* The reserved bits set in e for that mode (the "reserved field" of fault 24h);
 * IM is counted as reserved, since only the remapped format is modelled. */
struct vtd_irte vtd_irte_reserved(struct vtd_irte e, bool x2apic);

/* An MSI: the address and data a device writes */
struct vtd_msi {
	uint64_t addr;
	uint32_t data;
};

/* Interrupt address range: 0xFEEx_xxxx ("Interrupt Requests in Remappable Format") */
#define VTD_MSI_ADDR_BASE 0xfee00000u
#define VTD_MSI_ADDR_MASK 0xfff00000u
/* Remappable format: handle[14:0] in 19:5, IF 4, SHV 3, handle[15] in 2 */
#define VTD_MSI_HANDLE_LO_SHIFT 5
#define VTD_MSI_IF BIT(4)	 /* interrupt format: 1 remappable */
#define VTD_MSI_SHV BIT(3)	 /* subhandle valid: data[15:0] is added to the handle */
#define VTD_MSI_HANDLE_15 BIT(2) /* handle bit 15 */
/* Compatibility format: destination id 19:12, RH 3, DM 2; data vector 7:0 */
#define VTD_MSI_COMPAT_DEST_SHIFT 12

/* A remappable-format request for handle (and subhandle, when shv). */
struct vtd_msi vtd_msi_remappable(uint16_t handle, bool shv, uint16_t subhandle);
/* A compatibility-format request: fixed delivery, edge, physical destination. */
struct vtd_msi vtd_msi_compat(uint8_t dest, uint8_t vector);

/* A decoded interrupt request */
struct vtd_msi_request {
	bool remappable; /* IF */
	/* remappable format */
	bool shv;
	uint16_t handle, subhandle;
	uint32_t index;	 /* interrupt_index: handle (+ subhandle when SHV) */
	bool reserved;	 /* reserved bits set: SHV with data[31:16] nonzero (fault 20h) */
	/* compatibility format */
	uint8_t dest, vector;
};

/* Decodes a DWORD write; false when addr is not in the interrupt address range
 * (bits 63:32 must be 0 and 31:20 0xFEE): then it is an ordinary memory write. */
bool vtd_msi_decode(uint64_t addr, uint32_t data, struct vtd_msi_request *r);

#endif

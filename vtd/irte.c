/*
 * IRTE and interrupt-request encoders and decoders. Field positions follow the
 * VT-d spec's "Interrupt Remapping Table Entry (IRTE) for Remapped Interrupts"
 * and "Interrupt Requests in Remappable Format" / "... in Compatibility Format".
 */
#include "vtd/irte.h"

#define DLM_MAX 7
#define AVAIL_MAX 0xf
#define SQ_MAX 3
#define SVT_MAX VTD_SVT_BUS /* 3 is reserved */
#define XAPIC_DEST_MAX 0xff

bool vtd_irte_encode(const struct vtd_irte_fields *f, bool x2apic, struct vtd_irte *out)
{
	*out = (struct vtd_irte){0, 0};
	if (f->dlm > DLM_MAX || f->avail > AVAIL_MAX || f->sq > SQ_MAX || f->svt > SVT_MAX ||
	    (!x2apic && f->dest > XAPIC_DEST_MAX))
		return false;

	uint64_t dest = x2apic ? (uint64_t)f->dest << VTD_IRTE_DST_SHIFT
			       : (uint64_t)f->dest << VTD_IRTE_DST_XAPIC_SHIFT;

	out->lo = (f->present ? VTD_IRTE_P : 0) | (f->fpd ? VTD_IRTE_FPD : 0) |
		  (f->dest_logical ? VTD_IRTE_DM : 0) | (f->redir_hint ? VTD_IRTE_RH : 0) |
		  (f->level ? VTD_IRTE_TM : 0) | (uint64_t)f->dlm << VTD_IRTE_DLM_SHIFT |
		  (uint64_t)f->avail << VTD_IRTE_AVAIL_SHIFT |
		  (uint64_t)f->vector << VTD_IRTE_V_SHIFT | dest;
	out->hi = (uint64_t)f->sid << VTD_IRTE_SID_SHIFT | (uint64_t)f->sq << VTD_IRTE_SQ_SHIFT |
		  (uint64_t)f->svt << VTD_IRTE_SVT_SHIFT;
	return true;
}

struct vtd_irte_fields vtd_irte_decode(struct vtd_irte e, bool x2apic)
{
	return (struct vtd_irte_fields){
		.present = e.lo & VTD_IRTE_P,
		.fpd = e.lo & VTD_IRTE_FPD,
		.dest_logical = e.lo & VTD_IRTE_DM,
		.redir_hint = e.lo & VTD_IRTE_RH,
		.level = e.lo & VTD_IRTE_TM,
		.dlm = (uint8_t)FIELD(e.lo, 7, 5),
		.avail = (uint8_t)FIELD(e.lo, 11, 8),
		.vector = (uint8_t)FIELD(e.lo, 23, 16),
		.dest = x2apic ? (uint32_t)FIELD(e.lo, 63, 32) : (uint32_t)FIELD(e.lo, 47, 40),
		.sid = (uint16_t)FIELD(e.hi, 15, 0),
		.sq = (uint8_t)FIELD(e.hi, 17, 16),
		.svt = (uint8_t)FIELD(e.hi, 19, 18),
	};
}

struct vtd_irte vtd_irte_reserved(struct vtd_irte e, bool x2apic)
{
	uint64_t lo_rsvd = VTD_IRTE_LO_RSVD | VTD_IRTE_IM | (x2apic ? 0 : VTD_IRTE_LO_RSVD_XAPIC);

	return (struct vtd_irte){e.lo & lo_rsvd, e.hi & VTD_IRTE_HI_RSVD};
}

struct vtd_msi vtd_msi_remappable(uint16_t handle, bool shv, uint16_t subhandle)
{
	uint32_t addr = VTD_MSI_ADDR_BASE | (uint32_t)(handle & 0x7fff) << VTD_MSI_HANDLE_LO_SHIFT |
			VTD_MSI_IF | (shv ? VTD_MSI_SHV : 0) |
			(handle & 0x8000 ? VTD_MSI_HANDLE_15 : 0);

	return (struct vtd_msi){addr, shv ? subhandle : 0};
}

struct vtd_msi vtd_msi_compat(uint8_t dest, uint8_t vector)
{
	return (struct vtd_msi){VTD_MSI_ADDR_BASE | (uint32_t)dest << VTD_MSI_COMPAT_DEST_SHIFT,
				vector};
}

bool vtd_msi_decode(uint64_t addr, uint32_t data, struct vtd_msi_request *r)
{
	*r = (struct vtd_msi_request){0};
	if (addr >> 32 || (addr & VTD_MSI_ADDR_MASK) != VTD_MSI_ADDR_BASE)
		return false;
	r->remappable = addr & VTD_MSI_IF;
	if (!r->remappable) {
		r->dest = (uint8_t)FIELD(addr, 19, 12);
		r->vector = (uint8_t)data;
		return true;
	}
	r->shv = addr & VTD_MSI_SHV;
	r->handle = (uint16_t)(FIELD(addr, 19, 5) | (addr & VTD_MSI_HANDLE_15 ? 0x8000 : 0));
	r->subhandle = r->shv ? (uint16_t)data : 0;
	r->index = (uint32_t)r->handle + r->subhandle;
	r->reserved = r->shv && data >> 16;
	return true;
}

/*
 * Fault records are a ring of CAP.NFR registers; FSTS.FRI names the first one
 * hardware filled. Clearing F (RW1C) frees a record; a record left set makes
 * further faults overflow (FSTS.PFO) once the ring is full.
 */
#include "vtd/fault.h"

#include "vtd/regs.h"
#include "vtd/unit.h"

uint64_t vtd_frcd_lo(struct vtd_unit *u, unsigned i)
{
	return vtd_read64(u, VTD_FRCD(u, i));
}

uint64_t vtd_frcd_hi(struct vtd_unit *u, unsigned i)
{
	return vtd_read64(u, VTD_FRCD(u, i) + 8);
}

static void frcd_clear(struct vtd_unit *u, unsigned i)
{
	/* F is bit 31 of the record's last dword; writing the dword alone keeps the
	 * other (read-only) fields out of the write. */
	vtd_write32(u, VTD_FRCD(u, i) + 12, 1u << 31);
}

unsigned vtd_faults_collect(struct vtd_unit *u, struct vtd_fault *out, unsigned max)
{
	unsigned nfr = VTD_CAP_NFR(u->cap), n = 0;
	uint32_t fsts = vtd_read32(u, VTD_FSTS);
	unsigned first = (fsts & VTD_FSTS_PPF) ? VTD_FSTS_FRI(fsts) % nfr : 0;

	for (unsigned k = 0; k < nfr; k++) {
		unsigned i = (first + k) % nfr;
		uint64_t hi = vtd_frcd_hi(u, i);
		if (!(hi & VTD_FRCD_F))
			continue;
		uint64_t lo = vtd_frcd_lo(u, i);
		if (n < max)
			out[n] = vtd_fault_decode(i, lo, hi);
		n++;
		frcd_clear(u, i);
	}
	return n;
}

void vtd_faults_clear(struct vtd_unit *u)
{
	for (unsigned i = 0; i < VTD_CAP_NFR(u->cap); i++)
		if (vtd_frcd_hi(u, i) & VTD_FRCD_F)
			frcd_clear(u, i);
	vtd_write32(u, VTD_FSTS, VTD_FSTS_W1C);
}

void vtd_fault_event_setup(struct vtd_unit *u, uint8_t vector, uint32_t apic_id)
{
	vtd_event_setup(u, VTD_FECTL, vector, apic_id);
}

void vtd_fault_event_mask(struct vtd_unit *u, bool masked)
{
	vtd_write32(u, VTD_FECTL, masked ? VTD_ECTL_IM : 0);
}

uint32_t vtd_fault_event_control(struct vtd_unit *u)
{
	return vtd_read32(u, VTD_FECTL);
}

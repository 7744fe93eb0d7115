#include "vtd/invalidate.h"

#include "vtd/qi.h"
#include "vtd/unit.h"

/* Writes a command whose top bit the unit clears when done, and returns the
 * register as it reads then. */
static int run_command(struct vtd_unit *u, unsigned reg, uint64_t cmd, uint64_t *done)
{
	vtd_write64(u, reg, cmd);
	int err = vtd_wait_reg(u, reg, true, 1ull << 63, 0);
	*done = vtd_read64(u, reg);
	return err;
}

/* Page-selective invalidation needs CAP.PSI and a mask within CAP.MAMV. */
static int page_selective_ok(const struct vtd_unit *u, enum vtd_gran g, unsigned am)
{
	if (g == VTD_GRAN_PAGE && (!(u->cap & VTD_CAP_PSI) || am > VTD_CAP_MAMV(u->cap)))
		return -VTD_ENOTSUP;
	return 0;
}

/* Read and write draining where the unit offers it (CAP.DRD, CAP.DWD); the
 * register and the descriptor carry the two bits at different places. */
static uint64_t drain(const struct vtd_unit *u, uint64_t read_bit, uint64_t write_bit)
{
	return (u->cap & VTD_CAP_DRD ? read_bit : 0) | (u->cap & VTD_CAP_DWD ? write_bit : 0);
}

static int performed(uint64_t granularity)
{
	return granularity ? (int)granularity : -VTD_EREFUSED;
}

/* "Context Command Register" */
int vtd_inval_context_reg(struct vtd_unit *u, enum vtd_gran g, uint16_t did, uint16_t sid,
			  unsigned fm)
{
	uint64_t cmd = VTD_CCMD_ICC | (uint64_t)g << VTD_CCMD_CIRG_SHIFT, done;

	if (g == VTD_GRAN_DOMAIN || g == VTD_GRAN_DEVICE)
		cmd |= did;
	if (g == VTD_GRAN_DEVICE)
		cmd |= (uint64_t)(fm & 3) << VTD_CCMD_FM_SHIFT | (uint64_t)sid << VTD_CCMD_SID_SHIFT;
	int err = run_command(u, VTD_CCMD, cmd, &done);
	return err ? err : performed(VTD_CCMD_CAIG(done));
}

/* "IOTLB Invalidate Register" and "Invalidate Address Register" */
int vtd_inval_iotlb_reg(struct vtd_unit *u, enum vtd_gran g, uint16_t did, uint64_t addr,
			unsigned am, bool ih)
{
	uint64_t cmd = VTD_IOTLB_IVT | (uint64_t)g << VTD_IOTLB_IIRG_SHIFT |
		       drain(u, VTD_IOTLB_DR, VTD_IOTLB_DW),
		 done;
	int err = page_selective_ok(u, g, am);

	if (err)
		return err;
	if (g == VTD_GRAN_PAGE)
		vtd_write64(u, VTD_IVA(u), (addr & ~0xfffull) | (ih ? VTD_IVA_IH : 0) | am);
	if (g != VTD_GRAN_GLOBAL)
		cmd |= (uint64_t)did << VTD_IOTLB_DID_SHIFT;
	err = run_command(u, VTD_IOTLB(u), cmd, &done);
	return err ? err : performed(VTD_IOTLB_IAIG(done));
}

int vtd_inval_context(struct vtd_unit *u, enum vtd_gran g, uint16_t did, uint16_t sid,
		      unsigned fm)
{
	if (!u->qi.enabled)
		return vtd_inval_context_reg(u, g, did, sid, fm);
	struct vtd_desc d = vtd_desc_context(g, did, sid, fm);
	int err = vtd_qi_submit(u, &d, 1);
	return err ? err : (int)g;
}

int vtd_inval_iotlb(struct vtd_unit *u, enum vtd_gran g, uint16_t did, uint64_t addr,
		    unsigned am, bool ih)
{
	if (!u->qi.enabled)
		return vtd_inval_iotlb_reg(u, g, did, addr, am, ih);
	int err = page_selective_ok(u, g, am);
	if (err)
		return err;
	struct vtd_desc d = vtd_desc_iotlb(g, did, addr, am, ih,
					   drain(u, VTD_DESC_IOTLB_DR, VTD_DESC_IOTLB_DW));
	err = vtd_qi_submit(u, &d, 1);
	return err ? err : (int)g;
}

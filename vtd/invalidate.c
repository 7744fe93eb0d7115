#include "vtd/invalidate.h"

#include "kernel/timer.h"
#include "vtd/qi.h"
#include "vtd/unit.h"

#define INVALIDATION_TIMEOUT_US 1000000

struct busy_bit {
	struct vtd_unit *u;
	unsigned reg;
	uint64_t bit;
};

static bool cleared(void *arg)
{
	struct busy_bit *b = arg;

	return !(vtd_read64(b->u, b->reg) & b->bit);
}

/* Writes a command whose top bit the unit clears when done, and returns the
 * register as it reads then. */
static int run_command(struct vtd_unit *u, unsigned reg, uint64_t cmd, uint64_t *done)
{
	struct busy_bit b = {u, reg, 1ull << 63};

	vtd_write64(u, reg, cmd);
	if (!wait_until(cleared, &b, INVALIDATION_TIMEOUT_US))
		return -VTD_ETIMEDOUT;
	*done = vtd_read64(u, reg);
	return 0;
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

static uint64_t drain(const struct vtd_unit *u)
{
	return (u->cap & VTD_CAP_DRD ? VTD_IOTLB_DR : 0) | (u->cap & VTD_CAP_DWD ? VTD_IOTLB_DW : 0);
}

/* "IOTLB Invalidate Register" and "Invalidate Address Register" */
int vtd_inval_iotlb_reg(struct vtd_unit *u, enum vtd_gran g, uint16_t did, uint64_t addr,
			unsigned am, bool ih)
{
	uint64_t cmd = VTD_IOTLB_IVT | (uint64_t)g << VTD_IOTLB_IIRG_SHIFT | drain(u), done;

	if (g == VTD_GRAN_PAGE) {
		if (!(u->cap & VTD_CAP_PSI) || am > VTD_CAP_MAMV(u->cap))
			return -VTD_ENOTSUP;
		vtd_write64(u, VTD_IVA(u), (addr & ~0xfffull) | (ih ? VTD_IVA_IH : 0) | am);
	}
	if (g != VTD_GRAN_GLOBAL)
		cmd |= (uint64_t)did << VTD_IOTLB_DID_SHIFT;
	int err = run_command(u, VTD_IOTLB(u), cmd, &done);
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
	if (g == VTD_GRAN_PAGE && (!(u->cap & VTD_CAP_PSI) || am > VTD_CAP_MAMV(u->cap)))
		return -VTD_ENOTSUP;
	uint64_t dr = (u->cap & VTD_CAP_DRD ? VTD_DESC_IOTLB_DR : 0) |
		      (u->cap & VTD_CAP_DWD ? VTD_DESC_IOTLB_DW : 0);
	struct vtd_desc d = vtd_desc_iotlb(g, did, addr, am, ih, dr);
	int err = vtd_qi_submit(u, &d, 1);
	return err ? err : (int)g;
}

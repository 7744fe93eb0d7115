/*
 * The invalidation queue: one page of 256 descriptors, and one status dword
 * that each submission's wait descriptor writes with a new sequence number,
 * so a stale status write can never be taken for the current one.
 */
#include "vtd/qi.h"

#include "kernel/pmm.h"
#include "kernel/timer.h"
#include "kernel/vm.h"
#include "vtd/unit.h"

#define QI_TIMEOUT_US 1000000

static uint64_t tail_register(unsigned index)
{
	return (uint64_t)index << 4;
}

int vtd_qi_enable(struct vtd_unit *u)
{
	struct vtd_qi *q = &u->qi;

	if (!(u->ecap & VTD_ECAP_QI))
		return -VTD_ENOTSUP;
	if (q->enabled)
		return 0;
	if (!q->queue) {
		/* queue and status dword share nothing with other pages */
		uint64_t pages = pmm_alloc(2, PAGE_SIZE, PMM_ANY_ADDRESS);
		if (!pages)
			return -VTD_ENOMEM;
		q->phys = pages;
		q->queue = phys_to_virt(pages);
		q->status = phys_to_virt(pages + PAGE_SIZE);
	}
	q->tail = 0;
	vtd_flush(u, q->queue, PAGE_SIZE);
	vtd_write64(u, VTD_IQT, 0);
	vtd_write64(u, VTD_IQA, q->phys); /* DW = 0: 128-bit descriptors; QS = 0: one page */
	int err = vtd_gcmd(u, VTD_GCMD_QIE, true);
	q->enabled = !err;
	return err;
}

static bool drained(void *arg)
{
	struct vtd_unit *u = arg;

	return vtd_read64(u, VTD_IQH) == vtd_read64(u, VTD_IQT) ||
	       vtd_read32(u, VTD_FSTS) & VTD_FSTS_IQE;
}

int vtd_qi_disable(struct vtd_unit *u)
{
	if (!(vtd_read32(u, VTD_GSTS) & VTD_GCMD_QIE)) {
		u->qi.enabled = false;
		return 0;
	}
	/* "Queued Invalidation Interface": disabling while descriptors are pending
	 * has undefined results, so let the unit reach the tail first. */
	wait_until(drained, u, QI_TIMEOUT_US);
	int err = vtd_gcmd(u, VTD_GCMD_QIE, false);
	u->qi.enabled = false;
	return err;
}

void vtd_qi_replace(struct vtd_unit *u, unsigned index, struct vtd_desc d)
{
	uint64_t *slot = &u->qi.queue[2 * index];

	slot[0] = d.lo;
	slot[1] = d.hi;
	vtd_flush(u, slot, sizeof(d));
}

/* Writes descriptors at the tail without telling the unit. */
static void append(struct vtd_unit *u, const struct vtd_desc *d, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		vtd_qi_replace(u, u->qi.tail, d[i]);
		u->qi.tail = (u->qi.tail + 1) % VTD_QI_ENTRIES;
	}
}

void vtd_qi_post(struct vtd_unit *u, const struct vtd_desc *d, unsigned n)
{
	append(u, d, n);
	vtd_write64(u, VTD_IQT, tail_register(u->qi.tail));
}

struct completion {
	struct vtd_unit *u;
	uint32_t seq;
};

static bool completed(void *arg)
{
	struct completion *c = arg;

	return *c->u->qi.status == c->seq || vtd_read32(c->u, VTD_FSTS) & VTD_FSTS_IQE;
}

/*
 * "Invalidation Queue Error": the unit stops at the bad descriptor (IQH) and
 * fetches nothing more until IQE is cleared. A wait descriptor that writes
 * the status page's second dword takes the bad one's place (a wait with
 * neither SW nor IF is not something every unit accepts). IQT is written
 * again after the clear: harmless where the unit resumes by itself, needed
 * where it only fetches on a tail write.
 */
static void recover(struct vtd_unit *u)
{
	struct vtd_qi *q = &u->qi;
	unsigned head = VTD_IQ_INDEX(vtd_read64(u, VTD_IQH));

	q->last_error_head = head;
	vtd_qi_replace(u, head, vtd_desc_wait(VTD_DESC_WAIT_SW, 0, q->phys + PAGE_SIZE + 4));
	vtd_write32(u, VTD_FSTS, VTD_FSTS_IQE);
	vtd_write64(u, VTD_IQT, tail_register(q->tail));
}

int vtd_qi_submit(struct vtd_unit *u, const struct vtd_desc *d, unsigned n)
{
	struct vtd_qi *q = &u->qi;
	struct completion c = {u, ++q->seq};
	int err = 0;

	if (!q->enabled)
		return -VTD_EINVAL;
	struct vtd_desc wait = vtd_desc_wait(VTD_DESC_WAIT_SW | VTD_DESC_WAIT_FN, c.seq,
					     q->phys + PAGE_SIZE);
	append(u, d, n);
	vtd_qi_post(u, &wait, 1);
	for (unsigned tries = 0; tries < 2 * n + 2; tries++) {
		if (!wait_until(completed, &c, QI_TIMEOUT_US))
			return -VTD_ETIMEDOUT;
		if (*q->status == c.seq)
			return err;
		recover(u);
		err = -VTD_EQUEUE;
	}
	return -VTD_ETIMEDOUT;
}

/*
 * The queued invalidation interface itself: wait descriptors complete with a
 * status write or an interrupt, and a bad descriptor stops the queue with a
 * queue error from which software recovers.
 */
#include "kernel/apic.h"
#include "kernel/pmm.h"
#include "kernel/test.h"
#include "kernel/timer.h"
#include "tests/conformance/irq_catch.h"
#include "tests/conformance/vtd_env.h"
#include "vtd/qi.h"
#include "vtd/regs.h"

#define SPEC_WAIT "VT-d 4.1 \"Invalidation Wait Descriptor\"; \"Queued Invalidation Interface\""
#define SPEC_QUEUE_ERROR                                                                           \
	"VT-d 4.1 \"Queued Invalidation Interface\" (hardware handling of errors); "                \
	"\"Fault Status Register\" IQE; \"Invalidation Queue Head Register\""

#define QI_WAIT_US 200000
#define STATUS_OFFSET 0x100 /* of the status dword within its page */
#define STATUS_DATA 0x5a5a1234u
#define SEED_STATUS 0x91000001u

static struct vtd_unit *need_qi(void)
{
	struct vtd_unit *u = need_any_unit();

	need_feature(u->ecap & VTD_ECAP_QI, "queued invalidation (ECAP.QI)");
	if (!check_vtd(vtd_qi_enable(u), "enabling queued invalidation"))
		fail_now("queued invalidation did not turn on");
	return u;
}

static unsigned head(struct vtd_unit *u)
{
	return VTD_IQ_INDEX(vtd_read64(u, VTD_IQH));
}

static unsigned tail(struct vtd_unit *u)
{
	return VTD_IQ_INDEX(vtd_read64(u, VTD_IQT));
}

struct status_word {
	volatile uint32_t *p;
	uint32_t want;
};

static bool status_written(void *arg)
{
	struct status_word *s = arg;

	return *s->p == s->want;
}

/* A page of SEED_STATUS fill whose dword at STATUS_OFFSET a wait descriptor
 * is to set to STATUS_DATA */
static struct status_word status_page(struct dma_buf *b)
{
	buf_alloc(b, 1, SEED_STATUS);
	return (struct status_word){(volatile uint32_t *)((uint8_t *)b->virt + STATUS_OFFSET),
				    STATUS_DATA};
}

/* The status dwords and their page: everything but those bytes must keep the
 * page's fill. */
static void check_only_status_written(const struct dma_buf *b, unsigned dwords)
{
	uint64_t end = STATUS_OFFSET + 4 * dwords;

	check_pattern(b, 0, STATUS_OFFSET, SEED_STATUS, 0, "status page below the dword");
	check_pattern(b, end, PAGE_SIZE - end, SEED_STATUS, end, "status page above the dword");
	check_canaries(b, "status page");
}

static void qi_wait_status_write(void)
{
	struct vtd_unit *u = need_qi();
	struct dma_buf b;
	struct status_word s = status_page(&b);
	struct vtd_desc wait = vtd_desc_wait(VTD_DESC_WAIT_SW, STATUS_DATA, b.phys + STATUS_OFFSET);

	vtd_qi_post(u, &wait, 1);

	check(wait_until(status_written, &s, QI_WAIT_US), "status dword still %#x after %u ms",
	      *s.p, QI_WAIT_US / 1000);
	check_eq(*s.p, STATUS_DATA, "status dword");
	check_only_status_written(&b, 1);
	check_eq(head(u), tail(u), "IQH after completion (IQT)");
	check_eq(vtd_read32(u, VTD_FSTS) & VTD_FSTS_IQE, 0, "FSTS.IQE");
	check_eq(vtd_read32(u, VTD_ICS) & VTD_ICS_IWC, 0, "ICS.IWC without IF");
	check_vtd(vtd_unit_quiesce(u), "quiescing the unit");
	dma_free(&b);
}

/* IF=1: ICS.IWC sets and the invalidation completion event (IEDATA/IEADDR)
 * arrives once, with its vector. */
static void qi_wait_interrupt(void)
{
	struct vtd_unit *u = need_qi();
	uint8_t vector = irq_catch_one();

	vtd_event_setup(u, VTD_IECTL, vector, apic_id());
	vtd_write32(u, VTD_ICS, VTD_ICS_IWC);
	vtd_write32(u, VTD_IECTL, 0);
	struct vtd_desc wait = vtd_desc_wait(VTD_DESC_WAIT_IF, 0, 0);

	vtd_qi_post(u, &wait, 1);

	irq_expect_one(vector, QI_WAIT_US, "the completion interrupt (IEDATA)");
	check_eq(vtd_read32(u, VTD_ICS) & VTD_ICS_IWC, VTD_ICS_IWC, "ICS.IWC");
	check_eq(vtd_read32(u, VTD_IECTL) & VTD_ECTL_IP, 0, "IECTL.IP after delivery");
	check_eq(head(u), tail(u), "IQH after completion (IQT)");
	vtd_write32(u, VTD_ICS, VTD_ICS_IWC);
	check_eq(vtd_read32(u, VTD_ICS) & VTD_ICS_IWC, 0, "ICS.IWC after writing 1 to it");

	vtd_write32(u, VTD_IECTL, VTD_ECTL_IM);
	irq_catch_release();
	check_vtd(vtd_unit_quiesce(u), "quiescing the unit");
}

static bool queue_error(void *arg)
{
	return vtd_read32(arg, VTD_FSTS) & VTD_FSTS_IQE;
}

/*
 * A descriptor of a reserved type stops the queue: FSTS.IQE sets, IQH stays
 * at the bad descriptor and the wait behind it is not processed. Replacing it
 * and clearing IQE lets the unit go on from there.
 */
static void qi_invalid_descriptor(void)
{
	struct vtd_unit *u = need_qi();
	struct dma_buf b;
	struct status_word s = status_page(&b);
	unsigned bad = u->qi.tail;
	struct vtd_desc d[2] = {
		{0xf, 0}, /* type 0Fh: reserved */
		vtd_desc_wait(VTD_DESC_WAIT_SW, STATUS_DATA, b.phys + STATUS_OFFSET),
	};

	vtd_qi_post(u, d, 2);

	check(wait_until(queue_error, u, QI_WAIT_US), "FSTS.IQE not set within %u ms (FSTS %#x)",
	      QI_WAIT_US / 1000, vtd_read32(u, VTD_FSTS));
	check_eq(head(u), bad, "IQH: the offending descriptor");
	udelay(1000);
	check(*s.p != STATUS_DATA, "the wait descriptor behind the bad one was processed");
	test_note("IQERCD %#llx", (unsigned long long)vtd_read64(u, VTD_IQERCD));

	/* recovery: a valid wait (status write to the next dword) in the bad slot,
	 * then IQE cleared; the queue must go on from IQH by itself */
	vtd_qi_replace(u, bad, vtd_desc_wait(VTD_DESC_WAIT_SW, 0, b.phys + STATUS_OFFSET + 4));
	vtd_write32(u, VTD_FSTS, VTD_FSTS_IQE);

	if (!wait_until(status_written, &s, QI_WAIT_US)) {
		check(false, "IQE cleared, yet the queue did not go on from IQH (status %#x)", *s.p);
		vtd_write64(u, VTD_IQT, vtd_read64(u, VTD_IQT));
		test_note("after IQT was written again the queue %s",
			  wait_until(status_written, &s, QI_WAIT_US) ? "went on" : "still stalled");
	}
	check_eq(*(volatile uint32_t *)((uint8_t *)b.virt + STATUS_OFFSET + 4), 0,
		 "status the replacement descriptor wrote");
	check_eq(vtd_read32(u, VTD_FSTS) & VTD_FSTS_IQE, 0, "FSTS.IQE after recovery");
	check_eq(head(u), tail(u), "IQH after recovery (IQT)");
	check_only_status_written(&b, 2);
	struct vtd_desc iotlb = vtd_desc_iotlb(VTD_GRAN_GLOBAL, 0, 0, 0, false, 0);
	check_vtd(vtd_qi_submit(u, &iotlb, 1), "an invalidation after recovery");
	vtd_faults_clear(u);
	check_vtd(vtd_unit_quiesce(u), "quiescing the unit");
	dma_free(&b);
}

static const struct test qi_tests[] = {
	{
		.name = "qi.wait_status_write",
		.run = qi_wait_status_write,
		.confirms = "a wait descriptor with SW writes its status data, and only it",
		.spec = SPEC_WAIT,
	},
	{
		.name = "qi.wait_interrupt",
		.run = qi_wait_interrupt,
		.confirms = "a wait descriptor with IF sets ICS.IWC and raises IEDATA's vector once",
		.spec = SPEC_WAIT "; \"Invalidation Event Control Register\"",
	},
	{
		.name = "qi.invalid_descriptor",
		.run = qi_invalid_descriptor,
		.confirms = "a reserved descriptor type stops the queue at IQH with FSTS.IQE; "
			    "clearing IQE after fixing it resumes",
		.spec = SPEC_QUEUE_ERROR,
	},
};

TEST_SUITE(qi_suite, "qi", qi_tests);

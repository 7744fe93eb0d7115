/*
 * Non-recoverable DMA-remapping faults: each fault condition blocks the
 * request (memory untouched, nothing leaked to the device) and is recorded
 * with the reason, source-id, page address and request type the spec gives;
 * the fault status, recording and event registers behave as specified.
 */
#include "kernel/apic.h"
#include "kernel/pmm.h"
#include "kernel/string.h"
#include "kernel/test.h"
#include "kernel/timer.h"
#include "tests/conformance/irq_catch.h"
#include "tests/conformance/vtd_env.h"
#include "vtd/context.h"
#include "vtd/invalidate.h"
#include "vtd/regs.h"

#define SPEC_FAULTS                                                                                \
	"VT-d 4.1 \"Non-Recoverable Fault Reason Encodings\"; \"Fault Recording Registers [n]\""
#define SPEC_LOGGING "VT-d 4.1 \"Primary Fault Logging\"; \"Fault Status Register\""
#define SPEC_EVENT "VT-d 4.1 \"Fault Event Control Register\"; \"Fault Event Interrupts\""

#define IOVA_SRC 0x4000100000ull
#define IOVA_DST 0x4000200000ull
#define XFER 512u
#define EVENT_WAIT_US 200000

enum { SEED_SRC = 0xfa010001, SEED_VICTIM = 0xfa010002, SEED_DST = 0xfa010003 };

/* Every fault test starts the same way: edu in a domain, translation on, and
 * the device's buffer already holding SEED_SRC data from a mapped page. */
struct fault_env {
	struct dma_env env;
	struct dma_buf src;
};

static void fault_setup(struct fault_env *f)
{
	dma_env_setup(&f->env, 0);
	buf_alloc(&f->src, 1, SEED_SRC);
	env_map(&f->env, IOVA_SRC, f->src.phys, PAGE_SIZE, VTD_PTE_R);
	dma_env_enable(&f->env);
	env_load(&f->env, IOVA_SRC, XFER);
	expect_no_fault(f->env.u);
}

static void fault_teardown(struct fault_env *f)
{
	dma_env_teardown(&f->env);
	dma_free(&f->src);
}

static void expect_dma_fault(struct fault_env *f, uint8_t reason, uint64_t iova, bool read)
{
	expect_fault(f->env.u, &(struct fault_expect){.reason = reason,
						      .sid = f->env.sid,
						      .addr = iova & ~0xfffull,
						      .read = read,
						      .intr_index = FAULT_ANY});
}

/* A write the tables do not allow must leave `victim` as it was. */
static void blocked_write(struct fault_env *f, uint64_t iova, const struct dma_buf *victim,
			  uint32_t seed, uint8_t reason)
{
	env_store(&f->env, iova, XFER);
	check_untouched(victim, seed, "memory the write was aimed at");
	expect_dma_fault(f, reason, iova, false);
}

/*
 * A read the tables do not allow must not hand the page's data to the
 * device: what the device then writes out (to a mapped page) must not be
 * the page's contents.
 */
static void blocked_read(struct fault_env *f, uint64_t iova, const struct dma_buf *secret,
			 uint32_t secret_seed, uint8_t reason)
{
	struct dma_buf out;

	buf_alloc(&out, 1, SEED_DST);
	env_map(&f->env, IOVA_DST, out.phys, PAGE_SIZE, VTD_PTE_W);
	env_load(&f->env, iova, XFER);
	expect_dma_fault(f, reason, iova, true);

	env_store(&f->env, IOVA_DST, XFER);
	expect_no_fault(f->env.u);
	unsigned same = 0;
	for (unsigned i = 0; i < XFER; i++)
		same += ((uint8_t *)out.virt)[i] == pattern_byte(secret_seed, i);
	check(same < XFER / 8, "%u of %u bytes the device read match the protected page", same,
	      XFER);
	check_untouched(secret, secret_seed, "protected page");
	dma_free(&out);
}

/* IOVA == the victim's physical address, unmapped: translation, not luck,
 * must keep the write out. */
static void fault_unmapped_write(void)
{
	struct fault_env f;
	struct dma_buf victim;

	fault_setup(&f);
	buf_alloc(&victim, 1, SEED_VICTIM);
	blocked_write(&f, victim.phys, &victim, SEED_VICTIM, VTD_FR_WRITE);
	fault_teardown(&f);
	dma_free(&victim);
}

static void fault_unmapped_read(void)
{
	struct fault_env f;
	struct dma_buf secret;

	fault_setup(&f);
	buf_alloc(&secret, 1, SEED_VICTIM);
	blocked_read(&f, secret.phys, &secret, SEED_VICTIM, VTD_FR_READ);
	fault_teardown(&f);
	dma_free(&secret);
}

static void fault_write_readonly(void)
{
	struct fault_env f;
	struct dma_buf ro;

	fault_setup(&f);
	buf_alloc(&ro, 1, SEED_VICTIM);
	env_map(&f.env, IOVA_DST + PAGE_SIZE, ro.phys, PAGE_SIZE, VTD_PTE_R);
	blocked_write(&f, IOVA_DST + PAGE_SIZE, &ro, SEED_VICTIM, VTD_FR_WRITE);
	fault_teardown(&f);
	dma_free(&ro);
}

static void fault_read_writeonly(void)
{
	struct fault_env f;
	struct dma_buf wo;

	fault_setup(&f);
	buf_alloc(&wo, 1, SEED_VICTIM);
	env_map(&f.env, IOVA_SRC + PAGE_SIZE, wo.phys, PAGE_SIZE, VTD_PTE_W);
	blocked_read(&f, IOVA_SRC + PAGE_SIZE, &wo, SEED_VICTIM, VTD_FR_READ);
	fault_teardown(&f);
	dma_free(&wo);
}

/* A mapped, writable destination; the fault must come from the structure the
 * test breaks above it, not from the page table. */
static void map_victim(struct fault_env *f, struct dma_buf *victim)
{
	buf_alloc(victim, 1, SEED_VICTIM);
	env_map(&f->env, IOVA_DST, victim->phys, PAGE_SIZE, VTD_PTE_W);
}

static void fault_context_not_present(void)
{
	struct fault_env f;
	struct dma_buf victim;

	fault_setup(&f);
	map_victim(&f, &victim);
	check_vtd(vtd_domain_detach(&f.env.dom, f.env.edu.pci), "clearing edu's context entry");
	blocked_write(&f, IOVA_DST, &victim, SEED_VICTIM, VTD_FR_CONTEXT_NOT_PRESENT);
	fault_teardown(&f);
	dma_free(&victim);
}

static void fault_root_not_present(void)
{
	struct fault_env f;
	struct dma_buf victim;

	fault_setup(&f);
	map_victim(&f, &victim);
	vtd_root_clear(f.env.u, f.env.edu.pci->addr.bus);
	check(vtd_inval_context(f.env.u, VTD_GRAN_GLOBAL, 0, 0, 0) > 0,
	      "global context-cache invalidation failed");
	check(vtd_inval_iotlb(f.env.u, VTD_GRAN_GLOBAL, 0, 0, 0, false) > 0,
	      "global IOTLB invalidation failed");
	blocked_write(&f, IOVA_DST, &victim, SEED_VICTIM, VTD_FR_ROOT_NOT_PRESENT);
	fault_teardown(&f);
	dma_free(&victim);
}

/*
 * An input address at 2^AGAW, the first beyond the context's address width.
 * FI bits at and above MGAW are reserved (0) in the record, so the address is
 * only checked when MGAW can hold it.
 */
static void fault_beyond_address_width(void)
{
	struct fault_env f;

	fault_setup(&f);
	uint64_t iova = 1ull << vtd_pt_width(f.env.dom.pt.levels);
	env_store(&f.env, iova, XFER);
	bool representable = vtd_pt_width(f.env.dom.pt.levels) < VTD_CAP_MGAW(f.env.u->cap);
	if (!representable)
		test_note("IOVA %#llx is beyond MGAW %u: the record's address is not checked",
			  (unsigned long long)iova, (unsigned)VTD_CAP_MGAW(f.env.u->cap));
	expect_fault(f.env.u, &(struct fault_expect){.reason = VTD_FR_ADDRESS_BEYOND_AW,
						     .sid = f.env.sid,
						     .addr = representable ? (int64_t)iova : FAULT_ANY,
						     .read = 0,
						     .intr_index = FAULT_ANY});
	fault_teardown(&f);
}

/* Bits 51:HAW of a leaf are reserved ("Second-Stage Paging Entries"). */
static void fault_pte_reserved(void)
{
	struct fault_env f;
	struct dma_buf victim;
	unsigned level;

	fault_setup(&f);
	if (f.env.u->haw >= 52)
		skip("host address width %u leaves no reserved address bit", f.env.u->haw);
	map_victim(&f, &victim);
	uint64_t *leaf = vtd_pt_entry(&f.env.dom.pt, IOVA_DST, &level);
	*leaf |= 1ull << 51;
	vtd_flush(f.env.u, leaf, sizeof(*leaf));
	check(vtd_domain_invalidate(&f.env.dom, IOVA_DST, PAGE_SIZE) == 0,
	      "IOTLB invalidation failed");
	blocked_write(&f, IOVA_DST, &victim, SEED_VICTIM, VTD_FR_PAGING_RESERVED);
	fault_teardown(&f);
	dma_free(&victim);
}

/* Bits 127:88 of a legacy context entry are reserved ("Context Entry"). */
static void fault_context_reserved(void)
{
	struct fault_env f;
	struct dma_buf victim;

	fault_setup(&f);
	map_victim(&f, &victim);
	struct vtd_entry128 ce = vtd_context_get(f.env.u, f.env.sid);
	ce.hi |= 1ull << (100 - 64);
	check_vtd(vtd_context_set(f.env.u, f.env.sid, ce), "rewriting the context entry");
	check(vtd_inval_context(f.env.u, VTD_GRAN_DEVICE, f.env.dom.did, f.env.sid, 0) > 0,
	      "context-cache invalidation failed");
	check(vtd_inval_iotlb(f.env.u, VTD_GRAN_DOMAIN, f.env.dom.did, 0, 0, false) > 0,
	      "IOTLB invalidation failed");
	blocked_write(&f, IOVA_DST, &victim, SEED_VICTIM, VTD_FR_CONTEXT_RESERVED);
	fault_teardown(&f);
	dma_free(&victim);
}

/* --- the fault logging registers themselves --- */

/* One unmapped write, then the raw registers: FSTS.PPF and FRI, and every
 * field of the record FRI names. */
static unsigned one_recorded_write(struct fault_env *f, uint64_t iova)
{
	env_store(&f->env, iova, XFER);
	if (!wait_for_fault(f->env.u) || !(vtd_read32(f->env.u, VTD_FSTS) & VTD_FSTS_PPF))
		fail_now("FSTS.PPF did not set after an unmapped write (FSTS %#x)",
			 vtd_read32(f->env.u, VTD_FSTS));
	return VTD_FSTS_FRI(vtd_read32(f->env.u, VTD_FSTS));
}

static void fault_record_fields(void)
{
	struct fault_env f;

	fault_setup(&f);
	struct vtd_unit *u = f.env.u;
	unsigned fri = one_recorded_write(&f, IOVA_DST);
	check(fri < VTD_CAP_NFR(u->cap), "FSTS.FRI %u beyond the %u records", fri,
	      (unsigned)VTD_CAP_NFR(u->cap));
	fri %= VTD_CAP_NFR(u->cap);
	uint64_t lo = vtd_frcd_lo(u, fri), hi = vtd_frcd_hi(u, fri);
	test_note("FSTS %#x FRCD[%u] %#018llx_%016llx", vtd_read32(u, VTD_FSTS), fri,
		  (unsigned long long)hi, (unsigned long long)lo);
	check_eq(hi >> 63, 1, "F (bit 127)");
	check_eq(FIELD(hi, 39, 32), VTD_FR_WRITE, "FR (bits 103:96)");
	check_eq(FIELD(hi, 15, 0), f.env.sid, "SID (bits 79:64)");
	check_eq(lo & ~0xfffull, IOVA_DST, "FI (bits 63:12)");
	check_eq(lo & 0xfff, 0, "reserved bits 11:0");
	check_eq(FIELD(hi, 62, 62), 0, "T (bit 126: 0 = write)");
	check_eq(FIELD(hi, 61, 60), 0, "AT (bits 125:124: untranslated request)");
	check_eq(FIELD(hi, 31, 31), 0, "PP (bit 95: no PASID)");
	check_eq(vtd_read32(u, VTD_FSTS) & VTD_FSTS_PFO, 0, "FSTS.PFO after one fault");
	vtd_faults_clear(u);
	fault_teardown(&f);
}

/* F is RW1C: writing 0 leaves the record, writing 1 frees it, and PPF, the OR
 * of all F bits, follows. */
static void fault_clear_w1c(void)
{
	struct fault_env f;

	fault_setup(&f);
	struct vtd_unit *u = f.env.u;
	unsigned fri = one_recorded_write(&f, IOVA_DST) % VTD_CAP_NFR(u->cap);
	unsigned f_dword = VTD_FRCD(u, fri) + 12;

	vtd_write32(u, f_dword, vtd_read32(u, f_dword) & ~(1u << 31));
	check_eq(vtd_frcd_hi(u, fri) >> 63, 1, "F after writing 0 to it");
	check_eq(!!(vtd_read32(u, VTD_FSTS) & VTD_FSTS_PPF), 1, "FSTS.PPF after writing 0 to F");
	vtd_write32(u, f_dword, 1u << 31);
	check_eq(vtd_frcd_hi(u, fri) >> 63, 0, "F after writing 1 to it");
	check_eq(vtd_read32(u, VTD_FSTS) & VTD_FSTS_PPF, 0, "FSTS.PPF once no record is pending");
	fault_teardown(&f);
}

/* Unmasked: the fault event message arrives once with FEDATA's vector, and
 * IP is clear. Masked: nothing arrives, IP is set; unmasking delivers it. */
static void fault_event_interrupt(void)
{
	struct fault_env f;

	fault_setup(&f);
	struct vtd_unit *u = f.env.u;
	uint8_t vector = irq_catch_one();
	vtd_fault_event_setup(u, vector, apic_id());
	vtd_fault_event_mask(u, false);

	one_recorded_write(&f, IOVA_DST);
	irq_expect_one(vector, EVENT_WAIT_US, "the fault event (FEDATA), unmasked");
	check_eq(vtd_fault_event_control(u) & VTD_ECTL_IP, 0, "FECTL.IP after delivery");
	vtd_faults_clear(u);

	irq_catch_reset();
	vtd_fault_event_mask(u, true);
	one_recorded_write(&f, IOVA_DST);
	irq_expect_none(EVENT_WAIT_US, "a fault while FECTL.IM is set");
	check_eq(!!(vtd_fault_event_control(u) & VTD_ECTL_IP), 1, "FECTL.IP while masked");
	vtd_fault_event_mask(u, false);
	irq_expect_one(vector, EVENT_WAIT_US, "the held fault event, on unmasking");
	check_eq(vtd_fault_event_control(u) & VTD_ECTL_IP, 0, "FECTL.IP after the held event");

	vtd_fault_event_mask(u, true);
	irq_catch_release();
	vtd_faults_clear(u);
	fault_teardown(&f);
}

/*
 * More faults than records: with every record full, a further fault is not
 * recorded and FSTS.PFO sets. A unit may collapse faults from a source-id
 * that already has a pending record, so each fault must come from another
 * device: the edu fills the records, the NVMe (no context entry) overflows.
 */
static void fault_overflow(void)
{
	struct fault_env f;
	struct nvme n;
	struct vtd_fault rec[8];

	fault_setup(&f);
	struct vtd_unit *u = f.env.u;
	unsigned nfr = VTD_CAP_NFR(u->cap);
	if (nfr > 1)
		skip("%u fault records need %u faulting devices; this harness drives two", nfr,
		     nfr + 1);
	check_vtd(vtd_translation(u, false), "translation off to open NVMe");
	env_open_nvme(&f.env, &n);
	dma_env_enable(&f.env);

	one_recorded_write(&f, IOVA_DST);
	uint32_t status;
	nvme_read(&n, 0, 1, IOVA_DST, &status); /* its queue fetch faults: no context entry */

	uint32_t fsts = vtd_read32(u, VTD_FSTS);
	check_eq(!!(fsts & VTD_FSTS_PFO), 1, "FSTS.PFO with every record full");
	check_eq(!!(fsts & VTD_FSTS_PPF), 1, "FSTS.PPF");
	unsigned recorded = vtd_faults_collect(u, rec, 8);
	check_eq(recorded, nfr, "records filled");
	for (unsigned i = 0; i < recorded && i < 8; i++)
		check_eq(rec[i].sid, f.env.sid, "source-id of a kept record (the edu's)");
	vtd_write32(u, VTD_FSTS, VTD_FSTS_PFO);
	check_eq(vtd_read32(u, VTD_FSTS) & (VTD_FSTS_PFO | VTD_FSTS_PPF), 0,
		 "FSTS.PFO|PPF after clearing");

	check_vtd(vtd_translation(u, false), "disabling translation");
	nvme_close(&n);
	vtd_faults_clear(u);
	fault_teardown(&f);
}

#define FAULT_TEST(n, what, why)                                                                   \
	{                                                                                          \
		.name = "fault." #n, .run = fault_##n, .confirms = what, .spec = why,                 \
	}

static const struct test fault_tests[] = {
	FAULT_TEST(unmapped_write, "a write to an unmapped IOVA is blocked and recorded (FR 05h)",
		   SPEC_FAULTS),
	FAULT_TEST(unmapped_read,
		   "a read of an unmapped IOVA is blocked, leaks nothing, and is recorded (FR 06h)",
		   SPEC_FAULTS),
	FAULT_TEST(write_readonly, "a write to a page mapped R only is blocked (FR 05h)",
		   SPEC_FAULTS "; \"Second-Stage Paging Entries\""),
	FAULT_TEST(read_writeonly, "a read of a page mapped W only is blocked (FR 06h)",
		   SPEC_FAULTS "; \"Second-Stage Paging Entries\""),
	FAULT_TEST(context_not_present, "a request whose context entry has P=0 faults (FR 02h)",
		   SPEC_FAULTS "; \"Context Entry\""),
	FAULT_TEST(root_not_present, "a request whose root entry has P=0 faults (FR 01h)",
		   SPEC_FAULTS "; \"Root Entry\""),
	FAULT_TEST(beyond_address_width,
		   "an input address beyond the context's AGAW faults (FR 04h)",
		   SPEC_FAULTS "; \"Context Entry\" AW"),
	FAULT_TEST(pte_reserved, "a leaf with a reserved address bit set faults (FR 0Ch)",
		   SPEC_FAULTS "; \"Second-Stage Paging Entries\""),
	FAULT_TEST(context_reserved, "a context entry with a reserved bit set faults (FR 0Bh)",
		   SPEC_FAULTS "; \"Context Entry\""),
	FAULT_TEST(record_fields, "FSTS.PPF/FRI and every field of the record a fault fills",
		   SPEC_LOGGING "; \"Fault Recording Registers [n]\""),
	FAULT_TEST(clear_w1c, "a record's F bit is write-1-to-clear and PPF follows it",
		   SPEC_LOGGING "; \"Fault Recording Registers [n]\""),
	FAULT_TEST(event_interrupt,
		   "a fault raises FEDATA's vector; masked it sets IP and arrives on unmask",
		   SPEC_EVENT),
	FAULT_TEST(overflow,
		   "a fault with every record full is dropped and sets FSTS.PFO",
		   SPEC_LOGGING),
};

TEST_SUITE(fault_suite, "fault", fault_tests);

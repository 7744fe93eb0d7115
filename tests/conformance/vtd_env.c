#include "tests/conformance/vtd_env.h"

#include "kernel/console.h"
#include "kernel/pmm.h"
#include "kernel/test.h"
#include "kernel/timer.h"
#include "tests/conformance/common.h"
#include "vtd/context.h"
#include "vtd/regs.h"

/* A fault is recorded before the faulting transaction completes on real units;
 * this covers any posting delay. */
#define FAULT_WAIT_US 100000
#define MAX_FAULTS 8

bool check_vtd(int err, const char *what)
{
	check(!err, "%s: %s", what, vtd_strerror(err));
	return !err;
}

void need_feature(bool advertised, const char *what)
{
	if (!advertised)
		skip("the unit does not advertise %s", what);
}

static struct vtd_unit *ready(struct vtd_unit *u)
{
	int err = vtd_unit_quiesce(u);

	if (!err)
		err = vtd_root_init(u);
	if (!err)
		err = vtd_root_install(u);
	if (err)
		fail_now("readying DRHD %u failed: %s", u->index, vtd_strerror(err));
	return u;
}

struct vtd_unit *need_unit_for(const struct pci_dev *dev)
{
	need_dmar();
	struct vtd_unit *u = vtd_unit_for(&dev->addr);
	if (!u)
		skip(PCI_ADDR_FMT " is under no usable remapping unit", PCI_ADDR_ARGS(&dev->addr));
	return ready(u);
}

struct vtd_unit *need_any_unit(void)
{
	need_dmar();
	for (unsigned i = 0; i < vtd_unit_count(); i++)
		if (vtd_unit(i)->regs)
			return ready(vtd_unit(i));
	skip("no remapping unit has usable registers");
}

static bool fault_pending(void *arg)
{
	return vtd_read32(arg, VTD_FSTS) & (VTD_FSTS_PPF | VTD_FSTS_PFO);
}

bool wait_for_fault(struct vtd_unit *u)
{
	return wait_until(fault_pending, u, FAULT_WAIT_US);
}

/* A single fault never overflows the records; the flag is cleared after. */
static void check_no_overflow(struct vtd_unit *u)
{
	check_eq(vtd_read32(u, VTD_FSTS) & VTD_FSTS_PFO, 0, "FSTS.PFO (fault overflow)");
	vtd_write32(u, VTD_FSTS, VTD_FSTS_PFO);
}

static void print_fault(const struct vtd_fault *f)
{
	test_note("fault record %u: reason %#x sid %02x:%02x.%x addr %#llx %s index %u",
		  f->index, f->reason, f->sid >> 8, (f->sid >> 3) & 0x1f, f->sid & 7,
		  (unsigned long long)f->addr, f->read ? "read" : "write", f->intr_index);
}

void expect_fault(struct vtd_unit *u, const struct fault_expect *e)
{
	struct vtd_fault f[MAX_FAULTS];

	wait_for_fault(u);
	unsigned n = vtd_faults_collect(u, f, MAX_FAULTS);
	for (unsigned i = 0; i < n && i < MAX_FAULTS; i++)
		print_fault(&f[i]);
	check_eq(n, 1, "fault records");
	check_no_overflow(u);
	if (!n)
		return;
	check_eq(f[0].reason, e->reason, "fault reason (FR)");
	check_eq(f[0].sid, e->sid, "source-id (SID)");
	if (e->addr != FAULT_ANY)
		check_eq(f[0].addr, e->addr, "fault address (FI)");
	if (e->read != FAULT_ANY)
		check_eq(f[0].read, e->read, "request type (T: 1 read, 0 write)");
	if (e->intr_index != FAULT_ANY)
		check_eq(f[0].intr_index, e->intr_index, "interrupt index (FI 63:48)");
}

void expect_no_fault(struct vtd_unit *u)
{
	struct vtd_fault f[MAX_FAULTS];

	udelay(1000);
	unsigned n = vtd_faults_collect(u, f, MAX_FAULTS);
	for (unsigned i = 0; i < n && i < MAX_FAULTS; i++)
		print_fault(&f[i]);
	check_eq(n, 0, "fault records");
	check_no_overflow(u);
}

void dma_env_setup(struct dma_env *env, unsigned levels)
{
	if (edu_open(&env->edu, 0))
		skip("no working edu device (QEMU: -device edu,dma_mask=0xffffffffffffffff)");
	env->u = need_unit_for(env->edu.pci);
	env->sid = vtd_sid_of(env->edu.pci);
	if (levels && !vtd_levels_supported(env->u, levels))
		skip("CAP.SAGAW %#llx lacks %u-level tables",
		     (unsigned long long)VTD_CAP_SAGAW(env->u->cap), levels);
	int err = vtd_domain_init(&env->dom, env->u, DMA_ENV_DID, levels);
	if (!err)
		err = vtd_domain_attach(&env->dom, env->edu.pci);
	if (err)
		fail_now("setting up the edu domain failed: %s", vtd_strerror(err));
}

void dma_env_enable(struct dma_env *env)
{
	if (!check_vtd(vtd_translation(env->u, true), "enabling translation (GCMD.TE)"))
		fail_now("translation did not turn on");
}

void dma_env_teardown(struct dma_env *env)
{
	check_vtd(vtd_translation(env->u, false), "disabling translation");
	check_vtd(vtd_domain_detach(&env->dom, env->edu.pci), "detaching edu");
	vtd_domain_destroy(&env->dom);
	check_vtd(vtd_unit_quiesce(env->u), "quiescing the unit");
}

void env_map(struct dma_env *env, uint64_t iova, uint64_t phys, uint64_t size, uint64_t perm)
{
	int err = vtd_domain_map(&env->dom, iova, phys, size, perm);
	if (err)
		fail_now("mapping IOVA %#llx: %s", (unsigned long long)iova,
				  vtd_strerror(err));
}

uint8_t pattern_byte(uint32_t seed, uint64_t off)
{
	uint64_t x = (off + 1) * 0x9e3779b97f4a7c15ull ^ (uint64_t)seed * 0xbf58476d1ce4e5b9ull;

	return (uint8_t)(x >> 56);
}

void buf_fill(struct dma_buf *b, uint32_t seed)
{
	uint8_t *p = b->virt;

	for (uint64_t i = 0; i < b->size; i++)
		p[i] = pattern_byte(seed, i);
}

void buf_alloc(struct dma_buf *b, unsigned pages, uint32_t seed)
{
	if (dma_alloc(b, pages * PAGE_SIZE, 1, PMM_ANY_ADDRESS))
		fail_now("out of memory for a %u-page DMA buffer", pages);
	buf_fill(b, seed);
}

void check_pattern(const struct dma_buf *b, uint64_t off, uint64_t n, uint32_t seed,
		   uint64_t poff, const char *what)
{
	const volatile uint8_t *p = b->virt;

	for (uint64_t i = 0; i < n; i++) {
		uint8_t want = pattern_byte(seed, poff + i);
		if (p[off + i] != want) {
			check(false, "%s: byte %#llx (phys %#llx): expected %#x, seen %#x", what,
			      (unsigned long long)(off + i), (unsigned long long)(b->phys + off + i),
			      want, p[off + i]);
			return;
		}
	}
}

void check_untouched(const struct dma_buf *b, uint32_t seed, const char *what)
{
	check_pattern(b, 0, b->size, seed, 0, what);
	check_canaries(b, what);
}

void check_canaries(const struct dma_buf *b, const char *what)
{
	uint64_t bad = 0;

	check(dma_canaries_intact(b, &bad), "%s: canary page changed at phys %#llx", what,
	      (unsigned long long)bad);
}

static void env_transfer(struct dma_env *env, enum edu_dma_dir dir, uint64_t iova, uint32_t n)
{
	if (edu_dma(&env->edu, dir, iova, 0, n))
		fail_now("edu %s of %u bytes at IOVA %#llx did not complete",
			 dir == EDU_DMA_READ ? "read" : "write", n, (unsigned long long)iova);
}

void env_load(struct dma_env *env, uint64_t iova, uint32_t n)
{
	env_transfer(env, EDU_DMA_READ, iova, n);
}

void env_store(struct dma_env *env, uint64_t iova, uint32_t n)
{
	env_transfer(env, EDU_DMA_WRITE, iova, n);
}

void env_open_nvme(struct dma_env *env, struct nvme *n)
{
	if (nvme_open(n, 0))
		skip("no working NVMe controller (QEMU: -device nvme)");
	if (vtd_unit_for(&n->pci->addr) != env->u) {
		nvme_close(n);
		skip("edu and the NVMe controller are under different remapping units");
	}
}

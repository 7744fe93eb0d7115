/*
 * DMA remapping: requests from the edu device translated through a domain's
 * second-level tables land exactly where the tables say, and nowhere else;
 * invalidations make table changes take effect; pass-through and disabled
 * translation behave as the spec says.
 *
 * IOVAs are chosen far from any RAM (256 GiB up), so a request that bypassed
 * translation could not land in a buffer by accident.
 */
#include "kernel/pmm.h"
#include "kernel/string.h"
#include "kernel/test.h"
#include "tests/conformance/vtd_env.h"
#include "vtd/context.h"
#include "vtd/invalidate.h"
#include "vtd/qi.h"
#include "vtd/regs.h"

#define SPEC_TRANSLATE "VT-d 4.1 \"Address Translation\"; \"Second-Stage Paging Entries\""
#define SPEC_INVALIDATE                                                                            \
	"VT-d 4.1 \"Invalidation of Translation Caches\"; \"IOTLB Registers\"; "                   \
	"\"IOTLB Invalidate Descriptor\""

#define IOVA_BASE 0x4000000000ull /* 256 GiB */
#define IOVA_SRC (IOVA_BASE + 0x100000)
#define IOVA_DST (IOVA_BASE + 0x200000)
#define XFER 512u /* bytes per transfer unless a test needs more */

enum { SEED_SRC = 0x5eed0001, SEED_DST = 0x5eed0002, SEED_DECOY = 0x5eed0003,
       SEED_OTHER = 0x5eed0004 };

/* The edu device reads XFER bytes at src_iova and writes them to dst_iova. */
static void copy(struct dma_env *env, uint64_t src_iova, uint64_t dst_iova)
{
	env_load(env, src_iova, XFER);
	env_store(env, dst_iova, XFER);
}

static void copy_through(struct dma_env *env, uint64_t dst_iova)
{
	copy(env, IOVA_SRC, dst_iova);
}

/* dst holds the source's XFER bytes at off, its own fill around them, and its
 * canaries. */
static void check_written(const struct dma_buf *dst, uint64_t off)
{
	check_pattern(dst, off, XFER, SEED_SRC, 0, "written range");
	check_pattern(dst, 0, off, SEED_DST, 0, "destination below the write");
	check_pattern(dst, off + XFER, PAGE_SIZE - off - XFER, SEED_DST, off + XFER,
		      "destination above the write");
	check_canaries(dst, "destination");
}

/* A writable destination page at IOVA_DST and a readable source at IOVA_SRC. */
static void map_src_dst(struct dma_env *env, struct dma_buf *src, struct dma_buf *dst)
{
	buf_alloc(src, 1, SEED_SRC);
	buf_alloc(dst, 1, SEED_DST);
	env_map(env, IOVA_SRC, src->phys, PAGE_SIZE, VTD_PTE_R);
	env_map(env, IOVA_DST, dst->phys, PAGE_SIZE, VTD_PTE_W);
}

/* Write: data lands at the page the leaf names, at the offset within it. */
static void dma_translate_write(void)
{
	struct dma_env env;
	struct dma_buf src, dst;
	const uint64_t off = 0x300;

	dma_env_setup(&env, 0);
	map_src_dst(&env, &src, &dst);
	dma_env_enable(&env);

	copy_through(&env, IOVA_DST + off);

	check_written(&dst, off);
	check_untouched(&src, SEED_SRC, "source");
	expect_no_fault(env.u);

	dma_env_teardown(&env);
	dma_free(&src);
	dma_free(&dst);
}

/* Read: the data comes from the page the leaf names, not from the pages mapped
 * next to it (decoys), nor from anywhere else. */
static void dma_translate_read(void)
{
	struct dma_env env;
	struct dma_buf src, dst, decoy;

	dma_env_setup(&env, 0);
	map_src_dst(&env, &src, &dst);
	buf_alloc(&decoy, 2, SEED_DECOY);
	env_map(&env, IOVA_SRC - PAGE_SIZE, decoy.phys, PAGE_SIZE, VTD_PTE_R);
	env_map(&env, IOVA_SRC + PAGE_SIZE, decoy.phys + PAGE_SIZE, PAGE_SIZE, VTD_PTE_R);
	dma_env_enable(&env);

	copy_through(&env, IOVA_DST);

	check_pattern(&dst, 0, XFER, SEED_SRC, 0, "data read through IOVA_SRC");
	check_untouched(&src, SEED_SRC, "source");
	check_untouched(&decoy, SEED_DECOY, "decoy pages");
	expect_no_fault(env.u);

	dma_env_teardown(&env);
	dma_free(&src);
	dma_free(&dst);
	dma_free(&decoy);
}

/* One transfer across an IOVA page boundary lands in two unrelated host pages,
 * mapped in the opposite order to their physical addresses. */
static void dma_cross_page(void)
{
	struct dma_env env;
	struct dma_buf src, lo, hi;
	const uint64_t part = 0x400; /* bytes on each side of the boundary */
	const uint64_t start = PAGE_SIZE - part;

	dma_env_setup(&env, 0);
	buf_alloc(&src, 1, SEED_SRC);
	buf_alloc(&lo, 1, SEED_DST);
	buf_alloc(&hi, 1, SEED_OTHER);
	env_map(&env, IOVA_SRC, src.phys, PAGE_SIZE, VTD_PTE_R);
	/* IOVA_DST -> the higher physical page, the next IOVA page -> the lower */
	struct dma_buf *first = hi.phys > lo.phys ? &hi : &lo, *second = first == &hi ? &lo : &hi;
	uint32_t first_seed = first == &hi ? SEED_OTHER : SEED_DST;
	uint32_t second_seed = first == &hi ? SEED_DST : SEED_OTHER;
	env_map(&env, IOVA_DST, first->phys, PAGE_SIZE, VTD_PTE_W);
	env_map(&env, IOVA_DST + PAGE_SIZE, second->phys, PAGE_SIZE, VTD_PTE_W);
	dma_env_enable(&env);

	env_load(&env, IOVA_SRC, 2 * part);
	env_store(&env, IOVA_DST + start, 2 * part);

	check_pattern(first, start, part, SEED_SRC, 0, "end of the first page");
	check_pattern(first, 0, start, first_seed, 0, "first page below the transfer");
	check_pattern(second, 0, part, SEED_SRC, part, "start of the second page");
	check_pattern(second, part, PAGE_SIZE - part, second_seed, part,
		      "second page above the transfer");
	check_canaries(first, "first page");
	check_canaries(second, "second page");
	expect_no_fault(env.u);

	dma_env_teardown(&env);
	dma_free(&src);
	dma_free(&lo);
	dma_free(&hi);
}

/* A superpage leaf of page_size at IOVA_BASE covers the destination buffer:
 * the leaf maps the aligned physical block around it, so the write's IOVA is
 * IOVA_BASE plus the buffer's offset in that block. */
static void superpage_write(uint64_t page_size, unsigned sllps_bit, const char *what)
{
	struct dma_env env;
	struct dma_buf src, dst;

	dma_env_setup(&env, 0);
	need_feature(VTD_CAP_SLLPS(env.u->cap) & sllps_bit, what);
	buf_alloc(&src, 1, SEED_SRC);
	buf_alloc(&dst, 1, SEED_DST);
	uint64_t block = dst.phys & ~(page_size - 1);
	check_vtd(vtd_domain_map_pages(&env.dom, IOVA_BASE, block, page_size, page_size, VTD_PTE_W),
		  "mapping the superpage");
	unsigned level;
	uint64_t *leaf = vtd_pt_entry(&env.dom.pt, IOVA_BASE, &level);
	check(leaf && (*leaf & VTD_PTE_PS), "the harness built no superpage leaf");
	env_map(&env, IOVA_SRC + VTD_PAGE_1G, src.phys, PAGE_SIZE, VTD_PTE_R);
	dma_env_enable(&env);

	copy(&env, IOVA_SRC + VTD_PAGE_1G, IOVA_BASE + (dst.phys - block));

	check_written(&dst, 0);
	expect_no_fault(env.u);

	dma_env_teardown(&env);
	dma_free(&src);
	dma_free(&dst);
}

static void dma_superpage_2m(void)
{
	superpage_write(VTD_PAGE_2M, 1, "2 MiB pages (CAP.SLLPS bit 0)");
}

static void dma_superpage_1g(void)
{
	superpage_write(VTD_PAGE_1G, 2, "1 GiB pages (CAP.SLLPS bit 1)");
}

/* A 4-level table (48-bit AGAW): the walk uses the top level's index too, so
 * the IOVA is chosen above 512 GiB. */
static void dma_four_level(void)
{
	struct dma_env env;
	struct dma_buf src, dst;
	const uint64_t high = 0x9000000000ull; /* 576 GiB: beyond a 3-level table */

	dma_env_setup(&env, 4);
	buf_alloc(&src, 1, SEED_SRC);
	buf_alloc(&dst, 1, SEED_DST);
	env_map(&env, high + IOVA_SRC, src.phys, PAGE_SIZE, VTD_PTE_R);
	env_map(&env, high + IOVA_DST, dst.phys, PAGE_SIZE, VTD_PTE_W);
	dma_env_enable(&env);

	copy(&env, high + IOVA_SRC, high + IOVA_DST);

	check_written(&dst, 0);
	expect_no_fault(env.u);

	dma_env_teardown(&env);
	dma_free(&src);
	dma_free(&dst);
}

/*
 * A write to dst's physical address that must not be translated: the
 * context's page table maps that address to another page, which must stay
 * as it was.
 */
static void untranslated_write(struct dma_env *env, bool enable, const char *table)
{
	struct dma_buf src, dst, elsewhere;

	buf_alloc(&src, 1, SEED_SRC);
	buf_alloc(&dst, 1, SEED_DST);
	buf_alloc(&elsewhere, 1, SEED_OTHER);
	env_map(env, dst.phys, elsewhere.phys, PAGE_SIZE, VTD_PTE_W);
	if (enable)
		dma_env_enable(env);
	check_eq(!!(vtd_read32(env->u, VTD_GSTS) & VTD_GCMD_TE), enable,
		 "GSTS.TES before the transfer");

	copy(env, src.phys, dst.phys);

	check_written(&dst, 0);
	check_untouched(&elsewhere, SEED_OTHER, table);
	expect_no_fault(env->u);

	dma_env_teardown(env);
	dma_free(&src);
	dma_free(&dst);
	dma_free(&elsewhere);
}

/* Pass-through (context TT = 10b): requests reach the physical address they
 * carry, translation on and a page table in the context notwithstanding. */
static void dma_passthrough(void)
{
	struct dma_env env;

	dma_env_setup(&env, 0);
	need_feature(env.u->ecap & VTD_ECAP_PT, "pass-through (ECAP.PT)");
	env.dom.tt = VTD_TT_PASSTHROUGH;
	check_vtd(vtd_domain_attach(&env.dom, env.edu.pci), "attaching edu for pass-through");
	untranslated_write(&env, true, "page the ignored table maps");
}

/* With GCMD.TE clear, requests are not translated at all, whatever the root
 * and context tables hold ("Global Command Register", TE). */
static void dma_translation_disabled_bypass(void)
{
	struct dma_env env;

	dma_env_setup(&env, 0);
	untranslated_write(&env, false, "page the context's table maps");
}

/*
 * Two devices in two domains use the same IOVA: each domain's table sends it
 * to its own page, and neither device reaches the other's. edu writes its
 * data; the NVMe controller reads LBA 0 (compared with the same read done
 * untranslated first).
 */
static void dma_domains_isolated(void)
{
	struct dma_env env;
	struct nvme n;
	struct vtd_domain other;
	struct dma_buf src, edu_page, nvme_page, ref;

	dma_env_setup(&env, 0);
	env_open_nvme(&env, &n);
	if (n.lba_size > PAGE_SIZE)
		skip("LBA size %u is larger than a page", n.lba_size);
	buf_alloc(&src, 1, SEED_SRC);
	buf_alloc(&edu_page, 1, SEED_DST);
	buf_alloc(&nvme_page, 1, SEED_OTHER);
	buf_alloc(&ref, 1, SEED_DECOY);
	uint32_t status;
	if (nvme_read(&n, 0, 1, ref.phys, &status))
		fail_now("untranslated NVMe read failed, status %#x", status);

	check_vtd(vtd_domain_init(&other, env.u, DMA_ENV_DID + 1, 0), "creating the NVMe domain");
	check_vtd(vtd_domain_map(&other, n.mem.phys, n.mem.phys, n.mem.size,
				 VTD_PTE_R | VTD_PTE_W),
		  "mapping the NVMe queues");
	check_vtd(vtd_domain_map(&other, IOVA_DST, nvme_page.phys, PAGE_SIZE, VTD_PTE_W),
		  "mapping the shared IOVA for NVMe");
	check_vtd(vtd_domain_attach(&other, n.pci), "attaching NVMe");
	env_map(&env, IOVA_SRC, src.phys, PAGE_SIZE, VTD_PTE_R);
	env_map(&env, IOVA_DST, edu_page.phys, PAGE_SIZE, VTD_PTE_W);
	dma_env_enable(&env);

	copy_through(&env, IOVA_DST);
	int err = nvme_read(&n, 0, 1, IOVA_DST, &status);

	check(!err, "translated NVMe read: %s, status %#x", nvme_strerror(err), status);
	check_pattern(&edu_page, 0, XFER, SEED_SRC, 0, "edu's page");
	check_pattern(&edu_page, XFER, PAGE_SIZE - XFER, SEED_DST, XFER, "edu's page past its data");
	check(!memcmp(nvme_page.virt, ref.virt, n.lba_size),
	      "NVMe's page does not hold LBA 0 as read untranslated");
	check_pattern(&nvme_page, n.lba_size, PAGE_SIZE - n.lba_size, SEED_OTHER, n.lba_size,
		      "NVMe's page past its data");
	check_canaries(&edu_page, "edu's page");
	check_canaries(&nvme_page, "NVMe's page");
	check_untouched(&src, SEED_SRC, "edu's source");
	expect_no_fault(env.u);

	check_vtd(vtd_translation(env.u, false), "disabling translation");
	nvme_close(&n);
	check_vtd(vtd_domain_detach(&other, n.pci), "detaching NVMe");
	vtd_domain_destroy(&other);
	dma_env_teardown(&env);
	dma_free(&src);
	dma_free(&edu_page);
	dma_free(&nvme_page);
	dma_free(&ref);
}

/* --- invalidation, per interface and granularity --- */

struct inval_way {
	bool queued;
	enum vtd_gran gran;
	unsigned am; /* page-selective: address mask, 2^am pages from IOVA_DST */
};

/* The page the test changes: the last of the 2^am the invalidation covers, so
 * a unit that ignored the mask and took only the base address would miss it. */
static uint64_t changed_iova(const struct inval_way *w)
{
	return IOVA_DST + ((1ull << w->am) - 1) * PAGE_SIZE;
}

static void use_interface(struct dma_env *env, bool queued)
{
	if (!queued)
		return;
	need_feature(env->u->ecap & VTD_ECAP_QI, "queued invalidation (ECAP.QI)");
	if (!check_vtd(vtd_qi_enable(env->u), "enabling queued invalidation"))
		fail_now("queued invalidation did not turn on");
}

/* Invalidates the IOTLB entry for IOVA_DST the given way; register-based
 * invalidation reports the granularity done, which may be coarser, never finer. */
static void invalidate_dst(struct dma_env *env, const struct inval_way *w)
{
	if (w->gran == VTD_GRAN_PAGE)
		need_feature(env->u->cap & VTD_CAP_PSI, "page-selective invalidation (CAP.PSI)");
	if (w->am)
		need_feature(VTD_CAP_MAMV(env->u->cap) >= w->am, "the address mask (CAP.MAMV)");
	int done = vtd_inval_iotlb(env->u, w->gran, env->dom.did, IOVA_DST, w->am, false);
	if (done < 0)
		fail_now("IOTLB invalidation: %s", vtd_strerror(done));
	check(done <= (int)w->gran, "the unit reported granularity %d, finer than the %d asked for",
	      done, w->gran);
	if (done != (int)w->gran)
		test_note("asked for IOTLB granularity %d, the unit performed %d", w->gran, done);
}

/* A readable source at IOVA_SRC, the destination page at the IOVA the test
 * changes, and one write there so the IOTLB may hold it. */
static void prime(struct dma_env *env, const struct inval_way *w, struct dma_buf *src,
		  struct dma_buf *dst)
{
	buf_alloc(src, 1, SEED_SRC);
	buf_alloc(dst, 1, SEED_DST);
	env_map(env, IOVA_SRC, src->phys, PAGE_SIZE, VTD_PTE_R);
	env_map(env, changed_iova(w), dst->phys, PAGE_SIZE, VTD_PTE_W);
	dma_env_enable(env);
	copy_through(env, changed_iova(w));
	check_pattern(dst, 0, XFER, SEED_SRC, 0, "write while mapped");
	buf_fill(dst, SEED_DST);
}

/* After unmapping and invalidating, the device's write must fault, not land. */
static void unmap_invalidate_blocks(const struct inval_way *w)
{
	struct dma_env env;
	struct dma_buf src, dst;
	uint64_t iova = changed_iova(w);

	dma_env_setup(&env, 0);
	use_interface(&env, w->queued);
	prime(&env, w, &src, &dst);

	check_vtd(vtd_pt_unmap(&env.dom.pt, iova, PAGE_SIZE), "clearing the leaf");
	invalidate_dst(&env, w);
	env_store(&env, iova, XFER);

	check_untouched(&dst, SEED_DST, "unmapped destination");
	expect_fault(env.u, &(struct fault_expect){.reason = VTD_FR_WRITE, .sid = env.sid,
						   .addr = (int64_t)iova, .read = 0,
						   .intr_index = FAULT_ANY});
	dma_env_teardown(&env);
	dma_free(&src);
	dma_free(&dst);
}

/* After pointing the leaf at another page and invalidating, the write lands
 * in the new page and the old one stays as it was. */
static void remap_invalidate_moves(const struct inval_way *w)
{
	struct dma_env env;
	struct dma_buf src, dst, moved;
	uint64_t iova = changed_iova(w);

	dma_env_setup(&env, 0);
	use_interface(&env, w->queued);
	buf_alloc(&moved, 1, SEED_OTHER);
	prime(&env, w, &src, &dst);

	check_vtd(vtd_pt_map(&env.dom.pt, iova, moved.phys, PAGE_SIZE, VTD_PAGE_4K, VTD_PTE_W),
		  "pointing the leaf at the new page");
	invalidate_dst(&env, w);
	env_store(&env, iova, XFER);

	check_pattern(&moved, 0, XFER, SEED_SRC, 0, "new page");
	check_canaries(&moved, "new page");
	check_untouched(&dst, SEED_DST, "old page");
	expect_no_fault(env.u);
	dma_env_teardown(&env);
	dma_free(&src);
	dma_free(&dst);
	dma_free(&moved);
}

/* Invalidates edu's context-cache entry the given way (device-selective names
 * the old domain and edu's source-id), then the old domain's IOTLB entries. */
static void invalidate_context(struct dma_env *env, const struct inval_way *w)
{
	int done = vtd_inval_context(env->u, w->gran, env->dom.did, env->sid, 0);
	if (done < 0)
		fail_now("context-cache invalidation: %s", vtd_strerror(done));
	check(done <= (int)w->gran,
	      "the unit reported context granularity %d, finer than the %d asked for", done,
	      w->gran);
	if (done != (int)w->gran)
		test_note("asked for context granularity %d, the unit performed %d", w->gran, done);
	done = vtd_inval_iotlb(env->u, VTD_GRAN_DOMAIN, env->dom.did, 0, 0, false);
	if (done < 0)
		fail_now("IOTLB invalidation: %s", vtd_strerror(done));
}

/* After edu's context entry is pointed at another domain and the context
 * cache invalidated, its write goes through the new domain's table. */
static void context_invalidate_moves(const struct inval_way *w)
{
	struct dma_env env;
	struct vtd_domain next;
	struct dma_buf src, dst, moved;

	dma_env_setup(&env, 0);
	use_interface(&env, w->queued);
	map_src_dst(&env, &src, &dst);
	buf_alloc(&moved, 1, SEED_OTHER);
	check_vtd(vtd_domain_init(&next, env.u, DMA_ENV_DID + 1, env.dom.pt.levels),
		  "creating the second domain");
	check_vtd(vtd_domain_map(&next, IOVA_DST, moved.phys, PAGE_SIZE, VTD_PTE_W),
		  "mapping IOVA_DST in the second domain");
	dma_env_enable(&env);
	copy_through(&env, IOVA_DST); /* the context cache now holds the first domain */
	check_pattern(&dst, 0, XFER, SEED_SRC, 0, "write through the first domain");
	buf_fill(&dst, SEED_DST);

	check_vtd(vtd_context_set(env.u, env.sid,
				  vtd_context_entry(next.pt.root, VTD_TT_UNTRANSLATED,
						    vtd_pt_aw(next.pt.levels), next.did)),
		  "pointing edu's context entry at the second domain");
	invalidate_context(&env, w);
	env_store(&env, IOVA_DST, XFER);

	check_pattern(&moved, 0, XFER, SEED_SRC, 0, "second domain's page");
	check_canaries(&moved, "second domain's page");
	check_untouched(&dst, SEED_DST, "first domain's page");
	expect_no_fault(env.u);
	check_vtd(vtd_translation(env.u, false), "disabling translation");
	vtd_context_set(env.u, env.sid,
			vtd_context_entry(env.dom.pt.root, VTD_TT_UNTRANSLATED,
					  vtd_pt_aw(env.dom.pt.levels), env.dom.did));
	vtd_domain_destroy(&next);
	dma_env_teardown(&env);
	dma_free(&src);
	dma_free(&dst);
	dma_free(&moved);
}

#define CONTEXT_VARIANTS(X)                                                                        \
	X(reg_global, false, VTD_GRAN_GLOBAL)                                                       \
	X(reg_domain, false, VTD_GRAN_DOMAIN)                                                       \
	X(reg_device, false, VTD_GRAN_DEVICE)                                                       \
	X(qi_global, true, VTD_GRAN_GLOBAL)                                                         \
	X(qi_domain, true, VTD_GRAN_DOMAIN)                                                         \
	X(qi_device, true, VTD_GRAN_DEVICE)

#define CONTEXT_FUNC(way, queued, gran)                                                            \
	static void dma_context_##way(void)                                                        \
	{                                                                                          \
		context_invalidate_moves(&(struct inval_way){queued, gran, 0});                       \
	}
CONTEXT_VARIANTS(CONTEXT_FUNC)

#define CONTEXT_ENTRY(way, queued, gran)                                                           \
	{                                                                                          \
		.name = "dma.context_invalidate_moves." #way, .run = dma_context_##way,              \
		.confirms = "after edu's context entry is repointed and the context cache "         \
			    "invalidated (" #way "), its write uses the new domain",               \
		.spec = "VT-d 4.1 \"Invalidation of Translation Caches\"; \"Context Command "       \
			"Register\"; \"Context-cache Invalidate Descriptor\"",                        \
	},

#define INVAL_VARIANTS(X)                                                                          \
	X(reg_global, false, VTD_GRAN_GLOBAL, 0)                                                    \
	X(reg_domain, false, VTD_GRAN_DOMAIN, 0)                                                    \
	X(reg_page, false, VTD_GRAN_PAGE, 0)                                                        \
	X(reg_page_mask, false, VTD_GRAN_PAGE, 2)                                                   \
	X(qi_global, true, VTD_GRAN_GLOBAL, 0)                                                      \
	X(qi_domain, true, VTD_GRAN_DOMAIN, 0)                                                      \
	X(qi_page, true, VTD_GRAN_PAGE, 0)                                                          \
	X(qi_page_mask, true, VTD_GRAN_PAGE, 2)

#define INVAL_FUNCS(way, queued, gran, am)                                                            \
	static void dma_unmap_##way(void)                                                         \
	{                                                                                          \
		unmap_invalidate_blocks(&(struct inval_way){queued, gran, am});                        \
	}                                                                                          \
	static void dma_remap_##way(void)                                                         \
	{                                                                                          \
		remap_invalidate_moves(&(struct inval_way){queued, gran, am});                         \
	}
INVAL_VARIANTS(INVAL_FUNCS)

#define UNMAP_ENTRY(way, queued, gran, am)                                                            \
	{                                                                                          \
		.name = "dma.unmap_invalidate_blocks." #way, .run = dma_unmap_##way,               \
		.confirms = "after a leaf is cleared and the IOTLB invalidated (" #way "), "       \
			    "the write faults and memory is untouched",                            \
		.spec = SPEC_INVALIDATE,                                                           \
	},
#define REMAP_ENTRY(way, queued, gran, am)                                                            \
	{                                                                                          \
		.name = "dma.remap_invalidate_moves." #way, .run = dma_remap_##way,                \
		.confirms = "after a leaf is repointed and the IOTLB invalidated (" #way "), "     \
			    "the write lands in the new page only",                                \
		.spec = SPEC_INVALIDATE,                                                           \
	},

static const struct test dma_tests[] = {
	{
		.name = "dma.translate_write",
		.run = dma_translate_write,
		.confirms = "a device write to an IOVA lands at the page and offset the leaf names",
		.spec = SPEC_TRANSLATE,
	},
	{
		.name = "dma.translate_read",
		.run = dma_translate_read,
		.confirms = "a device read of an IOVA returns the leaf's page, not its neighbours",
		.spec = SPEC_TRANSLATE,
	},
	{
		.name = "dma.cross_page",
		.run = dma_cross_page,
		.confirms = "one transfer across an IOVA page boundary splits over two host pages",
		.spec = SPEC_TRANSLATE,
	},
	{
		.name = "dma.superpage_2m",
		.run = dma_superpage_2m,
		.confirms = "a 2 MiB leaf (PS=1 at level 2) translates a write",
		.spec = SPEC_TRANSLATE "; \"Capability Register\" SLLPS",
	},
	{
		.name = "dma.superpage_1g",
		.run = dma_superpage_1g,
		.confirms = "a 1 GiB leaf (PS=1 at level 3) translates a write",
		.spec = SPEC_TRANSLATE "; \"Capability Register\" SLLPS",
	},
	{
		.name = "dma.four_level",
		.run = dma_four_level,
		.confirms = "a 4-level table (context AW=010b) translates an IOVA above 512 GiB",
		.spec = SPEC_TRANSLATE "; \"Context Entry\" AW; \"Capability Register\" SAGAW",
	},
	{
		.name = "dma.passthrough",
		.run = dma_passthrough,
		.confirms = "context TT=10b passes requests through untranslated",
		.spec = "VT-d 4.1 \"Context Entry\" TT; \"Extended Capability Register\" PT",
	},
	{
		.name = "dma.translation_disabled_bypass",
		.run = dma_translation_disabled_bypass,
		.confirms = "with GCMD.TE clear, requests are not translated",
		.spec = "VT-d 4.1 \"Global Command Register\" TE",
	},
	{
		.name = "dma.domains_isolated",
		.run = dma_domains_isolated,
		.confirms = "edu and NVMe in two domains reach different pages through one IOVA",
		.spec = SPEC_TRANSLATE "; \"Context Entry\" DID",
	},
	INVAL_VARIANTS(UNMAP_ENTRY)
	INVAL_VARIANTS(REMAP_ENTRY)
	CONTEXT_VARIANTS(CONTEXT_ENTRY)
};

TEST_SUITE(dma_suite, "dma", dma_tests);

/*
 * The VT-d formats the harness builds in memory, against layouts computed by
 * hand from the VT-d spec (rev 4.1): second-level page tables (vtd/pagetable.c;
 * "Second-Stage Paging Entries"), root and context entries ("Root Entry",
 * "Context Entry"), the queued-invalidation descriptors ("Context-cache
 * Invalidate Descriptor", "IOTLB Invalidate Descriptor", "Interrupt Entry
 * Cache Invalidate Descriptor", "Invalidation Wait Descriptor") and the fault
 * recording registers ("Fault Recording Registers [n]"). The same bits are
 * spelled out in Linux drivers/iommu/intel/iommu.h (DMA_PTE_*, QI_*, context_
 * set_*, dma_frcd_*) and QEMU hw/i386/intel_iommu_internal.h (VTD_INV_DESC_*).
 *
 * RAM is identity-mapped in the kernel, so on the host a table's "physical"
 * address is simply the address of a 4 KiB aligned_alloc() page.
 */
#include <stdlib.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "vtd/context.h"
#include "vtd/fault.h"
#include "vtd/pagetable.h"
#include "vtd/qi.h"
#include "vtd/unit.h"

#define KIB 1024ull
#define MIB (1024 * KIB)
#define GIB (1024 * MIB)
#define RW  (VTD_PTE_R | VTD_PTE_W)

/* ---- table allocator that counts and checks ---- */

#define MAX_TABLES  64
#define MAX_FLUSHES 256

struct tables {
	uint64_t live[MAX_TABLES];     /* allocated, not yet freed (0: free slot) */
	unsigned allocs, frees, limit; /* limit: allocations allowed before ENOMEM */
	unsigned bad_frees;            /* frees of something not allocated here */
	struct {
		const uint8_t *p;
		size_t len;
	} flush[MAX_FLUSHES];
	unsigned flushes;
};

static uint64_t t_alloc(void *ctx)
{
	struct tables *t = ctx;

	if (t->allocs >= t->limit)
		return 0;
	void *p = aligned_alloc(4096, 4096);
	if (!p)
		return 0;
	memset(p, 0, 4096);
	for (unsigned i = 0; i < MAX_TABLES; i++) {
		if (!t->live[i]) {
			t->live[i] = (uint64_t)(uintptr_t)p;
			t->allocs++;
			return t->live[i];
		}
	}
	free(p);
	unit_fail(__FILE__, __LINE__, "more than %d tables", MAX_TABLES);
	return 0;
}

static void t_free(void *ctx, uint64_t phys)
{
	struct tables *t = ctx;

	for (unsigned i = 0; i < MAX_TABLES; i++) {
		if (t->live[i] == phys) {
			t->live[i] = 0;
			t->frees++;
			free((void *)(uintptr_t)phys);
			return;
		}
	}
	t->bad_frees++;
}

static void t_flush(void *ctx, const void *p, size_t len)
{
	struct tables *t = ctx;

	if (t->flushes < MAX_FLUSHES) {
		t->flush[t->flushes].p = p;
		t->flush[t->flushes].len = len;
	}
	t->flushes++;
}

/* The index of the last flush covering [p, p+len), or -1 */
static int flushed_at(const struct tables *t, const void *p, size_t len)
{
	const uint8_t *b = p;
	int last = -1;

	for (unsigned i = 0; i < t->flushes && i < MAX_FLUSHES; i++)
		if (b >= t->flush[i].p && b + len <= t->flush[i].p + t->flush[i].len)
			last = (int)i;
	return last;
}

struct pt_env {
	struct tables t;
	struct vtd_pt_ops ops;
	struct vtd_pt pt;
};

static void env_init(struct pt_env *e, unsigned levels)
{
	memset(e, 0, sizeof(*e));
	e->t.limit = MAX_TABLES;
	e->ops = (struct vtd_pt_ops){ t_alloc, t_free, t_flush, &e->t };
	CHECK_EQ(0, vtd_pt_init(&e->pt, levels, &e->ops));
}

/* Destroys the tables and checks every one was freed, once. */
static void env_done(struct pt_env *e)
{
	vtd_pt_destroy(&e->pt);
	CHECK_EQ(0, e->pt.root);
	CHECK_EQ(e->t.allocs, e->t.frees);
	CHECK_EQ(0, e->t.bad_frees);
	for (unsigned i = 0; i < MAX_TABLES; i++) {
		if (e->t.live[i]) {
			free((void *)(uintptr_t)e->t.live[i]);
			e->t.live[i] = 0;
		}
	}
}

static uint64_t *tbl(uint64_t phys)
{
	return (uint64_t *)(uintptr_t)phys;
}

/* Bits 8:0 of the IOVA's index into the table at `level` (level 1 = 4 KiB leaves):
 * bits 20:12, 29:21, 38:30, 47:39, 56:48 */
static unsigned idx(uint64_t iova, unsigned level)
{
	return (iova >> (12 + 9 * (level - 1))) & 511;
}

static unsigned nonzero_entries(uint64_t table)
{
	unsigned n = 0;

	for (unsigned i = 0; i < 512; i++)
		n += tbl(table)[i] != 0;
	return n;
}

/*
 * Walks as the unit does, from the root down to `leaf_level`, checking that
 * every non-leaf entry on the way is exactly next-table | R | W (no PS, no other
 * bit); returns the leaf entry's address. walk() also checks that each entry
 * is the only one of its table, which holds when one mapping was made.
 */
static uint64_t *walk_tables(const struct vtd_pt *pt, uint64_t iova, unsigned leaf_level, bool sole)
{
	uint64_t table = pt->root;

	for (unsigned l = pt->levels; l > leaf_level; l--) {
		uint64_t e = tbl(table)[idx(iova, l)];
		CHECK_EQ(RW, e & ~VTD_PTE_ADDR);
		if (sole)
			CHECK_EQ(1, nonzero_entries(table));
		if (!(e & VTD_PTE_ADDR))
			return NULL;
		table = e & VTD_PTE_ADDR;
	}
	return &tbl(table)[idx(iova, leaf_level)];
}

static uint64_t *walk(const struct vtd_pt *pt, uint64_t iova, unsigned leaf_level)
{
	return walk_tables(pt, iova, leaf_level, true);
}

/* ---- page tables ---- */

/* Level counts, the address width each translates, its context-entry AW
 * encoding ("Context Entry" AW: 001 39-bit, 010 48-bit, 011 57-bit), and the
 * leaf level of each page size. */
static void pt_widths_and_levels(void)
{
	CHECK_EQ(39, vtd_pt_width(3));
	CHECK_EQ(48, vtd_pt_width(4));
	CHECK_EQ(57, vtd_pt_width(5));
	CHECK_EQ(1, vtd_pt_aw(3));
	CHECK_EQ(2, vtd_pt_aw(4));
	CHECK_EQ(3, vtd_pt_aw(5));
	CHECK_EQ(1, vtd_pt_leaf_level(4 * KIB));
	CHECK_EQ(2, vtd_pt_leaf_level(2 * MIB));
	CHECK_EQ(3, vtd_pt_leaf_level(1 * GIB));
	CHECK_EQ(0, vtd_pt_leaf_level(0));
	CHECK_EQ(0, vtd_pt_leaf_level(8 * KIB));
	CHECK_EQ(0, vtd_pt_leaf_level(512 * GIB)); /* PS is reserved at level 4 */
	/* R bit 0, W bit 1, PS bit 7, address 51:12 */
	CHECK_EQ(0x1, VTD_PTE_R);
	CHECK_EQ(0x2, VTD_PTE_W);
	CHECK_EQ(0x80, VTD_PTE_PS);
	CHECK_EQ(0x000ffffffffff000ull, VTD_PTE_ADDR);
}

/* Only 3, 4 or 5 levels exist; init allocates one zeroed root table. */
static void pt_init_levels(void)
{
	struct pt_env e;

	for (unsigned levels = 3; levels <= 5; levels++) {
		env_init(&e, levels);
		CHECK_EQ(levels, e.pt.levels);
		CHECK_EQ(1, e.t.allocs);
		CHECK(e.pt.root != 0);
		CHECK_EQ(0, e.pt.root & 0xfff);
		CHECK_EQ(0, nonzero_entries(e.pt.root));
		CHECK(flushed_at(&e.t, tbl(e.pt.root), 4096) >= 0);
		env_done(&e);
	}
	unsigned bad[] = { 0, 1, 2, 6 };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&e, 0, sizeof(e));
		e.t.limit = MAX_TABLES;
		e.ops = (struct vtd_pt_ops){ t_alloc, t_free, t_flush, &e.t };
		CHECK_EQ(-VTD_EINVAL, vtd_pt_init(&e.pt, bad[i], &e.ops));
		CHECK_EQ(0, e.t.allocs);
	}
	memset(&e, 0, sizeof(e));
	e.ops = (struct vtd_pt_ops){ t_alloc, t_free, t_flush, &e.t }; /* limit 0 */
	CHECK_EQ(-VTD_ENOMEM, vtd_pt_init(&e.pt, 3, &e.ops));
}

/*
 * A 4 KiB page in 3-level tables: IOVA 0x695872f000 has index 0x1a5 in the
 * root (bits 38:30), 0x0c3 at level 2 (29:21) and 0x12f at level 1 (20:12).
 */
static void pt_walk_3_level(void)
{
	const uint64_t iova = 0x1a5ull << 30 | 0x0c3ull << 21 | 0x12full << 12;
	const uint64_t phys = 0x000abcdef0123000ull; /* bits 51:12 all usable */
	struct pt_env e;

	CHECK_EQ(0x695872f000ull, iova);
	env_init(&e, 3);
	CHECK_EQ(0, vtd_pt_map(&e.pt, iova, phys, 4 * KIB, 4 * KIB, RW));
	CHECK_EQ(3, e.t.allocs);
	uint64_t *leaf = walk(&e.pt, iova, 1);
	CHECK(leaf != NULL);
	if (leaf) {
		CHECK_EQ(phys | RW, *leaf); /* no PS in a 4 KiB leaf */
		CHECK_EQ(0x12f, (unsigned)(leaf - (uint64_t *)((uintptr_t)leaf & ~0xfffull)));
	}
	unsigned level = 0;
	CHECK(vtd_pt_entry(&e.pt, iova, &level) == leaf);
	CHECK_EQ(1, level);
	CHECK(vtd_pt_entry(&e.pt, iova + 0xfff, &level) == leaf);
	env_done(&e);
}

/* 4 levels: IOVA 0x78ffc0300000, index 0x0f1 at level 4 (47:39) too. */
static void pt_walk_4_level(void)
{
	const uint64_t iova = 0x0f1ull << 39 | 0x1ffull << 30 | 0x001ull << 21 | 0x100ull << 12;
	struct pt_env e;

	env_init(&e, 4);
	CHECK_EQ(0, vtd_pt_map(&e.pt, iova, 0x5000, 4 * KIB, 4 * KIB, RW));
	CHECK_EQ(4, e.t.allocs);
	CHECK(tbl(e.pt.root)[0x0f1] & RW);
	uint64_t *leaf = walk(&e.pt, iova, 1);
	CHECK(leaf && *leaf == (0x5000 | RW));
	unsigned level = 0;
	CHECK(vtd_pt_entry(&e.pt, iova, &level) == leaf);
	CHECK_EQ(1, level);
	env_done(&e);
}

/* 5 levels: index 0x155 at level 5 (56:48), the top IOVA bit included. */
static void pt_walk_5_level(void)
{
	const uint64_t iova =
		0x155ull << 48 | 0x0aaull << 39 | 0x003ull << 30 | 0x1feull << 21 | 0x0ffull << 12;
	struct pt_env e;

	CHECK_EQ(0x01555500ffcff000ull, iova);
	env_init(&e, 5);
	CHECK_EQ(0, vtd_pt_map(&e.pt, iova, 0x7000, 4 * KIB, 4 * KIB, VTD_PTE_W));
	CHECK_EQ(5, e.t.allocs);
	CHECK(tbl(e.pt.root)[0x155] & RW);
	uint64_t *leaf = walk(&e.pt, iova, 1);
	CHECK(leaf && *leaf == (0x7000 | VTD_PTE_W));
	env_done(&e);
}

/* The leaf carries exactly the permission asked for; every non-leaf entry is
 * R|W whatever the leaf says, since the unit ANDs permissions down the walk. */
static void pt_leaf_permissions(void)
{
	const uint64_t perms[] = { VTD_PTE_R, VTD_PTE_W, RW };
	struct pt_env e;

	for (unsigned i = 0; i < 3; i++) {
		env_init(&e, 4);
		CHECK_EQ(0, vtd_pt_map(&e.pt, 0x200000, 0x300000, 4 * KIB, 4 * KIB, perms[i]));
		uint64_t *leaf = walk(&e.pt, 0x200000, 1); /* checks the non-leaf R|W */
		CHECK(leaf && *leaf == (0x300000 | perms[i]));
		env_done(&e);
	}
	/* Neither: a not-present leaf (R=W=0) that still holds the address */
	env_init(&e, 3);
	CHECK_EQ(0, vtd_pt_map(&e.pt, 0x200000, 0x300000, 4 * KIB, 4 * KIB, 0));
	uint64_t *leaf = walk(&e.pt, 0x200000, 1);
	CHECK(leaf && *leaf == 0x300000);
	/* Any other bit is not a permission: PS, X (bit 2), SNP (bit 11), bit 62 */
	const uint64_t bad[] = { VTD_PTE_PS, 1ull << 2, 1ull << 11, 1ull << 62, 1ull << 63 };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_EQ(-VTD_EINVAL,
			 vtd_pt_map(&e.pt, 0x400000, 0x300000, 4 * KIB, 4 * KIB, RW | bad[i]));
	CHECK_EQ(3, e.t.allocs);
	env_done(&e);
}

/* A 2 MiB page is a level-2 entry with PS; addresses inside it find that entry. */
static void pt_superpage_2m(void)
{
	const uint64_t iova = 0x1ull << 30 | 0x1a3ull << 21;
	struct pt_env e;

	env_init(&e, 3);
	CHECK_EQ(0, vtd_pt_map(&e.pt, iova, 0x80200000, 2 * MIB, 2 * MIB, VTD_PTE_R));
	CHECK_EQ(2, e.t.allocs);
	uint64_t *leaf = walk(&e.pt, iova, 2);
	CHECK(leaf && *leaf == (0x80200000 | VTD_PTE_PS | VTD_PTE_R));
	unsigned level = 0;
	CHECK(vtd_pt_entry(&e.pt, iova + 0x1ff123, &level) == leaf);
	CHECK_EQ(2, level);
	env_done(&e);
}

/* A 1 GiB page is a level-3 entry with PS: in the root of 3-level tables, one
 * level down in 4-level ones. */
static void pt_superpage_1g(void)
{
	struct pt_env e;

	env_init(&e, 3);
	CHECK_EQ(0, vtd_pt_map(&e.pt, 5 * GIB, 64 * GIB, 1 * GIB, 1 * GIB, RW));
	CHECK_EQ(1, e.t.allocs);
	CHECK_EQ(64 * GIB | VTD_PTE_PS | RW, tbl(e.pt.root)[5]);
	CHECK_EQ(1, nonzero_entries(e.pt.root));
	env_done(&e);

	env_init(&e, 4);
	const uint64_t iova = 0x1ull << 39 | 0x07ull << 30;
	CHECK_EQ(0, vtd_pt_map(&e.pt, iova, 3 * GIB, 1 * GIB, 1 * GIB, VTD_PTE_W));
	CHECK_EQ(2, e.t.allocs);
	uint64_t *leaf = walk(&e.pt, iova, 3);
	CHECK(leaf && *leaf == (3 * GIB | VTD_PTE_PS | VTD_PTE_W));
	unsigned level = 0;
	CHECK(vtd_pt_entry(&e.pt, iova + 0x3fffffff, &level) == leaf);
	CHECK_EQ(3, level);
	env_done(&e);
}

/* A superpage in the way of a smaller mapping is refused and left alone. */
static void pt_superpage_in_the_way(void)
{
	struct pt_env e;

	env_init(&e, 4);
	CHECK_EQ(0, vtd_pt_map(&e.pt, 2 * MIB, 4 * MIB, 2 * MIB, 2 * MIB, RW));
	CHECK_EQ(0, vtd_pt_map(&e.pt, 1 * GIB, 8 * GIB, 1 * GIB, 1 * GIB, RW));
	unsigned allocs = e.t.allocs;
	CHECK_EQ(-VTD_EINVAL, vtd_pt_map(&e.pt, 2 * MIB + 4 * KIB, 0, 4 * KIB, 4 * KIB, RW));
	CHECK_EQ(-VTD_EINVAL, vtd_pt_map(&e.pt, 1 * GIB + 2 * MIB, 0, 2 * MIB, 2 * MIB, RW));
	CHECK_EQ(-VTD_EINVAL, vtd_pt_map(&e.pt, 1 * GIB + 4 * KIB, 0, 4 * KIB, 4 * KIB, RW));
	CHECK_EQ(allocs, e.t.allocs);
	uint64_t *leaf = walk_tables(&e.pt, 2 * MIB, 2, false);
	CHECK(leaf && *leaf == (4 * MIB | VTD_PTE_PS | RW));
	unsigned level = 0;
	uint64_t *big = vtd_pt_entry(&e.pt, 1 * GIB, &level);
	CHECK(big && *big == (8 * GIB | VTD_PTE_PS | RW));
	CHECK_EQ(3, level);
	env_done(&e);
}

/* A table of smaller pages in the way of a superpage is refused too (mapping
 * over it would lose the table). */
static void pt_table_in_the_way(void)
{
	struct pt_env e;

	env_init(&e, 3);
	CHECK_EQ(0, vtd_pt_map(&e.pt, 2 * MIB + 8 * KIB, 0x9000, 4 * KIB, 4 * KIB, RW));
	CHECK_EQ(-VTD_EINVAL, vtd_pt_map(&e.pt, 2 * MIB, 4 * MIB, 2 * MIB, 2 * MIB, RW));
	CHECK_EQ(-VTD_EINVAL, vtd_pt_map(&e.pt, 0, 0, 1 * GIB, 1 * GIB, RW));
	uint64_t *leaf = walk(&e.pt, 2 * MIB + 8 * KIB, 1);
	CHECK(leaf && *leaf == (0x9000 | RW));
	env_done(&e);
}

/* Mapping a mapped page again replaces the leaf, with no new table. */
static void pt_replace_leaf(void)
{
	struct pt_env e;

	env_init(&e, 3);
	CHECK_EQ(0, vtd_pt_map(&e.pt, 0x10000, 0xa000, 4 * KIB, 4 * KIB, RW));
	CHECK_EQ(0, vtd_pt_map(&e.pt, 0x10000, 0xb000, 4 * KIB, 4 * KIB, VTD_PTE_R));
	CHECK_EQ(3, e.t.allocs);
	uint64_t *leaf = walk(&e.pt, 0x10000, 1);
	CHECK(leaf && *leaf == (0xb000 | VTD_PTE_R));
	/* and a superpage leaf by another superpage */
	CHECK_EQ(0, vtd_pt_map(&e.pt, 4 * MIB, 6 * MIB, 2 * MIB, 2 * MIB, RW));
	CHECK_EQ(0, vtd_pt_map(&e.pt, 4 * MIB, 8 * MIB, 2 * MIB, 2 * MIB, VTD_PTE_W));
	unsigned level = 0;
	uint64_t *big = vtd_pt_entry(&e.pt, 4 * MIB, &level);
	CHECK(big && *big == (8 * MIB | VTD_PTE_PS | VTD_PTE_W));
	env_done(&e);
}

/* IOVA, address and size must all be multiples of the page size, which must be
 * 4 KiB, 2 MiB or 1 GiB; nothing is allocated for a refused request. */
static void pt_unaligned_rejected(void)
{
	struct pt_env e;

	env_init(&e, 4);
	CHECK_EQ(-VTD_EINVAL, vtd_pt_map(&e.pt, 0x1001, 0x1000, 4 * KIB, 4 * KIB, RW));
	CHECK_EQ(-VTD_EINVAL, vtd_pt_map(&e.pt, 0x1000, 0x1800, 4 * KIB, 4 * KIB, RW));
	CHECK_EQ(-VTD_EINVAL, vtd_pt_map(&e.pt, 0x1000, 0x1000, 6 * KIB, 4 * KIB, RW));
	CHECK_EQ(-VTD_EINVAL, vtd_pt_map(&e.pt, 4 * KIB, 0, 2 * MIB, 2 * MIB, RW));
	CHECK_EQ(-VTD_EINVAL, vtd_pt_map(&e.pt, 0, 1 * MIB, 2 * MIB, 2 * MIB, RW));
	CHECK_EQ(-VTD_EINVAL, vtd_pt_map(&e.pt, 0, 0, 3 * MIB, 2 * MIB, RW));
	CHECK_EQ(-VTD_EINVAL, vtd_pt_map(&e.pt, 2 * MIB, 0, 1 * GIB, 1 * GIB, RW));
	CHECK_EQ(-VTD_EINVAL, vtd_pt_map(&e.pt, 0, 2 * MIB, 1 * GIB, 1 * GIB, RW));
	CHECK_EQ(-VTD_EINVAL, vtd_pt_map(&e.pt, 0, 0, 16 * KIB, 8 * KIB, RW));
	CHECK_EQ(-VTD_EINVAL, vtd_pt_map(&e.pt, 0, 0, 4 * KIB, 0, RW));
	CHECK_EQ(-VTD_EINVAL, vtd_pt_map(&e.pt, 0, 0, 512 * GIB, 512 * GIB, RW));
	CHECK_EQ(1, e.t.allocs);
	CHECK_EQ(0, nonzero_entries(e.pt.root));
	env_done(&e);
}

/* Nothing at or beyond 2^width can be mapped, and the walk finds no entry there. */
static void pt_beyond_width_rejected(void)
{
	struct pt_env e;

	for (unsigned levels = 3; levels <= 5; levels++) {
		uint64_t top = 1ull << vtd_pt_width(levels);
		unsigned level = 0;
		env_init(&e, levels);
		CHECK_EQ(-VTD_EINVAL, vtd_pt_map(&e.pt, top, 0, 4 * KIB, 4 * KIB, RW));
		CHECK_EQ(-VTD_EINVAL, vtd_pt_map(&e.pt, top - 4 * KIB, 0, 8 * KIB, 4 * KIB, RW));
		CHECK_EQ(-VTD_EINVAL, vtd_pt_map(&e.pt, top - 2 * MIB, 0, 1 * GIB, 2 * MIB, RW));
		/* an IOVA + size that wraps around 2^64 */
		CHECK_EQ(-VTD_EINVAL, vtd_pt_map(&e.pt, ~0xfffull, 0, 8 * KIB, 4 * KIB, RW));
		CHECK_EQ(1, e.t.allocs);
		CHECK(vtd_pt_entry(&e.pt, top, &level) == NULL);
		CHECK(vtd_pt_entry(&e.pt, ~0ull, &level) == NULL);
		/* the last page below 2^width is fine, in the last entry of every table */
		CHECK_EQ(0, vtd_pt_map(&e.pt, top - 4 * KIB, 0x4000, 4 * KIB, 4 * KIB, RW));
		CHECK_EQ(levels, e.t.allocs);
		CHECK(tbl(e.pt.root)[511] & RW);
		uint64_t *leaf = walk(&e.pt, top - 4 * KIB, 1);
		CHECK(leaf && *leaf == (0x4000 | RW));
		env_done(&e);
	}
}

/*
 * The address field is bits 51:12 of an entry; 61:52 are ignored and 62, 63
 * reserved or ignored ("Second-Stage Paging Entries"), so a page address with
 * bits above 51 cannot be expressed and must be refused, not folded into them.
 */
static void pt_address_beyond_52_bits_rejected(void)
{
	const uint64_t bad[] = { 1ull << 52, 1ull << 62, 1ull << 63 };
	struct pt_env e;

	env_init(&e, 3);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unsigned level;
		CHECK_EQ(-VTD_EINVAL, vtd_pt_map(&e.pt, 0x1000, bad[i] | 0x1000, 4 * KIB, 4 * KIB, RW));
		CHECK_EQ(0, *vtd_pt_entry(&e.pt, 0x1000, &level));
	}
	env_done(&e);
}

/* A range of pages gets consecutive addresses, across a level-1 table boundary. */
static void pt_range_across_tables(void)
{
	const uint64_t iova = 4 * MIB - 8 * KIB; /* level-1 indices 510, 511, then 0, 1 */
	struct pt_env e;

	env_init(&e, 3);
	CHECK_EQ(0, vtd_pt_map(&e.pt, iova, 0x100000, 16 * KIB, 4 * KIB, VTD_PTE_R));
	CHECK_EQ(4, e.t.allocs); /* root, one level-2 table, two level-1 tables */
	for (unsigned i = 0; i < 4; i++) {
		unsigned level = 0;
		uint64_t *leaf = vtd_pt_entry(&e.pt, iova + i * 4 * KIB, &level);
		CHECK_EQ(1, level);
		CHECK(leaf && *leaf == ((0x100000 + i * 4 * KIB) | VTD_PTE_R));
	}
	env_done(&e);
}

/* An IOVA with nothing mapped finds the first not-present entry of its walk. */
static void pt_entry_stops_at_not_present(void)
{
	struct pt_env e;
	unsigned level = 0;

	env_init(&e, 4);
	uint64_t *top = vtd_pt_entry(&e.pt, 0x0f1ull << 39, &level);
	CHECK(top == &tbl(e.pt.root)[0x0f1]);
	CHECK_EQ(4, level);
	CHECK_EQ(0, vtd_pt_map(&e.pt, 0x40000000, 0x1000, 4 * KIB, 4 * KIB, RW));
	/* same level-3 table, another level-2 entry */
	uint64_t *mid = vtd_pt_entry(&e.pt, 0x40000000 + 2 * MIB, &level);
	CHECK_EQ(2, level);
	CHECK(mid && *mid == 0);
	/* same level-1 table, another entry */
	uint64_t *low = vtd_pt_entry(&e.pt, 0x40000000 + 4 * KIB, &level);
	CHECK_EQ(1, level);
	CHECK(low && *low == 0);
	env_done(&e);
}

/* Unmap clears whole leaves and keeps the tables; anything else is refused. */
static void pt_unmap_whole_leaves(void)
{
	struct pt_env e;
	unsigned level = 0;

	env_init(&e, 3);
	CHECK_EQ(0, vtd_pt_map(&e.pt, 0x10000, 0x20000, 16 * KIB, 4 * KIB, RW));
	CHECK_EQ(0, vtd_pt_unmap(&e.pt, 0x11000, 8 * KIB));
	CHECK_EQ(0x20000 | RW, *vtd_pt_entry(&e.pt, 0x10000, &level));
	CHECK_EQ(0, *vtd_pt_entry(&e.pt, 0x11000, &level));
	CHECK_EQ(0, *vtd_pt_entry(&e.pt, 0x12000, &level));
	CHECK_EQ(0x23000 | RW, *vtd_pt_entry(&e.pt, 0x13000, &level));
	CHECK_EQ(0, e.t.frees);
	/* not mapped (any more), or beyond the width */
	CHECK_EQ(-VTD_EINVAL, vtd_pt_unmap(&e.pt, 0x11000, 4 * KIB));
	CHECK_EQ(-VTD_EINVAL, vtd_pt_unmap(&e.pt, 1ull << 39, 4 * KIB));
	/* part of a 4 KiB leaf */
	CHECK_EQ(-VTD_EINVAL, vtd_pt_unmap(&e.pt, 0x10800, 2 * KIB));
	CHECK_EQ(-VTD_EINVAL, vtd_pt_unmap(&e.pt, 0x13000, 2 * KIB));
	CHECK_EQ(0x23000 | RW, *vtd_pt_entry(&e.pt, 0x13000, &level));

	/* part of a 2 MiB leaf: its first 4 KiB, or 2 MiB starting inside it */
	CHECK_EQ(0, vtd_pt_map(&e.pt, 4 * MIB, 6 * MIB, 2 * MIB, 2 * MIB, RW));
	CHECK_EQ(-VTD_EINVAL, vtd_pt_unmap(&e.pt, 4 * MIB, 4 * KIB));
	CHECK_EQ(-VTD_EINVAL, vtd_pt_unmap(&e.pt, 4 * MIB + 4 * KIB, 2 * MIB));
	uint64_t *big = vtd_pt_entry(&e.pt, 4 * MIB, &level);
	CHECK_EQ(2, level);
	CHECK(big && *big == (6 * MIB | VTD_PTE_PS | RW));
	CHECK_EQ(0, vtd_pt_unmap(&e.pt, 4 * MIB, 2 * MIB));
	CHECK(big && *big == 0);
	CHECK_EQ(0, e.t.frees);
	env_done(&e);
}

/* Destroy frees every table it allocated, exactly once, and nothing else (not
 * the pages superpage leaves point at). */
static void pt_destroy_frees_every_table(void)
{
	struct pt_env e;

	env_init(&e, 4);
	CHECK_EQ(0, vtd_pt_map(&e.pt, 0, 0x1000, 4 * KIB, 4 * KIB, RW));
	CHECK_EQ(0, vtd_pt_map(&e.pt, 3ull << 39, 0x2000, 8 * KIB, 4 * KIB, RW));
	CHECK_EQ(0, vtd_pt_map(&e.pt, 511ull << 39 | 7ull << 30, 0x3000, 4 * KIB, 4 * KIB, RW));
	CHECK_EQ(0, vtd_pt_map(&e.pt, 2 * GIB, 2 * GIB, 4 * MIB, 2 * MIB, RW));
	CHECK_EQ(0, vtd_pt_map(&e.pt, 5 * GIB, 5 * GIB, 1 * GIB, 1 * GIB, RW));
	/* root; [0]: L3, L2, L1; [3]: L3, L2, L1; [511]: L3, L2, L1; 2 GiB: L2 */
	CHECK_EQ(11, e.t.allocs);
	/* a not-present leaf that still holds an address is not a table either */
	CHECK_EQ(0, vtd_pt_map(&e.pt, 8 * GIB, 0x7000, 4 * KIB, 4 * KIB, 0));
	CHECK_EQ(13, e.t.allocs);
	env_done(&e); /* counts frees, and checks each was one of ours */

	env_init(&e, 5);
	vtd_pt_destroy(&e.pt);
	CHECK_EQ(1, e.t.frees);
	vtd_pt_destroy(&e.pt); /* a second destroy frees nothing more */
	CHECK_EQ(1, e.t.frees);
	env_done(&e);
}

/* Out of tables half-way down a walk: -VTD_ENOMEM, and what was allocated is
 * still reachable, so destroy frees it. */
static void pt_out_of_memory(void)
{
	struct pt_env e;

	env_init(&e, 4);
	e.t.limit = 3; /* root, level 3, level 2: no level-1 table */
	CHECK_EQ(-VTD_ENOMEM, vtd_pt_map(&e.pt, 0x1000, 0x1000, 4 * KIB, 4 * KIB, RW));
	CHECK_EQ(3, e.t.allocs);
	e.t.limit = MAX_TABLES;
	CHECK_EQ(0, vtd_pt_map(&e.pt, 0x1000, 0x1000, 4 * KIB, 4 * KIB, RW));
	CHECK_EQ(4, e.t.allocs);
	env_done(&e);
}

/* Every entry written is flushed, and a new table is flushed (whole, zeroed)
 * before the entry that makes it reachable. */
static void pt_flushes_before_linking(void)
{
	const uint64_t iova = 0x1a5ull << 30 | 0x0c3ull << 21 | 0x12full << 12;
	struct pt_env e;

	env_init(&e, 3);
	e.t.flushes = 0;
	CHECK_EQ(0, vtd_pt_map(&e.pt, iova, 0x5000, 4 * KIB, 4 * KIB, RW));
	uint64_t table = e.pt.root;
	for (unsigned l = 3; l >= 1; l--) {
		uint64_t *entry = &tbl(table)[idx(iova, l)];
		int linked = flushed_at(&e.t, entry, 8);
		CHECK(linked >= 0);
		if (l == 1)
			break;
		table = *entry & VTD_PTE_ADDR;
		int zeroed = flushed_at(&e.t, tbl(table), 4096);
		CHECK(zeroed >= 0 && zeroed < linked);
	}
	unsigned flushes = e.t.flushes;
	CHECK_EQ(0, vtd_pt_unmap(&e.pt, iova, 4 * KIB));
	CHECK(e.t.flushes > flushes);
	CHECK(flushed_at(&e.t, &tbl(table)[idx(iova, 1)], 8) >= (int)flushes);
	env_done(&e);
}

/* ---- root and context entries ---- */

/* Root entry: P bit 0, context-table pointer 63:12, upper qword reserved. */
static void root_entry_layout(void)
{
	struct vtd_entry128 r = vtd_root_entry(0x000fedcba9876000ull);

	CHECK_EQ(0x000fedcba9876001ull, r.lo);
	CHECK_EQ(0, r.hi);
}

/* Context entry: P 0, FPD 1, TT 3:2, SLPTPTR 63:12; AW 66:64, DID 87:72. */
static void context_entry_layout(void)
{
	struct vtd_entry128 c =
		vtd_context_entry(0x0000000123456000ull, VTD_TT_UNTRANSLATED, vtd_pt_aw(3), 0x0042);
	CHECK_EQ(0x0000000123456001ull, c.lo);
	CHECK_EQ(0x0000000000004201ull, c.hi); /* AW 001, DID bits 23:8 of the upper qword */

	c = vtd_context_entry(0x000ffffffffff000ull, VTD_TT_UNTRANSLATED, vtd_pt_aw(5), 0xffff);
	CHECK_EQ(0x000ffffffffff001ull, c.lo);
	CHECK_EQ(0x0000000000ffff03ull, c.hi);

	c = vtd_context_entry(0, VTD_TT_PASSTHROUGH, vtd_pt_aw(4), 0xbeef);
	CHECK_EQ(0x9, c.lo); /* TT 10 */
	CHECK_EQ(0x0000000000beef02ull, c.hi);

	/* AW is three bits: nothing spills into AVAIL (70:67) or the reserved bit 71 */
	c = vtd_context_entry(0, VTD_TT_UNTRANSLATED, 0xff, 0);
	CHECK_EQ(0x7, c.hi);
	CHECK_EQ(0x2, VTD_CTX_FPD);
	CHECK_EQ(2, VTD_CTX_TT_SHIFT);
}

/* ---- invalidation descriptors ---- */

/* Bits 3:0 hold the type and 11:9 its upper bits (type[6:4], zero for the
 * 128-bit types). */
static void check_type(struct vtd_desc d, unsigned type)
{
	CHECK_EQ(type, d.lo & 0xf);
	CHECK_EQ(0, d.lo & 0xe00);
}

/* Context-cache: type 1, G 5:4 (01 global, 10 domain, 11 device), DID 31:16,
 * SID 47:32, FM 49:48, upper qword reserved. */
static void desc_context_layout(void)
{
	struct vtd_desc d = vtd_desc_context(VTD_GRAN_GLOBAL, 0, 0, 0);
	check_type(d, 1);
	CHECK_EQ(0x11, d.lo);
	CHECK_EQ(0, d.hi);

	d = vtd_desc_context(VTD_GRAN_DOMAIN, 0xabcd, 0, 0);
	CHECK_EQ(0x00000000abcd0021ull, d.lo);
	CHECK_EQ(0, d.hi);

	/* device: bus 0x0a, device 3, function 0; FM 11 (ignore function bits 2:0) */
	d = vtd_desc_context(VTD_GRAN_DEVICE, 0x1234, vtd_sid_bdf(0x0a, 3, 0), 3);
	check_type(d, 1);
	CHECK_EQ(0x00030a1812340031ull, d.lo);
	CHECK_EQ(0, d.hi);

	/* FM is two bits: nothing spills into the reserved 63:50 */
	d = vtd_desc_context(VTD_GRAN_DEVICE, 0xffff, 0xffff, 0xff);
	CHECK_EQ(0x0003ffffffff0031ull, d.lo);
}

/* IOTLB: type 2, G 5:4 (01 global, 10 domain, 11 page), DW 6, DR 7, DID 31:16;
 * upper qword ADDR 63:12, IH 6, AM 5:0, used only for page granularity. */
static void desc_iotlb_layout(void)
{
	struct vtd_desc d = vtd_desc_iotlb(VTD_GRAN_GLOBAL, 0, 0, 0, false, 0);
	check_type(d, 2);
	CHECK_EQ(0x12, d.lo);
	CHECK_EQ(0, d.hi);

	d = vtd_desc_iotlb(VTD_GRAN_DOMAIN, 0xffff, 0x123456789000ull, 9, true,
			   VTD_DESC_IOTLB_DR | VTD_DESC_IOTLB_DW);
	CHECK_EQ(0x00000000ffff00e2ull, d.lo);
	CHECK_EQ(0, d.hi); /* address, hint and mask belong to page granularity */

	d = vtd_desc_iotlb(VTD_GRAN_PAGE, 5, 0x123456789000ull, 9, true, VTD_DESC_IOTLB_DR);
	check_type(d, 2);
	CHECK_EQ(0x00000000000500b2ull, d.lo);
	CHECK_EQ(0x0000123456789049ull, d.hi);

	d = vtd_desc_iotlb(VTD_GRAN_PAGE, 1, 0xfffffffffffff000ull, 0, false, VTD_DESC_IOTLB_DW);
	CHECK_EQ(0x0000000000010072ull, d.lo);
	CHECK_EQ(0xfffffffffffff000ull, d.hi);

	/* ADDR's low bits are not IH or AM; AM is six bits (11:7 reserved) */
	d = vtd_desc_iotlb(VTD_GRAN_PAGE, 1, 0x5fff, 0xff, false, 0);
	CHECK_EQ(0x000000000000503full, d.hi);
	CHECK_EQ(0x40, VTD_DESC_IOTLB_DW);
	CHECK_EQ(0x80, VTD_DESC_IOTLB_DR);
}

/* Interrupt entry cache: type 4, G 4 (0 global, 1 index-selective), IM 31:27,
 * IIDX 47:32, upper qword reserved. */
static void desc_iec_layout(void)
{
	struct vtd_desc d = vtd_desc_iec_global();
	check_type(d, 4);
	CHECK_EQ(0x4, d.lo);
	CHECK_EQ(0, d.hi);

	d = vtd_desc_iec_index(0x1234, 5);
	check_type(d, 4);
	CHECK_EQ(0x0000123428000014ull, d.lo);
	CHECK_EQ(0, d.hi);

	d = vtd_desc_iec_index(0xffff, 0xff); /* IM is five bits */
	CHECK_EQ(0x0000fffff8000014ull, d.lo);
}

/* Invalidation wait: type 5, IF 4, SW 5, FN 6, status data 63:32; upper qword
 * the status address, 63:2. */
static void desc_wait_layout(void)
{
	struct vtd_desc d = vtd_desc_wait(VTD_DESC_WAIT_IF, 0, 0x1000);
	check_type(d, 5);
	CHECK_EQ(0x15, d.lo);
	CHECK_EQ(0, d.hi); /* no status write: no address */

	d = vtd_desc_wait(VTD_DESC_WAIT_SW, 0xdeadbeef, 0x12345678);
	check_type(d, 5);
	CHECK_EQ(0xdeadbeef00000025ull, d.lo);
	CHECK_EQ(0x12345678, d.hi);

	d = vtd_desc_wait(VTD_DESC_WAIT_IF | VTD_DESC_WAIT_SW | VTD_DESC_WAIT_FN, 1,
			  0xfedcba9876543213ull);
	CHECK_EQ(0x0000000100000075ull, d.lo);
	CHECK_EQ(0xfedcba9876543210ull, d.hi); /* bits 1:0 reserved */
	CHECK_EQ(0x10, VTD_DESC_WAIT_IF);
	CHECK_EQ(0x20, VTD_DESC_WAIT_SW);
	CHECK_EQ(0x40, VTD_DESC_WAIT_FN);
}

/* ---- fault records ---- */

/* The upper qword of a FRCD (bits 127:64): SID 79:64, PP 95, FR 103:96,
 * PV 123:104, AT 125:124, T 126, F 127. */
static uint64_t frcd_hi(uint16_t sid, bool pp, uint8_t fr, uint32_t pv, unsigned at, bool t)
{
	return (uint64_t)sid | (uint64_t)pp << 31 | (uint64_t)fr << 32 | (uint64_t)pv << 40 |
	       (uint64_t)at << 60 | (uint64_t)t << 62 | VTD_FRCD_F;
}

/* A DMA write to an unmapped page: FI is the page address, T = 0 (write). */
static void fault_decode_dma_write(void)
{
	uint64_t hi = frcd_hi(vtd_sid_bdf(0, 3, 0), false, VTD_FR_WRITE, 0, 0, false);
	CHECK_EQ(0x8000000500000018ull, hi);
	struct vtd_fault f = vtd_fault_decode(3, 0x00000000fee01000ull, hi);
	CHECK_EQ(3, f.index);
	CHECK_EQ(0x05, f.reason);
	CHECK_EQ(0x0018, f.sid);
	CHECK_EQ(0xfee01000, f.addr);
	CHECK(!f.read);
	CHECK_EQ(0, f.at);
	CHECK(!f.pasid_present);
	CHECK_EQ(0, f.pasid);
	CHECK_EQ(0, f.intr_index);
	CHECK(!vtd_fault_is_ir(f.reason));
}

/* A read with a PASID, every field at a distinct value; FI's low 12 bits are
 * reserved and not part of the address. */
static void fault_decode_dma_read_all_fields(void)
{
	uint64_t hi = frcd_hi(0xffff, true, VTD_FR_READ, 0xabcde, 2, true);
	CHECK_EQ(0xeabcde068000ffffull, hi);
	struct vtd_fault f = vtd_fault_decode(0, 0xfffffffffffff123ull, hi);
	CHECK_EQ(0x06, f.reason);
	CHECK_EQ(0xffff, f.sid);
	CHECK_EQ(0xfffffffffffff000ull, f.addr);
	CHECK(f.read);
	CHECK_EQ(2, f.at);
	CHECK(f.pasid_present);
	CHECK_EQ(0xabcde, f.pasid);

	/* reserved 91:80 set must not leak into SID or PP */
	f = vtd_fault_decode(0, 0x1000,
			     frcd_hi(0x0a18, false, VTD_FR_CONTEXT_NOT_PRESENT, 0, 0, false) |
				     0xfff0000ull);
	CHECK_EQ(0x0a18, f.sid);
	CHECK(!f.pasid_present);
	CHECK_EQ(0x02, f.reason);
}

/* Interrupt-remapping faults carry the interrupt index in FI 63:48 (47:12 zero). */
static void fault_decode_interrupt_remapping(void)
{
	const uint8_t reasons[] = { VTD_FR_IR_INDEX_BEYOND, VTD_FR_IR_NOT_PRESENT,
				    VTD_FR_IR_SID_CHECK, VTD_FR_IR_COMPAT_BLOCKED };

	for (unsigned i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
		uint64_t hi = frcd_hi(vtd_sid_bdf(0, 0x1f, 7), false, reasons[i], 0, 0, false);
		struct vtd_fault f = vtd_fault_decode(1, 0x1234ull << 48, hi);
		CHECK_EQ(reasons[i], f.reason);
		CHECK(vtd_fault_is_ir(f.reason));
		CHECK_EQ(0x00ff, f.sid);
		CHECK_EQ(0x1234, f.intr_index);
		CHECK_EQ(0, f.addr);
	}
	struct vtd_fault f =
		vtd_fault_decode(0, 0xffffull << 48, frcd_hi(0x10, false, 0x20, 0, 0, false));
	CHECK_EQ(0xffff, f.intr_index);
}

/* Reason codes: legacy DMA faults 01h-0Dh, interrupt remapping 20h-27h,
 * scalable mode 30h and up ("Non-Recoverable Fault Reason Encodings"). */
static void fault_reason_codes(void)
{
	CHECK_EQ(0x01, VTD_FR_ROOT_NOT_PRESENT);
	CHECK_EQ(0x02, VTD_FR_CONTEXT_NOT_PRESENT);
	CHECK_EQ(0x03, VTD_FR_CONTEXT_INVALID);
	CHECK_EQ(0x04, VTD_FR_ADDRESS_BEYOND_AW);
	CHECK_EQ(0x05, VTD_FR_WRITE);
	CHECK_EQ(0x06, VTD_FR_READ);
	CHECK_EQ(0x07, VTD_FR_PAGING_ENTRY_ACCESS);
	CHECK_EQ(0x0a, VTD_FR_ROOT_RESERVED);
	CHECK_EQ(0x0b, VTD_FR_CONTEXT_RESERVED);
	CHECK_EQ(0x0c, VTD_FR_PAGING_RESERVED);
	CHECK_EQ(0x20, VTD_FR_IR_REQUEST_RESERVED);
	CHECK_EQ(0x21, VTD_FR_IR_INDEX_BEYOND);
	CHECK_EQ(0x22, VTD_FR_IR_NOT_PRESENT);
	CHECK_EQ(0x23, VTD_FR_IR_TABLE_ACCESS);
	CHECK_EQ(0x24, VTD_FR_IR_IRTE_RESERVED);
	CHECK_EQ(0x25, VTD_FR_IR_COMPAT_BLOCKED);
	CHECK_EQ(0x26, VTD_FR_IR_SID_CHECK);
	/* 28h-2Fh are reserved: whichever way they are classified is fine */
	for (unsigned fr = 0; fr < 0x100; fr++)
		if (fr < 0x28 || fr > 0x2f)
			CHECK_EQ(fr >= 0x20 && fr <= 0x27, vtd_fault_is_ir((uint8_t)fr));
}

/* Source-id: bus 15:8, device 7:3, function 2:0. */
static void sid_layout(void)
{
	CHECK_EQ(0x0a18, vtd_sid_bdf(0x0a, 3, 0));
	CHECK_EQ(0xffff, vtd_sid_bdf(0xff, 0x1f, 7));
	CHECK_EQ(0x0001, vtd_sid_bdf(0, 0, 1));
	CHECK_EQ(0x0000, vtd_sid_bdf(0, 0x20, 8)); /* out-of-range device/function masked */
}

const struct unit_test vtd_tests[] = {
	{ "vtd_pt_widths_and_levels", pt_widths_and_levels },
	{ "vtd_pt_init_levels", pt_init_levels },
	{ "vtd_pt_walk_3_level", pt_walk_3_level },
	{ "vtd_pt_walk_4_level", pt_walk_4_level },
	{ "vtd_pt_walk_5_level", pt_walk_5_level },
	{ "vtd_pt_leaf_permissions", pt_leaf_permissions },
	{ "vtd_pt_superpage_2m", pt_superpage_2m },
	{ "vtd_pt_superpage_1g", pt_superpage_1g },
	{ "vtd_pt_superpage_in_the_way", pt_superpage_in_the_way },
	{ "vtd_pt_table_in_the_way", pt_table_in_the_way },
	{ "vtd_pt_replace_leaf", pt_replace_leaf },
	{ "vtd_pt_unaligned_rejected", pt_unaligned_rejected },
	{ "vtd_pt_beyond_width_rejected", pt_beyond_width_rejected },
	{ "vtd_pt_address_beyond_52_bits_rejected", pt_address_beyond_52_bits_rejected },
	{ "vtd_pt_range_across_tables", pt_range_across_tables },
	{ "vtd_pt_entry_stops_at_not_present", pt_entry_stops_at_not_present },
	{ "vtd_pt_unmap_whole_leaves", pt_unmap_whole_leaves },
	{ "vtd_pt_destroy_frees_every_table", pt_destroy_frees_every_table },
	{ "vtd_pt_out_of_memory", pt_out_of_memory },
	{ "vtd_pt_flushes_before_linking", pt_flushes_before_linking },
	{ "vtd_root_entry_layout", root_entry_layout },
	{ "vtd_context_entry_layout", context_entry_layout },
	{ "vtd_desc_context_layout", desc_context_layout },
	{ "vtd_desc_iotlb_layout", desc_iotlb_layout },
	{ "vtd_desc_iec_layout", desc_iec_layout },
	{ "vtd_desc_wait_layout", desc_wait_layout },
	{ "vtd_fault_decode_dma_write", fault_decode_dma_write },
	{ "vtd_fault_decode_dma_read_all_fields", fault_decode_dma_read_all_fields },
	{ "vtd_fault_decode_interrupt_remapping", fault_decode_interrupt_remapping },
	{ "vtd_fault_reason_codes", fault_reason_codes },
	{ "vtd_sid_layout", sid_layout },
	{ NULL, NULL },
};

/*
 * Second-level page tables (VT-d spec "Second-Stage Paging Entries";
 * "Second-Level" in revision 3): 512 eight-byte entries per 4 KiB table,
 * 3, 4 or 5 levels, leaves at level 1 (4 KiB), 2 (2 MiB) or 3 (1 GiB).
 * Pure logic over tables the caller allocates, so it is host-tested too.
 */
#ifndef VTD_PAGETABLE_H
#define VTD_PAGETABLE_H

#include <stddef.h>
#include <stdint.h>

#define VTD_PTE_R (1ull << 0)
#define VTD_PTE_W (1ull << 1)
#define VTD_PTE_PS (1ull << 7) /* leaf at level 2 or 3 */
#define VTD_PTE_ADDR 0x000ffffffffff000ull

#define VTD_PAGE_4K (1ull << 12)
#define VTD_PAGE_2M (1ull << 21)
#define VTD_PAGE_1G (1ull << 30)

struct vtd_pt_ops {
	uint64_t (*alloc)(void *ctx); /* a zeroed 4 KiB table's physical address, or 0 */
	void (*free)(void *ctx, uint64_t phys);
	/* makes written entries visible to the unit's page walk */
	void (*flush)(void *ctx, const void *p, size_t len);
	void *ctx;
};

struct vtd_pt {
	uint64_t root; /* physical address of the top-level table */
	unsigned levels;
	const struct vtd_pt_ops *ops;
};

/* Address width a level count translates: 39, 48 or 57 bits. */
static inline unsigned vtd_pt_width(unsigned levels)
{
	return 12 + 9 * levels;
}

/* The context entry's AW encoding for a level count ("Context Entry"): 1, 2, 3. */
static inline unsigned vtd_pt_aw(unsigned levels)
{
	return levels - 2;
}

/* The leaf level that maps pages of this size: 1, 2 or 3; 0 for another size. */
unsigned vtd_pt_leaf_level(uint64_t page_size);

/* Returns 0, or -VTD_EINVAL (levels outside 3-5) / -VTD_ENOMEM. */
int vtd_pt_init(struct vtd_pt *pt, unsigned levels, const struct vtd_pt_ops *ops);
/* Frees every table. */
void vtd_pt_destroy(struct vtd_pt *pt);

/*
 * Maps [iova, iova+size) to [phys, phys+size) with pages of page_size and
 * permissions perm (VTD_PTE_R | VTD_PTE_W, either or both, or neither for a
 * present-looking but inaccessible mapping). All three must be aligned to
 * page_size, and phys must fit the entry's address field (bits 51:12).
 * Existing leaves are replaced; a superpage in the way of a smaller mapping is
 * -VTD_EINVAL, and the leaves mapped before it stay. Returns 0 or a negated
 * vtd_error.
 */
int vtd_pt_map(struct vtd_pt *pt, uint64_t iova, uint64_t phys, uint64_t size,
	       uint64_t page_size, uint64_t perm);
/* Clears the leaves covering [iova, iova+size); tables stay. Returns 0, or
 * -VTD_EINVAL when the range is not made of whole mapped leaves (those
 * before the first that is not stay cleared). */
int vtd_pt_unmap(struct vtd_pt *pt, uint64_t iova, uint64_t size);
/*
 * The entry that maps iova: the leaf, or the first non-present entry of the
 * walk; *level is its level. NULL when iova is beyond the tables' width.
 * Tests use it to look at, or deliberately corrupt, an entry.
 */
uint64_t *vtd_pt_entry(const struct vtd_pt *pt, uint64_t iova, unsigned *level);

#endif

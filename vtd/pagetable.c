/*
 * An entry is present when R or W is set; non-leaf entries carry both, since
 * the unit ANDs permissions down the walk and the leaf alone should decide.
 */
#include "vtd/pagetable.h"

#include <stdbool.h>

#include "kernel/vm.h"
#include "vtd/unit.h"

#define ENTRIES 512

static unsigned level_shift(unsigned level)
{
	return 12 + 9 * (level - 1);
}

static uint64_t *table(uint64_t phys)
{
	return phys_to_virt(phys);
}

static unsigned index_at(uint64_t iova, unsigned level)
{
	return (iova >> level_shift(level)) & (ENTRIES - 1);
}

static bool present(uint64_t e)
{
	return e & (VTD_PTE_R | VTD_PTE_W);
}

static bool is_leaf(uint64_t e, unsigned level)
{
	return level == 1 || (e & VTD_PTE_PS);
}

unsigned vtd_pt_leaf_level(uint64_t page_size)
{
	switch (page_size) {
	case VTD_PAGE_4K:
		return 1;
	case VTD_PAGE_2M:
		return 2;
	case VTD_PAGE_1G:
		return 3;
	}
	return 0;
}

int vtd_pt_init(struct vtd_pt *pt, unsigned levels, const struct vtd_pt_ops *ops)
{
	if (levels < 3 || levels > 5)
		return -VTD_EINVAL;
	*pt = (struct vtd_pt){.levels = levels, .ops = ops};
	pt->root = ops->alloc(ops->ctx);
	if (!pt->root)
		return -VTD_ENOMEM;
	ops->flush(ops->ctx, table(pt->root), VTD_PAGE_4K);
	return 0;
}

static void free_table(const struct vtd_pt *pt, uint64_t phys, unsigned level)
{
	uint64_t *t = table(phys);

	for (unsigned i = 0; level > 1 && i < ENTRIES; i++)
		if (present(t[i]) && !is_leaf(t[i], level))
			free_table(pt, t[i] & VTD_PTE_ADDR, level - 1);
	pt->ops->free(pt->ops->ctx, phys);
}

void vtd_pt_destroy(struct vtd_pt *pt)
{
	if (pt->root)
		free_table(pt, pt->root, pt->levels);
	pt->root = 0;
}

static void set_entry(const struct vtd_pt *pt, uint64_t *e, uint64_t v)
{
	*e = v;
	pt->ops->flush(pt->ops->ctx, e, sizeof(*e));
}

/* The entry for iova at `level`, creating the tables above it. */
static int walk_create(const struct vtd_pt *pt, uint64_t iova, unsigned level, uint64_t **out)
{
	uint64_t *t = table(pt->root);

	for (unsigned l = pt->levels; l > level; l--) {
		uint64_t *e = &t[index_at(iova, l)];
		if (present(*e) && is_leaf(*e, l))
			return -VTD_EINVAL;
		if (!present(*e)) {
			uint64_t next = pt->ops->alloc(pt->ops->ctx);
			if (!next)
				return -VTD_ENOMEM;
			pt->ops->flush(pt->ops->ctx, table(next), VTD_PAGE_4K);
			set_entry(pt, e, next | VTD_PTE_R | VTD_PTE_W);
		}
		t = table(*e & VTD_PTE_ADDR);
	}
	*out = &t[index_at(iova, level)];
	return 0;
}

int vtd_pt_map(struct vtd_pt *pt, uint64_t iova, uint64_t phys, uint64_t size,
	       uint64_t page_size, uint64_t perm)
{
	unsigned level = vtd_pt_leaf_level(page_size);
	uint64_t mask = page_size - 1;

	if (!level || !size || (iova | phys | size) & mask || perm & ~(VTD_PTE_R | VTD_PTE_W))
		return -VTD_EINVAL;
	/* the last page must fit the entry's address field (51:12) and the IOVA width */
	if (phys + size < phys || (phys + size - 1) >> 52 || iova + size < iova ||
	    iova + size > 1ull << vtd_pt_width(pt->levels))
		return -VTD_EINVAL;
	for (uint64_t off = 0; off < size; off += page_size) {
		uint64_t *e;
		int err = walk_create(pt, iova + off, level, &e);
		if (err)
			return err;
		if (present(*e) && !is_leaf(*e, level))
			return -VTD_EINVAL; /* a table of smaller pages is in the way */
		set_entry(pt, e, (phys + off) | perm | (level > 1 ? VTD_PTE_PS : 0));
	}
	return 0;
}

uint64_t *vtd_pt_entry(const struct vtd_pt *pt, uint64_t iova, unsigned *level)
{
	uint64_t *t = table(pt->root);

	if (iova >> vtd_pt_width(pt->levels))
		return NULL;
	for (unsigned l = pt->levels;; l--) {
		uint64_t *e = &t[index_at(iova, l)];
		if (!present(*e) || is_leaf(*e, l)) {
			*level = l;
			return e;
		}
		t = table(*e & VTD_PTE_ADDR);
	}
}

int vtd_pt_unmap(struct vtd_pt *pt, uint64_t iova, uint64_t size)
{
	uint64_t end = iova + size;

	while (iova < end) {
		unsigned level;
		uint64_t *e = vtd_pt_entry(pt, iova, &level);
		uint64_t span = 1ull << level_shift(level);
		if (!e || !present(*e) || iova & (span - 1) || end - iova < span)
			return -VTD_EINVAL;
		set_entry(pt, e, 0);
		iova += span;
	}
	return 0;
}

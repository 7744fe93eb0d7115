/*
 * Free memory as a sorted array of disjoint [base, end) ranges: small, exact,
 * supports aligned contiguous runs (page tables, DMA buffers), and frees merge.
 */
#include "kernel/pmm.h"

#include <stdbool.h>

#include "kernel/console.h"
#include "kernel/memmap.h"
#include "kernel/string.h"
#include "kernel/vm.h"

#define MAX_RANGES 512
/* Real-mode era memory stays untouched: firmware and SMM code sometimes rely on it. */
#define LOW_MEMORY_END 0x100000ull

struct range {
	uint64_t base, end;
};

static struct range ranges[MAX_RANGES];
static unsigned nranges;
static unsigned lost_ranges; /* ranges dropped because the array was full */

static void insert_at(unsigned i, uint64_t base, uint64_t end)
{
	if (nranges == MAX_RANGES) {
		lost_ranges++;
		return;
	}
	memmove(&ranges[i + 1], &ranges[i], (nranges - i) * sizeof(ranges[0]));
	ranges[i] = (struct range){base, end};
	nranges++;
}

static void remove_at(unsigned i)
{
	memmove(&ranges[i], &ranges[i + 1], (nranges - i - 1) * sizeof(ranges[0]));
	nranges--;
}

/* Adds [base, end) to the free set, merging with its neighbours. */
static void add_range(uint64_t base, uint64_t end)
{
	unsigned i = 0;

	if (base < LOW_MEMORY_END)
		base = LOW_MEMORY_END;
	if (base >= end)
		return;
	while (i < nranges && ranges[i].base < base)
		i++;
	if (i > 0 && ranges[i - 1].end == base) {
		ranges[i - 1].end = end;
		if (i < nranges && ranges[i].base == end) {
			ranges[i - 1].end = ranges[i].end;
			remove_at(i);
		}
		return;
	}
	if (i < nranges && ranges[i].base == end) {
		ranges[i].base = base;
		return;
	}
	insert_at(i, base, end);
}

static void add_type(uint32_t type)
{
	for (unsigned i = 0; i < memmap_count(); i++) {
		const struct efi_mem_desc *d = memmap_get(i);
		if (d->type == type)
			add_range(d->phys, d->phys + d->pages * PAGE_SIZE);
	}
}

void pmm_init(void)
{
	nranges = 0;
	lost_ranges = 0;
	add_type(EFI_CONVENTIONAL);
}

void pmm_add_boot_services(void)
{
	add_type(EFI_BOOT_SERVICES_CODE);
	add_type(EFI_BOOT_SERVICES_DATA);
	if (lost_ranges)
		printf("# note: %u free memory ranges beyond the allocator's %u were not used\n",
		       lost_ranges, MAX_RANGES);
}

uint64_t pmm_alloc(size_t pages, uint64_t align, uint64_t max_end)
{
	uint64_t size = pages * PAGE_SIZE;

	for (unsigned i = 0; i < nranges; i++) {
		struct range r = ranges[i];
		uint64_t base = (r.base + align - 1) & ~(align - 1);
		if (base < r.base || base + size > r.end || base + size > max_end)
			continue;
		/* Carve [base, base+size) out of r, keeping what is left on either side. */
		remove_at(i);
		if (base + size < r.end)
			insert_at(i, base + size, r.end);
		if (r.base < base)
			insert_at(i, r.base, base);
		memset(phys_to_virt(base), 0, size);
		return base;
	}
	return 0;
}

uint64_t pmm_alloc_page(void)
{
	return pmm_alloc(1, PAGE_SIZE, PMM_ANY_ADDRESS);
}

void pmm_free(uint64_t phys, size_t pages)
{
	add_range(phys, phys + pages * PAGE_SIZE);
}

uint64_t pmm_free_bytes(void)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < nranges; i++)
		n += ranges[i].end - ranges[i].base;
	return n;
}

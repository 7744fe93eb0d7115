/*
 * The kernel's page tables (IA-32e 4-level paging): RAM from the UEFI map
 * identity-mapped write-back, the kernel image at its link address, and device
 * MMIO mapped on demand with caching disabled. Built from conventional memory
 * only, while the firmware's tables (in boot-services memory) are still live.
 */
#include "kernel/vm.h"

#include <stdbool.h>

#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/memmap.h"
#include "kernel/pmm.h"

/* Intel SDM Vol. 3, 4.5 "4-Level Paging", Table 4-14..4-20 */
#define PTE_P (1ull << 0)
#define PTE_W (1ull << 1)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_PS (1ull << 7) /* large page in a PDPTE or PDE */
#define PTE_ADDR 0x000ffffffffff000ull
#define PTE_UNCACHED (PTE_PCD | PTE_PWT) /* PAT entry 3: UC */
#define PTE_WC PTE_PWT			/* PAT entry 1, reprogrammed to WC below */

/* SDM Vol. 3, 13.12 "Page Attribute Table": entry 1 becomes write-combining
 * (01h); the others keep their power-on types (WB, UC-, UC). */
#define MSR_PAT 0x277
#define PAT_WITH_WC 0x0007040600070106ull
#define CPUID_1_EDX_PAT (1u << 16)

#define LARGE_PAGE (2ull << 20)

static uint64_t *pml4;

static uint64_t *table(uint64_t entry)
{
	return phys_to_virt(entry & PTE_ADDR);
}

/* Replaces a 2 MiB mapping by 512 4 KiB ones with the same attributes. */
static bool split_large(uint64_t *pde)
{
	uint64_t pt = pmm_alloc_page();

	if (!pt)
		return false;
	uint64_t base = *pde & PTE_ADDR & ~(LARGE_PAGE - 1);
	uint64_t attr = *pde & (PTE_P | PTE_W | PTE_PWT | PTE_PCD);
	uint64_t *t = phys_to_virt(pt);
	for (unsigned i = 0; i < 512; i++)
		t[i] = (base + i * PAGE_SIZE) | attr;
	*pde = pt | PTE_P | PTE_W;
	return true;
}

/* The entry for va at the level whose entries map 1 << shift bytes. */
static uint64_t *walk(uint64_t va, int shift)
{
	uint64_t *t = pml4;

	for (int s = 39; s > shift; s -= 9) {
		uint64_t *e = &t[(va >> s) & 511];
		if (*e & PTE_P && *e & PTE_PS && !split_large(e))
			return NULL;
		if (!(*e & PTE_P)) {
			uint64_t p = pmm_alloc_page();
			if (!p)
				return NULL;
			*e = p | PTE_P | PTE_W;
		}
		t = table(*e);
	}
	return &t[(va >> shift) & 511];
}

static int map_range(uint64_t va, uint64_t pa, uint64_t size, uint64_t attr)
{
	uint64_t end = va + size;

	while (va < end) {
		bool large = !((va | pa) & (LARGE_PAGE - 1)) && end - va >= LARGE_PAGE;
		uint64_t *e = walk(va, large ? 21 : 12);
		if (!e)
			return -1;
		if (!large && (*e & PTE_P) && (*e & PTE_PS) && !split_large(e))
			return -1;
		*e = pa | attr | (large ? PTE_PS : 0);
		uint64_t step = large ? LARGE_PAGE : PAGE_SIZE;
		va += step;
		pa += step;
	}
	return 0;
}

/* No mapping uses PAT entry 1 yet, so only caches and TLBs need flushing. */
static void enable_write_combining(void)
{
	if (!(cpuid(1, 0).edx & CPUID_1_EDX_PAT))
		return;
	__asm__ volatile("wbinvd" ::: "memory");
	wrmsr(MSR_PAT, PAT_WITH_WC);
}

static void flush_tlb(void)
{
	uint64_t cr3;

	__asm__ volatile("mov %%cr3, %0; mov %0, %%cr3" : "=r"(cr3)::"memory");
}

int vm_init(const struct bootinfo *bi, uint64_t link_base)
{
	uint64_t root = pmm_alloc_page();

	if (!root)
		return -1;
	pml4 = phys_to_virt(root);
	for (unsigned i = 0; i < memmap_count(); i++) {
		const struct efi_mem_desc *d = memmap_get(i);
		if (memmap_is_ram(d->type) &&
		    map_range(d->phys, d->phys, d->pages * PAGE_SIZE, PTE_P | PTE_W))
			return -1;
	}
	if (map_range(link_base, bi->kernel_phys, bi->kernel_size, PTE_P | PTE_W))
		return -1;
	enable_write_combining();
	__asm__ volatile("mov %0, %%cr3" ::"r"(root) : "memory");
	return 0;
}

static volatile void *map_device(uint64_t phys, uint64_t size, uint64_t cache)
{
	uint64_t base = phys & ~(PAGE_SIZE - 1);
	uint64_t len = ((phys + size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1)) - base;

	if (!size || phys + size < phys || map_range(base, base, len, PTE_P | PTE_W | cache))
		return NULL;
	flush_tlb();
	return (volatile void *)(uintptr_t)phys;
}

volatile void *mmio_map(uint64_t phys, uint64_t size)
{
	return map_device(phys, size, PTE_UNCACHED);
}

volatile void *mmio_map_wc(uint64_t phys, uint64_t size)
{
	return map_device(phys, size, PTE_WC);
}

/*
 * The memory code the kernel trusts with DMA: EFI memory-map queries, the page
 * allocator and the DMA buffers' canaries. Physical memory is identity-mapped
 * in the kernel, so a host buffer described at its own address stands in for RAM.
 */
#include <stdlib.h>
#include <string.h>

#include "boot/bootinfo.h"
#include "kernel/dma.h"
#include "kernel/memmap.h"
#include "kernel/pmm.h"
#include "tests/unit/unit.h"

#define RAM_PAGES 64

static struct efi_mem_desc map[4];
static struct bootinfo bi;
static uint8_t *ram;

static void use_map(unsigned n)
{
	bi.mmap = (uint64_t)(uintptr_t)map;
	bi.mmap_desc_size = sizeof(map[0]);
	bi.mmap_size = n * sizeof(map[0]);
	memmap_init(&bi);
}

static void desc(unsigned i, uint32_t type, uint64_t phys, uint64_t pages)
{
	map[i] = (struct efi_mem_desc){ .type = type, .phys = phys, .pages = pages };
}

static bool reserved(uint32_t type)
{
	return type == EFI_RESERVED;
}

static void range_all_follows_the_map(void)
{
	uint64_t bad = 0;
	int type = 0;

	desc(0, EFI_RESERVED, 0x100000, 2);
	desc(1, EFI_RESERVED, 0x102000, 1); /* adjacent: one range across both */
	desc(2, EFI_CONVENTIONAL, 0x103000, 1);
	use_map(3);
	CHECK(memmap_range_all(0x100000, 0x102fff, reserved, &bad, &type));
	CHECK(!memmap_range_all(0x101000, 0x103fff, reserved, &bad, &type));
	CHECK_EQ(0x103000, bad);
	CHECK_EQ(EFI_CONVENTIONAL, type);
	CHECK(!memmap_range_all(0x0ff000, 0x100fff, reserved, &bad, &type));
	CHECK_EQ(0x0ff000, bad);
	CHECK_EQ(-1, type);
	CHECK(!memmap_range_all(0x102000, 0x104fff, memmap_is_ram, &bad, &type));
	CHECK_EQ(0x102000, bad);
}

/* A pool of RAM_PAGES conventional pages at the host buffer's own address. */
static uint64_t fresh_pool(void)
{
	free(ram);
	ram = aligned_alloc(PAGE_SIZE, RAM_PAGES * PAGE_SIZE);
	desc(0, EFI_RESERVED, 0x1000, 1);
	desc(1, EFI_CONVENTIONAL, (uint64_t)(uintptr_t)ram, RAM_PAGES);
	use_map(2);
	pmm_init();
	return (uint64_t)(uintptr_t)ram;
}

static void pmm_allocates_aligned_and_merges_frees(void)
{
	uint64_t base = fresh_pool();
	uint64_t align = 8 * PAGE_SIZE;

	CHECK_EQ(RAM_PAGES * PAGE_SIZE, pmm_free_bytes());
	uint64_t a = pmm_alloc(3, align, PMM_ANY_ADDRESS);
	CHECK(a != 0);
	CHECK_EQ(0, a % align);
	CHECK(a >= base && a + 3 * PAGE_SIZE <= base + RAM_PAGES * PAGE_SIZE);
	CHECK_EQ((RAM_PAGES - 3) * PAGE_SIZE, pmm_free_bytes());
	uint64_t b = pmm_alloc_page();
	CHECK(b != 0 && (b + PAGE_SIZE <= a || b >= a + 3 * PAGE_SIZE));
	pmm_free(a, 3);
	pmm_free(b, 1);
	CHECK_EQ(RAM_PAGES * PAGE_SIZE, pmm_free_bytes());
	/* Merged back whole: the entire pool is one run again. */
	CHECK_EQ(base, pmm_alloc(RAM_PAGES, PAGE_SIZE, PMM_ANY_ADDRESS));
	CHECK_EQ(0, pmm_alloc_page());
}

static void pmm_respects_limits_and_zeroes(void)
{
	uint64_t base = fresh_pool();

	memset(ram, 0xee, RAM_PAGES * PAGE_SIZE);
	CHECK_EQ(0, pmm_alloc(RAM_PAGES + 1, PAGE_SIZE, PMM_ANY_ADDRESS));
	CHECK_EQ(0, pmm_alloc(2, PAGE_SIZE, base + PAGE_SIZE));
	uint64_t p = pmm_alloc(2, PAGE_SIZE, base + 2 * PAGE_SIZE);
	CHECK_EQ(base, p);
	for (unsigned i = 0; p && i < 2 * PAGE_SIZE; i++)
		if (((uint8_t *)(uintptr_t)p)[i]) {
			unit_fail(__FILE__, __LINE__, "byte %u of a fresh allocation is not 0", i);
			break;
		}
}

static void dma_canaries_catch_writes_beside_the_buffer(void)
{
	struct dma_buf buf;
	uint64_t bad = 0;

	fresh_pool();
	CHECK_EQ(0, dma_alloc(&buf, 5000, 2, PMM_ANY_ADDRESS));
	CHECK_EQ(2 * PAGE_SIZE, buf.size);
	CHECK_EQ(buf.region + 2 * PAGE_SIZE, buf.phys);
	CHECK(dma_canaries_intact(&buf, &bad));
	memset(buf.virt, 0xff, buf.size); /* the buffer itself is the device's to write */
	CHECK(dma_canaries_intact(&buf, &bad));
	((uint8_t *)buf.virt)[-1] ^= 1;
	CHECK(!dma_canaries_intact(&buf, &bad));
	CHECK_EQ(buf.phys - 1, bad);
	((uint8_t *)buf.virt)[-1] ^= 1;
	((uint8_t *)buf.virt)[buf.size + 2 * PAGE_SIZE - 1] = 0;
	CHECK(!dma_canaries_intact(&buf, &bad));
	CHECK_EQ(buf.phys + buf.size + 2 * PAGE_SIZE - 1, bad);
	dma_free(&buf);
	CHECK_EQ(RAM_PAGES * PAGE_SIZE, pmm_free_bytes());
	CHECK_EQ(-1, dma_alloc(&buf, 0, 1, PMM_ANY_ADDRESS));
	free(ram);
	ram = NULL;
}

const struct unit_test memory_tests[] = {
	{ "memmap_range_all_follows_the_map", range_all_follows_the_map },
	{ "pmm_allocates_aligned_and_merges_frees", pmm_allocates_aligned_and_merges_frees },
	{ "pmm_respects_limits_and_zeroes", pmm_respects_limits_and_zeroes },
	{ "dma_canaries_catch_writes_beside_the_buffer",
	  dma_canaries_catch_writes_beside_the_buffer },
	{ NULL, NULL },
};

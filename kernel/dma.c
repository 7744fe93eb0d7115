/*
 * Canary pages hold a pattern that depends on each word's address, so a
 * stray write is caught even when it copies canary bytes from elsewhere.
 */
#include "kernel/dma.h"

#include "kernel/pmm.h"
#include "kernel/vm.h"

#define CANARY_SEED 0xca9a41e5d00dfeedull

static uint64_t canary_word(uint64_t phys)
{
	return CANARY_SEED ^ (phys * 0x9e3779b97f4a7c15ull);
}

static void fill_guard(uint64_t phys, size_t bytes)
{
	uint64_t *w = phys_to_virt(phys);

	for (size_t i = 0; i < bytes / 8; i++)
		w[i] = canary_word(phys + i * 8);
}

static bool check_guard(uint64_t phys, size_t bytes, uint64_t *bad)
{
	const volatile uint64_t *w = phys_to_virt(phys);

	for (size_t i = 0; i < bytes / 8; i++) {
		uint64_t diff = w[i] ^ canary_word(phys + i * 8);
		if (diff) {
			*bad = phys + i * 8 + __builtin_ctzll(diff) / 8;
			return false;
		}
	}
	return true;
}

int dma_alloc(struct dma_buf *b, size_t size, unsigned guard, uint64_t max_end)
{
	size_t pages = PAGES(size);
	uint64_t region = pages ? pmm_alloc(pages + 2 * guard, PAGE_SIZE, max_end) : 0;

	if (!region)
		return -1;
	*b = (struct dma_buf){
		.phys = region + guard * PAGE_SIZE,
		.size = pages * PAGE_SIZE,
		.guard = guard,
		.region = region,
	};
	b->virt = phys_to_virt(b->phys);
	fill_guard(region, guard * PAGE_SIZE);
	fill_guard(b->phys + b->size, guard * PAGE_SIZE);
	return 0;
}

void dma_free(struct dma_buf *b)
{
	if (b->region)
		pmm_free(b->region, PAGES(b->size) + 2 * b->guard);
	*b = (struct dma_buf){ 0 };
}

bool dma_canaries_intact(const struct dma_buf *b, uint64_t *bad)
{
	size_t g = b->guard * PAGE_SIZE;

	return check_guard(b->region, g, bad) && check_guard(b->phys + b->size, g, bad);
}

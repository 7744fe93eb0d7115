/*
 * DMA buffers: the only memory the harness lets a device reach. Each buffer
 * can be fenced by canary pages, so a test can prove that a transfer wrote
 * exactly where it should and not one byte beside it.
 */
#ifndef DMA_H
#define DMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dma_buf {
	uint64_t phys;	  /* the buffer itself, page aligned */
	void *virt;
	size_t size;	  /* bytes, a whole number of pages */
	unsigned guard;	  /* canary pages on each side */
	uint64_t region;  /* physical start of guard + buffer + guard */
};

/*
 * Allocates size bytes (rounded up to pages), zeroed, wholly below max_end,
 * with `guard` canary pages on each side. Returns 0 or -1 when out of memory.
 */
int dma_alloc(struct dma_buf *b, size_t size, unsigned guard, uint64_t max_end);
void dma_free(struct dma_buf *b);

/*
 * Whether every canary byte still holds its pattern; if not, *bad is the
 * physical address of the first changed byte.
 */
bool dma_canaries_intact(const struct dma_buf *b, uint64_t *bad);

#endif

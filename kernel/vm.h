/* The kernel's own address space: all RAM identity-mapped (write-back), the
 * kernel image at its link address, and device MMIO mapped uncached on demand. */
#ifndef VM_H
#define VM_H

#include <stddef.h>
#include <stdint.h>

struct bootinfo;

/* Builds and loads the kernel's page tables; returns 0 or -1 (out of memory). */
int vm_init(const struct bootinfo *bi, uint64_t link_base);

/* Maps [phys, phys+size) uncached at the identical virtual address and returns
 * the pointer, or NULL (reported by the caller) when it cannot. */
volatile void *mmio_map(uint64_t phys, uint64_t size);
/* The same, write-combining (write-through on a CPU without PAT): for framebuffers,
 * which are only ever written. */
volatile void *mmio_map_wc(uint64_t phys, uint64_t size);

/* RAM is identity-mapped: page-allocator memory has virt == phys. */
static inline void *phys_to_virt(uint64_t phys) { return (void *)(uintptr_t)phys; }
static inline uint64_t virt_to_phys(const void *p) { return (uint64_t)(uintptr_t)p; }

#endif

/* Physical page allocator over the RAM the UEFI map says is free. Firmware
 * runtime, ACPI and reserved memory is never handed out. */
#ifndef PMM_H
#define PMM_H

#include <stddef.h>
#include <stdint.h>

#include "boot/bootinfo.h"

#define PAGE_SIZE 4096ull
#define PAGE_SHIFT 12
#define PAGES(bytes) (((bytes) + PAGE_SIZE - 1) / PAGE_SIZE)

#define PMM_ANY_ADDRESS UINT64_MAX

/* Takes the conventional memory; boot-services memory still holds the
 * firmware's page tables and is added by pmm_add_boot_services() later. */
void pmm_init(void);
void pmm_add_boot_services(void);

/* Zeroed, naturally aligned to align (a power of two ≥ PAGE_SIZE), wholly
 * below max_end; returns the physical address or 0 when there is none. */
uint64_t pmm_alloc(size_t pages, uint64_t align, uint64_t max_end);
uint64_t pmm_alloc_page(void);
void pmm_free(uint64_t phys, size_t pages);
uint64_t pmm_free_bytes(void);

#endif

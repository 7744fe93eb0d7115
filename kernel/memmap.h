/* Queries on the firmware's (UEFI) memory map, as handed over at boot. */
#ifndef MEMMAP_H
#define MEMMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "boot/bootinfo.h"

void memmap_init(const struct bootinfo *bi);
unsigned memmap_count(void);
const struct efi_mem_desc *memmap_get(unsigned i);
const char *memmap_type_name(uint32_t type);
/* Whether memory of this type holds RAM the kernel may map write-back. */
bool memmap_is_ram(uint32_t type);

/*
 * Checks that every byte of [base, limit] is described by the map with a type
 * for which ok(type) holds. Returns true if so; otherwise *bad_addr is the first
 * address that is not, and *bad_type its type (or -1 when no entry covers it).
 */
bool memmap_range_all(uint64_t base, uint64_t limit, bool (*ok)(uint32_t type),
		      uint64_t *bad_addr, int *bad_type);

#endif

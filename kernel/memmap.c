#include "kernel/memmap.h"

#include "kernel/vm.h"

#define EFI_PAGE 4096ull

static const struct bootinfo *boot;

static const char *const type_names[] = {
	[EFI_RESERVED] = "reserved",
	[EFI_LOADER_CODE] = "loader code",
	[EFI_LOADER_DATA] = "loader data",
	[EFI_BOOT_SERVICES_CODE] = "boot services code",
	[EFI_BOOT_SERVICES_DATA] = "boot services data",
	[EFI_RUNTIME_SERVICES_CODE] = "runtime services code",
	[EFI_RUNTIME_SERVICES_DATA] = "runtime services data",
	[EFI_CONVENTIONAL] = "conventional",
	[EFI_UNUSABLE] = "unusable",
	[EFI_ACPI_RECLAIM] = "ACPI reclaim",
	[EFI_ACPI_NVS] = "ACPI NVS",
	[EFI_MMIO] = "MMIO",
	[EFI_MMIO_PORT] = "MMIO port space",
	[EFI_PAL_CODE] = "PAL code",
	[EFI_PERSISTENT] = "persistent",
};

void memmap_init(const struct bootinfo *bi)
{
	boot = bi;
}

unsigned memmap_count(void)
{
	return boot->mmap_desc_size ? boot->mmap_size / boot->mmap_desc_size : 0;
}

const struct efi_mem_desc *memmap_get(unsigned i)
{
	return phys_to_virt(boot->mmap + (uint64_t)i * boot->mmap_desc_size);
}

const char *memmap_type_name(uint32_t type)
{
	return type < sizeof(type_names) / sizeof(type_names[0]) ? type_names[type] : "unknown";
}

bool memmap_is_ram(uint32_t type)
{
	switch (type) {
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
	case EFI_BOOT_SERVICES_CODE:
	case EFI_BOOT_SERVICES_DATA:
	case EFI_RUNTIME_SERVICES_CODE:
	case EFI_RUNTIME_SERVICES_DATA:
	case EFI_CONVENTIONAL:
	case EFI_ACPI_RECLAIM:
	case EFI_ACPI_NVS:
	case EFI_PERSISTENT:
		return true;
	default:
		return false;
	}
}

static const struct efi_mem_desc *covering(uint64_t addr)
{
	for (unsigned i = 0; i < memmap_count(); i++) {
		const struct efi_mem_desc *d = memmap_get(i);
		if (addr >= d->phys && addr - d->phys < d->pages * EFI_PAGE)
			return d;
	}
	return NULL;
}

bool memmap_range_all(uint64_t base, uint64_t limit, bool (*ok)(uint32_t type),
		      uint64_t *bad_addr, int *bad_type)
{
	uint64_t a = base;

	while (a <= limit) {
		const struct efi_mem_desc *d = covering(a);
		if (!d || !ok(d->type)) {
			*bad_addr = a;
			*bad_type = d ? (int)d->type : -1;
			return false;
		}
		uint64_t end = d->phys + d->pages * EFI_PAGE; /* exclusive */
		if (end == 0 || end - 1 >= limit)
			break;
		a = end;
	}
	return true;
}

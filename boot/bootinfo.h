/*
 * The hand-over from the UEFI loader to the kernel: everything the kernel needs
 * from firmware, collected before ExitBootServices. Plain integers only, so the
 * kernel never includes a UEFI header.
 */
#ifndef BOOTINFO_H
#define BOOTINFO_H

#include <stdint.h>

#define BOOTINFO_MAGIC 0x6f666e69746f6f62ull /* "bootinfo" */
#define KERNEL_MAGIC 0x6c656e72656b6476ull   /* "vdkernel" */
#define BOOT_CMDLINE_MAX 512

/* UEFI memory types (UEFI spec, EFI_MEMORY_TYPE) */
enum efi_memory_type {
	EFI_RESERVED = 0,
	EFI_LOADER_CODE = 1,
	EFI_LOADER_DATA = 2,
	EFI_BOOT_SERVICES_CODE = 3,
	EFI_BOOT_SERVICES_DATA = 4,
	EFI_RUNTIME_SERVICES_CODE = 5,
	EFI_RUNTIME_SERVICES_DATA = 6,
	EFI_CONVENTIONAL = 7,
	EFI_UNUSABLE = 8,
	EFI_ACPI_RECLAIM = 9,
	EFI_ACPI_NVS = 10,
	EFI_MMIO = 11,
	EFI_MMIO_PORT = 12,
	EFI_PAL_CODE = 13,
	EFI_PERSISTENT = 14,
};

/* EFI_MEMORY_DESCRIPTOR; walk with bootinfo.mmap_desc_size, which may exceed this */
struct efi_mem_desc {
	uint32_t type;
	uint32_t pad;
	uint64_t phys;
	uint64_t virt;
	uint64_t pages;
	uint64_t attr;
};

enum fb_format {
	FB_NONE = 0,
	FB_RGBX = 1, /* byte 0 red */
	FB_BGRX = 2, /* byte 0 blue */
	FB_MASKS = 3,
};

struct boot_fb {
	uint64_t base;
	uint64_t size;
	uint32_t width, height;
	uint32_t stride; /* pixels per scan line */
	uint32_t format; /* enum fb_format */
	uint32_t red_mask, green_mask, blue_mask;
};

/* Placed first in the kernel image by linker.ld; the loader reads it. */
struct kernel_header {
	uint64_t magic;
	uint64_t link_base;  /* virtual address of the header */
	uint64_t entry;	     /* virtual address of the entry point */
	uint64_t file_size;  /* bytes of image to copy */
	uint64_t mem_size;   /* bytes to reserve, bss included */
};

struct bootinfo {
	uint64_t magic;
	uint64_t kernel_phys; /* where the kernel image was loaded */
	uint64_t kernel_size; /* mem_size rounded up to pages */
	uint64_t mmap;	      /* physical address of the final EFI memory map */
	uint64_t mmap_size;
	uint64_t mmap_desc_size;
	uint64_t rsdp;	     /* physical address, 0 if none */
	uint32_t rsdp_revision; /* 2 from the ACPI 2.0 GUID, 0 from the 1.0 GUID */
	uint32_t exit_retries;	/* ExitBootServices attempts that hit a stale map key */
	uint64_t efi_system_table;
	uint64_t efi_runtime_services;
	struct boot_fb fb;
	char cmdline[BOOT_CMDLINE_MAX]; /* load options, as ASCII */
};

/* Kernel entry, System V ABI, interrupts off, on the loader's page tables. */
typedef void (*kernel_entry_fn)(struct bootinfo *bi);

#endif

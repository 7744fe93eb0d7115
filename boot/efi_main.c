/*
 * UEFI entry: the only code that runs under firmware. It gathers what the
 * kernel needs (memory map, ACPI RSDP, GOP framebuffer, load options), places
 * the kernel image carried in boot/kernel_blob.asm, leaves boot services and
 * jumps to the kernel on page tables that add the kernel's high mapping to the
 * firmware's identity map. The kernel replaces all of that with its own.
 */
#include <efi.h>
#include <efilib.h>

#include "boot/bootinfo.h"

extern const uint8_t kernel_blob_start[], kernel_blob_end[];

#define PAGE_SIZE 4096ull
#define PTE_P (1ull << 0)
#define PTE_W (1ull << 1)
#define PTE_ADDR 0x000ffffffffff000ull
#define EXIT_RETRIES 8

static EFI_STATUS alloc_pages(UINTN pages, EFI_PHYSICAL_ADDRESS *phys)
{
	EFI_STATUS st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAnyPages,
					  EfiLoaderData, pages, phys);
	if (!EFI_ERROR(st))
		ZeroMem((void *)*phys, pages * PAGE_SIZE);
	return st;
}

static void fail(const CHAR16 *what, EFI_STATUS st)
{
	Print(L"vtdtest: %s failed: %r\n", what, st);
}

static void collect_cmdline(EFI_HANDLE image, struct bootinfo *bi)
{
	EFI_LOADED_IMAGE *li;
	unsigned n = 0;

	if (EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol,
					(void **)&li)) || !li->LoadOptions)
		return;
	const CHAR16 *opt = li->LoadOptions;
	UINTN chars = li->LoadOptionsSize / sizeof(CHAR16);
	for (UINTN i = 0; i < chars && opt[i] && n + 1 < BOOT_CMDLINE_MAX; i++)
		bi->cmdline[n++] = opt[i] < 0x80 ? (char)opt[i] : '?';
	bi->cmdline[n] = 0;
}

/* ACPI 2.0+ RSDP preferred; the 1.0 one only when firmware has nothing newer. */
static void collect_rsdp(struct bootinfo *bi)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID, acpi10 = ACPI_TABLE_GUID;

	for (UINTN i = 0; i < ST->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &ST->ConfigurationTable[i];
		if (!CompareGuid(&t->VendorGuid, &acpi20)) {
			bi->rsdp = (uint64_t)t->VendorTable;
			bi->rsdp_revision = 2;
			return;
		}
		if (!CompareGuid(&t->VendorGuid, &acpi10) && !bi->rsdp)
			bi->rsdp = (uint64_t)t->VendorTable;
	}
}

static void collect_framebuffer(struct bootinfo *bi)
{
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop;

	if (EFI_ERROR(uefi_call_wrapper(BS->LocateProtocol, 3, &GraphicsOutputProtocol, NULL,
					(void **)&gop)) || !gop->Mode || !gop->Mode->Info)
		return;
	EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info = gop->Mode->Info;
	struct boot_fb *fb = &bi->fb;
	switch (info->PixelFormat) {
	case PixelRedGreenBlueReserved8BitPerColor:
		fb->format = FB_RGBX;
		break;
	case PixelBlueGreenRedReserved8BitPerColor:
		fb->format = FB_BGRX;
		break;
	case PixelBitMask:
		fb->format = FB_MASKS;
		fb->red_mask = info->PixelInformation.RedMask;
		fb->green_mask = info->PixelInformation.GreenMask;
		fb->blue_mask = info->PixelInformation.BlueMask;
		break;
	default: /* BltOnly: no linear framebuffer to draw into */
		return;
	}
	fb->base = gop->Mode->FrameBufferBase;
	fb->size = gop->Mode->FrameBufferSize;
	fb->width = info->HorizontalResolution;
	fb->height = info->VerticalResolution;
	fb->stride = info->PixelsPerScanLine;
}

/* Copies the kernel to fresh pages; returns its header (in the copy) or NULL. */
static const struct kernel_header *load_kernel(struct bootinfo *bi)
{
	const struct kernel_header *h = (const void *)kernel_blob_start;
	UINTN blob = kernel_blob_end - kernel_blob_start;

	if (blob < sizeof(*h) || h->magic != KERNEL_MAGIC || h->file_size > blob ||
	    h->mem_size < h->file_size) {
		Print(L"vtdtest: the embedded kernel image is damaged\n");
		return NULL;
	}
	UINTN pages = (h->mem_size + PAGE_SIZE - 1) / PAGE_SIZE;
	EFI_PHYSICAL_ADDRESS phys;
	EFI_STATUS st = alloc_pages(pages, &phys);
	if (EFI_ERROR(st)) {
		fail(L"allocating kernel memory", st);
		return NULL;
	}
	CopyMem((void *)phys, h, h->file_size);
	bi->kernel_phys = phys;
	bi->kernel_size = pages * PAGE_SIZE;
	return (const void *)phys;
}

static uint64_t *table_at(uint64_t entry)
{
	return (uint64_t *)(entry & PTE_ADDR);
}

/* Returns the table that entry e points to, allocating it when absent. */
static uint64_t *next_table(uint64_t *e)
{
	EFI_PHYSICAL_ADDRESS phys;

	if (!(*e & PTE_P)) {
		if (EFI_ERROR(alloc_pages(1, &phys)))
			return NULL;
		*e = phys | PTE_P | PTE_W;
	}
	return table_at(*e);
}

/*
 * Hand-over page tables: the firmware's PML4 entries (its identity map) copied
 * into a new PML4, plus 4 KiB mappings of the kernel at its link address.
 */
static uint64_t build_handover_tables(const struct kernel_header *h, uint64_t kernel_phys,
				      uint64_t kernel_size)
{
	EFI_PHYSICAL_ADDRESS pml4;
	uint64_t cr3;

	if (EFI_ERROR(alloc_pages(1, &pml4)))
		return 0;
	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	CopyMem((void *)pml4, table_at(cr3), PAGE_SIZE);
	/* The kernel owns its top-level slot outright: never extend firmware tables. */
	((uint64_t *)pml4)[(h->link_base >> 39) & 511] = 0;

	for (uint64_t off = 0; off < kernel_size; off += PAGE_SIZE) {
		uint64_t va = h->link_base + off;
		uint64_t *t = (uint64_t *)pml4;
		for (int shift = 39; shift > 12; shift -= 9) {
			t = next_table(&t[(va >> shift) & 511]);
			if (!t)
				return 0;
		}
		t[(va >> 12) & 511] = (kernel_phys + off) | PTE_P | PTE_W;
	}
	return pml4;
}

/*
 * The memory map must be fetched right before ExitBootServices, and any
 * allocation in between changes its key; the buffer is sized with slack so the
 * retry loop itself never allocates.
 */
static EFI_STATUS exit_boot_services(EFI_HANDLE image, struct bootinfo *bi)
{
	UINTN size = 0, key, dsize;
	UINT32 dver;
	EFI_PHYSICAL_ADDRESS buf;
	EFI_STATUS st;

	uefi_call_wrapper(BS->GetMemoryMap, 5, &size, NULL, &key, &dsize, &dver);
	UINTN cap = size + 16 * PAGE_SIZE;
	st = alloc_pages(cap / PAGE_SIZE, &buf);
	if (EFI_ERROR(st))
		return st;
	for (unsigned attempt = 0; attempt < EXIT_RETRIES; attempt++) {
		size = cap;
		st = uefi_call_wrapper(BS->GetMemoryMap, 5, &size, (EFI_MEMORY_DESCRIPTOR *)buf,
				       &key, &dsize, &dver);
		if (EFI_ERROR(st))
			return st;
		bi->mmap = buf;
		bi->mmap_size = size;
		bi->mmap_desc_size = dsize;
		bi->exit_retries = attempt;
		st = uefi_call_wrapper(BS->ExitBootServices, 2, image, key);
		if (st != EFI_INVALID_PARAMETER)
			return st;
	}
	return st;
}

EFI_STATUS EFIAPI efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	EFI_PHYSICAL_ADDRESS bi_phys;
	EFI_STATUS st;

	InitializeLib(image, systab);
	Print(L"vtdtest: UEFI loader\n");
	st = alloc_pages(1, &bi_phys);
	if (EFI_ERROR(st)) {
		fail(L"allocating boot info", st);
		return st;
	}
	struct bootinfo *bi = (void *)bi_phys;
	bi->magic = BOOTINFO_MAGIC;
	bi->efi_system_table = (uint64_t)systab;
	bi->efi_runtime_services = (uint64_t)systab->RuntimeServices;
	collect_cmdline(image, bi);
	collect_rsdp(bi);
	collect_framebuffer(bi);

	const struct kernel_header *h = load_kernel(bi);
	if (!h)
		return EFI_LOAD_ERROR;
	uint64_t pml4 = build_handover_tables(h, bi->kernel_phys, bi->kernel_size);
	if (!pml4) {
		fail(L"building page tables", EFI_OUT_OF_RESOURCES);
		return EFI_OUT_OF_RESOURCES;
	}
	kernel_entry_fn entry = (kernel_entry_fn)h->entry;

	st = exit_boot_services(image, bi);
	if (EFI_ERROR(st)) {
		fail(L"ExitBootServices", st);
		return st;
	}
	/* From here on no firmware boot service may be called. */
	__asm__ volatile("cli; mov %0, %%cr3" ::"r"(pml4) : "memory");
	entry(bi);
	for (;;)
		__asm__ volatile("hlt");
}

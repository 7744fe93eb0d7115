/*
 * The kernel's own GDT and TSS (the firmware's lives in memory the kernel
 * reclaims). Long mode ignores segment bases and limits; the TSS is here only
 * for its interrupt stack table, so a double fault always has a good stack.
 */
#include "kernel/gdt.h"

#include <stdint.h>

#include "kernel/string.h"

/* Intel SDM Vol. 3, 8.7 "Task Management in 64-bit Mode", Figure 8-11 */
struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

_Static_assert(sizeof(struct tss) == 104, "TSS layout");

#define SEG_CODE64 0x00af9a000000ffffull /* P, DPL0, code, readable, L */
#define SEG_DATA 0x00cf92000000ffffull	 /* P, DPL0, data, writable */
#define SEG_TSS_TYPE 0x89ull		 /* P, available 64-bit TSS */

static struct tss tss;
static uint64_t gdt[5];
static uint8_t fatal_stack[16384] __attribute__((aligned(16)));

void gdt_init(void)
{
	uint64_t base = (uint64_t)&tss;
	uint64_t limit = sizeof(tss) - 1;

	memset(&tss, 0, sizeof(tss));
	tss.ist[IST_FATAL - 1] = (uint64_t)(fatal_stack + sizeof(fatal_stack));
	tss.iomap_base = sizeof(tss);

	gdt[0] = 0;
	gdt[GDT_KERNEL_CS / 8] = SEG_CODE64;
	gdt[GDT_KERNEL_DS / 8] = SEG_DATA;
	gdt[GDT_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (SEG_TSS_TYPE << 40) |
			   (((base >> 24) & 0xff) << 56);
	gdt[GDT_TSS / 8 + 1] = base >> 32;

	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) gdtr = {sizeof(gdt) - 1, (uint64_t)gdt};

	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %w2, %%ds\n\t"
			 "movw %w2, %%es\n\t"
			 "movw %w2, %%ss\n\t"
			 "movw %w2, %%fs\n\t"
			 "movw %w2, %%gs\n\t"
			 "ltr %w3"
			 :
			 : "m"(gdtr), "i"((uint64_t)GDT_KERNEL_CS), "r"(GDT_KERNEL_DS), "r"(GDT_TSS)
			 : "rax", "memory");
}

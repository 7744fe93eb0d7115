#ifndef GDT_H
#define GDT_H

#define GDT_KERNEL_CS 0x08
#define GDT_KERNEL_DS 0x10
#define GDT_TSS 0x18

/* Interrupt stack table slot for faults that must not trust the current stack */
#define IST_FATAL 1

void gdt_init(void);

#endif

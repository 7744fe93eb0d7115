/*
 * I/O APICs and the legacy 8259 pair, silenced at start: the harness raises
 * every interrupt it waits for itself, so a stray line from firmware-era
 * routing must not reach the CPU (or the remapping hardware) unasked.
 */
#include "kernel/acpi.h"
#include "kernel/apic.h"
#include "kernel/console.h"
#include "kernel/io.h"
#include "kernel/vm.h"

/* 82093AA I/O APIC datasheet, 3.0 "Register Description" */
#define IOAPIC_REGSEL 0x00
#define IOAPIC_WIN 0x10
#define IOAPIC_REG_VER 0x01
#define IOAPIC_VER_MAXREDIR(v) (((v) >> 16) & 0xff)
#define IOAPIC_REDTBL_LO(i) (0x10 + 2 * (i))
#define IOAPIC_REDIR_MASKED (1u << 16)

#define PIC1_DATA 0x21
#define PIC2_DATA 0xa1

static uint32_t ioapic_read(volatile uint8_t *base, uint8_t reg)
{
	mmio_write32(base + IOAPIC_REGSEL, reg);
	return mmio_read32(base + IOAPIC_WIN);
}

static void ioapic_write(volatile uint8_t *base, uint8_t reg, uint32_t v)
{
	mmio_write32(base + IOAPIC_REGSEL, reg);
	mmio_write32(base + IOAPIC_WIN, v);
}

void ioapic_mask_all(const struct madt *madt)
{
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
	for (unsigned i = 0; i < madt->nioapics; i++) {
		const struct madt_ioapic *io = &madt->ioapic[i];
		volatile uint8_t *base = (volatile uint8_t *)mmio_map(io->address, 0x20);
		if (!base) {
			printf("# warning: cannot map I/O APIC %u at %#x\n", io->id, io->address);
			continue;
		}
		unsigned n = IOAPIC_VER_MAXREDIR(ioapic_read(base, IOAPIC_REG_VER)) + 1;
		for (unsigned e = 0; e < n; e++) {
			uint32_t lo = ioapic_read(base, IOAPIC_REDTBL_LO(e));
			ioapic_write(base, IOAPIC_REDTBL_LO(e), lo | IOAPIC_REDIR_MASKED);
		}
		printf("# I/O APIC %u at %#x: %u entries masked (GSI base %u)\n", io->id,
		       io->address, n, io->gsi_base);
	}
}

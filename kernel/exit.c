/*
 * Leaving the harness. Under QEMU (exit=qemu) the status goes out through
 * isa-debug-exit. On a real machine the results stay on screen for a while,
 * then the machine resets: the FADT reset register first (ACPI spec, "Reset
 * Register"), then EFI ResetSystem, then the 0xCF9 reset control port.
 */
#include "kernel/exit.h"

#include <stdint.h>

#include "kernel/acpi.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/io.h"
#include "kernel/platform.h"
#include "kernel/timer.h"
#include "kernel/trap.h"
#include "kernel/vm.h"

#define QEMU_DEBUG_EXIT_PORT 0xf4
#define RESET_CONTROL_PORT 0xcf9
#define RESET_CONTROL_FULL 0x0e
#define EFI_RESET_COLD 0
#define EFI_RT_RESET_SYSTEM 104 /* offset of ResetSystem in EFI_RUNTIME_SERVICES */
#define RESET_SETTLE_US 500000

typedef void __attribute__((ms_abi)) (*efi_reset_fn)(int type, uint64_t status, uint64_t size,
						      void *data);

static struct exit_options opts = {.reset_delay_s = 30};

void exit_configure(const struct exit_options *o)
{
	opts = *o;
}

static void acpi_reset(void)
{
	const struct fadt *f = &platform.fadt;

	if (!f->present || !f->reset_supported)
		return;
	if (f->reset_reg.space == ACPI_SPACE_IO && f->reset_reg.address <= 0xffff) {
		outb((uint16_t)f->reset_reg.address, f->reset_value);
	} else if (f->reset_reg.space == ACPI_SPACE_MEMORY) {
		volatile uint8_t *r = (volatile uint8_t *)mmio_map(f->reset_reg.address, 1);
		if (r)
			mmio_write8(r, f->reset_value);
	}
	udelay(RESET_SETTLE_US);
}

/* Runtime services stay at their physical addresses (no SetVirtualAddressMap),
 * which the kernel's identity map covers. */
static void efi_reset(void)
{
	const struct bootinfo *bi = platform.boot;

	if (!bi || !bi->efi_runtime_services)
		return;
	efi_reset_fn reset = *(efi_reset_fn *)phys_to_virt(bi->efi_runtime_services +
							    EFI_RT_RESET_SYSTEM);
	if (reset)
		reset(EFI_RESET_COLD, 0, 0, NULL);
	udelay(RESET_SETTLE_US);
}

void machine_exit(enum exit_status status)
{
	irq_disable();
	if (opts.qemu)
		outl(QEMU_DEBUG_EXIT_PORT, status);
	if (opts.halt) {
		printf("# halted (status %d)\n", status);
		for (;;)
			halt();
	}
	printf("# resetting in %u s (status %d)\n", opts.reset_delay_s, status);
	udelay((uint64_t)opts.reset_delay_s * 1000000);
	acpi_reset();
	efi_reset();
	outb(RESET_CONTROL_PORT, RESET_CONTROL_FULL);
	udelay(RESET_SETTLE_US);
	cpu_triple_fault();
}

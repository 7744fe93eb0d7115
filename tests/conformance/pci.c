/*
 * PCI platform checks: that probing devices leaves them as firmware set them
 * up, and that a device's message-signalled interrupt, as the harness's MSI
 * helpers program it, reaches this CPU with its vector (every interrupt-
 * remapping test builds on that path).
 */
#include "drivers/edu.h"
#include "kernel/apic.h"
#include "kernel/console.h"
#include "kernel/pci.h"
#include "kernel/pci_internal.h"
#include "kernel/test.h"
#include "kernel/timer.h"
#include "kernel/trap.h"

#define SPEC_MSI                                                                                   \
	"PCI Local Bus 3.0 6.8.1 MSI Capability Structure; "                                      \
	"Intel SDM Vol. 3 11.11 Message Signalled Interrupts"

/* Compatibility-format MSI (SDM 11.11.1, 11.11.2): fixed delivery, edge, physical
 * destination in address bits 19:12. */
#define MSI_ADDR_BASE 0xfee00000u
#define MSI_ADDR_DEST(apic_id) ((uint32_t)(apic_id) << 12)
#define MSI_DEST_MAX 0xff

#define EDU_RAISE_BIT 0x40000000u
#define MSI_WAIT_US 1000000

struct msi_catch {
	volatile unsigned count;
	volatile uint64_t vector;
};

static void on_msi(struct trap_frame *f, void *arg)
{
	struct msi_catch *c = arg;

	c->count++;
	c->vector = f->vector;
}

static bool caught(void *arg)
{
	return ((struct msi_catch *)arg)->count > 0;
}

static void pci_msi_delivered(void)
{
	struct msi_catch c = { 0 };
	struct edu e;

	if (edu_open(&e, 0))
		skip("no working edu device (QEMU: -device edu)");
	if (!pci_find_cap(e.pci, PCI_CAP_MSI))
		skip("the edu device has no MSI capability");
	if (apic_id() > MSI_DEST_MAX)
		skip("APIC id %u is beyond a compatibility-format MSI's 8-bit destination",
		     apic_id());
	int vector = irq_alloc(on_msi, &c);
	check(vector >= 0, "no free interrupt vector");
	if (vector < 0)
		return;

	int err = pci_msi_enable(e.pci, MSI_ADDR_BASE | MSI_ADDR_DEST(apic_id()), vector);
	check(!err, "programming MSI failed: %s", pci_strerror(err));
	edu_raise(&e, EDU_RAISE_BIT);
	check(wait_until(caught, &c, MSI_WAIT_US), "no interrupt within %u ms", MSI_WAIT_US / 1000);
	check_eq(c.count, 1, "interrupts delivered for one raise");
	check_eq(c.vector, vector, "vector the CPU received");
	check_eq(edu_irq_status(&e) & EDU_RAISE_BIT, EDU_RAISE_BIT, "edu interrupt status");

	edu_ack(&e, EDU_RAISE_BIT);
	pci_msi_disable(e.pci);
	irq_unregister(vector);
}

/* The registers BAR sizing writes: COMMAND and the BARs of the header type. */
static void snapshot(const struct pci_dev *d, uint32_t *regs, unsigned n)
{
	regs[0] = pci_read16(&d->addr, PCI_COMMAND);
	for (unsigned i = 1; i < n; i++)
		regs[i] = pci_read32(&d->addr, PCI_BAR0 + 4 * (i - 1));
}

/* Sizing a live device's BARs must leave it decoding exactly as firmware set it
 * up, or the harness would break the machine it runs on. */
static void pci_bar_sizing_restores(void)
{
	for (unsigned i = 0; i < pci_count(); i++) {
		const struct pci_dev *d = pci_device(i);
		uint32_t before[1 + PCI_MAX_BARS], after[1 + PCI_MAX_BARS];
		unsigned n = 1 + d->nbars;
		struct pci_dev copy = *d;

		snapshot(d, before, n);
		pci_decode_bars(&copy);
		snapshot(d, after, n);
		for (unsigned r = 0; r < n; r++) {
			char what[16] = "COMMAND";
			if (r)
				snprintf(what, sizeof(what), "BAR%u", r - 1);
			check(before[r] == after[r],
			      PCI_ADDR_FMT " %s: expected %#x after sizing, seen %#x",
			      PCI_ADDR_ARGS(&d->addr), what, before[r], after[r]);
		}
	}
}

static const struct test pci_tests[] = {
	{
		.name = "pci.bar_sizing_restores",
		.run = pci_bar_sizing_restores,
		.confirms = "sizing every function's BARs leaves COMMAND and the BARs as found",
		.spec = "PCI Local Bus 3.0 6.2.5.1 Address Maps",
	},
	{
		.name = "pci.msi_delivered",
		.run = pci_msi_delivered,
		.confirms = "a compatibility-format MSI from a device arrives once, with its vector",
		.spec = SPEC_MSI,
	},
};

TEST_SUITE(pci_suite, "pci", pci_tests);

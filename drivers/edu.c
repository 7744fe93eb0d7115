/*
 * QEMU's edu device: -device edu[,dma_mask=0xffffffffffffffff]. Its registers
 * (QEMU docs/specs/edu.rst) sit in BAR0; the identification register reads
 * 0xRRrr00ed and the liveness register returns the complement of what was
 * written, which together tell a live edu from anything else.
 */
#include "drivers/edu.h"

#include "kernel/console.h"
#include "kernel/io.h"
#include "kernel/vm.h"

#define EDU_ID 0x00
#define EDU_ID_MAGIC 0xed
#define EDU_LIVENESS 0x04
#define EDU_IRQ_STATUS 0x24
#define EDU_IRQ_RAISE 0x60
#define EDU_IRQ_ACK 0x64
#define EDU_BAR_SIZE 0x100 /* the registers the harness uses */

#define LIVENESS_PROBE 0x5aa5c33cu

int edu_open(struct edu *e, unsigned n)
{
	const struct pci_dev *d = pci_find_id(EDU_VENDOR, EDU_DEVICE, n);

	if (!d)
		return -1;
	if (d->bar[0].kind != PCI_BAR_MEM32 && d->bar[0].kind != PCI_BAR_MEM64) {
		printf("# edu " PCI_ADDR_FMT ": BAR0 is not a memory BAR\n", PCI_ADDR_ARGS(&d->addr));
		return -1;
	}
	e->pci = d;
	e->regs = (volatile uint8_t *)mmio_map(d->bar[0].base, EDU_BAR_SIZE);
	if (!e->regs)
		return -1;
	pci_enable_memory(d);
	uint32_t id = mmio_read32(e->regs + EDU_ID);
	mmio_write32(e->regs + EDU_LIVENESS, LIVENESS_PROBE);
	uint32_t live = mmio_read32(e->regs + EDU_LIVENESS);
	if ((id & 0xff) != EDU_ID_MAGIC || live != ~LIVENESS_PROBE) {
		printf("# edu " PCI_ADDR_FMT ": id %#x, liveness %#x: not answering\n",
		       PCI_ADDR_ARGS(&d->addr), id, live);
		return -1;
	}
	return 0;
}

void edu_raise(const struct edu *e, uint32_t bits)
{
	mmio_write32(e->regs + EDU_IRQ_RAISE, bits);
}

void edu_ack(const struct edu *e, uint32_t bits)
{
	mmio_write32(e->regs + EDU_IRQ_ACK, bits);
}

uint32_t edu_irq_status(const struct edu *e)
{
	return mmio_read32(e->regs + EDU_IRQ_STATUS);
}

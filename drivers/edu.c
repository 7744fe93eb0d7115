/*
 * QEMU's edu device: -device edu[,dma_mask=0xffffffffffffffff]. Its registers
 * (QEMU docs/specs/edu.rst) sit in BAR0; the identification register reads
 * 0xRRrr00ed and the liveness register returns the complement of what was
 * written, which together tell a live edu from anything else.
 */
#include "drivers/edu.h"

#include "kernel/console.h"
#include "kernel/io.h"
#include "kernel/timer.h"
#include "kernel/vm.h"

#define EDU_ID 0x00
#define EDU_ID_MAGIC 0xed
#define EDU_LIVENESS 0x04
#define EDU_IRQ_STATUS 0x24
#define EDU_IRQ_RAISE 0x60
#define EDU_IRQ_ACK 0x64
#define EDU_DMA_SRC 0x80
#define EDU_DMA_DST 0x88
#define EDU_DMA_COUNT 0x90
#define EDU_DMA_CMD 0x98
#define EDU_DMA_CMD_START 0x1u
#define EDU_DMA_CMD_TO_RAM 0x2u /* direction: device buffer to memory */
#define EDU_DMA_CMD_IRQ 0x4u
#define EDU_BUF_BASE 0x40000u
#define EDU_BAR_SIZE 0x100 /* the registers the harness uses */

/* A transfer takes 100 ms of the emulator's virtual clock; a second is ample. */
#define EDU_DMA_TIMEOUT_US 1000000

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
	pci_command(d, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 0);
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

int edu_dma_start(const struct edu *e, enum edu_dma_dir dir, uint64_t addr, uint32_t off,
		  uint32_t count, bool irq)
{
	bool to_ram = dir == EDU_DMA_WRITE;

	if (!count || off >= EDU_DMA_LIMIT || count > EDU_DMA_LIMIT - off)
		return -1;
	mmio_write64(e->regs + EDU_DMA_SRC, to_ram ? EDU_BUF_BASE + off : addr);
	mmio_write64(e->regs + EDU_DMA_DST, to_ram ? addr : EDU_BUF_BASE + off);
	mmio_write64(e->regs + EDU_DMA_COUNT, count);
	mmio_write64(e->regs + EDU_DMA_CMD, EDU_DMA_CMD_START | (to_ram ? EDU_DMA_CMD_TO_RAM : 0) |
						    (irq ? EDU_DMA_CMD_IRQ : 0));
	return 0;
}

bool edu_dma_busy(const struct edu *e)
{
	return mmio_read64(e->regs + EDU_DMA_CMD) & EDU_DMA_CMD_START;
}

static bool dma_done(void *arg)
{
	return !edu_dma_busy(arg);
}

int edu_dma(const struct edu *e, enum edu_dma_dir dir, uint64_t addr, uint32_t off,
	    uint32_t count)
{
	if (edu_dma_start(e, dir, addr, off, count, false)) {
		printf("# edu: transfer of %u bytes at buffer offset %u does not fit the buffer\n",
		       count, off);
		return -1;
	}
	if (!wait_until(dma_done, (void *)e, EDU_DMA_TIMEOUT_US)) {
		printf("# edu: DMA still busy after %u ms\n", EDU_DMA_TIMEOUT_US / 1000);
		return -1;
	}
	return 0;
}

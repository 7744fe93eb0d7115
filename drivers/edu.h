/* QEMU's educational PCI device (docs/specs/edu.rst in QEMU): a DMA engine and
 * an interrupt it raises on request. */
#ifndef EDU_H
#define EDU_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/pci.h"

#define EDU_VENDOR 0x1234
#define EDU_DEVICE 0x11e8

struct edu {
	const struct pci_dev *pci;
	volatile uint8_t *regs; /* BAR0 */
};

/* Finds and maps the n-th edu and checks that it answers. Returns 0, or -1
 * when there is none (the caller skips) or it does not answer (reported). */
int edu_open(struct edu *e, unsigned n);
/* Raises the device's interrupt with these status bits (an MSI once enabled). */
void edu_raise(const struct edu *e, uint32_t bits);
/* Clears status bits; the interrupt line drops when none are left. */
void edu_ack(const struct edu *e, uint32_t bits);
uint32_t edu_irq_status(const struct edu *e);

/* The device's DMA buffer: 4 KiB at device address 0x40000 (edu.rst). A
 * transfer must lie wholly inside it: QEMU aborts on anything else. */
#define EDU_BUF_SIZE 4096u
/* QEMU 7.2's edu bounds check excludes the buffer's last byte (a transfer
 * ending exactly at 0x41000 is "out of bounds" and aborts QEMU), so transfers
 * stay below it. */
#define EDU_DMA_LIMIT (EDU_BUF_SIZE - 1)
#define EDU_IRQ_DMA 0x100u /* status bit the DMA-done interrupt raises */
#define EDU_IRQ_TEST 0x40000000u /* a status bit of no meaning to the device, for edu_raise() */

enum edu_dma_dir {
	EDU_DMA_READ,  /* memory -> device buffer: the device reads memory */
	EDU_DMA_WRITE, /* device buffer -> memory: the device writes memory */
};

/* Starts a transfer of count bytes between bus address addr (an IOVA when the
 * device is translated) and the device buffer at off; with irq, the device
 * raises EDU_IRQ_DMA when done. Returns 0, or -1 when the range leaves the
 * device buffer. Bus mastering is on from edu_open(). */
int edu_dma_start(const struct edu *e, enum edu_dma_dir dir, uint64_t addr, uint32_t off,
		  uint32_t count, bool irq);
bool edu_dma_busy(const struct edu *e);
/* Starts a transfer without interrupt and waits for it; 0, or -1 when it did not
 * start or did not finish in time (reported). */
int edu_dma(const struct edu *e, enum edu_dma_dir dir, uint64_t addr, uint32_t off,
	    uint32_t count);

#endif

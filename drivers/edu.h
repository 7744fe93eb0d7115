/* QEMU's educational PCI device (docs/specs/edu.rst in QEMU): a DMA engine and
 * an interrupt it raises on request. */
#ifndef EDU_H
#define EDU_H

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

#endif

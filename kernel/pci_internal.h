/* Shared by the PCI files only (pci.c: the bus; pci_func.c: each function). */
#ifndef PCI_INTERNAL_H
#define PCI_INTERNAL_H

#include "kernel/finding.h"
#include "kernel/pci.h"

/* Prints a PCI finding, labelled by origin, as a TAP diagnostic line. */
void pci_report(enum finding_origin origin, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Decodes and sizes d's BARs, leaving the function as it found it. */
void pci_decode_bars(struct pci_dev *d);

#endif

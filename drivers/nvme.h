/*
 * NVM Express controllers, read only: one admin queue pair (polled) and one I/O
 * queue pair whose completion queue signals an MSI-X vector. The driver issues
 * only Identify, Create/Delete I/O Completion/Submission Queue and Read: nothing
 * that writes media or changes persistent state. All memory the controller
 * reaches on its own (queues, Identify data) is in one dma_alloc()'d buffer,
 * nvme.mem, so a test that translates the device identity-maps that first.
 */
#ifndef NVME_H
#define NVME_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/dma.h"
#include "kernel/pci.h"

/* Class code of an NVMe controller (PCI Code and ID Assignment 1.x, 1.2) */
#define NVME_CLASS    0x01 /* mass storage */
#define NVME_SUBCLASS 0x08 /* non-volatile memory */
#define NVME_PROG_IF  0x02 /* NVM Express */

/* MSI-X entry the I/O completion queue signals. Entry 0 belongs to the admin
 * completion queue, which is polled; nvme_open leaves both masked. */
#define NVME_IO_VECTOR 1

/* *status when no completion came: the status field is 15 bits wide. */
#define NVME_STATUS_TIMEOUT  0xffffffffu
#define NVME_STATUS_NOT_SENT 0xfffffffeu /* the arguments were refused */
/* Parts of a completion's status field (NVMe Base 2.0, 4.2.3) */
#define NVME_STATUS_SC(s)    ((s)&0xffu)       /* Status Code */
#define NVME_STATUS_SCT(s)   ((s) >> 8 & 0x7u) /* Status Code Type */

/* Errors, returned negated; nvme_strerror() names them. */
enum nvme_error {
	NVME_EARG = 1, /* bad arguments, or the queue pair is not there */
	NVME_ETIMEOUT, /* no completion within the command timeout */
	NVME_ESTATUS,  /* completed with a non-zero status */
	NVME_EFATAL,   /* CSTS.CFS set, or the controller reads as all ones */
	NVME_EBROKEN,  /* an earlier command went wrong; only nvme_close remains */
	NVME_EPROTO,   /* a completion for a command that was not outstanding */
};
const char *nvme_strerror(int err);

struct nvme_queue {
	void *entries;               /* inside nvme.mem, page aligned */
	uint64_t phys;               /* what the controller is given */
	volatile uint32_t *doorbell; /* SQ tail or CQ head doorbell */
	uint16_t size;               /* entries */
	uint16_t pos;                /* SQ: tail; CQ: head */
	uint8_t phase;               /* CQ: the phase tag of a new entry */
};

struct nvme_qpair {
	uint16_t id;
	struct nvme_queue sq, cq;
};

struct nvme {
	const struct pci_dev *pci;
	volatile uint8_t *regs;  /* BAR0 */
	struct pci_msix msix;    /* opened with pci_msix_open */
	struct dma_buf mem;      /* all the driver's DMA memory: queues and the Identify page */
	uint32_t nsid, lba_size; /* first active namespace and its LBA data size */
	uint64_t nlba;
	struct nvme_qpair admin, io;
	uint8_t *identify;  /* one page inside mem */
	uint32_t db_stride; /* bytes between doorbells: 4 << CAP.DSTRD */
	uint64_t ready_us;  /* CSTS.RDY transition bound: CAP.TO (or CRTO.CRWMT) */
	uint16_t cid;       /* next command identifier */
	bool enabled;       /* CC.EN written as 1 */
	bool io_cq, io_sq;  /* the I/O queues exist */
	bool broken;        /* a command timed out or the controller failed */
};

/*
 * Finds the index-th NVMe controller (class 01h/08h/02h), maps BAR0, resets and
 * enables it with an admin queue, identifies the controller and its first active
 * namespace, and creates one I/O queue pair whose completion queue signals
 * MSI-X entry NVME_IO_VECTOR (interrupts enabled in the CQ). MSI-X is left
 * enabled (a CQ may only name a vector other than 0 then), with entries 0 and
 * NVME_IO_VECTOR masked and unprogrammed: the caller programs them
 * (pci_msix_program / pci_msix_mask / pci_msix_function_mask) in the format it
 * wants.
 * Returns 0, or -1 when there is none (the caller skips) or it failed (printed
 * once with the reason; everything is already undone).
 */
int nvme_open(struct nvme *n, unsigned index);

/*
 * Reads count LBAs from lba into dev_addr, the address the device uses (an IOVA
 * when it is translated, physical otherwise; dword aligned). The transfer may
 * cross into a second memory page (PRP2) but not a third. Polls the completion
 * queue, bounded; never waits for the interrupt. Returns 0 or a negated enum
 * nvme_error; *status (may be NULL) gets the completion's status field, or
 * NVME_STATUS_TIMEOUT / NVME_STATUS_NOT_SENT. After a timeout the controller
 * may still write dev_addr: nvme_close it before freeing that memory.
 */
int nvme_read(struct nvme *n, uint64_t lba, unsigned count, uint64_t dev_addr, uint32_t *status);

/* Deletes the I/O queues, disables the controller (CC.EN=0, waits for RDY=0),
 * disables MSI-X and bus mastering, frees n->mem. Safe after a failed open and
 * twice. */
void nvme_close(struct nvme *n);

#endif

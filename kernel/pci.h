/*
 * PCI: configuration space access (ECAM from the MCFG windows, or the legacy
 * 0xCF8/0xCFC ports), one enumeration at boot into a fixed table of functions
 * with their BARs decoded and sized, capability lookup, and MSI / MSI-X
 * programming (msi.c). Enumeration follows the bus numbers firmware assigned;
 * nothing here reprograms them.
 */
#ifndef PCI_H
#define PCI_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/acpi.h"

struct pci_addr {
	uint16_t seg;
	uint8_t bus, dev, fn;
};

#define PCI_ADDR(s, b, d, f) ((struct pci_addr){ (s), (b), (d), (f) })
/* printf("dev " PCI_ADDR_FMT "\n", PCI_ADDR_ARGS(a)) prints 0000:00:1f.0 */
#define PCI_ADDR_FMT "%04x:%02x:%02x.%x"
#define PCI_ADDR_ARGS(a) (a)->seg, (a)->bus, (a)->dev, (a)->fn

/* Type 0 / type 1 configuration header (PCI Local Bus Spec 3.0, 6.1 and
 * PCI-to-PCI Bridge Architecture Spec 1.2, 3.2) */
#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_COMMAND_IO (1u << 0)	    /* I/O Space */
#define PCI_COMMAND_MEMORY (1u << 1)	    /* Memory Space */
#define PCI_COMMAND_MASTER (1u << 2)	    /* Bus Master */
#define PCI_COMMAND_INTX_DISABLE (1u << 10) /* Interrupt Disable */
#define PCI_STATUS 0x06
#define PCI_STATUS_CAP_LIST (1u << 4) /* Capabilities List */
#define PCI_CLASS_REVISION 0x08	      /* revision 7:0, prog-if 15:8, subclass 23:16, class 31:24 */
#define PCI_HEADER_TYPE 0x0e
#define PCI_HEADER_MULTIFUNCTION 0x80
#define PCI_BAR0 0x10
#define PCI_BUS_NUMBERS 0x18 /* type 1: primary 7:0, secondary 15:8, subordinate 23:16 */
#define PCI_SECONDARY_BUS 0x19
#define PCI_CAP_PTR 0x34	 /* type 0 and 1 */
#define PCI_CARDBUS_CAP_PTR 0x14 /* type 2 */

#define PCI_CFG_SIZE 256	 /* conventional configuration space */
#define PCI_EXT_CFG_SIZE 4096 /* PCI Express extended configuration space */

enum pci_header_type {
	PCI_HEADER_NORMAL = 0,
	PCI_HEADER_BRIDGE = 1,
	PCI_HEADER_CARDBUS = 2,
};

/* Capability IDs (PCI Code and ID Assignment Spec, chapters 2 and 3) */
#define PCI_CAP_PM 0x01
#define PCI_CAP_MSI 0x05
#define PCI_CAP_EXP 0x10
#define PCI_CAP_MSIX 0x11
#define PCI_EXT_CAP_AER 0x0001
#define PCI_EXT_CAP_ACS 0x000d
#define PCI_EXT_CAP_ATS 0x000f
#define PCI_EXT_CAP_PRI 0x0013
#define PCI_EXT_CAP_PASID 0x001b

/* PCI Express Capability (PCI Express Base Spec, 7.5.3) */
#define PCI_EXP_FLAGS 0x02	      /* PCI Express Capabilities Register */
#define PCI_EXP_FLAGS_VERSION 0xf     /* Capability Version, 3:0 */
#define PCI_EXP_FLAGS_TYPE 0xf0	      /* Device/Port Type, 7:4 */
#define PCI_EXP_DEVCTL2 0x28	      /* Device Control 2 */
#define PCI_EXP_DEVCTL2_ARI (1u << 5) /* ARI Forwarding Enable */

enum pci_exp_type {
	PCI_EXP_TYPE_ENDPOINT = 0x0,
	PCI_EXP_TYPE_LEGACY_ENDPOINT = 0x1,
	PCI_EXP_TYPE_ROOT_PORT = 0x4,
	PCI_EXP_TYPE_UPSTREAM = 0x5,
	PCI_EXP_TYPE_DOWNSTREAM = 0x6,
	PCI_EXP_TYPE_PCIE_TO_PCI = 0x7,
	PCI_EXP_TYPE_PCI_TO_PCIE = 0x8,
	PCI_EXP_TYPE_RC_ENDPOINT = 0x9,
	PCI_EXP_TYPE_RC_EVENT_COLLECTOR = 0xa,
};

/* Errors, returned negated; pci_strerror() names them. */
enum pci_error {
	PCI_ENOCAP = 1, /* the function lacks the capability */
	PCI_ENOTSUP,	/* the capability lacks the optional feature asked for */
	PCI_ERANGE,	/* argument beyond what the function supports */
	PCI_EBAR,	/* a structure's BAR is absent, unassigned or too small */
	PCI_ENOMAP,	/* mmio_map() failed */
};
const char *pci_strerror(int err);

enum pci_bar_kind {
	PCI_BAR_NONE, /* unimplemented, or the upper half of the 64-bit BAR before it */
	PCI_BAR_IO,
	PCI_BAR_MEM32, /* also the "below 1 MiB" type of PCI 2.x */
	PCI_BAR_MEM64,
};

struct pci_bar {
	uint64_t base; /* as firmware assigned it; 0 when unassigned */
	uint64_t size;
	uint8_t kind; /* enum pci_bar_kind */
	bool prefetchable;
};

#define PCI_MAX_BARS 6

struct pci_dev {
	struct pci_addr addr;
	uint16_t vendor, device;
	uint8_t class, subclass, prog_if, revision;
	uint8_t header_type; /* enum pci_header_type; the multifunction bit is apart */
	bool multifunction;
	uint8_t pcie_cap;  /* offset of the PCI Express capability, 0 on conventional PCI */
	uint8_t pcie_type; /* enum pci_exp_type, when pcie_cap != 0 */
	uint8_t nbars;	   /* BAR slots of the header type: 6, 2 or 1 */
	uint8_t primary, secondary, subordinate; /* bus numbers, bridges only */
	struct pci_bar bar[PCI_MAX_BARS];
};

/*
 * Sets up configuration access from the MCFG windows (the legacy ports for
 * segment 0 when there are none) and enumerates every function. Returns the
 * number of functions recorded. Anomalies are printed as findings when found.
 */
int pci_init(const struct mcfg *mcfg);

/* Configuration space. off must be aligned to the width; reads of absent
 * functions, of extended space without ECAM, or of bad arguments return all ones
 * and such writes are dropped. */
uint8_t pci_read8(const struct pci_addr *a, uint16_t off);
uint16_t pci_read16(const struct pci_addr *a, uint16_t off);
uint32_t pci_read32(const struct pci_addr *a, uint16_t off);
void pci_write8(const struct pci_addr *a, uint16_t off, uint8_t v);
void pci_write16(const struct pci_addr *a, uint16_t off, uint16_t v);
void pci_write32(const struct pci_addr *a, uint16_t off, uint32_t v);

/* The enumerated functions, in discovery order (each bridge's subtree follows it). */
unsigned pci_count(void);
const struct pci_dev *pci_device(unsigned i);
const struct pci_dev *pci_lookup(const struct pci_addr *a);
/* The n-th (0-based) function with this vendor and device ID, or NULL. */
const struct pci_dev *pci_find_id(uint16_t vendor, uint16_t device, unsigned n);

/* Offset of the first standard (PCI Local Bus Spec 3.0, 6.7) or extended (PCI
 * Express Base Spec, 7.6) capability with the given ID, or 0 when absent. */
uint16_t pci_find_cap(const struct pci_dev *d, uint8_t id);
uint16_t pci_find_ext_cap(const struct pci_dev *d, uint16_t id);

/* Sets then clears bits of the COMMAND register; returns its previous value. */
uint16_t pci_command(const struct pci_dev *d, uint16_t set, uint16_t clear);
static inline uint16_t pci_enable_memory(const struct pci_dev *d)
{
	return pci_command(d, PCI_COMMAND_MEMORY, 0);
}
static inline uint16_t pci_enable_bus_master(const struct pci_dev *d)
{
	return pci_command(d, PCI_COMMAND_MASTER, 0);
}

/* A dmar_secondary_bus_fn: the secondary bus of the type 1 function there, or -1. */
int pci_secondary_bus(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn);

/* lspci-like listing: one line per function; verbose adds BARs and capabilities. */
void pci_print(void);
void pci_print_verbose(void);

/*
 * MSI (msi.c). The caller composes address and data (compatibility or
 * remappable format); these only place them. One vector: Multiple Message
 * Enable stays 0. Each returns 0 or a negated enum pci_error.
 */
int pci_msi_enable(const struct pci_dev *d, uint64_t addr, uint16_t data);
int pci_msi_disable(const struct pci_dev *d);
/* Per-vector masking of vector 0; -PCI_ENOTSUP when the function has none. */
int pci_msi_mask(const struct pci_dev *d, bool masked);
/* Vector 0's pending bit (1 or 0), or a negated error. */
int pci_msi_pending(const struct pci_dev *d);

/* MSI-X: the table and PBA located through their BARs and mapped. The function's
 * memory decode must be on (pci_enable_memory) to reach them. */
struct pci_msix {
	const struct pci_dev *dev;
	uint16_t cap;
	uint16_t nvec;
	volatile uint8_t *table;
	volatile uint8_t *pba;
};

int pci_msix_open(struct pci_msix *x, const struct pci_dev *d);
/* Writes entry i's address and data with the entry masked, and leaves it masked. */
int pci_msix_program(const struct pci_msix *x, unsigned i, uint64_t addr, uint32_t data);
int pci_msix_mask(const struct pci_msix *x, unsigned i, bool masked);
/* Entry i's pending bit (1 or 0), or a negated error. */
int pci_msix_pending(const struct pci_msix *x, unsigned i);
void pci_msix_enable(const struct pci_msix *x, bool enable);
void pci_msix_function_mask(const struct pci_msix *x, bool masked);

#endif

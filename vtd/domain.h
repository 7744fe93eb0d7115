/*
 * A domain: one domain id and one second-level page table, which the devices
 * attached to it share. What the tests program DMA remapping with.
 */
#ifndef VTD_DOMAIN_H
#define VTD_DOMAIN_H

#include <stdint.h>

#include "kernel/pci.h"
#include "vtd/context.h"
#include "vtd/pagetable.h"

struct vtd_unit;

struct vtd_domain {
	struct vtd_unit *u;
	uint16_t did;
	enum vtd_tt tt;
	struct vtd_pt pt;
};

/* The smallest level count CAP.SAGAW offers (3 before 4 before 5), or 0. */
unsigned vtd_default_levels(const struct vtd_unit *u);
/* Whether CAP.SAGAW offers this level count. */
bool vtd_levels_supported(const struct vtd_unit *u, unsigned levels);

/*
 * An empty domain with its own page table of `levels` levels (0: the
 * default). Returns 0 or a negated vtd_error (-VTD_ENOTSUP for levels SAGAW
 * lacks, -VTD_EINVAL for a domain id beyond CAP.ND).
 */
int vtd_domain_init(struct vtd_domain *d, struct vtd_unit *u, uint16_t did, unsigned levels);
/* Frees the page table. Detach the devices first. */
void vtd_domain_destroy(struct vtd_domain *d);

/* The source-id the unit sees for a PCI Express function: its own requester id. */
uint16_t vtd_sid_of(const struct pci_dev *dev);

/* Points the device's context entry at the domain (translation type d->tt)
 * and invalidates what the spec says must be. */
int vtd_domain_attach(struct vtd_domain *d, const struct pci_dev *dev);
/* Clears the context entry; context cache and IOTLB invalidated. */
int vtd_domain_detach(struct vtd_domain *d, const struct pci_dev *dev);

/* Maps with 4 KiB pages (map_pages: a chosen page size), perm VTD_PTE_R/W.
 * Under CAP.CM the new range is invalidated too. */
int vtd_domain_map(struct vtd_domain *d, uint64_t iova, uint64_t phys, uint64_t size,
		   uint64_t perm);
int vtd_domain_map_pages(struct vtd_domain *d, uint64_t iova, uint64_t phys, uint64_t size,
			 uint64_t page_size, uint64_t perm);
/* Unmaps and invalidates the IOTLB for the range (page-selective when the
 * unit has PSI and the range fits one address mask, else domain-selective). */
int vtd_domain_unmap(struct vtd_domain *d, uint64_t iova, uint64_t size);
/* Invalidates the IOTLB for [iova, iova+size) as vtd_domain_unmap does. */
int vtd_domain_invalidate(struct vtd_domain *d, uint64_t iova, uint64_t size);

#endif

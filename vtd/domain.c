#include "vtd/domain.h"

#include "kernel/pmm.h"
#include "vtd/invalidate.h"
#include "vtd/regs.h"
#include "vtd/fault.h"
#include "vtd/unit.h"

static uint64_t table_alloc(void *ctx)
{
	(void)ctx;
	return pmm_alloc_page();
}

static void table_free(void *ctx, uint64_t phys)
{
	(void)ctx;
	pmm_free(phys, 1);
}

static void table_flush(void *ctx, const void *p, size_t len)
{
	vtd_flush(ctx, p, len);
}

static struct vtd_pt_ops table_ops[VTD_MAX_UNITS];

unsigned vtd_default_levels(const struct vtd_unit *u)
{
	for (unsigned levels = 3; levels <= 5; levels++)
		if (vtd_levels_supported(u, levels))
			return levels;
	return 0;
}

bool vtd_levels_supported(const struct vtd_unit *u, unsigned levels)
{
	return levels >= 3 && levels <= 5 && VTD_CAP_SAGAW(u->cap) & (1u << vtd_pt_aw(levels));
}

int vtd_domain_init(struct vtd_domain *d, struct vtd_unit *u, uint16_t did, unsigned levels)
{
	if (!levels)
		levels = vtd_default_levels(u);
	if (!vtd_levels_supported(u, levels))
		return -VTD_ENOTSUP;
	if (did >= vtd_domain_count(u))
		return -VTD_EINVAL;
	table_ops[u->index] = (struct vtd_pt_ops){table_alloc, table_free, table_flush, u};
	*d = (struct vtd_domain){.u = u, .did = did, .tt = VTD_TT_UNTRANSLATED};
	return vtd_pt_init(&d->pt, levels, &table_ops[u->index]);
}

void vtd_domain_destroy(struct vtd_domain *d)
{
	vtd_pt_destroy(&d->pt);
}

uint16_t vtd_sid_of(const struct pci_dev *dev)
{
	return vtd_sid_bdf(dev->addr.bus, dev->addr.dev, dev->addr.fn);
}

static int errors_only(int r)
{
	return r < 0 ? r : 0;
}

/* After a context entry changed: the device's context-cache entry, tagged
 * cached_did, then the IOTLB entries of domain did ("Invalidation of
 * Translation Caches", context-entry programming). */
static int flush_context(struct vtd_unit *u, uint16_t cached_did, uint16_t did, uint16_t sid)
{
	int err = errors_only(vtd_inval_context(u, VTD_GRAN_DEVICE, cached_did, sid, 0));

	return err ? err : errors_only(vtd_inval_iotlb(u, VTD_GRAN_DOMAIN, did, 0, 0, false));
}

/* "Caching Mode": with CM=1 the unit may cache not-present entries, tagged
 * with domain id 0, so making an entry present needs an invalidation too. A
 * present entry is flushed under the domain id it had. */
int vtd_domain_attach(struct vtd_domain *d, const struct pci_dev *dev)
{
	struct vtd_unit *u = d->u;
	uint16_t sid = vtd_sid_of(dev);
	struct vtd_entry128 old = vtd_context_get(u, sid);
	int err = vtd_context_set(u, sid, vtd_context_entry(d->pt.root, d->tt,
							    vtd_pt_aw(d->pt.levels), d->did));

	if (err)
		return err;
	if (old.lo & VTD_CTX_P)
		return flush_context(u, vtd_context_did(old), vtd_context_did(old), sid);
	return u->cap & VTD_CAP_CM ? flush_context(u, 0, d->did, sid) : 0;
}

int vtd_domain_detach(struct vtd_domain *d, const struct pci_dev *dev)
{
	uint16_t sid = vtd_sid_of(dev);

	vtd_context_clear(d->u, sid);
	return flush_context(d->u, d->did, d->did, sid);
}

int vtd_domain_map_pages(struct vtd_domain *d, uint64_t iova, uint64_t phys, uint64_t size,
			 uint64_t page_size, uint64_t perm)
{
	int err = vtd_pt_map(&d->pt, iova, phys, size, page_size, perm);

	if (err || !(d->u->cap & VTD_CAP_CM))
		return err;
	return vtd_domain_invalidate(d, iova, size);
}

int vtd_domain_map(struct vtd_domain *d, uint64_t iova, uint64_t phys, uint64_t size,
		   uint64_t perm)
{
	return vtd_domain_map_pages(d, iova, phys, size, VTD_PAGE_4K, perm);
}

/* The smallest address mask covering [iova, iova+size): 2^am pages aligned
 * to their own size. */
static unsigned address_mask(uint64_t iova, uint64_t size)
{
	uint64_t first = iova >> 12, last = (iova + size - 1) >> 12;
	unsigned am = 0;

	while ((first >> am) != (last >> am))
		am++;
	return am;
}

int vtd_domain_invalidate(struct vtd_domain *d, uint64_t iova, uint64_t size)
{
	struct vtd_unit *u = d->u;
	unsigned am = address_mask(iova, size);

	if (u->cap & VTD_CAP_PSI && am <= VTD_CAP_MAMV(u->cap)) {
		uint64_t base = iova & ~((1ull << (12 + am)) - 1);
		return errors_only(vtd_inval_iotlb(u, VTD_GRAN_PAGE, d->did, base, am, false));
	}
	return errors_only(vtd_inval_iotlb(u, VTD_GRAN_DOMAIN, d->did, 0, 0, false));
}

int vtd_domain_unmap(struct vtd_domain *d, uint64_t iova, uint64_t size)
{
	int err = vtd_pt_unmap(&d->pt, iova, size);

	return err ? err : vtd_domain_invalidate(d, iova, size);
}

/*
 * The interrupt remapping table of a unit and the commands around it. Order of
 * bring-up (VT-d spec "Global Command Register", SIRTP and IRE): queued
 * invalidation first (the IEC has no register-based invalidation), IRTA, SIRTP,
 * a global IEC invalidation, and only then IRE.
 */
#include "vtd/intremap.h"

#include "kernel/pmm.h"
#include "kernel/vm.h"
#include "vtd/qi.h"
#include "vtd/regs.h"
#include "vtd/unit.h"

#define IMH_MAX 0x1f /* the IM field of the IEC descriptor is 5 bits */

int vtd_irt_alloc(struct vtd_irt *t, struct vtd_unit *u, unsigned s, bool x2apic)
{
	*t = (struct vtd_irt){0};
	if (!(u->ecap & VTD_ECAP_IR) || (x2apic && !(u->ecap & VTD_ECAP_EIM)))
		return -VTD_ENOTSUP;
	if (s > VTD_IRTA_S_MAX)
		return -VTD_EINVAL;

	uint32_t entries = 1u << (s + 1);
	uint64_t pages = PAGES((uint64_t)entries * sizeof(struct vtd_irte));
	/* "Interrupt Remapping Table Address Register": bits above HAW are ignored */
	uint64_t max_end = u->haw && u->haw < 64 ? 1ull << u->haw : PMM_ANY_ADDRESS;
	uint64_t phys = pmm_alloc(pages, PAGE_SIZE, max_end);

	if (!phys)
		return -VTD_ENOMEM;
	*t = (struct vtd_irt){
		.u = u,
		.table = phys_to_virt(phys),
		.phys = phys,
		.s = s,
		.entries = entries,
		.capacity = (uint32_t)(pages * PAGE_SIZE / sizeof(struct vtd_irte)),
		.x2apic = x2apic,
	};
	vtd_flush(u, t->table, pages * PAGE_SIZE);
	return 0;
}

void vtd_irt_free(struct vtd_irt *t)
{
	if (t->table)
		pmm_free(t->phys, PAGES((uint64_t)t->capacity * sizeof(struct vtd_irte)));
	*t = (struct vtd_irt){0};
}

/* One atomic 128-bit store: the unit reads an IRTE whole, never half old. */
static void store128(struct vtd_irte *p, struct vtd_irte v)
{
	uint64_t lo = p->lo, hi = p->hi;
	bool done;

	do {
		__asm__ volatile("lock cmpxchg16b %1\n\tsete %0"
				 : "=q"(done), "+m"(*p), "+a"(lo), "+d"(hi)
				 : "b"(v.lo), "c"(v.hi)
				 : "memory", "cc");
	} while (!done);
}

static void write_entry(struct vtd_irt *t, uint32_t index, struct vtd_irte e)
{
	struct vtd_irte *slot = &t->table[index];

	if (slot->lo & VTD_IRTE_P) {
		store128(slot, e);
	} else {
		/* not present: P (in the lower half) goes last */
		slot->hi = e.hi;
		vtd_flush(t->u, slot, sizeof(*slot));
		slot->lo = e.lo;
	}
	vtd_flush(t->u, slot, sizeof(*slot));
}

int vtd_irt_set(struct vtd_irt *t, uint32_t index, const struct vtd_irte_fields *f)
{
	struct vtd_irte e;

	if (index >= t->entries || !vtd_irte_encode(f, t->x2apic, &e))
		return -VTD_EINVAL;
	write_entry(t, index, e);
	return 0;
}

int vtd_irt_write_raw(struct vtd_irt *t, uint32_t index, struct vtd_irte e)
{
	if (index >= t->capacity)
		return -VTD_EINVAL;
	write_entry(t, index, e);
	return 0;
}

void vtd_irt_clear(struct vtd_irt *t, uint32_t index)
{
	if (index >= t->capacity)
		return;

	struct vtd_irte *slot = &t->table[index];

	slot->lo = 0;
	vtd_flush(t->u, slot, sizeof(*slot));
	slot->hi = 0;
	vtd_flush(t->u, slot, sizeof(*slot));
}

struct vtd_irte vtd_irt_get(const struct vtd_irt *t, uint32_t index)
{
	return index < t->capacity ? t->table[index] : (struct vtd_irte){0, 0};
}

int vtd_irt_install(struct vtd_irt *t)
{
	struct vtd_unit *u = t->u;
	int err = vtd_qi_enable(u);

	if (err)
		return err;
	vtd_write64(u, VTD_IRTA, t->phys | (t->x2apic ? VTD_IRTA_EIME : 0) | t->s);
	err = vtd_gcmd(u, VTD_GCMD_SIRTP, true);
	if (err)
		return err;
	/* Needed even with CAP.ESIRTPS (SIRTP invalidating the IEC itself): harmless. */
	return vtd_iec_invalidate_global(u);
}

int vtd_ir_enable(struct vtd_unit *u, bool on)
{
	if (!(u->ecap & VTD_ECAP_IR))
		return -VTD_ENOTSUP;
	return vtd_gcmd(u, VTD_GCMD_IRE, on);
}

int vtd_ir_compat(struct vtd_unit *u, bool allow)
{
	if (!(u->ecap & VTD_ECAP_IR))
		return -VTD_ENOTSUP;
	return vtd_gcmd(u, VTD_GCMD_CFI, allow);
}

int vtd_iec_invalidate_global(struct vtd_unit *u)
{
	struct vtd_desc d = vtd_desc_iec_global();

	return vtd_qi_submit(u, &d, 1);
}

int vtd_iec_invalidate_index(struct vtd_unit *u, uint16_t index, unsigned im)
{
	if (im > IMH_MAX || im > VTD_ECAP_MHMV(u->ecap) || index & ((1u << im) - 1))
		return -VTD_EINVAL;

	struct vtd_desc d = vtd_desc_iec_index(index, im);

	return vtd_qi_submit(u, &d, 1);
}

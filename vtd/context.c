/*
 * Context tables are kept once made, with their root entries cleared or set
 * as the tests need, so a test can make a bus disappear and come back.
 */
#include "vtd/context.h"

#include "kernel/pmm.h"
#include "kernel/string.h"
#include "kernel/vm.h"
#include "vtd/invalidate.h"
#include "vtd/regs.h"
#include "vtd/unit.h"

#define BUSES 256

/* The context tables of each unit, by bus, kept while root entries come and go */
static uint64_t context_tables[VTD_MAX_UNITS][BUSES];

static struct vtd_entry128 *root_entries(struct vtd_unit *u)
{
	return (struct vtd_entry128 *)u->root;
}

static void write_entry(struct vtd_unit *u, struct vtd_entry128 *slot, struct vtd_entry128 e)
{
	/* present bit last: the unit may walk the entry at any time */
	slot->lo = 0;
	vtd_flush(u, slot, sizeof(*slot));
	slot->hi = e.hi;
	vtd_flush(u, slot, sizeof(*slot));
	slot->lo = e.lo;
	vtd_flush(u, slot, sizeof(*slot));
}

int vtd_root_init(struct vtd_unit *u)
{
	if (!u->root_phys) {
		u->root_phys = pmm_alloc_page();
		if (!u->root_phys)
			return -VTD_ENOMEM;
		u->root = phys_to_virt(u->root_phys);
	}
	for (unsigned bus = 0; bus < BUSES; bus++) {
		root_entries(u)[bus] = (struct vtd_entry128){0, 0};
		uint64_t table = context_tables[u->index][bus];
		if (table) {
			memset(phys_to_virt(table), 0, PAGE_SIZE);
			vtd_flush(u, phys_to_virt(table), PAGE_SIZE);
		}
	}
	vtd_flush(u, u->root, PAGE_SIZE);
	return 0;
}

int vtd_root_install(struct vtd_unit *u)
{
	int err;

	vtd_write64(u, VTD_RTADDR, u->root_phys | VTD_RTADDR_TTM_LEGACY);
	if ((err = vtd_gcmd(u, VTD_GCMD_SRTP, true)))
		return err;
	if ((err = vtd_inval_context(u, VTD_GRAN_GLOBAL, 0, 0, 0)) < 0)
		return err;
	err = vtd_inval_iotlb(u, VTD_GRAN_GLOBAL, 0, 0, 0, false);
	return err < 0 ? err : 0;
}

void vtd_root_clear(struct vtd_unit *u, uint8_t bus)
{
	write_entry(u, &root_entries(u)[bus], (struct vtd_entry128){0, 0});
}

static struct vtd_entry128 *context_slot(struct vtd_unit *u, uint16_t sid, bool create)
{
	uint8_t bus = sid >> 8;
	uint64_t *table = &context_tables[u->index][bus];

	if (!*table && create) {
		*table = pmm_alloc_page();
		if (*table)
			vtd_flush(u, phys_to_virt(*table), PAGE_SIZE);
	}
	if (!*table)
		return NULL;
	if (create && !(root_entries(u)[bus].lo & VTD_ROOT_P))
		write_entry(u, &root_entries(u)[bus], vtd_root_entry(*table));
	return (struct vtd_entry128 *)phys_to_virt(*table) + (sid & 0xff);
}

int vtd_context_set(struct vtd_unit *u, uint16_t sid, struct vtd_entry128 e)
{
	struct vtd_entry128 *slot = context_slot(u, sid, true);

	if (!slot)
		return -VTD_ENOMEM;
	write_entry(u, slot, e);
	return 0;
}

struct vtd_entry128 vtd_context_get(struct vtd_unit *u, uint16_t sid)
{
	struct vtd_entry128 *slot = context_slot(u, sid, false);

	return slot ? *slot : (struct vtd_entry128){0, 0};
}

void vtd_context_clear(struct vtd_unit *u, uint16_t sid)
{
	struct vtd_entry128 *slot = context_slot(u, sid, false);

	if (slot)
		write_entry(u, slot, (struct vtd_entry128){0, 0});
}

int vtd_translation(struct vtd_unit *u, bool on)
{
	return vtd_gcmd(u, VTD_GCMD_TE, on);
}

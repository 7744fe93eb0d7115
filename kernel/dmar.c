/*
 * DMAR: the platform's VT-d remapping units and what they cover (VT-d spec,
 * chapter "BIOS Considerations": "DMA Remapping Reporting Structure",
 * "Remapping Structure Types", "DMA Remapping Hardware Unit Definition
 * Structure", "Device Scope Structure", "Reserved Memory Region Reporting
 * Structure", "Root Port ATS Capability Reporting Structure", "Remapping
 * Hardware Static Affinity Structure", "ACPI Name-space Device Declaration
 * Structure", "SoC Integrated Address Translation Cache Reporting Structure").
 * Structures are dispatched through a table indexed by type; a malformed one is
 * reported and left out of the model, and the walk stops only where a length
 * no longer tells where the next structure begins.
 */
#include "dmar.h"
#include "acpi.h"
#include "bytes.h"

/* DMA Remapping Reporting Structure (after the 36-byte ACPI header) */
#define DMAR_HAW 36		/* u8: host address width - 1 */
#define DMAR_FLAGS 37		/* u8; 10 reserved bytes follow */
#define DMAR_STRUCTS 48
#define DMAR_FLAGS_RESERVED 0xf8u /* bits 7:3 */
#define DMAR_HAW_MIN 32		/* below this no x86 platform could address its RAM */
#define DMAR_HAW_MAX 52		/* Intel 64 architectural maximum physical address width */

/* Remapping structure header: u16 type, u16 length */
#define RS_HDR 2		/* bytes per header field */
#define RS_MIN_LEN 4

/* DMA Remapping Hardware Unit Definition (DRHD) Structure */
#define DRHD_FLAGS 4		/* u8 */
#define DRHD_SIZE 5		/* u8, VT-d 3.0+: bits 3:0 = log2 of the 4 KiB pages of registers */
#define DRHD_SIZE_MASK 0x0fu
#define DRHD_SEGMENT 6		/* u16 */
#define DRHD_BASE 8		/* u64 */
#define DRHD_SCOPES 16

/* Reserved Memory Region Reporting (RMRR) Structure */
#define RMRR_SEGMENT 6		/* u16; the u16 at 4 is reserved */
#define RMRR_BASE 8		/* u64 */
#define RMRR_LIMIT 16		/* u64, last byte of the region */
#define RMRR_SCOPES 24

/* Root Port ATS Capability Reporting (ATSR) Structure */
#define ATSR_FLAGS 4		/* u8 */
#define ATSR_FLAG_ALL_PORTS (1u << 0)
#define ATSR_SEGMENT 6		/* u16 */
#define ATSR_SCOPES 8

/* Remapping Hardware Static Affinity (RHSA) Structure */
#define RHSA_BASE 8		/* u64; the u32 at 4 is reserved */
#define RHSA_DOMAIN 16		/* u32 */
#define RHSA_LEN 20

/* ACPI Name-space Device Declaration (ANDD) Structure */
#define ANDD_DEVICE 7		/* u8; 3 reserved bytes at 4 */
#define ANDD_NAME 8		/* NUL-terminated ACPI object name */

/* SoC Integrated Address Translation Cache (SATC) Reporting Structure */
#define SATC_FLAGS 4		/* u8 */
#define SATC_SEGMENT 6		/* u16 */
#define SATC_SCOPES 8

/* Device Scope Structure: u8 type, u8 length (6 + 2 per path hop) */
#define SCOPE_ENUM_ID 4		/* u8; flags/reserved at 2 */
#define SCOPE_START_BUS 5	/* u8 */
#define SCOPE_PATH 6		/* (u8 device, u8 function) per hop */
#define SCOPE_HOP_LEN 2
#define SCOPE_MIN_LEN SCOPE_PATH
#define PCI_DEV_MAX 31
#define PCI_FN_MAX 7

#define VTD_PAGE 4096u

/* Whether the model holds one more structure of a kind; reported when it does not. */
static bool model_room(struct dmar *d, unsigned used, unsigned max, const struct walk_entry *e)
{
	if (used < max)
		return true;
	finding_add(&d->findings, F_MODEL_FULL, e->off, 0);
	return false;
}

static void scope_add(struct dmar *d, const struct walk_entry *s, uint32_t off, uint16_t seg,
		      struct dmar_scopes *out)
{
	struct dmar_scope *sc;
	size_t hops = (s->len - SCOPE_PATH) / SCOPE_HOP_LEN;

	switch (s->type) {
	case SCOPE_PCI_ENDPOINT:
	case SCOPE_PCI_BRIDGE:
		/* A PCI device is named by its path; an empty one names nothing. */
		if (hops == 0) {
			finding_add(&d->findings, F_SCOPE_LENGTH, off, s->len);
			return;
		}
		break;
	case SCOPE_IOAPIC:
	case SCOPE_HPET:
	case SCOPE_ACPI_NAMESPACE:
		break;
	default:
		finding_add(&d->findings, F_SCOPE_TYPE, off, s->type);
		return;
	}
	if ((s->len - SCOPE_PATH) % SCOPE_HOP_LEN) {
		finding_add(&d->findings, F_SCOPE_LENGTH, off, s->len);
		return;
	}
	for (size_t i = 0; i < hops; i++) {
		const uint8_t *hop = s->p + SCOPE_PATH + i * SCOPE_HOP_LEN;

		if (rd8(hop) > PCI_DEV_MAX || rd8(hop + 1) > PCI_FN_MAX) {
			finding_add(&d->findings, F_SCOPE_PATH, off, i);
			return;
		}
	}
	if (hops > DMAR_MAX_PATH || d->nscopes == DMAR_MAX_SCOPES) {
		finding_add(&d->findings, F_MODEL_FULL, off, 0);
		return;
	}
	sc = &d->scope[d->nscopes++];
	sc->type = (uint8_t)s->type;
	sc->enum_id = rd8(s->p + SCOPE_ENUM_ID);
	sc->start_bus = rd8(s->p + SCOPE_START_BUS);
	sc->path_len = (uint8_t)hops;
	for (size_t i = 0; i < hops; i++) {
		sc->path[i].dev = rd8(s->p + SCOPE_PATH + i * SCOPE_HOP_LEN);
		sc->path[i].fn = rd8(s->p + SCOPE_PATH + i * SCOPE_HOP_LEN + 1);
	}
	sc->offset = off;
	sc->segment = seg;
	out->count++;
}

/*
 * Parses the device scopes from offset from of structure e to its end. The
 * entries recorded are consecutive in d->scope[], so a range describes them.
 */
static struct dmar_scopes scopes_parse(struct dmar *d, const struct walk_entry *e, size_t from,
				       uint16_t seg)
{
	struct dmar_scopes out = { d->nscopes, 0 };
	struct walk w = walk_init(e->p, from, e->len, 1, SCOPE_MIN_LEN);
	struct walk_entry s;
	enum walk_result r;

	while ((r = walk_next(&w, &s)) == WALK_OK)
		scope_add(d, &s, (uint32_t)(e->off + s.off), seg, &out);
	if (r != WALK_END)
		finding_add(&d->findings, F_SCOPE_LENGTH, e->off + s.off, s.len);
	return out;
}

static bool has_scopes(const struct walk_entry *e, size_t from)
{
	return e->len > from;
}

static void drhd_parse(struct dmar *d, const struct walk_entry *e)
{
	struct dmar_drhd *u;
	uint64_t base = rd64(e->p + DRHD_BASE);
	uint8_t flags = rd8(e->p + DRHD_FLAGS);

	if (base == 0) {
		finding_add(&d->findings, F_DRHD_BASE_ZERO, e->off, 0);
		return;
	}
	if (base % VTD_PAGE) {
		finding_add(&d->findings, F_DRHD_BASE_ALIGN, e->off, base);
		return;
	}
	if (!model_room(d, d->ndrhd, DMAR_MAX_DRHD, e))
		return;
	u = &d->drhd[d->ndrhd++];
	u->offset = (uint32_t)e->off;
	u->flags = flags;
	u->size_field = rd8(e->p + DRHD_SIZE) & DRHD_SIZE_MASK;
	u->segment = rd16(e->p + DRHD_SEGMENT);
	u->base = base;
	u->scopes = scopes_parse(d, e, DRHD_SCOPES, u->segment);
	/* INCLUDE_PCI_ALL units list only I/O APICs and HPETs, and need not. */
	if (!(flags & DRHD_FLAG_INCLUDE_PCI_ALL) && !has_scopes(e, DRHD_SCOPES))
		finding_add(&d->findings, F_SCOPE_EMPTY, e->off, 0);
}

static void rmrr_parse(struct dmar *d, const struct walk_entry *e)
{
	struct dmar_rmrr *m;
	uint64_t base = rd64(e->p + RMRR_BASE);
	uint64_t limit = rd64(e->p + RMRR_LIMIT);

	if (limit < base) {
		finding_add(&d->findings, F_RMRR_RANGE, e->off, base);
		return;
	}
	/* The region is whole pages: base aligned and the size a page multiple. */
	if (base % VTD_PAGE || (limit + 1) % VTD_PAGE) {
		finding_add(&d->findings, F_RMRR_ALIGN, e->off, base);
		return;
	}
	if (!model_room(d, d->nrmrr, DMAR_MAX_RMRR, e))
		return;
	m = &d->rmrr[d->nrmrr++];
	m->offset = (uint32_t)e->off;
	m->segment = rd16(e->p + RMRR_SEGMENT);
	m->base = base;
	m->limit = limit;
	m->scopes = scopes_parse(d, e, RMRR_SCOPES, m->segment);
	/* An RMRR exists to name the devices that use the region. */
	if (!has_scopes(e, RMRR_SCOPES))
		finding_add(&d->findings, F_SCOPE_EMPTY, e->off, 0);
}

static void atsr_parse(struct dmar *d, const struct walk_entry *e)
{
	struct dmar_atsr *a;

	if (!model_room(d, d->natsr, DMAR_MAX_ATSR, e))
		return;
	a = &d->atsr[d->natsr++];
	a->offset = (uint32_t)e->off;
	a->flags = rd8(e->p + ATSR_FLAGS);
	a->segment = rd16(e->p + ATSR_SEGMENT);
	a->scopes = scopes_parse(d, e, ATSR_SCOPES, a->segment);
	if (!(a->flags & ATSR_FLAG_ALL_PORTS) && !has_scopes(e, ATSR_SCOPES))
		finding_add(&d->findings, F_SCOPE_EMPTY, e->off, 0);
}

static void rhsa_parse(struct dmar *d, const struct walk_entry *e)
{
	struct dmar_rhsa *h;

	if (!model_room(d, d->nrhsa, DMAR_MAX_RHSA, e))
		return;
	h = &d->rhsa[d->nrhsa++];
	h->offset = (uint32_t)e->off;
	h->base = rd64(e->p + RHSA_BASE);
	h->proximity_domain = rd32(e->p + RHSA_DOMAIN);
}

static void andd_parse(struct dmar *d, const struct walk_entry *e)
{
	struct dmar_andd *n;
	size_t i;

	if (!model_room(d, d->nandd, DMAR_MAX_ANDD, e))
		return;
	n = &d->andd[d->nandd++];
	n->offset = (uint32_t)e->off;
	n->device_number = rd8(e->p + ANDD_DEVICE);
	for (i = 0; i + 1 < sizeof(n->name) && ANDD_NAME + i < e->len; i++) {
		char c = (char)rd8(e->p + ANDD_NAME + i);

		if (!c)
			break;
		n->name[i] = c;
	}
	n->name[i] = '\0';
}

static void satc_parse(struct dmar *d, const struct walk_entry *e)
{
	struct dmar_satc *s;

	if (!model_room(d, d->nsatc, DMAR_MAX_SATC, e))
		return;
	s = &d->satc[d->nsatc++];
	s->offset = (uint32_t)e->off;
	s->flags = rd8(e->p + SATC_FLAGS);
	s->segment = rd16(e->p + SATC_SEGMENT);
	s->scopes = scopes_parse(d, e, SATC_SCOPES, s->segment);
	/* An SATC structure only exists to list its SoC devices. */
	if (!has_scopes(e, SATC_SCOPES))
		finding_add(&d->findings, F_SCOPE_EMPTY, e->off, 0);
}

/* Remapping structure types the harness models: shortest legal length, parser. */
static const struct dmar_type {
	uint16_t min_len;
	void (*parse)(struct dmar *d, const struct walk_entry *e);
} dmar_types[] = {
	[DMAR_TYPE_DRHD] = { DRHD_SCOPES, drhd_parse },
	[DMAR_TYPE_RMRR] = { RMRR_SCOPES, rmrr_parse },
	[DMAR_TYPE_ATSR] = { ATSR_SCOPES, atsr_parse },
	[DMAR_TYPE_RHSA] = { RHSA_LEN, rhsa_parse },
	[DMAR_TYPE_ANDD] = { ANDD_NAME, andd_parse },
	[DMAR_TYPE_SATC] = { SATC_SCOPES, satc_parse },
};

/*
 * "If a DRHD structure with INCLUDE_PCI_ALL flag Set is reported for a
 * Segment, it must be enumerated by BIOS after all other DRHD structures for
 * the same Segment" (DRHD structure, Flags field). Software that takes the
 * first matching unit would otherwise give devices to the catch-all unit.
 */
static void check_include_all(struct dmar *d)
{
	for (unsigned i = 0; i < d->ndrhd; i++) {
		uint16_t seg = d->drhd[i].segment;
		unsigned nall = 0;
		bool after_all = false, misplaced = false, seen = false;

		for (unsigned j = 0; j < i; j++)
			seen |= d->drhd[j].segment == seg;
		if (seen)
			continue;
		for (unsigned j = i; j < d->ndrhd; j++) {
			if (d->drhd[j].segment != seg)
				continue;
			if (d->drhd[j].flags & DRHD_FLAG_INCLUDE_PCI_ALL) {
				nall++;
				after_all = true;
			} else if (after_all) {
				misplaced = true;
			}
		}
		if (nall > 1)
			finding_add(&d->findings, F_DRHD_INCLUDE_ALL_DUP, seg, 0);
		if (misplaced)
			finding_add(&d->findings, F_DRHD_INCLUDE_ALL_ORDER, seg, 0);
	}
}

/* Last byte of a unit's register set, saturated at the top of the address space. */
static uint64_t drhd_last(const struct dmar_drhd *u)
{
	uint64_t size = (uint64_t)VTD_PAGE << u->size_field;

	return u->base > UINT64_MAX - (size - 1) ? UINT64_MAX : u->base + (size - 1);
}

/* Two units sharing registers would each reprogram the other. */
static void check_overlap(struct dmar *d)
{
	for (unsigned i = 0; i < d->ndrhd; i++)
		for (unsigned j = i + 1; j < d->ndrhd; j++) {
			const struct dmar_drhd *a = &d->drhd[i], *b = &d->drhd[j];

			if (a->base <= drhd_last(b) && b->base <= drhd_last(a))
				finding_add(&d->findings, F_DRHD_OVERLAP, a->offset, b->offset);
		}
}

int dmar_parse(struct dmar *d, const uint8_t *table, size_t len)
{
	struct walk_entry e;
	struct walk w;
	enum walk_result r;
	size_t span;
	unsigned haw;

	bytes_zero(d, sizeof(*d));
	/* A header longer than what is readable: parse what is there. */
	span = acpi_table_span(table, len, "DMAR", DMAR_STRUCTS, &d->findings);
	if (!span)
		return -1;
	d->present = true;
	d->length = (uint32_t)span;
	d->revision = rd8(table + 8);
	d->checksum_ok = acpi_checksum(table, span) == 0;
	haw = rd8(table + DMAR_HAW) + 1u;
	d->haw = (uint8_t)haw;
	if (haw < DMAR_HAW_MIN || haw > DMAR_HAW_MAX)
		finding_add(&d->findings, F_DMAR_HAW, haw, 0);
	d->flags = rd8(table + DMAR_FLAGS);
	if (d->flags & DMAR_FLAGS_RESERVED)
		finding_add(&d->findings, F_DMAR_FLAGS_RESERVED, d->flags, 0);

	w = walk_init(table, DMAR_STRUCTS, span, RS_HDR, RS_MIN_LEN);
	while ((r = walk_next(&w, &e)) == WALK_OK) {
		const struct dmar_type *t = NULL;

		if (e.type < sizeof(dmar_types) / sizeof(dmar_types[0]))
			t = &dmar_types[e.type];
		if (!t || !t->parse) {
			/* The spec asks software to skip what it does not know. */
			d->nunknown++;
			finding_add(&d->findings, F_STRUCT_UNKNOWN, e.type, e.off);
			continue;
		}
		if (e.len < t->min_len) {
			finding_add(&d->findings, F_STRUCT_LENGTH, e.off, e.len);
			continue;
		}
		t->parse(d, &e);
	}
	if (r == WALK_TRUNCATED)
		finding_add(&d->findings, F_STRUCT_TRUNCATED, e.off, 0);
	else if (r == WALK_BAD_LENGTH)
		finding_add(&d->findings, F_STRUCT_LENGTH, e.off, e.len);

	check_include_all(d);
	check_overlap(d);
	return 0;
}

/*
 * Each hop but the last names a PCI-PCI bridge; the next hop is on its
 * secondary bus (Device Scope Structure, "Path"). F_SCOPE_UNRESOLVED names the
 * 0-based hop that should have been a bridge. I/O APIC, HPET and ACPI device
 * scopes encode their source-id the same way, so they are resolved too.
 */
void dmar_resolve_scopes(struct dmar *d, dmar_secondary_bus_fn secondary_bus, void *ctx)
{
	for (unsigned i = 0; i < d->nscopes && i < DMAR_MAX_SCOPES; i++) {
		struct dmar_scope *s = &d->scope[i];
		unsigned bus = s->start_bus, hop;

		s->resolved = false;
		if (s->path_len == 0 || s->path_len > DMAR_MAX_PATH)
			continue;
		for (hop = 1; hop < s->path_len; hop++) {
			uint8_t dev = s->path[hop - 1].dev, fn = s->path[hop - 1].fn;
			int next = -1;

			if (secondary_bus)
				next = secondary_bus(ctx, s->segment, (uint8_t)bus, dev, fn);
			if (next < 0 || next > 0xff)
				break;
			bus = (unsigned)next;
		}
		if (hop < s->path_len) {
			finding_add(&d->findings, F_SCOPE_UNRESOLVED, s->offset, hop - 1);
			continue;
		}
		s->bus = (uint8_t)bus;
		s->dev = s->path[s->path_len - 1].dev;
		s->fn = s->path[s->path_len - 1].fn;
		s->resolved = true;
	}
}

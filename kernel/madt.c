/*
 * MADT ("APIC"): the CPUs, I/O APICs and ISA interrupt overrides (ACPI spec,
 * "Multiple APIC Description Table (MADT)" and its "Interrupt Controller
 * Structure Types"). Structure types the harness does not model (NMI sources,
 * GIC entries, ...) are legitimate and are skipped without a finding.
 */
#include "acpi.h"
#include "bytes.h"

#define MADT_LAPIC_ADDRESS 36	/* u32 */
#define MADT_FLAGS 40		/* u32 */
#define MADT_FLAG_PCAT_COMPAT (1u << 0)
#define MADT_STRUCTS 44
#define MADT_ENTRY_HDR_LEN 2	/* u8 type, u8 length */

/* Processor Local APIC Structure */
#define MADT_TYPE_LAPIC 0
#define LAPIC_UID 2		/* u8 ACPI Processor UID */
#define LAPIC_ID 3		/* u8 */
#define LAPIC_FLAGS 4		/* u32 */
#define LAPIC_LEN 8

/* Local APIC Flags, shared by the xAPIC and x2APIC structures */
#define LAPIC_FLAG_ENABLED (1u << 0)
#define LAPIC_FLAG_ONLINE_CAPABLE (1u << 1) /* ACPI 6.3: may be enabled at run time */

/* I/O APIC Structure */
#define MADT_TYPE_IOAPIC 1
#define IOAPIC_ID 2		/* u8 */
#define IOAPIC_ADDRESS 4	/* u32 */
#define IOAPIC_GSI_BASE 8	/* u32 */
#define IOAPIC_LEN 12

/* Interrupt Source Override Structure */
#define MADT_TYPE_OVERRIDE 2
#define OVERRIDE_SOURCE 3	/* u8 ISA IRQ; the bus at 2 is always 0 (ISA) */
#define OVERRIDE_GSI 4		/* u32 */
#define OVERRIDE_FLAGS 8	/* u16 MPS INTI flags */
#define OVERRIDE_LEN 10

/* Local APIC Address Override Structure */
#define MADT_TYPE_LAPIC_OVERRIDE 5
#define LAPIC_OVERRIDE_ADDRESS 4 /* u64 */
#define LAPIC_OVERRIDE_LEN 12

/* Processor Local x2APIC Structure */
#define MADT_TYPE_X2APIC 9
#define X2APIC_ID 4		/* u32 */
#define X2APIC_FLAGS 8		/* u32 */
#define X2APIC_UID 12		/* u32 */
#define X2APIC_LEN 16

static void add_cpu(struct madt *m, size_t off, uint32_t apic_id, uint32_t uid, uint32_t flags)
{
	/* Neither enabled nor online-capable: firmware says it is not there. */
	if (!(flags & (LAPIC_FLAG_ENABLED | LAPIC_FLAG_ONLINE_CAPABLE)))
		return;
	if (m->ncpus == MADT_MAX_CPUS) {
		finding_add(&m->findings, F_MODEL_FULL, off, 0);
		return;
	}
	m->cpu[m->ncpus].apic_id = apic_id;
	m->cpu[m->ncpus].uid = uid;
	m->cpu[m->ncpus].enabled = flags & LAPIC_FLAG_ENABLED;
	m->ncpus++;
}

static void parse_lapic(struct madt *m, const struct walk_entry *e)
{
	add_cpu(m, e->off, rd8(e->p + LAPIC_ID), rd8(e->p + LAPIC_UID), rd32(e->p + LAPIC_FLAGS));
}

static void parse_x2apic(struct madt *m, const struct walk_entry *e)
{
	add_cpu(m, e->off, rd32(e->p + X2APIC_ID), rd32(e->p + X2APIC_UID),
		rd32(e->p + X2APIC_FLAGS));
}

static void parse_ioapic(struct madt *m, const struct walk_entry *e)
{
	struct madt_ioapic *io;

	if (m->nioapics == MADT_MAX_IOAPICS) {
		finding_add(&m->findings, F_MODEL_FULL, e->off, 0);
		return;
	}
	io = &m->ioapic[m->nioapics++];
	io->id = rd8(e->p + IOAPIC_ID);
	io->address = rd32(e->p + IOAPIC_ADDRESS);
	io->gsi_base = rd32(e->p + IOAPIC_GSI_BASE);
}

static void parse_override(struct madt *m, const struct walk_entry *e)
{
	struct madt_override *o;

	if (m->noverrides == MADT_MAX_OVERRIDES) {
		finding_add(&m->findings, F_MODEL_FULL, e->off, 0);
		return;
	}
	o = &m->override[m->noverrides++];
	o->source_irq = rd8(e->p + OVERRIDE_SOURCE);
	o->gsi = rd32(e->p + OVERRIDE_GSI);
	o->flags = rd16(e->p + OVERRIDE_FLAGS);
}

static void parse_lapic_override(struct madt *m, const struct walk_entry *e)
{
	m->lapic_address64 = rd64(e->p + LAPIC_OVERRIDE_ADDRESS);
}

/* The structure types the harness models: type, shortest legal length, parser. */
static const struct madt_type {
	uint8_t type;
	uint8_t len;
	void (*parse)(struct madt *m, const struct walk_entry *e);
} madt_types[] = {
	{ MADT_TYPE_LAPIC, LAPIC_LEN, parse_lapic },
	{ MADT_TYPE_IOAPIC, IOAPIC_LEN, parse_ioapic },
	{ MADT_TYPE_OVERRIDE, OVERRIDE_LEN, parse_override },
	{ MADT_TYPE_LAPIC_OVERRIDE, LAPIC_OVERRIDE_LEN, parse_lapic_override },
	{ MADT_TYPE_X2APIC, X2APIC_LEN, parse_x2apic },
};

static const struct madt_type *madt_type(unsigned type)
{
	for (size_t i = 0; i < sizeof(madt_types) / sizeof(madt_types[0]); i++)
		if (madt_types[i].type == type)
			return &madt_types[i];
	return NULL;
}

int madt_parse(struct madt *m, const uint8_t *table, size_t len)
{
	struct walk_entry e;
	struct walk w;
	enum walk_result r;
	size_t span;

	bytes_zero(m, sizeof(*m));
	span = acpi_table_span(table, len, "APIC", MADT_STRUCTS, &m->findings);
	if (!span)
		return -1;
	m->present = true;
	m->lapic_address = rd32(table + MADT_LAPIC_ADDRESS);
	m->lapic_address64 = m->lapic_address;
	m->pcat_compat = rd32(table + MADT_FLAGS) & MADT_FLAG_PCAT_COMPAT;

	w = walk_init(table, MADT_STRUCTS, span, 1, MADT_ENTRY_HDR_LEN);
	while ((r = walk_next(&w, &e)) == WALK_OK) {
		const struct madt_type *t = madt_type(e.type);

		if (!t)
			continue;
		if (e.len < t->len) {
			finding_add(&m->findings, F_STRUCT_LENGTH, e.off, e.len);
			continue;
		}
		t->parse(m, &e);
	}
	if (r == WALK_TRUNCATED)
		finding_add(&m->findings, F_STRUCT_TRUNCATED, e.off, 0);
	else if (r == WALK_BAD_LENGTH)
		finding_add(&m->findings, F_STRUCT_LENGTH, e.off, e.len);

	if (m->nioapics == 0)
		finding_add(&m->findings, F_MADT_NO_IOAPIC, 0, 0);
	return 0;
}

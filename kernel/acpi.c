/*
 * ACPI root tables: RSDP -> XSDT (or RSDT) -> the list of description tables
 * (ACPI spec, chapter "ACPI Software Programming Model", sections "Root System
 * Description Pointer (RSDP)", "Root System Description Table (RSDT)",
 * "Extended System Description Table (XSDT)" and "System Description Table
 * Header"). Every address comes from firmware, so each one goes through the
 * caller's map function, first for the header, then for the length it claims.
 * Mappings are taken to stay valid (RAM is identity-mapped), since the model
 * keeps pointers to the tables.
 */
#include "acpi.h"
#include "bytes.h"

/* RSDP structure */
#define RSDP_SIGNATURE "RSD PTR "
#define RSDP_SIGNATURE_LEN 8
#define RSDP_V1_LEN 20		/* the part the first checksum covers */
#define RSDP_REVISION 15	/* u8: 0 for ACPI 1.0, 2 for ACPI 2.0 and later */
#define RSDP_RSDT_ADDRESS 16	/* u32 */
#define RSDP_LENGTH 20		/* u32, revision >= 2: the whole structure */
#define RSDP_XSDT_ADDRESS 24	/* u64, revision >= 2 */
#define RSDP_V2_LEN 36		/* the extended checksum covers RSDP_LENGTH bytes */
#define RSDP_MAX_LEN 4096	/* the spec's RSDP is 36 bytes; leave room to grow */
#define RSDP_XSDT_REVISION 2

/* System Description Table Header */
#define HDR_SIGNATURE 0
#define HDR_LENGTH 4		/* u32, header included */
#define HDR_REVISION 8
#define ACPI_TABLE_MAX_LEN (16u << 20) /* no real table comes close; a bigger one is garbage */

/* Generic Address Structure */
#define GAS_SPACE 0
#define GAS_BIT_WIDTH 1
#define GAS_BIT_OFFSET 2
#define GAS_ACCESS_SIZE 3
#define GAS_ADDRESS 4

#define RSDT_ENTRY_LEN 4
#define XSDT_ENTRY_LEN 8

uint8_t acpi_checksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return sum;
}

struct acpi_gas acpi_gas_read(const uint8_t *p)
{
	struct acpi_gas g;

	g.space = rd8(p + GAS_SPACE);
	g.bit_width = rd8(p + GAS_BIT_WIDTH);
	g.bit_offset = rd8(p + GAS_BIT_OFFSET);
	g.access_size = rd8(p + GAS_ACCESS_SIZE);
	g.address = rd64(p + GAS_ADDRESS);
	return g;
}

size_t acpi_table_span(const uint8_t *table, size_t len, const char *sig, size_t min_len,
		       struct findings *f)
{
	size_t span;

	if (!table || len < ACPI_HEADER_LEN || !bytes_eq(table + HDR_SIGNATURE, sig, 4))
		return 0;
	span = rd32(table + HDR_LENGTH);
	if (span > len) {
		finding_add(f, F_TABLE_TRUNCATED, span, len);
		span = len;
	}
	if (span < min_len) {
		finding_add(f, F_TABLE_TOO_SHORT, span, min_len);
		return 0;
	}
	return span;
}

/*
 * Maps an RSDT or XSDT completely, or returns NULL with a finding. A root
 * table with a wrong checksum is not used: its entries are addresses, and a
 * corrupt one would send the walk into arbitrary memory.
 */
static const uint8_t *root_load(struct acpi_tables *t, uint64_t phys, const char *sig,
				acpi_map_fn map, void *ctx, uint32_t *len_out)
{
	const uint8_t *p;
	uint32_t len;

	p = phys ? map(ctx, phys, ACPI_HEADER_LEN) : NULL;
	if (!p) {
		finding_add(&t->findings, F_ROOT_UNMAPPABLE, phys, 0);
		return NULL;
	}
	if (!bytes_eq(p + HDR_SIGNATURE, sig, 4)) {
		finding_add(&t->findings, F_ROOT_SIGNATURE, phys, 0);
		return NULL;
	}
	len = rd32(p + HDR_LENGTH);
	if (len < ACPI_HEADER_LEN || len > ACPI_TABLE_MAX_LEN) {
		finding_add(&t->findings, F_ROOT_LENGTH, len, 0);
		return NULL;
	}
	p = map(ctx, phys, len);
	if (!p) {
		finding_add(&t->findings, F_ROOT_UNMAPPABLE, phys, 0);
		return NULL;
	}
	if (acpi_checksum(p, len) != 0) {
		finding_add(&t->findings, F_ROOT_CHECKSUM, phys, 0);
		return NULL;
	}
	*len_out = len;
	return p;
}

/*
 * The XSDT address from a revision-2 RSDP, or 0 when the extended part cannot
 * be trusted (then the RSDT, covered by the first checksum, is still usable).
 */
static uint64_t rsdp_xsdt_address(struct acpi_tables *t, uint64_t rsdp_phys, acpi_map_fn map,
				  void *ctx)
{
	const uint8_t *p = map(ctx, rsdp_phys, RSDP_V2_LEN);
	uint32_t len;

	if (!p) {
		finding_add(&t->findings, F_ROOT_UNMAPPABLE, rsdp_phys, 0);
		return 0;
	}
	len = rd32(p + RSDP_LENGTH);
	if (len < RSDP_V2_LEN || len > RSDP_MAX_LEN) {
		finding_add(&t->findings, F_RSDP_LENGTH, len, 0);
		return 0;
	}
	p = map(ctx, rsdp_phys, len);
	if (!p) {
		finding_add(&t->findings, F_ROOT_UNMAPPABLE, rsdp_phys, 0);
		return 0;
	}
	if (acpi_checksum(p, len) != 0) {
		finding_add(&t->findings, F_RSDP_EXT_CHECKSUM, 0, 0);
		return 0;
	}
	return rd64(p + RSDP_XSDT_ADDRESS);
}

/* Records the table at phys if its header and length hold up. */
static void table_add(struct acpi_tables *t, uint64_t phys, acpi_map_fn map, void *ctx)
{
	struct acpi_table *tab;
	const uint8_t *p;
	uint32_t len;

	p = phys ? map(ctx, phys, ACPI_HEADER_LEN) : NULL;
	if (!p) {
		finding_add(&t->findings, F_TABLE_UNMAPPABLE, phys, 0);
		return;
	}
	len = rd32(p + HDR_LENGTH);
	if (len < ACPI_HEADER_LEN || len > ACPI_TABLE_MAX_LEN) {
		finding_add(&t->findings, F_TABLE_LENGTH, phys, len);
		return;
	}
	/* A length running into unreadable memory is as impossible as a huge one. */
	p = map(ctx, phys, len);
	if (!p) {
		finding_add(&t->findings, F_TABLE_LENGTH, phys, len);
		return;
	}
	tab = &t->table[t->count++];
	for (int i = 0; i < 4; i++)
		tab->sig[i] = (char)p[HDR_SIGNATURE + i];
	tab->sig[4] = '\0';
	tab->phys = phys;
	tab->length = len;
	tab->revision = rd8(p + HDR_REVISION);
	/* Still recorded: a table with a stale checksum is usually otherwise fine. */
	tab->checksum_ok = acpi_checksum(p, len) == 0;
	if (!tab->checksum_ok)
		finding_add(&t->findings, F_TABLE_CHECKSUM, phys, 0);
	tab->data = p;
}

int acpi_tables_parse(struct acpi_tables *t, uint64_t rsdp_phys, acpi_map_fn map, void *ctx)
{
	const uint8_t *rsdp, *root = NULL;
	uint32_t root_len = 0;
	size_t entry_len, nentries;

	bytes_zero(t, sizeof(*t));
	t->rsdp_phys = rsdp_phys;

	rsdp = map(ctx, rsdp_phys, RSDP_V1_LEN);
	if (!rsdp) {
		finding_add(&t->findings, F_ROOT_UNMAPPABLE, rsdp_phys, 0);
		return -1;
	}
	if (!bytes_eq(rsdp, RSDP_SIGNATURE, RSDP_SIGNATURE_LEN)) {
		finding_add(&t->findings, F_RSDP_SIGNATURE, 0, 0);
		return -1;
	}
	/* Without a valid checksum neither root address can be trusted. */
	if (acpi_checksum(rsdp, RSDP_V1_LEN) != 0) {
		finding_add(&t->findings, F_RSDP_CHECKSUM, 0, 0);
		return -1;
	}
	t->rsdp_revision = rd8(rsdp + RSDP_REVISION);
	if (t->rsdp_revision >= RSDP_XSDT_REVISION) {
		uint64_t xsdt = rsdp_xsdt_address(t, rsdp_phys, map, ctx);

		if (xsdt)
			root = root_load(t, xsdt, "XSDT", map, ctx, &root_len);
		if (root)
			t->xsdt = true;
		else
			finding_add(&t->findings, F_RSDP_XSDT_FALLBACK, 0, 0);
	}
	if (!root) {
		root = root_load(t, rd32(rsdp + RSDP_RSDT_ADDRESS), "RSDT", map, ctx, &root_len);
		if (!root)
			return -1;
	}

	entry_len = t->xsdt ? XSDT_ENTRY_LEN : RSDT_ENTRY_LEN;
	nentries = (root_len - ACPI_HEADER_LEN) / entry_len;
	if ((root_len - ACPI_HEADER_LEN) % entry_len)
		finding_add(&t->findings, F_ROOT_LENGTH, root_len, 0);
	for (size_t i = 0; i < nentries; i++) {
		const uint8_t *e = root + ACPI_HEADER_LEN + i * entry_len;

		if (t->count == ACPI_MAX_TABLES) {
			finding_add(&t->findings, F_TOO_MANY_TABLES, ACPI_MAX_TABLES, 0);
			break;
		}
		table_add(t, t->xsdt ? rd64(e) : rd32(e), map, ctx);
	}
	return 0;
}

const struct acpi_table *acpi_find(const struct acpi_tables *t, const char *sig, unsigned n)
{
	for (unsigned i = 0; i < t->count && i < ACPI_MAX_TABLES; i++) {
		const char *s = t->table[i].sig;
		int j;

		for (j = 0; j < 4 && sig[j] && s[j] == sig[j]; j++)
			;
		if (j == 4 && n-- == 0)
			return &t->table[i];
	}
	return NULL;
}

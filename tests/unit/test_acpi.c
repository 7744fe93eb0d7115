/* ACPI root tables: RSDP -> XSDT/RSDT -> tables, over a fake physical memory image. */
#include <string.h>

#include "kernel/acpi.h"
#include "tests/unit/tbuild.h"
#include "tests/unit/unit.h"

static struct image im;
static struct acpi_layout lay;
static struct acpi_tables t;

static int parse(void)
{
	return t_acpi(&t, &im);
}

/* Recomputes the checksum of the table at phys after a test changed it. */
static void fix_table_checksum(uint64_t phys)
{
	uint8_t *p = image_at(&im, phys);
	uint32_t len = p[4] | p[5] << 8 | p[6] << 16 | (uint32_t)p[7] << 24;

	p[9] = 0;
	p[9] = (uint8_t)-acpi_checksum(p, len);
}

static void check_all_sample_tables(void)
{
	static const char *const sigs[SAMPLE_NTABLES] = { "FACP", "APIC", "MCFG", "HPET", "DMAR" };

	CHECK_EQ(SAMPLE_NTABLES, t.count);
	for (int i = 0; i < SAMPLE_NTABLES && i < (int)t.count; i++) {
		CHECK_STR_EQ(sigs[i], t.table[i].sig);
		CHECK_EQ(lay.table[i], t.table[i].phys);
		CHECK(t.table[i].checksum_ok);
		CHECK(t.table[i].data == image_at(&im, lay.table[i]));
	}
}

/* The byte sum that makes a checksum right. */
static void checksum_sums_bytes(void)
{
	static const uint8_t bytes[] = { 0x10, 0x20, 0xd0 };

	CHECK_EQ(0, acpi_checksum(bytes, 0));
	CHECK_EQ(0x30, acpi_checksum(bytes, 2));
	CHECK_EQ(0, acpi_checksum(bytes, 3));
}

/* A revision-2 RSDP leads to the XSDT and its 64-bit entries. */
static void rev2_rsdp_uses_xsdt(void)
{
	const struct acpi_table *dmar;

	sample_acpi_image(&im, 2, &lay);
	CHECK_EQ(0, parse());
	CHECK_NO_FINDINGS(&t.findings);
	CHECK(t.xsdt);
	CHECK_EQ(2, t.rsdp_revision);
	CHECK_EQ(IMAGE_BASE, t.rsdp_phys);
	check_all_sample_tables();
	dmar = acpi_find(&t, "DMAR", 0);
	CHECK(dmar != NULL);
	if (dmar) {
		CHECK_EQ(lay.table[4], dmar->phys);
		CHECK_EQ(1, dmar->revision);
		CHECK(dmar->length > 48);
	}
	CHECK(acpi_find(&t, "DMAR", 1) == NULL);
	CHECK(acpi_find(&t, "SSDT", 0) == NULL);
	CHECK(acpi_find(&t, "DMA", 0) == NULL);
}

/* acpi_find counts tables of one signature in root-table order. */
static void find_returns_nth_of_a_signature(void)
{
	static struct tb x;
	uint64_t xsdt;

	sample_acpi_image(&im, 2, &lay);
	tb_init(&x);
	tb_header(&x, "XSDT", 1);
	tb_u64(&x, lay.table[3]);
	tb_u64(&x, lay.table[4]);
	tb_u64(&x, lay.table[3]);
	tb_finish(&x);
	xsdt = image_put(&im, &x);
	memcpy(image_at(&im, lay.rsdp) + 24, &xsdt, 8);
	rsdp_fix_checksums(&im, &lay);
	CHECK_EQ(0, parse());
	CHECK_EQ(3, t.count);
	CHECK(acpi_find(&t, "HPET", 0) == &t.table[0]);
	CHECK(acpi_find(&t, "HPET", 1) == &t.table[2]);
	CHECK(acpi_find(&t, "HPET", 2) == NULL);
}

/* An ACPI 1.0 RSDP has only the RSDT; that is no finding. */
static void rev0_rsdp_uses_rsdt(void)
{
	sample_acpi_image(&im, 0, &lay);
	CHECK_EQ(0, parse());
	CHECK_NO_FINDINGS(&t.findings);
	CHECK(!t.xsdt);
	CHECK_EQ(0, t.rsdp_revision);
	check_all_sample_tables();
}

/* Every way the XSDT can be unusable falls back to the RSDT with a warning. */
static void broken_xsdt_falls_back_to_rsdt(void)
{
	static const struct {
		const char *what;
		int edit;
		enum finding_code code;
	} cases[] = {
		{ "checksum", 0, F_ROOT_CHECKSUM },
		{ "signature", 1, F_ROOT_SIGNATURE },
		{ "length below header", 2, F_ROOT_LENGTH },
		{ "length past memory", 3, F_ROOT_UNMAPPABLE },
		{ "address unmappable", 4, F_ROOT_UNMAPPABLE },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t *x;
		uint64_t bad = 0x1000;

		sample_acpi_image(&im, 2, &lay);
		x = image_at(&im, lay.xsdt);
		switch (cases[i].edit) {
		case 0:
			x[9] ^= 0xff;
			break;
		case 1:
			memcpy(x, "RSDT", 4);
			break;
		case 2:
			x[4] = 20;
			break;
		case 3:
			x[6] = 0x10; /* 1 MiB: inside the sane limit, outside memory */
			break;
		case 4:
			memcpy(image_at(&im, lay.rsdp) + 24, &bad, 8);
			rsdp_fix_checksums(&im, &lay);
			break;
		}
		CHECK_EQ(0, parse());
		CHECK_FINDINGS(&t.findings, cases[i].code, F_RSDP_XSDT_FALLBACK);
		CHECK(!t.xsdt);
		check_all_sample_tables();
	}
}

/* A revision-2 RSDP with no XSDT address: fall back, with a warning only. */
static void zero_xsdt_address_falls_back(void)
{
	sample_acpi_image(&im, 2, &lay);
	memset(image_at(&im, lay.rsdp) + 24, 0, 8);
	rsdp_fix_checksums(&im, &lay);
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&t.findings, F_RSDP_XSDT_FALLBACK);
	CHECK(!t.xsdt);
	check_all_sample_tables();
}

/* The extended checksum and length guard the XSDT address only. */
static void bad_rsdp_extension_falls_back(void)
{
	uint8_t *r;

	sample_acpi_image(&im, 2, &lay);
	image_at(&im, lay.rsdp)[32] ^= 1;
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&t.findings, F_RSDP_EXT_CHECKSUM, F_RSDP_XSDT_FALLBACK);
	check_all_sample_tables();

	sample_acpi_image(&im, 2, &lay);
	r = image_at(&im, lay.rsdp);
	r[20] = 24;
	rsdp_fix_checksums(&im, &lay);
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&t.findings, F_RSDP_LENGTH, F_RSDP_XSDT_FALLBACK);
	CHECK_FINDING_ARGS(&t.findings, F_RSDP_LENGTH, 24, 0);
	check_all_sample_tables();

	/* a revision-2 RSDP in the last 20 readable bytes: only the RSDT is reachable */
	sample_acpi_image(&im, 2, &lay);
	memcpy(im.mem + IMAGE_SIZE - 20, image_at(&im, lay.rsdp), 20);
	CHECK_EQ(0, acpi_tables_parse(&t, IMAGE_BASE + IMAGE_SIZE - 20, image_map, &im));
	CHECK_FINDINGS(&t.findings, F_ROOT_UNMAPPABLE, F_RSDP_XSDT_FALLBACK);
	CHECK_FINDING_ARGS(&t.findings, F_ROOT_UNMAPPABLE, IMAGE_BASE + IMAGE_SIZE - 20, 0);
	check_all_sample_tables();
}

/* Without a valid RSDP nothing can be trusted. */
static void bad_rsdp_is_fatal(void)
{
	sample_acpi_image(&im, 2, &lay);
	image_at(&im, lay.rsdp)[8] ^= 1;
	CHECK_EQ(-1, parse());
	CHECK_FINDINGS(&t.findings, F_RSDP_CHECKSUM);
	CHECK_EQ(0, t.count);

	sample_acpi_image(&im, 2, &lay);
	image_at(&im, lay.rsdp)[0] = 'X';
	CHECK_EQ(-1, parse());
	CHECK_FINDINGS(&t.findings, F_RSDP_SIGNATURE);

	CHECK_EQ(-1, acpi_tables_parse(&t, 0x1000, image_map, &im));
	CHECK_FINDINGS(&t.findings, F_ROOT_UNMAPPABLE);
	CHECK_FINDING_ARGS(&t.findings, F_ROOT_UNMAPPABLE, 0x1000, 0);
}

/* Both roots broken: nothing to walk. */
static void no_usable_root_is_fatal(void)
{
	sample_acpi_image(&im, 2, &lay);
	image_at(&im, lay.xsdt)[9] ^= 1;
	image_at(&im, lay.rsdt)[9] ^= 1;
	CHECK_EQ(-1, parse());
	CHECK_FINDINGS(&t.findings, F_ROOT_CHECKSUM, F_RSDP_XSDT_FALLBACK, F_ROOT_CHECKSUM);
	CHECK_EQ(0, t.count);
}

/* A table with a wrong checksum is still recorded, marked and reported. */
static void table_with_bad_checksum_is_kept(void)
{
	const struct acpi_table *dmar;

	sample_acpi_image(&im, 2, &lay);
	image_at(&im, lay.table[4])[40] ^= 1;
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&t.findings, F_TABLE_CHECKSUM);
	CHECK_FINDING_ARGS(&t.findings, F_TABLE_CHECKSUM, lay.table[4], 0);
	dmar = acpi_find(&t, "DMAR", 0);
	CHECK(dmar && !dmar->checksum_ok);
	CHECK_EQ(SAMPLE_NTABLES, t.count);
}

/* Entries pointing nowhere are skipped with a finding; the rest are kept. */
static void unmappable_entry_is_skipped(void)
{
	uint8_t *x;
	uint64_t nowhere = 0x12345000, zero = 0;

	sample_acpi_image(&im, 2, &lay);
	x = image_at(&im, lay.xsdt);
	memcpy(x + 36 + 8, &nowhere, 8);
	memcpy(x + 36 + 16, &zero, 8);
	fix_table_checksum(lay.xsdt);
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&t.findings, F_TABLE_UNMAPPABLE, F_TABLE_UNMAPPABLE);
	CHECK_EQ(nowhere, t.findings.item[0].arg[0]);
	CHECK_EQ(0, t.findings.item[1].arg[0]);
	CHECK_EQ(3, t.count);
	CHECK(acpi_find(&t, "DMAR", 0) != NULL);
	CHECK(acpi_find(&t, "APIC", 0) == NULL);
}

/* Lengths below the header, absurdly large, or past readable memory are refused. */
static void impossible_table_length_is_refused(void)
{
	uint8_t *p;

	sample_acpi_image(&im, 2, &lay);
	p = image_at(&im, lay.table[1]); /* APIC */
	p[4] = 35;
	p[5] = p[6] = p[7] = 0;
	p = image_at(&im, lay.table[2]); /* MCFG: 32 MiB */
	p[4] = p[5] = 0;
	p[6] = 0;
	p[7] = 0x02;
	p = image_at(&im, lay.table[3]); /* HPET: 64 KiB, more than the image */
	p[4] = p[5] = p[7] = 0;
	p[6] = 1;
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&t.findings, F_TABLE_LENGTH, F_TABLE_LENGTH, F_TABLE_LENGTH);
	CHECK_EQ(lay.table[1], t.findings.item[0].arg[0]);
	CHECK_EQ(35, t.findings.item[0].arg[1]);
	CHECK_EQ(0x02000000, t.findings.item[1].arg[1]);
	CHECK_EQ(0x10000, t.findings.item[2].arg[1]);
	CHECK_EQ(2, t.count);
}

/* A root table length that ends mid-entry: the whole entries are used. */
static void partial_root_entry_is_reported(void)
{
	uint8_t *x;

	sample_acpi_image(&im, 2, &lay);
	x = image_at(&im, lay.xsdt);
	x[4] += 4; /* the 4 bytes after the XSDT are padding or the RSDT: both readable */
	fix_table_checksum(lay.xsdt);
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&t.findings, F_ROOT_LENGTH);
	CHECK_FINDING_ARGS(&t.findings, F_ROOT_LENGTH, 36 + 8 * SAMPLE_NTABLES + 4, 0);
	CHECK(t.xsdt);
	check_all_sample_tables();
}

/* More tables than the model holds. */
static void too_many_tables_are_reported(void)
{
	static struct tb x;
	uint64_t xsdt;

	sample_acpi_image(&im, 2, &lay);
	tb_init(&x);
	tb_header(&x, "XSDT", 1);
	for (int i = 0; i < ACPI_MAX_TABLES + 6; i++)
		tb_u64(&x, lay.table[3]);
	tb_finish(&x);
	xsdt = image_put(&im, &x);
	memcpy(image_at(&im, lay.rsdp) + 24, &xsdt, 8);
	rsdp_fix_checksums(&im, &lay);
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&t.findings, F_TOO_MANY_TABLES);
	CHECK_FINDING_ARGS(&t.findings, F_TOO_MANY_TABLES, ACPI_MAX_TABLES, 0);
	CHECK_EQ(ACPI_MAX_TABLES, t.count);
}

const struct unit_test acpi_tests[] = {
	{ "acpi_checksum_sums_bytes", checksum_sums_bytes },
	{ "acpi_rev2_rsdp_uses_xsdt", rev2_rsdp_uses_xsdt },
	{ "acpi_find_returns_nth_of_a_signature", find_returns_nth_of_a_signature },
	{ "acpi_rev0_rsdp_uses_rsdt", rev0_rsdp_uses_rsdt },
	{ "acpi_broken_xsdt_falls_back_to_rsdt", broken_xsdt_falls_back_to_rsdt },
	{ "acpi_zero_xsdt_address_falls_back", zero_xsdt_address_falls_back },
	{ "acpi_bad_rsdp_extension_falls_back", bad_rsdp_extension_falls_back },
	{ "acpi_bad_rsdp_is_fatal", bad_rsdp_is_fatal },
	{ "acpi_no_usable_root_is_fatal", no_usable_root_is_fatal },
	{ "acpi_table_with_bad_checksum_is_kept", table_with_bad_checksum_is_kept },
	{ "acpi_unmappable_entry_is_skipped", unmappable_entry_is_skipped },
	{ "acpi_impossible_table_length_is_refused", impossible_table_length_is_refused },
	{ "acpi_partial_root_entry_is_reported", partial_root_entry_is_reported },
	{ "acpi_too_many_tables_are_reported", too_many_tables_are_reported },
	{ NULL, NULL },
};

/* MADT parser: CPUs, I/O APICs, overrides, and the ways the entry list can be broken. */
#include "kernel/acpi.h"
#include "tests/unit/tbuild.h"
#include "tests/unit/unit.h"

static struct tb b;
static struct madt m;

static int parse(void)
{
	return t_madt(&m, b.buf, b.len);
}

static void begin(void)
{
	tb_init(&b);
	tb_header(&b, "APIC", 5);
	tb_u32(&b, 0xfee00000);
	tb_u32(&b, 0);
}

static void ioapic(uint8_t id, uint32_t address, uint32_t gsi_base)
{
	size_t s = tb_begin8(&b, 1);

	tb_u8(&b, id);
	tb_u8(&b, 0);
	tb_u32(&b, address);
	tb_u32(&b, gsi_base);
	tb_end8(&b, s);
}

static void lapic(uint8_t uid, uint8_t id, uint32_t flags)
{
	size_t s = tb_begin8(&b, 0);

	tb_u8(&b, uid);
	tb_u8(&b, id);
	tb_u32(&b, flags);
	tb_end8(&b, s);
}

static void x2apic(uint32_t id, uint32_t flags, uint32_t uid)
{
	size_t s = tb_begin8(&b, 9);

	tb_u16(&b, 0);
	tb_u32(&b, id);
	tb_u32(&b, flags);
	tb_u32(&b, uid);
	tb_end8(&b, s);
}

/* The sample: two CPUs, one I/O APIC, one override, an NMI entry skipped quietly. */
static void sample_parses(void)
{
	sample_madt(&b);
	CHECK_EQ(0, parse());
	CHECK_NO_FINDINGS(&m.findings);
	CHECK(m.present);
	CHECK(m.pcat_compat);
	CHECK_EQ(0xfee00000, m.lapic_address);
	CHECK_EQ(0xfee00000, m.lapic_address64);
	CHECK_EQ(2, m.ncpus);
	CHECK_EQ(1, m.cpu[1].apic_id);
	CHECK_EQ(1, m.cpu[1].uid);
	CHECK(m.cpu[0].enabled && m.cpu[1].enabled);
	CHECK_EQ(1, m.nioapics);
	CHECK_EQ(0xfec00000, m.ioapic[0].address);
	CHECK_EQ(0, m.ioapic[0].gsi_base);
	CHECK_EQ(1, m.noverrides);
	CHECK_EQ(0, m.override[0].source_irq);
	CHECK_EQ(2, m.override[0].gsi);
}

/* Online-capable CPUs are listed but not enabled; CPUs with neither flag are absent. */
static void cpu_flags_decide_listing(void)
{
	begin();
	lapic(0, 0, 1);
	lapic(1, 1, 0); /* not present */
	lapic(2, 2, 2); /* online-capable */
	x2apic(0x100, 1, 0x200);
	x2apic(0x101, 0, 0x201);
	ioapic(0, 0xfec00000, 0);
	tb_finish(&b);
	CHECK_EQ(0, parse());
	CHECK_NO_FINDINGS(&m.findings);
	CHECK_EQ(3, m.ncpus);
	CHECK_EQ(2, m.cpu[1].apic_id);
	CHECK(!m.cpu[1].enabled);
	CHECK_EQ(0x100, m.cpu[2].apic_id);
	CHECK_EQ(0x200, m.cpu[2].uid);
	CHECK(m.cpu[2].enabled);
}

/* The 64-bit local APIC address override replaces the 32-bit one. */
static void lapic_override_replaces_address(void)
{
	size_t s;

	begin();
	ioapic(0, 0xfec00000, 0);
	s = tb_begin8(&b, 5);
	tb_u16(&b, 0);
	tb_u64(&b, 0x1fee00000ull);
	tb_end8(&b, s);
	tb_finish(&b);
	CHECK_EQ(0, parse());
	CHECK_NO_FINDINGS(&m.findings);
	CHECK_EQ(0xfee00000, m.lapic_address);
	CHECK_EQ(0x1fee00000ull, m.lapic_address64);
	CHECK(!m.pcat_compat);
}

/* A machine without an I/O APIC is worth a warning. */
static void no_ioapic_is_reported(void)
{
	begin();
	lapic(0, 0, 1);
	tb_finish(&b);
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&m.findings, F_MADT_NO_IOAPIC);
}

/* A known entry too short for its fields is skipped; the walk goes on. */
static void short_known_entry_is_skipped(void)
{
	size_t s;

	begin();
	s = tb_begin8(&b, 1);
	tb_zeros(&b, 6); /* I/O APIC needs 12 */
	tb_end8(&b, s);
	ioapic(1, 0xfec01000, 24);
	tb_finish(&b);
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&m.findings, F_STRUCT_LENGTH);
	CHECK_FINDING_ARGS(&m.findings, F_STRUCT_LENGTH, s, 8);
	CHECK_EQ(1, m.nioapics);
	CHECK_EQ(24, m.ioapic[0].gsi_base);
}

/* Zero or one-byte lengths stop the walk; entries past the end are truncated. */
static void broken_entry_lengths_stop_walk(void)
{
	size_t s;

	begin();
	ioapic(0, 0xfec00000, 0);
	s = tb_begin8(&b, 0); /* length 0 */
	ioapic(1, 0xfec01000, 24);
	tb_finish(&b);
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&m.findings, F_STRUCT_LENGTH);
	CHECK_FINDING_ARGS(&m.findings, F_STRUCT_LENGTH, s, 0);
	CHECK_EQ(1, m.nioapics);

	begin();
	ioapic(0, 0xfec00000, 0);
	s = tb_begin8(&b, 1);
	tb_put8(&b, s + 1, 12); /* claims 12, 2 present */
	tb_finish(&b);
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&m.findings, F_STRUCT_TRUNCATED);
	CHECK_FINDING_ARGS(&m.findings, F_STRUCT_TRUNCATED, s, 0);

	begin();
	ioapic(0, 0xfec00000, 0);
	tb_u8(&b, 0); /* a lone byte */
	tb_finish(&b);
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&m.findings, F_STRUCT_TRUNCATED);
}

/* More CPUs or I/O APICs than the model holds. */
static void model_full_is_reported(void)
{
	begin();
	for (int i = 0; i <= MADT_MAX_IOAPICS; i++)
		ioapic((uint8_t)i, 0xfec00000 + 0x1000 * i, 24 * i);
	for (int i = 0; i <= MADT_MAX_CPUS; i++)
		x2apic(i, 1, i);
	tb_finish(&b);
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&m.findings, F_MODEL_FULL, F_MODEL_FULL);
	CHECK_EQ(44 + 12 * MADT_MAX_IOAPICS, m.findings.item[0].arg[0]);
	CHECK_EQ(MADT_MAX_IOAPICS, m.nioapics);
	CHECK_EQ(MADT_MAX_CPUS, m.ncpus);
}

/* A table too short for the MADT's fixed fields. */
static void short_table_is_refused(void)
{
	tb_init(&b);
	tb_header(&b, "APIC", 5);
	tb_u32(&b, 0xfee00000);
	tb_finish(&b);
	CHECK_EQ(-1, parse());
	CHECK(!m.present);
	CHECK_FINDINGS(&m.findings, F_TABLE_TOO_SHORT);
}

const struct unit_test madt_tests[] = {
	{ "madt_sample_parses", sample_parses },
	{ "madt_cpu_flags_decide_listing", cpu_flags_decide_listing },
	{ "madt_lapic_override_replaces_address", lapic_override_replaces_address },
	{ "madt_no_ioapic_is_reported", no_ioapic_is_reported },
	{ "madt_short_known_entry_is_skipped", short_known_entry_is_skipped },
	{ "madt_broken_entry_lengths_stop_walk", broken_entry_lengths_stop_walk },
	{ "madt_model_full_is_reported", model_full_is_reported },
	{ "madt_short_table_is_refused", short_table_is_refused },
	{ NULL, NULL },
};

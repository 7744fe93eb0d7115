/* MCFG, FADT and HPET parsers. */
#include <string.h>

#include "kernel/acpi.h"
#include "tests/unit/tbuild.h"
#include "tests/unit/unit.h"

static struct tb b;

static void mcfg_entry(uint64_t base, uint16_t seg, uint8_t start, uint8_t end)
{
	tb_u64(&b, base);
	tb_u16(&b, seg);
	tb_u8(&b, start);
	tb_u8(&b, end);
	tb_u32(&b, 0);
}

static void mcfg_begin(void)
{
	tb_init(&b);
	tb_header(&b, "MCFG", 1);
	tb_zeros(&b, 8);
}

/* One ECAM window per allocation entry. */
static void mcfg_sample_parses(void)
{
	static struct mcfg m;

	sample_mcfg(&b);
	CHECK_EQ(0, t_mcfg(&m, b.buf, b.len));
	CHECK_NO_FINDINGS(&m.findings);
	CHECK(m.present);
	CHECK_EQ(1, m.count);
	CHECK_EQ(0xb0000000, m.window[0].base);
	CHECK_EQ(0, m.window[0].segment);
	CHECK_EQ(0, m.window[0].bus_start);
	CHECK_EQ(0xff, m.window[0].bus_end);
}

/* An entry ending below its start bus is left out; a partial entry is truncated. */
static void mcfg_bad_entries_are_reported(void)
{
	static struct mcfg m;

	mcfg_begin();
	mcfg_entry(0xb0000000, 0, 0x10, 0x0f);
	mcfg_entry(0xc0000000, 1, 0x80, 0x80);
	tb_zeros(&b, 8);
	tb_finish(&b);
	CHECK_EQ(0, t_mcfg(&m, b.buf, b.len));
	CHECK_FINDINGS(&m.findings, F_MCFG_BUS_RANGE, F_STRUCT_TRUNCATED);
	CHECK_FINDING_ARGS(&m.findings, F_MCFG_BUS_RANGE, 0, 0);
	CHECK_FINDING_ARGS(&m.findings, F_STRUCT_TRUNCATED, 44 + 32, 0);
	CHECK_EQ(1, m.count);
	CHECK_EQ(1, m.window[0].segment);
	CHECK_EQ(0x80, m.window[0].bus_start);
}

/* More windows than the model holds; a table without the reserved bytes is refused. */
static void mcfg_limits(void)
{
	static struct mcfg m;

	mcfg_begin();
	for (int i = 0; i <= MCFG_MAX; i++)
		mcfg_entry(0xb0000000, (uint16_t)i, 0, 0xff);
	tb_finish(&b);
	CHECK_EQ(0, t_mcfg(&m, b.buf, b.len));
	CHECK_FINDINGS(&m.findings, F_MODEL_FULL);
	CHECK_FINDING_ARGS(&m.findings, F_MODEL_FULL, 44 + 16 * MCFG_MAX, 0);
	CHECK_EQ(MCFG_MAX, m.count);

	tb_init(&b);
	tb_header(&b, "MCFG", 1);
	tb_finish(&b);
	CHECK_EQ(-1, t_mcfg(&m, b.buf, b.len));
	CHECK(!m.present);
}

/* A current FADT: timer from X_PM_TMR_BLK, reset register, flags. */
static void fadt_full_parses(void)
{
	static struct fadt f;

	sample_fadt(&b, 276);
	CHECK_EQ(0, t_fadt(&f, b.buf, b.len));
	CHECK_NO_FINDINGS(&f.findings);
	CHECK(f.present);
	CHECK_EQ(ACPI_SPACE_IO, f.pm_timer.space);
	CHECK_EQ(0x608, f.pm_timer.address);
	CHECK_EQ(32, f.pm_timer.bit_width);
	CHECK(f.pm_timer_32bit);
	CHECK(f.reset_supported);
	CHECK_EQ(ACPI_SPACE_IO, f.reset_reg.space);
	CHECK_EQ(0xcf9, f.reset_reg.address);
	CHECK_EQ(8, f.reset_reg.bit_width);
	CHECK_EQ(6, f.reset_value);
}

/* X_PM_TMR_BLK wins when nonzero, in any address space; when zero, PM_TMR_BLK counts. */
static void fadt_timer_source(void)
{
	static struct fadt f;

	sample_fadt(&b, 276);
	tb_put8(&b, 208, ACPI_SPACE_MEMORY);
	tb_put64(&b, 212, 0xfe000008);
	tb_finish(&b);
	CHECK_EQ(0, t_fadt(&f, b.buf, b.len));
	CHECK_EQ(ACPI_SPACE_MEMORY, f.pm_timer.space);
	CHECK_EQ(0xfe000008, f.pm_timer.address);

	sample_fadt(&b, 276);
	tb_put64(&b, 212, 0);
	tb_put32(&b, 76, 0x408);
	tb_finish(&b);
	CHECK_EQ(0, t_fadt(&f, b.buf, b.len));
	CHECK_NO_FINDINGS(&f.findings);
	CHECK_EQ(ACPI_SPACE_IO, f.pm_timer.space);
	CHECK_EQ(0x408, f.pm_timer.address);
	CHECK_EQ(32, f.pm_timer.bit_width);

	tb_put32(&b, 76, 0); /* no timer at all */
	tb_finish(&b);
	CHECK_EQ(0, t_fadt(&f, b.buf, b.len));
	CHECK_EQ(0, f.pm_timer.address);
	CHECK_EQ(0, f.pm_timer.space);
}

/* An ACPI 1.0 FADT (116 bytes) has the timer port and flags but no reset register. */
static void fadt_short_tables(void)
{
	static struct fadt f;

	sample_fadt(&b, 116);
	CHECK_EQ(0, t_fadt(&f, b.buf, b.len));
	CHECK_FINDINGS(&f.findings, F_FADT_SHORT);
	CHECK_FINDING_ARGS(&f.findings, F_FADT_SHORT, 116, 0);
	CHECK_EQ(0x608, f.pm_timer.address);
	CHECK(f.pm_timer_32bit);
	CHECK(!f.reset_supported);
	CHECK_EQ(0, f.reset_reg.address);

	sample_fadt(&b, 80);
	CHECK_EQ(0, t_fadt(&f, b.buf, b.len));
	CHECK_FINDINGS(&f.findings, F_FADT_SHORT);
	CHECK_EQ(0x608, f.pm_timer.address);
	CHECK(!f.pm_timer_32bit);

	sample_fadt(&b, 60);
	CHECK_EQ(0, t_fadt(&f, b.buf, b.len));
	CHECK_FINDINGS(&f.findings, F_FADT_SHORT);
	CHECK_EQ(0, f.pm_timer.address);

	sample_fadt(&b, 276);
	memcpy(b.buf, "FACS", 4);
	CHECK_EQ(-1, t_fadt(&f, b.buf, b.len));
	CHECK(!f.present);
}

/* The HPET base comes from the GAS at offset 40. */
static void hpet_parses(void)
{
	static struct hpet_info h;

	sample_hpet(&b);
	CHECK_EQ(0, t_hpet(&h, b.buf, b.len));
	CHECK(h.present);
	CHECK_EQ(0xfed00000, h.base);
	CHECK_NO_FINDINGS(&h.findings);

	tb_put64(&b, 44, 0);
	tb_finish(&b);
	CHECK_EQ(-1, t_hpet(&h, b.buf, b.len));
	CHECK(!h.present);

	sample_hpet(&b);
	b.len = 48;
	tb_finish(&b);
	CHECK_EQ(-1, t_hpet(&h, b.buf, b.len));
	CHECK_FINDINGS(&h.findings, F_TABLE_TOO_SHORT);
	CHECK(!h.present);
}

const struct unit_test small_table_tests[] = {
	{ "mcfg_sample_parses", mcfg_sample_parses },
	{ "mcfg_bad_entries_are_reported", mcfg_bad_entries_are_reported },
	{ "mcfg_limits", mcfg_limits },
	{ "fadt_full_parses", fadt_full_parses },
	{ "fadt_timer_source", fadt_timer_source },
	{ "fadt_short_tables", fadt_short_tables },
	{ "hpet_parses", hpet_parses },
	{ NULL, NULL },
};

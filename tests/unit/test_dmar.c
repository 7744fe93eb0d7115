/* DMAR parser and device-scope resolution: the sample table, then one malformation per test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/acpi.h"
#include "kernel/dmar.h"
#include "tests/unit/tbuild.h"
#include "tests/unit/unit.h"

static struct tb b;
static struct dmar d;

static int parse(void)
{
	return t_dmar(&d, b.buf, b.len);
}

/* A DMAR header with a 39-bit HAW and no flags: the start of most tests. */
static void begin(void)
{
	tb_init(&b);
	tb_dmar_header(&b, 39, 0);
}

/* One DRHD (segment 0, INCLUDE_PCI_ALL) holding exactly the given scope bytes. */
static size_t drhd_with_scope_bytes(const uint8_t *bytes, size_t n)
{
	size_t s;

	begin();
	s = tb_drhd(&b, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed90000);
	for (size_t i = 0; i < n; i++)
		tb_u8(&b, bytes[i]);
	tb_end16(&b, s);
	tb_finish(&b);
	return s + 16;
}

/* The sample table: every structure type, multi-hop paths, INCLUDE_PCI_ALL last. */
static void sample_parses_every_structure(void)
{
	sample_dmar(&b);
	CHECK_EQ(0, parse());
	CHECK_NO_FINDINGS(&d.findings);
	CHECK(d.present);
	CHECK(d.checksum_ok);
	CHECK_EQ(b.len, d.length);
	CHECK_EQ(1, d.revision);
	CHECK_EQ(46, d.haw);
	CHECK_EQ(DMAR_FLAG_INTR_REMAP | DMAR_FLAG_X2APIC_OPT_OUT, d.flags);
	CHECK_EQ(3, d.ndrhd);
	CHECK_EQ(1, d.nrmrr);
	CHECK_EQ(1, d.natsr);
	CHECK_EQ(1, d.nrhsa);
	CHECK_EQ(1, d.nandd);
	CHECK_EQ(1, d.nsatc);
	CHECK_EQ(0, d.nunknown);
	CHECK_EQ(7, d.nscopes);

	CHECK_EQ(48, d.drhd[0].offset);
	CHECK_EQ(0xfed90000, d.drhd[0].base);
	CHECK_EQ(0, d.drhd[0].flags);
	CHECK_EQ(0, d.drhd[0].scopes.first);
	CHECK_EQ(1, d.drhd[0].scopes.count);
	CHECK_EQ(SCOPE_PCI_ENDPOINT, d.scope[0].type);
	CHECK_EQ(64, d.scope[0].offset);
	CHECK_EQ(1, d.scope[0].path_len);
	CHECK_EQ(2, d.scope[0].path[0].dev);

	CHECK_EQ(DRHD_FLAG_INCLUDE_PCI_ALL, d.drhd[1].flags);
	CHECK_EQ(1, d.drhd[1].scopes.first);
	CHECK_EQ(2, d.drhd[1].scopes.count);
	CHECK_EQ(SCOPE_IOAPIC, d.scope[1].type);
	CHECK_EQ(8, d.scope[1].enum_id);
	CHECK_EQ(0xf0, d.scope[1].start_bus);
	CHECK_EQ(SCOPE_HPET, d.scope[2].type);
	CHECK_EQ(7, d.scope[2].path[0].fn);

	CHECK_EQ(1, d.drhd[2].segment);
	CHECK_EQ(1, d.drhd[2].size_field);
	CHECK_EQ(0xfed92000, d.drhd[2].base);
	CHECK_EQ(0, d.drhd[2].scopes.count);

	CHECK_EQ(120, d.rmrr[0].offset);
	CHECK_EQ(0x7c000000, d.rmrr[0].base);
	CHECK_EQ(0x7c7fffff, d.rmrr[0].limit);
	CHECK_EQ(3, d.rmrr[0].scopes.first);
	CHECK_EQ(2, d.rmrr[0].scopes.count);
	CHECK_EQ(3, d.scope[4].path_len);
	CHECK_EQ(0x1c, d.scope[4].path[0].dev);
	CHECK_EQ(3, d.scope[4].path[2].dev);
	CHECK_EQ(1, d.scope[4].path[2].fn);

	CHECK_EQ(0, d.atsr[0].flags);
	CHECK_EQ(1, d.atsr[0].scopes.count);
	CHECK_EQ(SCOPE_PCI_BRIDGE, d.scope[d.atsr[0].scopes.first].type);

	CHECK_EQ(0xfed90000, d.rhsa[0].base);
	CHECK_EQ(1, d.rhsa[0].proximity_domain);

	CHECK_EQ(1, d.andd[0].device_number);
	CHECK_STR_EQ("\\_SB.PCI0.I2C0", d.andd[0].name);

	CHECK_EQ(1, d.satc[0].flags);
	CHECK_EQ(1, d.satc[0].scopes.count);
	CHECK_EQ(6, d.satc[0].scopes.first);
}

/* Each hop's bus is the previous hop's secondary bus; the last hop names the device. */
static void scopes_resolve_through_bridges(void)
{
	sample_dmar(&b);
	CHECK_EQ(0, parse());
	dmar_resolve_scopes(&d, sample_secondary_bus, NULL);
	CHECK_NO_FINDINGS(&d.findings);
	for (unsigned i = 0; i < d.nscopes; i++)
		CHECK(d.scope[i].resolved);
	CHECK_EQ(0, d.scope[0].bus);
	CHECK_EQ(2, d.scope[0].dev);
	CHECK_EQ(0, d.scope[0].fn);
	CHECK_EQ(0xf0, d.scope[1].bus);
	CHECK_EQ(0x1f, d.scope[1].dev);
	/* 00:1c.0 -> bus 2, 02:00.0 -> bus 3, device 03:03.1 */
	CHECK_EQ(3, d.scope[4].bus);
	CHECK_EQ(3, d.scope[4].dev);
	CHECK_EQ(1, d.scope[4].fn);
}

/* A hop that is no bridge leaves the scope unresolved and names that hop. */
static void scope_through_missing_bridge_is_unresolved(void)
{
	size_t s;

	begin();
	s = tb_drhd(&b, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed90000);
	TB_SCOPE(&b, SCOPE_PCI_ENDPOINT, 0, 0, 0x1d, 0, 0, 0);	  /* 00:1d.0 is no bridge */
	TB_SCOPE(&b, SCOPE_PCI_ENDPOINT, 0, 0, 0x1c, 0, 5, 0, 1, 0); /* 02:05.0 is none either */
	tb_end16(&b, s);
	tb_finish(&b);
	CHECK_EQ(0, parse());
	dmar_resolve_scopes(&d, sample_secondary_bus, NULL);
	CHECK_FINDINGS(&d.findings, F_SCOPE_UNRESOLVED, F_SCOPE_UNRESOLVED);
	CHECK_EQ(64, d.findings.item[0].arg[0]);
	CHECK_EQ(0, d.findings.item[0].arg[1]);
	CHECK_EQ(74, d.findings.item[1].arg[0]);
	CHECK_EQ(1, d.findings.item[1].arg[1]);
	CHECK(!d.scope[0].resolved);
	CHECK(!d.scope[1].resolved);
}

/* Without a bridge lookup only single-hop scopes resolve. */
static void scopes_resolve_without_callback(void)
{
	sample_dmar(&b);
	CHECK_EQ(0, parse());
	dmar_resolve_scopes(&d, NULL, NULL);
	CHECK_FINDINGS(&d.findings, F_SCOPE_UNRESOLVED);
	CHECK(d.scope[0].resolved);
	CHECK(!d.scope[4].resolved);
}

/* A scope with no path (legal for an I/O APIC here) names no source-id: left unresolved. */
static void pathless_scope_stays_unresolved(void)
{
	static const uint8_t bytes[] = { SCOPE_IOAPIC, 6, 0, 0, 8, 0xf0 };

	drhd_with_scope_bytes(bytes, sizeof(bytes));
	CHECK_EQ(0, parse());
	CHECK_EQ(1, d.nscopes);
	CHECK_EQ(0, d.scope[0].path_len);
	dmar_resolve_scopes(&d, sample_secondary_bus, NULL);
	CHECK_NO_FINDINGS(&d.findings);
	CHECK(!d.scope[0].resolved);
}

/* Tables too short for the DMAR header, or not DMARs, are refused. */
static void short_or_foreign_table_is_refused(void)
{
	sample_dmar(&b);
	CHECK_EQ(-1, t_dmar(&d, b.buf, 20));
	CHECK(!d.present);
	CHECK_NO_FINDINGS(&d.findings);
	CHECK_EQ(-1, t_dmar(&d, b.buf, 47));
	CHECK_FINDINGS(&d.findings, F_TABLE_TRUNCATED, F_TABLE_TOO_SHORT);

	tb_put32(&b, 4, 40); /* length field below the DMAR header */
	CHECK_EQ(-1, parse());
	CHECK_FINDINGS(&d.findings, F_TABLE_TOO_SHORT);
	CHECK_FINDING_ARGS(&d.findings, F_TABLE_TOO_SHORT, 40, 48);

	sample_dmar(&b);
	memcpy(b.buf, "DMAX", 4);
	CHECK_EQ(-1, parse());
	CHECK(!d.present);
}

/* A length field beyond the readable bytes: parse what is readable, say so. */
static void length_beyond_readable_parses_what_is_there(void)
{
	sample_dmar(&b);
	CHECK_EQ(0, t_dmar(&d, b.buf, b.len - 4)); /* cuts into the SATC */
	CHECK_FINDINGS(&d.findings, F_TABLE_TRUNCATED, F_STRUCT_TRUNCATED);
	CHECK_FINDING_ARGS(&d.findings, F_TABLE_TRUNCATED, b.len, b.len - 4);
	CHECK_FINDING_ARGS(&d.findings, F_STRUCT_TRUNCATED, 223, 0);
	CHECK(!d.checksum_ok);
	CHECK_EQ(b.len - 4, d.length);
	CHECK_EQ(3, d.ndrhd);
	CHECK_EQ(1, d.nandd);
	CHECK_EQ(0, d.nsatc);
}

/* A structure whose length runs past the table end ends the walk. */
static void structure_past_end_stops_walk(void)
{
	size_t s;

	begin();
	s = tb_drhd(&b, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed90000);
	tb_end16(&b, s);
	s = tb_drhd(&b, 0, 0, 0, 0xfed91000);
	TB_SCOPE(&b, SCOPE_PCI_ENDPOINT, 0, 0, 2, 0);
	tb_end16(&b, s);
	tb_put16(&b, s + 2, 0x40);
	tb_finish(&b);
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&d.findings, F_STRUCT_TRUNCATED);
	CHECK_FINDING_ARGS(&d.findings, F_STRUCT_TRUNCATED, s, 0);
	CHECK_EQ(1, d.ndrhd);
}

/* A zero length cannot say where the next structure is: stop, do not loop. */
static void zero_length_structure_stops_walk(void)
{
	size_t s, z;

	begin();
	s = tb_drhd(&b, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed90000);
	tb_end16(&b, s);
	z = tb_begin16(&b, DMAR_TYPE_RMRR); /* length stays 0 */
	s = tb_drhd(&b, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 1, 0xfed91000);
	tb_end16(&b, s);
	tb_finish(&b);
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&d.findings, F_STRUCT_LENGTH);
	CHECK_FINDING_ARGS(&d.findings, F_STRUCT_LENGTH, z, 0);
	CHECK_EQ(1, d.ndrhd);
}

/* A length of 1..3 cannot even cover the structure header. */
static void length_below_header_stops_walk(void)
{
	size_t z;

	begin();
	z = tb_begin16(&b, DMAR_TYPE_DRHD);
	tb_put16(&b, z + 2, 3);
	tb_zeros(&b, 12);
	tb_finish(&b);
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&d.findings, F_STRUCT_LENGTH);
	CHECK_FINDING_ARGS(&d.findings, F_STRUCT_LENGTH, z, 3);
}

/* Bytes after the last structure that cannot hold a header are a truncated structure. */
static void trailing_bytes_are_truncated_structure(void)
{
	size_t s;

	begin();
	s = tb_drhd(&b, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed90000);
	tb_end16(&b, s);
	tb_u16(&b, DMAR_TYPE_RMRR);
	tb_finish(&b);
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&d.findings, F_STRUCT_TRUNCATED);
	CHECK_FINDING_ARGS(&d.findings, F_STRUCT_TRUNCATED, s + 16, 0);
	CHECK_EQ(1, d.ndrhd);
}

/* A known structure shorter than its fixed part is skipped; the walk goes on. */
static void structure_below_fixed_part_is_skipped(void)
{
	size_t s, r;

	begin();
	s = tb_drhd(&b, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed90000);
	tb_end16(&b, s);
	r = tb_begin16(&b, DMAR_TYPE_RMRR);
	tb_zeros(&b, 12); /* 16 bytes: no room for the limit */
	tb_end16(&b, r);
	s = tb_atsr(&b, 1, 0);
	tb_end16(&b, s);
	tb_finish(&b);
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&d.findings, F_STRUCT_LENGTH);
	CHECK_FINDING_ARGS(&d.findings, F_STRUCT_LENGTH, r, 16);
	CHECK_EQ(0, d.nrmrr);
	CHECK_EQ(1, d.natsr);
}

/* Scope length 0 or below 6: the rest of the parent's scopes cannot be found. */
static void short_scope_stops_scope_walk(void)
{
	static const uint8_t zero[] = { SCOPE_IOAPIC, 0, 0, 0, 8, 0xf0, 0x1f, 0 };
	static const uint8_t four[] = { SCOPE_IOAPIC, 4, 0, 0, SCOPE_IOAPIC, 8, 0, 0 };
	size_t off;

	off = drhd_with_scope_bytes(zero, sizeof(zero));
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&d.findings, F_SCOPE_LENGTH);
	CHECK_FINDING_ARGS(&d.findings, F_SCOPE_LENGTH, off, 0);
	CHECK_EQ(1, d.ndrhd); /* the unit itself is still usable */
	CHECK_EQ(0, d.nscopes);

	off = drhd_with_scope_bytes(four, sizeof(four));
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&d.findings, F_SCOPE_LENGTH);
	CHECK_FINDING_ARGS(&d.findings, F_SCOPE_LENGTH, off, 4);
	CHECK_EQ(0, d.nscopes);
}

/* A scope running past its parent structure. */
static void scope_past_parent_is_reported(void)
{
	static const uint8_t bytes[] = {
		SCOPE_PCI_ENDPOINT, 8, 0, 0, 0, 0, 2, 0,
		SCOPE_PCI_ENDPOINT, 10, 0, 0, 0, 0, 3, 0, /* two bytes short */
	};
	size_t off = drhd_with_scope_bytes(bytes, sizeof(bytes));

	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&d.findings, F_SCOPE_LENGTH);
	CHECK_FINDING_ARGS(&d.findings, F_SCOPE_LENGTH, off + 8, 10);
	CHECK_EQ(1, d.nscopes);
	CHECK_EQ(1, d.drhd[0].scopes.count);
}

/* An odd length cannot be 6 + 2n; a PCI scope needs a path. Both skipped, walk goes on. */
static void odd_or_pathless_scope_is_skipped(void)
{
	static const uint8_t bytes[] = {
		SCOPE_PCI_ENDPOINT, 9, 0, 0, 0, 0, 2, 0, 0,
		SCOPE_PCI_BRIDGE, 6, 0, 0, 0, 0,
		SCOPE_PCI_ENDPOINT, 8, 0, 0, 0, 0, 3, 0,
	};
	size_t off = drhd_with_scope_bytes(bytes, sizeof(bytes));

	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&d.findings, F_SCOPE_LENGTH, F_SCOPE_LENGTH);
	CHECK_EQ(off, d.findings.item[0].arg[0]);
	CHECK_EQ(9, d.findings.item[0].arg[1]);
	CHECK_EQ(off + 9, d.findings.item[1].arg[0]);
	CHECK_EQ(6, d.findings.item[1].arg[1]);
	CHECK_EQ(1, d.nscopes);
	CHECK_EQ(3, d.scope[0].path[0].dev);
	CHECK_EQ(off + 15, d.scope[0].offset);
}

/* Scope types outside 1..5 are reported and skipped. */
static void unknown_scope_type_is_skipped(void)
{
	static const uint8_t bytes[] = {
		0, 8, 0, 0, 0, 0, 2, 0,
		7, 8, 0, 0, 0, 0, 2, 0,
		SCOPE_ACPI_NAMESPACE, 8, 0, 0, 1, 0, 0x15, 0,
	};
	size_t off = drhd_with_scope_bytes(bytes, sizeof(bytes));

	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&d.findings, F_SCOPE_TYPE, F_SCOPE_TYPE);
	CHECK_EQ(off, d.findings.item[0].arg[0]);
	CHECK_EQ(0, d.findings.item[0].arg[1]);
	CHECK_EQ(7, d.findings.item[1].arg[1]);
	CHECK_EQ(1, d.nscopes);
	CHECK_EQ(SCOPE_ACPI_NAMESPACE, d.scope[0].type);
	CHECK_EQ(1, d.scope[0].enum_id);
}

/* Device numbers stop at 31 and functions at 7. */
static void scope_path_out_of_range_is_reported(void)
{
	static const uint8_t bytes[] = {
		SCOPE_PCI_ENDPOINT, 8, 0, 0, 0, 0, 32, 0,
		SCOPE_PCI_ENDPOINT, 10, 0, 0, 0, 0, 0x1c, 0, 0, 8,
	};
	size_t off = drhd_with_scope_bytes(bytes, sizeof(bytes));

	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&d.findings, F_SCOPE_PATH, F_SCOPE_PATH);
	CHECK_EQ(off, d.findings.item[0].arg[0]);
	CHECK_EQ(0, d.findings.item[0].arg[1]);
	CHECK_EQ(off + 8, d.findings.item[1].arg[0]);
	CHECK_EQ(1, d.findings.item[1].arg[1]);
	CHECK_EQ(0, d.nscopes);
}

/* A path deeper than the model holds is a harness limit. */
static void scope_deeper_than_model_is_model_full(void)
{
	size_t s;

	begin();
	s = tb_drhd(&b, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed90000);
	TB_SCOPE(&b, SCOPE_PCI_ENDPOINT, 0, 0, /* nine hops */
		 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0);
	tb_end16(&b, s);
	tb_finish(&b);
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&d.findings, F_MODEL_FULL);
	CHECK_FINDING_ARGS(&d.findings, F_MODEL_FULL, s + 16, 0);
	CHECK_EQ(0, d.nscopes);
}

/* A unit at address 0 or off a page boundary is left out. */
static void bad_drhd_base_is_left_out(void)
{
	size_t z, u, s;

	begin();
	z = tb_drhd(&b, 0, 0, 0, 0);
	TB_SCOPE(&b, SCOPE_PCI_ENDPOINT, 0, 0, 2, 0);
	tb_end16(&b, z);
	u = tb_drhd(&b, 0, 0, 0, 0xfed90800);
	TB_SCOPE(&b, SCOPE_PCI_ENDPOINT, 0, 0, 3, 0);
	tb_end16(&b, u);
	s = tb_drhd(&b, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed91000);
	tb_end16(&b, s);
	tb_finish(&b);
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&d.findings, F_DRHD_BASE_ZERO, F_DRHD_BASE_ALIGN);
	CHECK_FINDING_ARGS(&d.findings, F_DRHD_BASE_ZERO, z, 0);
	CHECK_FINDING_ARGS(&d.findings, F_DRHD_BASE_ALIGN, u, 0xfed90800);
	CHECK_EQ(1, d.ndrhd);
	CHECK_EQ(0xfed91000, d.drhd[0].base);
	CHECK_EQ(0, d.nscopes);
}

/* INCLUDE_PCI_ALL must come after the other units of its segment (other segments don't count). */
static void include_all_not_last_is_reported(void)
{
	size_t s;

	begin();
	s = tb_drhd(&b, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed90000);
	tb_end16(&b, s);
	s = tb_drhd(&b, 0, 0, 1, 0xfed91000); /* segment 1: fine */
	TB_SCOPE(&b, SCOPE_PCI_ENDPOINT, 0, 0, 2, 0);
	tb_end16(&b, s);
	s = tb_drhd(&b, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 1, 0xfed92000);
	tb_end16(&b, s);
	s = tb_drhd(&b, 0, 0, 0, 0xfed93000); /* segment 0, after its catch-all */
	TB_SCOPE(&b, SCOPE_PCI_ENDPOINT, 0, 0, 2, 0);
	tb_end16(&b, s);
	tb_finish(&b);
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&d.findings, F_DRHD_INCLUDE_ALL_ORDER);
	CHECK_FINDING_ARGS(&d.findings, F_DRHD_INCLUDE_ALL_ORDER, 0, 0);
	CHECK_EQ(4, d.ndrhd);
}

/* Two catch-all units for one segment. */
static void include_all_twice_is_reported(void)
{
	size_t s;

	begin();
	s = tb_drhd(&b, 0, 0, 3, 0xfed90000);
	TB_SCOPE(&b, SCOPE_PCI_ENDPOINT, 0, 0, 2, 0);
	tb_end16(&b, s);
	s = tb_drhd(&b, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 3, 0xfed91000);
	tb_end16(&b, s);
	s = tb_drhd(&b, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 3, 0xfed92000);
	tb_end16(&b, s);
	tb_finish(&b);
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&d.findings, F_DRHD_INCLUDE_ALL_DUP);
	CHECK_FINDING_ARGS(&d.findings, F_DRHD_INCLUDE_ALL_DUP, 3, 0);
}

/* Register ranges are 2^size pages: an 8 KiB unit overlaps the next page; adjacent is fine. */
static void overlapping_units_are_reported(void)
{
	size_t a, s;

	begin();
	a = tb_drhd(&b, 0, 1, 0, 0xfed90000);
	TB_SCOPE(&b, SCOPE_PCI_ENDPOINT, 0, 0, 2, 0);
	tb_end16(&b, a);
	s = tb_drhd(&b, 0, 0, 0, 0xfed91000);
	TB_SCOPE(&b, SCOPE_PCI_ENDPOINT, 0, 0, 3, 0);
	tb_end16(&b, s);
	tb_finish(&b);
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&d.findings, F_DRHD_OVERLAP);
	CHECK_FINDING_ARGS(&d.findings, F_DRHD_OVERLAP, a, s);

	tb_put8(&b, a + 5, 0); /* one page: now adjacent */
	tb_fix_checksum(&b);
	CHECK_EQ(0, parse());
	CHECK_NO_FINDINGS(&d.findings);

	/* the largest unit at the top of the address space must not wrap around */
	tb_put8(&b, a + 5, 15);
	tb_put64(&b, a + 8, 0xfffffffffffff000ull);
	tb_fix_checksum(&b);
	CHECK_EQ(0, parse());
	CHECK_NO_FINDINGS(&d.findings);
}

/* RMRR ranges are whole pages with limit >= base; bad ones are left out. */
static void bad_rmrr_range_is_left_out(void)
{
	size_t r1, r2, r3, r4;

	begin();
	r1 = tb_rmrr(&b, 0, 0x7c000800, 0x7c000fff);
	TB_SCOPE(&b, SCOPE_PCI_ENDPOINT, 0, 0, 0x14, 0);
	tb_end16(&b, r1);
	r2 = tb_rmrr(&b, 0, 0x7c000000, 0x7c000ffe);
	TB_SCOPE(&b, SCOPE_PCI_ENDPOINT, 0, 0, 0x14, 0);
	tb_end16(&b, r2);
	r3 = tb_rmrr(&b, 0, 0x7c001000, 0x7c000fff);
	TB_SCOPE(&b, SCOPE_PCI_ENDPOINT, 0, 0, 0x14, 0);
	tb_end16(&b, r3);
	r4 = tb_rmrr(&b, 0, 0xfffffffffffff000ull, 0xffffffffffffffffull); /* legal, top page */
	TB_SCOPE(&b, SCOPE_PCI_ENDPOINT, 0, 0, 0x14, 0);
	tb_end16(&b, r4);
	tb_finish(&b);
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&d.findings, F_RMRR_ALIGN, F_RMRR_ALIGN, F_RMRR_RANGE);
	CHECK_EQ(r1, d.findings.item[0].arg[0]);
	CHECK_EQ(0x7c000800, d.findings.item[0].arg[1]);
	CHECK_EQ(r2, d.findings.item[1].arg[0]);
	CHECK_FINDING_ARGS(&d.findings, F_RMRR_RANGE, r3, 0x7c001000);
	CHECK_EQ(1, d.nrmrr);
	CHECK_EQ(r4, d.rmrr[0].offset);
	CHECK_EQ(1, d.nscopes);
}

/* A wrong checksum is the caller's to report; the content is still parsed. */
static void bad_checksum_is_flagged_not_fatal(void)
{
	sample_dmar(&b);
	b.buf[40] ^= 0x01; /* a reserved byte */
	CHECK_EQ(0, parse());
	CHECK(!d.checksum_ok);
	CHECK_NO_FINDINGS(&d.findings);
	CHECK_EQ(3, d.ndrhd);
}

/* Unknown types (SIDP included) are skipped with a note; later structures still count. */
static void unknown_structure_is_skipped(void)
{
	size_t s, u1, u2;

	begin();
	s = tb_drhd(&b, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed90000);
	tb_end16(&b, s);
	u1 = tb_begin16(&b, DMAR_TYPE_SIDP);
	tb_zeros(&b, 12);
	tb_end16(&b, u1);
	u2 = tb_begin16(&b, 0x1234);
	tb_end16(&b, u2); /* a bare header is a legal unknown structure */
	s = tb_rmrr(&b, 0, 0x7c000000, 0x7c000fff);
	TB_SCOPE(&b, SCOPE_PCI_ENDPOINT, 0, 0, 0x14, 0);
	tb_end16(&b, s);
	tb_finish(&b);
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&d.findings, F_STRUCT_UNKNOWN, F_STRUCT_UNKNOWN);
	CHECK_EQ(DMAR_TYPE_SIDP, d.findings.item[0].arg[0]);
	CHECK_EQ(u1, d.findings.item[0].arg[1]);
	CHECK_EQ(0x1234, d.findings.item[1].arg[0]);
	CHECK_EQ(u2, d.findings.item[1].arg[1]);
	CHECK_EQ(2, d.nunknown);
	CHECK_EQ(1, d.nrmrr);
	CHECK_EQ(1, d.ndrhd);
	CHECK_EQ(finding_severity(F_STRUCT_UNKNOWN), SEV_NOTE);
}

/* More units, regions or scopes than the model holds: the excess is reported, not stored. */
static void model_full_is_reported(void)
{
	size_t s, last = 0;

	begin();
	for (int i = 0; i <= DMAR_MAX_DRHD; i++) {
		last = tb_drhd(&b, 0, 0, 0, 0x100000000ull + 0x1000ull * i);
		TB_SCOPE(&b, SCOPE_PCI_ENDPOINT, 0, 0, 2, 0);
		tb_end16(&b, last);
	}
	tb_finish(&b);
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&d.findings, F_MODEL_FULL);
	CHECK_FINDING_ARGS(&d.findings, F_MODEL_FULL, last, 0);
	CHECK_EQ(DMAR_MAX_DRHD, d.ndrhd);

	begin();
	s = tb_drhd(&b, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed90000);
	for (int i = 0; i <= DMAR_MAX_SCOPES; i++)
		TB_SCOPE(&b, SCOPE_IOAPIC, (uint8_t)i, 0xf0, 0x1f, 0);
	tb_end16(&b, s);
	tb_finish(&b);
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&d.findings, F_MODEL_FULL);
	CHECK_FINDING_ARGS(&d.findings, F_MODEL_FULL, s + 16 + 8 * DMAR_MAX_SCOPES, 0);
	CHECK_EQ(DMAR_MAX_SCOPES, d.nscopes);
	CHECK_EQ(DMAR_MAX_SCOPES, d.drhd[0].scopes.count);

	begin();
	for (int i = 0; i <= DMAR_MAX_RMRR; i++) {
		last = tb_rmrr(&b, 0, 0x7c000000, 0x7c000fff);
		TB_SCOPE(&b, SCOPE_PCI_ENDPOINT, 0, 0, 0x14, 0);
		tb_end16(&b, last);
	}
	tb_finish(&b);
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&d.findings, F_MODEL_FULL);
	CHECK_FINDING_ARGS(&d.findings, F_MODEL_FULL, last, 0);
	CHECK_EQ(DMAR_MAX_RMRR, d.nrmrr);
}

/* Host address widths outside 32..64 bits are not sane (the field holds HAW - 1). */
static void insane_haw_is_reported(void)
{
	static const struct {
		uint8_t field;
		unsigned haw;
		bool bad;
	} cases[] = { { 30, 31, true }, { 31, 32, false }, { 51, 52, false }, { 52, 53, true },
		      { 255, 256, true } };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t s;

		begin();
		tb_put8(&b, 36, cases[i].field);
		s = tb_drhd(&b, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed90000);
		tb_end16(&b, s);
		tb_finish(&b);
		CHECK_EQ(0, parse());
		if (cases[i].bad) {
			CHECK_FINDINGS(&d.findings, F_DMAR_HAW);
			CHECK_FINDING_ARGS(&d.findings, F_DMAR_HAW, cases[i].haw, 0);
		} else {
			CHECK_NO_FINDINGS(&d.findings);
			CHECK_EQ(cases[i].haw, d.haw);
		}
	}
}

/* DMAR flag bits 7:3 are reserved. */
static void reserved_dmar_flags_are_reported(void)
{
	size_t s;

	begin();
	tb_put8(&b, 37, 0x0f);
	s = tb_drhd(&b, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed90000);
	tb_end16(&b, s);
	tb_finish(&b);
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&d.findings, F_DMAR_FLAGS_RESERVED);
	CHECK_FINDING_ARGS(&d.findings, F_DMAR_FLAGS_RESERVED, 0x0f, 0);
	CHECK_EQ(0x0f, d.flags);
}

/* Structures that exist to list devices but list none. */
static void structures_without_scopes_are_reported(void)
{
	size_t drhd, rmrr, atsr, satc, s;

	begin();
	drhd = tb_drhd(&b, 0, 0, 0, 0xfed90000);
	tb_end16(&b, drhd);
	s = tb_drhd(&b, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed91000); /* fine without */
	tb_end16(&b, s);
	rmrr = tb_rmrr(&b, 0, 0x7c000000, 0x7c000fff);
	tb_end16(&b, rmrr);
	atsr = tb_atsr(&b, 0, 0);
	tb_end16(&b, atsr);
	s = tb_atsr(&b, 1, 1); /* ALL_PORTS: fine without */
	tb_end16(&b, s);
	satc = tb_satc(&b, 0, 0);
	tb_end16(&b, satc);
	tb_finish(&b);
	CHECK_EQ(0, parse());
	CHECK_FINDINGS(&d.findings, F_SCOPE_EMPTY, F_SCOPE_EMPTY, F_SCOPE_EMPTY, F_SCOPE_EMPTY);
	CHECK_EQ(drhd, d.findings.item[0].arg[0]);
	CHECK_EQ(rmrr, d.findings.item[1].arg[0]);
	CHECK_EQ(atsr, d.findings.item[2].arg[0]);
	CHECK_EQ(satc, d.findings.item[3].arg[0]);
	CHECK_EQ(2, d.ndrhd);
	CHECK_EQ(1, d.nrmrr);
	CHECK_EQ(2, d.natsr);
	CHECK_EQ(1, d.nsatc);
}

/* ANDD names are cut to the model's buffer and never read past the structure. */
static void andd_name_is_bounded(void)
{
	size_t s;

	begin();
	s = tb_drhd(&b, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed90000);
	tb_end16(&b, s);
	s = tb_begin16(&b, DMAR_TYPE_ANDD);
	tb_zeros(&b, 3);
	tb_u8(&b, 2);
	for (int i = 0; i < 100; i++)
		tb_u8(&b, 'A' + i % 26);
	tb_end16(&b, s);
	s = tb_begin16(&b, DMAR_TYPE_ANDD);
	tb_zeros(&b, 3);
	tb_u8(&b, 3);
	tb_u8(&b, 'X');
	tb_u8(&b, 'Y'); /* no NUL before the structure ends */
	tb_end16(&b, s);
	tb_finish(&b);
	CHECK_EQ(0, parse());
	CHECK_NO_FINDINGS(&d.findings);
	CHECK_EQ(2, d.nandd);
	CHECK_EQ(sizeof(d.andd[0].name) - 1, strlen(d.andd[0].name));
	CHECK_EQ('A', d.andd[0].name[0]);
	CHECK_STR_EQ("XY", d.andd[1].name);
	CHECK_EQ(3, d.andd[1].device_number);
}

/* A fixture dumped from QEMU by the harness (tests/unit/fixtures/README.md). */
static void load_fixture(const char *path)
{
	FILE *f = fopen(path, "rb");

	tb_init(&b);
	if (!f) {
		unit_fail(__FILE__, __LINE__, "cannot open %s", path);
		return;
	}
	b.len = fread(b.buf, 1, sizeof(b.buf), f);
	fclose(f);
}

struct expected_scope {
	uint8_t type, enum_id, start_bus, dev, fn;
};

static void check_scopes(const struct dmar_scopes *sc, const struct expected_scope *want,
			 unsigned n)
{
	CHECK_EQ(n, sc->count);
	for (unsigned i = 0; i < n && i < sc->count; i++) {
		const struct dmar_scope *s = &d.scope[sc->first + i];
		CHECK_EQ(want[i].type, s->type);
		CHECK_EQ(want[i].enum_id, s->enum_id);
		CHECK_EQ(want[i].start_bus, s->start_bus);
		CHECK_EQ(1, s->path_len);
		CHECK_EQ(want[i].dev, s->path[0].dev);
		CHECK_EQ(want[i].fn, s->path[0].fn);
		CHECK(s->resolved);
		CHECK_EQ(want[i].start_bus, s->bus);
	}
}

/* The header and single DRHD QEMU 7.2 builds for q35 with intel-iommu,intremap=on. */
static void check_qemu_header(void)
{
	CHECK_EQ(0, parse());
	CHECK(d.present);
	CHECK(d.checksum_ok);
	CHECK_EQ(1, d.revision);
	CHECK_EQ(39, d.haw);
	CHECK_EQ(DMAR_FLAG_INTR_REMAP, d.flags);
	CHECK_EQ(1, d.ndrhd);
	CHECK_EQ(0, d.nrmrr + d.natsr + d.nrhsa + d.nandd + d.nsatc + d.nunknown);
	CHECK_EQ(0, d.drhd[0].flags);
	CHECK_EQ(0, d.drhd[0].segment);
	CHECK_EQ(0xfed90000, d.drhd[0].base);
	dmar_resolve_scopes(&d, sample_secondary_bus, NULL);
	CHECK_NO_FINDINGS(&d.findings);
}

/* q35 + edu: the I/O APIC on QEMU's pseudo bus 0xff, then each bus-0 function. */
static void qemu_fixture(void)
{
	static const struct expected_scope want[] = {
		{ SCOPE_IOAPIC, 0, 0xff, 0, 0 },	{ SCOPE_PCI_ENDPOINT, 0, 0, 0, 0 },
		{ SCOPE_PCI_ENDPOINT, 0, 0, 1, 0 },	{ SCOPE_PCI_ENDPOINT, 0, 0, 0x1f, 0 },
		{ SCOPE_PCI_ENDPOINT, 0, 0, 0x1f, 2 }, { SCOPE_PCI_ENDPOINT, 0, 0, 0x1f, 3 },
	};

	load_fixture("tests/unit/fixtures/qemu-q35-dmar.bin");
	CHECK_EQ(112, b.len);
	check_qemu_header();
	check_scopes(&d.drhd[0].scopes, want, sizeof(want) / sizeof(want[0]));
}

/* q35 + edu + a root port: the root port appears as a bridge scope. */
static void qemu_rootport_fixture(void)
{
	static const struct expected_scope want[] = {
		{ SCOPE_IOAPIC, 0, 0xff, 0, 0 },	{ SCOPE_PCI_ENDPOINT, 0, 0, 0, 0 },
		{ SCOPE_PCI_ENDPOINT, 0, 0, 1, 0 },	{ SCOPE_PCI_BRIDGE, 0, 0, 2, 0 },
		{ SCOPE_PCI_ENDPOINT, 0, 0, 0x1f, 0 }, { SCOPE_PCI_ENDPOINT, 0, 0, 0x1f, 2 },
		{ SCOPE_PCI_ENDPOINT, 0, 0, 0x1f, 3 },
	};

	load_fixture("tests/unit/fixtures/qemu-q35-rootport-dmar.bin");
	CHECK_EQ(120, b.len);
	check_qemu_header();
	check_scopes(&d.drhd[0].scopes, want, sizeof(want) / sizeof(want[0]));
}

const struct unit_test dmar_tests[] = {
	{ "dmar_sample_parses_every_structure", sample_parses_every_structure },
	{ "dmar_scopes_resolve_through_bridges", scopes_resolve_through_bridges },
	{ "dmar_scope_through_missing_bridge_is_unresolved",
	  scope_through_missing_bridge_is_unresolved },
	{ "dmar_scopes_resolve_without_callback", scopes_resolve_without_callback },
	{ "dmar_pathless_scope_stays_unresolved", pathless_scope_stays_unresolved },
	{ "dmar_short_or_foreign_table_is_refused", short_or_foreign_table_is_refused },
	{ "dmar_length_beyond_readable_parses_what_is_there",
	  length_beyond_readable_parses_what_is_there },
	{ "dmar_structure_past_end_stops_walk", structure_past_end_stops_walk },
	{ "dmar_zero_length_structure_stops_walk", zero_length_structure_stops_walk },
	{ "dmar_length_below_header_stops_walk", length_below_header_stops_walk },
	{ "dmar_trailing_bytes_are_truncated_structure", trailing_bytes_are_truncated_structure },
	{ "dmar_structure_below_fixed_part_is_skipped", structure_below_fixed_part_is_skipped },
	{ "dmar_short_scope_stops_scope_walk", short_scope_stops_scope_walk },
	{ "dmar_scope_past_parent_is_reported", scope_past_parent_is_reported },
	{ "dmar_odd_or_pathless_scope_is_skipped", odd_or_pathless_scope_is_skipped },
	{ "dmar_unknown_scope_type_is_skipped", unknown_scope_type_is_skipped },
	{ "dmar_scope_path_out_of_range_is_reported", scope_path_out_of_range_is_reported },
	{ "dmar_scope_deeper_than_model_is_model_full", scope_deeper_than_model_is_model_full },
	{ "dmar_bad_drhd_base_is_left_out", bad_drhd_base_is_left_out },
	{ "dmar_include_all_not_last_is_reported", include_all_not_last_is_reported },
	{ "dmar_include_all_twice_is_reported", include_all_twice_is_reported },
	{ "dmar_overlapping_units_are_reported", overlapping_units_are_reported },
	{ "dmar_bad_rmrr_range_is_left_out", bad_rmrr_range_is_left_out },
	{ "dmar_bad_checksum_is_flagged_not_fatal", bad_checksum_is_flagged_not_fatal },
	{ "dmar_unknown_structure_is_skipped", unknown_structure_is_skipped },
	{ "dmar_model_full_is_reported", model_full_is_reported },
	{ "dmar_insane_haw_is_reported", insane_haw_is_reported },
	{ "dmar_reserved_flags_are_reported", reserved_dmar_flags_are_reported },
	{ "dmar_structures_without_scopes_are_reported", structures_without_scopes_are_reported },
	{ "dmar_andd_name_is_bounded", andd_name_is_bounded },
	{ "dmar_qemu_fixture", qemu_fixture },
	{ "dmar_qemu_rootport_fixture", qemu_rootport_fixture },
	{ NULL, NULL },
};

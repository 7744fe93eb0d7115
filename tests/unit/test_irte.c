/*
 * IRTE and MSI encoders (vtd/irte.c) against layouts computed by hand from the
 * VT-d spec's "Interrupt Remapping Table Entry (IRTE) for Remapped Interrupts"
 * and "Interrupt Requests in Remappable Format" / "... in Compatibility Format".
 */
#include <string.h>

#include "tests/unit/unit.h"
#include "vtd/irte.h"

static void check_fields_equal(const struct vtd_irte_fields *a, const struct vtd_irte_fields *b)
{
	CHECK_EQ(a->present, b->present);
	CHECK_EQ(a->fpd, b->fpd);
	CHECK_EQ(a->dest_logical, b->dest_logical);
	CHECK_EQ(a->redir_hint, b->redir_hint);
	CHECK_EQ(a->level, b->level);
	CHECK_EQ(a->dlm, b->dlm);
	CHECK_EQ(a->avail, b->avail);
	CHECK_EQ(a->vector, b->vector);
	CHECK_EQ(a->dest, b->dest);
	CHECK_EQ(a->sid, b->sid);
	CHECK_EQ(a->sq, b->sq);
	CHECK_EQ(a->svt, b->svt);
}

/* A typical Linux-style entry: fixed, physical, edge, SID verified. */
static void irte_xapic_layout(void)
{
	struct vtd_irte_fields f = {
		.present = true, .vector = 0x31, .dest = 0x12, .sid = 0x0018, .svt = VTD_SVT_SID,
	};
	struct vtd_irte e;

	CHECK(vtd_irte_encode(&f, false, &e));
	/* P bit 0, V 23:16, APIC id 47:40 */
	CHECK_EQ(0x0000120000310001ull, e.lo);
	/* SID 79:64, SVT 83:82 = 01 */
	CHECK_EQ(0x0000000000040018ull, e.hi);
}

/* Every field at its maximum, in x2APIC mode: DST is all of 63:32. */
static void irte_x2apic_all_fields(void)
{
	struct vtd_irte_fields f = {
		.present = true, .fpd = true, .dest_logical = true, .redir_hint = true, .level = true,
		.dlm = 7, .avail = 0xf, .vector = 0xff, .dest = 0xdeadbeef, .sid = 0xffff,
		.sq = VTD_SQ_IGNORE_210, .svt = VTD_SVT_BUS,
	};
	struct vtd_irte e;

	CHECK(vtd_irte_encode(&f, true, &e));
	/* bits 4:0 P FPD DM RH TM, 7:5 DLM, 11:8 AVAIL, 15:12 zero, 23:16 V, 31:24 zero */
	CHECK_EQ(0xdeadbeef00ff0fffull, e.lo);
	/* SQ 81:80 = 11, SVT 83:82 = 10 */
	CHECK_EQ(0x00000000000bffffull, e.hi);
	struct vtd_irte r = vtd_irte_reserved(e, true);
	CHECK_EQ(0, r.lo);
	CHECK_EQ(0, r.hi);
}

/* The same APIC id lands in different bits in the two modes. */
static void irte_destination_by_mode(void)
{
	struct vtd_irte_fields f = {.present = true, .dest = 0xab};
	struct vtd_irte x, x2;

	CHECK(vtd_irte_encode(&f, false, &x));
	CHECK(vtd_irte_encode(&f, true, &x2));
	CHECK_EQ(0xabull << 40, x.lo & ~1ull);
	CHECK_EQ(0xabull << 32, x2.lo & ~1ull);
	CHECK_EQ(0xab, vtd_irte_decode(x, false).dest);
	CHECK_EQ(0xab, vtd_irte_decode(x2, true).dest);
	/* read in the wrong mode, the id is not the same */
	CHECK_EQ(0xab00, vtd_irte_decode(x, true).dest);
	CHECK_EQ(0, vtd_irte_decode(x2, false).dest);
}

static void irte_refuses_what_does_not_fit(void)
{
	const struct vtd_irte_fields ok = {.present = true, .vector = 0x40, .dest = 0xff};
	struct vtd_irte_fields f;
	struct vtd_irte e;

	CHECK(vtd_irte_encode(&ok, false, &e));
	f = ok, f.dest = 0x100;
	CHECK(!vtd_irte_encode(&f, false, &e));
	CHECK_EQ(0, e.lo | e.hi);
	CHECK(vtd_irte_encode(&f, true, &e));
	f = ok, f.dlm = 8;
	CHECK(!vtd_irte_encode(&f, false, &e));
	f = ok, f.avail = 0x10;
	CHECK(!vtd_irte_encode(&f, false, &e));
	f = ok, f.sq = 4;
	CHECK(!vtd_irte_encode(&f, false, &e));
	f = ok, f.svt = 3; /* reserved */
	CHECK(!vtd_irte_encode(&f, false, &e));
}

static void irte_round_trips(void)
{
	static const uint32_t dests[] = {0, 1, 0x7f, 0xff};
	static const uint32_t x2dests[] = {0x100, 0xffff, 0x12345678, 0xffffffff};

	for (unsigned i = 0; i < 4; i++) {
		struct vtd_irte_fields f = {
			.present = i & 1, .fpd = i & 2, .dest_logical = i == 1, .redir_hint = i == 2,
			.level = i == 3, .dlm = (uint8_t)(i * 2 + 1) & 7, .avail = (uint8_t)(i * 5),
			.vector = (uint8_t)(0x40 + i * 0x31), .dest = dests[i],
			.sid = (uint16_t)(0x100 * i + 8), .sq = (uint8_t)i, .svt = (uint8_t)(i % 3),
		};
		struct vtd_irte e;

		CHECK(vtd_irte_encode(&f, false, &e));
		struct vtd_irte_fields back = vtd_irte_decode(e, false);
		check_fields_equal(&f, &back);
		struct vtd_irte r = vtd_irte_reserved(e, false);
		CHECK_EQ(0, r.lo | r.hi);

		f.dest = x2dests[i];
		CHECK(vtd_irte_encode(&f, true, &e));
		back = vtd_irte_decode(e, true);
		check_fields_equal(&f, &back);
		r = vtd_irte_reserved(e, true);
		CHECK_EQ(0, r.lo | r.hi);
	}
}

/* Reserved: 14:12, IM 15 (posted), 31:24, 127:84; in xAPIC mode 39:32 and 63:48. */
static void irte_reserved_bits(void)
{
	static const struct {
		unsigned bit;
		bool xapic, x2apic;
	} bits[] = {
		{12, true, true}, {14, true, true}, {15, true, true}, {24, true, true},
		{31, true, true}, {32, true, false}, {39, true, false}, {40, false, false},
		{47, false, false}, {48, true, false}, {63, true, false}, {84, true, true},
		{127, true, true}, {83, false, false}, {8, false, false}, {23, false, false},
	};

	for (unsigned i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		unsigned b = bits[i].bit;
		struct vtd_irte e = {b < 64 ? 1ull << b : 0, b >= 64 ? 1ull << (b - 64) : 0};
		struct vtd_irte rx = vtd_irte_reserved(e, false), rx2 = vtd_irte_reserved(e, true);
		bool in_xapic = rx.lo | rx.hi, in_x2apic = rx2.lo | rx2.hi;

		if (in_xapic != bits[i].xapic)
			unit_fail(__FILE__, __LINE__, "bit %u reserved in xAPIC mode: expected %d", b,
				  bits[i].xapic);
		if (in_x2apic != bits[i].x2apic)
			unit_fail(__FILE__, __LINE__, "bit %u reserved in x2APIC mode: expected %d",
				  b, bits[i].x2apic);
	}
}

/* Handle 15:0 split into address 19:5 (bits 14:0) and address 2 (bit 15); IF = 1. */
static void msi_handle_split(void)
{
	static const struct {
		uint16_t handle;
		uint32_t addr;
	} cases[] = {
		{0x0000, 0xfee00010}, {0x7fff, 0xfeeffff0}, {0x8000, 0xfee00014},
		{0xffff, 0xfeeffff4}, {0x0001, 0xfee00030}, {0x4000, 0xfee80010},
	};

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vtd_msi m = vtd_msi_remappable(cases[i].handle, false, 0x1234);
		struct vtd_msi_request r;

		CHECK_EQ(cases[i].addr, m.addr);
		CHECK_EQ(0, m.data); /* data carries nothing without SHV */
		CHECK(vtd_msi_decode(m.addr, m.data, &r));
		CHECK(r.remappable);
		CHECK(!r.shv);
		CHECK_EQ(cases[i].handle, r.handle);
		CHECK_EQ(cases[i].handle, r.index);
		CHECK(!r.reserved);
	}
}

/* SHV (address bit 3): the subhandle is the data's 15:0, added to the handle. */
static void msi_subhandle(void)
{
	struct vtd_msi m = vtd_msi_remappable(5, true, 9);
	struct vtd_msi_request r;

	CHECK_EQ(0xfee000b8, m.addr);
	CHECK_EQ(9, m.data);
	CHECK(vtd_msi_decode(m.addr, m.data, &r));
	CHECK(r.shv);
	CHECK_EQ(5, r.handle);
	CHECK_EQ(9, r.subhandle);
	CHECK_EQ(14, r.index);

	/* the sum is not cut to 16 bits: it can only be beyond the table */
	m = vtd_msi_remappable(0xffff, true, 0xffff);
	CHECK(vtd_msi_decode(m.addr, m.data, &r));
	CHECK_EQ(0x1fffe, r.index);

	/* data 31:16 are reserved with SHV, ignored without */
	CHECK(vtd_msi_decode(m.addr, 0x10000 | 3, &r));
	CHECK(r.reserved);
	CHECK(vtd_msi_decode(m.addr & ~(uint64_t)VTD_MSI_SHV, 0xffff0000, &r));
	CHECK(!r.reserved);
	CHECK_EQ(0xffff, r.index);
}

static void msi_compat(void)
{
	struct vtd_msi m = vtd_msi_compat(3, 0x41);
	struct vtd_msi_request r;

	CHECK_EQ(0xfee03000, m.addr);
	CHECK_EQ(0x41, m.data);
	CHECK(vtd_msi_decode(m.addr, m.data, &r));
	CHECK(!r.remappable);
	CHECK_EQ(3, r.dest);
	CHECK_EQ(0x41, r.vector);
}

/* Outside 0xFEEx_xxxx (or above 4 GiB) a write is memory, not an interrupt. */
static void msi_outside_interrupt_range(void)
{
	struct vtd_msi_request r;

	CHECK(!vtd_msi_decode(0x1fee00010ull, 0, &r));
	CHECK(!vtd_msi_decode(0xfed00010, 0, &r));
	CHECK(!vtd_msi_decode(0xfef00010, 0, &r));
	CHECK(vtd_msi_decode(0xfeefffff, 0, &r));
}

const struct unit_test irte_tests[] = {
	{"irte_xapic_layout", irte_xapic_layout},
	{"irte_x2apic_all_fields", irte_x2apic_all_fields},
	{"irte_destination_by_mode", irte_destination_by_mode},
	{"irte_refuses_what_does_not_fit", irte_refuses_what_does_not_fit},
	{"irte_round_trips", irte_round_trips},
	{"irte_reserved_bits", irte_reserved_bits},
	{"msi_handle_split", msi_handle_split},
	{"msi_subhandle", msi_subhandle},
	{"msi_compat", msi_compat},
	{"msi_outside_interrupt_range", msi_outside_interrupt_range},
	{NULL, NULL},
};

/*
 * MCFG: where each PCI segment's enhanced configuration space (ECAM) is
 * (PCI Firmware Specification, "MCFG Table Description" and its "Memory
 * Mapped Enhanced Configuration Space Base Address Allocation Structure").
 */
#include "acpi.h"
#include "bytes.h"

#define MCFG_ALLOCS 44		/* after the header and 8 reserved bytes */
#define MCFG_ALLOC_LEN 16
#define ALLOC_BASE 0		/* u64: ECAM address of bus 0 of the segment */
#define ALLOC_SEGMENT 8		/* u16 */
#define ALLOC_BUS_START 10	/* u8 */
#define ALLOC_BUS_END 11	/* u8; 4 reserved bytes follow */

int mcfg_parse(struct mcfg *m, const uint8_t *table, size_t len)
{
	size_t span, off;
	unsigned index = 0;

	bytes_zero(m, sizeof(*m));
	span = acpi_table_span(table, len, "MCFG", MCFG_ALLOCS, &m->findings);
	if (!span)
		return -1;
	m->present = true;

	for (off = MCFG_ALLOCS; span - off >= MCFG_ALLOC_LEN; off += MCFG_ALLOC_LEN, index++) {
		const uint8_t *a = table + off;
		struct mcfg_window *win;

		if (rd8(a + ALLOC_BUS_END) < rd8(a + ALLOC_BUS_START)) {
			finding_add(&m->findings, F_MCFG_BUS_RANGE, index, 0);
			continue;
		}
		if (m->count == MCFG_MAX) {
			finding_add(&m->findings, F_MODEL_FULL, off, 0);
			continue;
		}
		win = &m->window[m->count++];
		win->base = rd64(a + ALLOC_BASE);
		win->segment = rd16(a + ALLOC_SEGMENT);
		win->bus_start = rd8(a + ALLOC_BUS_START);
		win->bus_end = rd8(a + ALLOC_BUS_END);
	}
	if (off != span)
		finding_add(&m->findings, F_STRUCT_TRUNCATED, off, 0);
	return 0;
}

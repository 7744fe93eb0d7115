/*
 * FADT ("FACP"): the PM timer (a fixed-rate clock to calibrate the TSC
 * against) and the reset register (ACPI spec, "Fixed ACPI Description Table
 * (FADT)" and "Fixed ACPI Description Table Fixed Feature Flags"). Older
 * firmware writes shorter FADTs; fields past the end stay absent.
 */
#include "acpi.h"
#include "bytes.h"

#define FADT_PM_TMR_BLK 76	/* u32: I/O port of the 32-bit PM timer register */
#define FADT_FLAGS 112		/* u32 */
#define FADT_FLAG_TMR_VAL_EXT (1u << 8)	  /* timer counts 32 bits, not 24 */
#define FADT_FLAG_RESET_REG_SUP (1u << 10)
#define FADT_RESET_REG 116	/* GAS */
#define FADT_RESET_VALUE 128	/* u8 */
#define FADT_X_PM_TMR_BLK 208	/* GAS; supersedes PM_TMR_BLK when nonzero */

/* How the PM_TMR_BLK port is accessed: one 32-bit I/O read. */
#define PM_TMR_BIT_WIDTH 32
#define GAS_ACCESS_DWORD 3

/* Whether the span of the table holds the field at off of n bytes. */
static bool has(size_t span, size_t off, size_t n)
{
	return span >= off + n;
}

int fadt_parse(struct fadt *f, const uint8_t *table, size_t len)
{
	size_t span;
	uint32_t port;

	bytes_zero(f, sizeof(*f));
	span = acpi_table_span(table, len, "FACP", ACPI_HEADER_LEN, &f->findings);
	if (!span)
		return -1;
	f->present = true;

	if (!has(span, FADT_X_PM_TMR_BLK, ACPI_GAS_LEN))
		finding_add(&f->findings, F_FADT_SHORT, span, 0);

	if (has(span, FADT_X_PM_TMR_BLK, ACPI_GAS_LEN))
		f->pm_timer = acpi_gas_read(table + FADT_X_PM_TMR_BLK);
	if (f->pm_timer.address == 0 && has(span, FADT_PM_TMR_BLK, 4)) {
		port = rd32(table + FADT_PM_TMR_BLK);
		if (port) {
			f->pm_timer.space = ACPI_SPACE_IO;
			f->pm_timer.bit_width = PM_TMR_BIT_WIDTH;
			f->pm_timer.bit_offset = 0;
			f->pm_timer.access_size = GAS_ACCESS_DWORD;
			f->pm_timer.address = port;
		}
	}
	if (f->pm_timer.address == 0)
		bytes_zero(&f->pm_timer, sizeof(f->pm_timer));

	if (has(span, FADT_FLAGS, 4)) {
		uint32_t flags = rd32(table + FADT_FLAGS);

		f->pm_timer_32bit = flags & FADT_FLAG_TMR_VAL_EXT;
		f->reset_supported = flags & FADT_FLAG_RESET_REG_SUP;
	}
	if (has(span, FADT_RESET_REG, ACPI_GAS_LEN))
		f->reset_reg = acpi_gas_read(table + FADT_RESET_REG);
	else
		f->reset_supported = false;
	if (has(span, FADT_RESET_VALUE, 1))
		f->reset_value = rd8(table + FADT_RESET_VALUE);
	else
		f->reset_supported = false;
	return 0;
}

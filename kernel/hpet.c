/*
 * HPET description table: where the timer block's registers are (IA-PC HPET
 * specification, "ACPI Table", whose "Event Timer Block ID" is followed by
 * the base address as an ACPI Generic Address Structure).
 */
#include "acpi.h"
#include "bytes.h"

#define HPET_BASE_ADDRESS 40 /* GAS, system memory space */
#define HPET_MIN_LEN (HPET_BASE_ADDRESS + ACPI_GAS_LEN)

int hpet_parse(struct hpet_info *h, const uint8_t *table, size_t len)
{
	struct acpi_gas base;

	bytes_zero(h, sizeof(*h));
	if (!acpi_table_span(table, len, "HPET", HPET_MIN_LEN, &h->findings))
		return -1;
	base = acpi_gas_read(table + HPET_BASE_ADDRESS);
	if (base.address == 0)
		return -1;
	h->present = true;
	h->base = base.address;
	return 0;
}

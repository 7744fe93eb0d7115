/*
 * libFuzzer target: acpi_tables_parse over an input that is physical memory
 * at IMAGE_BASE, RSDP first (the layout of the unit tests' images). Every
 * table found is then handed to its parser as the kernel would.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/acpi.h"
#include "kernel/dmar.h"

#define IMAGE_BASE 0xe0000u /* as tests/unit/tbuild.h */

struct memory {
	const uint8_t *data;
	size_t size;
};

static const void *map(void *ctx, uint64_t phys, size_t len)
{
	const struct memory *m = ctx;

	if (phys < IMAGE_BASE || phys - IMAGE_BASE > m->size || len > m->size - (phys - IMAGE_BASE))
		return NULL;
	return m->data + (phys - IMAGE_BASE);
}

static int no_bridges(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn)
{
	(void)ctx, (void)seg, (void)bus, (void)dev, (void)fn;
	return -1;
}

static void check(int cond)
{
	if (!cond)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct acpi_tables t;
	static struct dmar d;
	static struct madt madt;
	static struct mcfg mcfg;
	static struct fadt fadt;
	static struct hpet_info hpet;
	struct memory m = { data, size };

	if (acpi_tables_parse(&t, IMAGE_BASE, map, &m) != 0)
		return 0;
	check(t.count <= ACPI_MAX_TABLES);
	for (unsigned i = 0; i < t.count; i++) {
		const struct acpi_table *tab = &t.table[i];

		check(tab->data >= data && tab->length >= ACPI_HEADER_LEN);
		check((size_t)(tab->data - data) + tab->length <= size);
		if (strlen(tab->sig) == 4) /* a NUL in a signature hides it from acpi_find */
			check(acpi_find(&t, tab->sig, 0) != NULL);
		dmar_parse(&d, tab->data, tab->length);
		dmar_resolve_scopes(&d, no_bridges, NULL);
		madt_parse(&madt, tab->data, tab->length);
		mcfg_parse(&mcfg, tab->data, tab->length);
		fadt_parse(&fadt, tab->data, tab->length);
		hpet_parse(&hpet, tab->data, tab->length);
	}
	return 0;
}

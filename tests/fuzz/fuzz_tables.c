/*
 * libFuzzer target: the MADT, MCFG, FADT and HPET parsers. Each gets its own
 * exact-size copy of the input with its signature forced in, so one input
 * exercises all four and a read past the end is caught.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/acpi.h"

static void check(int cond)
{
	if (!cond)
		abort();
}

static uint8_t *signed_copy(const uint8_t *data, size_t size, const char *sig)
{
	uint8_t *p = malloc(size ? size : 1);

	memcpy(p, data, size);
	if (size >= 4)
		memcpy(p, sig, 4);
	return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct madt madt;
	static struct mcfg mcfg;
	static struct fadt fadt;
	static struct hpet_info hpet;
	uint8_t *p;

	p = signed_copy(data, size, "APIC");
	if (madt_parse(&madt, p, size) == 0) {
		check(madt.ncpus <= MADT_MAX_CPUS && madt.nioapics <= MADT_MAX_IOAPICS);
		check(madt.noverrides <= MADT_MAX_OVERRIDES);
	}
	free(p);

	p = signed_copy(data, size, "MCFG");
	if (mcfg_parse(&mcfg, p, size) == 0) {
		check(mcfg.count <= MCFG_MAX);
		for (unsigned i = 0; i < mcfg.count; i++)
			check(mcfg.window[i].bus_start <= mcfg.window[i].bus_end);
	}
	free(p);

	p = signed_copy(data, size, "FACP");
	if (fadt_parse(&fadt, p, size) == 0)
		check(fadt.present);
	free(p);

	p = signed_copy(data, size, "HPET");
	if (hpet_parse(&hpet, p, size) == 0)
		check(hpet.base != 0);
	free(p);
	return 0;
}

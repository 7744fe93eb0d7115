/*
 * libFuzzer target: dmar_parse and dmar_resolve_scopes on arbitrary bytes.
 * The signature is forced to "DMAR" so every input reaches the structure walk;
 * the bridge lookup answers from the input too, so paths resolve or fail.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/dmar.h"

struct input {
	const uint8_t *data;
	size_t size;
};

/* A byte of the input picked by the bridge's address: odd means "no bridge". */
static int secondary_bus(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn)
{
	const struct input *in = ctx;
	uint8_t v;

	if (!in->size)
		return -1;
	v = in->data[((size_t)seg * 65536 + bus * 256u + dev * 8u + fn) % in->size];
	return v & 1 ? -1 : v;
}

static void check(int cond)
{
	if (!cond)
		abort();
}

/* The model must be self-consistent whatever the input. */
static void check_model(const struct dmar *d)
{
	check(d->ndrhd <= DMAR_MAX_DRHD && d->nrmrr <= DMAR_MAX_RMRR);
	check(d->natsr <= DMAR_MAX_ATSR && d->nrhsa <= DMAR_MAX_RHSA);
	check(d->nandd <= DMAR_MAX_ANDD && d->nsatc <= DMAR_MAX_SATC);
	check(d->nscopes <= DMAR_MAX_SCOPES && d->findings.count <= FINDINGS_MAX);
	for (unsigned i = 0; i < d->ndrhd; i++) {
		check(d->drhd[i].scopes.first + d->drhd[i].scopes.count <= d->nscopes);
		check(d->drhd[i].base && d->drhd[i].base % 4096 == 0);
	}
	for (unsigned i = 0; i < d->nrmrr; i++) {
		check(d->rmrr[i].scopes.first + d->rmrr[i].scopes.count <= d->nscopes);
		check(d->rmrr[i].limit >= d->rmrr[i].base);
	}
	for (unsigned i = 0; i < d->nandd; i++)
		check(memchr(d->andd[i].name, 0, sizeof(d->andd[i].name)) != NULL);
	for (unsigned i = 0; i < d->nscopes; i++) {
		check(d->scope[i].path_len <= DMAR_MAX_PATH);
		check(d->scope[i].offset < d->length);
		if (d->scope[i].resolved)
			check(d->scope[i].path_len > 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dmar d;
	struct input in = { data, size };
	uint8_t *copy = malloc(size ? size : 1);

	memcpy(copy, data, size);
	if (size >= 4)
		memcpy(copy, "DMAR", 4);
	if (dmar_parse(&d, copy, size) == 0) {
		check(d.present && d.length <= size);
		dmar_resolve_scopes(&d, secondary_bus, &in);
		check_model(&d);
	} else {
		check(!d.present);
	}
	free(copy);
	return 0;
}

/*
 * What the VT-d tests share: a unit made ready for a test, the edu device
 * behind a domain, memory with canaries and patterns, and fault checks that
 * compare every field of a fault record.
 */
#ifndef CONFORMANCE_VTD_ENV_H
#define CONFORMANCE_VTD_ENV_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/edu.h"
#include "drivers/nvme.h"
#include "kernel/dma.h"
#include "vtd/domain.h"
#include "vtd/fault.h"
#include "vtd/unit.h"

/*
 * The unit that translates dev, quiesced (translation, interrupt remapping and
 * queued invalidation off, faults cleared) with a fresh root table installed.
 * Skips when the machine has no VT-d or no unit covers dev.
 */
struct vtd_unit *need_unit_for(const struct pci_dev *dev);
/* The first usable unit, readied the same way, for tests that need no device. */
struct vtd_unit *need_any_unit(void);
/* Skips with the reason unless the unit advertises what the test needs. */
void need_feature(bool advertised, const char *what);
/* Fails the test (once) when a vtd call returned an error; returns !err. */
bool check_vtd(int err, const char *what);

/* Expected fault record; a field set to -1 is not checked */
struct fault_expect {
	uint8_t reason;
	uint16_t sid;
	int64_t addr;	    /* DMA faults: page address */
	int read;	    /* 1 read, 0 write, -1 not checked */
	int intr_index;	    /* interrupt-remapping faults */
};
#define FAULT_ANY (-1)

/* Waits (bounded) until FSTS shows a recorded fault or an overflow; returns
 * whether it did. */
bool wait_for_fault(struct vtd_unit *u);
/* Waits for the unit to record faults, then checks that exactly one was
 * recorded and that every field matches; records are cleared. */
void expect_fault(struct vtd_unit *u, const struct fault_expect *e);
/* Checks that no fault was recorded (after letting a late one arrive). Both
 * also check FSTS.PFO is clear. */
void expect_no_fault(struct vtd_unit *u);

/* The edu device translated by a domain of its unit */
struct dma_env {
	struct edu edu;
	struct vtd_unit *u;
	struct vtd_domain dom;
	uint16_t sid;
};

#define DMA_ENV_DID 1

/* Opens edu, readies its unit, and attaches edu to a domain with `levels`
 * levels (0: the default) and id DMA_ENV_DID; translation still off. Skips
 * without edu or VT-d. */
void dma_env_setup(struct dma_env *env, unsigned levels);
/* Translation on (GCMD.TE), checked. */
void dma_env_enable(struct dma_env *env);
/* Translation off, edu detached, domain freed, unit quiesced. */
void dma_env_teardown(struct dma_env *env);
/* Maps [iova, iova+size) to phys in the edu domain, checked. */
void env_map(struct dma_env *env, uint64_t iova, uint64_t phys, uint64_t size, uint64_t perm);

/* A DMA buffer of `pages` pages with canary pages around it, filled with the
 * pattern of seed. Fails the test (harness error) when out of memory. */
void buf_alloc(struct dma_buf *b, unsigned pages, uint32_t seed);
void buf_fill(struct dma_buf *b, uint32_t seed);
/* The pattern byte at offset off of a buffer filled with seed */
uint8_t pattern_byte(uint32_t seed, uint64_t off);
/* Checks that [off, off+n) of b holds seed's pattern taken from pattern offset
 * poff; reports the first difference as expected/seen. */
void check_pattern(const struct dma_buf *b, uint64_t off, uint64_t n, uint32_t seed,
		   uint64_t poff, const char *what);
/* Checks the whole buffer still holds its own fill, and its canaries. */
void check_untouched(const struct dma_buf *b, uint32_t seed, const char *what);
void check_canaries(const struct dma_buf *b, const char *what);



/* Opens the first NVMe controller, which must sit under the same unit as edu
 * (skips otherwise); translation must still be off. Close with nvme_close(). */
void env_open_nvme(struct dma_env *env, struct nvme *n);

/* edu transfers between its buffer (offset 0) and an IOVA, waited for;
 * fail_now() when the device never finishes. */
void env_load(struct dma_env *env, uint64_t iova, uint32_t n);  /* device reads memory */
void env_store(struct dma_env *env, uint64_t iova, uint32_t n); /* device writes memory */

#endif

/*
 * Self-tests of the harness, not of the platform: the DMA canaries, then tests
 * that each misbehave in one way the runner must contain (a failed check, an
 * exception, a hang, a reset).
 * They run only when named (tests=harness); all but the first are expected
 * to FAIL, and the host runner's self-tests boot them and check the report.
 */
#include "kernel/cpu.h"
#include "kernel/dma.h"
#include "kernel/pmm.h"
#include "kernel/test.h"

#define SELF        "vtdtest harness self-test (no spec section)"
#define WATCHDOG_MS 300

static void harness_check_fails(void)
{
	check_eq(1, 2, "a value the test expected to be 2");
}

static void harness_exception(void)
{
	__asm__ volatile("ud2");
}

static void harness_watchdog(void)
{
	for (;;)
		__asm__ volatile("pause");
}

/* The machine resets in the middle of a test. */
static void harness_reset(void)
{
	cpu_triple_fault();
}

static void harness_skip(void)
{
	skip("skipping on purpose");
}

/* The canaries every DMA test relies on must catch a one-byte overrun. */
static void harness_canary_catches_overrun(void)
{
	struct dma_buf b;
	uint64_t bad = 0;

	if (dma_alloc(&b, 3 * PAGE_SIZE, 1, PMM_ANY_ADDRESS))
		skip("out of memory for a DMA buffer");
	check(dma_canaries_intact(&b, &bad), "fresh canaries changed at %#llx",
	      (unsigned long long)bad);
	((volatile uint8_t *)b.virt)[b.size] = 0x5a;
	check(!dma_canaries_intact(&b, &bad), "a byte written past the buffer went unnoticed");
	check_eq(bad, b.phys + b.size, "address of the changed canary byte");
	dma_free(&b);
}

static const struct test harness_tests[] = {
	{
		.name = "harness.canary_catches_overrun",
		.run = harness_canary_catches_overrun,
		.confirms = "DMA buffer canaries catch a one-byte overrun, at its address",
		.spec = SELF,
		.explicit_only = true,
	},
	{
		.name = "harness.check_fails",
		.run = harness_check_fails,
		.confirms = "a failed check fails the test",
		.spec = SELF,
		.explicit_only = true,
	},
	{
		.name = "harness.exception",
		.run = harness_exception,
		.confirms = "an exception fails the test, the run goes on",
		.spec = SELF,
		.explicit_only = true,
	},
	{
		.name = "harness.watchdog",
		.run = harness_watchdog,
		.confirms = "a hung test is stopped by the watchdog",
		.spec = SELF,
		.timeout_ms = WATCHDOG_MS,
		.explicit_only = true,
	},
	{
		.name = "harness.reset",
		.run = harness_reset,
		.confirms = "a reset mid-test is blamed on the test by the host",
		.spec = SELF,
		.explicit_only = true,
	},
	{
		.name = "harness.skip",
		.run = harness_skip,
		.confirms = "a skip is reported with its reason",
		.spec = SELF,
		.explicit_only = true,
	},
};

TEST_SUITE(harness_suite, "harness", harness_tests);

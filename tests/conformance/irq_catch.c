#include "tests/conformance/irq_catch.h"

#include "kernel/apic.h"
#include "kernel/console.h"
#include "kernel/test.h"
#include "kernel/timer.h"
#include "kernel/trap.h"

/* A second message for the same event would come within this */
#define SETTLE_US 10000

static struct irq_catcher {
	volatile unsigned count;
	volatile uint8_t first;
	bool mine[256]; /* vectors registered to the catcher */
} catcher;

static void on_irq(struct trap_frame *f, void *arg)
{
	(void)arg;
	if (!catcher.count)
		catcher.first = (uint8_t)f->vector;
	catcher.count++;
}

static bool caught(void *arg)
{
	(void)arg;
	return catcher.count > 0;
}

void irq_catch_release(void)
{
	for (unsigned v = 0; v < 256; v++)
		if (catcher.mine[v])
			irq_unregister((uint8_t)v);
	catcher = (struct irq_catcher){0};
}

uint8_t irq_catch_one(void)
{
	irq_catch_release();
	int v = irq_alloc(on_irq, NULL);
	if (v < 0)
		fail_now("no free interrupt vector");
	catcher.mine[v] = true;
	return (uint8_t)v;
}

void irq_catch_all(void)
{
	irq_catch_release();
	for (unsigned v = APIC_FIRST_DYNAMIC_VECTOR; v <= APIC_LAST_DYNAMIC_VECTOR; v++)
		catcher.mine[v] = !irq_register((uint8_t)v, on_irq, NULL);
}

uint8_t irq_catch_vector(unsigned from, unsigned other_than)
{
	for (unsigned v = from; v <= APIC_LAST_DYNAMIC_VECTOR; v++)
		if (catcher.mine[v] && v != other_than)
			return (uint8_t)v;
	return 0;
}

void irq_catch_reset(void)
{
	catcher.count = 0;
	catcher.first = 0;
}

unsigned irq_caught(void)
{
	return catcher.count;
}

uint8_t irq_caught_first(void)
{
	return catcher.first;
}

bool irq_catch_wait(uint64_t timeout_us)
{
	bool came = wait_until(caught, NULL, timeout_us);

	udelay(SETTLE_US);
	return came;
}

void irq_expect_one(uint8_t vector, uint64_t timeout_us, const char *what)
{
	char msg[96];

	check(irq_catch_wait(timeout_us), "%s: none within %u ms", what,
	      (unsigned)(timeout_us / 1000));
	snprintf(msg, sizeof(msg), "%s: interrupts caught", what);
	check_eq(catcher.count, 1, msg);
	if (catcher.count) {
		snprintf(msg, sizeof(msg), "%s: vector the CPU received", what);
		check_eq(catcher.first, vector, msg);
	}
}

void irq_expect_none(uint64_t timeout_us, const char *what)
{
	char msg[96];

	wait_until(caught, NULL, timeout_us);
	snprintf(msg, sizeof(msg), "interrupts caught for %s", what);
	check_eq(catcher.count, 0, msg);
	if (catcher.count)
		test_note("the first had vector %#x", catcher.first);
}

/*
 * Local APIC in either mode: xAPIC through its MMIO page, x2APIC through MSRs
 * (Intel SDM Vol. 3, chapter 11 "Advanced Programmable Interrupt Controller").
 * One accessor pair hides the difference from everything else.
 */
#include "kernel/apic.h"

#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/io.h"
#include "kernel/timer.h"
#include "kernel/vm.h"

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_EXTD (1ull << 10) /* x2APIC mode */
#define APIC_BASE_EN (1ull << 11)
#define APIC_BASE_ADDR 0x000ffffffffff000ull
#define MSR_X2APIC_BASE 0x800

/* Register offsets in xAPIC MMIO space; x2APIC MSR = 0x800 + offset / 16 */
#define APIC_ID 0x020
#define APIC_TPR 0x080
#define APIC_EOI 0x0b0
#define APIC_SVR 0x0f0
#define APIC_SVR_ENABLE (1u << 8)
#define APIC_ISR 0x100 /* 8 registers, 32 vectors each, 0x10 apart */
#define APIC_ESR 0x280
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_LVT_ERROR 0x370
#define APIC_LVT_MASKED (1u << 16)
#define APIC_TIMER_ICR 0x380
#define APIC_TIMER_CCR 0x390
#define APIC_TIMER_DCR 0x3e0
#define APIC_TIMER_DIV_64 0x9 /* SDM Figure 11-10 "Divide Configuration Register" */

#define CPUID_1_ECX_X2APIC (1u << 21)
#define CALIBRATE_US 10000

static volatile uint8_t *mmio;
static bool x2;
static uint64_t timer_ticks_per_ms;

static uint32_t apic_read(uint32_t reg)
{
	return x2 ? (uint32_t)rdmsr(MSR_X2APIC_BASE + reg / 16) : mmio_read32(mmio + reg);
}

static void apic_write(uint32_t reg, uint32_t v)
{
	if (x2)
		wrmsr(MSR_X2APIC_BASE + reg / 16, v);
	else
		mmio_write32(mmio + reg, v);
}

static bool cpu_has_x2apic(void)
{
	struct cpuid r = cpuid(1, 0);

	return r.ecx & CPUID_1_ECX_X2APIC;
}

/* SDM 11.12.5: x2APIC can only be left through the disabled state. */
static int set_mode(enum apic_mode mode)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);
	bool now_x2 = (base & APIC_BASE_EN) && (base & APIC_BASE_EXTD);

	if (mode == APIC_MODE_AUTO)
		mode = now_x2 ? APIC_MODE_X2APIC : APIC_MODE_XAPIC;
	if (mode == APIC_MODE_X2APIC && !cpu_has_x2apic()) {
		printf("# error: x2APIC mode requested but the CPU does not support it\n");
		return -1;
	}
	if (mode == APIC_MODE_XAPIC && now_x2)
		wrmsr(MSR_APIC_BASE, base & ~(APIC_BASE_EN | APIC_BASE_EXTD));
	base = (base & APIC_BASE_ADDR) | APIC_BASE_EN |
	       (mode == APIC_MODE_X2APIC ? APIC_BASE_EXTD : 0);
	wrmsr(MSR_APIC_BASE, base);
	x2 = mode == APIC_MODE_X2APIC;
	if (!x2) {
		mmio = (volatile uint8_t *)mmio_map(base & APIC_BASE_ADDR, 4096);
		if (!mmio) {
			printf("# error: cannot map the local APIC\n");
			return -1;
		}
	}
	return 0;
}

/* Counts timer ticks over a TSC-timed interval so timeouts can be set in µs. */
static void calibrate_timer(void)
{
	apic_write(APIC_TIMER_DCR, APIC_TIMER_DIV_64);
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | APIC_TIMER_VECTOR);
	apic_write(APIC_TIMER_ICR, UINT32_MAX);
	udelay(CALIBRATE_US);
	uint32_t elapsed = UINT32_MAX - apic_read(APIC_TIMER_CCR);
	apic_write(APIC_TIMER_ICR, 0);
	timer_ticks_per_ms = (uint64_t)elapsed * 1000 / CALIBRATE_US;
	if (!timer_ticks_per_ms)
		timer_ticks_per_ms = 1;
}

int apic_init(enum apic_mode mode)
{
	if (set_mode(mode))
		return -1;
	apic_write(APIC_TPR, 0);
	apic_write(APIC_LVT_LINT0, APIC_LVT_MASKED);
	apic_write(APIC_LVT_LINT1, APIC_LVT_MASKED);
	apic_write(APIC_LVT_ERROR, APIC_ERROR_VECTOR);
	apic_write(APIC_ESR, 0);
	apic_write(APIC_SVR, APIC_SVR_ENABLE | APIC_SPURIOUS_VECTOR);
	calibrate_timer();
	printf("# local APIC: %s mode, id %u, timer %llu ticks/ms\n", x2 ? "x2APIC" : "xAPIC",
	       apic_id(), (unsigned long long)timer_ticks_per_ms);
	return 0;
}

bool apic_x2apic(void)
{
	return x2;
}

uint32_t apic_id(void)
{
	uint32_t id = apic_read(APIC_ID);

	return x2 ? id : id >> 24;
}

void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

bool apic_in_service(uint8_t vector)
{
	return apic_read(APIC_ISR + (vector / 32) * 0x10) & (1u << (vector % 32));
}

void apic_timer_oneshot(uint64_t us)
{
	uint64_t ticks = us * timer_ticks_per_ms / 1000;

	if (ticks > UINT32_MAX)
		ticks = UINT32_MAX;
	if (!ticks)
		ticks = 1;
	apic_write(APIC_LVT_TIMER, APIC_TIMER_VECTOR);
	apic_write(APIC_TIMER_ICR, (uint32_t)ticks);
}

void apic_timer_stop(void)
{
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | APIC_TIMER_VECTOR);
	apic_write(APIC_TIMER_ICR, 0);
}

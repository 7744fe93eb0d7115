/*
 * TSC calibration against a fixed-frequency reference: the ACPI PM timer
 * (3.579545 MHz, ACPI spec "Power Management Timer") or else the HPET main
 * counter (IA-PC HPET spec, 2.3 "Register Definitions").
 */
#include "kernel/timer.h"

#include "kernel/acpi.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/io.h"
#include "kernel/vm.h"

#define PM_TIMER_HZ 3579545ull
#define CALIBRATE_MS 20
/* Reads of a reference clock that must show it moving before it is trusted:
 * the clock is not calibrated yet, so spins are the only bound available. */
#define REF_SPIN_LIMIT 50000000ull

#define HPET_CAP 0x000
#define HPET_CAP_PERIOD_FS(c) ((c) >> 32) /* main counter tick in femtoseconds */
#define HPET_CONFIG 0x010
#define HPET_CONFIG_ENABLE (1ull << 0)
#define HPET_COUNTER 0x0f0

struct refclock {
	const char *name;
	uint64_t hz;
	uint64_t mask; /* counter width */
	uint64_t (*read)(const struct refclock *c);
	uint16_t port;
	volatile uint8_t *mmio;
};

static uint64_t tsc_khz = 1000000; /* until calibrated: keeps early timeouts finite */
static uint64_t tsc_start;

static uint64_t read_pm_port(const struct refclock *c)
{
	return inl(c->port);
}

static uint64_t read_pm_mmio(const struct refclock *c)
{
	return mmio_read32(c->mmio);
}

static uint64_t read_hpet(const struct refclock *c)
{
	return mmio_read64(c->mmio + HPET_COUNTER);
}

static bool pm_timer_clock(const struct fadt *f, struct refclock *c)
{
	if (!f || !f->present || !f->pm_timer.address)
		return false;
	*c = (struct refclock){.name = "ACPI PM timer", .hz = PM_TIMER_HZ,
			       .mask = f->pm_timer_32bit ? 0xffffffffull : 0xffffffull};
	if (f->pm_timer.space == ACPI_SPACE_IO && f->pm_timer.address <= 0xffff) {
		c->port = (uint16_t)f->pm_timer.address;
		c->read = read_pm_port;
		return true;
	}
	if (f->pm_timer.space == ACPI_SPACE_MEMORY) {
		c->mmio = (volatile uint8_t *)mmio_map(f->pm_timer.address, 4);
		c->read = read_pm_mmio;
		return c->mmio != NULL;
	}
	return false;
}

static bool hpet_clock(const struct hpet_info *h, struct refclock *c)
{
	if (!h || !h->present)
		return false;
	volatile uint8_t *m = (volatile uint8_t *)mmio_map(h->base, 1024);
	if (!m)
		return false;
	uint64_t period_fs = HPET_CAP_PERIOD_FS(mmio_read64(m + HPET_CAP));
	if (!period_fs || period_fs > 100000000ull) /* spec: at most 100 ns */
		return false;
	mmio_write64(m + HPET_CONFIG, mmio_read64(m + HPET_CONFIG) | HPET_CONFIG_ENABLE);
	*c = (struct refclock){.name = "HPET", .hz = 1000000000000000ull / period_fs,
			       .mask = UINT64_MAX, .read = read_hpet, .mmio = m};
	return true;
}

/* TSC ticks while the reference clock advances by CALIBRATE_MS; 0 if it is stuck. */
static uint64_t measure_tsc_khz(const struct refclock *c)
{
	uint64_t want = c->hz * CALIBRATE_MS / 1000, spins = 0;
	uint64_t r0 = c->read(c), t0 = rdtsc(), elapsed;

	do {
		if (++spins > REF_SPIN_LIMIT)
			return 0;
		elapsed = (c->read(c) - r0) & c->mask;
	} while (elapsed < want);
	uint64_t t1 = rdtsc();
	return (t1 - t0) * c->hz / elapsed / 1000;
}

/* CPUID leaf 0x15 (crystal ratio) or 0x16 (base MHz), when the CPU reports them */
static uint64_t cpuid_tsc_khz(void)
{
	if (cpuid(0, 0).eax >= 0x15) {
		struct cpuid r = cpuid(0x15, 0);
		if (r.eax && r.ebx && r.ecx)
			return (uint64_t)r.ecx * r.ebx / r.eax / 1000;
	}
	if (cpuid(0, 0).eax >= 0x16) {
		struct cpuid r = cpuid(0x16, 0);
		if (r.eax & 0xffff)
			return (uint64_t)(r.eax & 0xffff) * 1000;
	}
	return 0;
}

int timer_init(const struct fadt *fadt, const struct hpet_info *hpet, enum timer_reference ref)
{
	struct refclock c;
	const char *source = NULL;

	if (ref != TIMER_REF_HPET && pm_timer_clock(fadt, &c) && (tsc_khz = measure_tsc_khz(&c)))
		source = c.name;
	else if (ref != TIMER_REF_PM && hpet_clock(hpet, &c) && (tsc_khz = measure_tsc_khz(&c)))
		source = c.name;
	tsc_start = rdtsc();
	if (source) {
		printf("# TSC: %llu kHz, calibrated against the %s\n",
		       (unsigned long long)tsc_khz, source);
		return 0;
	}
	tsc_khz = cpuid_tsc_khz();
	if (!tsc_khz)
		tsc_khz = 1000000; /* a guess, so timeouts stay finite */
	printf("# warning: no working reference clock; TSC assumed %llu kHz\n",
	       (unsigned long long)tsc_khz);
	return -1;
}

uint64_t time_us(void)
{
	return (rdtsc() - tsc_start) * 1000 / tsc_khz;
}

static bool never(void *arg)
{
	(void)arg;
	return false;
}

void udelay(uint64_t us)
{
	wait_until(never, NULL, us);
}

bool wait_until(bool (*cond)(void *arg), void *arg, uint64_t timeout_us)
{
	uint64_t deadline = time_us() + timeout_us;

	while (time_us() < deadline) {
		if (cond(arg))
			return true;
		cpu_relax();
	}
	return cond(arg);
}

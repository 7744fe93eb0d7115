/*
 * Remapping unit discovery and control: map each DRHD's register set (2^size
 * 4 KiB pages, VT-d spec "DMA Remapping Hardware Unit Definition Structure"),
 * read VER/CAP/ECAP, and take the unit over from firmware.
 */
#include "vtd/unit.h"

#include "kernel/console.h"
#include "kernel/timer.h"
#include "kernel/vm.h"
#include "vtd/fault.h"
#include "vtd/irte.h"
#include "vtd/qi.h"
#include "vtd/regs.h"

#define PAGE 4096ull
#define MAX_SIZE_FIELD 8 /* 1 MiB of registers is far beyond any real unit */
#define CACHE_LINE 64
/* Real units answer a command in microseconds; emulators under TCG in a few ms. */
#define VTD_COMMAND_TIMEOUT_US 1000000

static struct vtd_unit units[VTD_MAX_UNITS];
static unsigned nunits;
static const struct dmar *model;

const char *vtd_strerror(int err)
{
	static const char *const names[] = {
		[VTD_ETIMEDOUT] = "command did not complete in time",
		[VTD_ENOMEM] = "out of memory for a table",
		[VTD_ENOTSUP] = "not advertised by the unit",
		[VTD_EINVAL] = "invalid argument",
		[VTD_EQUEUE] = "invalidation queue error",
		[VTD_EREFUSED] = "invalidation not performed by the unit",
	};
	unsigned e = err < 0 ? -err : err;

	return e < sizeof(names) / sizeof(names[0]) && names[e] ? names[e] : "unknown error";
}

static uint64_t register_span(const struct dmar_drhd *drhd)
{
	unsigned size = drhd->size_field > MAX_SIZE_FIELD ? MAX_SIZE_FIELD : drhd->size_field;

	return PAGE << size;
}

struct reg_wait {
	struct vtd_unit *u;
	unsigned reg;
	bool wide;
	uint64_t mask, want;
};

static bool reg_reached(void *arg)
{
	struct reg_wait *w = arg;
	uint64_t v = w->wide ? vtd_read64(w->u, w->reg) : vtd_read32(w->u, w->reg);

	return (v & w->mask) == w->want;
}

int vtd_wait_reg(struct vtd_unit *u, unsigned reg, bool wide, uint64_t mask, uint64_t want)
{
	struct reg_wait w = {u, reg, wide, mask, want};

	return wait_until(reg_reached, &w, VTD_COMMAND_TIMEOUT_US) ? 0 : -VTD_ETIMEDOUT;
}

int vtd_gcmd(struct vtd_unit *u, uint32_t bit, bool on)
{
	uint32_t cmd = vtd_read32(u, VTD_GSTS) & ~(uint32_t)VTD_GSTS_ONESHOT;

	vtd_write32(u, VTD_GCMD, on ? cmd | bit : cmd & ~bit);
	return vtd_wait_reg(u, VTD_GSTS, false, bit, on ? bit : 0);
}

/* The fault and invalidation event registers share one layout: control, then
 * data, address and upper address ("Fault Event Address Register" and its
 * invalidation twin): a compatibility-format message, never remapped. */
_Static_assert(VTD_FEDATA == VTD_FECTL + 4 && VTD_FEADDR == VTD_FECTL + 8 &&
		       VTD_FEUADDR == VTD_FECTL + 12 && VTD_IEDATA == VTD_IECTL + 4 &&
		       VTD_IEADDR == VTD_IECTL + 8 && VTD_IEUADDR == VTD_IECTL + 12,
	       "event registers: control, data, address, upper address");

void vtd_event_setup(struct vtd_unit *u, unsigned ctl, uint8_t vector, uint32_t apic_id)
{
	vtd_write32(u, ctl, VTD_ECTL_IM);
	vtd_write32(u, ctl + 4, vector);
	vtd_write32(u, ctl + 8, vtd_msi_compat((uint8_t)apic_id, vector).addr);
	if (u->ecap & VTD_ECAP_EIM)
		vtd_write32(u, ctl + 12, apic_id & ~0xffu);
}

void vtd_flush(struct vtd_unit *u, const void *p, size_t len)
{
	if (!(u->ecap & VTD_ECAP_C)) {
		uintptr_t a = (uintptr_t)p & ~(uintptr_t)(CACHE_LINE - 1);
		for (; a < (uintptr_t)p + len; a += CACHE_LINE)
			__asm__ volatile("clflush (%0)" ::"r"(a) : "memory");
	}
	__asm__ volatile("mfence" ::: "memory");
	/* "Write Buffer Flushing": needed before the unit may see the change */
	if (u->cap & VTD_CAP_RWBF)
		vtd_gcmd(u, VTD_GCMD_WBF, true);
}

/* Disable order: translation and interrupt remapping may still need
 * invalidations, so queued invalidation goes last. */
int vtd_unit_quiesce(struct vtd_unit *u)
{
	int err = 0, e;
	uint32_t gsts = vtd_read32(u, VTD_GSTS);

	if (gsts & VTD_GCMD_TE && (e = vtd_gcmd(u, VTD_GCMD_TE, false)))
		err = err ? err : e;
	if (gsts & VTD_GCMD_IRE && (e = vtd_gcmd(u, VTD_GCMD_IRE, false)))
		err = err ? err : e;
	if (gsts & VTD_GCMD_CFI && (e = vtd_gcmd(u, VTD_GCMD_CFI, false)))
		err = err ? err : e;
	if ((e = vtd_qi_disable(u)))
		err = err ? err : e;
	vtd_fault_event_mask(u, true);
	vtd_faults_clear(u);
	return err;
}

void vtd_units_quiesce(void)
{
	for (unsigned i = 0; i < nunits; i++) {
		int err = units[i].regs ? vtd_unit_quiesce(&units[i]) : 0;
		if (err)
			printf("# warning: DRHD %u: cannot quiesce: %s (GSTS %#x)\n", i,
			       vtd_strerror(err), vtd_read32(&units[i], VTD_GSTS));
	}
}

static void print_summary(const struct vtd_unit *u)
{
	uint64_t c = u->cap, e = u->ecap;
	unsigned sagaw = VTD_CAP_SAGAW(c), sllps = VTD_CAP_SLLPS(c);

	printf("# DRHD %u: segment %u base %#llx%s VER %u.%u CAP %#018llx ECAP %#018llx\n",
	       u->index, u->drhd->segment, (unsigned long long)u->drhd->base,
	       u->drhd->flags & DRHD_FLAG_INCLUDE_PCI_ALL ? " (INCLUDE_PCI_ALL)" : "",
	       (unsigned)VTD_VER_MAJOR(u->ver), (unsigned)VTD_VER_MINOR(u->ver),
	       (unsigned long long)c, (unsigned long long)e);
	printf("#   MGAW %u, tables%s%s%s, pages 4K%s%s, %u domains, %u fault record(s) at %#x,"
	       " IOTLB regs at %#x%s%s%s\n",
	       (unsigned)VTD_CAP_MGAW(c), sagaw & 2 ? " 3-level" : "", sagaw & 4 ? " 4-level" : "",
	       sagaw & 8 ? " 5-level" : "", sllps & 1 ? " 2M" : "", sllps & 2 ? " 1G" : "",
	       vtd_domain_count(u), (unsigned)VTD_CAP_NFR(c), (unsigned)VTD_CAP_FRO(c),
	       (unsigned)VTD_ECAP_IRO(e), c & VTD_CAP_PSI ? ", PSI" : "",
	       c & VTD_CAP_CM ? ", caching mode" : "", c & VTD_CAP_RWBF ? ", RWBF" : "");
	printf("#   %s%s%s%s%s%s%s\n", e & VTD_ECAP_C ? "coherent walks" : "non-coherent walks",
	       e & VTD_ECAP_QI ? ", QI" : "", e & VTD_ECAP_IR ? ", IR" : "",
	       e & VTD_ECAP_EIM ? ", EIM" : "", e & VTD_ECAP_PT ? ", PT" : "",
	       e & VTD_ECAP_SC ? ", SC" : "", e & VTD_ECAP_SMTS ? ", scalable mode" : "");
}

/* Firmware (or a previous OS, or kexec) may leave the unit running; say so,
 * then stop it cleanly before this harness reprograms it. */
static void take_over(struct vtd_unit *u)
{
	uint32_t gsts = vtd_read32(u, VTD_GSTS);
	static const struct {
		uint32_t bit;
		const char *what;
	} left_on[] = {
		{VTD_GCMD_TE, "DMA translation"},
		{VTD_GCMD_IRE, "interrupt remapping"},
		{VTD_GCMD_QIE, "queued invalidation"},
		{VTD_GCMD_CFI, "compatibility-format interrupts"},
	};

	for (unsigned i = 0; i < sizeof(left_on) / sizeof(left_on[0]); i++)
		if (gsts & left_on[i].bit)
			printf("# DRHD %u: firmware left %s enabled; taking over\n", u->index,
			       left_on[i].what);
	if (u->cap & (VTD_CAP_PLMR | VTD_CAP_PHMR) && vtd_read32(u, VTD_PMEN) & VTD_PMEN_PRS) {
		printf("# DRHD %u: firmware left protected memory regions enabled; disabling\n",
		       u->index);
		vtd_write32(u, VTD_PMEN, 0);
	}
	int err = vtd_unit_quiesce(u);
	if (err)
		printf("# warning: DRHD %u: take-over failed: %s (GSTS %#x)\n", u->index,
		       vtd_strerror(err), vtd_read32(u, VTD_GSTS));
}

static void probe(struct vtd_unit *u)
{
	const struct dmar_drhd *drhd = u->drhd;

	if (!drhd->base || drhd->base & (PAGE - 1))
		return;
	u->regs = (volatile uint8_t *)mmio_map(drhd->base, register_span(drhd));
	if (!u->regs) {
		printf("# warning: cannot map DRHD %u registers at %#llx\n", u->index,
		       (unsigned long long)drhd->base);
		return;
	}
	u->ver = vtd_read32(u, VTD_VER);
	u->cap = vtd_read64(u, VTD_CAP);
	u->ecap = vtd_read64(u, VTD_ECAP);
	print_summary(u);
	take_over(u);
}

unsigned vtd_units_init(const struct dmar *d)
{
	nunits = 0;
	model = d;
	for (unsigned i = 0; i < d->ndrhd && i < VTD_MAX_UNITS; i++) {
		units[nunits] = (struct vtd_unit){
			.index = i,
			.drhd = &d->drhd[i],
			.haw = d->haw,
		};
		probe(&units[nunits++]);
	}
	return nunits;
}

unsigned vtd_unit_count(void)
{
	return nunits;
}

struct vtd_unit *vtd_unit(unsigned i)
{
	return i < nunits ? &units[i] : NULL;
}

/* Whether scope s of a DRHD on segment seg names function a, or a bridge above it
 * (a bridge scope covers the bridge and its whole subordinate bus range). */
static bool scope_covers(const struct dmar_scope *s, uint16_t seg, const struct pci_addr *a)
{
	if (!s->resolved || seg != a->seg ||
	    (s->type != SCOPE_PCI_ENDPOINT && s->type != SCOPE_PCI_BRIDGE))
		return false;
	if (s->bus == a->bus && s->dev == a->dev && s->fn == a->fn)
		return true;
	if (s->type == SCOPE_PCI_ENDPOINT)
		return false;
	const struct pci_dev *b = pci_lookup(&PCI_ADDR(seg, s->bus, s->dev, s->fn));
	return b && a->bus >= b->secondary && a->bus <= b->subordinate;
}

bool vtd_drhd_covers(const struct dmar *d, const struct dmar_drhd *drhd, const struct pci_addr *a)
{
	if (drhd->flags & DRHD_FLAG_INCLUDE_PCI_ALL)
		return drhd->segment == a->seg;
	for (unsigned i = 0; i < drhd->scopes.count; i++)
		if (scope_covers(&d->scope[drhd->scopes.first + i], drhd->segment, a))
			return true;
	return false;
}

/* "DMA Remapping Hardware Unit Definition Structure": an INCLUDE_PCI_ALL unit
 * takes only the devices no other unit of its segment names. */
struct vtd_unit *vtd_unit_for(const struct pci_addr *a)
{
	struct vtd_unit *all = NULL;

	for (unsigned i = 0; i < nunits; i++) {
		struct vtd_unit *u = &units[i];
		if (!u->regs || !vtd_drhd_covers(model, u->drhd, a))
			continue;
		if (!(u->drhd->flags & DRHD_FLAG_INCLUDE_PCI_ALL))
			return u;
		all = u;
	}
	return all;
}

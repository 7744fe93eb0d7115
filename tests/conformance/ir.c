/*
 * Interrupt remapping: a device's MSI or MSI-X message in remappable format
 * reaches the CPU only as its IRTE says, and every request the remapping
 * table refuses is blocked and recorded as the spec's fault conditions list.
 * DMA translation stays off: only the interrupt address range is remapped.
 *
 * Every test catches interrupts on every free dynamic vector, so a message
 * delivered with any vector other than the expected one is seen, and leaves
 * the unit quiesced (IRE, CFI and QIE off).
 */
#include <stdarg.h>

#include "drivers/edu.h"
#include "drivers/nvme.h"
#include "kernel/apic.h"
#include "kernel/console.h"
#include "kernel/dma.h"
#include "kernel/pci.h"
#include "kernel/pmm.h"
#include "kernel/string.h"
#include "kernel/test.h"
#include "kernel/timer.h"
#include "kernel/trap.h"
#include "tests/conformance/common.h"
#include "tests/conformance/vtd_env.h"
#include "vtd/intremap.h"
#include "vtd/irte.h"
#include "vtd/regs.h"

#define SPEC_REMAP                                                                                 \
	"VT-d 4.1 \"Interrupt Requests in Remappable Format\"; \"Interrupt Remapping Table "     \
	"Entry (IRTE) for Remapped Interrupts\""
#define SPEC_FAULTS                                                                                \
	"VT-d 4.1 \"Interrupt Remapping Fault Conditions\"; \"Fault Recording Registers [n]\"; " \
	"\"Fault Status Register\""
#define SPEC_COMPAT                                                                                \
	"VT-d 4.1 \"Interrupt Requests in Compatibility Format\"; \"Global Command Register\" "  \
	"CFI; \"Interrupt Remapping Fault Conditions\""

#define EDU_RAISE_BIT 0x40000000u
/* Table sizes (IRTA.S): 2^(S+1) entries */
#define S_SMALL 3 /* 16 entries: the bound check sits inside the first page */
#define S_LARGE 7 /* 256 entries */
/* Handles chosen off the first entry, so index 0 being used by mistake shows */
#define HANDLE 5
#define SUBHANDLE 9
#define MSI_WAIT_US 1000000
/* A second message for the same request would come within this */
#define SETTLE_US 10000
/* How long a blocked message is given to show up anyway */
#define BLOCKED_WAIT_US 100000
#define FAULT_WAIT_US 100000
#define READ_BYTES 4096
#define XAPIC_DEST_MAX 0xff

/* Interrupts seen on every dynamic vector this test could register */
struct catcher {
	volatile unsigned count;
	volatile uint8_t first; /* vector of the first interrupt */
	bool mine[256];
};

static void on_irq(struct trap_frame *f, void *arg)
{
	struct catcher *c = arg;

	if (!c->count)
		c->first = (uint8_t)f->vector;
	c->count++;
}

static bool caught(void *arg)
{
	return ((struct catcher *)arg)->count > 0;
}

static void catch_release(struct catcher *c);

/* Static, not on a test's stack: a test the watchdog unwinds leaves its
 * handlers registered, and they must still point at live memory. The next
 * test to catch takes them back first. */
static struct catcher the_catcher;

static struct catcher *catch_all(void)
{
	struct catcher *c = &the_catcher;

	catch_release(c);
	for (unsigned v = APIC_FIRST_DYNAMIC_VECTOR; v <= APIC_LAST_DYNAMIC_VECTOR; v++)
		c->mine[v] = !irq_register((uint8_t)v, on_irq, c);
	return c;
}

static void catch_release(struct catcher *c)
{
	for (unsigned v = 0; v < 256; v++)
		if (c->mine[v])
			irq_unregister((uint8_t)v);
	*c = (struct catcher){0};
}

/* A caught vector at or above `from` other than `not`, or 0 when none is. */
static uint8_t catch_vector(const struct catcher *c, unsigned from, unsigned not)
{
	for (unsigned v = from; v <= APIC_LAST_DYNAMIC_VECTOR; v++)
		if (c->mine[v] && v != not)
			return (uint8_t)v;
	return 0;
}

static void catch_reset(struct catcher *c)
{
	c->count = 0;
	c->first = 0;
}

/* Exactly one interrupt, with this vector. */
static void expect_delivered(struct catcher *c, uint8_t vector)
{
	check(wait_until(caught, c, MSI_WAIT_US), "no interrupt within %u ms",
	      MSI_WAIT_US / 1000);
	udelay(SETTLE_US);
	check_eq(c->count, 1, "interrupts delivered for one request");
	if (c->count)
		check_eq(c->first, vector, "vector the CPU received");
}

/* No interrupt on any vector caught. */
static void expect_blocked(struct catcher *c)
{
	wait_until(caught, c, BLOCKED_WAIT_US);
	check_eq(c->count, 0, "interrupts delivered for a request that must be blocked");
	if (c->count)
		test_note("first interrupt had vector %#x", c->first);
}

static bool fault_pending(void *arg)
{
	return vtd_read32(arg, VTD_FSTS) & (VTD_FSTS_PPF | VTD_FSTS_PFO);
}

/* Invalidation errors and overflow are never expected here. */
static void check_fsts_quiet(struct vtd_unit *u)
{
	uint32_t fsts = vtd_read32(u, VTD_FSTS);

	check_eq(fsts & VTD_FSTS_PFO, 0, "FSTS.PFO (fault overflow)");
	check_eq(fsts & (VTD_FSTS_IQE | VTD_FSTS_ICE | VTD_FSTS_ITE), 0,
		 "FSTS.IQE/ICE/ITE (invalidation errors)");
}

/*
 * One interrupt-remapping fault: FSTS.PPF set with FRI naming a record whose
 * FI has bits 47:12 clear ("Fault Recording Registers [n]"), reason, SID and,
 * when index >= 0, the interrupt index in FI 63:48; PPF clear once the record
 * is cleared.
 */
static void expect_ir_fault(struct vtd_unit *u, uint8_t reason, uint16_t sid, int index)
{
	struct fault_expect e = {
		.reason = reason,
		.sid = sid,
		.addr = FAULT_ANY,
		.read = FAULT_ANY,
		.intr_index = index,
	};

	wait_until(fault_pending, u, FAULT_WAIT_US);
	uint32_t fsts = vtd_read32(u, VTD_FSTS);
	check_eq(fsts & VTD_FSTS_PPF, VTD_FSTS_PPF, "FSTS.PPF (a fault recorded)");
	check_eq(fsts & VTD_FSTS_PFO, 0, "FSTS.PFO (fault overflow)");
	if (fsts & VTD_FSTS_PPF) {
		unsigned fri = VTD_FSTS_FRI(fsts);
		check(fri < VTD_CAP_NFR(u->cap), "FSTS.FRI %u names no record (CAP.NFR %u)", fri,
		      (unsigned)VTD_CAP_NFR(u->cap));
		uint64_t fi = vtd_read64(u, VTD_FRCD(u, fri % VTD_CAP_NFR(u->cap)));
		check_eq(FIELD(fi, 47, 12), 0, "FI bits 47:12 of an interrupt-remapping fault");
	}
	expect_fault(u, &e);
	check_eq(vtd_read32(u, VTD_FSTS) & VTD_FSTS_PPF, 0, "FSTS.PPF after clearing the record");
	check_fsts_quiet(u);
}

static void expect_no_ir_fault(struct vtd_unit *u)
{
	expect_no_fault(u);
	check_eq(vtd_read32(u, VTD_FSTS) & VTD_FSTS_PPF, 0, "FSTS.PPF (a fault recorded)");
	check_fsts_quiet(u);
}

/* How the table's destinations are read (IRTA.EIME) */
enum table_mode {
	TABLE_CPU,    /* x2APIC mode when the CPU's APIC is and the unit has ECAP.EIM */
	TABLE_XAPIC,  /* xAPIC mode whatever the CPU */
	TABLE_X2APIC, /* x2APIC mode: needs ECAP.EIM */
};

struct ir_env {
	struct vtd_unit *u;
	struct vtd_irt irt;
	struct catcher *c;
	uint16_t sid;  /* the device's source-id */
	uint32_t dest; /* this CPU's APIC id */
	/* what to undo before leaving a test ir_prepare refuses */
	void (*undo)(void *arg);
	void *undo_arg;
};

/* Leaves the test, skipped (or failed, for the harness's own errors), after
 * undoing what the test set up before ir_prepare. */
__attribute__((noreturn, format(printf, 3, 4))) static void refuse(struct ir_env *env,
								   bool harness,
								   const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (env->undo)
		env->undo(env->undo_arg);
	if (harness)
		fail_now("%s", why);
	skip("%s", why);
}

/*
 * Readies dev's unit for interrupt remapping: quiesced, a table of 2^(s+1)
 * not-present entries allocated (not yet installed), every free dynamic
 * vector caught. Leaves the test (refuse) when it cannot run here: no unit,
 * no ECAP.IR or QI, a destination the table mode cannot hold; compat asks
 * for an APIC id a compatibility-format MSI can hold.
 */
static void ir_prepare(struct ir_env *env, const struct pci_dev *dev, unsigned s,
		       enum table_mode mode, bool compat)
{
	struct vtd_unit *u = vtd_unit_for(&dev->addr);

	if (!u)
		refuse(env, false, PCI_ADDR_FMT " is under no usable remapping unit",
		       PCI_ADDR_ARGS(&dev->addr));
	if (!(u->ecap & VTD_ECAP_IR))
		refuse(env, false, "the unit does not advertise interrupt remapping (ECAP.IR)");
	if (!(u->ecap & VTD_ECAP_QI))
		refuse(env, false, "the unit does not advertise queued invalidation (ECAP.QI), "
				   "the only way to invalidate its interrupt entry cache");

	bool eim = u->ecap & VTD_ECAP_EIM;
	bool x2apic = mode == TABLE_X2APIC || (mode == TABLE_CPU && apic_x2apic() && eim);
	uint32_t dest = apic_id();

	if (x2apic && !eim)
		refuse(env, false, "the unit does not advertise x2APIC mode (ECAP.EIM)");
	if (!x2apic && dest > XAPIC_DEST_MAX)
		refuse(env, false, "APIC id %u does not fit an xAPIC-mode IRTE (ECAP.EIM %u)", dest,
		       eim);
	if (compat && dest > XAPIC_DEST_MAX)
		refuse(env, false, "APIC id %u does not fit a compatibility-format MSI", dest);

	int err = vtd_unit_quiesce(u);
	if (err)
		refuse(env, true, "quiescing the unit: %s", vtd_strerror(err));
	err = vtd_irt_alloc(&env->irt, u, s, x2apic);
	if (err)
		refuse(env, true, "allocating the interrupt remapping table: %s",
		       vtd_strerror(err));
	env->u = u;
	env->sid = vtd_sid_of(dev);
	env->dest = dest;
	env->c = catch_all();
}

/* Table installed (IRTA, SIRTP, global IEC invalidation) and IRE on. */
static bool ir_start(struct ir_env *env)
{
	if (!check_vtd(vtd_irt_install(&env->irt),
		       "installing the table (IRTA, GCMD.SIRTP, global IEC invalidation)"))
		return false;
	return check_vtd(vtd_ir_enable(env->u, true), "enabling interrupt remapping (GCMD.IRE)");
}

static void ir_teardown(struct ir_env *env)
{
	check_vtd(vtd_unit_quiesce(env->u), "quiescing the unit");
	check_eq(vtd_read32(env->u, VTD_GSTS) &
			 (VTD_GSTS_IRES | VTD_GSTS_CFIS | VTD_GCMD_QIE | VTD_GCMD_TE),
		 0, "GSTS.TES/QIES/IRES/CFIS after quiescing");
	vtd_irt_free(&env->irt);
	catch_release(env->c);
}

/* A fixed, edge, physical IRTE to this CPU with the device's SID checked */
static struct vtd_irte_fields irte_to_me(const struct ir_env *env, uint8_t vector)
{
	return (struct vtd_irte_fields){
		.present = true,
		.dlm = VTD_DLM_FIXED,
		.vector = vector,
		.dest = env->dest,
		.sid = env->sid,
		.sq = VTD_SQ_ALL,
		.svt = VTD_SVT_SID,
	};
}

static bool set_irte(struct ir_env *env, uint32_t index, const struct vtd_irte_fields *f)
{
	return check_vtd(vtd_irt_set(&env->irt, index, f), "writing the IRTE");
}

static void open_edu(struct edu *e)
{
	need_dmar();
	if (edu_open(e, 0))
		skip("no working edu device (QEMU: -device edu)");
	if (!pci_find_cap(e->pci, PCI_CAP_MSI))
		skip("the edu device has no MSI capability");
}

/* Programs edu's MSI with the message and raises it once. */
static void edu_send(struct edu *e, struct vtd_msi m)
{
	int err = pci_msi_enable(e->pci, m.addr, (uint16_t)m.data);

	check(!err, "programming MSI failed: %s", pci_strerror(err));
	edu_raise(e, EDU_RAISE_BIT);
}

static void edu_quiet(struct edu *e)
{
	edu_ack(e, EDU_RAISE_BIT);
	pci_msi_disable(e->pci);
}

/* The IRTE's vector reaches the CPU; the vector in the MSI data does not. */
static void ir_msi_remapped(void)
{
	struct ir_env env = {0};
	struct edu e;

	open_edu(&e);
	ir_prepare(&env, e.pci, S_LARGE, TABLE_CPU, false);
	uint8_t vector = catch_vector(env.c, 0x60, 0);
	uint8_t decoy = catch_vector(env.c, 0x80, vector);
	struct vtd_irte_fields f = irte_to_me(&env, vector);
	struct vtd_msi m = vtd_msi_remappable(HANDLE, false, 0);

	check(vector && decoy, "no free vectors to catch interrupts with");
	m.data = decoy; /* SHV = 0: the data is no part of the request */
	if (vector && decoy && set_irte(&env, HANDLE, &f) && ir_start(&env)) {
		edu_send(&e, m);
		expect_delivered(env.c, vector);
		expect_no_ir_fault(env.u);
	}
	edu_quiet(&e);
	ir_teardown(&env);
}

/* With SHV, the IRTE used is handle + subhandle, not the handle's own. */
static void ir_msi_subhandle(void)
{
	struct ir_env env = {0};
	struct edu e;

	open_edu(&e);
	ir_prepare(&env, e.pci, S_LARGE, TABLE_CPU, false);
	uint8_t vector = catch_vector(env.c, 0x60, 0);
	uint8_t decoy = catch_vector(env.c, 0x80, vector);
	struct vtd_irte_fields f = irte_to_me(&env, vector);
	struct vtd_irte_fields at_handle = irte_to_me(&env, decoy);

	check(vector && decoy, "no free vectors to catch interrupts with");
	if (vector && decoy && set_irte(&env, HANDLE + SUBHANDLE, &f) &&
	    set_irte(&env, HANDLE, &at_handle) && ir_start(&env)) {
		edu_send(&e, vtd_msi_remappable(HANDLE, true, SUBHANDLE));
		expect_delivered(env.c, vector);
		expect_no_ir_fault(env.u);
	}
	edu_quiet(&e);
	ir_teardown(&env);
}

/* Programs the I/O completion queue's MSI-X entry with the message and reads
 * one block, which raises it once. */
static void nvme_send(struct nvme *n, struct vtd_msi m, struct dma_buf *buf)
{
	unsigned count = READ_BYTES / n->lba_size;
	uint32_t status;
	int err = pci_msix_program(&n->msix, NVME_IO_VECTOR, m.addr, m.data);

	if (!err)
		err = pci_msix_mask(&n->msix, NVME_IO_VECTOR, false);
	check(!err, "programming MSI-X entry %u failed: %s", NVME_IO_VECTOR, pci_strerror(err));
	pci_msix_function_mask(&n->msix, false);
	pci_msix_enable(&n->msix, true);
	err = nvme_read(n, 0, count, buf->phys, &status);
	check(!err, "reading LBA 0-%u failed: %s", count - 1, nvme_strerror(err));
	check_eq(status, 0, "completion status field (SCT/SC)");
}

struct nvme_undo {
	struct nvme *n;
	struct dma_buf *buf;
};

static void nvme_undo(void *arg)
{
	struct nvme_undo *x = arg;

	nvme_close(x->n);
	dma_free(x->buf);
}

/* An MSI-X entry in remappable format is remapped like an MSI. */
static void ir_msix_remapped(void)
{
	struct ir_env env = {0};
	struct dma_buf buf;
	struct nvme n;

	need_dmar();
	if (nvme_open(&n, 0))
		skip("no working NVMe controller (QEMU: -device nvme)");
	if (n.lba_size > READ_BYTES || dma_alloc(&buf, READ_BYTES, 1, PMM_ANY_ADDRESS)) {
		nvme_close(&n);
		skip("namespace %u has %u-byte blocks, or no memory for a %u-byte buffer",
		     n.nsid, n.lba_size, READ_BYTES);
	}
	env.undo = nvme_undo;
	env.undo_arg = &(struct nvme_undo){&n, &buf};
	ir_prepare(&env, n.pci, S_LARGE, TABLE_CPU, false);
	uint8_t vector = catch_vector(env.c, 0x60, 0);
	uint8_t decoy = catch_vector(env.c, 0x80, vector);
	struct vtd_irte_fields f = irte_to_me(&env, vector);
	struct vtd_msi m = vtd_msi_remappable(HANDLE, false, 0);

	check(vector && decoy, "no free vectors to catch interrupts with");
	m.data = decoy;
	if (vector && decoy && set_irte(&env, HANDLE, &f) && ir_start(&env)) {
		nvme_send(&n, m, &buf);
		expect_delivered(env.c, vector);
		expect_no_ir_fault(env.u);
	}
	nvme_close(&n);
	ir_teardown(&env);
	dma_free(&buf);
}

/* A not-present IRTE blocks the request and records fault 22h. */
static void ir_irte_not_present(void)
{
	struct ir_env env = {0};
	struct edu e;

	open_edu(&e);
	ir_prepare(&env, e.pci, S_LARGE, TABLE_CPU, false);
	uint8_t vector = catch_vector(env.c, 0x60, 0);
	struct vtd_irte_fields f = irte_to_me(&env, vector);

	/* Everything an IRTE holds but P: a unit ignoring P would deliver it. */
	f.present = false;
	check(vector, "no free vector to catch interrupts with");
	if (vector && set_irte(&env, HANDLE, &f) && ir_start(&env)) {
		edu_send(&e, vtd_msi_remappable(HANDLE, false, 0));
		expect_blocked(env.c);
		expect_ir_fault(env.u, VTD_FR_IR_NOT_PRESENT, env.sid, HANDLE);
	}
	edu_quiet(&e);
	ir_teardown(&env);
}

/* With FPD set, the not-present IRTE still blocks, but the (qualified)
 * fault 22h is neither recorded nor reported. */
static void ir_irte_fpd(void)
{
	struct ir_env env = {0};
	struct edu e;

	open_edu(&e);
	ir_prepare(&env, e.pci, S_LARGE, TABLE_CPU, false);
	uint8_t vector = catch_vector(env.c, 0x60, 0);
	struct vtd_irte_fields f = irte_to_me(&env, vector);

	f.present = false;
	f.fpd = true;
	check(vector, "no free vector to catch interrupts with");
	if (vector && set_irte(&env, HANDLE, &f) && ir_start(&env)) {
		edu_send(&e, vtd_msi_remappable(HANDLE, false, 0));
		expect_blocked(env.c);
		expect_no_ir_fault(env.u);
	}
	edu_quiet(&e);
	ir_teardown(&env);
}

/* An index at the table size is beyond it (2^(S+1) entries): blocked, fault
 * 21h, even though memory right after the table holds a present entry. */
static void ir_index_beyond_table(void)
{
	struct ir_env env = {0};
	struct edu e;

	open_edu(&e);
	ir_prepare(&env, e.pci, S_SMALL, TABLE_CPU, false);
	uint32_t index = env.irt.entries;
	uint8_t vector = catch_vector(env.c, 0x60, 0);
	struct vtd_irte_fields f = irte_to_me(&env, vector);
	struct vtd_irte beyond;

	check(vector, "no free vector to catch interrupts with");
	check(vtd_irte_encode(&f, env.irt.x2apic, &beyond), "encoding the IRTE");
	if (vector && check_vtd(vtd_irt_write_raw(&env.irt, index, beyond),
				"writing the entry after the table") &&
	    ir_start(&env)) {
		edu_send(&e, vtd_msi_remappable((uint16_t)index, false, 0));
		expect_blocked(env.c);
		expect_ir_fault(env.u, VTD_FR_IR_INDEX_BEYOND, env.sid, (int)index);
	}
	edu_quiet(&e);
	ir_teardown(&env);
}

/* An IRTE whose SID does not match the requester blocks it: fault 26h. */
static void ir_sid_mismatch(void)
{
	struct ir_env env = {0};
	struct edu e;

	open_edu(&e);
	ir_prepare(&env, e.pci, S_LARGE, TABLE_CPU, false);
	uint8_t vector = catch_vector(env.c, 0x60, 0);
	struct vtd_irte_fields f = irte_to_me(&env, vector);

	/* another bus: no SQ mask hides that */
	f.sid = env.sid ^ 0x0100;
	check(vector, "no free vector to catch interrupts with");
	if (vector && set_irte(&env, HANDLE, &f) && ir_start(&env)) {
		edu_send(&e, vtd_msi_remappable(HANDLE, false, 0));
		expect_blocked(env.c);
		expect_ir_fault(env.u, VTD_FR_IR_SID_CHECK, env.sid, HANDLE);
	}
	edu_quiet(&e);
	ir_teardown(&env);
}

/*
 * After an IRTE changes, an index-selective IEC invalidation makes the unit
 * use the new entry. Before it, the unit may still use the cached old one
 * ("Interrupt Entry Cache"): that delivery is noted, never judged.
 */
static void ir_irte_update_needs_iec(void)
{
	struct ir_env env = {0};
	struct edu e;

	open_edu(&e);
	ir_prepare(&env, e.pci, S_LARGE, TABLE_CPU, false);
	uint8_t old_vector = catch_vector(env.c, 0x60, 0);
	uint8_t new_vector = catch_vector(env.c, 0x80, old_vector);
	struct vtd_irte_fields f = irte_to_me(&env, old_vector);

	check(old_vector && new_vector, "no free vectors to catch interrupts with");
	if (!old_vector || !new_vector || !set_irte(&env, HANDLE, &f) || !ir_start(&env))
		goto out;

	/* the old entry in use, and so possibly cached */
	edu_send(&e, vtd_msi_remappable(HANDLE, false, 0));
	expect_delivered(env.c, old_vector);
	edu_ack(&e, EDU_RAISE_BIT);

	f.vector = new_vector;
	if (!set_irte(&env, HANDLE, &f))
		goto out;
	catch_reset(env.c);
	edu_raise(&e, EDU_RAISE_BIT);
	wait_until(caught, env.c, MSI_WAIT_US);
	udelay(SETTLE_US);
	test_note("before the invalidation: %u interrupt(s), first vector %#x (old %#x, new %#x)",
		  env.c->count, env.c->first, old_vector, new_vector);
	edu_ack(&e, EDU_RAISE_BIT);

	if (!check_vtd(vtd_iec_invalidate_index(env.u, HANDLE, 0),
		       "index-selective IEC invalidation"))
		goto out;
	catch_reset(env.c);
	edu_raise(&e, EDU_RAISE_BIT);
	expect_delivered(env.c, new_vector);
	expect_no_ir_fault(env.u);
out:
	edu_quiet(&e);
	ir_teardown(&env);
}

/*
 * A compatibility-format MSI under interrupt remapping with CFI off (xAPIC-mode
 * table) and, in x2APIC mode (EIME), with CFI on: blocked, fault 25h.
 */
static void compat_blocked(enum table_mode mode, bool cfi)
{
	struct ir_env env = {0};
	struct edu e;

	open_edu(&e);
	ir_prepare(&env, e.pci, S_SMALL, mode, true);
	uint8_t vector = catch_vector(env.c, 0x60, 0);

	check(vector, "no free vector to catch interrupts with");
	if (vector && ir_start(&env) &&
	    check_vtd(vtd_ir_compat(env.u, cfi), cfi ? "setting GCMD.CFI" : "clearing GCMD.CFI")) {
		edu_send(&e, vtd_msi_compat((uint8_t)env.dest, vector));
		expect_blocked(env.c);
		/* no interrupt index: a compatibility-format request has no handle */
		expect_ir_fault(env.u, VTD_FR_IR_COMPAT_BLOCKED, env.sid, FAULT_ANY);
	}
	edu_quiet(&e);
	ir_teardown(&env);
}

static void ir_compat_blocked(void)
{
	compat_blocked(TABLE_XAPIC, false);
}

static void ir_compat_blocked_eime(void)
{
	compat_blocked(TABLE_X2APIC, true);
}

/* With CFI on (xAPIC-mode table), a compatibility-format MSI bypasses the
 * table and arrives with its own vector. */
static void ir_compat_allowed(void)
{
	struct ir_env env = {0};
	struct edu e;

	open_edu(&e);
	ir_prepare(&env, e.pci, S_SMALL, TABLE_XAPIC, true);
	uint8_t vector = catch_vector(env.c, 0x60, 0);

	check(vector, "no free vector to catch interrupts with");
	if (vector && ir_start(&env)) {
		/* still deliver on a failed CFI, to say what the unit does anyway */
		check_vtd(vtd_ir_compat(env.u, true), "setting GCMD.CFI (awaiting GSTS.CFIS)");
		edu_send(&e, vtd_msi_compat((uint8_t)env.dest, vector));
		expect_delivered(env.c, vector);
		expect_no_ir_fault(env.u);
	}
	edu_quiet(&e);
	ir_teardown(&env);
}

static const struct test ir_tests[] = {
	{
		.name = "ir.msi_remapped",
		.run = ir_msi_remapped,
		.confirms = "an MSI in remappable format arrives once with its IRTE's vector, not "
			    "the vector in its data",
		.spec = SPEC_REMAP,
	},
	{
		.name = "ir.msi_subhandle",
		.run = ir_msi_subhandle,
		.confirms = "with SHV set the IRTE used is handle + subhandle (the MSI data)",
		.spec = SPEC_REMAP,
	},
	{
		.name = "ir.msix_remapped",
		.run = ir_msix_remapped,
		.confirms = "an MSI-X message in remappable format arrives once with its IRTE's "
			    "vector",
		.spec = SPEC_REMAP "; PCI Local Bus 3.0 6.8.2 MSI-X Capability and Table Structure",
	},
	{
		.name = "ir.irte_not_present",
		.run = ir_irte_not_present,
		.confirms = "a request through an IRTE with P=0 is blocked and recorded as fault "
			    "22h with its SID and index",
		.spec = SPEC_FAULTS,
	},
	{
		.name = "ir.irte_fpd",
		.run = ir_irte_fpd,
		.confirms = "a request through a not-present IRTE with FPD=1 is blocked and no "
			    "fault is recorded",
		.spec = SPEC_FAULTS "; \"Interrupt Remapping Table Entry (IRTE) for Remapped "
				    "Interrupts\" FPD",
	},
	{
		.name = "ir.index_beyond_table",
		.run = ir_index_beyond_table,
		.confirms = "a handle at the table size (2^(S+1)) is blocked and recorded as fault "
			    "21h, whatever memory follows the table",
		.spec = SPEC_FAULTS "; \"Interrupt Remapping Table Address Register\" S",
	},
	{
		.name = "ir.sid_mismatch",
		.run = ir_sid_mismatch,
		.confirms = "a request whose requester-id fails the IRTE's SID check (SVT=01) is "
			    "blocked and recorded as fault 26h",
		.spec = SPEC_FAULTS "; \"Interrupt Remapping Table Entry (IRTE) for Remapped "
				    "Interrupts\" SVT, SQ, SID",
	},
	{
		.name = "ir.irte_update_needs_iec",
		.run = ir_irte_update_needs_iec,
		.confirms = "after an IRTE changes, an index-selective IEC invalidation makes the "
			    "unit deliver the new vector",
		.spec = "VT-d 4.1 \"Interrupt Entry Cache Invalidate Descriptor\"; "
			"\"Interrupt Remapping Table Entry (IRTE) for Remapped Interrupts\"",
	},
	{
		.name = "ir.compat_blocked",
		.run = ir_compat_blocked,
		.confirms = "with IRE on and CFI off, a compatibility-format MSI is blocked and "
			    "recorded as fault 25h",
		.spec = SPEC_COMPAT,
	},
	{
		.name = "ir.compat_blocked_eime",
		.run = ir_compat_blocked_eime,
		.confirms = "with IRE on and the table in x2APIC mode (EIME), a compatibility-format "
			    "MSI is blocked (fault 25h) even with CFI on",
		.spec = SPEC_COMPAT "; \"Interrupt Remapping Table Address Register\" EIME",
	},
	{
		.name = "ir.compat_allowed",
		.run = ir_compat_allowed,
		.confirms = "with IRE and CFI on, a compatibility-format MSI bypasses the table and "
			    "arrives once with its own vector, no fault",
		.spec = SPEC_COMPAT,
	},
};

TEST_SUITE(ir_suite, "ir", ir_tests);

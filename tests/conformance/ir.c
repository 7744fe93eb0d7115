/*
 * Interrupt remapping: a device's MSI or MSI-X message in remappable format
 * reaches the CPU only as its IRTE says, and every request the remapping
 * table refuses is blocked and recorded as the spec's fault conditions list.
 * DMA translation stays off: only the interrupt address range is remapped.
 *
 * Every test catches interrupts on every free dynamic vector (irq_catch.h),
 * so a message delivered with any vector other than the expected one is
 * seen, and leaves the unit quiesced (IRE, CFI and QIE off).
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
#include "tests/conformance/common.h"
#include "tests/conformance/irq_catch.h"
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

/* Table sizes (IRTA.S): 2^(S+1) entries */
#define S_SMALL 3 /* 16 entries: the bound check sits inside the first page */
#define S_LARGE 7 /* 256 entries */
/* Handles chosen off the first entry, so index 0 being used by mistake shows */
#define HANDLE 5
#define SUBHANDLE 9
#define MSI_WAIT_US 1000000
/* How long a blocked message is given to show up anyway */
#define BLOCKED_WAIT_US 100000
#define READ_BYTES 4096
#define XAPIC_DEST_MAX 0xff

/* Invalidation errors are never expected here (overflow is checked with the
 * fault records). */
static void check_fsts_quiet(struct vtd_unit *u)
{
	check_eq(vtd_read32(u, VTD_FSTS) & (VTD_FSTS_IQE | VTD_FSTS_ICE | VTD_FSTS_ITE), 0,
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

	wait_for_fault(u);
	uint32_t fsts = vtd_read32(u, VTD_FSTS);
	check_eq(fsts & VTD_FSTS_PPF, VTD_FSTS_PPF, "FSTS.PPF (a fault recorded)");
	if (fsts & VTD_FSTS_PPF) {
		unsigned fri = VTD_FSTS_FRI(fsts);
		check(fri < VTD_CAP_NFR(u->cap), "FSTS.FRI %u names no record (CAP.NFR %u)", fri,
		      (unsigned)VTD_CAP_NFR(u->cap));
		uint64_t fi = vtd_frcd_lo(u, fri % VTD_CAP_NFR(u->cap));
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
	uint16_t sid;   /* the device's source-id */
	uint32_t dest;  /* this CPU's APIC id */
	uint8_t vector; /* caught: the one the test's request is to arrive with */
	uint8_t decoy;  /* caught too: one it must not arrive with */
	struct edu edu; /* the requester, in the tests edu_prepare readies */
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
 * vector caught and two of them chosen. Leaves the test (refuse) when it
 * cannot run here: no unit, no ECAP.IR or QI, a destination the table mode
 * cannot hold; compat asks for an APIC id a compatibility-format MSI can hold.
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
	irq_catch_all();
	env->vector = irq_catch_vector(0x60, 0);
	env->decoy = irq_catch_vector(0x80, env->vector);
	if (!env->vector || !env->decoy) {
		irq_catch_release();
		vtd_irt_free(&env->irt);
		refuse(env, true, "no free vectors to catch interrupts with");
	}
	env->u = u;
	env->sid = vtd_sid_of(dev);
	env->dest = dest;
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
	irq_catch_release();
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

/* The IRTE at index written, then the table installed and IRE on. */
static bool irte_start(struct ir_env *env, uint32_t index, const struct vtd_irte_fields *f)
{
	return set_irte(env, index, f) && ir_start(env);
}

/* A request for HANDLE whose data holds the decoy vector: with SHV = 0 the
 * data is no part of the request. */
static struct vtd_msi decoy_msi(const struct ir_env *env)
{
	struct vtd_msi m = vtd_msi_remappable(HANDLE, false, 0);

	m.data = env->decoy;
	return m;
}

/* What a request must do: arrive once with `vector`, or (vector 0) reach no
 * CPU; and record fault `fault` with interrupt index `index` (FAULT_ANY: not
 * checked), or (NO_FAULT) nothing. */
struct ir_expect {
	uint8_t vector;
	uint8_t fault;
	int index;
};

#define NO_FAULT 0 /* fault reason 0 is reserved */

static struct ir_expect delivered(uint8_t vector)
{
	return (struct ir_expect){.vector = vector, .fault = NO_FAULT};
}

static struct ir_expect blocked(uint8_t fault, int index)
{
	return (struct ir_expect){.fault = fault, .index = index};
}

static void expect_effects(const struct ir_env *env, struct ir_expect x)
{
	if (x.vector)
		irq_expect_one(x.vector, MSI_WAIT_US, "the request");
	else
		irq_expect_none(BLOCKED_WAIT_US, "a request that must be blocked");
	if (x.fault != NO_FAULT)
		expect_ir_fault(env->u, x.fault, env->sid, x.index);
	else
		expect_no_ir_fault(env->u);
}

/* edu opened and its unit readied (ir_prepare); returns the IRTE that would
 * deliver edu's request with the test's vector. */
static struct vtd_irte_fields edu_prepare(struct ir_env *env, unsigned s, enum table_mode mode,
					  bool compat)
{
	need_dmar();
	if (edu_open(&env->edu, 0))
		skip("no working edu device (QEMU: -device edu)");
	if (!pci_find_cap(env->edu.pci, PCI_CAP_MSI))
		skip("the edu device has no MSI capability");
	ir_prepare(env, env->edu.pci, s, mode, compat);
	return irte_to_me(env, env->vector);
}

/* Programs edu's MSI with the message and raises it once. */
static void edu_send(struct edu *e, struct vtd_msi m)
{
	int err = pci_msi_enable(e->pci, m.addr, (uint16_t)m.data);

	check(!err, "programming MSI failed: %s", pci_strerror(err));
	edu_raise(e, EDU_IRQ_TEST);
}

/*
 * Once the test's setup went well (ready), edu sends m, which must do what
 * x says; then edu is quiet and the unit torn down, whatever happened.
 */
static void edu_request(struct ir_env *env, bool ready, struct vtd_msi m, struct ir_expect x)
{
	if (ready) {
		edu_send(&env->edu, m);
		expect_effects(env, x);
	}
	edu_ack(&env->edu, EDU_IRQ_TEST);
	pci_msi_disable(env->edu.pci);
	ir_teardown(env);
}

/* edu's request for HANDLE, through the IRTE f written there, must do what x
 * says. */
static void through_handle(struct ir_env *env, const struct vtd_irte_fields *f, struct ir_expect x)
{
	edu_request(env, irte_start(env, HANDLE, f), vtd_msi_remappable(HANDLE, false, 0), x);
}

/* The IRTE's vector reaches the CPU; the vector in the MSI data does not. */
static void ir_msi_remapped(void)
{
	struct ir_env env = {0};
	struct vtd_irte_fields f = edu_prepare(&env, S_LARGE, TABLE_CPU, false);

	edu_request(&env, irte_start(&env, HANDLE, &f), decoy_msi(&env), delivered(env.vector));
}

/* With SHV, the IRTE used is handle + subhandle, not the handle's own. */
static void ir_msi_subhandle(void)
{
	struct ir_env env = {0};
	struct vtd_irte_fields f = edu_prepare(&env, S_LARGE, TABLE_CPU, false);
	struct vtd_irte_fields at_handle = irte_to_me(&env, env.decoy);
	bool ready = set_irte(&env, HANDLE, &at_handle) && irte_start(&env, HANDLE + SUBHANDLE, &f);

	edu_request(&env, ready, vtd_msi_remappable(HANDLE, true, SUBHANDLE),
		    delivered(env.vector));
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
	struct vtd_irte_fields f = irte_to_me(&env, env.vector);

	if (irte_start(&env, HANDLE, &f)) {
		nvme_send(&n, decoy_msi(&env), &buf);
		expect_effects(&env, delivered(env.vector));
	}
	nvme_close(&n);
	ir_teardown(&env);
	dma_free(&buf);
}

/* A not-present IRTE blocks the request and records fault 22h. */
static void ir_irte_not_present(void)
{
	struct ir_env env = {0};
	struct vtd_irte_fields f = edu_prepare(&env, S_LARGE, TABLE_CPU, false);

	/* Everything an IRTE holds but P: a unit ignoring P would deliver it. */
	f.present = false;
	through_handle(&env, &f, blocked(VTD_FR_IR_NOT_PRESENT, HANDLE));
}

/* With FPD set, the not-present IRTE still blocks, but the (qualified)
 * fault 22h is neither recorded nor reported. */
static void ir_irte_fpd(void)
{
	struct ir_env env = {0};
	struct vtd_irte_fields f = edu_prepare(&env, S_LARGE, TABLE_CPU, false);

	f.present = false;
	f.fpd = true;
	through_handle(&env, &f, blocked(NO_FAULT, FAULT_ANY));
}

/* An index at the table size is beyond it (2^(S+1) entries): blocked, fault
 * 21h, even though memory right after the table holds a present entry. */
static void ir_index_beyond_table(void)
{
	struct ir_env env = {0};
	struct vtd_irte_fields f = edu_prepare(&env, S_SMALL, TABLE_CPU, false);
	uint32_t index = env.irt.entries;
	struct vtd_irte beyond;

	check(vtd_irte_encode(&f, env.irt.x2apic, &beyond), "encoding the IRTE");
	bool ready = check_vtd(vtd_irt_write_raw(&env.irt, index, beyond),
			       "writing the entry after the table") &&
		     ir_start(&env);
	edu_request(&env, ready, vtd_msi_remappable((uint16_t)index, false, 0),
		    blocked(VTD_FR_IR_INDEX_BEYOND, (int)index));
}

/* An IRTE whose SID does not match the requester blocks it: fault 26h. */
static void ir_sid_mismatch(void)
{
	struct ir_env env = {0};
	struct vtd_irte_fields f = edu_prepare(&env, S_LARGE, TABLE_CPU, false);

	/* another bus: no SQ mask hides that */
	f.sid = env.sid ^ 0x0100;
	through_handle(&env, &f, blocked(VTD_FR_IR_SID_CHECK, HANDLE));
}

/*
 * The IRTE f at HANDLE used, and so possibly cached ("Interrupt Entry
 * Cache"), then changed to the decoy vector. What the unit delivers before
 * the invalidation is noted, never judged; the catcher is then reset.
 */
static bool irte_used_then_changed(struct ir_env *env, struct vtd_irte_fields *f)
{
	struct edu *e = &env->edu;

	edu_send(e, vtd_msi_remappable(HANDLE, false, 0));
	irq_expect_one(env->vector, MSI_WAIT_US, "the request through the old IRTE");
	edu_ack(e, EDU_IRQ_TEST);

	f->vector = env->decoy;
	if (!set_irte(env, HANDLE, f))
		return false;
	irq_catch_reset();
	edu_raise(e, EDU_IRQ_TEST);
	irq_catch_wait(MSI_WAIT_US);
	test_note("before the invalidation: %u interrupt(s), first vector %#x (old %#x, new %#x)",
		  irq_caught(), irq_caught_first(), env->vector, env->decoy);
	edu_ack(e, EDU_IRQ_TEST);
	irq_catch_reset();
	return true;
}

/* After an IRTE changes, an index-selective IEC invalidation makes the unit
 * use the new entry. */
static void ir_irte_update_needs_iec(void)
{
	struct ir_env env = {0};
	struct vtd_irte_fields f = edu_prepare(&env, S_LARGE, TABLE_CPU, false);
	bool ready = irte_start(&env, HANDLE, &f) && irte_used_then_changed(&env, &f) &&
		     check_vtd(vtd_iec_invalidate_index(env.u, HANDLE, 0),
			       "index-selective IEC invalidation");

	edu_request(&env, ready, vtd_msi_remappable(HANDLE, false, 0), delivered(env.decoy));
}

/*
 * A compatibility-format MSI under interrupt remapping with CFI off (xAPIC-mode
 * table) and, in x2APIC mode (EIME), with CFI on: blocked, fault 25h.
 */
static void compat_blocked(enum table_mode mode, bool cfi)
{
	struct ir_env env = {0};

	edu_prepare(&env, S_SMALL, mode, true);
	bool ready = ir_start(&env) && check_vtd(vtd_ir_compat(env.u, cfi),
						 cfi ? "setting GCMD.CFI" : "clearing GCMD.CFI");

	/* no interrupt index: a compatibility-format request has no handle */
	edu_request(&env, ready, vtd_msi_compat((uint8_t)env.dest, env.vector),
		    blocked(VTD_FR_IR_COMPAT_BLOCKED, FAULT_ANY));
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

	edu_prepare(&env, S_SMALL, TABLE_XAPIC, true);
	bool ready = ir_start(&env);

	/* sent even when CFI fails, to say what the unit does anyway */
	if (ready)
		check_vtd(vtd_ir_compat(env.u, true), "setting GCMD.CFI (awaiting GSTS.CFIS)");
	edu_request(&env, ready, vtd_msi_compat((uint8_t)env.dest, env.vector),
		    delivered(env.vector));
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

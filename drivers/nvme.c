/*
 * NVM Express over PCIe, read only. QEMU: -drive if=none,id=nvm,file=IMG,format=raw
 * -device nvme,drive=nvm,serial=S. Written from the NVMe Base Specification 2.0,
 * the NVM Command Set Specification 1.0 and the NVMe over PCIe Transport
 * Specification 1.0, for real controllers too: every wait is bounded by what the
 * controller advertises (CAP.TO), doorbells follow CAP.DSTRD, completions are
 * recognised by their phase tag, and CSTS.CFS ends a wait early.
 */
#include "drivers/nvme.h"
#include "drivers/nvme_regs.h"

#include <stdarg.h>

#include "kernel/bytes.h"
#include "kernel/console.h"
#include "kernel/io.h"
#include "kernel/pmm.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "kernel/vm.h"

/* The memory page size the driver uses for CC.MPS and PRPs: 4 KiB, CC.MPS 0 */
#define MPS_SHIFT 12
#define MPS_SIZE  (1ull << MPS_SHIFT)

/* Queue sizes: one command is outstanding at a time, so a few entries do. */
#define ADMIN_ENTRIES 16
#define IO_ENTRIES    16
#define IO_QID        1

/* NVMe 1.0 has no active namespace list: the NSIDs tried instead */
#define NSID_SCAN_MAX 1024

/* No bound in the specification: long enough for a slow real controller. */
#define COMMAND_TIMEOUT_US 2000000

/* Layout of nvme.mem, one page each */
enum { MEM_ASQ, MEM_ACQ, MEM_IOSQ, MEM_IOCQ, MEM_IDENTIFY, MEM_PAGES };

_Static_assert(ADMIN_ENTRIES * sizeof(struct nvme_sqe) <= PAGE_SIZE, "admin SQ fits a page");
_Static_assert(IO_ENTRIES * sizeof(struct nvme_sqe) <= PAGE_SIZE, "I/O SQ fits a page");

static const char *const error_names[] = {
	[0] = "no error",
	[NVME_EARG] = "bad arguments or no I/O queue",
	[NVME_ETIMEOUT] = "no completion within the command timeout",
	[NVME_ESTATUS] = "completed with an error status",
	[NVME_EFATAL] = "controller fatal status (CSTS.CFS=1) or controller gone",
	[NVME_EBROKEN] = "an earlier command failed; the controller needs a reset",
	[NVME_EPROTO] = "completion for a command that was not outstanding",
};

const char *nvme_strerror(int err)
{
	unsigned e = err < 0 ? -err : err;

	return e < sizeof(error_names) / sizeof(error_names[0]) ? error_names[e] : "unknown";
}

/* Register access. 64-bit properties as two dword accesses, low first, which
 * every controller and host bridge accepts. */
static uint32_t reg_read(const struct nvme *n, unsigned off)
{
	return mmio_read32(n->regs + off);
}

static void reg_write(const struct nvme *n, unsigned off, uint32_t v)
{
	mmio_write32(n->regs + off, v);
}

static uint64_t reg_read64(const struct nvme *n, unsigned off)
{
	uint64_t lo = reg_read(n, off);

	return lo | (uint64_t)reg_read(n, off + 4) << 32;
}

static void reg_write64(const struct nvme *n, unsigned off, uint64_t v)
{
	reg_write(n, off, (uint32_t)v);
	reg_write(n, off + 4, v >> 32);
}

/* Queue entries must be in memory before the doorbell write that hands them
 * over; x86 keeps stores in order, so only the compiler needs telling. */
static inline void barrier(void)
{
	__asm__ volatile("" ::: "memory");
}

__attribute__((format(printf, 2, 3))) static int report(const struct nvme *n, const char *fmt, ...)
{
	char msg[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("# nvme " PCI_ADDR_FMT ": %s\n", PCI_ADDR_ARGS(&n->pci->addr), msg);
	return -1;
}

static unsigned ready_ms(const struct nvme *n)
{
	return n->ready_us / 1000;
}

/* --- waits --- */

struct ready_wait {
	const struct nvme *n;
	uint32_t want; /* CSTS_RDY or 0 */
};

static bool csts_ready_is(void *arg)
{
	struct ready_wait *w = arg;
	uint32_t csts = reg_read(w->n, NVME_CSTS);

	if (csts == CSTS_ABSENT || (w->want && csts & CSTS_CFS))
		return true;
	return (csts & CSTS_RDY) == w->want;
}

/* Waits, within CAP.TO, for CSTS.RDY to read `ready`. Returns 0, -NVME_EFATAL, or
 * -NVME_ETIMEOUT. */
static int wait_ready(const struct nvme *n, bool ready)
{
	struct ready_wait w = { n, ready ? CSTS_RDY : 0 };
	bool done = wait_until(csts_ready_is, &w, n->ready_us);
	uint32_t csts = reg_read(n, NVME_CSTS);

	if (csts == CSTS_ABSENT || (ready && csts & CSTS_CFS))
		return -NVME_EFATAL;
	return done && (csts & CSTS_RDY) == w.want ? 0 : -NVME_ETIMEOUT;
}

struct cq_wait {
	const struct nvme *n;
	const struct nvme_queue *cq;
};

static volatile struct nvme_cqe *cq_head(const struct nvme_queue *cq)
{
	return (volatile struct nvme_cqe *)cq->entries + cq->pos;
}

/* An entry is new when its Phase Tag is this pass's value: 1 on the first pass
 * over the zeroed queue, inverted at each wrap (NVMe Base 2.0, 4.2). A fatal
 * controller ends the wait too. */
static bool cqe_posted(void *arg)
{
	struct cq_wait *w = arg;
	uint32_t csts;

	if (CQE_PHASE(cq_head(w->cq)->dw3) == w->cq->phase)
		return true;
	csts = reg_read(w->n, NVME_CSTS);
	return csts == CSTS_ABSENT || csts & CSTS_CFS;
}

/* --- commands --- */

/*
 * Submits one command on q and polls its completion queue for it. Returns 0 or a
 * negated enum nvme_error; *status is the completion's status field, or
 * NVME_STATUS_TIMEOUT. A command that got no completion may still be executing,
 * so the controller is marked broken: only the reset in nvme_close remains.
 */
static int submit_wait(struct nvme *n, struct nvme_qpair *q, struct nvme_sqe *cmd, uint32_t *status)
{
	struct cq_wait w = { n, &q->cq };
	struct nvme_sqe *slot = (struct nvme_sqe *)q->sq.entries + q->sq.pos;
	uint16_t cid = n->cid++;
	volatile struct nvme_cqe *head;
	struct nvme_cqe e;

	*status = NVME_STATUS_TIMEOUT;
	if (n->broken)
		return -NVME_EBROKEN;
	cmd->cdw0 |= SQE_CID(cid);
	*slot = *cmd;
	q->sq.pos = (q->sq.pos + 1) % q->sq.size;
	barrier();
	mmio_write32(q->sq.doorbell, q->sq.pos);

	if (!wait_until(cqe_posted, &w, COMMAND_TIMEOUT_US) ||
	    CQE_PHASE(cq_head(&q->cq)->dw3) != q->cq.phase) {
		uint32_t csts = reg_read(n, NVME_CSTS);
		n->broken = true;
		return csts == CSTS_ABSENT || csts & CSTS_CFS ? -NVME_EFATAL : -NVME_ETIMEOUT;
	}
	barrier();
	head = cq_head(&q->cq);
	e = (struct nvme_cqe){ head->dw0, head->dw1, head->dw2, head->dw3 };
	if (++q->cq.pos == q->cq.size) {
		q->cq.pos = 0;
		q->cq.phase ^= 1;
	}
	mmio_write32(q->cq.doorbell, q->cq.pos);
	if (CQE_CID(&e) != cid || CQE_SQID(&e) != q->id) {
		n->broken = true;
		return -NVME_EPROTO;
	}
	*status = CQE_STATUS(&e);
	return *status ? -NVME_ESTATUS : 0;
}

/* An admin command whose failure is reported here, naming `what`. */
static int admin(struct nvme *n, struct nvme_sqe *cmd, const char *what)
{
	uint32_t status;
	int err = submit_wait(n, &n->admin, cmd, &status);

	if (err == -NVME_ESTATUS)
		return report(n, "%s: status %#x (SCT %u, SC %#x)", what, status,
			      NVME_STATUS_SCT(status), NVME_STATUS_SC(status));
	if (err == -NVME_ETIMEOUT)
		return report(n, "%s: no completion within %u ms", what, COMMAND_TIMEOUT_US / 1000);
	if (err)
		return report(n, "%s: %s", what, nvme_strerror(err));
	return 0;
}

/* Identify into the identify page, cleared first so stale data cannot pass. */
static int identify(struct nvme *n, uint8_t cns, uint32_t nsid, const char *what)
{
	struct nvme_sqe c = {
		.cdw0 = OPC_IDENTIFY,
		.nsid = nsid,
		.prp1 = n->mem.phys + MEM_IDENTIFY * PAGE_SIZE,
		.cdw10 = cns,
	};

	memset(n->identify, 0, ID_SIZE);
	return admin(n, &c, what);
}

/* --- bring-up steps; each reports its own failure --- */

static const struct pci_dev *find_nvme(unsigned index)
{
	for (unsigned i = 0; i < pci_count(); i++) {
		const struct pci_dev *d = pci_device(i);
		if (d->class == NVME_CLASS && d->subclass == NVME_SUBCLASS &&
		    d->prog_if == NVME_PROG_IF && !index--)
			return d;
	}
	return NULL;
}

/* CC.EN bounds every CSTS.RDY transition by CAP.TO, or by CRTO.CRWMT when the
 * controller supports Controller Ready With Media and CAP.TO saturated. */
static uint64_t ready_timeout_us(const struct nvme *n, uint64_t cap)
{
	uint64_t units = CAP_TO(cap) ? CAP_TO(cap) : 1;

	if (cap & CAP_CRWMS && CRTO_CRWMT(reg_read(n, NVME_CRTO)) > units)
		units = CRTO_CRWMT(reg_read(n, NVME_CRTO));
	return units * CAP_TO_UNIT_MS * 1000;
}

static int map_registers(struct nvme *n)
{
	const struct pci_bar *bar = &n->pci->bar[0];
	uint64_t cap, need;

	if ((bar->kind != PCI_BAR_MEM32 && bar->kind != PCI_BAR_MEM64) || !bar->base)
		return report(n, "BAR0 is not an assigned memory BAR");
	if (bar->size < NVME_DOORBELLS)
		return report(n, "BAR0 is %#llx bytes, smaller than the registers",
			      (unsigned long long)bar->size);
	n->regs = (volatile uint8_t *)mmio_map(bar->base, NVME_DOORBELLS);
	if (!n->regs)
		return report(n, "cannot map BAR0");
	pci_enable_memory(n->pci);
	cap = reg_read64(n, NVME_CAP);
	if (cap == UINT64_MAX)
		return report(n, "registers read as all ones");
	n->db_stride = 4u << CAP_DSTRD(cap);
	need = NVME_DOORBELLS + 4ull * n->db_stride; /* SQ/CQ doorbells of queues 0 and 1 */
	if (bar->size < need)
		return report(n, "BAR0 is %#llx bytes, too small for doorbell stride %u",
			      (unsigned long long)bar->size, n->db_stride);
	n->regs = (volatile uint8_t *)mmio_map(bar->base, need);
	if (!n->regs)
		return report(n, "cannot map BAR0");
	if (!(cap & CAP_CSS_NVM))
		return report(n, "CAP.CSS: the NVM command set is not supported");
	if (CAP_MPSMIN(cap) != 0) /* MPSMAX >= MPSMIN, so 4 KiB is allowed when this is 0 */
		return report(n, "CAP.MPSMIN: smallest memory page is %llu KiB; the driver uses 4",
			      4ull << CAP_MPSMIN(cap));
	if (CAP_MQES(cap) < 1)
		return report(n, "CAP.MQES is 0, below the minimum of 1");
	n->ready_us = ready_timeout_us(n, cap);
	n->admin.sq.size = n->admin.cq.size = ADMIN_ENTRIES;
	n->io.sq.size = n->io.cq.size =
		CAP_MQES(cap) + 1 < IO_ENTRIES ? CAP_MQES(cap) + 1 : IO_ENTRIES;
	return 0;
}

/* MSI-X goes on now: a completion queue may name a vector other than 0 only
 * when MSI-X (or multiple-message MSI) is in use (NVMe Base 2.0, 5.4, IV). Entry 0
 * (admin CQ, polled) and NVME_IO_VECTOR stay masked until the caller programs
 * what it wants; a completion meanwhile only sets their pending bits. */
static int open_msix(struct nvme *n)
{
	int err = pci_msix_open(&n->msix, n->pci);

	if (err) {
		n->msix.table = NULL;
		return report(n, "MSI-X: %s", pci_strerror(err));
	}
	if (n->msix.nvec <= NVME_IO_VECTOR)
		return report(n, "MSI-X has %u entries; the I/O queue needs entry %u", n->msix.nvec,
			      NVME_IO_VECTOR);
	pci_msix_mask(&n->msix, 0, true);
	pci_msix_mask(&n->msix, NVME_IO_VECTOR, true);
	pci_msix_enable(&n->msix, true);
	return 0;
}

static void queue_init(struct nvme *n, struct nvme_queue *q, unsigned page, unsigned doorbell)
{
	q->phys = n->mem.phys + page * PAGE_SIZE;
	q->entries = (uint8_t *)n->mem.virt + page * PAGE_SIZE;
	q->doorbell = (volatile uint32_t *)(n->regs + NVME_DOORBELLS + doorbell * n->db_stride);
	q->pos = 0;
	q->phase = 1; /* the controller posts phase 1 on its first pass (memory is zeroed) */
}

static int alloc_queues(struct nvme *n)
{
	if (dma_alloc(&n->mem, MEM_PAGES * PAGE_SIZE, 0, PMM_ANY_ADDRESS))
		return report(n, "out of memory for the queues");
	n->admin.id = 0;
	n->io.id = IO_QID;
	queue_init(n, &n->admin.sq, MEM_ASQ, 0);
	queue_init(n, &n->admin.cq, MEM_ACQ, 1);
	queue_init(n, &n->io.sq, MEM_IOSQ, 2 * IO_QID);
	queue_init(n, &n->io.cq, MEM_IOCQ, 2 * IO_QID + 1);
	n->identify = (uint8_t *)n->mem.virt + MEM_IDENTIFY * PAGE_SIZE;
	return 0;
}

/*
 * Resets the controller: CC.EN=0, then CSTS.RDY=0 within CAP.TO. Turning EN off
 * while RDY is still 0 after turning it on is undefined (3.1.3.5), so a
 * controller firmware left enabling finishes first, unless it already failed us.
 */
static int disable(struct nvme *n)
{
	uint32_t cc = reg_read(n, NVME_CC);

	if (reg_read(n, NVME_CSTS) == CSTS_ABSENT)
		return -NVME_EFATAL;
	if (cc & CC_EN) {
		if (!n->broken && !(reg_read(n, NVME_CSTS) & CSTS_RDY))
			wait_ready(n, true);
		reg_write(n, NVME_CC, cc & ~(CC_EN | CC_SHN));
	}
	n->enabled = false;
	return wait_ready(n, false);
}

static int disable_failed(const struct nvme *n, int err)
{
	if (err == -NVME_EFATAL)
		return report(n, "registers read as all ones");
	return report(n, "CSTS.RDY did not become 0 within CAP.TO (%u ms)", ready_ms(n));
}

/* Memory-based controller initialization (NVMe Base 2.0, 3.5.1), steps 1 to 6. */
static int enable(struct nvme *n)
{
	uint32_t cc = CC_CSS_NVM | CC_MPS(MPS_SHIFT) | CC_AMS_RR | CC_IOSQES(SQE_LOG2) |
		      CC_IOCQES(CQE_LOG2);
	int err = disable(n);

	if (err)
		return disable_failed(n, err);
	pci_command(n->pci, PCI_COMMAND_MASTER | PCI_COMMAND_INTX_DISABLE, 0);
	reg_write(n, NVME_AQA, AQA(n->admin.sq.size, n->admin.cq.size));
	reg_write64(n, NVME_ASQ, n->admin.sq.phys);
	reg_write64(n, NVME_ACQ, n->admin.cq.phys);
	reg_write(n, NVME_CC, cc);
	reg_write(n, NVME_CC, cc | CC_EN);
	n->enabled = true;
	err = wait_ready(n, true);
	if (err)
		n->broken = true;
	if (err == -NVME_EFATAL)
		return report(n, "controller fatal status (CSTS %#x) while enabling",
			      reg_read(n, NVME_CSTS));
	if (err)
		return report(n, "CSTS.RDY did not become 1 within CAP.TO (%u ms)", ready_ms(n));
	return 0;
}

static int identify_controller(struct nvme *n)
{
	uint8_t sqes, cqes;

	if (identify(n, CNS_CONTROLLER, 0, "Identify Controller"))
		return -1;
	sqes = n->identify[IDC_SQES];
	cqes = n->identify[IDC_CQES];
	if ((sqes & 0xf) > SQE_LOG2 || sqes >> 4 < SQE_LOG2 || (cqes & 0xf) > CQE_LOG2 ||
	    cqes >> 4 < CQE_LOG2)
		return report(n,
			      "Identify Controller: SQES %#x, CQES %#x exclude 64/16-byte entries",
			      sqes, cqes);
	return 0;
}

/* The first active namespace: from the active list (NVMe 1.1 and later), else
 * the first NSID whose Identify Namespace reports a size. */
static int find_namespace(struct nvme *n)
{
	uint32_t nn = rd32(n->identify + IDC_NN);

	if (reg_read(n, NVME_VS) >= VS_1_1) {
		if (identify(n, CNS_ACTIVE_NSID_LIST, 0, "Identify Active Namespace ID list"))
			return -1;
		n->nsid = rd32(n->identify);
	} else {
		for (uint32_t id = 1; id <= nn && id <= NSID_SCAN_MAX && !n->nsid; id++) {
			if (identify(n, CNS_NAMESPACE, id, "Identify Namespace"))
				return -1;
			if (rd64(n->identify + IDNS_NSZE))
				n->nsid = id;
		}
	}
	if (!n->nsid)
		return report(n, "no active namespace (NN %u)", nn);
	return 0;
}

static int identify_namespace(struct nvme *n)
{
	uint8_t nlbaf, flbas, fmt, lbads;
	uint16_t ms;
	const uint8_t *lbaf;

	if (identify(n, CNS_NAMESPACE, n->nsid, "Identify Namespace"))
		return -1;
	n->nlba = rd64(n->identify + IDNS_NSZE);
	nlbaf = n->identify[IDNS_NLBAF];
	flbas = n->identify[IDNS_FLBAS];
	fmt = (flbas & 0xf) | (nlbaf >= 16 ? (flbas >> 5 & 3) << 4 : 0);
	if (fmt > nlbaf)
		return report(n, "namespace %u: FLBAS selects format %u of %u", n->nsid, fmt,
			      nlbaf + 1);
	lbaf = n->identify + IDNS_LBAF + 4 * fmt;
	ms = rd16(lbaf);
	lbads = lbaf[2];
	/* Metadata would either widen each block or go to MPTR, which stays 0. */
	if (ms)
		return report(n,
			      "namespace %u: %u metadata bytes per block; only formats without "
			      "metadata are read",
			      n->nsid, ms);
	if (lbads < LBADS_MIN || lbads > 31 || !n->nlba)
		return report(n, "namespace %u: LBADS %u, NSZE %llu: not usable", n->nsid, lbads,
			      (unsigned long long)n->nlba);
	n->lba_size = 1u << lbads;
	return 0;
}

/* The completion queue first, since the submission queue names it (3.3.1.1). */
static int create_io_queues(struct nvme *n)
{
	struct nvme_sqe cq = {
		.cdw0 = OPC_CREATE_IO_CQ,
		.prp1 = n->io.cq.phys,
		.cdw10 = CREATE_QID_QSIZE(n->io.id, n->io.cq.size),
		.cdw11 = CREATE_PC | CREATE_CQ_IEN | CREATE_CQ_IV(NVME_IO_VECTOR),
	};
	struct nvme_sqe sq = {
		.cdw0 = OPC_CREATE_IO_SQ,
		.prp1 = n->io.sq.phys,
		.cdw10 = CREATE_QID_QSIZE(n->io.id, n->io.sq.size),
		.cdw11 = CREATE_PC | CREATE_SQ_CQID(n->io.id), /* QPRIO 0: unused by round robin */
	};

	if (admin(n, &cq, "Create I/O Completion Queue"))
		return -1;
	n->io_cq = true;
	if (admin(n, &sq, "Create I/O Submission Queue"))
		return -1;
	n->io_sq = true;
	return 0;
}

int nvme_open(struct nvme *n, unsigned index)
{
	memset(n, 0, sizeof(*n));
	n->pci = find_nvme(index);
	if (!n->pci)
		return -1;
	if (map_registers(n) || open_msix(n) || alloc_queues(n) || enable(n) ||
	    identify_controller(n) || find_namespace(n) || identify_namespace(n) ||
	    create_io_queues(n)) {
		nvme_close(n);
		return -1;
	}
	return 0;
}

/* PRP Entry 1 may start anywhere dword aligned in a page; PRP Entry 2 is the
 * next page when the transfer crosses into it (NVMe Base 2.0, 4.3.1). */
int nvme_read(struct nvme *n, uint64_t lba, unsigned count, uint64_t dev_addr, uint32_t *status)
{
	uint64_t off = dev_addr & (MPS_SIZE - 1);
	uint64_t len = (uint64_t)count * n->lba_size;
	uint32_t st = NVME_STATUS_NOT_SENT;
	int err = -NVME_EARG;

	if (n->io_sq && count && count <= READ_NLB_MAX && lba < n->nlba && count <= n->nlba - lba &&
	    !(dev_addr & 3) && off + len <= 2 * MPS_SIZE && dev_addr <= UINT64_MAX - 2 * MPS_SIZE) {
		struct nvme_sqe c = {
			.cdw0 = OPC_READ,
			.nsid = n->nsid,
			.prp1 = dev_addr,
			.prp2 = off + len > MPS_SIZE ? dev_addr - off + MPS_SIZE : 0,
			.cdw10 = (uint32_t)lba, /* Starting LBA */
			.cdw11 = lba >> 32,
			.cdw12 = count - 1, /* NLB, 0's based; no FUA, no protection info */
		};
		err = submit_wait(n, &n->io, &c, &st);
	}
	if (status)
		*status = st;
	return err;
}

/* The queues go before the reset that would drop them anyway, as the
 * specification's shutdown sequence has it (NVMe Base 2.0, 3.6); a broken
 * controller gets the reset alone. */
void nvme_close(struct nvme *n)
{
	struct nvme_sqe del_sq = { .cdw0 = OPC_DELETE_IO_SQ, .cdw10 = n->io.id };
	struct nvme_sqe del_cq = { .cdw0 = OPC_DELETE_IO_CQ, .cdw10 = n->io.id };
	int err;

	if (!n->pci)
		return;
	if (n->io_sq && !n->broken)
		admin(n, &del_sq, "Delete I/O Submission Queue");
	if (n->io_cq && !n->broken)
		admin(n, &del_cq, "Delete I/O Completion Queue");
	if (n->enabled && (err = disable(n)))
		disable_failed(n, err);
	if (n->msix.table)
		pci_msix_enable(&n->msix, false);
	if (n->regs)
		pci_command(n->pci, 0, PCI_COMMAND_MASTER);
	if (n->mem.region)
		dma_free(&n->mem);
	memset(n, 0, sizeof(*n));
}

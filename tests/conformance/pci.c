/*
 * PCI platform checks: that probing devices leaves them as firmware set them
 * up, and that a device's message-signalled interrupts (MSI, MSI-X), as the
 * harness's helpers program them, reach this CPU with their vector (every
 * interrupt-remapping test builds on that path).
 */
#include "drivers/edu.h"
#include "drivers/nvme.h"
#include "kernel/apic.h"
#include "kernel/console.h"
#include "kernel/dma.h"
#include "kernel/pci.h"
#include "kernel/pci_internal.h"
#include "kernel/pmm.h"
#include "kernel/string.h"
#include "kernel/test.h"
#include "tests/conformance/irq_catch.h"
#include "tests/conformance/runner_image.h"
#include "vtd/irte.h"

#define SPEC_MSI                                                                                   \
	"PCI Local Bus 3.0 6.8.1 MSI Capability Structure; "                                      \
	"Intel SDM Vol. 3 11.11 Message Signalled Interrupts"

/* Compatibility-format MSIs (vtd_msi_compat: SDM 11.11.1, 11.11.2) carry an
 * 8-bit physical destination. */
#define MSI_DEST_MAX 0xff

#define SPEC_MSIX                                                                                  \
	"PCI Local Bus 3.0 6.8.2 MSI-X Capability and Table Structure; "                          \
	"NVMe Base 2.0 5.4 Create I/O Completion Queue (IEN, IV); "                               \
	"Intel SDM Vol. 3 11.11 Message Signalled Interrupts"

#define MSI_WAIT_US 1000000

#define READ_BYTES 4096
#define POISON 0xa5

static void pci_msi_delivered(void)
{
	struct edu e;

	if (edu_open(&e, 0))
		skip("no working edu device (QEMU: -device edu)");
	if (!pci_find_cap(e.pci, PCI_CAP_MSI))
		skip("the edu device has no MSI capability");
	if (apic_id() > MSI_DEST_MAX)
		skip("APIC id %u is beyond a compatibility-format MSI's 8-bit destination",
		     apic_id());
	uint8_t vector = irq_catch_one();

	int err = pci_msi_enable(e.pci, vtd_msi_compat((uint8_t)apic_id(), vector).addr, vector);
	check(!err, "programming MSI failed: %s", pci_strerror(err));
	edu_raise(&e, EDU_IRQ_TEST);
	irq_expect_one(vector, MSI_WAIT_US, "the MSI for one raise");
	check_eq(edu_irq_status(&e) & EDU_IRQ_TEST, EDU_IRQ_TEST, "edu interrupt status");

	edu_ack(&e, EDU_IRQ_TEST);
	pci_msi_disable(e.pci);
	irq_catch_release();
}

static bool all_bytes(const uint8_t *p, size_t n, uint8_t v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

/* On the runner's image (recognised by its tag, so a read of the wrong blocks
 * still counts) the data must be the pattern from offset 0; on other disks only
 * "something arrived" can be checked. */
static void check_read_data(const uint8_t *data)
{
	const uint64_t *w = (const uint64_t *)data;

	check(!all_bytes(data, READ_BYTES, POISON), "the buffer still holds only poison %#x",
	      POISON);
	if ((w[0] & RUNNER_IMAGE_TAG_MASK) != RUNNER_IMAGE_TAG) {
		test_note("LBA 0 does not hold the runner's pattern (%#llx): data not compared",
			  (unsigned long long)w[0]);
		return;
	}
	for (unsigned i = 0; i < READ_BYTES / 8; i++) {
		if (w[i] != RUNNER_IMAGE_WORD(i * 8)) {
			check_eq(w[i], RUNNER_IMAGE_WORD(i * 8), "image word read at that offset");
			test_note("first difference at byte %u of the read", i * 8);
			return;
		}
	}
}

/* Programs entry NVME_IO_VECTOR for `vector`, reads into buf and checks the
 * completion, the interrupt and the data. */
static void read_with_msix(struct nvme *n, struct dma_buf *buf, uint8_t vector)
{
	unsigned count = READ_BYTES / n->lba_size;
	uint32_t status;
	uint64_t bad = 0;
	int err = pci_msix_program(&n->msix, NVME_IO_VECTOR,
				   vtd_msi_compat((uint8_t)apic_id(), vector).addr, vector);

	if (!err)
		err = pci_msix_mask(&n->msix, NVME_IO_VECTOR, false);
	check(!err, "programming MSI-X entry %u failed: %s", NVME_IO_VECTOR, pci_strerror(err));
	pci_msix_function_mask(&n->msix, false);
	pci_msix_enable(&n->msix, true);
	memset(buf->virt, POISON, READ_BYTES);

	err = nvme_read(n, 0, count, buf->phys, &status);
	check(!err, "reading LBA 0-%u failed: %s", count - 1, nvme_strerror(err));
	check_eq(status, 0, "completion status field (SCT/SC)");
	irq_expect_one(vector, MSI_WAIT_US, "the MSI-X for one completion");
	if (!err)
		check_read_data(buf->virt);
	check(dma_canaries_intact(buf, &bad), "the read wrote beside the buffer, at %#llx",
	      (unsigned long long)bad);
}

/* An NVMe read completion raises the I/O completion queue's MSI-X entry,
 * programmed in compatibility format, exactly once and with its vector. */
static void pci_msix_delivered(void)
{
	struct dma_buf buf;
	struct nvme n;

	if (apic_id() > MSI_DEST_MAX)
		skip("APIC id %u is beyond a compatibility-format MSI's 8-bit destination",
		     apic_id());
	if (nvme_open(&n, 0))
		skip("no working NVMe controller (QEMU: -device nvme)");
	if (n.lba_size > READ_BYTES) {
		nvme_close(&n);
		skip("namespace %u has %u-byte blocks, more than the %u bytes read", n.nsid,
		     n.lba_size, READ_BYTES);
	}
	if (dma_alloc(&buf, READ_BYTES, 1, PMM_ANY_ADDRESS)) {
		nvme_close(&n);
		skip("out of memory for a DMA buffer");
	}
	uint8_t vector = irq_catch_one();

	read_with_msix(&n, &buf, vector);

	nvme_close(&n);
	irq_catch_release();
	dma_free(&buf);
}

/* The registers BAR sizing writes: COMMAND and the BARs of the header type. */
static void snapshot(const struct pci_dev *d, uint32_t *regs, unsigned n)
{
	regs[0] = pci_read16(&d->addr, PCI_COMMAND);
	for (unsigned i = 1; i < n; i++)
		regs[i] = pci_read32(&d->addr, PCI_BAR0 + 4 * (i - 1));
}

/* Sizing a live device's BARs must leave it decoding exactly as firmware set it
 * up, or the harness would break the machine it runs on. */
static void pci_bar_sizing_restores(void)
{
	for (unsigned i = 0; i < pci_count(); i++) {
		const struct pci_dev *d = pci_device(i);
		uint32_t before[1 + PCI_MAX_BARS], after[1 + PCI_MAX_BARS];
		unsigned n = 1 + d->nbars;
		struct pci_dev copy = *d;

		snapshot(d, before, n);
		pci_decode_bars(&copy);
		snapshot(d, after, n);
		for (unsigned r = 0; r < n; r++) {
			char what[16] = "COMMAND";
			if (r)
				snprintf(what, sizeof(what), "BAR%u", r - 1);
			check(before[r] == after[r],
			      PCI_ADDR_FMT " %s: expected %#x after sizing, seen %#x",
			      PCI_ADDR_ARGS(&d->addr), what, before[r], after[r]);
		}
	}
}

static const struct test pci_tests[] = {
	{
		.name = "pci.bar_sizing_restores",
		.run = pci_bar_sizing_restores,
		.confirms = "sizing every function's BARs leaves COMMAND and the BARs as found",
		.spec = "PCI Local Bus 3.0 6.2.5.1 Address Maps",
	},
	{
		.name = "pci.msi_delivered",
		.run = pci_msi_delivered,
		.confirms = "a compatibility-format MSI from a device arrives once, with its vector",
		.spec = SPEC_MSI,
	},
	{
		.name = "pci.msix_delivered",
		.run = pci_msix_delivered,
		.confirms = "a compatibility-format MSI-X message from an NVMe completion arrives "
			    "once, with its vector",
		.spec = SPEC_MSIX,
	},
};

TEST_SUITE(pci_suite, "pci", pci_tests);

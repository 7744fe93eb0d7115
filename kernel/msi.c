/*
 * MSI and MSI-X: placing caller-composed message addresses and data in a
 * function's capability (MSI) or table (MSI-X), masking, and pending bits.
 * QEMU: -device edu has MSI, -device nvme has MSI-X.
 */
#include "kernel/io.h"
#include "kernel/pci.h"
#include "kernel/vm.h"

/* MSI Capability Structure (PCI Local Bus Spec 3.0, 6.8.1; PCI Express Base Spec, 7.7.1) */
#define MSI_CTRL 0x02			/* Message Control */
#define MSI_CTRL_ENABLE (1u << 0)	/* MSI Enable */
#define MSI_CTRL_MME (7u << 4)		/* Multiple Message Enable, 6:4; 0 = one vector */
#define MSI_CTRL_64BIT (1u << 7)	/* 64 bit address capable */
#define MSI_CTRL_PVM (1u << 8)		/* Per-vector masking capable */
#define MSI_CTRL_EXT_DATA_EN (1u << 10) /* Extended Message Data Enable (PCIe 4.0 and later) */
#define MSI_ADDR_LO 0x04		/* Message Address; 1:0 must be written as 0 */
#define MSI_ADDR_HI 0x08		/* Message Upper Address, 64-bit layout only */
#define MSI_DATA_32 0x08		/* Message Data */
#define MSI_DATA_64 0x0c
#define MSI_MASK_32 0x0c /* Mask Bits, with per-vector masking only */
#define MSI_MASK_64 0x10
#define MSI_PENDING_32 0x10 /* Pending Bits, with per-vector masking only */
#define MSI_PENDING_64 0x14

/* MSI-X Capability and Table Structure (PCI Express Base Spec, 7.7.2) */
#define MSIX_CTRL 0x02			   /* Message Control */
#define MSIX_CTRL_TABLE_SIZE 0x7ffu	   /* Table Size, 10:0, N - 1 */
#define MSIX_CTRL_FUNCTION_MASK (1u << 14) /* Function Mask */
#define MSIX_CTRL_ENABLE (1u << 15)	   /* MSI-X Enable */
#define MSIX_TABLE 0x04			   /* Table Offset 31:3 / Table BIR 2:0 */
#define MSIX_PBA 0x08			   /* PBA Offset 31:3 / PBA BIR 2:0 */
#define MSIX_BIR 7u
#define MSIX_ENTRY_SIZE 16
#define MSIX_ENTRY_ADDR_LO 0x0 /* Message Address; 1:0 must be written as 0 */
#define MSIX_ENTRY_ADDR_HI 0x4 /* Message Upper Address */
#define MSIX_ENTRY_DATA 0x8    /* Message Data */
#define MSIX_ENTRY_CTRL 0xc    /* Vector Control; 31:1 reserved, preserved on writes */
#define MSIX_ENTRY_CTRL_MASK (1u << 0)

/* MSI */

struct msi {
	const struct pci_addr *a;
	uint16_t cap, ctrl;
	uint16_t data, mask, pending; /* register offsets, by address width */
};

static int msi_locate(const struct pci_dev *d, struct msi *m)
{
	bool is64;

	m->a = &d->addr;
	m->cap = pci_find_cap(d, PCI_CAP_MSI);
	if (!m->cap)
		return -PCI_ENOCAP;
	m->ctrl = pci_read16(m->a, m->cap + MSI_CTRL);
	is64 = m->ctrl & MSI_CTRL_64BIT;
	m->data = m->cap + (is64 ? MSI_DATA_64 : MSI_DATA_32);
	m->mask = m->cap + (is64 ? MSI_MASK_64 : MSI_MASK_32);
	m->pending = m->cap + (is64 ? MSI_PENDING_64 : MSI_PENDING_32);
	return 0;
}

/*
 * Programs the message with MSI off, then turns it on for one vector (Multiple
 * Message Enable 0) with vector 0 unmasked. Extended Message Data is turned off
 * so that data is the whole message data.
 */
int pci_msi_enable(const struct pci_dev *d, uint64_t addr, uint16_t data)
{
	struct msi m;
	uint16_t ctrl;
	int err = msi_locate(d, &m);

	if (err)
		return err;
	if (addr & 3 || (addr >> 32 && !(m.ctrl & MSI_CTRL_64BIT)))
		return -PCI_ERANGE;
	ctrl = m.ctrl & ~(MSI_CTRL_ENABLE | MSI_CTRL_MME | MSI_CTRL_EXT_DATA_EN);
	pci_write16(m.a, m.cap + MSI_CTRL, ctrl);
	pci_write32(m.a, m.cap + MSI_ADDR_LO, addr);
	if (m.ctrl & MSI_CTRL_64BIT)
		pci_write32(m.a, m.cap + MSI_ADDR_HI, addr >> 32);
	pci_write16(m.a, m.data, data);
	if (m.ctrl & MSI_CTRL_PVM)
		pci_write32(m.a, m.mask, pci_read32(m.a, m.mask) & ~1u);
	pci_write16(m.a, m.cap + MSI_CTRL, ctrl | MSI_CTRL_ENABLE);
	return 0;
}

int pci_msi_disable(const struct pci_dev *d)
{
	struct msi m;
	int err = msi_locate(d, &m);

	if (err)
		return err;
	pci_write16(m.a, m.cap + MSI_CTRL, m.ctrl & ~MSI_CTRL_ENABLE);
	return 0;
}

int pci_msi_mask(const struct pci_dev *d, bool masked)
{
	struct msi m;
	uint32_t bits;
	int err = msi_locate(d, &m);

	if (err)
		return err;
	if (!(m.ctrl & MSI_CTRL_PVM))
		return -PCI_ENOTSUP;
	bits = pci_read32(m.a, m.mask);
	pci_write32(m.a, m.mask, masked ? bits | 1u : bits & ~1u);
	return 0;
}

int pci_msi_pending(const struct pci_dev *d)
{
	struct msi m;
	int err = msi_locate(d, &m);

	if (err)
		return err;
	if (!(m.ctrl & MSI_CTRL_PVM))
		return -PCI_ENOTSUP;
	return pci_read32(m.a, m.pending) & 1u;
}

/* MSI-X */

/* Maps len bytes of the structure that the Offset/BIR register reg points at. */
static int msix_map(const struct pci_dev *d, uint16_t reg, uint64_t len, volatile uint8_t **out)
{
	uint32_t v = pci_read32(&d->addr, reg);
	uint32_t off = v & ~MSIX_BIR;
	const struct pci_bar *b;
	volatile void *p;

	if ((v & MSIX_BIR) >= d->nbars)
		return -PCI_EBAR;
	b = &d->bar[v & MSIX_BIR];
	if ((b->kind != PCI_BAR_MEM32 && b->kind != PCI_BAR_MEM64) || !b->base ||
	    off + len > b->size)
		return -PCI_EBAR;
	p = mmio_map(b->base + off, len);
	if (!p)
		return -PCI_ENOMAP;
	*out = p;
	return 0;
}

int pci_msix_open(struct pci_msix *x, const struct pci_dev *d)
{
	int err;

	x->dev = d;
	x->cap = pci_find_cap(d, PCI_CAP_MSIX);
	if (!x->cap)
		return -PCI_ENOCAP;
	x->nvec = (pci_read16(&d->addr, x->cap + MSIX_CTRL) & MSIX_CTRL_TABLE_SIZE) + 1;
	err = msix_map(d, x->cap + MSIX_TABLE, (uint64_t)x->nvec * MSIX_ENTRY_SIZE, &x->table);
	if (err)
		return err;
	/* one pending bit per entry, in qwords */
	return msix_map(d, x->cap + MSIX_PBA, (x->nvec + 63u) / 64 * 8, &x->pba);
}

/* Address and data of an unmasked entry must not change (PCI Express Base Spec,
 * 6.1.4.5), so the entry is masked first. */
int pci_msix_program(const struct pci_msix *x, unsigned i, uint64_t addr, uint32_t data)
{
	volatile uint8_t *e = x->table + (uint64_t)i * MSIX_ENTRY_SIZE;
	int err = addr & 3 ? -PCI_ERANGE : pci_msix_mask(x, i, true);

	if (err)
		return err;
	mmio_write32(e + MSIX_ENTRY_ADDR_LO, addr);
	mmio_write32(e + MSIX_ENTRY_ADDR_HI, addr >> 32);
	mmio_write32(e + MSIX_ENTRY_DATA, data);
	return 0;
}

int pci_msix_mask(const struct pci_msix *x, unsigned i, bool masked)
{
	volatile uint8_t *ctl = x->table + (uint64_t)i * MSIX_ENTRY_SIZE + MSIX_ENTRY_CTRL;
	uint32_t v;

	if (i >= x->nvec)
		return -PCI_ERANGE;
	v = mmio_read32(ctl);
	mmio_write32(ctl, masked ? v | MSIX_ENTRY_CTRL_MASK : v & ~MSIX_ENTRY_CTRL_MASK);
	(void)mmio_read32(ctl); /* the write is posted; make it land before returning */
	return 0;
}

int pci_msix_pending(const struct pci_msix *x, unsigned i)
{
	if (i >= x->nvec)
		return -PCI_ERANGE;
	return mmio_read32(x->pba + i / 32 * 4) >> (i % 32) & 1u;
}

static void msix_ctrl(const struct pci_msix *x, uint16_t bit, bool on)
{
	const struct pci_addr *a = &x->dev->addr;
	uint16_t v = pci_read16(a, x->cap + MSIX_CTRL);

	pci_write16(a, x->cap + MSIX_CTRL, on ? v | bit : v & ~bit);
}

void pci_msix_enable(const struct pci_msix *x, bool enable)
{
	msix_ctrl(x, MSIX_CTRL_ENABLE, enable);
}

void pci_msix_function_mask(const struct pci_msix *x, bool masked)
{
	msix_ctrl(x, MSIX_CTRL_FUNCTION_MASK, masked);
}

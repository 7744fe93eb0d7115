/*
 * What PCI knows of each function apart from the bus: its capability lists,
 * its Base Address Registers (decoded and sized) and the COMMAND register,
 * and the lspci-like listing.
 */
#include "kernel/console.h"
#include "kernel/pci.h"
#include "kernel/pci_internal.h"

/* Capability lists (PCI Local Bus Spec 3.0, 6.7; PCI Express Base Spec, 7.6.3):
 * a list longer than the dwords that fit has a loop. */
#define CAP_FIRST 0x40
#define CAP_MAX_HOPS ((PCI_CFG_SIZE - CAP_FIRST) / 4)
#define EXT_CAP_FIRST 0x100
#define EXT_CAP_MAX_HOPS ((PCI_EXT_CFG_SIZE - EXT_CAP_FIRST) / 4)
#define EXT_CAP_NEXT(hdr) (((hdr) >> 20) & ~3u) /* Next Capability Offset, 31:20 */

/* Base Address Registers (PCI Local Bus Spec 3.0, 6.2.5.1) */
#define BAR_IO (1u << 0)
#define BAR_IO_MASK (~3u)
#define BAR_MEM_TYPE(v) (((v) >> 1) & 3)
#define BAR_MEM_TYPE_32 0
#define BAR_MEM_TYPE_1M 1 /* PCI 2.x "below 1 MiB"; reserved since 3.0 */
#define BAR_MEM_TYPE_64 2
#define BAR_MEM_PREFETCH (1u << 3)
#define BAR_MEM_MASK (~0xfu)

/* Capabilities */

struct cap_walk {
	const struct pci_dev *d;
	bool ext;
	uint16_t off; /* the current capability; 0 before the first */
	unsigned hops;
};

/*
 * Steps to the next capability, setting *id. False at the end of the list, and
 * when the list leaves its space or has more entries than fit (a loop).
 * Extended capabilities exist only on PCI Express functions: a conventional
 * function may alias offset 0x100 onto its header.
 */
static bool cap_next(struct cap_walk *w, uint16_t *id)
{
	const struct pci_addr *a = &w->d->addr;
	uint16_t next;

	if (w->ext) {
		uint32_t hdr;

		if (w->off)
			next = EXT_CAP_NEXT(pci_read32(a, w->off));
		else if (w->d->pcie_cap)
			next = EXT_CAP_FIRST;
		else
			return false;
		if (next < EXT_CAP_FIRST || ++w->hops > EXT_CAP_MAX_HOPS)
			return false;
		hdr = pci_read32(a, next);
		if (hdr == 0 || hdr == ~0u)
			return false;
		*id = hdr & 0xffff;
	} else {
		if (w->off)
			next = pci_read8(a, w->off + 1);
		else if (w->d->header_type > PCI_HEADER_CARDBUS ||
			 !(pci_read16(a, PCI_STATUS) & PCI_STATUS_CAP_LIST))
			return false;
		else if (w->d->header_type == PCI_HEADER_CARDBUS)
			next = pci_read8(a, PCI_CARDBUS_CAP_PTR);
		else
			next = pci_read8(a, PCI_CAP_PTR);
		next &= ~3u;
		if (next < CAP_FIRST || ++w->hops > CAP_MAX_HOPS)
			return false;
		*id = pci_read8(a, next);
	}
	w->off = next;
	return true;
}

static uint16_t find_cap(const struct pci_dev *d, bool ext, uint16_t want)
{
	struct cap_walk w = { .d = d, .ext = ext };
	uint16_t id;

	while (cap_next(&w, &id))
		if (id == want)
			return w.off;
	return 0;
}

uint16_t pci_find_cap(const struct pci_dev *d, uint8_t id) { return find_cap(d, false, id); }
uint16_t pci_find_ext_cap(const struct pci_dev *d, uint16_t id) { return find_cap(d, true, id); }

uint16_t pci_command(const struct pci_dev *d, uint16_t set, uint16_t clear)
{
	uint16_t old = pci_read16(&d->addr, PCI_COMMAND);
	uint16_t new = (old | set) & ~clear;

	if (new != old)
		pci_write16(&d->addr, PCI_COMMAND, new);
	return old;
}

/* BARs */

/* Writes all ones to a BAR register and returns what sticks, restoring the value. */
static uint32_t bar_probe(const struct pci_addr *a, uint16_t off, uint32_t *value)
{
	uint32_t mask;

	*value = pci_read32(a, off);
	pci_write32(a, off, ~0u);
	mask = pci_read32(a, off);
	pci_write32(a, off, *value);
	return mask;
}

/* Decodes and sizes BAR i; returns the number of extra slots it used (1 for a 64-bit
 * BAR), or -1 when its type is invalid. */
static int bar_decode(struct pci_dev *d, unsigned i)
{
	struct pci_bar *b = &d->bar[i];
	uint16_t off = PCI_BAR0 + 4 * i;
	uint32_t lo, hi, lo_mask, hi_mask;
	uint64_t mask;
	int extra = 0;

	lo_mask = bar_probe(&d->addr, off, &lo);
	if (lo & BAR_IO) {
		mask = lo_mask & BAR_IO_MASK; /* upper 16 bits may be hardwired to 0 */
		b->kind = PCI_BAR_IO;
		b->base = lo & BAR_IO_MASK;
	} else {
		switch (BAR_MEM_TYPE(lo)) {
		case BAR_MEM_TYPE_32:
		case BAR_MEM_TYPE_1M:
			b->kind = PCI_BAR_MEM32;
			break;
		case BAR_MEM_TYPE_64:
			if (i + 1 >= d->nbars)
				return -1;
			b->kind = PCI_BAR_MEM64;
			extra = 1;
			break;
		default:
			return -1;
		}
		mask = lo_mask & BAR_MEM_MASK;
		b->base = lo & BAR_MEM_MASK;
		if (extra) {
			hi_mask = bar_probe(&d->addr, off + 4, &hi);
			mask |= (uint64_t)hi_mask << 32;
			b->base |= (uint64_t)hi << 32;
		}
		b->prefetchable = lo & BAR_MEM_PREFETCH;
	}
	/* The lowest writable address bit is the size (its alignment). */
	b->size = mask & -mask;
	if (!b->size)
		*b = (struct pci_bar){ .kind = PCI_BAR_NONE };
	return extra;
}

/*
 * Sizes the BARs the standard way (PCI Local Bus Spec 3.0, 6.2.5.1) with I/O and
 * memory decode off, so that a BAR holding all ones claims no addresses, then
 * restores the COMMAND register: every device is left as it was found. Host
 * bridges keep decoding, as in Linux (quirk_mmio_always_on): on some, turning
 * it off cuts the CPU from resources decoded through them. Nothing is printed
 * while decode is off: the console itself may sit behind one of these BARs.
 */
void pci_decode_bars(struct pci_dev *d)
{
	const uint16_t decode = PCI_COMMAND_IO | PCI_COMMAND_MEMORY;
	bool host_bridge = d->class == 0x06 && d->subclass == 0x00;
	uint16_t cmd = host_bridge ? 0 : pci_command(d, 0, decode);
	unsigned invalid = 0;

	for (unsigned i = 0; i < d->nbars; i++) {
		int extra = bar_decode(d, i);

		if (extra < 0)
			invalid |= 1u << i;
		else
			i += extra;
	}
	if (cmd & decode)
		pci_write16(&d->addr, PCI_COMMAND, cmd);
	for (unsigned i = 0; i < d->nbars; i++)
		if (invalid & 1u << i)
			pci_report(ORIGIN_HARDWARE,
			       PCI_ADDR_FMT " BAR%u has an invalid memory type; ignored",
			       PCI_ADDR_ARGS(&d->addr), i);
}

/* Enumeration */

/* Listing */

/* One line of standard capabilities, one of extended ones; none when empty. */
static void print_cap_list(const struct pci_dev *d, bool ext)
{
	struct cap_walk w = { .d = d, .ext = ext };
	uint16_t id;
	bool any = false;

	while (cap_next(&w, &id)) {
		printf(any ? " " : "#     %s ", ext ? "ext caps" : "caps");
		printf(ext ? "%04x@%03x" : "%02x@%02x", id, w.off);
		any = true;
	}
	if (any)
		printf("\n");
}

static void print_dev(const struct pci_dev *d, bool verbose)
{
	static const char *const kind[] = {
		[PCI_BAR_IO] = "io",
		[PCI_BAR_MEM32] = "mem32",
		[PCI_BAR_MEM64] = "mem64",
	};

	printf("# " PCI_ADDR_FMT " %04x:%04x class %02x.%02x.%02x rev %02x",
	       PCI_ADDR_ARGS(&d->addr), d->vendor, d->device, d->class, d->subclass, d->prog_if,
	       d->revision);
	if (d->header_type == PCI_HEADER_BRIDGE)
		printf(" [bridge -> bus %02x-%02x]", d->secondary, d->subordinate);
	printf("\n");
	if (!verbose)
		return;
	for (unsigned i = 0; i < d->nbars; i++) {
		const struct pci_bar *b = &d->bar[i];

		if (b->kind == PCI_BAR_NONE)
			continue;
		printf("#     BAR%u %s%s %#lx size %#lx%s\n", i, kind[b->kind],
		       b->prefetchable ? " pref" : "", b->base, b->size,
		       b->base ? "" : " unassigned");
	}
	print_cap_list(d, false);
	if (d->pcie_cap)
		print_cap_list(d, true);
}

static void print_all(bool verbose)
{
	for (unsigned i = 0; i < pci_count(); i++)
		print_dev(pci_device(i), verbose);
}

void pci_print(void) { print_all(false); }
void pci_print_verbose(void) { print_all(true); }

/*
 * PCI configuration access and enumeration (BARs, capabilities and the listing
 * of each function are in pci_func.c).
 * QEMU: -machine q35 publishes an MCFG (ECAM); a function behind a bridge comes
 * with -device pcie-root-port,id=rp1,chassis=1 -device nvme,bus=rp1,...
 */
#include "kernel/pci.h"
#include "kernel/pci_internal.h"

#include <stdarg.h>

#include "kernel/console.h"
#include "kernel/dmar.h"
#include "kernel/finding.h"
#include "kernel/io.h"
#include "kernel/vm.h"

/* Configuration Mechanism #1 (PCI Local Bus Spec 3.0, 3.2.2.3.2) */
#define CF8_ADDRESS 0xcf8
#define CF8_DATA 0xcfc
#define CF8_ENABLE (1u << 31)

/* Enhanced Configuration Access Mechanism (PCI Express Base Spec, 7.2.2) */
#define ECAM_BUS_SHIFT 20
#define ECAM_DEV_SHIFT 15
#define ECAM_FN_SHIFT 12

/* Large servers expose a few hundred functions (uncore devices included). */
#define PCI_MAX_DEVICES 512

struct cfg_window {
	uint16_t seg;
	uint8_t bus_start, bus_end;
	volatile uint8_t *ecam; /* configuration space of bus_start; NULL: mechanism #1 */
	uint64_t visited[4];	/* buses scanned, during enumeration */
	uint64_t claimed[4];	/* buses inside some bridge's secondary..subordinate range */
};

static struct cfg_window windows[MCFG_MAX];
static unsigned nwindows;
static struct pci_dev devices[PCI_MAX_DEVICES];
static unsigned ndevices;

_Static_assert(__builtin_types_compatible_p(__typeof__(&pci_secondary_bus), dmar_secondary_bus_fn),
	       "pci_secondary_bus must be a dmar_secondary_bus_fn");

void pci_report(enum finding_origin origin, const char *fmt, ...)
{
	va_list ap;

	printf("# finding [%s] pci: ", finding_origin_name(origin));
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

const char *pci_strerror(int err)
{
	switch (-err) {
	case PCI_ENOCAP:
		return "capability absent";
	case PCI_ENOTSUP:
		return "optional capability feature absent";
	case PCI_ERANGE:
		return "argument out of the function's range";
	case PCI_EBAR:
		return "BAR absent, unassigned or too small";
	case PCI_ENOMAP:
		return "cannot map the BAR";
	default:
		return "unknown error";
	}
}

/* Configuration access */

static struct cfg_window *window_of(uint16_t seg, uint8_t bus)
{
	for (unsigned i = 0; i < nwindows; i++) {
		struct cfg_window *w = &windows[i];

		if (w->seg == seg && bus >= w->bus_start && bus <= w->bus_end)
			return w;
	}
	return NULL;
}

static void cf8_select(const struct pci_addr *a, uint16_t off)
{
	outl(CF8_ADDRESS, CF8_ENABLE | (uint32_t)a->bus << 16 | (uint32_t)a->dev << 11 |
				  (uint32_t)a->fn << 8 | (off & 0xfc));
}

/*
 * Where an access goes: sets *ecam to the register, or to NULL after selecting
 * the register through 0xCF8 (the data then moves through 0xCFC). False when the
 * access can go nowhere.
 */
static bool cfg_route(const struct pci_addr *a, uint16_t off, unsigned width,
		      volatile uint8_t **ecam)
{
	const struct cfg_window *w = window_of(a->seg, a->bus);

	if (!w || a->dev > 31 || a->fn > 7 || off % width || off + width > PCI_EXT_CFG_SIZE)
		return false;
	if (w->ecam) {
		*ecam = w->ecam + ((uint32_t)(a->bus - w->bus_start) << ECAM_BUS_SHIFT |
				   (uint32_t)a->dev << ECAM_DEV_SHIFT |
				   (uint32_t)a->fn << ECAM_FN_SHIFT | off);
		return true;
	}
	if (off >= PCI_CFG_SIZE)
		return false;
	*ecam = NULL;
	cf8_select(a, off);
	return true;
}

static uint32_t cfg_read(const struct pci_addr *a, uint16_t off, unsigned width)
{
	volatile uint8_t *p;
	uint16_t port = CF8_DATA + (off & 3);

	if (!cfg_route(a, off, width, &p))
		return width == 4 ? ~0u : (1u << 8 * width) - 1;
	switch (width) {
	case 1:
		return p ? mmio_read8(p) : inb(port);
	case 2:
		return p ? mmio_read16(p) : inw(port);
	default:
		return p ? mmio_read32(p) : inl(port);
	}
}

static void cfg_write(const struct pci_addr *a, uint16_t off, unsigned width, uint32_t v)
{
	volatile uint8_t *p;
	uint16_t port = CF8_DATA + (off & 3);

	if (!cfg_route(a, off, width, &p))
		return;
	switch (width) {
	case 1:
		p ? mmio_write8(p, v) : outb(port, v);
		break;
	case 2:
		p ? mmio_write16(p, v) : outw(port, v);
		break;
	default:
		p ? mmio_write32(p, v) : outl(port, v);
		break;
	}
}

uint8_t pci_read8(const struct pci_addr *a, uint16_t off) { return cfg_read(a, off, 1); }
uint16_t pci_read16(const struct pci_addr *a, uint16_t off) { return cfg_read(a, off, 2); }
uint32_t pci_read32(const struct pci_addr *a, uint16_t off) { return cfg_read(a, off, 4); }
void pci_write8(const struct pci_addr *a, uint16_t off, uint8_t v) { cfg_write(a, off, 1, v); }
void pci_write16(const struct pci_addr *a, uint16_t off, uint16_t v) { cfg_write(a, off, 2, v); }
void pci_write32(const struct pci_addr *a, uint16_t off, uint32_t v) { cfg_write(a, off, 4, v); }

/* The MCFG parser dropped windows whose bus range is inverted. */
static void windows_from_mcfg(const struct mcfg *m)
{
	for (unsigned i = 0; m->present && i < m->count; i++) {
		const struct mcfg_window *mw = &m->window[i];
		uint64_t first = mw->base + ((uint64_t)mw->bus_start << ECAM_BUS_SHIFT);
		uint64_t size = (uint64_t)(mw->bus_end - mw->bus_start + 1) << ECAM_BUS_SHIFT;
		volatile void *p = mmio_map(first, size);

		if (!p) {
			pci_report(ORIGIN_HARNESS,
			       "cannot map ECAM window %#lx (segment %u, buses %02x-%02x)",
			       mw->base, mw->segment, mw->bus_start, mw->bus_end);
			continue;
		}
		windows[nwindows++] = (struct cfg_window){
			.seg = mw->segment,
			.bus_start = mw->bus_start,
			.bus_end = mw->bus_end,
			.ecam = p,
		};
	}
}

/*
 * Firmware has shipped MCFG tables whose windows decode nothing (Linux checks
 * them against the firmware's reservations). Cross-check 00:00.0 against
 * mechanism #1: when the ports see a function the ECAM window does not, the
 * window is wrong.
 */
static bool ecam_agrees_with_ports(void)
{
	const struct pci_addr a = PCI_ADDR(0, 0, 0, 0);
	uint32_t ecam_id, port_id;

	if (!window_of(0, 0))
		return true;
	ecam_id = pci_read32(&a, PCI_VENDOR_ID);
	cf8_select(&a, PCI_VENDOR_ID);
	port_id = inl(CF8_DATA);
	if ((port_id & 0xffff) == 0xffff || port_id == ecam_id)
		return true;
	pci_report(ORIGIN_FIRMWARE,
	       "ECAM reads ID %08x at 0000:00:00.0, the I/O ports %08x; using the ports", ecam_id,
	       port_id);
	return false;
}

static void probe(struct pci_dev *d, const struct pci_addr *a, uint32_t id, uint8_t hdr)
{
	uint32_t cr = pci_read32(a, PCI_CLASS_REVISION);
	uint32_t buses;

	*d = (struct pci_dev){
		.addr = *a,
		.vendor = id & 0xffff,
		.device = id >> 16,
		.class = cr >> 24,
		.subclass = cr >> 16,
		.prog_if = cr >> 8,
		.revision = cr,
		.header_type = hdr & ~PCI_HEADER_MULTIFUNCTION,
		.multifunction = hdr & PCI_HEADER_MULTIFUNCTION,
	};
	switch (d->header_type) {
	case PCI_HEADER_NORMAL:
		d->nbars = 6;
		break;
	case PCI_HEADER_BRIDGE:
		d->nbars = 2;
		buses = pci_read32(a, PCI_BUS_NUMBERS);
		d->primary = buses;
		d->secondary = buses >> 8;
		d->subordinate = buses >> 16;
		break;
	case PCI_HEADER_CARDBUS:
		d->nbars = 1;
		break;
	default:
		pci_report(ORIGIN_HARDWARE,
		       PCI_ADDR_FMT " has unknown header type %#x; BARs and capabilities not read",
		       PCI_ADDR_ARGS(a), d->header_type);
		return;
	}
	d->pcie_cap = pci_find_cap(d, PCI_CAP_EXP);
	if (d->pcie_cap) {
		uint16_t flags = pci_read16(a, d->pcie_cap + PCI_EXP_FLAGS);

		d->pcie_type = (flags & PCI_EXP_FLAGS_TYPE) >> 4;
	}
	pci_decode_bars(d);
}

static bool present(uint32_t id) { return (id & 0xffff) != 0xffff && (id & 0xffff) != 0; }

static bool bus_test(const uint64_t *map, unsigned bus) { return map[bus / 64] >> (bus % 64) & 1; }

static bool bus_test_and_set(uint64_t *map, unsigned bus)
{
	bool was = bus_test(map, bus);

	map[bus / 64] |= 1ull << (bus % 64);
	return was;
}

/*
 * Whether to scan below a bridge, as firmware numbered it. Marks the buses it
 * claims, so that the scan for unreached root buses leaves them alone.
 */
static bool bridge_enter(const struct pci_dev *d)
{
	const struct pci_addr *a = &d->addr;
	struct cfg_window *w;

	if (d->secondary == 0 && d->subordinate == 0)
		return false; /* left unconfigured: nothing behind it is in use */
	if (d->secondary <= a->bus || d->subordinate < d->secondary) {
		pci_report(ORIGIN_FIRMWARE,
		       "bridge " PCI_ADDR_FMT " has bus numbers %02x-%02x; not followed",
		       PCI_ADDR_ARGS(a), d->secondary, d->subordinate);
		return false;
	}
	for (unsigned bus = d->secondary; bus <= d->subordinate; bus++) {
		w = window_of(a->seg, bus);
		if (w)
			bus_test_and_set(w->claimed, bus);
	}
	w = window_of(a->seg, d->secondary);
	if (!w) {
		pci_report(ORIGIN_FIRMWARE,
		       "bridge " PCI_ADDR_FMT " leads to bus %02x, outside every ECAM window",
		       PCI_ADDR_ARGS(a), d->secondary);
		return false;
	}
	if (bus_test_and_set(w->visited, d->secondary)) {
		pci_report(ORIGIN_FIRMWARE,
		       "bridge " PCI_ADDR_FMT " leads to bus %02x, which was already scanned",
		       PCI_ADDR_ARGS(a), d->secondary);
		return false;
	}
	return true;
}

struct scan_frame {
	uint16_t devfn; /* next device << 3 | function to probe */
	uint16_t end;
	uint8_t bus;
	bool ari;
};

/*
 * Below a PCI Express downstream port only device 0 exists (PCI Express Base
 * Spec, 7.3.1): some devices answer to every device number. With ARI forwarding
 * on, the device number carries function number bits and only function 0 has
 * the multifunction bit (ARI ECN), so every devfn is probed.
 */
static struct scan_frame frame_below(const struct pci_dev *bridge)
{
	const uint16_t exp = bridge->pcie_cap;
	bool downstream = exp && (bridge->pcie_type == PCI_EXP_TYPE_ROOT_PORT ||
				  bridge->pcie_type == PCI_EXP_TYPE_DOWNSTREAM);
	bool ari = downstream &&
		   (pci_read16(&bridge->addr, exp + PCI_EXP_FLAGS) & PCI_EXP_FLAGS_VERSION) >= 2 &&
		   (pci_read16(&bridge->addr, exp + PCI_EXP_DEVCTL2) & PCI_EXP_DEVCTL2_ARI);

	return (struct scan_frame){
		.bus = bridge->secondary,
		.end = downstream && !ari ? 8 : 256,
		.ari = ari,
	};
}

/*
 * Scans the hierarchy under a root bus depth first, entering each bridge's
 * secondary bus right after the bridge. An explicit stack instead of recursion:
 * a garbage topology can be 256 buses deep. Each bus enters it at most once.
 */
static unsigned scan_hierarchy(uint16_t seg, uint8_t root)
{
	static struct scan_frame stack[256];
	unsigned depth = 1, dropped = 0;

	stack[0] = (struct scan_frame){ .bus = root, .end = 256 };
	while (depth) {
		struct scan_frame *f = &stack[depth - 1];
		struct pci_addr a = PCI_ADDR(seg, f->bus, f->devfn >> 3, f->devfn & 7);
		bool last_fn;
		uint32_t id;
		uint8_t hdr;
		struct pci_dev d;

		if (f->devfn >= f->end) {
			depth--;
			continue;
		}
		id = pci_read32(&a, PCI_VENDOR_ID);
		if (!present(id)) {
			/* no function 0, no device (PCI Local Bus Spec 3.0, 6.2.1) */
			f->devfn += a.fn == 0 && !f->ari ? 8 : 1;
			continue;
		}
		hdr = pci_read8(&a, PCI_HEADER_TYPE);
		last_fn = a.fn == 0 && !f->ari && !(hdr & PCI_HEADER_MULTIFUNCTION);
		f->devfn += last_fn ? 8 : 1;

		probe(&d, &a, id, hdr);
		if (ndevices < PCI_MAX_DEVICES)
			devices[ndevices++] = d;
		else
			dropped++;
		if (d.header_type == PCI_HEADER_BRIDGE && bridge_enter(&d))
			stack[depth++] = frame_below(&d);
	}
	return dropped;
}

/*
 * Root buses: each window's first bus, and then every bus of the window that no
 * bridge reached or claims. The other root buses (PCI expander bridges,
 * per-socket or per-stack host bridges) are described only in AML (_BBN, _CRS),
 * which this harness does not interpret; probing the unclaimed buses finds them
 * the way Linux's x86 pcibios_fixup_peer_bridges() does. A bus number nobody
 * decodes reads as all ones, so this costs 32 reads per unused bus.
 */
int pci_init(const struct mcfg *mcfg)
{
	unsigned dropped = 0;

	nwindows = 0;
	ndevices = 0;
	windows_from_mcfg(mcfg);
	if (!nwindows || !ecam_agrees_with_ports()) {
		windows[0] = (struct cfg_window){ .seg = 0, .bus_start = 0, .bus_end = 255 };
		nwindows = 1;
	}
	for (unsigned i = 0; i < nwindows; i++) {
		const struct cfg_window *w = &windows[i];

		for (unsigned bus = w->bus_start; bus <= w->bus_end; bus++) {
			/* an earlier window of the segment may overlap and own the bus */
			struct cfg_window *owner = window_of(w->seg, bus);

			if (!bus_test(owner->claimed, bus) &&
			    !bus_test_and_set(owner->visited, bus))
				dropped += scan_hierarchy(w->seg, bus);
		}
	}
	if (dropped)
		pci_report(ORIGIN_HARNESS, "%u functions not recorded: the table holds %u", dropped,
		       PCI_MAX_DEVICES);
	return ndevices;
}

int pci_secondary_bus(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn)
{
	const struct pci_addr a = PCI_ADDR(seg, bus, dev, fn);

	(void)ctx;
	if (!present(pci_read32(&a, PCI_VENDOR_ID)) ||
	    (pci_read8(&a, PCI_HEADER_TYPE) & ~PCI_HEADER_MULTIFUNCTION) != PCI_HEADER_BRIDGE)
		return -1;
	return pci_read8(&a, PCI_SECONDARY_BUS);
}

/* Lookup */

unsigned pci_count(void) { return ndevices; }

const struct pci_dev *pci_device(unsigned i) { return i < ndevices ? &devices[i] : NULL; }

const struct pci_dev *pci_lookup(const struct pci_addr *a)
{
	for (unsigned i = 0; i < ndevices; i++) {
		const struct pci_addr *b = &devices[i].addr;

		if (b->seg == a->seg && b->bus == a->bus && b->dev == a->dev && b->fn == a->fn)
			return &devices[i];
	}
	return NULL;
}

const struct pci_dev *pci_find_id(uint16_t vendor, uint16_t device, unsigned n)
{
	for (unsigned i = 0; i < ndevices; i++)
		if (devices[i].vendor == vendor && devices[i].device == device && n-- == 0)
			return &devices[i];
	return NULL;
}

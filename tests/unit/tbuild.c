/* Table builder, fake memory and sample tables for the unit tests (see tbuild.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kernel/dmar.h"
#include "tests/unit/tbuild.h"
#include "tests/unit/unit.h"

static void room(const struct tb *b, size_t n)
{
	if (b->len + n > TB_MAX) {
		fprintf(stderr, "tbuild: table larger than %d bytes\n", TB_MAX);
		abort();
	}
}

void tb_init(struct tb *b)
{
	b->len = 0;
	memset(b->buf, 0, sizeof(b->buf));
}

static void put_le(struct tb *b, size_t off, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		b->buf[off + i] = (uint8_t)(v >> (8 * i));
}

static void append_le(struct tb *b, uint64_t v, int n)
{
	room(b, n);
	put_le(b, b->len, v, n);
	b->len += n;
}

void tb_u8(struct tb *b, uint64_t v) { append_le(b, v, 1); }
void tb_u16(struct tb *b, uint64_t v) { append_le(b, v, 2); }
void tb_u32(struct tb *b, uint64_t v) { append_le(b, v, 4); }
void tb_u64(struct tb *b, uint64_t v) { append_le(b, v, 8); }
void tb_put8(struct tb *b, size_t off, uint64_t v) { put_le(b, off, v, 1); }
void tb_put16(struct tb *b, size_t off, uint64_t v) { put_le(b, off, v, 2); }
void tb_put32(struct tb *b, size_t off, uint64_t v) { put_le(b, off, v, 4); }
void tb_put64(struct tb *b, size_t off, uint64_t v) { put_le(b, off, v, 8); }

void tb_zeros(struct tb *b, size_t n)
{
	room(b, n);
	b->len += n; /* the buffer is zeroed by tb_init */
}

void tb_str(struct tb *b, const char *s)
{
	do
		tb_u8(b, (uint8_t)*s);
	while (*s++);
}

void tb_header(struct tb *b, const char *sig, uint8_t revision)
{
	room(b, ACPI_HEADER_LEN);
	memcpy(b->buf + b->len, sig, 4);
	b->buf[b->len + 8] = revision;
	memcpy(b->buf + b->len + 10, "VTDTST", 6);   /* OEM ID */
	memcpy(b->buf + b->len + 16, "UNITTEST", 8); /* OEM table ID */
	b->len += ACPI_HEADER_LEN;
}

void tb_fix_checksum(struct tb *b)
{
	b->buf[9] = 0;
	b->buf[9] = (uint8_t)-acpi_checksum(b->buf, b->len);
}

void tb_finish(struct tb *b)
{
	tb_put32(b, 4, b->len);
	tb_fix_checksum(b);
}

size_t tb_begin16(struct tb *b, uint16_t type)
{
	size_t start = b->len;

	tb_u16(b, type);
	tb_u16(b, 0);
	return start;
}

void tb_end16(struct tb *b, size_t start)
{
	tb_put16(b, start + 2, b->len - start);
}

size_t tb_begin8(struct tb *b, uint8_t type)
{
	size_t start = b->len;

	tb_u8(b, type);
	tb_u8(b, 0);
	return start;
}

void tb_end8(struct tb *b, size_t start)
{
	tb_put8(b, start + 1, b->len - start);
}

void tb_dmar_header(struct tb *b, unsigned haw_bits, uint8_t flags)
{
	tb_header(b, "DMAR", 1);
	tb_u8(b, haw_bits - 1);
	tb_u8(b, flags);
	tb_zeros(b, 10);
}

size_t tb_drhd(struct tb *b, uint8_t flags, uint8_t size, uint16_t seg, uint64_t base)
{
	size_t s = tb_begin16(b, DMAR_TYPE_DRHD);

	tb_u8(b, flags);
	tb_u8(b, size);
	tb_u16(b, seg);
	tb_u64(b, base);
	return s;
}

size_t tb_rmrr(struct tb *b, uint16_t seg, uint64_t base, uint64_t limit)
{
	size_t s = tb_begin16(b, DMAR_TYPE_RMRR);

	tb_u16(b, 0);
	tb_u16(b, seg);
	tb_u64(b, base);
	tb_u64(b, limit);
	return s;
}

static size_t flags_seg(struct tb *b, uint16_t type, uint8_t flags, uint16_t seg)
{
	size_t s = tb_begin16(b, type);

	tb_u8(b, flags);
	tb_u8(b, 0);
	tb_u16(b, seg);
	return s;
}

size_t tb_atsr(struct tb *b, uint8_t flags, uint16_t seg)
{
	return flags_seg(b, DMAR_TYPE_ATSR, flags, seg);
}

size_t tb_satc(struct tb *b, uint8_t flags, uint16_t seg)
{
	return flags_seg(b, DMAR_TYPE_SATC, flags, seg);
}

void tb_scope(struct tb *b, uint8_t type, uint8_t enum_id, uint8_t bus, const uint8_t *path,
	      size_t n)
{
	size_t s = tb_begin8(b, type);

	tb_u16(b, 0);
	tb_u8(b, enum_id);
	tb_u8(b, bus);
	for (size_t i = 0; i < 2 * n; i++)
		tb_u8(b, path[i]);
	tb_end8(b, s);
}

const void *image_map(void *ctx, uint64_t phys, size_t len)
{
	struct image *im = ctx;

	if (phys < IMAGE_BASE || phys - IMAGE_BASE > IMAGE_SIZE ||
	    len > IMAGE_SIZE - (phys - IMAGE_BASE))
		return NULL;
	return im->mem + (phys - IMAGE_BASE);
}

uint8_t *image_at(struct image *im, uint64_t phys)
{
	return im->mem + (phys - IMAGE_BASE);
}

uint64_t image_put(struct image *im, const struct tb *b)
{
	size_t off = (im->used + 15) & ~(size_t)15;

	if (off + b->len > IMAGE_SIZE) {
		fprintf(stderr, "tbuild: image full\n");
		abort();
	}
	memcpy(im->mem + off, b->buf, b->len);
	im->used = off + b->len;
	return IMAGE_BASE + off;
}

void sample_dmar(struct tb *b)
{
	size_t s;

	tb_init(b);
	tb_dmar_header(b, 46, DMAR_FLAG_INTR_REMAP | DMAR_FLAG_X2APIC_OPT_OUT);
	/* segment 0: the graphics unit, then the catch-all unit */
	s = tb_drhd(b, 0, 0, 0, 0xfed90000);
	TB_SCOPE(b, SCOPE_PCI_ENDPOINT, 0, 0, 2, 0);
	tb_end16(b, s);
	s = tb_drhd(b, DRHD_FLAG_INCLUDE_PCI_ALL, 0, 0, 0xfed91000);
	TB_SCOPE(b, SCOPE_IOAPIC, 8, 0xf0, 0x1f, 0);
	TB_SCOPE(b, SCOPE_HPET, 0, 0, 0x1f, 7);
	tb_end16(b, s);
	/* segment 1: catch-all only, two pages of registers */
	s = tb_drhd(b, DRHD_FLAG_INCLUDE_PCI_ALL, 1, 1, 0xfed92000);
	tb_end16(b, s);
	/* USB and a device two bridges down share a reserved region */
	s = tb_rmrr(b, 0, 0x7c000000, 0x7c7fffff);
	TB_SCOPE(b, SCOPE_PCI_ENDPOINT, 0, 0, 0x14, 0);
	TB_SCOPE(b, SCOPE_PCI_ENDPOINT, 0, 0, 0x1c, 0, 0, 0, 3, 1);
	tb_end16(b, s);
	s = tb_atsr(b, 0, 0);
	TB_SCOPE(b, SCOPE_PCI_BRIDGE, 0, 0, 0x1c, 0);
	tb_end16(b, s);
	s = tb_begin16(b, DMAR_TYPE_RHSA);
	tb_u32(b, 0);
	tb_u64(b, 0xfed90000);
	tb_u32(b, 1);
	tb_end16(b, s);
	s = tb_begin16(b, DMAR_TYPE_ANDD);
	tb_zeros(b, 3);
	tb_u8(b, 1);
	tb_str(b, "\\_SB.PCI0.I2C0");
	tb_end16(b, s);
	s = tb_satc(b, 1, 0);
	TB_SCOPE(b, SCOPE_PCI_ENDPOINT, 0, 0, 2, 0);
	tb_end16(b, s);
	tb_finish(b);
}

int sample_secondary_bus(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn)
{
	(void)ctx;
	if (seg == 0 && bus == 0 && dev == 0x1c && fn == 0)
		return 2;
	if (seg == 0 && bus == 2 && dev == 0 && fn == 0)
		return 3;
	return -1;
}

void sample_madt(struct tb *b)
{
	size_t s;

	tb_init(b);
	tb_header(b, "APIC", 5);
	tb_u32(b, 0xfee00000);
	tb_u32(b, 1); /* PCAT_COMPAT */
	for (int cpu = 0; cpu < 2; cpu++) {
		s = tb_begin8(b, 0);
		tb_u8(b, cpu);	/* UID */
		tb_u8(b, cpu);	/* APIC ID */
		tb_u32(b, 1);	/* enabled */
		tb_end8(b, s);
	}
	s = tb_begin8(b, 1);
	tb_u8(b, 0);
	tb_u8(b, 0);
	tb_u32(b, 0xfec00000);
	tb_u32(b, 0);
	tb_end8(b, s);
	s = tb_begin8(b, 2);
	tb_u8(b, 0);
	tb_u8(b, 0);	/* ISA IRQ 0 */
	tb_u32(b, 2);	/* to GSI 2 */
	tb_u16(b, 0);
	tb_end8(b, s);
	s = tb_begin8(b, 4); /* local APIC NMI: not modelled, skipped quietly */
	tb_u8(b, 0xff);
	tb_u16(b, 0);
	tb_u8(b, 1);
	tb_end8(b, s);
	tb_finish(b);
}

void sample_mcfg(struct tb *b)
{
	tb_init(b);
	tb_header(b, "MCFG", 1);
	tb_zeros(b, 8);
	tb_u64(b, 0xb0000000);
	tb_u16(b, 0);
	tb_u8(b, 0);
	tb_u8(b, 0xff);
	tb_u32(b, 0);
	tb_finish(b);
}

void sample_fadt(struct tb *b, size_t len)
{
	tb_init(b);
	tb_header(b, "FACP", len >= 244 ? 6 : 1);
	tb_zeros(b, len - ACPI_HEADER_LEN);
	tb_put32(b, 76, 0x608); /* PM_TMR_BLK */
	if (len >= 116)
		tb_put32(b, 112, (1u << 8) | (1u << 10)); /* TMR_VAL_EXT, RESET_REG_SUP */
	if (len >= 129) {
		tb_put8(b, 116, ACPI_SPACE_IO);
		tb_put8(b, 117, 8);
		tb_put8(b, 119, 1);
		tb_put64(b, 120, 0xcf9);
		tb_put8(b, 128, 0x06);
	}
	if (len >= 220) {
		tb_put8(b, 208, ACPI_SPACE_IO);
		tb_put8(b, 209, 32);
		tb_put8(b, 211, 3);
		tb_put64(b, 212, 0x608);
	}
	tb_finish(b);
}

void sample_hpet(struct tb *b)
{
	tb_init(b);
	tb_header(b, "HPET", 1);
	tb_u32(b, 0x8086a201); /* event timer block ID */
	tb_u8(b, ACPI_SPACE_MEMORY);
	tb_u8(b, 64);
	tb_u8(b, 0);
	tb_u8(b, 0);
	tb_u64(b, 0xfed00000);
	tb_u8(b, 0);
	tb_u16(b, 0x80);
	tb_u8(b, 0);
	tb_finish(b);
}

void rsdp_fix_checksums(struct image *im, const struct acpi_layout *lay)
{
	uint8_t *r = image_at(im, lay->rsdp);

	r[8] = 0;
	r[8] = (uint8_t)-acpi_checksum(r, 20);
	if (r[15] >= 2) {
		r[32] = 0;
		r[32] = (uint8_t)-acpi_checksum(r, 36);
	}
}

void sample_acpi_image(struct image *im, uint8_t rsdp_revision, struct acpi_layout *lay)
{
	static struct tb b;
	uint8_t *r;

	memset(im, 0, sizeof(*im));
	lay->rsdp = IMAGE_BASE;
	im->used = 36;
	sample_fadt(&b, 276);
	lay->table[0] = image_put(im, &b);
	sample_madt(&b);
	lay->table[1] = image_put(im, &b);
	sample_mcfg(&b);
	lay->table[2] = image_put(im, &b);
	sample_hpet(&b);
	lay->table[3] = image_put(im, &b);
	sample_dmar(&b);
	lay->table[4] = image_put(im, &b);

	tb_init(&b);
	tb_header(&b, "XSDT", 1);
	for (int i = 0; i < SAMPLE_NTABLES; i++)
		tb_u64(&b, lay->table[i]);
	tb_finish(&b);
	lay->xsdt = image_put(im, &b);
	tb_init(&b);
	tb_header(&b, "RSDT", 1);
	for (int i = 0; i < SAMPLE_NTABLES; i++)
		tb_u32(&b, lay->table[i]);
	tb_finish(&b);
	lay->rsdt = image_put(im, &b);

	r = image_at(im, lay->rsdp);
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "VTDTST", 6);
	r[15] = rsdp_revision;
	tb_init(&b);
	tb_put32(&b, 0, lay->rsdt);
	memcpy(r + 16, b.buf, 4);
	if (rsdp_revision >= 2) {
		tb_put32(&b, 0, 36);
		tb_put64(&b, 4, lay->xsdt);
		memcpy(r + 20, b.buf, 12);
	}
	rsdp_fix_checksums(im, lay);
}

void corpus_save(const char *target, const void *p, size_t len)
{
	static unsigned n;
	static const char *last_test;
	const char *dir = getenv("UNIT_CORPUS_DIR");
	char path[512];
	FILE *f;

	if (!dir || !*dir)
		return;
	if (last_test != unit_current) {
		last_test = unit_current;
		n = 0;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, target);
	mkdir(dir, 0777);
	mkdir(path, 0777);
	snprintf(path, sizeof(path), "%s/%s/%s-%u.bin", dir, target, unit_current, n++);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, len, f) != len) {
		perror(path);
		exit(2);
	}
	fclose(f);
}

int t_dmar(struct dmar *d, const uint8_t *p, size_t len)
{
	corpus_save("dmar", p, len);
	return dmar_parse(d, p, len);
}

int t_madt(struct madt *m, const uint8_t *p, size_t len)
{
	corpus_save("tables", p, len);
	return madt_parse(m, p, len);
}

int t_mcfg(struct mcfg *m, const uint8_t *p, size_t len)
{
	corpus_save("tables", p, len);
	return mcfg_parse(m, p, len);
}

int t_fadt(struct fadt *f, const uint8_t *p, size_t len)
{
	corpus_save("tables", p, len);
	return fadt_parse(f, p, len);
}

int t_hpet(struct hpet_info *h, const uint8_t *p, size_t len)
{
	corpus_save("tables", p, len);
	return hpet_parse(h, p, len);
}

int t_acpi(struct acpi_tables *t, struct image *im)
{
	corpus_save("acpi", im->mem, im->used);
	return acpi_tables_parse(t, IMAGE_BASE, image_map, im);
}

/*
 * Building ACPI tables in memory for the tests: an append-only byte buffer
 * with helpers for headers, type/length structures and DMAR device scopes, a
 * fake physical memory image to place tables at addresses, and the sample
 * tables (valid ones; tests break them on purpose).
 */
#ifndef TBUILD_H
#define TBUILD_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/acpi.h"

#define TB_MAX 65536

struct tb {
	size_t len;
	uint8_t buf[TB_MAX];
};

void tb_init(struct tb *b);
void tb_u8(struct tb *b, uint64_t v);
void tb_u16(struct tb *b, uint64_t v);
void tb_u32(struct tb *b, uint64_t v);
void tb_u64(struct tb *b, uint64_t v);
void tb_zeros(struct tb *b, size_t n);
void tb_str(struct tb *b, const char *s); /* with its NUL */
void tb_put8(struct tb *b, size_t off, uint64_t v);
void tb_put16(struct tb *b, size_t off, uint64_t v);
void tb_put32(struct tb *b, size_t off, uint64_t v);
void tb_put64(struct tb *b, size_t off, uint64_t v);

/* A 36-byte ACPI header; tb_finish() fills in its length and checksum. */
void tb_header(struct tb *b, const char *sig, uint8_t revision);
void tb_finish(struct tb *b);
/* Recomputes only the checksum (after a test edited a finished table). */
void tb_fix_checksum(struct tb *b);

/* A structure with a u16 type and a u16 length (DMAR); tb_end16 sets the length. */
size_t tb_begin16(struct tb *b, uint16_t type);
void tb_end16(struct tb *b, size_t start);
/* A structure with a u8 type and a u8 length (MADT, device scope). */
size_t tb_begin8(struct tb *b, uint8_t type);
void tb_end8(struct tb *b, size_t start);

/* DMAR pieces */
void tb_dmar_header(struct tb *b, unsigned haw_bits, uint8_t flags);
size_t tb_drhd(struct tb *b, uint8_t flags, uint8_t size, uint16_t seg, uint64_t base);
size_t tb_rmrr(struct tb *b, uint16_t seg, uint64_t base, uint64_t limit);
size_t tb_atsr(struct tb *b, uint8_t flags, uint16_t seg);
size_t tb_satc(struct tb *b, uint8_t flags, uint16_t seg);
/* A device scope entry; path holds n (device, function) pairs. */
void tb_scope(struct tb *b, uint8_t type, uint8_t enum_id, uint8_t bus, const uint8_t *path,
	      size_t n);
#define TB_SCOPE(b, type, id, bus, ...)                                                            \
	tb_scope(b, type, id, bus, (const uint8_t[]){ __VA_ARGS__ },                               \
		 sizeof((const uint8_t[]){ __VA_ARGS__ }) / 2)

/*
 * Fake physical memory: IMAGE_SIZE bytes at physical IMAGE_BASE (the legacy
 * BIOS area where an RSDP lives, RSDP first). The fuzz target for the root
 * tables reads its input the same way.
 */
#define IMAGE_BASE 0xe0000u
#define IMAGE_SIZE 0x8000u

struct image {
	size_t used;
	uint8_t mem[IMAGE_SIZE];
};

const void *image_map(void *ctx, uint64_t phys, size_t len);
/* Copies a table into the image, 16-byte aligned; returns its physical address. */
uint64_t image_put(struct image *im, const struct tb *b);
uint8_t *image_at(struct image *im, uint64_t phys);

/* Where sample_acpi_image() put things */
#define SAMPLE_NTABLES 5
struct acpi_layout {
	uint64_t rsdp, xsdt, rsdt;
	uint64_t table[SAMPLE_NTABLES]; /* FACP, APIC, MCFG, HPET, DMAR */
};

/* RSDP at IMAGE_BASE: revision 2 with both roots, or revision 0 with the RSDT only. */
void sample_acpi_image(struct image *im, uint8_t rsdp_revision, struct acpi_layout *lay);
/* Rewrites the RSDP's checksums after a test changed it. */
void rsdp_fix_checksums(struct image *im, const struct acpi_layout *lay);

void sample_dmar(struct tb *b);
void sample_madt(struct tb *b);
void sample_mcfg(struct tb *b);
void sample_fadt(struct tb *b, size_t len);
void sample_hpet(struct tb *b);

/* The bridges of the sample platform (segment 0): 00:1c.0 -> bus 2, 02:00.0 -> bus 3. */
int sample_secondary_bus(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn);

/* The parsers as the tests call them: each input is also saved as a fuzz seed. */
struct dmar;
int t_dmar(struct dmar *d, const uint8_t *p, size_t len);
int t_madt(struct madt *m, const uint8_t *p, size_t len);
int t_mcfg(struct mcfg *m, const uint8_t *p, size_t len);
int t_fadt(struct fadt *f, const uint8_t *p, size_t len);
int t_hpet(struct hpet_info *h, const uint8_t *p, size_t len);
int t_acpi(struct acpi_tables *t, struct image *im);

/*
 * With UNIT_CORPUS_DIR set, every table a test hands to a parser is also
 * written to $UNIT_CORPUS_DIR/<target>/<test>-<n>.bin, the fuzzers' seeds.
 */
void corpus_save(const char *target, const void *p, size_t len);

#endif

/*
 * Findings: what the harness noticed about its input (firmware tables, device
 * registers) that is wrong or worth telling, labelled by who is at fault.
 * Parsers record findings instead of printing, so the same source files run in
 * the guest and in the host unit tests, where a test can ask for one by code.
 */
#ifndef FINDING_H
#define FINDING_H

#include <stdbool.h>
#include <stdint.h>

enum finding_origin {
	ORIGIN_FIRMWARE, /* a table the firmware built is wrong */
	ORIGIN_HARDWARE, /* a device or register behaves against its spec */
	ORIGIN_HARNESS,	 /* a limit of this program, not a platform bug */
};

enum finding_severity {
	SEV_NOTE,  /* informational: unknown structure skipped, flag reported */
	SEV_WARN,  /* suspicious but usable */
	SEV_ERROR, /* the data is wrong; the part concerned was not used */
};

/* Every finding code, its origin, severity and message, in one table. */
#define FINDING_LIST(X)                                                                            \
	X(F_RSDP_CHECKSUM, FIRMWARE, ERROR, "RSDP checksum is wrong")                               \
	X(F_RSDP_EXT_CHECKSUM, FIRMWARE, ERROR, "RSDP extended checksum is wrong")                  \
	X(F_RSDP_SIGNATURE, FIRMWARE, ERROR, "RSDP signature is not 'RSD PTR '")                    \
	X(F_RSDP_XSDT_FALLBACK, FIRMWARE, WARN, "RSDP has no usable XSDT; using the RSDT")           \
	X(F_RSDP_LENGTH, FIRMWARE, ERROR, "RSDP length %llu is impossible")                         \
	X(F_ROOT_UNMAPPABLE, FIRMWARE, ERROR, "root table at %#llx cannot be read")                 \
	X(F_ROOT_SIGNATURE, FIRMWARE, ERROR, "root table signature is wrong")                       \
	X(F_ROOT_LENGTH, FIRMWARE, ERROR, "root table length %llu is impossible")                   \
	X(F_ROOT_CHECKSUM, FIRMWARE, ERROR, "root table checksum is wrong")                         \
	X(F_TABLE_UNMAPPABLE, FIRMWARE, ERROR, "table at %#llx cannot be read")                     \
	X(F_TABLE_LENGTH, FIRMWARE, ERROR, "table at %#llx has impossible length %llu")             \
	X(F_TABLE_CHECKSUM, FIRMWARE, WARN, "table at %#llx has a wrong checksum")                  \
	X(F_TABLE_TRUNCATED, FIRMWARE, ERROR, "table length %llu exceeds the %llu bytes readable")  \
	X(F_TABLE_TOO_SHORT, FIRMWARE, ERROR, "table is %llu bytes; it needs at least %llu")        \
	X(F_TOO_MANY_TABLES, HARNESS, WARN, "more than %llu ACPI tables; the rest are ignored")      \
	X(F_STRUCT_TRUNCATED, FIRMWARE, ERROR, "structure at offset %#llx runs past the table end") \
	X(F_STRUCT_LENGTH, FIRMWARE, ERROR, "structure at offset %#llx has bad length %llu")        \
	X(F_STRUCT_UNKNOWN, HARNESS, NOTE, "structure type %llu at offset %#llx not modelled; skipped")\
	X(F_MODEL_FULL, HARNESS, WARN, "model full: structure at offset %#llx not recorded")        \
	X(F_SCOPE_LENGTH, FIRMWARE, ERROR, "device scope at offset %#llx has bad length %llu")      \
	X(F_SCOPE_TYPE, FIRMWARE, ERROR, "device scope at offset %#llx has type %llu")              \
	X(F_SCOPE_PATH, FIRMWARE, ERROR, "device scope at offset %#llx: hop %llu is out of range")  \
	X(F_SCOPE_EMPTY, FIRMWARE, WARN, "structure at offset %#llx has no device scope")           \
	X(F_SCOPE_UNRESOLVED, FIRMWARE, WARN, "device scope at offset %#llx: no bridge at hop %llu") \
	X(F_DMAR_HAW, FIRMWARE, ERROR, "DMAR host address width %llu bits is not sane")             \
	X(F_DMAR_FLAGS_RESERVED, FIRMWARE, WARN, "DMAR flags %#llx set reserved bits")              \
	X(F_DRHD_BASE_ALIGN, FIRMWARE, ERROR, "DRHD at offset %#llx: base %#llx not 4 KiB aligned") \
	X(F_DRHD_BASE_ZERO, FIRMWARE, ERROR, "DRHD at offset %#llx has register base 0")           \
	X(F_DRHD_INCLUDE_ALL_DUP, FIRMWARE, ERROR, "segment %llu has more than one INCLUDE_PCI_ALL DRHD") \
	X(F_DRHD_INCLUDE_ALL_ORDER, FIRMWARE, ERROR, "segment %llu: INCLUDE_PCI_ALL DRHD is not the last") \
	X(F_DRHD_OVERLAP, FIRMWARE, ERROR, "DRHDs at offsets %#llx and %#llx overlap")            \
	X(F_RMRR_ALIGN, FIRMWARE, ERROR, "RMRR at offset %#llx: range not 4 KiB aligned (base %#llx)") \
	X(F_RMRR_RANGE, FIRMWARE, ERROR, "RMRR at offset %#llx: limit below base (base %#llx)")   \
	X(F_MADT_NO_IOAPIC, FIRMWARE, WARN, "MADT lists no I/O APIC")                               \
	X(F_MCFG_BUS_RANGE, FIRMWARE, ERROR, "MCFG entry %llu has end bus below start bus")         \
	X(F_FADT_SHORT, FIRMWARE, WARN, "FADT is %llu bytes; newer fields absent")

enum finding_code {
#define FINDING_ENUM(code, origin, sev, fmt) code,
	FINDING_LIST(FINDING_ENUM)
#undef FINDING_ENUM
		FINDING_CODE_COUNT
};

struct finding {
	enum finding_code code;
	uint64_t arg[2]; /* the message's printf arguments, in order */
};

#define FINDINGS_MAX 64

struct findings {
	unsigned count;
	unsigned dropped; /* findings beyond FINDINGS_MAX, counted only */
	struct finding item[FINDINGS_MAX];
};

void finding_add(struct findings *f, enum finding_code code, uint64_t a, uint64_t b);
bool finding_has(const struct findings *f, enum finding_code code);
enum finding_origin finding_origin(enum finding_code code);
enum finding_severity finding_severity(enum finding_code code);
/* printf format taking the finding's two uint64_t arguments (unused ones ignored) */
const char *finding_format(enum finding_code code);
const char *finding_origin_name(enum finding_origin origin);

#endif

# Host builds of the firmware-table parsers (kernel/*.c, the same sources the
# kernel uses): unit tests under ASan/UBSan, and libFuzzer targets.
#
#   make unit                 build and run the unit tests (TAP 14 on stdout)
#   make fuzz                 run every fuzz target for $(FUZZ_SECONDS) s each
#   make fuzz-corpus          regenerate tests/fuzz/corpus/ from the unit tests' tables
#
# Included by the top-level Makefile, which sets BUILD.

BUILD ?= build
FUZZ_SECONDS ?= 10

UNIT_CC ?= cc
UNIT_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror \
	-fsanitize=address,undefined -fno-sanitize-recover=all -I.
UNIT_DIR := $(BUILD)/host

UNIT_PARSERS := kernel/finding.c kernel/acpi.c kernel/fadt.c kernel/hpet.c kernel/madt.c \
	kernel/mcfg.c kernel/dmar.c
# Memory management: pure logic over the EFI map, host-testable because RAM is identity-mapped
UNIT_MEMORY := kernel/memmap.c kernel/pmm.c kernel/dma.c
# VT-d formats: pure encoders and decoders, no MMIO; page tables over caller-given tables
UNIT_VTD := vtd/irte.c vtd/pagetable.c
UNIT_VTD_HDRS := vtd/irte.h vtd/regs.h vtd/pagetable.h vtd/qi.h vtd/fault.h vtd/context.h \
	vtd/unit.h
UNIT_PARSER_HDRS := kernel/finding.h kernel/acpi.h kernel/dmar.h kernel/bytes.h
# Listed, not globbed: other host tools live in tests/unit/ too.
UNIT_SRCS := tests/unit/main.c tests/unit/tbuild.c tests/unit/test_finding.c \
	tests/unit/test_acpi.c tests/unit/test_dmar.c tests/unit/test_madt.c tests/unit/test_small.c \
	tests/unit/test_memory.c tests/unit/test_irte.c tests/unit/test_vtd.c
UNIT_HDRS := tests/unit/unit.h tests/unit/tbuild.h

FUZZ_CC ?= clang
FUZZ_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I.
FUZZ_DIR := $(UNIT_DIR)/fuzz
FUZZ_TARGETS := dmar acpi tables
FUZZ_BINS := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)

.PHONY: unit fuzz fuzz-build fuzz-corpus

$(UNIT_DIR)/unit: $(UNIT_PARSERS) $(UNIT_MEMORY) $(UNIT_VTD) $(UNIT_SRCS) $(UNIT_PARSER_HDRS) \
		$(UNIT_VTD_HDRS) $(UNIT_HDRS) tests/unit/unit.mk
	@mkdir -p $(@D)
	$(UNIT_CC) $(UNIT_CFLAGS) -o $@ $(UNIT_PARSERS) $(UNIT_MEMORY) $(UNIT_VTD) $(UNIT_SRCS)

unit: $(UNIT_DIR)/unit
	$(UNIT_DIR)/unit

fuzz-corpus: $(UNIT_DIR)/unit
	rm -rf tests/fuzz/corpus
	UNIT_CORPUS_DIR=tests/fuzz/corpus $(UNIT_DIR)/unit > /dev/null

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(UNIT_PARSERS) $(UNIT_PARSER_HDRS) tests/unit/unit.mk
	@command -v $(FUZZ_CC) > /dev/null || \
		{ echo "fuzz: $(FUZZ_CC) not found; libFuzzer needs clang" >&2; exit 1; }
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(UNIT_PARSERS)

fuzz-build: $(FUZZ_BINS)

# New inputs go to the first corpus directory, kept under $(BUILD); the
# checked-in seeds stay as they are. Crashes land in $(FUZZ_DIR).
fuzz: $(FUZZ_BINS)
	@set -e; for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_DIR)/corpus/$$t; \
		echo "fuzz_$$t: $(FUZZ_SECONDS) s"; \
		$(FUZZ_DIR)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
			-artifact_prefix=$(FUZZ_DIR)/fuzz_$$t- -print_final_stats=1 \
			$(FUZZ_DIR)/corpus/$$t tests/fuzz/corpus/$$t; \
	done

# vtdtest: `make` builds the UEFI image, `make check` runs every test.
#
# Two links: the kernel proper (kernel/, drivers/, vtd/, tests/conformance/)
# with linker.ld into a flat binary, and the GNU-EFI loader (boot/) that
# carries that binary and starts it.

BUILD := build
CC := gcc
LD := ld
OBJCOPY := objcopy
NASM := nasm

EFI_INC := /usr/include/efi
EFI_LIB := /usr/lib

WARN := -Wall -Wextra -Werror
COMMON_CFLAGS := -std=gnu11 -O2 -g $(WARN) -ffreestanding -fno-stack-protector \
	-fno-strict-aliasing -fno-tree-loop-distribute-patterns -mno-red-zone -mgeneral-regs-only -fno-omit-frame-pointer \
	-nostdinc -isystem $(shell $(CC) -print-file-name=include) -I. -MMD -MP

KERNEL_CFLAGS := $(COMMON_CFLAGS) -mcmodel=kernel -fno-pic -fno-pie
BOOT_CFLAGS := $(COMMON_CFLAGS) -fpic -fshort-wchar \
	-maccumulate-outgoing-args -I$(EFI_INC) -I$(EFI_INC)/x86_64

KERNEL_C := $(wildcard kernel/*.c drivers/*.c vtd/*.c tests/conformance/*.c)
KERNEL_ASM := $(wildcard kernel/*.asm)
KERNEL_OBJ := $(KERNEL_C:%.c=$(BUILD)/k/%.o) $(KERNEL_ASM:%.asm=$(BUILD)/k/%.o)
BOOT_OBJ := $(BUILD)/b/boot/efi_main.o $(BUILD)/b/boot/kernel_blob.o

# `make V=1` shows the commands
Q := $(if $(V),,@)
say = $(if $(V),,@printf '  %-7s %s\n' $(1) $(2))

IMAGE := $(BUILD)/vtdtest.efi
ESP := $(BUILD)/esp/EFI/BOOT/BOOTX64.EFI

.PHONY: all check clean format
all: $(IMAGE) $(ESP)

$(BUILD)/k/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/k/%.o: %.asm
	@mkdir -p $(dir $@)
	$(call say,NASM,$<)
	$(Q)$(NASM) -f elf64 -g -F dwarf -I. -MD $(@:.o=.d) -o $@ $<

$(BUILD)/kernel.elf: $(KERNEL_OBJ) linker.ld
	$(call say,LD,$@)
	$(Q)$(LD) -nostdlib -static -z max-page-size=4096 -z noexecstack -T linker.ld -o $@ $(KERNEL_OBJ)

$(BUILD)/kernel.bin: $(BUILD)/kernel.elf
	$(Q)$(OBJCOPY) -O binary --only-section=.header --only-section=.text \
		--only-section=.rodata --only-section=.data $< $@

$(BUILD)/b/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(BOOT_CFLAGS) -c $< -o $@

$(BUILD)/b/boot/kernel_blob.o: boot/kernel_blob.asm $(BUILD)/kernel.bin
	@mkdir -p $(dir $@)
	$(call say,NASM,$<)
	$(Q)$(NASM) -f elf64 -I$(BUILD)/ -o $@ $<

$(BUILD)/loader.so: $(BOOT_OBJ)
	$(call say,LD,$@)
	$(Q)$(LD) -nostdlib -znocombreloc -shared -Bsymbolic -z noexecstack \
		-T $(EFI_LIB)/elf_x86_64_efi.lds -L$(EFI_LIB) \
		$(EFI_LIB)/crt0-efi-x86_64.o $(BOOT_OBJ) -o $@ -lefi -lgnuefi

$(IMAGE): $(BUILD)/loader.so
	$(call say,EFI,$@)
	$(Q)$(OBJCOPY) -j .text -j .sdata -j .data -j .rodata -j .dynamic -j .dynsym \
		-j .rel -j .rela -j .rel.* -j .rela.* -j .reloc \
		--target efi-app-x86_64 --subsystem=10 $< $@

$(ESP): $(IMAGE)
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

# Host-side tests: parser unit tests and fuzzers (tests/unit/unit.mk)
-include tests/unit/unit.mk

# Every test: fuzzers (briefly), the runner's self-tests, then host unit tests and
# the guest suite in every QEMU configuration, summed up in one final line.
check:
	$(Q)tests/deps --fuzz
	$(Q)$(MAKE) -s all fuzz
	$(Q)python3 tests/runner_selftest.py
	$(Q)tests/run --no-build --unit --all-configs

format:
	clang-format -i $(KERNEL_C) boot/*.c boot/*.h kernel/*.h vtd/*.h drivers/*.h

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

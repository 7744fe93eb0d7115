; Kernel entry: the header the loader reads, then the switch onto the kernel's
; own stack before any C runs.
bits 64

KERNEL_MAGIC equ 0x6c656e72656b6476	; "vdkernel", boot/bootinfo.h
STACK_SIZE equ 64 * 1024

extern __kernel_start
extern __file_size
extern __mem_size
extern kmain

section .kernel_header
	dq KERNEL_MAGIC
	dq __kernel_start
	dq kernel_entry
	dq __file_size
	dq __mem_size

section .text.entry
global kernel_entry
kernel_entry:			; rdi = struct bootinfo *
	cli
	cld
	lea rsp, [rel boot_stack_top]
	xor ebp, ebp
	call kmain
.halt:	cli
	hlt
	jmp .halt

section .bss
align 16
global boot_stack_top
boot_stack:
	resb STACK_SIZE
boot_stack_top:

section .note.GNU-stack noalloc noexec nowrite progbits

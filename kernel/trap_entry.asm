; Interrupt and exception entry stubs: each pushes a uniform frame
; (struct trap_frame in kernel/trap.h) and calls trap_dispatch().
bits 64

extern trap_dispatch

; Vectors for which the CPU pushes an error code (Intel SDM Vol. 3, 6.13)
%define HAS_ERR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

section .text
%assign v 0
%rep 256
trap_stub_ %+ v:
%if HAS_ERR(v) == 0
	push 0
%endif
	push v
	jmp trap_common
%assign v v + 1
%endrep

trap_common:
	push r15
	push r14
	push r13
	push r12
	push r11
	push r10
	push r9
	push r8
	push rbp
	push rdi
	push rsi
	push rdx
	push rcx
	push rbx
	push rax
	cld
	mov rdi, rsp
	call trap_dispatch
	pop rax
	pop rbx
	pop rcx
	pop rdx
	pop rsi
	pop rdi
	pop rbp
	pop r8
	pop r9
	pop r10
	pop r11
	pop r12
	pop r13
	pop r14
	pop r15
	add rsp, 16			; vector and error code
	iretq

section .rodata
global trap_stubs
trap_stubs:
%assign v 0
%rep 256
	dq trap_stub_ %+ v
%assign v v + 1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits

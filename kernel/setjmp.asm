; setjmp/longjmp for the test runner: an exception or a watchdog interrupt in a
; test unwinds straight back to the runner, which then reports and goes on.
bits 64

section .text
; int setjmp(struct jmp_buf *b)
global setjmp
setjmp:
	mov [rdi + 0], rbx
	mov [rdi + 8], rbp
	mov [rdi + 16], r12
	mov [rdi + 24], r13
	mov [rdi + 32], r14
	mov [rdi + 40], r15
	lea rax, [rsp + 8]		; the caller's rsp after our return
	mov [rdi + 48], rax
	mov rax, [rsp]			; return address
	mov [rdi + 56], rax
	xor eax, eax
	ret

; void longjmp(struct jmp_buf *b, int v) -- v of 0 becomes 1
global longjmp
longjmp:
	mov eax, esi
	test eax, eax
	jnz .nz
	inc eax
.nz:	mov rbx, [rdi + 0]
	mov rbp, [rdi + 8]
	mov r12, [rdi + 16]
	mov r13, [rdi + 24]
	mov r14, [rdi + 32]
	mov r15, [rdi + 40]
	mov rsp, [rdi + 48]
	jmp [rdi + 56]

section .note.GNU-stack noalloc noexec nowrite progbits

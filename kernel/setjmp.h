#ifndef SETJMP_H
#define SETJMP_H

#include <stdint.h>

struct jmp_buf {
	uint64_t rbx, rbp, r12, r13, r14, r15, rsp, rip;
};

int setjmp(struct jmp_buf *b) __attribute__((returns_twice));
__attribute__((noreturn)) void longjmp(struct jmp_buf *b, int v);

#endif

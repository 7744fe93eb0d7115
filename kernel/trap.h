/* Exceptions and interrupts: one IDT, one dispatcher. */
#ifndef TRAP_H
#define TRAP_H

#include <stdint.h>

struct trap_frame {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

#define TRAP_EXCEPTIONS 32

typedef void (*irq_handler_fn)(struct trap_frame *f, void *arg);

void trap_init(void);
/* Installs a handler for an interrupt vector (>= 32); returns 0 or -1 if taken. */
int irq_register(uint8_t vector, irq_handler_fn fn, void *arg);
/* Installs fn on a free vector of the dynamic range and returns it, or -1. */
int irq_alloc(irq_handler_fn fn, void *arg);
void irq_unregister(uint8_t vector);

/*
 * Called on an exception: if it returns, the exception is fatal. The test
 * runner installs one so an exception inside a test fails that test only.
 */
typedef void (*exception_hook_fn)(struct trap_frame *f);
void trap_set_exception_hook(exception_hook_fn fn);
void trap_print_frame(const struct trap_frame *f);
const char *exception_name(uint64_t vector);

static inline void irq_enable(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }

#endif

/*
 * The IDT and the one dispatcher behind it. Exceptions go to a hook (the test
 * runner's, which fails the running test and unwinds) or end the run with the
 * machine state printed; interrupts go to registered handlers and are EOI'd.
 */
#include "kernel/trap.h"

#include "kernel/apic.h"
#include "kernel/console.h"
#include "kernel/exit.h"
#include "kernel/gdt.h"

#define IDT_GATE_INTR 0x8e /* P, DPL0, 64-bit interrupt gate: IF cleared on entry */

/* Vectors that get a known-good stack (Intel SDM Vol. 3, 6.14.5 "Interrupt Stack Table") */
#define VEC_NMI 2
#define VEC_DOUBLE_FAULT 8
#define VEC_MACHINE_CHECK 18

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));

_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate layout");

extern const uint64_t trap_stubs[256];

static struct idt_gate idt[256];
static struct {
	irq_handler_fn fn;
	void *arg;
} irq[256];
static exception_hook_fn exception_hook;
static unsigned exception_depth;

static const char *const exception_names[TRAP_EXCEPTIONS] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
	"#BR bound range", "#UD invalid opcode", "#NM device not available",
	"#DF double fault", "coprocessor segment overrun", "#TS invalid TSS",
	"#NP segment not present", "#SS stack fault", "#GP general protection",
	"#PF page fault", "reserved 15", "#MF x87 error", "#AC alignment check",
	"#MC machine check", "#XM SIMD error", "#VE virtualization", "#CP control protection",
	"reserved 22", "reserved 23", "reserved 24", "reserved 25", "reserved 26",
	"reserved 27", "#HV hypervisor injection", "#VC VMM communication",
	"#SX security", "reserved 31",
};

const char *exception_name(uint64_t vector)
{
	return vector < TRAP_EXCEPTIONS ? exception_names[vector] : "interrupt";
}

void trap_init(void)
{
	for (unsigned v = 0; v < 256; v++) {
		uint64_t a = trap_stubs[v];
		idt[v] = (struct idt_gate){
			.offset_lo = a & 0xffff,
			.selector = GDT_KERNEL_CS,
			.ist = (v == VEC_NMI || v == VEC_DOUBLE_FAULT || v == VEC_MACHINE_CHECK)
				       ? IST_FATAL
				       : 0,
			.type = IDT_GATE_INTR,
			.offset_mid = (a >> 16) & 0xffff,
			.offset_hi = a >> 32,
		};
	}
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = {sizeof(idt) - 1, (uint64_t)idt};
	__asm__ volatile("lidt %0" ::"m"(idtr));
}

int irq_register(uint8_t vector, irq_handler_fn fn, void *arg)
{
	if (vector < TRAP_EXCEPTIONS || irq[vector].fn)
		return -1;
	irq[vector].arg = arg;
	irq[vector].fn = fn;
	return 0;
}

int irq_alloc(irq_handler_fn fn, void *arg)
{
	for (unsigned v = APIC_FIRST_DYNAMIC_VECTOR; v <= APIC_LAST_DYNAMIC_VECTOR; v++)
		if (!irq_register(v, fn, arg))
			return v;
	return -1;
}

void irq_unregister(uint8_t vector)
{
	irq[vector].fn = NULL;
	irq[vector].arg = NULL;
}

void trap_set_exception_hook(exception_hook_fn fn)
{
	exception_hook = fn;
}

static uint64_t read_cr2(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

void trap_print_frame(const struct trap_frame *f)
{
	printf("#   exception %llu (%s) error %#llx\n", (unsigned long long)f->vector,
	       exception_name(f->vector), (unsigned long long)f->error);
	printf("#   rip %016llx rsp %016llx rflags %08llx cs %llx ss %llx cr2 %016llx\n",
	       (unsigned long long)f->rip, (unsigned long long)f->rsp,
	       (unsigned long long)f->rflags, (unsigned long long)f->cs,
	       (unsigned long long)f->ss, (unsigned long long)read_cr2());
	printf("#   rax %016llx rbx %016llx rcx %016llx rdx %016llx\n",
	       (unsigned long long)f->rax, (unsigned long long)f->rbx,
	       (unsigned long long)f->rcx, (unsigned long long)f->rdx);
	printf("#   rsi %016llx rdi %016llx rbp %016llx r8  %016llx\n",
	       (unsigned long long)f->rsi, (unsigned long long)f->rdi,
	       (unsigned long long)f->rbp, (unsigned long long)f->r8);
	printf("#   r9  %016llx r10 %016llx r11 %016llx r12 %016llx\n",
	       (unsigned long long)f->r9, (unsigned long long)f->r10,
	       (unsigned long long)f->r11, (unsigned long long)f->r12);
	printf("#   r13 %016llx r14 %016llx r15 %016llx\n", (unsigned long long)f->r13,
	       (unsigned long long)f->r14, (unsigned long long)f->r15);
}

static void exception(struct trap_frame *f)
{
	/* A fault while reporting a fault: say the least possible and stop. */
	if (exception_depth++) {
		static const char msg[] = "# nested exception while handling an exception\n";
		console_write(msg, sizeof(msg) - 1);
		machine_exit(EXIT_HARNESS_ERROR);
	}
	if (exception_hook) {
		exception_depth = 0;
		exception_hook(f);
		exception_depth++;
	}
	printf("# fatal: exception outside any test\n");
	trap_print_frame(f);
	machine_exit(EXIT_HARNESS_ERROR);
}

void trap_dispatch(struct trap_frame *f)
{
	uint64_t v = f->vector;

	if (v < TRAP_EXCEPTIONS) {
		exception(f);
		return;
	}
	if (irq[v].fn)
		irq[v].fn(f, irq[v].arg);
	if (v != APIC_SPURIOUS_VECTOR)
		apic_eoi();
}

/* The local APIC (xAPIC or x2APIC mode) and the I/O APICs. */
#ifndef APIC_H
#define APIC_H

#include <stdbool.h>
#include <stdint.h>

/* Vectors the kernel itself owns; tests take theirs from the dynamic range
 * with irq_alloc() (trap.h). */
#define APIC_SPURIOUS_VECTOR 0xff
#define APIC_TIMER_VECTOR 0xfe
#define APIC_ERROR_VECTOR 0xfd
#define APIC_FIRST_DYNAMIC_VECTOR 0x40
#define APIC_LAST_DYNAMIC_VECTOR 0xef

enum apic_mode {
	APIC_MODE_AUTO,	  /* keep x2APIC if firmware enabled it, else xAPIC */
	APIC_MODE_XAPIC,
	APIC_MODE_X2APIC,
};

struct madt;

/* Returns 0, or -1 when the requested mode is unavailable (reported). */
int apic_init(enum apic_mode mode);
bool apic_x2apic(void);
uint32_t apic_id(void);
void apic_eoi(void);
/* Whether the in-service bit of vector is set (interrupt being handled). */
bool apic_in_service(uint8_t vector);

/* One-shot timer raising APIC_TIMER_VECTOR after about us microseconds. */
void apic_timer_oneshot(uint64_t us);
void apic_timer_stop(void);

/* Masks every redirection entry of every I/O APIC in the MADT and the 8259s. */
void ioapic_mask_all(const struct madt *madt);

#endif

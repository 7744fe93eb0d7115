/* Time: the TSC, calibrated once against the ACPI PM timer or the HPET. Every
 * poll in the project goes through wait_until(), which is always bounded. */
#ifndef TIMER_H
#define TIMER_H

#include <stdbool.h>
#include <stdint.h>

struct fadt;
struct hpet_info;

enum timer_reference {
	TIMER_REF_AUTO, /* the PM timer, else the HPET */
	TIMER_REF_PM,
	TIMER_REF_HPET,
};

/* Calibrates the TSC against the reference clock; returns 0, or -1 when none
 * works (reported; a CPUID-reported or assumed frequency is used then). */
int timer_init(const struct fadt *fadt, const struct hpet_info *hpet, enum timer_reference ref);

uint64_t time_us(void); /* microseconds since calibration */
void udelay(uint64_t us);

/* Polls cond(arg) until it returns true or timeout_us passes; returns whether it
 * became true. The condition is evaluated once more after the deadline, so a
 * slow poll never reports a timeout for something that did happen. */
bool wait_until(bool (*cond)(void *arg), void *arg, uint64_t timeout_us);

#endif

/*
 * Counts the interrupts a test provokes, on vectors taken for it: one
 * (irq_catch_one) or every free dynamic vector (irq_catch_all), so that a
 * message arriving with any vector but the expected one is seen too.
 *
 * There is one catcher, and it is static: a test the watchdog unwinds leaves
 * its vectors registered, and they must still point at live memory. Taking
 * the catcher gives back whatever it held first.
 */
#ifndef CONFORMANCE_IRQ_CATCH_H
#define CONFORMANCE_IRQ_CATCH_H

#include <stdbool.h>
#include <stdint.h>

/* Takes the catcher onto one free dynamic vector (irq_alloc) and returns it;
 * fails the test (a harness error) when none is free. */
uint8_t irq_catch_one(void);
/* Takes the catcher onto every free dynamic vector. */
void irq_catch_all(void);
/* A vector the catcher holds at or above `from`, other than other_than; 0 if
 * none. */
uint8_t irq_catch_vector(unsigned from, unsigned other_than);
/* Gives back every vector the catcher holds. */
void irq_catch_release(void);

/* Forgets what was caught so far. */
void irq_catch_reset(void);
/* Interrupts caught since the catcher was taken or reset */
unsigned irq_caught(void);
/* The vector of the first of them */
uint8_t irq_caught_first(void);
/* Waits up to timeout_us for an interrupt, then long enough for a second one
 * for the same event to show; returns whether one came. */
bool irq_catch_wait(uint64_t timeout_us);

/* Checks that exactly one interrupt came, within timeout_us, with vector;
 * what names it in the failures. */
void irq_expect_one(uint8_t vector, uint64_t timeout_us, const char *what);
/* Checks that none came within timeout_us (what: the stimulus). */
void irq_expect_none(uint64_t timeout_us, const char *what);

#endif

/* Helpers shared by the conformance suites: preconditions that either return
 * what a test needs or skip it with the reason, and common checks. */
#ifndef CONFORMANCE_COMMON_H
#define CONFORMANCE_COMMON_H

#include "kernel/acpi.h"
#include "kernel/dmar.h"
#include "kernel/finding.h"

/* The parsed DMAR model; skips when the machine has no DMAR table. */
const struct dmar *need_dmar(void);
/* The raw DMAR table; skips likewise. */
const struct acpi_table *need_dmar_table(void);

/* Fails the running test once for each finding with this code, printing it. */
void check_no_finding(const struct findings *f, enum finding_code code);

#endif

#include "tests/conformance/suites.h"

extern const struct test_suite acpi_suite, pci_suite, dmar_suite, dma_suite, fault_suite, qi_suite,
	harness_suite;
extern const struct test_suite ir_suite;

const struct test_suite *const all_suites[] = {
	&acpi_suite,
	&pci_suite,
	&dmar_suite,
	&dma_suite,
	&fault_suite,
	&qi_suite,
	&ir_suite,
	&harness_suite,
};

const unsigned all_suites_count = sizeof(all_suites) / sizeof(all_suites[0]);

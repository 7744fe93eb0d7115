/*
 * kmain: bring the machine up in dependency order, run the selected tests,
 * leave with a status. Anything that fails before the tests can run is a
 * harness error, reported on every console.
 */
#include "boot/bootinfo.h"
#include "kernel/apic.h"
#include "kernel/console.h"
#include "kernel/exit.h"
#include "kernel/fbcon.h"
#include "kernel/gdt.h"
#include "kernel/memmap.h"
#include "kernel/options.h"
#include "kernel/pci.h"
#include "kernel/platform.h"
#include "kernel/pmm.h"
#include "kernel/serial.h"
#include "kernel/test.h"
#include "kernel/timer.h"
#include "kernel/trap.h"
#include "kernel/vm.h"
#include "tests/conformance/suites.h"
#include "vtd/unit.h"

#define VTDTEST_VERSION "0.1"

extern char __kernel_start[];

static struct options opts;

__attribute__((noreturn)) static void harness_error(const char *what)
{
	printf("# error: %s\n", what);
	printf("Bail out! %s\n", what);
	machine_exit(EXIT_HARNESS_ERROR);
}

static void memory_init(const struct bootinfo *bi)
{
	memmap_init(bi);
	pmm_init();
	if (vm_init(bi, (uint64_t)__kernel_start))
		harness_error("out of memory building the kernel page tables");
	/* The firmware's page tables are no longer in use: their memory is free now. */
	pmm_add_boot_services();
	printf("# memory: %u map entries, %llu MiB free\n", memmap_count(),
	       (unsigned long long)(pmm_free_bytes() >> 20));
}

static enum exit_status final_status(const struct test_totals *t)
{
	if (t->failed)
		return EXIT_FAIL;
	if (!platform.dmar.present)
		return platform.other_iommu ? EXIT_OTHER_IOMMU : EXIT_NO_DMAR;
	return EXIT_PASS;
}

static void report_iommu(void)
{
	if (platform.dmar.present)
		return;
	if (platform.other_iommu)
		printf("# no DMAR table: this machine has no Intel VT-d; it has %s instead. "
		       "VT-d tests are skipped.\n",
		       platform.other_iommu);
	else
		printf("# no DMAR table: this machine has no Intel VT-d (or it is disabled in "
		       "firmware setup). VT-d tests are skipped.\n");
}

void kmain(struct bootinfo *bi)
{
	serial_init();
	gdt_init();
	trap_init();
	printf("TAP version 14\n# vtdtest %s\n", VTDTEST_VERSION);
	if (bi->magic != BOOTINFO_MAGIC)
		harness_error("boot information from the loader is damaged");
	int bad_options = options_parse(bi->cmdline, &opts);
	exit_configure(&opts.exit);
	if (bad_options) {
		options_usage();
		harness_error("bad command line");
	}
	printf("# command line: '%s'\n", bi->cmdline);
	if (bi->exit_retries)
		printf("# note: ExitBootServices needed %u retries (stale map key)\n",
		       bi->exit_retries);
	memory_init(bi);
	fbcon_init(&bi->fb);
	if (platform_init(bi))
		harness_error("cannot read the ACPI tables");
	if (opts.dump[0])
		platform_dump_tables(opts.dump);
	timer_init(&platform.fadt, &platform.hpet, opts.clock);
	if (apic_init(opts.apic))
		harness_error("cannot set up the local APIC");
	ioapic_mask_all(&platform.madt);
	pci_init(&platform.mcfg);
	if (opts.verbose >= 2)
		pci_print_verbose();
	else if (opts.verbose)
		pci_print();
	report_iommu();
	if (platform.dmar.present) {
		platform_resolve_dmar_scopes(pci_secondary_bus);
		vtd_units_init(&platform.dmar);
	}

	test_framework_init();
	/* a test cut short (exception, watchdog, failed precondition) must not
	 * leave translation or remapping on for the next */
	test_set_after_each(vtd_units_quiesce);
	struct test_options to = {
		.tests = opts.tests,
		.exclude = opts.exclude,
		.resume_after = opts.resume_after,
		.list = opts.list,
		.timeout_ms = opts.timeout_s * 1000,
	};
	struct test_totals totals = test_run(all_suites, all_suites_count, &to);
	enum exit_status status = opts.list ? EXIT_PASS : final_status(&totals);
	printf("# exit: %d\n", status);
	machine_exit(status);
}

/* Leaving the harness: under QEMU the status reaches the host through
 * isa-debug-exit; on a real machine the results stay on screen, then it resets. */
#ifndef EXIT_H
#define EXIT_H

#include <stdbool.h>

/* The guest's exit statuses (QEMU turns status s into process exit (s << 1) | 1) */
enum exit_status {
	EXIT_PASS = 0,		/* every selected test passed or was skipped */
	EXIT_FAIL = 1,		/* at least one test failed */
	EXIT_NO_DMAR = 2,	/* no DMAR table: VT-d tests were skipped */
	EXIT_OTHER_IOMMU = 3,	/* no DMAR, but another vendor's IOMMU table */
	EXIT_HARNESS_ERROR = 4, /* the harness itself could not run */
};

struct exit_options {
	bool qemu;		    /* isa-debug-exit is present (exit=qemu) */
	bool halt;		    /* stay halted instead of resetting */
	unsigned reset_delay_s;	    /* seconds the results stay on screen */
};

void exit_configure(const struct exit_options *o);
__attribute__((noreturn)) void machine_exit(enum exit_status status);

#endif

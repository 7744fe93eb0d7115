/* The harness command line (UEFI load options, or QEMU -append). */
#ifndef OPTIONS_H
#define OPTIONS_H

#include <stdbool.h>

#include "kernel/apic.h"
#include "kernel/exit.h"
#include "kernel/test.h"
#include "kernel/timer.h"

#define OPTION_VALUE_MAX 256

struct options {
	char tests[OPTION_VALUE_MAX];
	char exclude[OPTION_VALUE_MAX];
	char resume_after[OPTION_VALUE_MAX];
	char dump[OPTION_VALUE_MAX]; /* ACPI table signatures to hex-dump */
	bool list;
	unsigned verbose;
	unsigned timeout_s;
	enum apic_mode apic;
	enum timer_reference clock;
	struct exit_options exit;
};

/* Parses cmdline into o (defaults first); returns 0, or -1 after printing why. */
int options_parse(const char *cmdline, struct options *o);
void options_usage(void);

#endif

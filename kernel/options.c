/*
 * Command line: space-separated words, each `key=value` or a bare flag.
 * The UEFI shell passes the image's own path as the first word; a word ending
 * in ".efi" is taken for that and ignored.
 */
#include "kernel/options.h"

#include "kernel/console.h"
#include "kernel/string.h"

#define DEFAULT_TIMEOUT_S 10
#define DEFAULT_RESET_DELAY_S 30

struct option_desc {
	const char *key;
	const char *help;
	int (*set)(struct options *o, const char *value);
};

static int parse_uint(const char *v, unsigned *out)
{
	unsigned n = 0;

	if (!v || !*v)
		return -1;
	for (; *v; v++) {
		if (*v < '0' || *v > '9' || n > 100000000)
			return -1;
		n = n * 10 + (*v - '0');
	}
	*out = n;
	return 0;
}

static int copy_value(char *dst, const char *v)
{
	if (!v || strlen(v) >= OPTION_VALUE_MAX)
		return -1;
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

static int set_tests(struct options *o, const char *v) { return copy_value(o->tests, v); }
static int set_exclude(struct options *o, const char *v) { return copy_value(o->exclude, v); }
static int set_resume(struct options *o, const char *v) { return copy_value(o->resume_after, v); }
static int set_dump(struct options *o, const char *v) { return copy_value(o->dump, v); }
static int set_verbose(struct options *o, const char *v)
{
	if (!v) {
		o->verbose = 1;
		return 0;
	}
	return parse_uint(v, &o->verbose);
}
static int set_timeout(struct options *o, const char *v) { return parse_uint(v, &o->timeout_s); }
static int set_list(struct options *o, const char *v)
{
	o->list = true;
	return v ? -1 : 0;
}
static int set_halt(struct options *o, const char *v)
{
	o->exit.halt = true;
	return v ? -1 : 0;
}
static int set_reset_delay(struct options *o, const char *v)
{
	return parse_uint(v, &o->exit.reset_delay_s);
}
static int set_exit(struct options *o, const char *v)
{
	if (!v || strcmp(v, "qemu"))
		return -1;
	o->exit.qemu = true;
	return 0;
}
static int set_apic(struct options *o, const char *v)
{
	if (v && !strcmp(v, "xapic"))
		o->apic = APIC_MODE_XAPIC;
	else if (v && !strcmp(v, "x2apic"))
		o->apic = APIC_MODE_X2APIC;
	else if (v && !strcmp(v, "auto"))
		o->apic = APIC_MODE_AUTO;
	else
		return -1;
	return 0;
}

static int set_clock(struct options *o, const char *v)
{
	if (v && !strcmp(v, "pm"))
		o->clock = TIMER_REF_PM;
	else if (v && !strcmp(v, "hpet"))
		o->clock = TIMER_REF_HPET;
	else if (v && !strcmp(v, "auto"))
		o->clock = TIMER_REF_AUTO;
	else
		return -1;
	return 0;
}

static const struct option_desc option_table[] = {
	{"tests", "tests=P,...   run only tests matching a name, area or prefix (dmar, dmar.*)",
	 set_tests},
	{"exclude", "exclude=P,... leave out matching tests", set_exclude},
	{"resume-after", "resume-after=NAME  start after test NAME (used after a crash)",
	 set_resume},
	{"list", "list          list the selected tests and stop", set_list},
	{"verbose", "verbose[=N]   more detail (1: device lists, 2: everything)", set_verbose},
	{"timeout", "timeout=S     per-test watchdog in seconds (default 10)", set_timeout},
	{"apic", "apic=MODE     xapic, x2apic or auto (keep the firmware's mode)", set_apic},
	{"clock", "clock=REF     TSC reference: pm (ACPI PM timer), hpet or auto", set_clock},
	{"exit", "exit=qemu     report the status through QEMU's isa-debug-exit", set_exit},
	{"dump", "dump=SIG,...  hex-dump these ACPI tables (e.g. DMAR) as '# acpi-dump:' lines",
	 set_dump},
	{"halt", "halt          stop after the results instead of resetting", set_halt},
	{"reset-delay", "reset-delay=S seconds results stay on screen before reset (30)",
	 set_reset_delay},
};

#define NOPTIONS (sizeof(option_table) / sizeof(option_table[0]))

void options_usage(void)
{
	printf("# options:\n");
	for (unsigned i = 0; i < NOPTIONS; i++)
		printf("#   %s\n", option_table[i].help);
}

static bool ends_with_efi(const char *w, size_t n)
{
	static const char ext[] = ".efi";

	if (n < 4)
		return false;
	for (unsigned i = 0; i < 4; i++)
		if ((w[n - 4 + i] | 0x20) != ext[i])
			return false;
	return true;
}

static int apply_word(struct options *o, const char *w, size_t n)
{
	char word[OPTION_VALUE_MAX + 32];

	if (ends_with_efi(w, n))
		return 0;
	if (n >= sizeof(word)) {
		printf("# error: command-line word too long: %.40s...\n", w);
		return -1;
	}
	memcpy(word, w, n);
	word[n] = 0;
	char *value = strchr(word, '=');
	if (value)
		*value++ = 0;
	for (unsigned i = 0; i < NOPTIONS; i++) {
		if (strcmp(word, option_table[i].key))
			continue;
		if (option_table[i].set(o, value)) {
			printf("# error: bad value in '%.*s'\n", (int)n, w);
			return -1;
		}
		return 0;
	}
	printf("# error: unknown option '%.*s'\n", (int)n, w);
	return -1;
}

int options_parse(const char *cmdline, struct options *o)
{
	*o = (struct options){
		.timeout_s = DEFAULT_TIMEOUT_S,
		.apic = APIC_MODE_AUTO,
		.exit = {.reset_delay_s = DEFAULT_RESET_DELAY_S},
	};
	const char *p = cmdline;
	int err = 0;

	/* Every word is applied, so exit=qemu still holds after an earlier typo. */
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		const char *start = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (p > start && apply_word(o, start, p - start))
			err = -1;
	}
	return err;
}

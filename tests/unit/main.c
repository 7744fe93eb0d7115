/*
 * Runs every test table and reports in TAP version 14. With an argument, runs
 * only the test of that name. Exits non-zero when a test failed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tests/unit/unit.h"

extern const struct unit_test finding_tests[], acpi_tests[], dmar_tests[], madt_tests[],
	small_table_tests[], memory_tests[];
extern const struct unit_test irte_tests[];
extern const struct unit_test vtd_tests[];

static const struct unit_test *const suites[] = {
	finding_tests, acpi_tests, dmar_tests, madt_tests, small_table_tests, memory_tests,
	irte_tests, vtd_tests,
};

const char *unit_current = "";
static unsigned failures; /* checks failed in the current test */
static const char *skipped; /* why the current test was skipped, or NULL */

void unit_skip(const char *reason)
{
	skipped = reason;
}

void unit_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("# %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	failures++;
}

void unit_check_str(const char *file, int line, const char *what, const char *expected,
		    const char *seen)
{
	if (strcmp(expected, seen) != 0)
		unit_fail(file, line, "%s: expected \"%s\", seen \"%s\"", what, expected, seen);
}

const char *finding_name(enum finding_code code)
{
	static const char *const names[] = {
#define FINDING_NAME(code, origin, sev, fmt) [code] = #code,
		FINDING_LIST(FINDING_NAME)
#undef FINDING_NAME
	};

	return (unsigned)code < FINDING_CODE_COUNT ? names[code] : "?";
}

static void print_codes(const char *label, const enum finding_code *codes, size_t n)
{
	printf("#   %s:", label);
	if (n == 0)
		printf(" (none)");
	for (size_t i = 0; i < n; i++)
		printf(" %s", finding_name(codes[i]));
	printf("\n");
}

void unit_check_findings(const char *file, int line, const struct findings *f,
			 const enum finding_code *codes, size_t n)
{
	enum finding_code seen[FINDINGS_MAX];
	bool same = f->count == n && f->dropped == 0;

	for (unsigned i = 0; i < f->count; i++) {
		seen[i] = f->item[i].code;
		if (same && seen[i] != codes[i])
			same = false;
	}
	if (same)
		return;
	unit_fail(file, line, "findings differ%s", f->dropped ? " (some dropped)" : "");
	print_codes("expected", codes, n);
	print_codes("seen", seen, f->count);
}

void unit_check_finding_args(const char *file, int line, const struct findings *f,
			     enum finding_code code, uint64_t a, uint64_t b)
{
	for (unsigned i = 0; i < f->count; i++) {
		if (f->item[i].code != code)
			continue;
		if (f->item[i].arg[0] != a || f->item[i].arg[1] != b)
			unit_fail(file, line,
				  "%s: expected args (%#llx, %#llx), seen (%#llx, %#llx)",
				  finding_name(code), (unsigned long long)a, (unsigned long long)b,
				  (unsigned long long)f->item[i].arg[0],
				  (unsigned long long)f->item[i].arg[1]);
		return;
	}
	unit_fail(file, line, "%s: expected, not found", finding_name(code));
}

int main(int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : NULL;
	int total = 0, n = 0, passed = 0, failed = 0;

	for (size_t s = 0; s < sizeof(suites) / sizeof(suites[0]); s++)
		for (const struct unit_test *t = suites[s]; t->name; t++)
			total += !only || strcmp(only, t->name) == 0;

	printf("TAP version 14\n1..%d\n", total);
	for (size_t s = 0; s < sizeof(suites) / sizeof(suites[0]); s++) {
		for (const struct unit_test *t = suites[s]; t->name; t++) {
			if (only && strcmp(only, t->name) != 0)
				continue;
			unit_current = t->name;
			failures = 0;
			skipped = NULL;
			t->fn();
			n++;
			if (skipped && !failures) {
				printf("ok %d - %s # SKIP %s\n", n, t->name, skipped);
				passed++;
			} else if (failures) {
				printf("not ok %d - %s\n", n, t->name);
				failed++;
			} else {
				printf("ok %d - %s\n", n, t->name);
				passed++;
			}
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed || total == 0 ? 1 : 0;
}

/*
 * The test runner: selection, TAP version 14 output, and containment. Each
 * test runs with interrupts on and the local APIC timer armed as a watchdog;
 * an exception or the watchdog unwinds to the runner with longjmp, which fails
 * that test, names it, and goes on with the next.
 */
#include "kernel/test.h"

#include <stdarg.h>

#include "kernel/apic.h"
#include "kernel/console.h"
#include "kernel/setjmp.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "kernel/trap.h"

enum unwind { UNWIND_SKIP = 1, UNWIND_EXCEPTION, UNWIND_TIMEOUT, UNWIND_ABORT };

/* State of the test being run */
static struct {
	const struct test *t;
	struct jmp_buf env;
	unsigned failures;
	const char *first_failure_at;
	int first_failure_line;
	char first_failure[160];
	char skip_reason[160];
	unsigned timeout_ms;
} cur;

static void (*after_each)(void);

void test_set_after_each(void (*fn)(void))
{
	after_each = fn;
}

const char *test_current(void)
{
	return cur.t ? cur.t->name : NULL;
}

static void on_exception(struct trap_frame *f)
{
	if (!cur.t)
		return;
	apic_timer_stop();
	printf("#   exception in %s:\n", cur.t->name);
	trap_print_frame(f);
	snprintf(cur.first_failure, sizeof(cur.first_failure), "exception %llu (%s) at rip %#llx",
		 (unsigned long long)f->vector, exception_name(f->vector),
		 (unsigned long long)f->rip);
	longjmp(&cur.env, UNWIND_EXCEPTION);
}

static void on_watchdog(struct trap_frame *f, void *arg)
{
	(void)arg;
	if (!cur.t)
		return;
	printf("#   timeout: %s still running after %u ms (rip %#llx)\n", cur.t->name,
	       cur.timeout_ms, (unsigned long long)f->rip);
	snprintf(cur.first_failure, sizeof(cur.first_failure), "timeout after %u ms",
		 cur.timeout_ms);
	apic_eoi(); /* the dispatcher's EOI is skipped by the unwind */
	longjmp(&cur.env, UNWIND_TIMEOUT);
}

void test_framework_init(void)
{
	trap_set_exception_hook(on_exception);
	irq_register(APIC_TIMER_VECTOR, on_watchdog, NULL);
}

static void record_failure(const char *file, int line, const char *msg)
{
	if (!cur.failures++) {
		snprintf(cur.first_failure, sizeof(cur.first_failure), "%s", msg);
		cur.first_failure_at = file;
		cur.first_failure_line = line;
	}
}

void test_check(bool ok, const char *file, int line, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	if (ok)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("#   FAIL %s (%s:%d)\n", msg, file, line);
	record_failure(file, line, msg);
}

void test_check_eq(uint64_t seen, uint64_t expected, const char *what, const char *file,
		   int line)
{
	char msg[160];

	if (seen == expected)
		return;
	snprintf(msg, sizeof(msg), "%s: expected %#llx, seen %#llx", what,
		 (unsigned long long)expected, (unsigned long long)seen);
	printf("#   FAIL %s (%s:%d)\n#   expected: %#llx\n#   seen: %#llx\n", what, file, line,
	       (unsigned long long)expected, (unsigned long long)seen);
	record_failure(file, line, msg);
}

void test_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cur.skip_reason, sizeof(cur.skip_reason), fmt, ap);
	va_end(ap);
	longjmp(&cur.env, UNWIND_SKIP);
}

void test_abort(const char *file, int line, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("#   FAIL %s (%s:%d); test abandoned\n", msg, file, line);
	record_failure(file, line, msg);
	longjmp(&cur.env, UNWIND_ABORT);
}

void test_note(const char *fmt, ...)
{
	va_list ap;

	printf("#   ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/*
 * A pattern selects a test when it is the test's exact name, a leading part
 * of the name that ends at a dot ("dmar" selects dmar.*), or a prefix that
 * ends in '.' or '*'.
 */
static bool pattern_matches(const char *p, size_t n, const char *name)
{
	if (!n)
		return false;
	if (p[n - 1] == '*')
		return !strncmp(p, name, n - 1);
	if (strncmp(p, name, n))
		return false;
	return p[n - 1] == '.' || name[n] == 0 || name[n] == '.';
}

bool test_pattern_match(const char *patterns, const char *name)
{
	const char *p = patterns;

	while (p && *p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (pattern_matches(p, n, name))
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

static bool selected(const struct test *t, const struct test_options *o, bool *resumed)
{
	if (!*resumed) {
		*resumed = !strcmp(t->name, o->resume_after);
		return false;
	}
	bool filtered = o->tests && *o->tests;
	if (filtered ? !test_pattern_match(o->tests, t->name) : t->explicit_only)
		return false;
	return !(o->exclude && test_pattern_match(o->exclude, t->name));
}

/* Prints a string as a YAML double-quoted scalar. */
static void yaml_string(const char *key, const char *s)
{
	printf("  %s: \"", key);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			console_putc('\\');
		console_putc(*s);
	}
	printf("\"\n");
}

static enum test_outcome run_one(const struct test *t, unsigned number, unsigned default_ms)
{
	cur.t = t;
	cur.failures = 0;
	cur.first_failure[0] = 0;
	cur.first_failure_at = NULL;
	cur.timeout_ms = t->timeout_ms ? t->timeout_ms : default_ms;
	printf("# run: %s\n", t->name);

	int unwound = setjmp(&cur.env);
	if (!unwound) {
		apic_timer_oneshot((uint64_t)cur.timeout_ms * 1000);
		irq_enable();
		t->run();
	}
	irq_disable();
	apic_timer_stop();
	cur.t = NULL;
	if (after_each)
		after_each();

	if (unwound == UNWIND_SKIP) {
		printf("ok %u - %s # SKIP %s\n", number, t->name, cur.skip_reason);
		return TEST_SKIP;
	}
	if (!unwound && !cur.failures) {
		printf("ok %u - %s\n", number, t->name);
		return TEST_PASS;
	}
	printf("not ok %u - %s\n  ---\n", number, t->name);
	yaml_string("confirms", t->confirms);
	yaml_string("spec", t->spec);
	yaml_string("message", cur.first_failure);
	if (cur.first_failure_at)
		printf("  at: \"%s:%d\"\n", cur.first_failure_at, cur.first_failure_line);
	if (cur.failures > 1)
		printf("  failed_checks: %u\n", cur.failures);
	printf("  ...\n");
	return TEST_FAIL;
}

struct test_totals test_run(const struct test_suite *const *suites, unsigned nsuites,
			    const struct test_options *o)
{
	struct test_totals tot = {0};
	unsigned planned = 0, number = 0;
	bool resumed;

	for (int pass = 0; pass < 2; pass++) {
		resumed = !o->resume_after || !*o->resume_after;
		if (pass == 1 && !o->list)
			printf("1..%u\n", planned);
		for (unsigned s = 0; s < nsuites; s++) {
			for (unsigned i = 0; i < suites[s]->count; i++) {
				const struct test *t = &suites[s]->tests[i];
				if (!selected(t, o, &resumed))
					continue;
				if (pass == 0) {
					planned++;
				} else if (o->list) {
					printf("# list: %s | %s | %s\n", t->name, t->confirms,
					       t->spec);
				} else {
					enum test_outcome r = run_one(t, ++number, o->timeout_ms);
					tot.passed += r == TEST_PASS;
					tot.failed += r == TEST_FAIL;
					tot.skipped += r == TEST_SKIP;
				}
			}
		}
	}
	if (!o->list)
		printf("# summary: %u passed, %u failed, %u skipped\n", tot.passed, tot.failed,
		       tot.skipped);
	return tot;
}

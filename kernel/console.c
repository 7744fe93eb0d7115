/* Console fan-out: each byte printed goes to every registered sink. */
#include "kernel/console.h"

#define MAX_SINKS 4

static const struct console_sink *sinks[MAX_SINKS];
static unsigned nsinks;

void console_add_sink(const struct console_sink *sink)
{
	if (nsinks < MAX_SINKS)
		sinks[nsinks++] = sink;
}

void console_write(const char *s, size_t n)
{
	for (unsigned i = 0; i < nsinks; i++)
		sinks[i]->write(s, n);
}

void console_putc(char c)
{
	console_write(&c, 1);
}

/*
 * Console fan-out: each byte printed goes to every registered sink. The first
 * lines are kept and replayed to a sink that registers late (the framebuffer
 * needs the page tables first), so every console shows the whole start.
 */
#include "kernel/console.h"

#define MAX_SINKS 4
#define EARLY_LOG 8192

static const struct console_sink *sinks[MAX_SINKS];
static unsigned nsinks;
static char early[EARLY_LOG];
static size_t early_len;

void console_add_sink(const struct console_sink *sink)
{
	if (nsinks == MAX_SINKS)
		return;
	sinks[nsinks++] = sink;
	sink->write(early, early_len);
}

void console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n && early_len < EARLY_LOG; i++)
		early[early_len++] = s[i];
	for (unsigned i = 0; i < nsinks; i++)
		sinks[i]->write(s, n);
}

void console_putc(char c)
{
	console_write(&c, 1);
}

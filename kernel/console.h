/* Console: everything printed goes to every output the machine has (16550
 * serial and the GOP framebuffer), so a USB-booted machine without a serial
 * port still shows the results. */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

/* Supports %d %i %u %x %X %o %c %s %p %% with flags "-0# +", width, .precision
 * (also "*") and the length modifiers hh h l ll z. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
void console_putc(char c);
void console_write(const char *s, size_t n);

/* Output sinks; each registers at init */
struct console_sink {
	void (*write)(const char *s, size_t n);
};
void console_add_sink(const struct console_sink *sink);

#endif

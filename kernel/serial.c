/*
 * 16550 UART on COM1, polled: the results channel under QEMU (-serial) and on
 * servers with a serial console. Initialised to 115200 8N1 without FIFOs
 * interrupts; a missing UART (scratch register does not hold) is left alone.
 */
#include "kernel/serial.h"

#include <stdbool.h>
#include <stdint.h>

#include "kernel/console.h"
#include "kernel/io.h"

#define COM1 0x3f8
#define UART_THR 0 /* transmit holding (DLAB=0) */
#define UART_DLL 0 /* divisor latch low (DLAB=1) */
#define UART_IER 1 /* interrupt enable (DLAB=0) */
#define UART_DLH 1 /* divisor latch high (DLAB=1) */
#define UART_FCR 2 /* FIFO control */
#define UART_LCR 3 /* line control */
#define UART_LCR_8N1 0x03
#define UART_LCR_DLAB 0x80
#define UART_MCR 4 /* modem control */
#define UART_MCR_DTR_RTS 0x03
#define UART_LSR 5 /* line status */
#define UART_LSR_THRE 0x20 /* transmit holding register empty */
#define UART_SCR 7 /* scratch */
#define UART_DIVISOR_115200 1
#define UART_TX_SPINS 100000 /* bound on waiting for a stuck UART */

static void serial_putc(char c)
{
	for (unsigned i = 0; i < UART_TX_SPINS; i++) {
		if (inb(COM1 + UART_LSR) & UART_LSR_THRE)
			break;
		cpu_relax();
	}
	outb(COM1 + UART_THR, (uint8_t)c);
}

static void serial_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

static const struct console_sink serial_sink = {.write = serial_write};

static bool uart_present(void)
{
	outb(COM1 + UART_SCR, 0x5a);
	return inb(COM1 + UART_SCR) == 0x5a;
}

void serial_init(void)
{
	if (!uart_present())
		return;
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, UART_LCR_DLAB);
	outb(COM1 + UART_DLL, UART_DIVISOR_115200);
	outb(COM1 + UART_DLH, 0);
	outb(COM1 + UART_LCR, UART_LCR_8N1);
	outb(COM1 + UART_FCR, 0x07); /* enable and clear FIFOs */
	outb(COM1 + UART_MCR, UART_MCR_DTR_RTS);
	console_add_sink(&serial_sink);
}

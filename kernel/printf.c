/*
 * printf family on one formatter that emits through a callback, so console
 * output and snprintf share every conversion.
 */
#include <stdbool.h>
#include <stdint.h>

#include "kernel/console.h"

struct out {
	void (*put)(struct out *o, char c);
	char *buf;
	size_t size; /* capacity of buf */
	size_t used; /* console: bytes waiting in buf */
	size_t len;  /* characters formatted so far */
};

struct spec {
	bool left, zero, alt, plus, space;
	int width, prec; /* prec < 0: none */
	int length;	 /* 0 int, 1 long, 2 long long, -1 short, -2 char, 3 size_t */
};

static void emit(struct out *o, char c)
{
	o->put(o, c);
	o->len++;
}

static void pad(struct out *o, int n, char c)
{
	while (n-- > 0)
		emit(o, c);
}

static void emit_string(struct out *o, const char *s, const struct spec *sp)
{
	int n = 0;

	if (!s)
		s = "(null)";
	while (s[n] && (sp->prec < 0 || n < sp->prec))
		n++;
	if (!sp->left)
		pad(o, sp->width - n, ' ');
	for (int i = 0; i < n; i++)
		emit(o, s[i]);
	if (sp->left)
		pad(o, sp->width - n, ' ');
}

static void emit_number(struct out *o, uint64_t v, bool neg, unsigned base, bool upper,
			const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (sp->prec == 0 && n == 1 && tmp[0] == '0')
		n = 0;

	const char *prefix = "";
	if (neg)
		prefix = "-";
	else if (sp->plus)
		prefix = "+";
	else if (sp->space)
		prefix = " ";
	else if (sp->alt && base == 16 && n)
		prefix = upper ? "0X" : "0x";
	else if (sp->alt && base == 8)
		prefix = "0";
	int plen = 0;
	while (prefix[plen])
		plen++;

	int zeros = sp->prec > n ? sp->prec - n : 0;
	int total = plen + zeros + n;
	if (sp->zero && !sp->left && sp->prec < 0 && sp->width > total) {
		zeros += sp->width - total;
		total = sp->width;
	}
	if (!sp->left)
		pad(o, sp->width - total, ' ');
	for (int i = 0; i < plen; i++)
		emit(o, prefix[i]);
	pad(o, zeros, '0');
	while (n)
		emit(o, tmp[--n]);
	if (sp->left)
		pad(o, sp->width - total, ' ');
}

static uint64_t arg_unsigned(va_list *ap, int length)
{
	switch (length) {
	case -2: return (unsigned char)va_arg(*ap, unsigned);
	case -1: return (unsigned short)va_arg(*ap, unsigned);
	case 0: return va_arg(*ap, unsigned);
	case 1: return va_arg(*ap, unsigned long);
	case 3: return va_arg(*ap, size_t);
	default: return va_arg(*ap, unsigned long long);
	}
}

static int64_t arg_signed(va_list *ap, int length)
{
	switch (length) {
	case -2: return (signed char)va_arg(*ap, int);
	case -1: return (short)va_arg(*ap, int);
	case 0: return va_arg(*ap, int);
	case 1: return va_arg(*ap, long);
	case 3: return (int64_t)va_arg(*ap, size_t);
	default: return va_arg(*ap, long long);
	}
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){.prec = -1};
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else if (*f == '#')
			sp->alt = true;
		else if (*f == '+')
			sp->plus = true;
		else if (*f == ' ')
			sp->space = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			sp->prec = sp->prec * 10 + (*f++ - '0');
	}
	for (;; f++) {
		if (*f == 'l')
			sp->length = sp->length == 1 ? 2 : 1;
		else if (*f == 'h')
			sp->length = sp->length == -1 ? -2 : -1;
		else if (*f == 'z')
			sp->length = 3;
		else
			break;
	}
	return f;
}

static void format(struct out *o, const char *f, va_list ap_in)
{
	va_list ap;

	va_copy(ap, ap_in);
	for (; *f; f++) {
		if (*f != '%') {
			emit(o, *f);
			continue;
		}
		struct spec sp;
		f = parse_spec(f + 1, &sp, &ap);
		switch (*f) {
		case 'd':
		case 'i': {
			int64_t v = arg_signed(&ap, sp.length);
			emit_number(o, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, false, &sp);
			break;
		}
		case 'u':
			emit_number(o, arg_unsigned(&ap, sp.length), false, 10, false, &sp);
			break;
		case 'x':
		case 'X':
			emit_number(o, arg_unsigned(&ap, sp.length), false, 16, *f == 'X', &sp);
			break;
		case 'o':
			emit_number(o, arg_unsigned(&ap, sp.length), false, 8, false, &sp);
			break;
		case 'p':
			sp.alt = true;
			emit_number(o, (uintptr_t)va_arg(ap, void *), false, 16, false, &sp);
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);
			char s[2] = {c, 0};
			sp.prec = 1;
			emit_string(o, s, &sp);
			break;
		}
		case 's':
			emit_string(o, va_arg(ap, const char *), &sp);
			break;
		case '%':
			emit(o, '%');
			break;
		default: /* unknown conversion: show it rather than guess */
			emit(o, '%');
			if (!*f)
				goto done;
			emit(o, *f);
		}
	}
done:
	va_end(ap);
}

static void put_buffer(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = {.put = put_buffer, .buf = buf, .size = size};

	format(&o, fmt, ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* Console output is buffered per line so sinks get whole runs of text. */
static void put_console(struct out *o, char c)
{
	o->buf[o->used++] = c;
	if (c == '\n' || o->used == o->size) {
		console_write(o->buf, o->used);
		o->used = 0;
	}
}

int vprintf(const char *fmt, va_list ap)
{
	char line[256];
	struct out o = {.put = put_console, .buf = line, .size = sizeof(line)};

	format(&o, fmt, ap);
	if (o.used)
		console_write(line, o.used);
	return (int)o.len;
}

int printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

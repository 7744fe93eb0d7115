/*
 * Text console on the UEFI GOP framebuffer, so that a machine booted from a USB
 * stick without a serial port still shows its results. In QEMU it needs OVMF
 * and a display device with a GOP driver (-vga std).
 *
 * The framebuffer is only ever written, never read: it is mapped uncached, and
 * uncached reads cost a bus round trip each. A shadow of the character cells
 * records what is on screen instead, so scrolling repaints only the cells whose
 * content changes. ANSI SGR colour escapes (ESC [ n ; ... m) select the colour;
 * the serial console receives the same bytes, so both show PASS/FAIL coloured.
 */
#include "kernel/fbcon.h"

#include "kernel/console.h"
#include "kernel/font.h"
#include "kernel/io.h"
#include "kernel/vm.h"

/* Cells for 3840x2160 at scale 1; a larger grid is cut to its top rows */
#define MAX_CELLS (480 * 135)
#define MAX_SCALE 4
#define TAB 8
#define MAX_PARAMS 4
#define MIN(a, b) ((a) < (b) ? (a) : (b))

/* A cell is its character in bits 7:0 and its palette index in bits 11:8. */
#define CELL(c, colour) ((uint16_t)((uint8_t)(c) | (colour) << 8))
#define DEFAULT_FG 7
#define BRIGHT 8 /* the palette's second half */
#define BLANK CELL(' ', DEFAULT_FG)

/* The SGR colours 30-37 then 90-97 (bright), as 0xRRGGBB; the background is 0 */
static const uint32_t rgb[16] = {
	0x000000, 0xe04040, 0x40c040, 0xd0c040, 0x5070f0, 0xc050c0, 0x40c0c0, 0xd8d8d8,
	0x808080, 0xff7070, 0x70ff70, 0xffff70, 0x90a0ff, 0xff80ff, 0x70ffff, 0xffffff,
};

static uint16_t shadow[MAX_CELLS]; /* what the screen shows, row-major */

static struct {
	volatile uint32_t *fb;
	uint32_t stride; /* pixels per scan line */
	uint32_t scale;	 /* screen pixels per font pixel, each way */
	uint32_t cols, rows;
	uint32_t row, col; /* col == cols: the next character wraps */
	uint32_t pixel[16]; /* rgb[] in the framebuffer's format */
	uint8_t fg, bold; /* bold is 0 or BRIGHT */
	enum { TEXT, ESC, CSI } state;
	uint32_t nparams, params[MAX_PARAMS];
} con;

/* Places an 8-bit channel value into a mask of any position and width. */
static uint32_t channel(uint32_t v, uint32_t mask)
{
	uint32_t shift = 0, width = 0;

	if (!mask)
		return 0;
	while (!(mask >> shift & 1))
		shift++;
	while (shift + width < 32 && mask >> (shift + width) & 1)
		width++;
	v = width >= 8 ? v << (width - 8) : v >> (8 - width);
	return v << shift;
}

static void draw_cell(uint32_t row, uint32_t col, uint16_t cell)
{
	const uint8_t *glyph = font_glyph(cell & 0xff);
	uint32_t fg = con.pixel[cell >> 8], bg = con.pixel[0];
	uint32_t line[FONT_WIDTH * MAX_SCALE], w = FONT_WIDTH * con.scale;
	size_t top = (size_t)row * FONT_HEIGHT * con.scale * con.stride;
	volatile uint32_t *p = con.fb + top + col * FONT_WIDTH * con.scale;

	for (uint32_t y = 0; y < FONT_HEIGHT; y++) {
		for (uint32_t x = 0, n = 0; x < FONT_WIDTH; x++)
			for (uint32_t i = 0; i < con.scale; i++)
				line[n++] = glyph[y] << x & 0x80 ? fg : bg;
		/* Two pixels per store halve the uncached bus writes; w is even. A
		 * stride that is odd misaligns them, which x86 tolerates. */
		for (uint32_t i = 0; i < con.scale; i++, p += con.stride)
			for (uint32_t x = 0; x < w; x += 2)
				mmio_write64(p + x, line[x] | (uint64_t)line[x + 1] << 32);
	}
}

static void set_cell(uint32_t i, uint16_t cell)
{
	if (shadow[i] == cell)
		return;
	shadow[i] = cell;
	draw_cell(i / con.cols, i % con.cols, cell);
}

/* Scrolls by half a screen at a time: a scroll repaints every cell that
 * changes, up to a whole screen of uncached writes, so it is paid once per
 * half screen of lines rather than on every line. */
static void newline(void)
{
	uint32_t n = con.cols * con.rows, by = con.rows - con.rows / 2;

	con.col = 0;
	if (con.row + 1 < con.rows) {
		con.row++;
		return;
	}
	/* Ascending order reads each source cell before it is overwritten. */
	for (uint32_t i = 0; i < n; i++)
		set_cell(i, i + by * con.cols < n ? shadow[i + by * con.cols] : BLANK);
	con.row = con.rows - by;
}

static void put_char(char c)
{
	if (con.col == con.cols)
		newline();
	/* A space looks the same in any colour; one value lets scrolling skip it. */
	set_cell(con.row * con.cols + con.col++, c == ' ' ? BLANK : CELL(c, con.fg | con.bold));
}

/* SGR: 0 reset, 1 and 22 bold (drawn as the bright colours) on and off,
 * 30-37 and 39 colour, 90-97 bright colour */
static void sgr(uint32_t p)
{
	if (p == 0 || p == 22)
		con.bold = 0;
	if (p == 0 || p == 39)
		con.fg = DEFAULT_FG;
	else if (p == 1)
		con.bold = BRIGHT;
	else if (p >= 30 && p <= 37)
		con.fg = p - 30;
	else if (p >= 90 && p <= 97)
		con.fg = BRIGHT + p - 90;
}

/* Consumes one byte of an escape sequence; other CSI sequences are dropped. */
static void escape(char c)
{
	if (con.state == ESC) {
		con.state = c == '[' ? CSI : TEXT;
		con.nparams = 1;
		con.params[0] = 0;
	} else if (c >= '0' && c <= '9') {
		uint32_t *p = &con.params[con.nparams - 1];

		if (*p < 1000) /* bounds absurd numbers; anything that big is ignored */
			*p = *p * 10 + (c - '0');
	} else if (c == ';') {
		if (con.nparams < MAX_PARAMS)
			con.params[con.nparams++] = 0;
	} else if (c >= 0x40 && c <= 0x7e) { /* final byte */
		con.state = TEXT;
		for (uint32_t i = 0; c == 'm' && i < con.nparams; i++)
			sgr(con.params[i]);
	}
}

static void fbcon_write(const char *s, size_t n)
{
	for (; n--; s++) {
		if (con.state != TEXT)
			escape(*s);
		else if (*s == '\x1b')
			con.state = ESC;
		else if (*s == '\n')
			newline();
		else if (*s == '\r')
			con.col = 0;
		else if (*s == '\t')
			con.col = MIN((con.col / TAB + 1) * TAB, con.cols);
		else if ((unsigned char)*s >= 0x20 && *s != 0x7f)
			put_char(*s); /* bytes above 0x7e show the font's box */
	}
}

static const struct console_sink sink = {fbcon_write};

void fbcon_init(const struct boot_fb *fb)
{
	uint32_t r, g, b;

	if (fb->format == FB_NONE || !fb->base)
		return;
	if (fb->format == FB_RGBX)
		r = 0xff, g = 0xff00, b = 0xff0000;
	else if (fb->format == FB_BGRX)
		r = 0xff0000, g = 0xff00, b = 0xff;
	else if (fb->format == FB_MASKS)
		r = fb->red_mask, g = fb->green_mask, b = fb->blue_mask;
	else
		r = g = b = 0;
	if (!(r | g | b) || fb->width < FONT_WIDTH || fb->height < FONT_HEIGHT ||
	    fb->stride < fb->width || fb->size / 4 / fb->stride < fb->height) {
		printf("fbcon: unusable framebuffer (format %u, %ux%u, stride %u, size %#lx)\n",
		       fb->format, fb->width, fb->height, fb->stride, (unsigned long)fb->size);
		return;
	}
	con.fb = (volatile uint32_t *)mmio_map_wc(fb->base, fb->size);
	if (!con.fb) {
		printf("fbcon: cannot map the framebuffer at %#lx\n", (unsigned long)fb->base);
		return;
	}
	for (uint32_t i = 0; i < 16; i++)
		con.pixel[i] = channel(rgb[i] >> 16 & 0xff, r) | channel(rgb[i] >> 8 & 0xff, g) |
			       channel(rgb[i] & 0xff, b);
	con.stride = fb->stride;
	/* HiDPI: from 2000 lines up, draw the font at 2x or more so text keeps
	 * roughly the size it has on a 1080-line screen. */
	con.scale = fb->height < 2000 ? 1 : MIN(fb->height / 1000, MAX_SCALE);
	con.cols = fb->width / (FONT_WIDTH * con.scale);
	con.rows = fb->height / (FONT_HEIGHT * con.scale);
	con.cols = MIN(con.cols, MAX_CELLS);
	con.rows = MIN(con.rows, MAX_CELLS / con.cols);
	con.row = con.col = 0;
	con.fg = DEFAULT_FG;
	con.bold = 0;
	con.state = TEXT;

	/* Firmware leaves its logo and text behind; the margins right of and
	 * below the grid are cleared here once and never drawn again. */
	for (uint32_t y = 0; y < fb->height; y++)
		for (uint32_t x = 0; x < fb->width; x++)
			mmio_write32(con.fb + (size_t)y * con.stride + x, con.pixel[0]);
	for (uint32_t i = 0; i < con.cols * con.rows; i++)
		shadow[i] = BLANK;

	console_add_sink(&sink);
	printf("fbcon: %ux%u framebuffer, %ux%u text at scale %u\n", fb->width, fb->height,
	       con.cols, con.rows, con.scale);
}

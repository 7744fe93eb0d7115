/*
 * Host check of the framebuffer console (kernel/fbcon.c): draws into a
 * malloc'd framebuffer in each pixel format, reads every cell back against the
 * font, checks what the screen should show, and writes PNGs to look at.
 *
 *   gcc -std=gnu11 -g -O1 -Wall -Wextra -Werror -fsanitize=address,undefined -I. \
 *       tests/unit/fbcon_render.c kernel/fbcon.c kernel/font.c -lz -o build/fbcon_render
 *   build/fbcon_render build          # also writes build/fbcon_*.png
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "kernel/console.h"
#include "kernel/fbcon.h"
#include "kernel/font.h"

#define PAD 0xdeadbeefu /* fills the stride padding, which must stay untouched */

/* The kernel services fbcon uses */
volatile void *mmio_map_wc(uint64_t phys, uint64_t size)
{
	(void)size;
	return (volatile void *)(uintptr_t)phys;
}

static const struct console_sink *sink;

void console_add_sink(const struct console_sink *s) { sink = s; }

static int failures;

static void check(int ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("%s: ", ok ? "PASS" : "FAIL");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	failures += !ok;
}

struct screen {
	struct boot_fb fb;
	uint32_t *px;
	uint32_t cols, rows, scale; /* what fbcon is expected to choose */
};

static void screen_free(struct screen *s)
{
	free(s->px);
	free(s);
}

static void say(const char *s) { sink->write(s, strlen(s)); }

static struct screen *screen_new(uint32_t format, uint32_t w, uint32_t h, uint32_t stride,
				 uint32_t r, uint32_t g, uint32_t b)
{
	struct screen *s = calloc(1, sizeof(*s));

	s->px = malloc((size_t)stride * h * 4);
	for (size_t i = 0; i < (size_t)stride * h; i++)
		s->px[i] = PAD;
	s->fb = (struct boot_fb){(uintptr_t)s->px, (uint64_t)stride * h * 4, w, h, stride, format,
				 r, g, b};
	s->scale = h >= 2000 ? 2 : 1;
	s->cols = w / 8 / s->scale;
	s->rows = h / 16 / s->scale;
	sink = NULL;
	fbcon_init(&s->fb);
	check(sink != NULL, "%ux%u format %u: fbcon registers a sink", w, h, format);
	return s;
}

/* Top 8 bits of the channel under mask */
static uint32_t chan(uint32_t px, uint32_t mask)
{
	int lo = __builtin_ctz(mask), bits = 32 - __builtin_clz(mask) - lo;
	uint32_t v = (px & mask) >> lo;

	return bits >= 8 ? v >> (bits - 8) : v << (8 - bits);
}

static void masks(const struct screen *s, uint32_t *r, uint32_t *g, uint32_t *b)
{
	*r = s->fb.format == FB_RGBX ? 0xff : s->fb.format == FB_BGRX ? 0xff0000 : s->fb.red_mask;
	*g = s->fb.format == FB_MASKS ? s->fb.green_mask : 0xff00;
	*b = s->fb.format == FB_RGBX ? 0xff0000 : s->fb.format == FB_BGRX ? 0xff : s->fb.blue_mask;
}

/* Reads cell (row, col) back: its character (0x7f for the box, -1 if the
 * pixels match no glyph) and its ink pixel (0 if none). */
static int read_cell(const struct screen *s, uint32_t row, uint32_t col, uint32_t *ink)
{
	uint8_t bits[FONT_HEIGHT] = {0};

	*ink = 0;
	for (uint32_t y = 0; y < FONT_HEIGHT * s->scale; y++)
		for (uint32_t x = 0; x < FONT_WIDTH * s->scale; x++) {
			size_t py = (size_t)row * FONT_HEIGHT * s->scale + y;
			uint32_t p = s->px[py * s->fb.stride + col * FONT_WIDTH * s->scale + x];

			if (!p)
				continue;
			if (*ink && p != *ink)
				return -1;
			*ink = p;
			bits[y / s->scale] |= 0x80 >> (x / s->scale);
		}
	for (int c = 0x20; c <= 0x7f; c++)
		if (!memcmp(font_glyph(c == 0x7f ? 0x80 : c), bits, FONT_HEIGHT))
			return c;
	return -1;
}

/* The text of a screen row, trailing blanks dropped; '?' marks an unreadable cell */
static void read_row(const struct screen *s, uint32_t row, char *out)
{
	uint32_t ink, n = 0;

	for (uint32_t col = 0; col < s->cols; col++) {
		int c = read_cell(s, row, col, &ink);

		out[col] = c < 0 ? '?' : c;
		if (c != ' ')
			n = col + 1;
	}
	out[n] = 0;
}

static int whole_screen_reads(const struct screen *s)
{
	uint32_t ink;

	for (uint32_t row = 0; row < s->rows; row++)
		for (uint32_t col = 0; col < s->cols; col++)
			if (read_cell(s, row, col, &ink) < 0)
				return 0;
	return 1;
}

static int padding_untouched(const struct screen *s)
{
	for (uint32_t y = 0; y < s->fb.height; y++)
		for (uint32_t x = s->fb.width; x < s->fb.stride; x++)
			if (s->px[(size_t)y * s->fb.stride + x] != PAD)
				return 0;
	return 1;
}

static void expect_row(const struct screen *s, uint32_t row, const char *want)
{
	char got[1024];

	read_row(s, row, got);
	check(!strcmp(got, want), "row %u reads \"%s\" (got \"%s\")", row, want, got);
}

/* The colour of the cell's ink as 0xRRGGBB */
static uint32_t ink_rgb(const struct screen *s, uint32_t row, uint32_t col)
{
	uint32_t ink, r, g, b;

	read_cell(s, row, col, &ink);
	masks(s, &r, &g, &b);
	return chan(ink, r) << 16 | chan(ink, g) << 8 | chan(ink, b);
}

static void write_png(const struct screen *s, const char *dir, const char *name)
{
	uint32_t w = s->fb.width, h = s->fb.height, r, g, b;
	size_t rawlen = (size_t)h * (1 + 3 * w);
	uLongf zlen = compressBound(rawlen);
	uint8_t *raw = malloc(rawlen), *z = malloc(zlen), *q = raw;
	char path[512];
	FILE *f;

	masks(s, &r, &g, &b);
	for (uint32_t y = 0; y < h; y++) {
		*q++ = 0; /* filter: none */
		for (uint32_t x = 0; x < w; x++) {
			uint32_t p = s->px[(size_t)y * s->fb.stride + x];

			*q++ = chan(p, r), *q++ = chan(p, g), *q++ = chan(p, b);
		}
	}
	compress2(z, &zlen, raw, rawlen, 6);
	snprintf(path, sizeof(path), "%s/fbcon_%s.png", dir, name);
	f = fopen(path, "wb");
	if (!f) {
		check(0, "cannot write %s", path);
		exit(1);
	}
	uint8_t ihdr[13] = {w >> 24, w >> 16, w >> 8, w, h >> 24, h >> 16, h >> 8, h, 8, 2};
	struct {
		const char *type;
		const uint8_t *data;
		uint32_t len;
	} chunks[] = {{"IHDR", ihdr, 13}, {"IDAT", z, zlen}, {"IEND", NULL, 0}};

	fwrite("\x89PNG\r\n\x1a\n", 1, 8, f);
	for (int i = 0; i < 3; i++) {
		uint32_t len = chunks[i].len, crc = crc32(0, (const Bytef *)chunks[i].type, 4);
		uint8_t be[4] = {len >> 24, len >> 16, len >> 8, len};

		crc = crc32(crc, chunks[i].data, len);
		fwrite(be, 1, 4, f);
		fwrite(chunks[i].type, 1, 4, f);
		if (len)
			fwrite(chunks[i].data, 1, len, f);
		be[0] = crc >> 24, be[1] = crc >> 16, be[2] = crc >> 8, be[3] = crc;
		fwrite(be, 1, 4, f);
	}
	fclose(f);
	printf("wrote %s\n", path);
	free(raw);
	free(z);
}

#define FOX "The quick brown fox jumps over the lazy dog."

/* Numbered lines scroll the screen: it must then show the latest lines, in
 * order, up to the cursor row, and at least half a screen of them. */
static void scroll_test(const struct screen *s, int lines)
{
	char buf[1024], want[128];
	uint32_t first = 0, shown = 0;

	for (int i = 1; i <= lines; i++) {
		snprintf(buf, sizeof(buf), "line %03d: " FOX "\n", i);
		say(buf);
	}
	for (uint32_t row = 0; row < s->rows; row++) {
		read_row(s, row, buf);
		if (!buf[0])
			break;
		if (!shown)
			first = atoi(buf + 5);
		snprintf(want, sizeof(want), "line %03u: " FOX, first + shown);
		if (strcmp(buf, want))
			break;
		shown++;
	}
	check(shown && first + shown - 1 == (uint32_t)lines && shown >= s->rows / 2,
	      "after %d lines the screen shows lines %u-%u in order", lines, first,
	      first + shown - 1);
	check(whole_screen_reads(s), "every cell reads as a glyph after scrolling");
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : ".";
	char wide[200];
	struct screen *s;

	/* BGRX with stride padding: control characters, colours, wrapping */
	s = screen_new(FB_BGRX, 1024, 768, 1040, 0, 0, 0);
	say("PASS: \x1b[32mgreen\x1b[0m \x1b[1;31mFAIL\x1b[0m \x1b[93mYEL\x1b[39m def\n");
	say("a\tb\tc\n");
	say("xxxxx\rab\n");
	say("box:\x80\x01\x7f!\x1b[2J\x1b[Hend\n");
	memset(wide, 'W', 130);
	wide[130] = '\n';
	sink->write(wide, 131);
	memset(wide, 'E', s->cols);
	wide[s->cols] = '\n';
	sink->write(wide, s->cols + 1);
	say("0O 1lI| 2Z 5S 8B 6b 9g rn m vy {[()]} <=> ~^`'\" _-+*/\\ #$%&@?!.,:;\n");
	expect_row(s, 0, "PASS: green FAIL YEL def");
	check(ink_rgb(s, 0, 0) == ink_rgb(s, 0, 21), "default colour before and after SGR 0/39");
	check(ink_rgb(s, 0, 6) == 0x40c040, "SGR 32 is green (%06x)", ink_rgb(s, 0, 6));
	check(ink_rgb(s, 0, 12) == 0xff7070, "SGR 1;31 is bright red (%06x)", ink_rgb(s, 0, 12));
	check(ink_rgb(s, 0, 17) == 0xffff70, "SGR 93 is bright yellow (%06x)", ink_rgb(s, 0, 17));
	expect_row(s, 1, "a       b       c");
	expect_row(s, 2, "abxxx");
	expect_row(s, 3, "box:\x7f!end");
	memset(wide, 'W', 128);
	wide[128] = 0;
	expect_row(s, 4, wide);
	expect_row(s, 5, "WW");
	memset(wide, 'E', 128);
	expect_row(s, 6, wide);
	expect_row(s, 7, "0O 1lI| 2Z 5S 8B 6b 9g rn m vy {[()]} <=> ~^`'\" _-+*/\\ #$%&@?!.,:;");
	expect_row(s, 8, "");
	check(whole_screen_reads(s), "every cell reads as a glyph");
	write_png(s, dir, "bgrx_text");
	scroll_test(s, 100);
	check(padding_untouched(s), "pixels beyond the width in each scan line stay untouched");
	write_png(s, dir, "bgrx_scrolled");

	screen_free(s);

	/* 4K RGBX: glyphs at scale 2 */
	s = screen_new(FB_RGBX, 3840, 2160, 3840, 0, 0, 0);
	say("\x1b[32mPASS\x1b[0m: 4K at scale 2\n");
	check(ink_rgb(s, 0, 0) == 0x40c040, "RGBX green (%06x)", ink_rgb(s, 0, 0));
	scroll_test(s, 150);
	write_png(s, dir, "rgbx_4k");

	screen_free(s);

	/* 10-bit channels given by masks */
	s = screen_new(FB_MASKS, 800, 600, 800, 0x3ff00000, 0xffc00, 0x3ff);
	say("white \x1b[31mred\x1b[0m\n");
	check(ink_rgb(s, 0, 0) == 0xd8d8d8, "10-bit masks white (%06x)", ink_rgb(s, 0, 0));
	check(ink_rgb(s, 0, 6) == 0xe04040, "10-bit masks red (%06x)", ink_rgb(s, 0, 6));
	scroll_test(s, 77);
	write_png(s, dir, "masks_10bit");

	/* What the firmware may hand over but fbcon must refuse */
	struct boot_fb bad[] = {
		{0, 1 << 20, 640, 480, 640, FB_BGRX, 0, 0, 0},			 /* no base */
		{(uintptr_t)s->px, 1 << 20, 640, 480, 640, FB_NONE, 0, 0, 0},	 /* no GOP */
		{(uintptr_t)s->px, 1 << 20, 640, 480, 600, FB_BGRX, 0, 0, 0},	 /* stride */
		{(uintptr_t)s->px, 1 << 20, 640, 480, 640, FB_BGRX, 0, 0, 0},	 /* size */
		{(uintptr_t)s->px, 1 << 22, 640, 480, 640, FB_MASKS, 0, 0, 0},	 /* masks */
		{(uintptr_t)s->px, 1 << 22, 640, 480, 640, 7, 0, 0, 0},		 /* format */
		{(uintptr_t)s->px, 1 << 22, 4, 480, 640, FB_RGBX, 0, 0, 0},	 /* width */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		sink = NULL;
		fbcon_init(&bad[i]);
		check(!sink, "unusable framebuffer %zu refused", i);
	}

	screen_free(s);
	printf("%s\n", failures ? "FAILED" : "OK");
	return failures != 0;
}

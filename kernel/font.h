/* The console font: 8x16 bitmaps for printable ASCII, drawn for this project.
 * font.c is generated from the glyph sheet in tests/unit/render_font.py. */
#ifndef FONT_H
#define FONT_H

#include <stdint.h>

#define FONT_WIDTH 8
#define FONT_HEIGHT 16

/* The FONT_HEIGHT rows of c's glyph, bit 7 the leftmost pixel; anything outside
 * printable ASCII (0x20-0x7e) gets a hollow box. */
const uint8_t *font_glyph(unsigned char c);

#endif

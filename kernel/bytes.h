/*
 * Reading firmware tables byte by byte: little-endian readers that do not care
 * about alignment, and the one walker for lists of type/length structures
 * (DMAR remapping structures, device scopes, MADT entries). Table fields sit at
 * odd offsets, so a cast to a wider pointer would be an unaligned access.
 * Callers check lengths before reading; the walker never hands out an entry
 * that does not fit in its bounds.
 */
#ifndef BYTES_H
#define BYTES_H

#include <stddef.h>
#include <stdint.h>

static inline uint8_t rd8(const uint8_t *p)
{
	return p[0];
}

static inline uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (unsigned)p[1] << 8);
}

static inline uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* Models are large; zeroing them here keeps the parsers free of libc. */
static inline void bytes_zero(void *p, size_t n)
{
	uint8_t *b = p;

	while (n--)
		*b++ = 0;
}

/* Whether the n bytes at p spell the first n characters of s. */
static inline int bytes_eq(const uint8_t *p, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (uint8_t)s[i])
			return 0;
	return 1;
}

/*
 * Walks [off, end) of buf as back-to-back entries, each starting with a type
 * and a length field of hdr bytes each (1 or 2). An entry whose length is below
 * min_len (which includes 0, so a zero length cannot loop) or runs past end
 * stops the walk: after it nothing tells where the next entry starts.
 */
struct walk {
	const uint8_t *buf;
	size_t off, end;
	unsigned hdr;
	unsigned min_len;
};

struct walk_entry {
	const uint8_t *p; /* the entry's first byte */
	size_t off;	  /* of the entry within buf */
	unsigned type;
	size_t len; /* from the length field; for WALK_TRUNCATED with no room
		       for the header, the bytes left */
};

enum walk_result {
	WALK_OK,
	WALK_END,	  /* exactly at end */
	WALK_TRUNCATED,	  /* the header or the entry runs past end */
	WALK_BAD_LENGTH,  /* length below min_len */
};

static inline struct walk walk_init(const uint8_t *buf, size_t off, size_t end, unsigned hdr,
				    unsigned min_len)
{
	struct walk w = { buf, off, end, hdr, min_len };

	return w;
}

static inline enum walk_result walk_next(struct walk *w, struct walk_entry *e)
{
	size_t left;

	if (w->off >= w->end)
		return WALK_END;
	left = w->end - w->off;
	e->off = w->off;
	e->p = w->buf + w->off;
	w->off = w->end; /* any failure below ends the walk */
	if (left < 2 * (size_t)w->hdr) {
		e->type = 0;
		e->len = left;
		return WALK_TRUNCATED;
	}
	if (w->hdr == 1) {
		e->type = rd8(e->p);
		e->len = rd8(e->p + 1);
	} else {
		e->type = rd16(e->p);
		e->len = rd16(e->p + 2);
	}
	if (e->len < w->min_len)
		return WALK_BAD_LENGTH;
	if (e->len > left)
		return WALK_TRUNCATED;
	w->off = e->off + e->len;
	return WALK_OK;
}

#endif

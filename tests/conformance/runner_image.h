/* The contents tests/run gives every disk image (tests/runner/qemu.py,
 * fill_image(); tests/configs.ini describes it): the little-endian 64-bit word
 * at byte offset o holds RUNNER_IMAGE_WORD(o), "vtd" in its top three bytes and
 * o below. An all-zero image would make a read that never happened look like
 * one that did. */
#ifndef RUNNER_IMAGE_H
#define RUNNER_IMAGE_H

#include <stdint.h>

#define RUNNER_IMAGE_TAG          0x7674640000000000ull
#define RUNNER_IMAGE_TAG_MASK     0xffffff0000000000ull
#define RUNNER_IMAGE_WORD(offset) (RUNNER_IMAGE_TAG | (uint64_t)(offset))

#endif

/* Text console on the UEFI GOP framebuffer (fbcon.c). */
#ifndef FBCON_H
#define FBCON_H

#include "boot/bootinfo.h"

/* Maps and clears the framebuffer and adds it as a console sink, so call it
 * once, after vm_init (it needs mmio_map). Leaves the console alone, saying why
 * on the other sinks, when fb is absent or unusable. */
void fbcon_init(const struct boot_fb *fb);

#endif

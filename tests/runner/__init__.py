"""Host driver for vtdtest: boots the guest in QEMU, reads its TAP, reports results."""

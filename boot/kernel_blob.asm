; The kernel proper (build/kernel.bin, linked with linker.ld) carried inside
; the UEFI loader as data; boot/efi_main.c copies it into place.
section .data
align 16
global kernel_blob_start
global kernel_blob_end
kernel_blob_start:
	incbin "kernel.bin"
kernel_blob_end:

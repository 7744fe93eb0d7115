#ifndef SERIAL_H
#define SERIAL_H

/* Claims COM1 as a console sink if a 16550 answers there. */
void serial_init(void);

#endif

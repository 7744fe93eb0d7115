/*
 * VT-d remapping unit registers (Intel VT-d Architecture Specification,
 * chapter "Register Descriptions"). Offsets from the unit's register base,
 * which the DRHD structure of the DMAR table gives.
 */
#ifndef VTD_REGS_H
#define VTD_REGS_H

/* "Version Register" */
#define VTD_VER 0x000
#define VTD_VER_MAJOR(v) (((v) >> 4) & 0xf) /* MAX: major version */
#define VTD_VER_MINOR(v) ((v) & 0xf)	     /* MIN: minor version */

/* "Capability Register" */
#define VTD_CAP 0x008

/* "Extended Capability Register" */
#define VTD_ECAP 0x010
#define VTD_ECAP_IR (1ull << 3) /* Interrupt Remapping support */

#endif

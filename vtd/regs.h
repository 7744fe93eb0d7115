/*
 * VT-d remapping unit registers (Intel VT-d Architecture Specification,
 * chapter "Register Descriptions"; sections are cited by name, as in revision 4.1). Offsets from the unit's register base,
 * which the DRHD structure of the DMAR table gives.
 */
#ifndef VTD_REGS_H
#define VTD_REGS_H

#include <stdint.h>

#define BIT(n) (1ull << (n))
#define FIELD(v, hi, lo) (((v) >> (lo)) & ((1ull << ((hi) - (lo) + 1)) - 1))

/* "Version Register" */
#define VTD_VER 0x000
#define VTD_VER_MAJOR(v) ((unsigned)FIELD(v, 7, 4))
#define VTD_VER_MINOR(v) ((unsigned)FIELD(v, 3, 0))

/* "Capability Register" */
#define VTD_CAP 0x008
#define VTD_CAP_ND(c) FIELD(c, 2, 0) /* 2^(4+2*ND) domain ids */
#define VTD_CAP_RWBF BIT(4)
#define VTD_CAP_CM BIT(7)
#define VTD_CAP_SAGAW(c) FIELD(c, 12, 8) /* bit 1: 3-level, bit 2: 4-level, bit 3: 5-level */
#define VTD_CAP_MGAW(c) (FIELD(c, 21, 16) + 1)
#define VTD_CAP_FRO(c) (FIELD(c, 33, 24) * 16)
#define VTD_CAP_SLLPS(c) FIELD(c, 37, 34) /* bit 0: 2 MiB, bit 1: 1 GiB */
#define VTD_CAP_PSI BIT(39)
#define VTD_CAP_NFR(c) (FIELD(c, 47, 40) + 1)
#define VTD_CAP_MAMV(c) FIELD(c, 53, 48)
#define VTD_CAP_DWD BIT(54) /* write draining */
#define VTD_CAP_DRD BIT(55) /* read draining */
#define VTD_CAP_ESIRTPS BIT(62)
#define VTD_CAP_ESRTPS BIT(63)

/* "Extended Capability Register" */
#define VTD_ECAP 0x010
#define VTD_ECAP_C BIT(0)  /* page walks snoop the CPU caches */
#define VTD_ECAP_QI BIT(1) /* queued invalidation */
#define VTD_ECAP_IR BIT(3) /* interrupt remapping */
#define VTD_ECAP_EIM BIT(4) /* x2APIC (32-bit) destinations */
#define VTD_ECAP_PT BIT(6)  /* pass-through translation type */
#define VTD_ECAP_SC BIT(7)
#define VTD_ECAP_IRO(e) (FIELD(e, 17, 8) * 16)
#define VTD_ECAP_MHMV(e) FIELD(e, 23, 20)
#define VTD_ECAP_SMTS BIT(43)

/* "Global Command Register" and "Global Status Register": the same bit positions */
#define VTD_GCMD 0x018
#define VTD_GSTS 0x01c
#define VTD_GCMD_TE BIT(31)    /* translation enable */
#define VTD_GCMD_SRTP BIT(30)  /* set root table pointer (one-shot) */
#define VTD_GCMD_SFL BIT(29)   /* set fault log (one-shot) */
#define VTD_GCMD_EAFL BIT(28)  /* enable advanced fault logging */
#define VTD_GCMD_WBF BIT(27)   /* write buffer flush (one-shot) */
#define VTD_GCMD_QIE BIT(26)   /* queued invalidation enable */
#define VTD_GCMD_IRE BIT(25)   /* interrupt remapping enable */
#define VTD_GCMD_SIRTP BIT(24) /* set interrupt remap table pointer (one-shot) */
#define VTD_GCMD_CFI BIT(23)   /* compatibility-format interrupts allowed */
/* Status bits that report a one-shot command's completion, not a state to keep */
#define VTD_GSTS_ONESHOT (VTD_GCMD_SRTP | VTD_GCMD_SFL | VTD_GCMD_WBF | VTD_GCMD_SIRTP)

/* "Root Table Address Register" */
#define VTD_RTADDR 0x020
#define VTD_RTADDR_TTM_LEGACY (0ull << 10)

/* "Context Command Register" */
#define VTD_CCMD 0x028
#define VTD_CCMD_ICC BIT(63)
#define VTD_CCMD_CIRG_SHIFT 61
#define VTD_CCMD_CAIG(v) FIELD(v, 60, 59)
#define VTD_CCMD_FM_SHIFT 32
#define VTD_CCMD_SID_SHIFT 16

/* "Fault Status Register", "Fault Event Control Register" and the message registers */
#define VTD_FSTS 0x034
#define VTD_FSTS_PFO BIT(0) /* primary fault overflow, RW1C */
#define VTD_FSTS_PPF BIT(1) /* primary pending fault, RO */
#define VTD_FSTS_IQE BIT(4) /* invalidation queue error, RW1C */
#define VTD_FSTS_ICE BIT(5) /* invalidation completion error, RW1C */
#define VTD_FSTS_ITE BIT(6) /* invalidation time-out error, RW1C */
#define VTD_FSTS_FRI(v) FIELD(v, 15, 8)
#define VTD_FSTS_W1C (VTD_FSTS_PFO | BIT(2) | VTD_FSTS_IQE | VTD_FSTS_ICE | VTD_FSTS_ITE)
#define VTD_FECTL 0x038
#define VTD_FEDATA 0x03c
#define VTD_FEADDR 0x040
#define VTD_FEUADDR 0x044
/* Event control registers (fault, invalidation): interrupt mask and pending */
#define VTD_ECTL_IM BIT(31)
#define VTD_ECTL_IP BIT(30)

/* "Protected Memory Enable Register": cleared at take-over, it would block DMA */
#define VTD_PMEN 0x064
#define VTD_PMEN_EPM BIT(31)
#define VTD_PMEN_PRS BIT(0)
#define VTD_CAP_PLMR BIT(5)
#define VTD_CAP_PHMR BIT(6)

/* "Invalidation Queue Head/Tail/Address Register" and the completion registers */
#define VTD_IQH 0x080
#define VTD_IQT 0x088
#define VTD_IQA 0x090
#define VTD_IQ_INDEX(v) FIELD(v, 18, 4) /* IQH/IQT: descriptor index, 128-bit descriptors */
#define VTD_ICS 0x09c
#define VTD_ICS_IWC BIT(0)
#define VTD_IECTL 0x0a0
#define VTD_IEDATA 0x0a4
#define VTD_IEADDR 0x0a8
#define VTD_IEUADDR 0x0ac
#define VTD_IQERCD 0x0b0
#define VTD_IQERCD_IQEI(v) FIELD(v, 3, 0)

/* "Interrupt Remapping Table Address Register" */
#define VTD_IRTA 0x0b8
#define VTD_IRTA_EIME BIT(11)

/* "IOTLB Registers", at ECAP.IRO */
#define VTD_IVA(u) VTD_ECAP_IRO((u)->ecap)
#define VTD_IOTLB(u) (VTD_ECAP_IRO((u)->ecap) + 8)
#define VTD_IOTLB_IVT BIT(63)
#define VTD_IOTLB_IIRG_SHIFT 60
#define VTD_IOTLB_IAIG(v) FIELD(v, 58, 57)
#define VTD_IOTLB_DR BIT(49)
#define VTD_IOTLB_DW BIT(48)
#define VTD_IOTLB_DID_SHIFT 32
#define VTD_IVA_IH BIT(6)

/* "Fault Recording Registers [n]", at CAP.FRO */
#define VTD_FRCD(u, i) (VTD_CAP_FRO((u)->cap) + 16 * (i))

/* Invalidation granularities, shared by the context-cache and IOTLB commands
 * and descriptors (CIRG/CAIG, IIRG/IAIG, G) */
enum vtd_gran {
	VTD_GRAN_GLOBAL = 1,
	VTD_GRAN_DOMAIN = 2,
	VTD_GRAN_DEVICE = 3, /* context cache: device; IOTLB: page-selective */
};
#define VTD_GRAN_PAGE VTD_GRAN_DEVICE

/* "Interrupt Remapping Table Address Register": fields besides EIME */
#define VTD_IRTA_S(v) FIELD(v, 3, 0) /* the table has 2^(S+1) entries */
#define VTD_IRTA_ADDR_MASK (~0xfffull) /* 63:12, 4 KiB aligned */
/* "Global Status Register" names of the interrupt-remapping bits */
#define VTD_GSTS_IRES VTD_GCMD_IRE
#define VTD_GSTS_IRTPS VTD_GCMD_SIRTP
#define VTD_GSTS_CFIS VTD_GCMD_CFI

#endif

/*
 * NVM Express register and in-memory layouts the driver uses, condensed from the
 * NVMe Base Specification 2.0, the NVM Command Set Specification 1.0 and the
 * NVMe over PCIe Transport Specification 1.0. Section numbers are the Base
 * specification's unless named otherwise.
 */
#ifndef NVME_REGS_H
#define NVME_REGS_H

#include <stdint.h>

/* Controller Capabilities (NVMe Base 2.0, 3.1.3.1) */
#define NVME_CAP        0x00
#define CAP_MQES(c)     ((c)&0xffff)       /* Maximum Queue Entries Supported, 0's based */
#define CAP_TO(c)       ((c) >> 24 & 0xff) /* Timeout, 500 ms units: worst CSTS.RDY transition */
#define CAP_DSTRD(c)    ((c) >> 32 & 0xf)  /* Doorbell Stride: 4 << DSTRD bytes */
#define CAP_CSS_NVM     (1ull << 37)       /* Command Sets Supported, bit 0: NVM command set */
#define CAP_MPSMIN(c)   ((c) >> 48 & 0xf)  /* Memory Page Size Minimum: 4 KiB << MPSMIN */
#define CAP_CRWMS       (1ull << 59)       /* Controller Ready With Media Support (2.0) */
#define CAP_TO_UNIT_MS  500
/* Version (3.1.3.2): MJR 31:16, MNR 15:8 */
#define NVME_VS         0x08
#define VS_1_1          0x00010100u
/* Controller Configuration (3.1.3.5) */
#define NVME_CC         0x14
#define CC_EN           (1u << 0)            /* Enable */
#define CC_CSS_NVM      (0u << 4)            /* I/O Command Set Selected, 6:4: NVM command set */
#define CC_MPS(shift)   (((shift)-12u) << 7) /* Memory Page Size, 10:7: 4 KiB << MPS */
#define CC_AMS_RR       (0u << 11)     /* Arbitration Mechanism Selected, 13:11: round robin */
#define CC_SHN          (3u << 14)     /* Shutdown Notification, 15:14 */
#define CC_IOSQES(log2) ((log2) << 16) /* I/O Submission Queue Entry Size, 19:16 */
#define CC_IOCQES(log2) ((log2) << 20) /* I/O Completion Queue Entry Size, 23:20 */
/* Controller Status (3.1.3.6) */
#define NVME_CSTS       0x1c
#define CSTS_RDY        (1u << 0) /* Ready */
#define CSTS_CFS        (1u << 1) /* Controller Fatal Status */
#define CSTS_ABSENT     0xffffffffu
/* Admin Queue Attributes and base addresses (3.1.3.8 to 3.1.3.10) */
#define NVME_AQA        0x24
#define AQA(sq, cq)     ((uint32_t)((sq)-1) | (uint32_t)((cq)-1) << 16) /* 0's based sizes */
#define NVME_ASQ        0x28
#define NVME_ACQ        0x30
/* Controller Ready Timeouts (2.0): CRWMT 15:0, CRIMT 31:16, 500 ms units. With
 * CAP.CRWMS, CAP.TO saturates at FFh and CRWMT holds the real bound. */
#define NVME_CRTO       0x68
#define CRTO_CRWMT(r)   ((r)&0xffff)
/* Doorbells (NVMe over PCIe Transport 1.0, 3.1.2): SQ y tail at 1000h + 2y * stride,
 * CQ y head at 1000h + (2y + 1) * stride */
#define NVME_DOORBELLS  0x1000

/* Submission Queue Entry (NVMe Base 2.0, 4.1): 64 bytes */
struct nvme_sqe {
	uint32_t cdw0; /* OPC 7:0, FUSE 9:8, PSDT 15:14 (0: PRPs), CID 31:16 */
	uint32_t nsid;
	uint32_t cdw2, cdw3;
	uint64_t mptr;
	uint64_t prp1, prp2; /* Data Pointer: PRP Entry 1 and 2 (4.3.1) */
	uint32_t cdw10, cdw11, cdw12, cdw13, cdw14, cdw15;
};
_Static_assert(sizeof(struct nvme_sqe) == 64, "submission queue entry is 64 bytes");
#define SQE_LOG2     6
#define SQE_CID(cid) ((uint32_t)(cid) << 16)

/* Completion Queue Entry (4.2): 16 bytes */
struct nvme_cqe {
	uint32_t dw0; /* command specific */
	uint32_t dw1;
	uint32_t dw2; /* SQ Head Pointer 15:0, SQ Identifier 31:16 */
	uint32_t dw3; /* Command Identifier 15:0, Phase Tag 16, Status 31:17 */
};
_Static_assert(sizeof(struct nvme_cqe) == 16, "completion queue entry is 16 bytes");
#define CQE_LOG2       4
#define CQE_SQID(e)    ((e)->dw2 >> 16)
#define CQE_CID(e)     ((e)->dw3 & 0xffff)
#define CQE_PHASE(dw3) ((dw3) >> 16 & 1)
#define CQE_STATUS(e)  ((e)->dw3 >> 17) /* SC 7:0, SCT 10:8, CRD 12:11, M 13, DNR 14 */

/* Admin opcodes (NVMe Base 2.0, 5) and the one NVM I/O opcode. Nothing else is
 * ever sent: none of these writes media or changes persistent state. */
#define OPC_DELETE_IO_SQ 0x00 /* 5.7 Delete I/O Submission Queue */
#define OPC_CREATE_IO_SQ 0x01 /* 5.5 Create I/O Submission Queue */
#define OPC_DELETE_IO_CQ 0x04 /* 5.6 Delete I/O Completion Queue */
#define OPC_CREATE_IO_CQ 0x05 /* 5.4 Create I/O Completion Queue */
#define OPC_IDENTIFY     0x06 /* 5.17 Identify */
#define OPC_READ         0x02 /* NVM Command Set 1.0, 3.2.4 Read */

/* Create I/O queue command dwords (5.4, 5.5) */
#define CREATE_QID_QSIZE(qid, entries) ((uint32_t)(qid) | (uint32_t)((entries)-1) << 16)
#define CREATE_PC                      (1u << 0)             /* Physically Contiguous */
#define CREATE_CQ_IEN                  (1u << 1)             /* Interrupts Enabled */
#define CREATE_CQ_IV(v)                ((uint32_t)(v) << 16) /* Interrupt Vector: the MSI-X entry */
#define CREATE_SQ_CQID(q)              ((uint32_t)(q) << 16)

/* Identify (5.17): CNS in CDW10 7:0 */
#define CNS_NAMESPACE        0x00 /* NVM Command Set 1.0, 4.1.5.1 Identify Namespace */
#define CNS_CONTROLLER       0x01 /* 5.17.2.1 Identify Controller */
#define CNS_ACTIVE_NSID_LIST 0x02 /* 5.17.2.2, NVMe 1.1 and later */
#define ID_SIZE              4096
/* Identify Controller fields (byte offsets) */
#define IDC_SQES             512 /* required 3:0, maximum 7:4, log2 bytes */
#define IDC_CQES             513
#define IDC_NN               516 /* Number of Namespaces */
/* Identify Namespace fields */
#define IDNS_NSZE            0   /* Namespace Size, in logical blocks */
#define IDNS_NLBAF           25  /* Number of LBA Formats, 0's based */
#define IDNS_FLBAS           26  /* Formatted LBA Size: format 3:0, bits 5:4 of it in 6:5 */
#define IDNS_LBAF            128 /* LBA Format n at 128 + 4n: MS 15:0, LBADS 23:16 */
#define LBADS_MIN            9   /* 512 bytes */

#define READ_NLB_MAX 0x10000 /* CDW12 Number of Logical Blocks 15:0, 0's based */

#endif

/* The kernel ABI the family codecs need, carried here so that building
 * sockimpl needs no optional headers (libbluetooth-dev above all) and
 * older kernel headers missing a newer member (J1939, VMADDR_CID_LOCAL)
 * change nothing.  The layouts are the kernel's user ABI, which never
 * changes; each names the header it comes from, and the sizes are checked
 * at compile time against the kernel's.
 *
 * The structs carry a sockimpl_ prefix so that they cannot collide with a
 * system header that does define them.
 */
#ifndef SOCKIMPL_KERNEL_ABI_H
#define SOCKIMPL_KERNEL_ABI_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* ---- family numbers: include/linux/socket.h ------------------------------ */

#ifndef AF_RDS
#define AF_RDS 21
#endif
#ifndef AF_CAN
#define AF_CAN 29
#endif
#ifndef AF_TIPC
#define AF_TIPC 30
#endif
#ifndef AF_BLUETOOTH
#define AF_BLUETOOTH 31
#endif
#ifndef AF_ALG
#define AF_ALG 38
#endif
#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif
#ifndef AF_QIPCRTR
#define AF_QIPCRTR 42
#endif
#ifndef SOL_ALG
#define SOL_ALG 279
#endif

/* ---- AF_CAN: include/uapi/linux/can.h ------------------------------------ */

#define SOCKIMPL_CAN_RAW 1
#define SOCKIMPL_CAN_BCM 2
#define SOCKIMPL_CAN_ISOTP 6
#define SOCKIMPL_CAN_J1939 7

struct sockimpl_sockaddr_can {
    sa_family_t can_family;
    int can_ifindex;
    union {
        struct {
            uint32_t rx_id, tx_id;          /* canid_t */
        } tp;
        struct {
            uint64_t name;
            uint32_t pgn;
            uint8_t addr;
        } j1939;
    } can_addr;
};

/* ---- AF_BLUETOOTH: include/net/bluetooth/ ------------------------------- */

/* bluetooth.h; BTPROTO_* numbers and the bdaddr type of an L2CAP address */
#define SOCKIMPL_BTPROTO_L2CAP 0
#define SOCKIMPL_BTPROTO_HCI 1
#define SOCKIMPL_BTPROTO_SCO 2
#define SOCKIMPL_BTPROTO_RFCOMM 3
#define SOCKIMPL_BDADDR_BREDR 0x00

/* bluetooth.h: the six octets of an address, least significant first. */
typedef struct {
    uint8_t b[6];
} __attribute__((packed)) sockimpl_bdaddr_t;

/* l2cap.h; psm and cid are little endian on the wire and in the struct. */
struct sockimpl_sockaddr_l2 {
    sa_family_t l2_family;
    uint16_t l2_psm;
    sockimpl_bdaddr_t l2_bdaddr;
    uint16_t l2_cid;
    uint8_t l2_bdaddr_type;
};

/* rfcomm.h */
struct sockimpl_sockaddr_rc {
    sa_family_t rc_family;
    sockimpl_bdaddr_t rc_bdaddr;
    uint8_t rc_channel;
};

/* hci_sock.h; HCI_CHANNEL_RAW is the channel of a bare device id. */
#define SOCKIMPL_HCI_CHANNEL_RAW 0
struct sockimpl_sockaddr_hci {
    sa_family_t hci_family;
    unsigned short hci_dev;
    unsigned short hci_channel;
};

/* sco.h */
struct sockimpl_sockaddr_sco {
    sa_family_t sco_family;
    sockimpl_bdaddr_t sco_bdaddr;
};

/* ---- AF_VSOCK: include/uapi/linux/vm_sockets.h --------------------------- */

struct sockimpl_sockaddr_vm {
    sa_family_t svm_family;
    unsigned short svm_reserved1;
    unsigned int svm_port;
    unsigned int svm_cid;
    uint8_t svm_flags;
    unsigned char svm_zero[3];
};

/* ---- AF_ALG: include/uapi/linux/if_alg.h --------------------------------- */

struct sockimpl_sockaddr_alg {
    uint16_t salg_family;
    uint8_t salg_type[14];
    uint32_t salg_feat;
    uint32_t salg_mask;
    uint8_t salg_name[64];
};

/* The header of an ALG_SET_IV control message; the IV bytes follow. */
struct sockimpl_af_alg_iv {
    uint32_t ivlen;
};

#define SOCKIMPL_ALG_SET_IV 2
#define SOCKIMPL_ALG_SET_OP 3
#define SOCKIMPL_ALG_SET_AEAD_ASSOCLEN 4

/* ---- AF_TIPC: include/uapi/linux/tipc.h ---------------------------------- */

#define SOCKIMPL_TIPC_ADDR_NAMESEQ 1
#define SOCKIMPL_TIPC_ADDR_NAME 2
#define SOCKIMPL_TIPC_ADDR_ID 3
#define SOCKIMPL_TIPC_CLUSTER_SCOPE 2

struct sockimpl_sockaddr_tipc {
    unsigned short family;
    unsigned char addrtype;
    signed char scope;
    union {
        struct {
            uint32_t ref, node;
        } id;
        struct {
            uint32_t type, lower, upper;
        } nameseq;
        struct {
            struct {
                uint32_t type, instance;
            } name;
            uint32_t domain;
        } name;
    } addr;
};

/* ---- AF_QIPCRTR: include/uapi/linux/qrtr.h ------------------------------- */

struct sockimpl_sockaddr_qrtr {
    sa_family_t sq_family;
    uint32_t sq_node;
    uint32_t sq_port;
};

/* The sizes the kernel's own definitions have on every Linux ABI. */
_Static_assert(sizeof(struct sockimpl_sockaddr_can) == 24, "sockaddr_can");
_Static_assert(sizeof(sockimpl_bdaddr_t) == 6, "bdaddr_t");
_Static_assert(sizeof(struct sockimpl_sockaddr_l2) == 14, "sockaddr_l2");
_Static_assert(sizeof(struct sockimpl_sockaddr_rc) == 10, "sockaddr_rc");
_Static_assert(sizeof(struct sockimpl_sockaddr_hci) == 6, "sockaddr_hci");
_Static_assert(sizeof(struct sockimpl_sockaddr_sco) == 8, "sockaddr_sco");
_Static_assert(sizeof(struct sockimpl_sockaddr_vm) == 16, "sockaddr_vm");
_Static_assert(sizeof(struct sockimpl_sockaddr_alg) == 88, "sockaddr_alg");
_Static_assert(sizeof(struct sockimpl_sockaddr_tipc) == 16, "sockaddr_tipc");
_Static_assert(sizeof(struct sockimpl_sockaddr_qrtr) == 12, "sockaddr_qrtr");

#endif

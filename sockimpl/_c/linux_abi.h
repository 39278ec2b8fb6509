/* The Linux socket ABI that sockimpl carries itself.
 *
 * CPython exports a constant only when the build machine's headers define
 * it, so its socket module loses AF_BLUETOOTH without libbluetooth-dev and
 * CAN_RAW_XL_FRAMES with headers older than the kernel.  These values are
 * kernel ABI, fixed once released, so sockimpl states them here and every
 * build has the same names.
 *
 * A system header's macro always wins (each fallback is #ifndef-guarded),
 * so a platform whose numbering differs keeps its own value.  Where the
 * kernel declares a name as an enumerator rather than a macro, the guard
 * cannot see it and the literal below shadows it with the same value.
 * Include this header last, and only from constants.c: a kernel header
 * read after it would find its enumerators replaced by numbers.
 *
 * Each group names the UAPI header its values were read from.
 */
#ifndef SOCKIMPL_LINUX_ABI_H
#define SOCKIMPL_LINUX_ABI_H

#include <errno.h>
#include <stddef.h>
#include <netdb.h>
#include <time.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <net/ethernet.h>
#include <netpacket/packet.h>

/* Optional kernel headers: used when installed, never required.
 * <linux/if_packet.h> stays out because it redefines what
 * <netpacket/packet.h> declares. */
#if defined(__has_include)
# if __has_include(<linux/netlink.h>)
#  include <linux/netlink.h>
# endif
# if __has_include(<linux/can.h>)
#  include <linux/can.h>
# endif
# if __has_include(<linux/can/raw.h>)
#  include <linux/can/raw.h>
# endif
# if __has_include(<linux/can/bcm.h>)
#  include <linux/can/bcm.h>
# endif
# if __has_include(<linux/can/isotp.h>)
#  include <linux/can/isotp.h>
# endif
# if __has_include(<linux/can/j1939.h>)
#  include <linux/can/j1939.h>
# endif
# if __has_include(<linux/tipc.h>)
#  include <linux/tipc.h>
# endif
# if __has_include(<linux/if_alg.h>)
#  include <linux/if_alg.h>
# endif
# if __has_include(<linux/rds.h>)
#  include <linux/rds.h>
# endif
# if __has_include(<linux/vm_sockets.h>)
#  include <linux/vm_sockets.h>
# endif
# if __has_include(<linux/qrtr.h>)
#  include <linux/qrtr.h>
# endif
# if __has_include(<linux/mptcp.h>)
#  include <linux/mptcp.h>
# endif
# if __has_include(<bluetooth/bluetooth.h>)
#  include <bluetooth/bluetooth.h>
# endif
#endif

/* Socket-level numbers (SO_*, SCM_* aliases of them) are per architecture:
 * mips, sparc, parisc and alpha renumber all of them and powerpc some.
 * Literal fallbacks exist only for the generic numbering; elsewhere the
 * system headers must supply every name, and a missing one stops the build
 * instead of exporting a wrong value. */
#if defined(__mips__) || defined(__sparc__) || defined(__hppa__) \
    || defined(__alpha__) || defined(__powerpc__)
# define SOCKIMPL_GENERIC_SOCKET_NUMBERS 0
#else
# define SOCKIMPL_GENERIC_SOCKET_NUMBERS 1
#endif

/* ---- Address families -- <linux/socket.h> (glibc <bits/socket.h>) */
#ifndef AF_UNSPEC
# define AF_UNSPEC 0
#endif
#ifndef AF_UNIX
# define AF_UNIX 1
#endif
#ifndef AF_INET
# define AF_INET 2
#endif
#ifndef AF_AX25
# define AF_AX25 3
#endif
#ifndef AF_IPX
# define AF_IPX 4
#endif
#ifndef AF_APPLETALK
# define AF_APPLETALK 5
#endif
#ifndef AF_NETROM
# define AF_NETROM 6
#endif
#ifndef AF_BRIDGE
# define AF_BRIDGE 7
#endif
#ifndef AF_ATMPVC
# define AF_ATMPVC 8
#endif
#ifndef AF_X25
# define AF_X25 9
#endif
#ifndef AF_INET6
# define AF_INET6 10
#endif
#ifndef AF_ROSE
# define AF_ROSE 11
#endif
#ifndef AF_DECnet
# define AF_DECnet 12
#endif
#ifndef AF_NETBEUI
# define AF_NETBEUI 13
#endif
#ifndef AF_SECURITY
# define AF_SECURITY 14
#endif
#ifndef AF_KEY
# define AF_KEY 15
#endif
#ifndef AF_NETLINK
# define AF_NETLINK 16
#endif
#ifndef AF_ROUTE
# define AF_ROUTE 16
#endif
#ifndef AF_PACKET
# define AF_PACKET 17
#endif
#ifndef AF_ASH
# define AF_ASH 18
#endif
#ifndef AF_ECONET
# define AF_ECONET 19
#endif
#ifndef AF_ATMSVC
# define AF_ATMSVC 20
#endif
#ifndef AF_RDS
# define AF_RDS 21
#endif
#ifndef AF_SNA
# define AF_SNA 22
#endif
#ifndef AF_IRDA
# define AF_IRDA 23
#endif
#ifndef AF_PPPOX
# define AF_PPPOX 24
#endif
#ifndef AF_WANPIPE
# define AF_WANPIPE 25
#endif
#ifndef AF_LLC
# define AF_LLC 26
#endif
#ifndef AF_IB
# define AF_IB 27
#endif
#ifndef AF_MPLS
# define AF_MPLS 28
#endif
#ifndef AF_CAN
# define AF_CAN 29
#endif
#ifndef AF_TIPC
# define AF_TIPC 30
#endif
#ifndef AF_BLUETOOTH
# define AF_BLUETOOTH 31
#endif
#ifndef AF_IUCV
# define AF_IUCV 32
#endif
#ifndef AF_RXRPC
# define AF_RXRPC 33
#endif
#ifndef AF_ISDN
# define AF_ISDN 34
#endif
#ifndef AF_PHONET
# define AF_PHONET 35
#endif
#ifndef AF_IEEE802154
# define AF_IEEE802154 36
#endif
#ifndef AF_CAIF
# define AF_CAIF 37
#endif
#ifndef AF_ALG
# define AF_ALG 38
#endif
#ifndef AF_NFC
# define AF_NFC 39
#endif
#ifndef AF_VSOCK
# define AF_VSOCK 40
#endif
#ifndef AF_KCM
# define AF_KCM 41
#endif
#ifndef AF_QIPCRTR
# define AF_QIPCRTR 42
#endif
#ifndef AF_SMC
# define AF_SMC 43
#endif
#ifndef AF_XDP
# define AF_XDP 44
#endif
#ifndef AF_MCTP
# define AF_MCTP 45
#endif
#ifndef PF_UNSPEC
# define PF_UNSPEC 0
#endif
#ifndef PF_UNIX
# define PF_UNIX 1
#endif
#ifndef PF_INET
# define PF_INET 2
#endif
#ifndef PF_AX25
# define PF_AX25 3
#endif
#ifndef PF_IPX
# define PF_IPX 4
#endif
#ifndef PF_APPLETALK
# define PF_APPLETALK 5
#endif
#ifndef PF_NETROM
# define PF_NETROM 6
#endif
#ifndef PF_BRIDGE
# define PF_BRIDGE 7
#endif
#ifndef PF_ATMPVC
# define PF_ATMPVC 8
#endif
#ifndef PF_X25
# define PF_X25 9
#endif
#ifndef PF_INET6
# define PF_INET6 10
#endif
#ifndef PF_ROSE
# define PF_ROSE 11
#endif
#ifndef PF_DECnet
# define PF_DECnet 12
#endif
#ifndef PF_NETBEUI
# define PF_NETBEUI 13
#endif
#ifndef PF_SECURITY
# define PF_SECURITY 14
#endif
#ifndef PF_KEY
# define PF_KEY 15
#endif
#ifndef PF_NETLINK
# define PF_NETLINK 16
#endif
#ifndef PF_ROUTE
# define PF_ROUTE 16
#endif
#ifndef PF_PACKET
# define PF_PACKET 17
#endif
#ifndef PF_ASH
# define PF_ASH 18
#endif
#ifndef PF_ECONET
# define PF_ECONET 19
#endif
#ifndef PF_ATMSVC
# define PF_ATMSVC 20
#endif
#ifndef PF_RDS
# define PF_RDS 21
#endif
#ifndef PF_SNA
# define PF_SNA 22
#endif
#ifndef PF_IRDA
# define PF_IRDA 23
#endif
#ifndef PF_PPPOX
# define PF_PPPOX 24
#endif
#ifndef PF_WANPIPE
# define PF_WANPIPE 25
#endif
#ifndef PF_LLC
# define PF_LLC 26
#endif
#ifndef PF_IB
# define PF_IB 27
#endif
#ifndef PF_MPLS
# define PF_MPLS 28
#endif
#ifndef PF_CAN
# define PF_CAN 29
#endif
#ifndef PF_TIPC
# define PF_TIPC 30
#endif
#ifndef PF_BLUETOOTH
# define PF_BLUETOOTH 31
#endif
#ifndef PF_IUCV
# define PF_IUCV 32
#endif
#ifndef PF_RXRPC
# define PF_RXRPC 33
#endif
#ifndef PF_ISDN
# define PF_ISDN 34
#endif
#ifndef PF_PHONET
# define PF_PHONET 35
#endif
#ifndef PF_IEEE802154
# define PF_IEEE802154 36
#endif
#ifndef PF_CAIF
# define PF_CAIF 37
#endif
#ifndef PF_ALG
# define PF_ALG 38
#endif
#ifndef PF_NFC
# define PF_NFC 39
#endif
#ifndef PF_VSOCK
# define PF_VSOCK 40
#endif
#ifndef PF_KCM
# define PF_KCM 41
#endif
#ifndef PF_QIPCRTR
# define PF_QIPCRTR 42
#endif
#ifndef PF_SMC
# define PF_SMC 43
#endif
#ifndef PF_XDP
# define PF_XDP 44
#endif
#ifndef PF_MCTP
# define PF_MCTP 45
#endif

/* ---- Socket-level options: the generic numbering (mips, sparc, parisc, alpha and powerpc differ) -- <asm-generic/socket.h> */
#if SOCKIMPL_GENERIC_SOCKET_NUMBERS
#ifndef SO_SNDBUFFORCE
# define SO_SNDBUFFORCE 32
#endif
#ifndef SO_RCVBUFFORCE
# define SO_RCVBUFFORCE 33
#endif
#ifndef SO_NO_CHECK
# define SO_NO_CHECK 11
#endif
#ifndef SO_PRIORITY
# define SO_PRIORITY 12
#endif
#ifndef SO_BSDCOMPAT
# define SO_BSDCOMPAT 14
#endif
#ifndef SO_REUSEPORT
# define SO_REUSEPORT 15
#endif
#ifndef SO_PASSCRED
# define SO_PASSCRED 16
#endif
#ifndef SO_PEERCRED
# define SO_PEERCRED 17
#endif
#ifndef SO_SECURITY_AUTHENTICATION
# define SO_SECURITY_AUTHENTICATION 22
#endif
#ifndef SO_SECURITY_ENCRYPTION_TRANSPORT
# define SO_SECURITY_ENCRYPTION_TRANSPORT 23
#endif
#ifndef SO_SECURITY_ENCRYPTION_NETWORK
# define SO_SECURITY_ENCRYPTION_NETWORK 24
#endif
#ifndef SO_BINDTODEVICE
# define SO_BINDTODEVICE 25
#endif
#ifndef SO_ATTACH_FILTER
# define SO_ATTACH_FILTER 26
#endif
#ifndef SO_DETACH_FILTER
# define SO_DETACH_FILTER 27
#endif
#ifndef SO_GET_FILTER
# define SO_GET_FILTER 26
#endif
#ifndef SO_PEERNAME
# define SO_PEERNAME 28
#endif
#ifndef SO_PEERSEC
# define SO_PEERSEC 31
#endif
#ifndef SO_PASSSEC
# define SO_PASSSEC 34
#endif
#ifndef SO_MARK
# define SO_MARK 36
#endif
#ifndef SO_PROTOCOL
# define SO_PROTOCOL 38
#endif
#ifndef SO_DOMAIN
# define SO_DOMAIN 39
#endif
#ifndef SO_RXQ_OVFL
# define SO_RXQ_OVFL 40
#endif
#ifndef SO_WIFI_STATUS
# define SO_WIFI_STATUS 41
#endif
#ifndef SCM_WIFI_STATUS
# define SCM_WIFI_STATUS 41
#endif
#ifndef SO_PEEK_OFF
# define SO_PEEK_OFF 42
#endif
#ifndef SO_NOFCS
# define SO_NOFCS 43
#endif
#ifndef SO_LOCK_FILTER
# define SO_LOCK_FILTER 44
#endif
#ifndef SO_SELECT_ERR_QUEUE
# define SO_SELECT_ERR_QUEUE 45
#endif
#ifndef SO_BUSY_POLL
# define SO_BUSY_POLL 46
#endif
#ifndef SO_MAX_PACING_RATE
# define SO_MAX_PACING_RATE 47
#endif
#ifndef SO_BPF_EXTENSIONS
# define SO_BPF_EXTENSIONS 48
#endif
#ifndef SO_INCOMING_CPU
# define SO_INCOMING_CPU 49
#endif
#ifndef SO_ATTACH_BPF
# define SO_ATTACH_BPF 50
#endif
#ifndef SO_DETACH_BPF
# define SO_DETACH_BPF 27
#endif
#ifndef SO_ATTACH_REUSEPORT_CBPF
# define SO_ATTACH_REUSEPORT_CBPF 51
#endif
#ifndef SO_ATTACH_REUSEPORT_EBPF
# define SO_ATTACH_REUSEPORT_EBPF 52
#endif
#ifndef SO_CNX_ADVICE
# define SO_CNX_ADVICE 53
#endif
#ifndef SCM_TIMESTAMPING_OPT_STATS
# define SCM_TIMESTAMPING_OPT_STATS 54
#endif
#ifndef SO_MEMINFO
# define SO_MEMINFO 55
#endif
#ifndef SO_INCOMING_NAPI_ID
# define SO_INCOMING_NAPI_ID 56
#endif
#ifndef SO_COOKIE
# define SO_COOKIE 57
#endif
#ifndef SCM_TIMESTAMPING_PKTINFO
# define SCM_TIMESTAMPING_PKTINFO 58
#endif
#ifndef SO_PEERGROUPS
# define SO_PEERGROUPS 59
#endif
#ifndef SO_ZEROCOPY
# define SO_ZEROCOPY 60
#endif
#ifndef SO_TXTIME
# define SO_TXTIME 61
#endif
#ifndef SCM_TXTIME
# define SCM_TXTIME 61
#endif
#ifndef SO_BINDTOIFINDEX
# define SO_BINDTOIFINDEX 62
#endif
#ifndef SO_TIMESTAMP_OLD
# define SO_TIMESTAMP_OLD 29
#endif
#ifndef SO_TIMESTAMPNS_OLD
# define SO_TIMESTAMPNS_OLD 35
#endif
#ifndef SO_TIMESTAMPING_OLD
# define SO_TIMESTAMPING_OLD 37
#endif
#ifndef SO_TIMESTAMP_NEW
# define SO_TIMESTAMP_NEW 63
#endif
#ifndef SO_TIMESTAMPNS_NEW
# define SO_TIMESTAMPNS_NEW 64
#endif
#ifndef SO_TIMESTAMPING_NEW
# define SO_TIMESTAMPING_NEW 65
#endif
#ifndef SO_RCVTIMEO_OLD
# define SO_RCVTIMEO_OLD 20
#endif
#ifndef SO_SNDTIMEO_OLD
# define SO_SNDTIMEO_OLD 21
#endif
#ifndef SO_RCVTIMEO_NEW
# define SO_RCVTIMEO_NEW 66
#endif
#ifndef SO_SNDTIMEO_NEW
# define SO_SNDTIMEO_NEW 67
#endif
#ifndef SO_DETACH_REUSEPORT_BPF
# define SO_DETACH_REUSEPORT_BPF 68
#endif
#ifndef SO_PREFER_BUSY_POLL
# define SO_PREFER_BUSY_POLL 69
#endif
#ifndef SO_BUSY_POLL_BUDGET
# define SO_BUSY_POLL_BUDGET 70
#endif
#ifndef SO_NETNS_COOKIE
# define SO_NETNS_COOKIE 71
#endif
#ifndef SO_BUF_LOCK
# define SO_BUF_LOCK 72
#endif
#ifndef SO_RESERVE_MEM
# define SO_RESERVE_MEM 73
#endif
#ifndef SO_TXREHASH
# define SO_TXREHASH 74
#endif
#ifndef SO_RCVMARK
# define SO_RCVMARK 75
#endif
#ifndef SO_PASSPIDFD
# define SO_PASSPIDFD 76
#endif
#ifndef SO_PEERPIDFD
# define SO_PEERPIDFD 77
#endif
#ifndef SO_DEVMEM_LINEAR
# define SO_DEVMEM_LINEAR 78
#endif
#ifndef SCM_DEVMEM_LINEAR
# define SCM_DEVMEM_LINEAR 78
#endif
#ifndef SO_DEVMEM_DMABUF
# define SO_DEVMEM_DMABUF 79
#endif
#ifndef SCM_DEVMEM_DMABUF
# define SCM_DEVMEM_DMABUF 79
#endif
#ifndef SO_DEVMEM_DONTNEED
# define SO_DEVMEM_DONTNEED 80
#endif
#ifndef SCM_TS_OPT_ID
# define SCM_TS_OPT_ID 81
#endif
#ifndef SO_RCVPRIORITY
# define SO_RCVPRIORITY 82
#endif
#ifndef SO_PASSRIGHTS
# define SO_PASSRIGHTS 83
#endif
#ifndef SO_INQ
# define SO_INQ 84
#endif
#ifndef SCM_INQ
# define SCM_INQ 84
#endif
#endif

/* ---- Ancillary message types -- <linux/socket.h> */
#ifndef SCM_RIGHTS
# define SCM_RIGHTS 1
#endif
#ifndef SCM_CREDENTIALS
# define SCM_CREDENTIALS 2
#endif
#ifndef SCM_SECURITY
# define SCM_SECURITY 3
#endif
#ifndef SCM_PIDFD
# define SCM_PIDFD 4
#endif

/* ---- Message flags -- <linux/socket.h> */
#ifndef MSG_OOB
# define MSG_OOB 0x1
#endif
#ifndef MSG_PEEK
# define MSG_PEEK 0x2
#endif
#ifndef MSG_DONTROUTE
# define MSG_DONTROUTE 0x4
#endif
#ifndef MSG_CTRUNC
# define MSG_CTRUNC 0x8
#endif
#ifndef MSG_PROBE
# define MSG_PROBE 0x10
#endif
#ifndef MSG_TRUNC
# define MSG_TRUNC 0x20
#endif
#ifndef MSG_DONTWAIT
# define MSG_DONTWAIT 0x40
#endif
#ifndef MSG_EOR
# define MSG_EOR 0x80
#endif
#ifndef MSG_WAITALL
# define MSG_WAITALL 0x100
#endif
#ifndef MSG_FIN
# define MSG_FIN 0x200
#endif
#ifndef MSG_SYN
# define MSG_SYN 0x400
#endif
#ifndef MSG_CONFIRM
# define MSG_CONFIRM 0x800
#endif
#ifndef MSG_RST
# define MSG_RST 0x1000
#endif
#ifndef MSG_ERRQUEUE
# define MSG_ERRQUEUE 0x2000
#endif
#ifndef MSG_NOSIGNAL
# define MSG_NOSIGNAL 0x4000
#endif
#ifndef MSG_MORE
# define MSG_MORE 0x8000
#endif
#ifndef MSG_WAITFORONE
# define MSG_WAITFORONE 0x10000
#endif
#ifndef MSG_BATCH
# define MSG_BATCH 0x40000
#endif
#ifndef MSG_SOCK_DEVMEM
# define MSG_SOCK_DEVMEM 0x2000000
#endif
#ifndef MSG_ZEROCOPY
# define MSG_ZEROCOPY 0x4000000
#endif
#ifndef MSG_FASTOPEN
# define MSG_FASTOPEN 0x20000000
#endif
#ifndef MSG_CMSG_CLOEXEC
# define MSG_CMSG_CLOEXEC 0x40000000
#endif

/* ---- Option levels -- <linux/socket.h> */
#ifndef SOL_IP
# define SOL_IP 0
#endif
#ifndef SOL_TCP
# define SOL_TCP 6
#endif
#ifndef SOL_UDP
# define SOL_UDP 17
#endif
#ifndef SOL_IPV6
# define SOL_IPV6 41
#endif
#ifndef SOL_ICMPV6
# define SOL_ICMPV6 58
#endif
#ifndef SOL_SCTP
# define SOL_SCTP 132
#endif
#ifndef SOL_UDPLITE
# define SOL_UDPLITE 136
#endif
#ifndef SOL_RAW
# define SOL_RAW 255
#endif
#ifndef SOL_IPX
# define SOL_IPX 256
#endif
#ifndef SOL_AX25
# define SOL_AX25 257
#endif
#ifndef SOL_ATALK
# define SOL_ATALK 258
#endif
#ifndef SOL_NETROM
# define SOL_NETROM 259
#endif
#ifndef SOL_ROSE
# define SOL_ROSE 260
#endif
#ifndef SOL_DECNET
# define SOL_DECNET 261
#endif
#ifndef SOL_X25
# define SOL_X25 262
#endif
#ifndef SOL_PACKET
# define SOL_PACKET 263
#endif
#ifndef SOL_ATM
# define SOL_ATM 264
#endif
#ifndef SOL_AAL
# define SOL_AAL 265
#endif
#ifndef SOL_IRDA
# define SOL_IRDA 266
#endif
#ifndef SOL_NETBEUI
# define SOL_NETBEUI 267
#endif
#ifndef SOL_LLC
# define SOL_LLC 268
#endif
#ifndef SOL_DCCP
# define SOL_DCCP 269
#endif
#ifndef SOL_NETLINK
# define SOL_NETLINK 270
#endif
#ifndef SOL_TIPC
# define SOL_TIPC 271
#endif
#ifndef SOL_RXRPC
# define SOL_RXRPC 272
#endif
#ifndef SOL_PPPOL2TP
# define SOL_PPPOL2TP 273
#endif
#ifndef SOL_BLUETOOTH
# define SOL_BLUETOOTH 274
#endif
#ifndef SOL_PNPIPE
# define SOL_PNPIPE 275
#endif
#ifndef SOL_RDS
# define SOL_RDS 276
#endif
#ifndef SOL_IUCV
# define SOL_IUCV 277
#endif
#ifndef SOL_CAIF
# define SOL_CAIF 278
#endif
#ifndef SOL_ALG
# define SOL_ALG 279
#endif
#ifndef SOL_NFC
# define SOL_NFC 280
#endif
#ifndef SOL_KCM
# define SOL_KCM 281
#endif
#ifndef SOL_TLS
# define SOL_TLS 282
#endif
#ifndef SOL_XDP
# define SOL_XDP 283
#endif
#ifndef SOL_MPTCP
# define SOL_MPTCP 284
#endif
#ifndef SOL_MCTP
# define SOL_MCTP 285
#endif
#ifndef SOL_SMC
# define SOL_SMC 286
#endif
#ifndef SOL_VSOCK
# define SOL_VSOCK 287
#endif

/* ---- IP protocol numbers -- <linux/in.h>, <linux/in6.h> */
#ifndef IPPROTO_IP
# define IPPROTO_IP 0
#endif
#ifndef IPPROTO_HOPOPTS
# define IPPROTO_HOPOPTS 0
#endif
#ifndef IPPROTO_ICMP
# define IPPROTO_ICMP 1
#endif
#ifndef IPPROTO_IGMP
# define IPPROTO_IGMP 2
#endif
#ifndef IPPROTO_IPIP
# define IPPROTO_IPIP 4
#endif
#ifndef IPPROTO_TCP
# define IPPROTO_TCP 6
#endif
#ifndef IPPROTO_EGP
# define IPPROTO_EGP 8
#endif
#ifndef IPPROTO_PUP
# define IPPROTO_PUP 12
#endif
#ifndef IPPROTO_UDP
# define IPPROTO_UDP 17
#endif
#ifndef IPPROTO_IDP
# define IPPROTO_IDP 22
#endif
#ifndef IPPROTO_TP
# define IPPROTO_TP 29
#endif
#ifndef IPPROTO_DCCP
# define IPPROTO_DCCP 33
#endif
#ifndef IPPROTO_IPV6
# define IPPROTO_IPV6 41
#endif
#ifndef IPPROTO_ROUTING
# define IPPROTO_ROUTING 43
#endif
#ifndef IPPROTO_FRAGMENT
# define IPPROTO_FRAGMENT 44
#endif
#ifndef IPPROTO_RSVP
# define IPPROTO_RSVP 46
#endif
#ifndef IPPROTO_GRE
# define IPPROTO_GRE 47
#endif
#ifndef IPPROTO_ESP
# define IPPROTO_ESP 50
#endif
#ifndef IPPROTO_AH
# define IPPROTO_AH 51
#endif
#ifndef IPPROTO_ICMPV6
# define IPPROTO_ICMPV6 58
#endif
#ifndef IPPROTO_NONE
# define IPPROTO_NONE 59
#endif
#ifndef IPPROTO_DSTOPTS
# define IPPROTO_DSTOPTS 60
#endif
#ifndef IPPROTO_MTP
# define IPPROTO_MTP 92
#endif
#ifndef IPPROTO_BEETPH
# define IPPROTO_BEETPH 94
#endif
#ifndef IPPROTO_ENCAP
# define IPPROTO_ENCAP 98
#endif
#ifndef IPPROTO_PIM
# define IPPROTO_PIM 103
#endif
#ifndef IPPROTO_COMP
# define IPPROTO_COMP 108
#endif
#ifndef IPPROTO_L2TP
# define IPPROTO_L2TP 115
#endif
#ifndef IPPROTO_SCTP
# define IPPROTO_SCTP 132
#endif
#ifndef IPPROTO_MH
# define IPPROTO_MH 135
#endif
#ifndef IPPROTO_UDPLITE
# define IPPROTO_UDPLITE 136
#endif
#ifndef IPPROTO_MPLS
# define IPPROTO_MPLS 137
#endif
#ifndef IPPROTO_ETHERNET
# define IPPROTO_ETHERNET 143
#endif
#ifndef IPPROTO_AGGFRAG
# define IPPROTO_AGGFRAG 144
#endif
#ifndef IPPROTO_RAW
# define IPPROTO_RAW 255
#endif
#ifndef IPPROTO_SMC
# define IPPROTO_SMC 256
#endif
#ifndef IPPROTO_MPTCP
# define IPPROTO_MPTCP 262
#endif
#ifndef IPPORT_RESERVED
# define IPPORT_RESERVED 1024
#endif
#ifndef IPPORT_USERRESERVED
# define IPPORT_USERRESERVED 5000
#endif

/* ---- IPv4 addresses: unsigned 32-bit, host order -- <linux/in.h> */
#ifndef INADDR_ANY
# define INADDR_ANY 0x00000000U
#endif
#ifndef INADDR_BROADCAST
# define INADDR_BROADCAST 0xffffffffU
#endif
#ifndef INADDR_NONE
# define INADDR_NONE 0xffffffffU
#endif
#ifndef INADDR_DUMMY
# define INADDR_DUMMY 0xc0000008U
#endif
#ifndef INADDR_LOOPBACK
# define INADDR_LOOPBACK 0x7f000001U
#endif
#ifndef INADDR_UNSPEC_GROUP
# define INADDR_UNSPEC_GROUP 0xe0000000U
#endif
#ifndef INADDR_ALLHOSTS_GROUP
# define INADDR_ALLHOSTS_GROUP 0xe0000001U
#endif
#ifndef INADDR_ALLRTRS_GROUP
# define INADDR_ALLRTRS_GROUP 0xe0000002U
#endif
#ifndef INADDR_ALLSNOOPERS_GROUP
# define INADDR_ALLSNOOPERS_GROUP 0xe000006aU
#endif
#ifndef INADDR_MAX_LOCAL_GROUP
# define INADDR_MAX_LOCAL_GROUP 0xe00000ffU
#endif

/* ---- IPv4 options -- <linux/in.h>, <linux/netfilter_ipv4.h> */
#ifndef IP_TOS
# define IP_TOS 1
#endif
#ifndef IP_TTL
# define IP_TTL 2
#endif
#ifndef IP_HDRINCL
# define IP_HDRINCL 3
#endif
#ifndef IP_OPTIONS
# define IP_OPTIONS 4
#endif
#ifndef IP_ROUTER_ALERT
# define IP_ROUTER_ALERT 5
#endif
#ifndef IP_RECVOPTS
# define IP_RECVOPTS 6
#endif
#ifndef IP_RETOPTS
# define IP_RETOPTS 7
#endif
#ifndef IP_RECVRETOPTS
# define IP_RECVRETOPTS 7
#endif
#ifndef IP_PKTINFO
# define IP_PKTINFO 8
#endif
#ifndef IP_PKTOPTIONS
# define IP_PKTOPTIONS 9
#endif
#ifndef IP_MTU_DISCOVER
# define IP_MTU_DISCOVER 10
#endif
#ifndef IP_RECVERR
# define IP_RECVERR 11
#endif
#ifndef IP_RECVTTL
# define IP_RECVTTL 12
#endif
#ifndef IP_RECVTOS
# define IP_RECVTOS 13
#endif
#ifndef IP_MTU
# define IP_MTU 14
#endif
#ifndef IP_FREEBIND
# define IP_FREEBIND 15
#endif
#ifndef IP_IPSEC_POLICY
# define IP_IPSEC_POLICY 16
#endif
#ifndef IP_XFRM_POLICY
# define IP_XFRM_POLICY 17
#endif
#ifndef IP_PASSSEC
# define IP_PASSSEC 18
#endif
#ifndef IP_TRANSPARENT
# define IP_TRANSPARENT 19
#endif
#ifndef IP_ORIGDSTADDR
# define IP_ORIGDSTADDR 20
#endif
#ifndef IP_RECVORIGDSTADDR
# define IP_RECVORIGDSTADDR 20
#endif
#ifndef IP_MINTTL
# define IP_MINTTL 21
#endif
#ifndef IP_NODEFRAG
# define IP_NODEFRAG 22
#endif
#ifndef IP_CHECKSUM
# define IP_CHECKSUM 23
#endif
#ifndef IP_BIND_ADDRESS_NO_PORT
# define IP_BIND_ADDRESS_NO_PORT 24
#endif
#ifndef IP_RECVFRAGSIZE
# define IP_RECVFRAGSIZE 25
#endif
#ifndef IP_RECVERR_RFC4884
# define IP_RECVERR_RFC4884 26
#endif
#ifndef IP_PMTUDISC_DONT
# define IP_PMTUDISC_DONT 0
#endif
#ifndef IP_PMTUDISC_WANT
# define IP_PMTUDISC_WANT 1
#endif
#ifndef IP_PMTUDISC_DO
# define IP_PMTUDISC_DO 2
#endif
#ifndef IP_PMTUDISC_PROBE
# define IP_PMTUDISC_PROBE 3
#endif
#ifndef IP_PMTUDISC_INTERFACE
# define IP_PMTUDISC_INTERFACE 4
#endif
#ifndef IP_PMTUDISC_OMIT
# define IP_PMTUDISC_OMIT 5
#endif
#ifndef IP_MULTICAST_IF
# define IP_MULTICAST_IF 32
#endif
#ifndef IP_MULTICAST_TTL
# define IP_MULTICAST_TTL 33
#endif
#ifndef IP_MULTICAST_LOOP
# define IP_MULTICAST_LOOP 34
#endif
#ifndef IP_ADD_MEMBERSHIP
# define IP_ADD_MEMBERSHIP 35
#endif
#ifndef IP_DROP_MEMBERSHIP
# define IP_DROP_MEMBERSHIP 36
#endif
#ifndef IP_UNBLOCK_SOURCE
# define IP_UNBLOCK_SOURCE 37
#endif
#ifndef IP_BLOCK_SOURCE
# define IP_BLOCK_SOURCE 38
#endif
#ifndef IP_ADD_SOURCE_MEMBERSHIP
# define IP_ADD_SOURCE_MEMBERSHIP 39
#endif
#ifndef IP_DROP_SOURCE_MEMBERSHIP
# define IP_DROP_SOURCE_MEMBERSHIP 40
#endif
#ifndef IP_MSFILTER
# define IP_MSFILTER 41
#endif
#ifndef IP_MULTICAST_ALL
# define IP_MULTICAST_ALL 49
#endif
#ifndef IP_UNICAST_IF
# define IP_UNICAST_IF 50
#endif
#ifndef IP_LOCAL_PORT_RANGE
# define IP_LOCAL_PORT_RANGE 51
#endif
#ifndef IP_PROTOCOL
# define IP_PROTOCOL 52
#endif
#ifndef IP_DEFAULT_MULTICAST_TTL
# define IP_DEFAULT_MULTICAST_TTL 1
#endif
#ifndef IP_DEFAULT_MULTICAST_LOOP
# define IP_DEFAULT_MULTICAST_LOOP 1
#endif
#ifndef IP_MAX_MEMBERSHIPS
# define IP_MAX_MEMBERSHIPS 20
#endif
#ifndef SO_ORIGINAL_DST
# define SO_ORIGINAL_DST 80
#endif

/* ---- IPv6 options -- <linux/in6.h> */
#ifndef IPV6_ADDRFORM
# define IPV6_ADDRFORM 1
#endif
#ifndef IPV6_2292PKTINFO
# define IPV6_2292PKTINFO 2
#endif
#ifndef IPV6_2292HOPOPTS
# define IPV6_2292HOPOPTS 3
#endif
#ifndef IPV6_2292DSTOPTS
# define IPV6_2292DSTOPTS 4
#endif
#ifndef IPV6_2292RTHDR
# define IPV6_2292RTHDR 5
#endif
#ifndef IPV6_2292PKTOPTIONS
# define IPV6_2292PKTOPTIONS 6
#endif
#ifndef IPV6_CHECKSUM
# define IPV6_CHECKSUM 7
#endif
#ifndef IPV6_2292HOPLIMIT
# define IPV6_2292HOPLIMIT 8
#endif
#ifndef IPV6_NEXTHOP
# define IPV6_NEXTHOP 9
#endif
#ifndef IPV6_AUTHHDR
# define IPV6_AUTHHDR 10
#endif
#ifndef IPV6_FLOWINFO
# define IPV6_FLOWINFO 11
#endif
#ifndef IPV6_UNICAST_HOPS
# define IPV6_UNICAST_HOPS 16
#endif
#ifndef IPV6_MULTICAST_IF
# define IPV6_MULTICAST_IF 17
#endif
#ifndef IPV6_MULTICAST_HOPS
# define IPV6_MULTICAST_HOPS 18
#endif
#ifndef IPV6_MULTICAST_LOOP
# define IPV6_MULTICAST_LOOP 19
#endif
#ifndef IPV6_ADD_MEMBERSHIP
# define IPV6_ADD_MEMBERSHIP 20
#endif
#ifndef IPV6_JOIN_GROUP
# define IPV6_JOIN_GROUP 20
#endif
#ifndef IPV6_DROP_MEMBERSHIP
# define IPV6_DROP_MEMBERSHIP 21
#endif
#ifndef IPV6_LEAVE_GROUP
# define IPV6_LEAVE_GROUP 21
#endif
#ifndef IPV6_ROUTER_ALERT
# define IPV6_ROUTER_ALERT 22
#endif
#ifndef IPV6_MTU_DISCOVER
# define IPV6_MTU_DISCOVER 23
#endif
#ifndef IPV6_MTU
# define IPV6_MTU 24
#endif
#ifndef IPV6_RECVERR
# define IPV6_RECVERR 25
#endif
#ifndef IPV6_V6ONLY
# define IPV6_V6ONLY 26
#endif
#ifndef IPV6_JOIN_ANYCAST
# define IPV6_JOIN_ANYCAST 27
#endif
#ifndef IPV6_LEAVE_ANYCAST
# define IPV6_LEAVE_ANYCAST 28
#endif
#ifndef IPV6_MULTICAST_ALL
# define IPV6_MULTICAST_ALL 29
#endif
#ifndef IPV6_ROUTER_ALERT_ISOLATE
# define IPV6_ROUTER_ALERT_ISOLATE 30
#endif
#ifndef IPV6_RECVERR_RFC4884
# define IPV6_RECVERR_RFC4884 31
#endif
#ifndef IPV6_PMTUDISC_DONT
# define IPV6_PMTUDISC_DONT 0
#endif
#ifndef IPV6_PMTUDISC_WANT
# define IPV6_PMTUDISC_WANT 1
#endif
#ifndef IPV6_PMTUDISC_DO
# define IPV6_PMTUDISC_DO 2
#endif
#ifndef IPV6_PMTUDISC_PROBE
# define IPV6_PMTUDISC_PROBE 3
#endif
#ifndef IPV6_PMTUDISC_INTERFACE
# define IPV6_PMTUDISC_INTERFACE 4
#endif
#ifndef IPV6_PMTUDISC_OMIT
# define IPV6_PMTUDISC_OMIT 5
#endif
#ifndef IPV6_FLOWLABEL_MGR
# define IPV6_FLOWLABEL_MGR 32
#endif
#ifndef IPV6_FLOWINFO_SEND
# define IPV6_FLOWINFO_SEND 33
#endif
#ifndef IPV6_IPSEC_POLICY
# define IPV6_IPSEC_POLICY 34
#endif
#ifndef IPV6_XFRM_POLICY
# define IPV6_XFRM_POLICY 35
#endif
#ifndef IPV6_HDRINCL
# define IPV6_HDRINCL 36
#endif
#ifndef IPV6_RECVPKTINFO
# define IPV6_RECVPKTINFO 49
#endif
#ifndef IPV6_PKTINFO
# define IPV6_PKTINFO 50
#endif
#ifndef IPV6_RECVHOPLIMIT
# define IPV6_RECVHOPLIMIT 51
#endif
#ifndef IPV6_HOPLIMIT
# define IPV6_HOPLIMIT 52
#endif
#ifndef IPV6_RECVHOPOPTS
# define IPV6_RECVHOPOPTS 53
#endif
#ifndef IPV6_HOPOPTS
# define IPV6_HOPOPTS 54
#endif
#ifndef IPV6_RTHDRDSTOPTS
# define IPV6_RTHDRDSTOPTS 55
#endif
#ifndef IPV6_RECVRTHDR
# define IPV6_RECVRTHDR 56
#endif
#ifndef IPV6_RTHDR
# define IPV6_RTHDR 57
#endif
#ifndef IPV6_RECVDSTOPTS
# define IPV6_RECVDSTOPTS 58
#endif
#ifndef IPV6_DSTOPTS
# define IPV6_DSTOPTS 59
#endif
#ifndef IPV6_RECVPATHMTU
# define IPV6_RECVPATHMTU 60
#endif
#ifndef IPV6_PATHMTU
# define IPV6_PATHMTU 61
#endif
#ifndef IPV6_DONTFRAG
# define IPV6_DONTFRAG 62
#endif
#ifndef IPV6_RECVTCLASS
# define IPV6_RECVTCLASS 66
#endif
#ifndef IPV6_TCLASS
# define IPV6_TCLASS 67
#endif
#ifndef IPV6_AUTOFLOWLABEL
# define IPV6_AUTOFLOWLABEL 70
#endif
#ifndef IPV6_ADDR_PREFERENCES
# define IPV6_ADDR_PREFERENCES 72
#endif
#ifndef IPV6_MINHOPCOUNT
# define IPV6_MINHOPCOUNT 73
#endif
#ifndef IPV6_ORIGDSTADDR
# define IPV6_ORIGDSTADDR 74
#endif
#ifndef IPV6_RECVORIGDSTADDR
# define IPV6_RECVORIGDSTADDR 74
#endif
#ifndef IPV6_TRANSPARENT
# define IPV6_TRANSPARENT 75
#endif
#ifndef IPV6_UNICAST_IF
# define IPV6_UNICAST_IF 76
#endif
#ifndef IPV6_RECVFRAGSIZE
# define IPV6_RECVFRAGSIZE 77
#endif
#ifndef IPV6_FREEBIND
# define IPV6_FREEBIND 78
#endif
#ifndef IPV6_RTHDR_LOOSE
# define IPV6_RTHDR_LOOSE 0
#endif
#ifndef IPV6_RTHDR_STRICT
# define IPV6_RTHDR_STRICT 1
#endif
#ifndef IPV6_RTHDR_TYPE_0
# define IPV6_RTHDR_TYPE_0 0
#endif
#ifndef IPV6_FLOWINFO_FLOWLABEL
# define IPV6_FLOWINFO_FLOWLABEL 0x000fffff
#endif
#ifndef IPV6_FLOWINFO_PRIORITY
# define IPV6_FLOWINFO_PRIORITY 0x0ff00000
#endif
#ifndef IPV6_PREFER_SRC_TMP
# define IPV6_PREFER_SRC_TMP 0x0001
#endif
#ifndef IPV6_PREFER_SRC_PUBLIC
# define IPV6_PREFER_SRC_PUBLIC 0x0002
#endif
#ifndef IPV6_PREFER_SRC_PUBTMP_DEFAULT
# define IPV6_PREFER_SRC_PUBTMP_DEFAULT 0x0100
#endif
#ifndef IPV6_PREFER_SRC_COA
# define IPV6_PREFER_SRC_COA 0x0004
#endif
#ifndef IPV6_PREFER_SRC_HOME
# define IPV6_PREFER_SRC_HOME 0x0400
#endif
#ifndef IPV6_PREFER_SRC_CGA
# define IPV6_PREFER_SRC_CGA 0x0008
#endif
#ifndef IPV6_PREFER_SRC_NONCGA
# define IPV6_PREFER_SRC_NONCGA 0x0800
#endif

/* ---- TCP options -- <linux/tcp.h> */
#ifndef TCP_NODELAY
# define TCP_NODELAY 1
#endif
#ifndef TCP_MAXSEG
# define TCP_MAXSEG 2
#endif
#ifndef TCP_CORK
# define TCP_CORK 3
#endif
#ifndef TCP_KEEPIDLE
# define TCP_KEEPIDLE 4
#endif
#ifndef TCP_KEEPINTVL
# define TCP_KEEPINTVL 5
#endif
#ifndef TCP_KEEPCNT
# define TCP_KEEPCNT 6
#endif
#ifndef TCP_SYNCNT
# define TCP_SYNCNT 7
#endif
#ifndef TCP_LINGER2
# define TCP_LINGER2 8
#endif
#ifndef TCP_DEFER_ACCEPT
# define TCP_DEFER_ACCEPT 9
#endif
#ifndef TCP_WINDOW_CLAMP
# define TCP_WINDOW_CLAMP 10
#endif
#ifndef TCP_INFO
# define TCP_INFO 11
#endif
#ifndef TCP_QUICKACK
# define TCP_QUICKACK 12
#endif
#ifndef TCP_CONGESTION
# define TCP_CONGESTION 13
#endif
#ifndef TCP_MD5SIG
# define TCP_MD5SIG 14
#endif
#ifndef TCP_THIN_LINEAR_TIMEOUTS
# define TCP_THIN_LINEAR_TIMEOUTS 16
#endif
#ifndef TCP_THIN_DUPACK
# define TCP_THIN_DUPACK 17
#endif
#ifndef TCP_USER_TIMEOUT
# define TCP_USER_TIMEOUT 18
#endif
#ifndef TCP_REPAIR
# define TCP_REPAIR 19
#endif
#ifndef TCP_REPAIR_QUEUE
# define TCP_REPAIR_QUEUE 20
#endif
#ifndef TCP_QUEUE_SEQ
# define TCP_QUEUE_SEQ 21
#endif
#ifndef TCP_REPAIR_OPTIONS
# define TCP_REPAIR_OPTIONS 22
#endif
#ifndef TCP_FASTOPEN
# define TCP_FASTOPEN 23
#endif
#ifndef TCP_TIMESTAMP
# define TCP_TIMESTAMP 24
#endif
#ifndef TCP_NOTSENT_LOWAT
# define TCP_NOTSENT_LOWAT 25
#endif
#ifndef TCP_CC_INFO
# define TCP_CC_INFO 26
#endif
#ifndef TCP_SAVE_SYN
# define TCP_SAVE_SYN 27
#endif
#ifndef TCP_SAVED_SYN
# define TCP_SAVED_SYN 28
#endif
#ifndef TCP_REPAIR_WINDOW
# define TCP_REPAIR_WINDOW 29
#endif
#ifndef TCP_FASTOPEN_CONNECT
# define TCP_FASTOPEN_CONNECT 30
#endif
#ifndef TCP_ULP
# define TCP_ULP 31
#endif
#ifndef TCP_MD5SIG_EXT
# define TCP_MD5SIG_EXT 32
#endif
#ifndef TCP_FASTOPEN_KEY
# define TCP_FASTOPEN_KEY 33
#endif
#ifndef TCP_FASTOPEN_NO_COOKIE
# define TCP_FASTOPEN_NO_COOKIE 34
#endif
#ifndef TCP_ZEROCOPY_RECEIVE
# define TCP_ZEROCOPY_RECEIVE 35
#endif
#ifndef TCP_INQ
# define TCP_INQ 36
#endif
#ifndef TCP_CM_INQ
# define TCP_CM_INQ 36
#endif
#ifndef TCP_TX_DELAY
# define TCP_TX_DELAY 37
#endif
#ifndef TCP_AO_ADD_KEY
# define TCP_AO_ADD_KEY 38
#endif
#ifndef TCP_AO_DEL_KEY
# define TCP_AO_DEL_KEY 39
#endif
#ifndef TCP_AO_INFO
# define TCP_AO_INFO 40
#endif
#ifndef TCP_AO_GET_KEYS
# define TCP_AO_GET_KEYS 41
#endif
#ifndef TCP_AO_REPAIR
# define TCP_AO_REPAIR 42
#endif
#ifndef TCP_IS_MPTCP
# define TCP_IS_MPTCP 43
#endif
#ifndef TCP_RTO_MAX_MS
# define TCP_RTO_MAX_MS 44
#endif
#ifndef TCP_RTO_MIN_US
# define TCP_RTO_MIN_US 45
#endif
#ifndef TCP_DELACK_MAX_US
# define TCP_DELACK_MAX_US 46
#endif
#ifndef TCP_REPAIR_ON
# define TCP_REPAIR_ON 1
#endif
#ifndef TCP_REPAIR_OFF
# define TCP_REPAIR_OFF 0
#endif
#ifndef TCP_REPAIR_OFF_NO_WP
# define TCP_REPAIR_OFF_NO_WP -1
#endif
#ifndef TCP_NO_QUEUE
# define TCP_NO_QUEUE 0
#endif
#ifndef TCP_RECV_QUEUE
# define TCP_RECV_QUEUE 1
#endif
#ifndef TCP_SEND_QUEUE
# define TCP_SEND_QUEUE 2
#endif
#ifndef TCP_QUEUES_NR
# define TCP_QUEUES_NR 3
#endif
#ifndef TCP_MAXWIN
# define TCP_MAXWIN 65535
#endif
#ifndef TCP_MAX_WINSHIFT
# define TCP_MAX_WINSHIFT 14
#endif
#ifndef TCP_MSS_DEFAULT
# define TCP_MSS_DEFAULT 536
#endif
#ifndef TCP_MSS_DESIRED
# define TCP_MSS_DESIRED 1220
#endif
#ifndef TCP_MD5SIG_MAXKEYLEN
# define TCP_MD5SIG_MAXKEYLEN 80
#endif
#ifndef TCP_MD5SIG_FLAG_PREFIX
# define TCP_MD5SIG_FLAG_PREFIX 1
#endif
#ifndef TCP_MD5SIG_FLAG_IFINDEX
# define TCP_MD5SIG_FLAG_IFINDEX 2
#endif

/* ---- UDP and UDP-Lite options -- <linux/udp.h>, <net/udplite.h> */
#ifndef UDP_CORK
# define UDP_CORK 1
#endif
#ifndef UDP_ENCAP
# define UDP_ENCAP 100
#endif
#ifndef UDP_NO_CHECK6_TX
# define UDP_NO_CHECK6_TX 101
#endif
#ifndef UDP_NO_CHECK6_RX
# define UDP_NO_CHECK6_RX 102
#endif
#ifndef UDP_SEGMENT
# define UDP_SEGMENT 103
#endif
#ifndef UDP_GRO
# define UDP_GRO 104
#endif
#ifndef UDPLITE_SEND_CSCOV
# define UDPLITE_SEND_CSCOV 10
#endif
#ifndef UDPLITE_RECV_CSCOV
# define UDPLITE_RECV_CSCOV 11
#endif

/* ---- Multipath TCP -- <linux/mptcp.h> */
#ifndef MPTCP_INFO
# define MPTCP_INFO 1
#endif
#ifndef MPTCP_TCPINFO
# define MPTCP_TCPINFO 2
#endif
#ifndef MPTCP_SUBFLOW_ADDRS
# define MPTCP_SUBFLOW_ADDRS 3
#endif
#ifndef MPTCP_FULL_INFO
# define MPTCP_FULL_INFO 4
#endif

/* ---- Ethernet -- <linux/if_ether.h>, <net/ethernet.h> */
#ifndef ETH_P_ALL
# define ETH_P_ALL 0x0003
#endif
#ifndef ETHERTYPE_PUP
# define ETHERTYPE_PUP 0x0200
#endif
#ifndef ETHERTYPE_SPRITE
# define ETHERTYPE_SPRITE 0x0500
#endif
#ifndef ETHERTYPE_IP
# define ETHERTYPE_IP 0x0800
#endif
#ifndef ETHERTYPE_ARP
# define ETHERTYPE_ARP 0x0806
#endif
#ifndef ETHERTYPE_REVARP
# define ETHERTYPE_REVARP 0x8035
#endif
#ifndef ETHERTYPE_AT
# define ETHERTYPE_AT 0x809B
#endif
#ifndef ETHERTYPE_AARP
# define ETHERTYPE_AARP 0x80F3
#endif
#ifndef ETHERTYPE_VLAN
# define ETHERTYPE_VLAN 0x8100
#endif
#ifndef ETHERTYPE_IPX
# define ETHERTYPE_IPX 0x8137
#endif
#ifndef ETHERTYPE_IPV6
# define ETHERTYPE_IPV6 0x86dd
#endif
#ifndef ETHERTYPE_LOOPBACK
# define ETHERTYPE_LOOPBACK 0x9000
#endif

/* ---- AF_PACKET -- <linux/if_packet.h> */
#ifndef PACKET_HOST
# define PACKET_HOST 0
#endif
#ifndef PACKET_BROADCAST
# define PACKET_BROADCAST 1
#endif
#ifndef PACKET_MULTICAST
# define PACKET_MULTICAST 2
#endif
#ifndef PACKET_OTHERHOST
# define PACKET_OTHERHOST 3
#endif
#ifndef PACKET_OUTGOING
# define PACKET_OUTGOING 4
#endif
#ifndef PACKET_LOOPBACK
# define PACKET_LOOPBACK 5
#endif
#ifndef PACKET_USER
# define PACKET_USER 6
#endif
#ifndef PACKET_KERNEL
# define PACKET_KERNEL 7
#endif
#ifndef PACKET_FASTROUTE
# define PACKET_FASTROUTE 6
#endif
#ifndef PACKET_ADD_MEMBERSHIP
# define PACKET_ADD_MEMBERSHIP 1
#endif
#ifndef PACKET_DROP_MEMBERSHIP
# define PACKET_DROP_MEMBERSHIP 2
#endif
#ifndef PACKET_RECV_OUTPUT
# define PACKET_RECV_OUTPUT 3
#endif
#ifndef PACKET_RX_RING
# define PACKET_RX_RING 5
#endif
#ifndef PACKET_STATISTICS
# define PACKET_STATISTICS 6
#endif
#ifndef PACKET_COPY_THRESH
# define PACKET_COPY_THRESH 7
#endif
#ifndef PACKET_AUXDATA
# define PACKET_AUXDATA 8
#endif
#ifndef PACKET_ORIGDEV
# define PACKET_ORIGDEV 9
#endif
#ifndef PACKET_VERSION
# define PACKET_VERSION 10
#endif
#ifndef PACKET_HDRLEN
# define PACKET_HDRLEN 11
#endif
#ifndef PACKET_RESERVE
# define PACKET_RESERVE 12
#endif
#ifndef PACKET_TX_RING
# define PACKET_TX_RING 13
#endif
#ifndef PACKET_LOSS
# define PACKET_LOSS 14
#endif
#ifndef PACKET_VNET_HDR
# define PACKET_VNET_HDR 15
#endif
#ifndef PACKET_TX_TIMESTAMP
# define PACKET_TX_TIMESTAMP 16
#endif
#ifndef PACKET_TIMESTAMP
# define PACKET_TIMESTAMP 17
#endif
#ifndef PACKET_FANOUT
# define PACKET_FANOUT 18
#endif
#ifndef PACKET_TX_HAS_OFF
# define PACKET_TX_HAS_OFF 19
#endif
#ifndef PACKET_QDISC_BYPASS
# define PACKET_QDISC_BYPASS 20
#endif
#ifndef PACKET_ROLLOVER_STATS
# define PACKET_ROLLOVER_STATS 21
#endif
#ifndef PACKET_FANOUT_DATA
# define PACKET_FANOUT_DATA 22
#endif
#ifndef PACKET_IGNORE_OUTGOING
# define PACKET_IGNORE_OUTGOING 23
#endif
#ifndef PACKET_VNET_HDR_SZ
# define PACKET_VNET_HDR_SZ 24
#endif
#ifndef PACKET_FANOUT_HASH
# define PACKET_FANOUT_HASH 0
#endif
#ifndef PACKET_FANOUT_LB
# define PACKET_FANOUT_LB 1
#endif
#ifndef PACKET_FANOUT_CPU
# define PACKET_FANOUT_CPU 2
#endif
#ifndef PACKET_FANOUT_ROLLOVER
# define PACKET_FANOUT_ROLLOVER 3
#endif
#ifndef PACKET_FANOUT_RND
# define PACKET_FANOUT_RND 4
#endif
#ifndef PACKET_FANOUT_QM
# define PACKET_FANOUT_QM 5
#endif
#ifndef PACKET_FANOUT_CBPF
# define PACKET_FANOUT_CBPF 6
#endif
#ifndef PACKET_FANOUT_EBPF
# define PACKET_FANOUT_EBPF 7
#endif
#ifndef PACKET_FANOUT_FLAG_ROLLOVER
# define PACKET_FANOUT_FLAG_ROLLOVER 0x1000
#endif
#ifndef PACKET_FANOUT_FLAG_UNIQUEID
# define PACKET_FANOUT_FLAG_UNIQUEID 0x2000
#endif
#ifndef PACKET_FANOUT_FLAG_IGNORE_OUTGOING
# define PACKET_FANOUT_FLAG_IGNORE_OUTGOING 0x4000
#endif
#ifndef PACKET_FANOUT_FLAG_DEFRAG
# define PACKET_FANOUT_FLAG_DEFRAG 0x8000
#endif
#ifndef PACKET_MR_MULTICAST
# define PACKET_MR_MULTICAST 0
#endif
#ifndef PACKET_MR_PROMISC
# define PACKET_MR_PROMISC 1
#endif
#ifndef PACKET_MR_ALLMULTI
# define PACKET_MR_ALLMULTI 2
#endif
#ifndef PACKET_MR_UNICAST
# define PACKET_MR_UNICAST 3
#endif

/* ---- AF_NETLINK -- <linux/netlink.h> */
#ifndef NETLINK_ROUTE
# define NETLINK_ROUTE 0
#endif
#ifndef NETLINK_UNUSED
# define NETLINK_UNUSED 1
#endif
#ifndef NETLINK_USERSOCK
# define NETLINK_USERSOCK 2
#endif
#ifndef NETLINK_FIREWALL
# define NETLINK_FIREWALL 3
#endif
#ifndef NETLINK_SOCK_DIAG
# define NETLINK_SOCK_DIAG 4
#endif
#ifndef NETLINK_INET_DIAG
# define NETLINK_INET_DIAG 4
#endif
#ifndef NETLINK_NFLOG
# define NETLINK_NFLOG 5
#endif
#ifndef NETLINK_XFRM
# define NETLINK_XFRM 6
#endif
#ifndef NETLINK_SELINUX
# define NETLINK_SELINUX 7
#endif
#ifndef NETLINK_ISCSI
# define NETLINK_ISCSI 8
#endif
#ifndef NETLINK_AUDIT
# define NETLINK_AUDIT 9
#endif
#ifndef NETLINK_FIB_LOOKUP
# define NETLINK_FIB_LOOKUP 10
#endif
#ifndef NETLINK_CONNECTOR
# define NETLINK_CONNECTOR 11
#endif
#ifndef NETLINK_NETFILTER
# define NETLINK_NETFILTER 12
#endif
#ifndef NETLINK_IP6_FW
# define NETLINK_IP6_FW 13
#endif
#ifndef NETLINK_DNRTMSG
# define NETLINK_DNRTMSG 14
#endif
#ifndef NETLINK_KOBJECT_UEVENT
# define NETLINK_KOBJECT_UEVENT 15
#endif
#ifndef NETLINK_GENERIC
# define NETLINK_GENERIC 16
#endif
#ifndef NETLINK_SCSITRANSPORT
# define NETLINK_SCSITRANSPORT 18
#endif
#ifndef NETLINK_ECRYPTFS
# define NETLINK_ECRYPTFS 19
#endif
#ifndef NETLINK_RDMA
# define NETLINK_RDMA 20
#endif
#ifndef NETLINK_CRYPTO
# define NETLINK_CRYPTO 21
#endif
#ifndef NETLINK_SMC
# define NETLINK_SMC 22
#endif
#ifndef NETLINK_ADD_MEMBERSHIP
# define NETLINK_ADD_MEMBERSHIP 1
#endif
#ifndef NETLINK_DROP_MEMBERSHIP
# define NETLINK_DROP_MEMBERSHIP 2
#endif
#ifndef NETLINK_PKTINFO
# define NETLINK_PKTINFO 3
#endif
#ifndef NETLINK_BROADCAST_ERROR
# define NETLINK_BROADCAST_ERROR 4
#endif
#ifndef NETLINK_NO_ENOBUFS
# define NETLINK_NO_ENOBUFS 5
#endif
#ifndef NETLINK_RX_RING
# define NETLINK_RX_RING 6
#endif
#ifndef NETLINK_TX_RING
# define NETLINK_TX_RING 7
#endif
#ifndef NETLINK_LISTEN_ALL_NSID
# define NETLINK_LISTEN_ALL_NSID 8
#endif
#ifndef NETLINK_LIST_MEMBERSHIPS
# define NETLINK_LIST_MEMBERSHIPS 9
#endif
#ifndef NETLINK_CAP_ACK
# define NETLINK_CAP_ACK 10
#endif
#ifndef NETLINK_EXT_ACK
# define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_GET_STRICT_CHK
# define NETLINK_GET_STRICT_CHK 12
#endif

/* ---- AF_CAN: identifiers, frames and protocols -- <linux/can.h> */
#ifndef CAN_EFF_FLAG
# define CAN_EFF_FLAG 0x80000000U
#endif
#ifndef CAN_RTR_FLAG
# define CAN_RTR_FLAG 0x40000000U
#endif
#ifndef CAN_ERR_FLAG
# define CAN_ERR_FLAG 0x20000000U
#endif
#ifndef CAN_SFF_MASK
# define CAN_SFF_MASK 0x000007FFU
#endif
#ifndef CAN_EFF_MASK
# define CAN_EFF_MASK 0x1FFFFFFFU
#endif
#ifndef CAN_ERR_MASK
# define CAN_ERR_MASK 0x1FFFFFFFU
#endif
#ifndef CAN_INV_FILTER
# define CAN_INV_FILTER 0x20000000U
#endif
#ifndef CAN_SFF_ID_BITS
# define CAN_SFF_ID_BITS 11
#endif
#ifndef CAN_EFF_ID_BITS
# define CAN_EFF_ID_BITS 29
#endif
#ifndef CAN_MAX_DLC
# define CAN_MAX_DLC 8
#endif
#ifndef CAN_MAX_RAW_DLC
# define CAN_MAX_RAW_DLC 15
#endif
#ifndef CAN_MAX_DLEN
# define CAN_MAX_DLEN 8
#endif
#ifndef CAN_MTU
# define CAN_MTU 16
#endif
#ifndef CANFD_MAX_DLC
# define CANFD_MAX_DLC 15
#endif
#ifndef CANFD_MAX_DLEN
# define CANFD_MAX_DLEN 64
#endif
#ifndef CANFD_MTU
# define CANFD_MTU 72
#endif
#ifndef CANFD_BRS
# define CANFD_BRS 0x01
#endif
#ifndef CANFD_ESI
# define CANFD_ESI 0x02
#endif
#ifndef CANFD_FDF
# define CANFD_FDF 0x04
#endif
#ifndef CANXL_PRIO_BITS
# define CANXL_PRIO_BITS 11
#endif
#ifndef CANXL_PRIO_MASK
# define CANXL_PRIO_MASK 0x7FF
#endif
#ifndef CANXL_VCID_OFFSET
# define CANXL_VCID_OFFSET 16
#endif
#ifndef CANXL_VCID_VAL_MASK
# define CANXL_VCID_VAL_MASK 0xFF
#endif
#ifndef CANXL_VCID_MASK
# define CANXL_VCID_MASK 0xFF0000
#endif
#ifndef CANXL_MIN_DLC
# define CANXL_MIN_DLC 0
#endif
#ifndef CANXL_MAX_DLC
# define CANXL_MAX_DLC 2047
#endif
#ifndef CANXL_MAX_DLC_MASK
# define CANXL_MAX_DLC_MASK 0x07FF
#endif
#ifndef CANXL_MIN_DLEN
# define CANXL_MIN_DLEN 1
#endif
#ifndef CANXL_MAX_DLEN
# define CANXL_MAX_DLEN 2048
#endif
#ifndef CANXL_XLF
# define CANXL_XLF 0x80
#endif
#ifndef CANXL_SEC
# define CANXL_SEC 0x01
#endif
#ifndef CANXL_HDR_SIZE
# define CANXL_HDR_SIZE 12
#endif
#ifndef CANXL_MTU
# define CANXL_MTU 2060
#endif
#ifndef CANXL_MIN_MTU
# define CANXL_MIN_MTU 76
#endif
#ifndef CANXL_MAX_MTU
# define CANXL_MAX_MTU 2060
#endif
#ifndef CAN_RAW
# define CAN_RAW 1
#endif
#ifndef CAN_BCM
# define CAN_BCM 2
#endif
#ifndef CAN_TP16
# define CAN_TP16 3
#endif
#ifndef CAN_TP20
# define CAN_TP20 4
#endif
#ifndef CAN_MCNET
# define CAN_MCNET 5
#endif
#ifndef CAN_ISOTP
# define CAN_ISOTP 6
#endif
#ifndef CAN_J1939
# define CAN_J1939 7
#endif
#ifndef CAN_NPROTO
# define CAN_NPROTO 8
#endif
#ifndef SOL_CAN_BASE
# define SOL_CAN_BASE 100
#endif

/* ---- CAN_RAW -- <linux/can/raw.h> */
#ifndef SOL_CAN_RAW
# define SOL_CAN_RAW 101
#endif
#ifndef CAN_RAW_FILTER_MAX
# define CAN_RAW_FILTER_MAX 512
#endif
#ifndef SCM_CAN_RAW_ERRQUEUE
# define SCM_CAN_RAW_ERRQUEUE 1
#endif
#ifndef CAN_RAW_FILTER
# define CAN_RAW_FILTER 1
#endif
#ifndef CAN_RAW_ERR_FILTER
# define CAN_RAW_ERR_FILTER 2
#endif
#ifndef CAN_RAW_LOOPBACK
# define CAN_RAW_LOOPBACK 3
#endif
#ifndef CAN_RAW_RECV_OWN_MSGS
# define CAN_RAW_RECV_OWN_MSGS 4
#endif
#ifndef CAN_RAW_FD_FRAMES
# define CAN_RAW_FD_FRAMES 5
#endif
#ifndef CAN_RAW_JOIN_FILTERS
# define CAN_RAW_JOIN_FILTERS 6
#endif
#ifndef CAN_RAW_XL_FRAMES
# define CAN_RAW_XL_FRAMES 7
#endif
#ifndef CAN_RAW_XL_VCID_OPTS
# define CAN_RAW_XL_VCID_OPTS 8
#endif
#ifndef CAN_RAW_XL_VCID_TX_SET
# define CAN_RAW_XL_VCID_TX_SET 0x01
#endif
#ifndef CAN_RAW_XL_VCID_TX_PASS
# define CAN_RAW_XL_VCID_TX_PASS 0x02
#endif
#ifndef CAN_RAW_XL_VCID_RX_FILTER
# define CAN_RAW_XL_VCID_RX_FILTER 0x04
#endif

/* ---- CAN_BCM: the kernel's TX_SETUP, SETTIMER, ... under the stdlib's CAN_BCM_ names -- <linux/can/bcm.h> */
#ifndef CAN_BCM_TX_SETUP
# define CAN_BCM_TX_SETUP 1
#endif
#ifndef CAN_BCM_TX_DELETE
# define CAN_BCM_TX_DELETE 2
#endif
#ifndef CAN_BCM_TX_READ
# define CAN_BCM_TX_READ 3
#endif
#ifndef CAN_BCM_TX_SEND
# define CAN_BCM_TX_SEND 4
#endif
#ifndef CAN_BCM_RX_SETUP
# define CAN_BCM_RX_SETUP 5
#endif
#ifndef CAN_BCM_RX_DELETE
# define CAN_BCM_RX_DELETE 6
#endif
#ifndef CAN_BCM_RX_READ
# define CAN_BCM_RX_READ 7
#endif
#ifndef CAN_BCM_TX_STATUS
# define CAN_BCM_TX_STATUS 8
#endif
#ifndef CAN_BCM_TX_EXPIRED
# define CAN_BCM_TX_EXPIRED 9
#endif
#ifndef CAN_BCM_RX_STATUS
# define CAN_BCM_RX_STATUS 10
#endif
#ifndef CAN_BCM_RX_TIMEOUT
# define CAN_BCM_RX_TIMEOUT 11
#endif
#ifndef CAN_BCM_RX_CHANGED
# define CAN_BCM_RX_CHANGED 12
#endif
#ifndef CAN_BCM_SETTIMER
# define CAN_BCM_SETTIMER 0x0001
#endif
#ifndef CAN_BCM_STARTTIMER
# define CAN_BCM_STARTTIMER 0x0002
#endif
#ifndef CAN_BCM_TX_COUNTEVT
# define CAN_BCM_TX_COUNTEVT 0x0004
#endif
#ifndef CAN_BCM_TX_ANNOUNCE
# define CAN_BCM_TX_ANNOUNCE 0x0008
#endif
#ifndef CAN_BCM_TX_CP_CAN_ID
# define CAN_BCM_TX_CP_CAN_ID 0x0010
#endif
#ifndef CAN_BCM_RX_FILTER_ID
# define CAN_BCM_RX_FILTER_ID 0x0020
#endif
#ifndef CAN_BCM_RX_CHECK_DLC
# define CAN_BCM_RX_CHECK_DLC 0x0040
#endif
#ifndef CAN_BCM_RX_NO_AUTOTIMER
# define CAN_BCM_RX_NO_AUTOTIMER 0x0080
#endif
#ifndef CAN_BCM_RX_ANNOUNCE_RESUME
# define CAN_BCM_RX_ANNOUNCE_RESUME 0x0100
#endif
#ifndef CAN_BCM_TX_RESET_MULTI_IDX
# define CAN_BCM_TX_RESET_MULTI_IDX 0x0200
#endif
#ifndef CAN_BCM_RX_RTR_FRAME
# define CAN_BCM_RX_RTR_FRAME 0x0400
#endif
#ifndef CAN_BCM_CAN_FD_FRAME
# define CAN_BCM_CAN_FD_FRAME 0x0800
#endif

/* ---- CAN_ISOTP -- <linux/can/isotp.h> */
#ifndef SOL_CAN_ISOTP
# define SOL_CAN_ISOTP 106
#endif
#ifndef CAN_ISOTP_OPTS
# define CAN_ISOTP_OPTS 1
#endif
#ifndef CAN_ISOTP_RECV_FC
# define CAN_ISOTP_RECV_FC 2
#endif
#ifndef CAN_ISOTP_TX_STMIN
# define CAN_ISOTP_TX_STMIN 3
#endif
#ifndef CAN_ISOTP_RX_STMIN
# define CAN_ISOTP_RX_STMIN 4
#endif
#ifndef CAN_ISOTP_LL_OPTS
# define CAN_ISOTP_LL_OPTS 5
#endif
#ifndef CAN_ISOTP_LISTEN_MODE
# define CAN_ISOTP_LISTEN_MODE 0x0001
#endif
#ifndef CAN_ISOTP_EXTEND_ADDR
# define CAN_ISOTP_EXTEND_ADDR 0x0002
#endif
#ifndef CAN_ISOTP_TX_PADDING
# define CAN_ISOTP_TX_PADDING 0x0004
#endif
#ifndef CAN_ISOTP_RX_PADDING
# define CAN_ISOTP_RX_PADDING 0x0008
#endif
#ifndef CAN_ISOTP_CHK_PAD_LEN
# define CAN_ISOTP_CHK_PAD_LEN 0x0010
#endif
#ifndef CAN_ISOTP_CHK_PAD_DATA
# define CAN_ISOTP_CHK_PAD_DATA 0x0020
#endif
#ifndef CAN_ISOTP_HALF_DUPLEX
# define CAN_ISOTP_HALF_DUPLEX 0x0040
#endif
#ifndef CAN_ISOTP_FORCE_TXSTMIN
# define CAN_ISOTP_FORCE_TXSTMIN 0x0080
#endif
#ifndef CAN_ISOTP_FORCE_RXSTMIN
# define CAN_ISOTP_FORCE_RXSTMIN 0x0100
#endif
#ifndef CAN_ISOTP_RX_EXT_ADDR
# define CAN_ISOTP_RX_EXT_ADDR 0x0200
#endif
#ifndef CAN_ISOTP_WAIT_TX_DONE
# define CAN_ISOTP_WAIT_TX_DONE 0x0400
#endif
#ifndef CAN_ISOTP_SF_BROADCAST
# define CAN_ISOTP_SF_BROADCAST 0x0800
#endif
#ifndef CAN_ISOTP_CF_BROADCAST
# define CAN_ISOTP_CF_BROADCAST 0x1000
#endif
#ifndef CAN_ISOTP_DEFAULT_FLAGS
# define CAN_ISOTP_DEFAULT_FLAGS 0
#endif
#ifndef CAN_ISOTP_DEFAULT_EXT_ADDRESS
# define CAN_ISOTP_DEFAULT_EXT_ADDRESS 0x00
#endif
#ifndef CAN_ISOTP_DEFAULT_PAD_CONTENT
# define CAN_ISOTP_DEFAULT_PAD_CONTENT 0xCC
#endif
#ifndef CAN_ISOTP_DEFAULT_FRAME_TXTIME
# define CAN_ISOTP_DEFAULT_FRAME_TXTIME 50000
#endif
#ifndef CAN_ISOTP_DEFAULT_RECV_BS
# define CAN_ISOTP_DEFAULT_RECV_BS 0
#endif
#ifndef CAN_ISOTP_DEFAULT_RECV_STMIN
# define CAN_ISOTP_DEFAULT_RECV_STMIN 0x00
#endif
#ifndef CAN_ISOTP_DEFAULT_RECV_WFTMAX
# define CAN_ISOTP_DEFAULT_RECV_WFTMAX 0
#endif
#ifndef CAN_ISOTP_DEFAULT_LL_MTU
# define CAN_ISOTP_DEFAULT_LL_MTU 16
#endif
#ifndef CAN_ISOTP_DEFAULT_LL_TX_DL
# define CAN_ISOTP_DEFAULT_LL_TX_DL 8
#endif
#ifndef CAN_ISOTP_DEFAULT_LL_TX_FLAGS
# define CAN_ISOTP_DEFAULT_LL_TX_FLAGS 0
#endif
#ifndef CAN_ISOTP_FRAME_TXTIME_ZERO
# define CAN_ISOTP_FRAME_TXTIME_ZERO 0xFFFFFFFFU
#endif

/* ---- CAN_J1939 -- <linux/can/j1939.h> */
#ifndef SOL_CAN_J1939
# define SOL_CAN_J1939 107
#endif
#ifndef J1939_MAX_UNICAST_ADDR
# define J1939_MAX_UNICAST_ADDR 0xfd
#endif
#ifndef J1939_IDLE_ADDR
# define J1939_IDLE_ADDR 0xfe
#endif
#ifndef J1939_NO_ADDR
# define J1939_NO_ADDR 0xff
#endif
#ifndef J1939_NO_NAME
# define J1939_NO_NAME 0
#endif
#ifndef J1939_PGN_REQUEST
# define J1939_PGN_REQUEST 0x0ea00
#endif
#ifndef J1939_PGN_ADDRESS_CLAIMED
# define J1939_PGN_ADDRESS_CLAIMED 0x0ee00
#endif
#ifndef J1939_PGN_ADDRESS_COMMANDED
# define J1939_PGN_ADDRESS_COMMANDED 0x0fed8
#endif
#ifndef J1939_PGN_PDU1_MAX
# define J1939_PGN_PDU1_MAX 0x3ff00
#endif
#ifndef J1939_PGN_MAX
# define J1939_PGN_MAX 0x3ffff
#endif
#ifndef J1939_NO_PGN
# define J1939_NO_PGN 0x40000
#endif
#ifndef SO_J1939_FILTER
# define SO_J1939_FILTER 1
#endif
#ifndef SO_J1939_PROMISC
# define SO_J1939_PROMISC 2
#endif
#ifndef SO_J1939_SEND_PRIO
# define SO_J1939_SEND_PRIO 3
#endif
#ifndef SO_J1939_ERRQUEUE
# define SO_J1939_ERRQUEUE 4
#endif
#ifndef SCM_J1939_DEST_ADDR
# define SCM_J1939_DEST_ADDR 1
#endif
#ifndef SCM_J1939_DEST_NAME
# define SCM_J1939_DEST_NAME 2
#endif
#ifndef SCM_J1939_PRIO
# define SCM_J1939_PRIO 3
#endif
#ifndef SCM_J1939_ERRQUEUE
# define SCM_J1939_ERRQUEUE 4
#endif
#ifndef J1939_NLA_PAD
# define J1939_NLA_PAD 0
#endif
#ifndef J1939_NLA_BYTES_ACKED
# define J1939_NLA_BYTES_ACKED 1
#endif
#ifndef J1939_NLA_TOTAL_SIZE
# define J1939_NLA_TOTAL_SIZE 2
#endif
#ifndef J1939_NLA_PGN
# define J1939_NLA_PGN 3
#endif
#ifndef J1939_NLA_SRC_NAME
# define J1939_NLA_SRC_NAME 4
#endif
#ifndef J1939_NLA_DEST_NAME
# define J1939_NLA_DEST_NAME 5
#endif
#ifndef J1939_NLA_SRC_ADDR
# define J1939_NLA_SRC_ADDR 6
#endif
#ifndef J1939_NLA_DEST_ADDR
# define J1939_NLA_DEST_ADDR 7
#endif
#ifndef J1939_EE_INFO_NONE
# define J1939_EE_INFO_NONE 0
#endif
#ifndef J1939_EE_INFO_TX_ABORT
# define J1939_EE_INFO_TX_ABORT 1
#endif
#ifndef J1939_EE_INFO_RX_RTS
# define J1939_EE_INFO_RX_RTS 2
#endif
#ifndef J1939_EE_INFO_RX_DPO
# define J1939_EE_INFO_RX_DPO 3
#endif
#ifndef J1939_EE_INFO_RX_ABORT
# define J1939_EE_INFO_RX_ABORT 4
#endif
#ifndef J1939_FILTER_MAX
# define J1939_FILTER_MAX 512
#endif

/* ---- AF_BLUETOOTH -- <net/bluetooth/bluetooth.h>, hci_sock.h, l2cap.h, rfcomm.h, sco.h (BlueZ lib/bluetooth.h) */
#ifndef BTPROTO_L2CAP
# define BTPROTO_L2CAP 0
#endif
#ifndef BTPROTO_HCI
# define BTPROTO_HCI 1
#endif
#ifndef BTPROTO_SCO
# define BTPROTO_SCO 2
#endif
#ifndef BTPROTO_RFCOMM
# define BTPROTO_RFCOMM 3
#endif
#ifndef BTPROTO_BNEP
# define BTPROTO_BNEP 4
#endif
#ifndef BTPROTO_CMTP
# define BTPROTO_CMTP 5
#endif
#ifndef BTPROTO_HIDP
# define BTPROTO_HIDP 6
#endif
#ifndef BTPROTO_AVDTP
# define BTPROTO_AVDTP 7
#endif
#ifndef BTPROTO_ISO
# define BTPROTO_ISO 8
#endif
#ifndef SOL_HCI
# define SOL_HCI 0
#endif
#ifndef SOL_L2CAP
# define SOL_L2CAP 6
#endif
#ifndef SOL_SCO
# define SOL_SCO 17
#endif
#ifndef SOL_RFCOMM
# define SOL_RFCOMM 18
#endif
#ifndef BDADDR_BREDR
# define BDADDR_BREDR 0x00
#endif
#ifndef BDADDR_LE_PUBLIC
# define BDADDR_LE_PUBLIC 0x01
#endif
#ifndef BDADDR_LE_RANDOM
# define BDADDR_LE_RANDOM 0x02
#endif
#ifndef BT_SECURITY
# define BT_SECURITY 4
#endif
#ifndef BT_SECURITY_SDP
# define BT_SECURITY_SDP 0
#endif
#ifndef BT_SECURITY_LOW
# define BT_SECURITY_LOW 1
#endif
#ifndef BT_SECURITY_MEDIUM
# define BT_SECURITY_MEDIUM 2
#endif
#ifndef BT_SECURITY_HIGH
# define BT_SECURITY_HIGH 3
#endif
#ifndef BT_SECURITY_FIPS
# define BT_SECURITY_FIPS 4
#endif
#ifndef BT_DEFER_SETUP
# define BT_DEFER_SETUP 7
#endif
#ifndef BT_FLUSHABLE
# define BT_FLUSHABLE 8
#endif
#ifndef BT_FLUSHABLE_OFF
# define BT_FLUSHABLE_OFF 0
#endif
#ifndef BT_FLUSHABLE_ON
# define BT_FLUSHABLE_ON 1
#endif
#ifndef BT_POWER
# define BT_POWER 9
#endif
#ifndef BT_POWER_FORCE_ACTIVE_OFF
# define BT_POWER_FORCE_ACTIVE_OFF 0
#endif
#ifndef BT_POWER_FORCE_ACTIVE_ON
# define BT_POWER_FORCE_ACTIVE_ON 1
#endif
#ifndef BT_CHANNEL_POLICY
# define BT_CHANNEL_POLICY 10
#endif
#ifndef BT_CHANNEL_POLICY_BREDR_ONLY
# define BT_CHANNEL_POLICY_BREDR_ONLY 0
#endif
#ifndef BT_CHANNEL_POLICY_BREDR_PREFERRED
# define BT_CHANNEL_POLICY_BREDR_PREFERRED 1
#endif
#ifndef BT_CHANNEL_POLICY_AMP_PREFERRED
# define BT_CHANNEL_POLICY_AMP_PREFERRED 2
#endif
#ifndef BT_VOICE
# define BT_VOICE 11
#endif
#ifndef BT_VOICE_TRANSPARENT
# define BT_VOICE_TRANSPARENT 0x0003
#endif
#ifndef BT_VOICE_CVSD_16BIT
# define BT_VOICE_CVSD_16BIT 0x0060
#endif
#ifndef BT_VOICE_TRANSPARENT_16BIT
# define BT_VOICE_TRANSPARENT_16BIT 0x0063
#endif
#ifndef BT_SNDMTU
# define BT_SNDMTU 12
#endif
#ifndef BT_RCVMTU
# define BT_RCVMTU 13
#endif
#ifndef BT_PHY
# define BT_PHY 14
#endif
#ifndef BT_PHY_BR_1M_1SLOT
# define BT_PHY_BR_1M_1SLOT 0x00000001
#endif
#ifndef BT_PHY_BR_1M_3SLOT
# define BT_PHY_BR_1M_3SLOT 0x00000002
#endif
#ifndef BT_PHY_BR_1M_5SLOT
# define BT_PHY_BR_1M_5SLOT 0x00000004
#endif
#ifndef BT_PHY_EDR_2M_1SLOT
# define BT_PHY_EDR_2M_1SLOT 0x00000008
#endif
#ifndef BT_PHY_EDR_2M_3SLOT
# define BT_PHY_EDR_2M_3SLOT 0x00000010
#endif
#ifndef BT_PHY_EDR_2M_5SLOT
# define BT_PHY_EDR_2M_5SLOT 0x00000020
#endif
#ifndef BT_PHY_EDR_3M_1SLOT
# define BT_PHY_EDR_3M_1SLOT 0x00000040
#endif
#ifndef BT_PHY_EDR_3M_3SLOT
# define BT_PHY_EDR_3M_3SLOT 0x00000080
#endif
#ifndef BT_PHY_EDR_3M_5SLOT
# define BT_PHY_EDR_3M_5SLOT 0x00000100
#endif
#ifndef BT_PHY_LE_1M_TX
# define BT_PHY_LE_1M_TX 0x00000200
#endif
#ifndef BT_PHY_LE_1M_RX
# define BT_PHY_LE_1M_RX 0x00000400
#endif
#ifndef BT_PHY_LE_2M_TX
# define BT_PHY_LE_2M_TX 0x00000800
#endif
#ifndef BT_PHY_LE_2M_RX
# define BT_PHY_LE_2M_RX 0x00001000
#endif
#ifndef BT_PHY_LE_CODED_TX
# define BT_PHY_LE_CODED_TX 0x00002000
#endif
#ifndef BT_PHY_LE_CODED_RX
# define BT_PHY_LE_CODED_RX 0x00004000
#endif
#ifndef BT_MODE
# define BT_MODE 15
#endif
#ifndef BT_MODE_BASIC
# define BT_MODE_BASIC 0x00
#endif
#ifndef BT_MODE_ERTM
# define BT_MODE_ERTM 0x01
#endif
#ifndef BT_MODE_STREAMING
# define BT_MODE_STREAMING 0x02
#endif
#ifndef BT_MODE_LE_FLOWCTL
# define BT_MODE_LE_FLOWCTL 0x03
#endif
#ifndef BT_MODE_EXT_FLOWCTL
# define BT_MODE_EXT_FLOWCTL 0x04
#endif
#ifndef BT_PKT_STATUS
# define BT_PKT_STATUS 16
#endif
#ifndef BT_SCM_PKT_STATUS
# define BT_SCM_PKT_STATUS 0x03
#endif
#ifndef BT_ISO_QOS
# define BT_ISO_QOS 17
#endif
#ifndef BT_CODEC
# define BT_CODEC 19
#endif
#ifndef BT_ISO_BASE
# define BT_ISO_BASE 20
#endif
#ifndef BT_PKT_SEQNUM
# define BT_PKT_SEQNUM 22
#endif
#ifndef BT_SCM_PKT_SEQNUM
# define BT_SCM_PKT_SEQNUM 0x05
#endif
#ifndef HCI_DATA_DIR
# define HCI_DATA_DIR 1
#endif
#ifndef HCI_FILTER
# define HCI_FILTER 2
#endif
#ifndef HCI_TIME_STAMP
# define HCI_TIME_STAMP 3
#endif
#ifndef HCI_DEV_NONE
# define HCI_DEV_NONE 0xffff
#endif
#ifndef HCI_CHANNEL_RAW
# define HCI_CHANNEL_RAW 0
#endif
#ifndef HCI_CHANNEL_USER
# define HCI_CHANNEL_USER 1
#endif
#ifndef HCI_CHANNEL_MONITOR
# define HCI_CHANNEL_MONITOR 2
#endif
#ifndef HCI_CHANNEL_CONTROL
# define HCI_CHANNEL_CONTROL 3
#endif
#ifndef HCI_CHANNEL_LOGGING
# define HCI_CHANNEL_LOGGING 4
#endif
#ifndef L2CAP_OPTIONS
# define L2CAP_OPTIONS 0x01
#endif
#ifndef L2CAP_CONNINFO
# define L2CAP_CONNINFO 0x02
#endif
#ifndef L2CAP_LM
# define L2CAP_LM 0x03
#endif
#ifndef L2CAP_LM_MASTER
# define L2CAP_LM_MASTER 0x0001
#endif
#ifndef L2CAP_LM_AUTH
# define L2CAP_LM_AUTH 0x0002
#endif
#ifndef L2CAP_LM_ENCRYPT
# define L2CAP_LM_ENCRYPT 0x0004
#endif
#ifndef L2CAP_LM_TRUSTED
# define L2CAP_LM_TRUSTED 0x0008
#endif
#ifndef L2CAP_LM_RELIABLE
# define L2CAP_LM_RELIABLE 0x0010
#endif
#ifndef L2CAP_LM_SECURE
# define L2CAP_LM_SECURE 0x0020
#endif
#ifndef L2CAP_LM_FIPS
# define L2CAP_LM_FIPS 0x0040
#endif
#ifndef RFCOMM_CONNINFO
# define RFCOMM_CONNINFO 0x02
#endif
#ifndef RFCOMM_LM
# define RFCOMM_LM 0x03
#endif
#ifndef RFCOMM_LM_MASTER
# define RFCOMM_LM_MASTER 0x0001
#endif
#ifndef RFCOMM_LM_AUTH
# define RFCOMM_LM_AUTH 0x0002
#endif
#ifndef RFCOMM_LM_ENCRYPT
# define RFCOMM_LM_ENCRYPT 0x0004
#endif
#ifndef RFCOMM_LM_TRUSTED
# define RFCOMM_LM_TRUSTED 0x0008
#endif
#ifndef RFCOMM_LM_RELIABLE
# define RFCOMM_LM_RELIABLE 0x0010
#endif
#ifndef RFCOMM_LM_SECURE
# define RFCOMM_LM_SECURE 0x0020
#endif
#ifndef RFCOMM_LM_FIPS
# define RFCOMM_LM_FIPS 0x0040
#endif
#ifndef SCO_OPTIONS
# define SCO_OPTIONS 0x01
#endif
#ifndef SCO_CONNINFO
# define SCO_CONNINFO 0x02
#endif

/* ---- AF_VSOCK -- <linux/vm_sockets.h> */
#ifndef SO_VM_SOCKETS_BUFFER_SIZE
# define SO_VM_SOCKETS_BUFFER_SIZE 0
#endif
#ifndef SO_VM_SOCKETS_BUFFER_MIN_SIZE
# define SO_VM_SOCKETS_BUFFER_MIN_SIZE 1
#endif
#ifndef SO_VM_SOCKETS_BUFFER_MAX_SIZE
# define SO_VM_SOCKETS_BUFFER_MAX_SIZE 2
#endif
#ifndef SO_VM_SOCKETS_PEER_HOST_VM_ID
# define SO_VM_SOCKETS_PEER_HOST_VM_ID 3
#endif
#ifndef SO_VM_SOCKETS_TRUSTED
# define SO_VM_SOCKETS_TRUSTED 5
#endif
#ifndef SO_VM_SOCKETS_CONNECT_TIMEOUT_OLD
# define SO_VM_SOCKETS_CONNECT_TIMEOUT_OLD 6
#endif
#ifndef SO_VM_SOCKETS_NONBLOCK_TXRX
# define SO_VM_SOCKETS_NONBLOCK_TXRX 7
#endif
#ifndef SO_VM_SOCKETS_CONNECT_TIMEOUT_NEW
# define SO_VM_SOCKETS_CONNECT_TIMEOUT_NEW 8
#endif
#ifndef SO_VM_SOCKETS_CONNECT_TIMEOUT
# define SO_VM_SOCKETS_CONNECT_TIMEOUT ((sizeof(time_t) == sizeof(long) ? 6 : 8))
#endif
#ifndef VMADDR_CID_ANY
# define VMADDR_CID_ANY 0xffffffffU
#endif
#ifndef VMADDR_PORT_ANY
# define VMADDR_PORT_ANY 0xffffffffU
#endif
#ifndef VMADDR_CID_HYPERVISOR
# define VMADDR_CID_HYPERVISOR 0
#endif
#ifndef VMADDR_CID_LOCAL
# define VMADDR_CID_LOCAL 1
#endif
#ifndef VMADDR_CID_HOST
# define VMADDR_CID_HOST 2
#endif
#ifndef VMADDR_FLAG_TO_HOST
# define VMADDR_FLAG_TO_HOST 0x01
#endif
#ifndef VM_SOCKETS_INVALID_VERSION
# define VM_SOCKETS_INVALID_VERSION 0xffffffffU
#endif
#ifndef IOCTL_VM_SOCKETS_GET_LOCAL_CID
# define IOCTL_VM_SOCKETS_GET_LOCAL_CID (_IO(7, 0xb9))
#endif
#ifndef VSOCK_RECVERR
# define VSOCK_RECVERR 1
#endif

/* ---- AF_ALG: ALG_SET_PUBKEY and the sign/verify operations are the stdlib's -- <linux/if_alg.h> */
#ifndef ALG_SET_KEY
# define ALG_SET_KEY 1
#endif
#ifndef ALG_SET_IV
# define ALG_SET_IV 2
#endif
#ifndef ALG_SET_OP
# define ALG_SET_OP 3
#endif
#ifndef ALG_SET_AEAD_ASSOCLEN
# define ALG_SET_AEAD_ASSOCLEN 4
#endif
#ifndef ALG_SET_AEAD_AUTHSIZE
# define ALG_SET_AEAD_AUTHSIZE 5
#endif
#ifndef ALG_SET_DRBG_ENTROPY
# define ALG_SET_DRBG_ENTROPY 6
#endif
#ifndef ALG_SET_PUBKEY
# define ALG_SET_PUBKEY 6
#endif
#ifndef ALG_SET_KEY_BY_KEY_SERIAL
# define ALG_SET_KEY_BY_KEY_SERIAL 7
#endif
#ifndef ALG_OP_DECRYPT
# define ALG_OP_DECRYPT 0
#endif
#ifndef ALG_OP_ENCRYPT
# define ALG_OP_ENCRYPT 1
#endif
#ifndef ALG_OP_SIGN
# define ALG_OP_SIGN 2
#endif
#ifndef ALG_OP_VERIFY
# define ALG_OP_VERIFY 3
#endif

/* ---- AF_TIPC -- <linux/tipc.h> */
#ifndef TIPC_ADDR_MCAST
# define TIPC_ADDR_MCAST 1
#endif
#ifndef TIPC_ADDR_NAMESEQ
# define TIPC_ADDR_NAMESEQ 1
#endif
#ifndef TIPC_ADDR_NAME
# define TIPC_ADDR_NAME 2
#endif
#ifndef TIPC_ADDR_ID
# define TIPC_ADDR_ID 3
#endif
#ifndef TIPC_SERVICE_RANGE
# define TIPC_SERVICE_RANGE 1
#endif
#ifndef TIPC_SERVICE_ADDR
# define TIPC_SERVICE_ADDR 2
#endif
#ifndef TIPC_SOCKET_ADDR
# define TIPC_SOCKET_ADDR 3
#endif
#ifndef TIPC_ZONE_SCOPE
# define TIPC_ZONE_SCOPE 1
#endif
#ifndef TIPC_CLUSTER_SCOPE
# define TIPC_CLUSTER_SCOPE 2
#endif
#ifndef TIPC_NODE_SCOPE
# define TIPC_NODE_SCOPE 3
#endif
#ifndef TIPC_NODE_STATE
# define TIPC_NODE_STATE 0
#endif
#ifndef TIPC_TOP_SRV
# define TIPC_TOP_SRV 1
#endif
#ifndef TIPC_LINK_STATE
# define TIPC_LINK_STATE 2
#endif
#ifndef TIPC_CFG_SRV
# define TIPC_CFG_SRV 0
#endif
#ifndef TIPC_RESERVED_TYPES
# define TIPC_RESERVED_TYPES 64
#endif
#ifndef TIPC_MAX_USER_MSG_SIZE
# define TIPC_MAX_USER_MSG_SIZE 66000
#endif
#ifndef TIPC_LOW_IMPORTANCE
# define TIPC_LOW_IMPORTANCE 0
#endif
#ifndef TIPC_MEDIUM_IMPORTANCE
# define TIPC_MEDIUM_IMPORTANCE 1
#endif
#ifndef TIPC_HIGH_IMPORTANCE
# define TIPC_HIGH_IMPORTANCE 2
#endif
#ifndef TIPC_CRITICAL_IMPORTANCE
# define TIPC_CRITICAL_IMPORTANCE 3
#endif
#ifndef TIPC_OK
# define TIPC_OK 0
#endif
#ifndef TIPC_ERR_NO_NAME
# define TIPC_ERR_NO_NAME 1
#endif
#ifndef TIPC_ERR_NO_PORT
# define TIPC_ERR_NO_PORT 2
#endif
#ifndef TIPC_ERR_NO_NODE
# define TIPC_ERR_NO_NODE 3
#endif
#ifndef TIPC_ERR_OVERLOAD
# define TIPC_ERR_OVERLOAD 4
#endif
#ifndef TIPC_CONN_SHUTDOWN
# define TIPC_CONN_SHUTDOWN 5
#endif
#ifndef TIPC_SUB_PORTS
# define TIPC_SUB_PORTS 0x01
#endif
#ifndef TIPC_SUB_SERVICE
# define TIPC_SUB_SERVICE 0x02
#endif
#ifndef TIPC_SUB_CANCEL
# define TIPC_SUB_CANCEL 0x04
#endif
#ifndef TIPC_WAIT_FOREVER
# define TIPC_WAIT_FOREVER -1
#endif
#ifndef TIPC_PUBLISHED
# define TIPC_PUBLISHED 1
#endif
#ifndef TIPC_WITHDRAWN
# define TIPC_WITHDRAWN 2
#endif
#ifndef TIPC_SUBSCR_TIMEOUT
# define TIPC_SUBSCR_TIMEOUT 3
#endif
#ifndef TIPC_ERRINFO
# define TIPC_ERRINFO 1
#endif
#ifndef TIPC_RETDATA
# define TIPC_RETDATA 2
#endif
#ifndef TIPC_DESTNAME
# define TIPC_DESTNAME 3
#endif
#ifndef TIPC_IMPORTANCE
# define TIPC_IMPORTANCE 127
#endif
#ifndef TIPC_SRC_DROPPABLE
# define TIPC_SRC_DROPPABLE 128
#endif
#ifndef TIPC_DEST_DROPPABLE
# define TIPC_DEST_DROPPABLE 129
#endif
#ifndef TIPC_CONN_TIMEOUT
# define TIPC_CONN_TIMEOUT 130
#endif
#ifndef TIPC_NODE_RECVQ_DEPTH
# define TIPC_NODE_RECVQ_DEPTH 131
#endif
#ifndef TIPC_SOCK_RECVQ_DEPTH
# define TIPC_SOCK_RECVQ_DEPTH 132
#endif
#ifndef TIPC_MCAST_BROADCAST
# define TIPC_MCAST_BROADCAST 133
#endif
#ifndef TIPC_MCAST_REPLICAST
# define TIPC_MCAST_REPLICAST 134
#endif
#ifndef TIPC_GROUP_JOIN
# define TIPC_GROUP_JOIN 135
#endif
#ifndef TIPC_GROUP_LEAVE
# define TIPC_GROUP_LEAVE 136
#endif
#ifndef TIPC_SOCK_RECVQ_USED
# define TIPC_SOCK_RECVQ_USED 137
#endif
#ifndef TIPC_NODELAY
# define TIPC_NODELAY 138
#endif
#ifndef TIPC_GROUP_LOOPBACK
# define TIPC_GROUP_LOOPBACK 0x1
#endif
#ifndef TIPC_GROUP_MEMBER_EVTS
# define TIPC_GROUP_MEMBER_EVTS 0x2
#endif
#ifndef TIPC_MAX_MEDIA_NAME
# define TIPC_MAX_MEDIA_NAME 16
#endif
#ifndef TIPC_MAX_IF_NAME
# define TIPC_MAX_IF_NAME 16
#endif
#ifndef TIPC_MAX_BEARER_NAME
# define TIPC_MAX_BEARER_NAME 32
#endif
#ifndef TIPC_MAX_LINK_NAME
# define TIPC_MAX_LINK_NAME 68
#endif
#ifndef TIPC_NODEID_LEN
# define TIPC_NODEID_LEN 16
#endif

/* ---- AF_RDS -- <linux/rds.h> */
#ifndef RDS_CANCEL_SENT_TO
# define RDS_CANCEL_SENT_TO 1
#endif
#ifndef RDS_GET_MR
# define RDS_GET_MR 2
#endif
#ifndef RDS_FREE_MR
# define RDS_FREE_MR 3
#endif
#ifndef RDS_RECVERR
# define RDS_RECVERR 5
#endif
#ifndef RDS_CONG_MONITOR
# define RDS_CONG_MONITOR 6
#endif
#ifndef RDS_GET_MR_FOR_DEST
# define RDS_GET_MR_FOR_DEST 7
#endif
#ifndef SO_RDS_TRANSPORT
# define SO_RDS_TRANSPORT 8
#endif
#ifndef SO_RDS_MSG_RXPATH_LATENCY
# define SO_RDS_MSG_RXPATH_LATENCY 10
#endif
#ifndef RDS_TRANS_IB
# define RDS_TRANS_IB 0
#endif
#ifndef RDS_TRANS_GAP
# define RDS_TRANS_GAP 1
#endif
#ifndef RDS_TRANS_TCP
# define RDS_TRANS_TCP 2
#endif
#ifndef RDS_TRANS_COUNT
# define RDS_TRANS_COUNT 3
#endif
#ifndef RDS_TRANS_NONE
# define RDS_TRANS_NONE -1
#endif
#ifndef RDS_CMSG_RDMA_ARGS
# define RDS_CMSG_RDMA_ARGS 1
#endif
#ifndef RDS_CMSG_RDMA_DEST
# define RDS_CMSG_RDMA_DEST 2
#endif
#ifndef RDS_CMSG_RDMA_MAP
# define RDS_CMSG_RDMA_MAP 3
#endif
#ifndef RDS_CMSG_RDMA_STATUS
# define RDS_CMSG_RDMA_STATUS 4
#endif
#ifndef RDS_CMSG_CONG_UPDATE
# define RDS_CMSG_CONG_UPDATE 5
#endif
#ifndef RDS_CMSG_ATOMIC_FADD
# define RDS_CMSG_ATOMIC_FADD 6
#endif
#ifndef RDS_CMSG_ATOMIC_CSWP
# define RDS_CMSG_ATOMIC_CSWP 7
#endif
#ifndef RDS_CMSG_MASKED_ATOMIC_FADD
# define RDS_CMSG_MASKED_ATOMIC_FADD 8
#endif
#ifndef RDS_CMSG_MASKED_ATOMIC_CSWP
# define RDS_CMSG_MASKED_ATOMIC_CSWP 9
#endif
#ifndef RDS_CMSG_RXPATH_LATENCY
# define RDS_CMSG_RXPATH_LATENCY 11
#endif
#ifndef RDS_CMSG_ZCOPY_COOKIE
# define RDS_CMSG_ZCOPY_COOKIE 12
#endif
#ifndef RDS_CMSG_ZCOPY_COMPLETION
# define RDS_CMSG_ZCOPY_COMPLETION 13
#endif
#ifndef RDS_RDMA_READWRITE
# define RDS_RDMA_READWRITE 0x0001
#endif
#ifndef RDS_RDMA_FENCE
# define RDS_RDMA_FENCE 0x0002
#endif
#ifndef RDS_RDMA_INVALIDATE
# define RDS_RDMA_INVALIDATE 0x0004
#endif
#ifndef RDS_RDMA_USE_ONCE
# define RDS_RDMA_USE_ONCE 0x0008
#endif
#ifndef RDS_RDMA_DONTWAIT
# define RDS_RDMA_DONTWAIT 0x0010
#endif
#ifndef RDS_RDMA_NOTIFY_ME
# define RDS_RDMA_NOTIFY_ME 0x0020
#endif
#ifndef RDS_RDMA_SILENT
# define RDS_RDMA_SILENT 0x0040
#endif
#ifndef RDS_RDMA_SUCCESS
# define RDS_RDMA_SUCCESS 0
#endif
#ifndef RDS_RDMA_REMOTE_ERROR
# define RDS_RDMA_REMOTE_ERROR 1
#endif
#ifndef RDS_RDMA_CANCELED
# define RDS_RDMA_CANCELED 2
#endif
#ifndef RDS_RDMA_DROPPED
# define RDS_RDMA_DROPPED 3
#endif
#ifndef RDS_RDMA_OTHER_ERROR
# define RDS_RDMA_OTHER_ERROR 4
#endif
#ifndef RDS_CONG_MONITOR_SIZE
# define RDS_CONG_MONITOR_SIZE 64
#endif
#ifndef RDS_MAX_ZCOOKIES
# define RDS_MAX_ZCOOKIES 8
#endif
#ifndef RDS_IB_GID_LEN
# define RDS_IB_GID_LEN 16
#endif

/* ---- AF_QIPCRTR -- <linux/qrtr.h> */
#ifndef QRTR_NODE_BCAST
# define QRTR_NODE_BCAST 0xffffffffU
#endif
#ifndef QRTR_PORT_CTRL
# define QRTR_PORT_CTRL 0xfffffffeU
#endif

#endif

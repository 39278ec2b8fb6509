/* One family codec, both ways; built once per family with
 * -DFUZZ_FAMILY=AF_... (the Makefile names the binary addr-<family>).
 *
 * Input: a mode byte, then
 *   parse (bit 0 clear): a Python value, the address as bind() gets it;
 *   build (bit 0 set):   a 16-bit length and the sockaddr's bytes, as
 *                        recvfrom() or getsockname() get them back.
 * The mode byte's other bits pick the socket's type and protocol among
 * the family's, which some codecs read the address by. */
#include "harness.h"
#include "kernel_abi.h"

#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#ifndef FUZZ_FAMILY
#error "build with -DFUZZ_FAMILY=AF_..."
#endif

typedef struct {
    int type, proto;
    /* The length below which the kernel never returns an address of this
     * kind: a builder may read that much whatever the length says, and
     * no byte past it or past the length. */
    socklen_t floor;
} socket_kind;

typedef struct {
    int family;
    socket_kind kinds[4];
} family_row;

#define SIZE(s) ((socklen_t)sizeof(struct s))

static const family_row families[] = {
    /* A path is as long as the kernel says, down to the family alone. */
    {AF_UNIX, {{SOCK_STREAM, 0, offsetof(struct sockaddr_un, sun_path)},
               {SOCK_DGRAM, 0, offsetof(struct sockaddr_un, sun_path)}}},
    {AF_INET, {{SOCK_STREAM, 0, SIZE(sockaddr_in)},
               {SOCK_DGRAM, 0, SIZE(sockaddr_in)}}},
    {AF_INET6, {{SOCK_STREAM, 0, SIZE(sockaddr_in6)},
                {SOCK_DGRAM, 0, SIZE(sockaddr_in6)}}},
    {AF_NETLINK, {{SOCK_RAW, 0, SIZE(sockaddr_nl)}}},
    /* recvfrom() fills a whole sockaddr_ll; getsockname()'s may be
     * shorter, but its sll_halen then fits the length, which is all
     * the builder reads by. */
    {AF_PACKET, {{SOCK_RAW, 0, SIZE(sockaddr_ll)},
                 {SOCK_DGRAM, 0, SIZE(sockaddr_ll)}}},
    {AF_CAN, {{SOCK_RAW, SOCKIMPL_CAN_RAW, SIZE(sockimpl_sockaddr_can)},
              {SOCK_DGRAM, SOCKIMPL_CAN_BCM, SIZE(sockimpl_sockaddr_can)},
              {SOCK_DGRAM, SOCKIMPL_CAN_ISOTP, SIZE(sockimpl_sockaddr_can)},
              {SOCK_DGRAM, SOCKIMPL_CAN_J1939, SIZE(sockimpl_sockaddr_can)}}},
    {AF_BLUETOOTH,
     {{SOCK_SEQPACKET, SOCKIMPL_BTPROTO_L2CAP, SIZE(sockimpl_sockaddr_l2)},
      {SOCK_RAW, SOCKIMPL_BTPROTO_HCI, SIZE(sockimpl_sockaddr_hci)},
      {SOCK_SEQPACKET, SOCKIMPL_BTPROTO_SCO, SIZE(sockimpl_sockaddr_sco)},
      {SOCK_STREAM, SOCKIMPL_BTPROTO_RFCOMM, SIZE(sockimpl_sockaddr_rc)}}},
    {AF_VSOCK, {{SOCK_STREAM, 0, SIZE(sockimpl_sockaddr_vm)}}},
    {AF_ALG, {{SOCK_SEQPACKET, 0, SIZE(sockimpl_sockaddr_alg)}}},
    {AF_TIPC, {{SOCK_RDM, 0, SIZE(sockimpl_sockaddr_tipc)}}},
    {AF_RDS, {{SOCK_SEQPACKET, 0, SIZE(sockaddr_in)}}},
    {AF_QIPCRTR, {{SOCK_DGRAM, 0, SIZE(sockimpl_sockaddr_qrtr)}}},
};

static const family_row *row;
static int n_kinds;
/* SOCKIMPL_FUZZ_STRICT_LENGTH=1: no floor, every byte past the length
 * must be left unread (a kernel that returned less than the struct). */
static int strict_length;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    for (size_t i = 0; i < sizeof families / sizeof families[0]; i++) {
        if (families[i].family == FUZZ_FAMILY)
            row = &families[i];
    }
    if (row == NULL)
        fz_fail("no codec row for family %d", FUZZ_FAMILY);
    while (n_kinds < 4 && row->kinds[n_kinds].type != 0)
        n_kinds++;
    const char *strict = getenv("SOCKIMPL_FUZZ_STRICT_LENGTH");
    strict_length = strict != NULL && strcmp(strict, "1") == 0;
    fz_start_python();
    return 0;
}

static void
fake_socket(sockobj *s, const socket_kind *kind)
{
    /* Only the fields a codec reads; no descriptor, so interface names
     * are looked up in this process's network namespace. */
    memset(s, 0, sizeof *s);
    s->fd = SOCKIMPL_NO_FD;
    s->family = row->family;
    s->type = kind->type;
    s->proto = kind->proto;
}

/* Parse `obj`; 0, or -1 with the exception checked and cleared. */
static int
parse(const sockobj *s, PyObject *obj, sock_addr *addr, socklen_t *len)
{
    fz_refs refs;
    fz_refs_take(&refs, obj);
    memset(addr, 0, sizeof *addr);
    *len = 0;
    int r = sockimpl_addr_parse(s, obj, addr, len, "fuzz()");
    /* First the exception goes: it may hold the argument (the str a
     * UnicodeError is about). */
    fz_check_outcome(r < 0, "parse");
    fz_refs_check(&refs, "parse");
    if (r < 0)
        return -1;
    if (*len < sizeof(sa_family_t) || *len > sizeof *addr)
        fz_fail("parse gave a length of %u", (unsigned)*len);
    /* AF_RDS addresses are AF_INET's. */
    int want = row->family == AF_RDS ? AF_INET : row->family;
    if (addr->sa.sa_family != want)
        fz_fail("parse gave family %d", addr->sa.sa_family);
    return 0;
}

/* Build from a copy of `addr` on the heap, exactly a sock_addr, so an
 * overrun of the union is ASan's to see; bytes from `keep` on are set to
 * `fill`, which must not change the result. */
static PyObject *
build(const sock_addr *addr, socklen_t len, socklen_t keep, int fill,
      int proto)
{
    sock_addr *copy = malloc(sizeof *copy);
    if (copy == NULL)
        fz_fail("out of memory");
    memcpy(copy, addr, sizeof *copy);
    if (keep < sizeof *copy)
        memset((char *)copy + keep, fill, sizeof *copy - keep);
    PyObject *obj = sockimpl_addr_build(copy, len, proto, -1);
    free(copy);
    fz_check_outcome(obj == NULL, "build");
    return obj;
}

/* Where an interpreter's stdlib returns a shorter form than it accepts
 * (L2CAP before 3.14 drops cid and bdaddr_type), parse, build, parse may
 * give another sockaddr; what build makes of it must then be the value
 * again, so that a second round trip changes nothing. */
static void
same_value_again(const sock_addr *again, socklen_t len, PyObject *built, const socket_kind *kind)
{
    PyObject *rebuilt = build(again, len, len, 0, kind->proto);
    int same = rebuilt != NULL && PyObject_RichCompareBool(rebuilt, built, Py_EQ) == 1;
    Py_XDECREF(rebuilt);
    if (!same)
        fz_fail("parse, build, parse gave another sockaddr, and another value");
}

/* Python value -> sockaddr, and back, which must give the same sockaddr
 * again (what bind(getsockname()) relies on), or at least the same value. */
static void
parse_direction(fz_reader *r, const socket_kind *kind)
{
    sockobj s;
    sock_addr addr, again;
    socklen_t len, len_again;
    fake_socket(&s, kind);
    PyObject *obj = fz_value(r);
    if (obj == NULL)
        fz_fail("out of memory");
    if (parse(&s, obj, &addr, &len) == 0) {
        PyObject *built = build(&addr, len, len, 0, kind->proto);
        if (built == NULL)
            fz_fail("an address parse accepted did not build");
        if (parse(&s, built, &again, &len_again) < 0)
            fz_fail("parse refused what build made of a parsed address");
        if (len_again != len || memcmp(&addr, &again, len) != 0)
            same_value_again(&again, len_again, built, kind);
        Py_DECREF(built);
    }
    Py_DECREF(obj);
}

/* sockaddr bytes of any length -> Python value, which may not depend on
 * bytes past the length, and which parses back to itself when it parses
 * at all (a kernel's address may hold what no Python address can ask
 * for, a flow label over 20 bits say). */
static void
build_direction(fz_reader *r, const socket_kind *kind)
{
    sock_addr addr, again;
    socklen_t again_len;
    sockobj s;
    socklen_t len = fz_u16(r) % (sizeof addr + 1);
    fz_bytes(r, &addr, sizeof addr);
    addr.sa.sa_family = (sa_family_t)row->family;
    if (len < sizeof(sa_family_t))
        len = sizeof(sa_family_t);
    socklen_t floor = strict_length ? sizeof(sa_family_t) : kind->floor;
    socklen_t keep = len > floor ? len : floor;

    PyObject *obj = build(&addr, len, keep, 0x00, kind->proto);
    PyObject *poisoned = build(&addr, len, keep, 0xa5, kind->proto);
    if (!fz_equal(obj, poisoned))
        fz_fail("build read past the address length %u", (unsigned)len);
    Py_XDECREF(poisoned);
    if (obj == NULL)
        return;
    fake_socket(&s, kind);
    if (parse(&s, obj, &again, &again_len) == 0) {
        PyObject *rebuilt = build(&again, again_len, again_len, 0,
                                  kind->proto);
        if (!fz_equal(obj, rebuilt))
            fz_fail("build, parse, build gave another address");
        Py_XDECREF(rebuilt);
    }
    Py_DECREF(obj);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_reader r;
    fz_init(&r, data, size);
    uint8_t mode = fz_byte(&r);
    const socket_kind *kind = &row->kinds[(mode >> 1) % n_kinds];
    if (mode & 1)
        build_direction(&r, kind);
    else
        parse_direction(&r, kind);
    return 0;
}

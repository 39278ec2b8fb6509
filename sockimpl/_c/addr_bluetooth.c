/* AF_BLUETOOTH addresses, by protocol: L2CAP (bdaddr, psm[, cid[,
 * bdaddr_type]]), RFCOMM (bdaddr, channel), HCI device_id or (device_id[,
 * channel]), SCO bdaddr.  A bdaddr is the text 'XX:XX:XX:XX:XX:XX'.
 *
 * Like the stdlib, an address of the wrong shape or type raises OSError
 * ("wrong format") and a malformed bdaddr OSError("bad bluetooth
 * address"); numbers out of range raise OverflowError where the stdlib
 * would silently keep their low bits. */
#include "addr_fields.h"

#include <endian.h>
#include <stdio.h>
#include <string.h>

static int
wrong_format(const char *caller, const char *proto, const char *shape)
{
    PyErr_Format(PyExc_OSError,
                 "%s: wrong format: AF_BLUETOOTH %s address must be %s",
                 caller, proto, shape);
    return -1;
}

static int
hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Six groups of one or two hex digits, most significant first; stored
 * least significant first, as the kernel keeps a bdaddr_t. */
static int
bdaddr_from_text(const char *p, size_t n, sockimpl_bdaddr_t *out)
{
    const char *end = p + n;
    for (int i = 5; i >= 0; i--) {
        int hi = p < end ? hex_digit(*p) : -1;
        if (hi < 0)
            return -1;
        p++;
        int lo = p < end ? hex_digit(*p) : -1;
        if (lo >= 0) {
            hi = hi * 16 + lo;
            p++;
        }
        out->b[i] = (uint8_t)hi;
        if (i > 0 && (p >= end || *p++ != ':'))
            return -1;
    }
    return p == end ? 0 : -1;
}

/* A bdaddr given as str, or as bytes where `bytes_ok` (SCO). */
static int
bdaddr_parse(PyObject *obj, int bytes_ok, const char *caller,
             const char *proto, const char *shape, sockimpl_bdaddr_t *out)
{
    const char *text;
    Py_ssize_t n;

    if (PyUnicode_Check(obj)) {
        text = PyUnicode_AsUTF8AndSize(obj, &n);
        if (text == NULL)
            return -1;
    }
    else if (bytes_ok && PyBytes_Check(obj)) {
        text = PyBytes_AS_STRING(obj);
        n = PyBytes_GET_SIZE(obj);
    }
    else {
        return wrong_format(caller, proto, shape);
    }
    if (bdaddr_from_text(text, (size_t)n, out) < 0) {
        PyErr_Format(PyExc_OSError, "bad bluetooth address: %s: "
                     "AF_BLUETOOTH %s bdaddr must be 'XX:XX:XX:XX:XX:XX'",
                     caller, proto);
        return -1;
    }
    return 0;
}

/* An unsigned field of `bits` bits; refuses non-integers as the stdlib
 * does (OSError), out-of-range values with OverflowError. */
static int
bt_uint(PyObject *obj, unsigned long long max, const char *caller,
        const char *what, const char *proto, const char *shape,
        unsigned long long *out)
{
    if (!PyIndex_Check(obj))
        return wrong_format(caller, proto, shape);
    return sockimpl_field_uint(obj, max, caller, what, out);
}

#define L2CAP_SHAPE "a tuple (bdaddr, psm[, cid[, bdaddr_type]])"

static int
l2cap_parse(PyObject *obj, struct sockimpl_sockaddr_l2 *l2,
            const char *caller)
{
    unsigned long long psm, cid = 0, type = SOCKIMPL_BDADDR_BREDR;
    Py_ssize_t n = PyTuple_Check(obj) ? PyTuple_GET_SIZE(obj) : 0;
    if (n < 2 || n > 4)
        return wrong_format(caller, "L2CAP", L2CAP_SHAPE);
    if (bdaddr_parse(PyTuple_GET_ITEM(obj, 0), 0, caller, "L2CAP",
                     L2CAP_SHAPE, &l2->l2_bdaddr) < 0
        || bt_uint(PyTuple_GET_ITEM(obj, 1), 0xffff, caller,
                   "AF_BLUETOOTH L2CAP psm", "L2CAP", L2CAP_SHAPE, &psm) < 0
        || (n > 2 && bt_uint(PyTuple_GET_ITEM(obj, 2), 0xffff, caller,
                             "AF_BLUETOOTH L2CAP cid", "L2CAP", L2CAP_SHAPE,
                             &cid) < 0)
        || (n > 3 && bt_uint(PyTuple_GET_ITEM(obj, 3), 0xff, caller,
                             "AF_BLUETOOTH L2CAP bdaddr_type", "L2CAP",
                             L2CAP_SHAPE, &type) < 0))
        return -1;
    l2->l2_psm = htole16((uint16_t)psm);
    l2->l2_cid = htole16((uint16_t)cid);
    l2->l2_bdaddr_type = (uint8_t)type;
    return (int)sizeof *l2;
}

#define RFCOMM_SHAPE "a tuple (bdaddr, channel)"

static int
rfcomm_parse(PyObject *obj, struct sockimpl_sockaddr_rc *rc,
             const char *caller)
{
    unsigned long long channel;
    if (!PyTuple_Check(obj) || PyTuple_GET_SIZE(obj) != 2)
        return wrong_format(caller, "RFCOMM", RFCOMM_SHAPE);
    if (bdaddr_parse(PyTuple_GET_ITEM(obj, 0), 0, caller, "RFCOMM",
                     RFCOMM_SHAPE, &rc->rc_bdaddr) < 0
        || bt_uint(PyTuple_GET_ITEM(obj, 1), 0xff, caller,
                   "AF_BLUETOOTH RFCOMM channel", "RFCOMM", RFCOMM_SHAPE,
                   &channel) < 0)
        return -1;
    rc->rc_channel = (uint8_t)channel;
    return (int)sizeof *rc;
}

#define HCI_SHAPE "device_id or a tuple (device_id[, channel])"

static int
hci_parse(PyObject *obj, struct sockimpl_sockaddr_hci *hci,
          const char *caller)
{
    unsigned long long dev, channel = SOCKIMPL_HCI_CHANNEL_RAW;
    /* A bare device id is what getsockname() returns for a raw channel,
     * so that bind(getsockname()) works. */
    if (PyIndex_Check(obj)) {
        if (sockimpl_field_uint(obj, 0xffff, caller,
                                "AF_BLUETOOTH HCI device_id", &dev) < 0)
            return -1;
    }
    else {
        Py_ssize_t n = PyTuple_Check(obj) ? PyTuple_GET_SIZE(obj) : 0;
        if (n < 1 || n > 2)
            return wrong_format(caller, "HCI", HCI_SHAPE);
        if (bt_uint(PyTuple_GET_ITEM(obj, 0), 0xffff, caller,
                    "AF_BLUETOOTH HCI device_id", "HCI", HCI_SHAPE, &dev) < 0
            || (n > 1 && bt_uint(PyTuple_GET_ITEM(obj, 1), 0xffff, caller,
                                 "AF_BLUETOOTH HCI channel", "HCI",
                                 HCI_SHAPE, &channel) < 0))
            return -1;
    }
    hci->hci_dev = (unsigned short)dev;
    hci->hci_channel = (unsigned short)channel;
    return (int)sizeof *hci;
}

static int
sco_parse(PyObject *obj, struct sockimpl_sockaddr_sco *sco,
          const char *caller)
{
    if (bdaddr_parse(obj, 1, caller, "SCO", "bdaddr as str or bytes",
                     &sco->sco_bdaddr) < 0)
        return -1;
    return (int)sizeof *sco;
}

static int
bluetooth_parse(const sockobj *s, PyObject *obj, sock_addr *addr,
                socklen_t *len, const char *caller)
{
    int n;
    switch (s->proto) {
    case SOCKIMPL_BTPROTO_L2CAP:
        n = l2cap_parse(obj, (struct sockimpl_sockaddr_l2 *)addr, caller);
        break;
    case SOCKIMPL_BTPROTO_RFCOMM:
        n = rfcomm_parse(obj, (struct sockimpl_sockaddr_rc *)addr, caller);
        break;
    case SOCKIMPL_BTPROTO_HCI:
        n = hci_parse(obj, (struct sockimpl_sockaddr_hci *)addr, caller);
        break;
    case SOCKIMPL_BTPROTO_SCO:
        n = sco_parse(obj, (struct sockimpl_sockaddr_sco *)addr, caller);
        break;
    default:
        PyErr_Format(PyExc_OSError, "%s: unknown Bluetooth protocol %d",
                     caller, s->proto);
        return -1;
    }
    if (n < 0)
        return -1;
    /* Every Bluetooth sockaddr starts with its family. */
    addr->sa.sa_family = AF_BLUETOOTH;
    *len = (socklen_t)n;
    return 0;
}

static PyObject *
bdaddr_text(const sockimpl_bdaddr_t *a)
{
    /* PyUnicode_FromFormat learnt %X only in 3.12. */
    char text[sizeof "XX:XX:XX:XX:XX:XX"];
#ifdef SOCKIMPL_MUTANT_BDADDR_ORDER
    /* A deliberately broken build for the engine (lab/engine/mutants.py):
     * the bytes in wire order, the classic slip. */
    snprintf(text, sizeof text, "%02X:%02X:%02X:%02X:%02X:%02X", a->b[0],
             a->b[1], a->b[2], a->b[3], a->b[4], a->b[5]);
    return PyUnicode_FromString(text);
#endif
    snprintf(text, sizeof text, "%02X:%02X:%02X:%02X:%02X:%02X", a->b[5],
             a->b[4], a->b[3], a->b[2], a->b[1], a->b[0]);
    return PyUnicode_FromString(text);
}

static PyObject *
l2cap_build(const struct sockimpl_sockaddr_l2 *l2)
{
    PyObject *text = bdaddr_text(&l2->l2_bdaddr);
    if (text == NULL)
        return NULL;
    int psm = le16toh(l2->l2_psm), cid = le16toh(l2->l2_cid);
#if PY_VERSION_HEX < 0x030E0000
    /* Before 3.14 the stdlib's L2CAP address is (bdaddr, psm) whatever the
     * channel and address type: code unpacks two items (found by the lab's
     * Bluetooth oracle).  Those interpreters still bind and connect with
     * the longer forms here. */
    (void)cid;
    return Py_BuildValue("(Ni)", text, psm);
#else
    /* The short form for BR/EDR without a fixed channel, as ever; the
     * longer ones only carry what the short one would lose. */
    if (l2->l2_bdaddr_type != SOCKIMPL_BDADDR_BREDR)
        return Py_BuildValue("(Niii)", text, psm, cid,
                             (int)l2->l2_bdaddr_type);
    if (cid != 0)
        return Py_BuildValue("(Nii)", text, psm, cid);
    return Py_BuildValue("(Ni)", text, psm);
#endif
}

static PyObject *
bluetooth_build(const sock_addr *addr, socklen_t Py_UNUSED(len), int proto,
                int Py_UNUSED(fd))
{
    switch (proto) {
    case SOCKIMPL_BTPROTO_L2CAP:
        return l2cap_build((const struct sockimpl_sockaddr_l2 *)addr);
    case SOCKIMPL_BTPROTO_RFCOMM: {
        const struct sockimpl_sockaddr_rc *rc =
            (const struct sockimpl_sockaddr_rc *)addr;
        PyObject *text = bdaddr_text(&rc->rc_bdaddr);
        if (text == NULL)
            return NULL;
        return Py_BuildValue("(Ni)", text, (int)rc->rc_channel);
    }
    case SOCKIMPL_BTPROTO_HCI: {
        const struct sockimpl_sockaddr_hci *hci =
            (const struct sockimpl_sockaddr_hci *)addr;
        if (hci->hci_channel == SOCKIMPL_HCI_CHANNEL_RAW)
            return PyLong_FromLong(hci->hci_dev);
        return Py_BuildValue("(ii)", (int)hci->hci_dev,
                             (int)hci->hci_channel);
    }
    case SOCKIMPL_BTPROTO_SCO:
        /* A str, which bind() takes back (gh-132099). */
        return bdaddr_text(&((const struct sockimpl_sockaddr_sco *)addr)
                                ->sco_bdaddr);
    default:
        PyErr_SetString(PyExc_ValueError, "Unknown Bluetooth protocol");
        return NULL;
    }
}

const addr_codec sockimpl_codec_bluetooth = {
    .family = AF_BLUETOOTH,
    .parse = bluetooth_parse,
    .build = bluetooth_build,
};

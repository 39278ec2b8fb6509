/* AF_NETLINK addresses: (pid, groups), the port id and the multicast
 * group mask of a sockaddr_nl. */
#include "addr_fields.h"

#include <linux/netlink.h>

static int
netlink_parse(const sockobj *Py_UNUSED(s), PyObject *obj, sock_addr *addr,
              socklen_t *len, const char *caller)
{
    struct sockaddr_nl *nl = (struct sockaddr_nl *)addr;
    uint32_t pid, groups;

    if (sockimpl_field_tuple(obj, 2, 2, caller, "AF_NETLINK",
                             "(pid, groups)") < 0
        || sockimpl_field_u32(PyTuple_GET_ITEM(obj, 0), caller,
                              "AF_NETLINK pid", &pid) < 0
        || sockimpl_field_u32(PyTuple_GET_ITEM(obj, 1), caller,
                              "AF_NETLINK groups", &groups) < 0)
        return -1;
    nl->nl_family = AF_NETLINK;
    nl->nl_pid = pid;
    nl->nl_groups = groups;
    *len = sizeof *nl;
    return 0;
}

static PyObject *
netlink_build(const sock_addr *addr, socklen_t Py_UNUSED(len),
              int Py_UNUSED(proto), int Py_UNUSED(fd))
{
    const struct sockaddr_nl *nl = (const struct sockaddr_nl *)addr;
#ifdef SOCKIMPL_MUTANT_NETLINK_GROUPS
    /* A deliberately broken build for the engine (lab/engine/mutants.py). */
    return Py_BuildValue("(II)", (unsigned int)nl->nl_pid, 0u);
#endif
    return Py_BuildValue("(II)", (unsigned int)nl->nl_pid,
                         (unsigned int)nl->nl_groups);
}

const addr_codec sockimpl_codec_netlink = {
    .family = AF_NETLINK,
    .parse = netlink_parse,
    .build = netlink_build,
};

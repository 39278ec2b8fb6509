/* AF_RDS sockets are addressed like AF_INET ones: the kernel takes and
 * returns a sockaddr_in, so the INET codec does the work; this row only
 * lets the family table find it under AF_RDS. */
#include "addr_fields.h"

static int
rds_parse(const sockobj *s, PyObject *obj, sock_addr *addr, socklen_t *len,
          const char *caller)
{
    return sockimpl_codec_inet.parse(s, obj, addr, len, caller);
}

static PyObject *
rds_build(const sock_addr *addr, socklen_t len, int proto, int fd)
{
    return sockimpl_codec_inet.build(addr, len, proto, fd);
}

const addr_codec sockimpl_codec_rds = {
    .family = AF_RDS,
    .parse = rds_parse,
    .build = rds_build,
};

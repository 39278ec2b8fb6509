"""gh-100795: when the resolver fails on a wildcard ("") address, the
socket module went on to free the result list glibc never gave it; in a
network namespace with IPv6 disabled, resolving the IPv6 wildcard is what
fails, and the interpreter crashed (a double free).
https://github.com/python/cpython/issues/100795
"""

SCENARIO = {
    "reference": "gh-100795",
    "title": "getaddrinfo crashing in a namespace with IPv6 disabled",
    "family": "AF_INET6",
    "needs": ["ipv6_disabled"],
    "affected": {
        "text": "until the fix in 3.12.0, 3.11.2 and 3.10.10",
        "versions": [["3.0", "3.10.10"], ["3.11.0", "3.11.2"]],
    },
    "fixed": "every wildcard resolution returns or raises an OSError; the interpreter survives",
}


def _attempts(socket):
    """The calls that resolve the "" wildcard for IPv6 or for any family."""

    def bind_ipv6_wildcard():
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as sock:
            sock.bind(("", 0))
            return sock.getsockname()[0]

    def sendto_ipv6_wildcard():
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as sock:
            return sock.sendto(b"x", ("", 9))

    def passive_lookup_ipv6():
        return len(socket.getaddrinfo(None, 0, socket.AF_INET6, 0, 0,
                                      socket.AI_PASSIVE | socket.AI_ADDRCONFIG))

    def reverse_lookup_wildcard():
        return socket.gethostbyaddr("")

    return [bind_ipv6_wildcard, sendto_ipv6_wildcard, passive_lookup_ipv6, reverse_lookup_wildcard]


def run(socket, lab):
    with open("/proc/sys/net/ipv6/conf/all/disable_ipv6") as knob:
        if knob.read().strip() != "1":
            lab.not_applicable("IPv6 is not disabled in this namespace")
    seen = []
    for attempt in _attempts(socket):
        # A crash ends the child here: the parent reports the signal.
        try:
            seen.append(f"{attempt.__name__}: {attempt()!r}")
        except OSError as exc:
            seen.append(f"{attempt.__name__}: {type(exc).__name__}({exc.errno})")
        print(seen[-1], flush=True)
    return lab.not_reproduced("; ".join(seen))

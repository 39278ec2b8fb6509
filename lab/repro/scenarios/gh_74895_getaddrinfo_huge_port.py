"""gh-74895: `getaddrinfo(host, port)` with a port too large for a C long
raises OverflowError instead of the resolver's own `gaierror`, so code that
handles resolution errors misses it.
https://github.com/python/cpython/issues/74895
"""

SCENARIO = {
    "reference": "gh-74895",
    "title": "getaddrinfo with a huge port raises OverflowError instead of gaierror",
    "family": "AF_INET",
    "needs": [],
    "affected": {
        "text": "every version until the fix in 3.12.0 (not backported)",
        "versions": [["2.0", "3.12.0"]],
    },
    "fixed": "socket.gaierror (EAI_SERVICE) for a port no resolver accepts",
}

HUGE_PORT = 2 ** 64 + 80


def run(socket, lab):
    # A numeric host: no name is ever looked up, and the run's namespace has
    # no route anywhere but loopback in any case.
    try:
        socket.getaddrinfo("127.0.0.1", HUGE_PORT, socket.AF_INET, socket.SOCK_STREAM, 0,
                           socket.AI_NUMERICHOST)
    except OverflowError as exc:
        return lab.reproduced(f"OverflowError: {exc}")
    except socket.gaierror as exc:
        return lab.not_reproduced(f"gaierror {exc.errno}")
    return lab.reproduced("a port of 2**64 + 80 was accepted")

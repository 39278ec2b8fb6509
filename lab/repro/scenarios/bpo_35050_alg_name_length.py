"""bpo-35050: the length checks on an AF_ALG address were off by one: a
type of exactly 14 bytes or a name of exactly 64 filled `salg_type` /
`salg_name` with no room for the terminating NUL, and went to the kernel
unterminated instead of being refused.
https://bugs.python.org/issue35050
"""

SCENARIO = {
    "reference": "bpo-35050",
    "title": "AF_ALG type/name length check off by one",
    "family": "AF_ALG",
    "needs": ["alg"],
    "affected": {
        "text": "3.6.0 (AF_ALG support) until the fix in 3.6.8 and 3.7.2",
        "versions": [["3.6.0", "3.6.8"], ["3.7.0", "3.7.2"]],
    },
    "fixed": "a 14-byte type and a 64-byte name are refused with ValueError",
}

TYPE_FIELD = 14  # sizeof(((struct sockaddr_alg *)0)->salg_type)
NAME_FIELD = 64  # sizeof(((struct sockaddr_alg *)0)->salg_name)


def _outcome(socket, address):
    with socket.socket(socket.AF_ALG, socket.SOCK_SEQPACKET, 0) as sock:
        try:
            sock.bind(address)
        except ValueError as exc:
            return None, f"ValueError: {exc}"
        except OSError as exc:
            return f"reached the kernel: {exc!r}", None
    return "bound", None


def run(socket, lab):
    lab.require(socket, "AF_ALG")
    with socket.socket(socket.AF_ALG, socket.SOCK_SEQPACKET, 0) as sock:
        sock.bind(("hash", "sha256"))  # a valid address binds: the family works here
    seen = []
    for label, address in (("type", ("t" * TYPE_FIELD, "sha256")), ("name", ("hash", "n" * NAME_FIELD))):
        symptom, refusal = _outcome(socket, address)
        if symptom:
            return lab.reproduced("a {}-byte {} {}".format(len(address[label == "name"]), label, symptom))
        seen.append(f"{label}: {refusal}")
    return lab.not_reproduced("; ".join(seen))

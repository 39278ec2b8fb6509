"""bpo-42393 (gh-86559): socket.htons() and ntohs() silently truncated a
value wider than 16 bits (0x10001 -> 256); 3.7 made that a
DeprecationWarning, and 3.10 an OverflowError, as the report asked.
https://bugs.python.org/issue42393
"""

import warnings

SCENARIO = {
    "reference": "bpo-42393",
    "title": "htons()/ntohs() silently truncate a value wider than 16 bits",
    "family": "AF_INET",
    "needs": [],
    "affected": {
        "text": "before 3.10 (3.7-3.9 only warn, DeprecationWarning); OverflowError from 3.10",
        "versions": [["3.0.0", "3.10.0"]],
    },
    "fixed": "htons(0x10001) and ntohs(0x10001) raise OverflowError",
}


def run(socket, lab):
    seen = []
    for name in ("htons", "ntohs"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            try:
                value = getattr(socket, name)(0x10001)
            except OverflowError as exc:
                seen.append(f"{name}: OverflowError ({exc})")
                continue
        return lab.reproduced(f"{name}(0x10001) returned {value} (truncated)")
    return lab.not_reproduced("; ".join(seen))

"""Write the libFuzzer harnesses' seed corpora from the hypothesis strategies.

    python -m hardening.libfuzzer.seeds      (from the repository's root)

The address seeds are drawn from tests/test_codec_properties.py's own
strategies (one per codec, plus INET, INET6 and UNIX here, which that
suite leaves to others), encoded in the byte format reader.c decodes.
Each target's seeds replace the previous ones in hardening/corpus/c-<target>/;
saved findings (finding-*) stay.  The draw is derandomized: the same
strategies write the same files.
"""

from __future__ import annotations

import hashlib
import socket
import struct
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import test_codec_properties as props

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "hardening" / "corpus"
PARSE_SEEDS = 16  # per codec: Python values
BUILD_SEEDS = 4  # per codec: raw sockaddrs
OTHER_SEEDS = 12  # per ancillary or inet target

# ---- the format of reader.c ----------------------------------------------

INT, STR, BYTES, BYTEARRAY, NONE, FLOAT, BOOL, TUPLE, LIST = range(9)
MAX_DEPTH = 4
MAX_ITEMS = 7
SMALL_INT_BYTES = 17
EDGES = (
    0, 1, -1, 255, 256, 65535, 65536, 1048575, 1048576, 2**31 - 1, 2**31, -(2**31),
    -(2**31) - 1, 2**32 - 1, 2**32, 2**63 - 1, 2**63, -(2**63) - 1, 2**64 - 1, 2**64,
)  # fmt: skip


def _encode_int(value: int) -> bytes:
    if value in EDGES and type(value) is int:
        return bytes([INT, SMALL_INT_BYTES + EDGES.index(value)])
    size = (value.bit_length() + 8) // 8 if value else 0
    if size >= SMALL_INT_BYTES:  # beyond 16 bytes: the widest edge stands in
        return bytes([INT, SMALL_INT_BYTES + EDGES.index(2**64)])
    return bytes([INT, size]) + value.to_bytes(size, "little", signed=True)


def _short(data: bytes) -> bytes:
    return bytes([len(data[:255])]) + data[:255]


def _encode_str(text: str) -> bytes:
    data = text.encode("utf-8", "surrogatepass")
    while len(data) > 255:
        text = text[:-1]
        data = text.encode("utf-8", "surrogatepass")
    return bytes([STR]) + _short(data)


def encode(value: Any, depth: int = 0) -> bytes:
    """The bytes fz_value() reads back as `value` (longer containers, strs
    and bytes cut to what the format holds)."""
    if isinstance(value, bool):
        return bytes([BOOL, int(value)])
    if isinstance(value, int):
        return _encode_int(value)
    if isinstance(value, str):
        return _encode_str(value)
    if isinstance(value, (bytes, bytearray)):
        return bytes([BYTEARRAY if isinstance(value, bytearray) else BYTES]) + _short(value)
    if isinstance(value, float):
        return bytes([FLOAT]) + struct.pack("<d", value)
    if isinstance(value, (tuple, list)) and depth < MAX_DEPTH:
        items = list(value)[:MAX_ITEMS]
        head = bytes([LIST if isinstance(value, list) else TUPLE, len(items)])
        return head + b"".join(encode(item, depth + 1) for item in items)
    return bytes([NONE])


# ---- drawing --------------------------------------------------------------


def draw(strategy: st.SearchStrategy[Any], count: int) -> list[Any]:
    """`count` examples of `strategy`, the same ones every time."""
    found: list[Any] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(example: Any) -> None:
        found.append(example)

    collect()
    return found[:count]


# The socket kinds of each address target, in addr_fuzz.c's order: a seed's
# mode byte picks one by index.
KINDS: dict[str, list[tuple[int, int]]] = {
    "unix": [(1, 0), (2, 0)],
    "inet": [(1, 0), (2, 0)],
    "inet6": [(1, 0), (2, 0)],
    "netlink": [(3, 0)],
    "packet": [(3, 0), (2, 0)],
    "can": [(3, 1), (2, 2), (2, 6), (2, 7)],
    "bluetooth": [(5, 0), (3, 1), (5, 2), (1, 3)],
    "vsock": [(1, 0)],
    "alg": [(5, 0)],
    "tipc": [(4, 0)],
    "rds": [(5, 0)],
    "qrtr": [(2, 0)],
}
FAMILIES = {
    "netlink": 16, "packet": 17, "can": 29, "bluetooth": 31, "vsock": 40,
    "alg": 38, "tipc": 30, "rds": 21, "qrtr": 42,
}  # fmt: skip
# The families tests/test_codec_properties.py leaves out, their hosts numeric.
v6_hosts = st.sampled_from(["::1", "::", "fe80::1%1", "::ffff:198.18.0.1", "2001:db8::1", ""])
EXTRA = {
    "unix": props.Codec(
        "unix", 1, 1, 0, (st.text(max_size=40),),
        bare=st.one_of(st.text(max_size=40), st.binary(max_size=110), st.just(b"\0abstract")),
    ),
    "inet": props.Codec("inet", 2, 1, 0, (props.numeric_host, props.u16)),
    "inet6": props.Codec(
        "inet6", 10, 1, 0, (v6_hosts, props.u16, st.integers(0, 2**20), props.u32)
    ),
}  # fmt: skip


def codecs_of(target: str) -> list[props.Codec]:
    if target in EXTRA:
        return [EXTRA[target]]
    if target == "rds":
        return [props.RDS]
    return [c for c in props.CODECS if c.family == FAMILIES[target]]


def kind_index(target: str, codec: props.Codec) -> int:
    kinds = KINDS[target]
    return kinds.index((codec.type, codec.proto)) if (codec.type, codec.proto) in kinds else 0


def addr_seeds(target: str) -> Iterator[bytes]:
    codecs = codecs_of(target)
    per_codec = max(1, PARSE_SEEDS // len(codecs))
    for codec in codecs:
        inputs = codec.inputs()
        if target == "rds":
            inputs = inputs.map(props._rds_safe)
        for value in draw(inputs, per_codec):
            yield bytes([kind_index(target, codec) << 1]) + encode(value)
    lengths = st.sampled_from([0, 2, 8, 16, 28, 128])
    raw = st.tuples(st.integers(0, len(KINDS[target]) - 1), lengths, st.binary(max_size=128))
    for kind, length, data in draw(raw, BUILD_SEEDS):
        yield bytes([kind << 1 | 1]) + struct.pack("<H", length) + data


# ---- ancillary data and inet text -------------------------------------------

S = socket
cmsg_item = st.tuples(
    st.sampled_from([S.SOL_SOCKET, S.IPPROTO_IP, S.IPPROTO_IPV6, 0]),
    st.sampled_from([S.SCM_RIGHTS, S.SCM_CREDENTIALS, 0, 1]),
    st.one_of(st.binary(max_size=40), st.builds(bytearray, st.binary(max_size=8))),
)
ancdata = st.one_of(
    st.lists(cmsg_item, max_size=6),
    st.lists(cmsg_item, max_size=3).map(tuple),
    props.arbitrary,
)


def control_buffer(items: list[tuple[int, int, bytes]], cut: int) -> bytes:
    """The control buffer recvmsg() would fill, its length cut short by
    `cut` bytes (MSG_CTRUNC), with that length in front for cmsg-parse."""
    body = b""
    for level, kind, data in items:
        head = struct.pack("@Nii", S.CMSG_LEN(len(data)), level, kind)
        body += (head + data).ljust(S.CMSG_SPACE(len(data)), b"\0")
    return struct.pack("<H", max(0, len(body) - cut)) + body


def cmsg_parse_seeds() -> Iterator[bytes]:
    cases = st.tuples(st.lists(cmsg_item.map(lambda i: (*i[:2], bytes(i[2]))), max_size=4),
                      st.integers(0, 12))  # fmt: skip
    for items, cut in draw(cases, OTHER_SEEDS):
        yield control_buffer(items, cut)


ip_text = st.one_of(
    st.ip_addresses().map(str),
    st.sampled_from(["127.1", "0x7f.1", "1.2.3.4 junk", "::ffff:1.2.3.4", "1:2:3:4:5:6:7:8:9"]),
    st.text(alphabet="0123456789abcdefx.:% ", max_size=40),
)


def inet_seeds(target: str) -> Iterator[bytes]:
    if target in ("pton", "aton"):
        family = st.integers(0, 1).map(lambda f: bytes([f]) if target == "pton" else b"")
        for pick, text in draw(st.tuples(family, ip_text), OTHER_SEEDS):
            yield pick + text.encode()
        return
    family = st.integers(0, 1).map(lambda f: bytes([f]) if target == "ntop" else b"")
    for pick, address in draw(st.tuples(family, st.ip_addresses()), OTHER_SEEDS):
        # ntoa and the AF_INET pick take 4 bytes: what is longer is cut.
        yield pick + b"\0" + address.packed


# ---- writing ------------------------------------------------------------------

TARGETS: dict[str, Callable[[], Iterator[bytes]]] = {
    **{f"addr-{name}": (lambda name=name: addr_seeds(name)) for name in KINDS},
    "cmsg-build": lambda: (encode(v) for v in draw(ancdata, OTHER_SEEDS)),
    "cmsg-parse": cmsg_parse_seeds,
    **{f"inet-{fn}": (lambda fn=fn: inet_seeds(fn)) for fn in ("pton", "aton", "ntop", "ntoa")},
}


def write(target: str, seeds: Iterator[bytes]) -> int:
    folder = CORPUS / f"c-{target}"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        if not old.name.startswith("finding-"):
            old.unlink()
    written = set()
    for seed in seeds:
        name = hashlib.sha1(seed).hexdigest()
        (folder / name).write_bytes(seed)
        written.add(name)
    return len(written)


def main() -> None:
    total = 0
    for target, seeds in TARGETS.items():
        count = write(target, seeds())
        print(f"{target:16} {count} seeds")
        total += count
    print(f"{'total':16} {total}")


if __name__ == "__main__":
    main()

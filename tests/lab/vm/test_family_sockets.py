"""Real sockets of the families the host kernel lacks, both implementations
in one scenario (`agree`): what each call returns or raises must be the
same.  Moved from tests/test_families.py, where they could only skip on
this host; here `lab test` routes them to the lab VM by their `family`."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from differential import agree

# include/linux/socket.h, can.h, tipc.h, if_alg.h
AF_CAN, AF_TIPC, AF_ALG, AF_QIPCRTR = 29, 30, 38, 42
SOCK_DGRAM, SOCK_RAW, SOCK_RDM, SOCK_SEQPACKET = 2, 3, 4, 5
CAN_RAW = 1
TIPC_ADDR_NAMESEQ, TIPC_ADDR_ID, TIPC_CLUSTER_SCOPE = 1, 3, 2
SOL_ALG, ALG_SET_KEY, ALG_OP_ENCRYPT = 279, 1, 1


@pytest.mark.family("can")
def test_can_raw_bound_to_all_interfaces_reads_back_a_tuple(vcan_bus) -> None:
    def scenario(m: Any) -> Any:
        with m.socket(AF_CAN, SOCK_RAW, CAN_RAW) as s:
            s.bind(("",))
            return s.getsockname()

    assert agree(scenario).value == ("",)


@pytest.mark.family("alg")
def test_alg_sha256_digest_agrees(alg) -> None:
    def scenario(m: Any) -> Any:
        with m.socket(AF_ALG, SOCK_SEQPACKET) as algo:
            algo.bind(("hash", "sha256"))
            op, _ = algo.accept()
            with op:
                op.sendall(b"socklab")
                return op.recv(32)

    assert agree(scenario).value == hashlib.sha256(b"socklab").digest()


@pytest.mark.family("alg")
def test_alg_sendmsg_afalg_encrypts_with_op_and_iv(alg) -> None:
    key, iv, plain = bytes(16), bytes(range(16)), b"sixteen byte msg"

    def scenario(m: Any) -> Any:
        with m.socket(AF_ALG, SOCK_SEQPACKET) as algo:
            algo.bind(("skcipher", "cbc(aes)"))
            algo.setsockopt(SOL_ALG, ALG_SET_KEY, key)
            op, _ = algo.accept()
            with op:
                op.sendmsg_afalg([plain], op=ALG_OP_ENCRYPT, iv=iv)
                return op.recv(len(plain))

    ciphertext = agree(scenario).value
    assert len(ciphertext) == len(plain) and ciphertext != plain


@pytest.mark.family("tipc")
def test_tipc_bound_service_range_reads_back(tipc_node) -> None:
    address = (TIPC_ADDR_NAMESEQ, 18888, 1, 10, TIPC_CLUSTER_SCOPE)

    def scenario(m: Any) -> Any:
        with tipc_node.inside():
            s = m.socket(AF_TIPC, SOCK_RDM)
        with s:
            s.bind(address)
            return s.getsockname()[0]

    assert agree(scenario).value == TIPC_ADDR_ID


@pytest.mark.family("qipcrtr")
def test_qrtr_bound_socket_reads_back_its_port(qrtr) -> None:
    def scenario(m: Any) -> Any:
        with m.socket(AF_QIPCRTR, SOCK_DGRAM) as s:
            return type(s.getsockname()).__name__

    assert agree(scenario).value == "tuple"

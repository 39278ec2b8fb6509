"""AF_ALG, the kernel's crypto API, against both implementations: hashes
and HMACs equal Python's hashlib/hmac, ciphers equal published vectors
(NIST SP 800-38A for CBC, the GCM specification's test case 2), and
`sendmsg_afalg` carries `op`, `iv` and `assoclen`."""

from __future__ import annotations

import errno
import hashlib
import hmac

import pytest

pytestmark = [pytest.mark.family("alg")]

MESSAGE = b"The quick brown fox jumps over the lazy dog" * 40

# NIST SP 800-38A, F.2.1 CBC-AES128.Encrypt, first block.
CBC_KEY = bytes.fromhex("2b7e151628aed2a6abf7158809cf4f3c")
CBC_IV = bytes.fromhex("000102030405060708090a0b0c0d0e0f")
CBC_PLAIN = bytes.fromhex("6bc1bee22e409f96e93d7e117393172a")
CBC_CIPHER = bytes.fromhex("7649abac8119b246cee98e9b12e9197d")

# The GCM specification (McGrew and Viega), test case 2.
GCM_KEY = bytes(16)
GCM_IV = bytes(12)
GCM_PLAIN = bytes(16)
GCM_CIPHER = bytes.fromhex("0388dace60b6a392f328c2b971b2fe78")
GCM_TAG = bytes.fromhex("ab6e47d42cec13bdf53a67b21257bddf")


def operation(impl, kind: str, name: str, key: bytes | None = None, authsize: int | None = None):
    """An AF_ALG transform bound to (kind, name), keyed, and one operation socket on it."""
    transform = impl.socket(impl.AF_ALG, impl.SOCK_SEQPACKET, 0)
    transform.bind((kind, name))
    if key is not None:
        transform.setsockopt(impl.SOL_ALG, impl.ALG_SET_KEY, key)
    if authsize is not None:
        transform.setsockopt(impl.SOL_ALG, impl.ALG_SET_AEAD_AUTHSIZE, None, authsize)
    op, _ = transform.accept()
    return transform, op


def test_sha256_equals_hashlib(impl, alg):
    transform, op = operation(impl, "hash", "sha256")
    with transform, op:
        op.sendall(MESSAGE)
        digest = op.recv(32)
    assert digest == hashlib.sha256(MESSAGE).digest()


def test_hmac_sha256_with_alg_set_key_equals_the_hmac_module(impl, alg):
    key = b"lab key" * 3
    transform, op = operation(impl, "hash", "hmac(sha256)", key=key)
    with transform, op:
        op.sendall(MESSAGE)
        digest = op.recv(32)
    assert digest == hmac.new(key, MESSAGE, hashlib.sha256).digest()


def test_cbc_aes_encrypts_the_nist_vector(impl, alg):
    transform, op = operation(impl, "skcipher", "cbc(aes)", key=CBC_KEY)
    with transform, op:
        op.sendmsg_afalg([CBC_PLAIN], op=impl.ALG_OP_ENCRYPT, iv=CBC_IV)
        assert op.recv(16) == CBC_CIPHER


def test_cbc_aes_decrypts_the_nist_vector(impl, alg):
    transform, op = operation(impl, "skcipher", "cbc(aes)", key=CBC_KEY)
    with transform, op:
        op.sendmsg_afalg([CBC_CIPHER], op=impl.ALG_OP_DECRYPT, iv=CBC_IV)
        assert op.recv(16) == CBC_PLAIN


def test_gcm_aes_encrypts_the_published_vector_with_its_tag(impl, alg):
    transform, op = operation(impl, "aead", "gcm(aes)", key=GCM_KEY, authsize=16)
    with transform, op:
        op.sendmsg_afalg([GCM_PLAIN], op=impl.ALG_OP_ENCRYPT, iv=GCM_IV, assoclen=0)
        assert op.recv(32) == GCM_CIPHER + GCM_TAG


def test_gcm_aes_authenticates_associated_data_named_by_assoclen(impl, alg):
    associated = b"header:16 bytes."
    transform, op = operation(impl, "aead", "gcm(aes)", key=GCM_KEY, authsize=16)
    with transform, op:
        op.sendmsg_afalg([associated, GCM_PLAIN], op=impl.ALG_OP_ENCRYPT, iv=GCM_IV,
                         assoclen=len(associated))
        sealed = op.recv(len(associated) + 32)
    assert sealed[:16] == associated
    assert sealed[16:32] == GCM_CIPHER  # associated data changes the tag only
    transform, op = operation(impl, "aead", "gcm(aes)", key=GCM_KEY, authsize=16)
    with transform, op:
        op.sendmsg_afalg([b"HEADER:16 bytes.", sealed[16:]], op=impl.ALG_OP_DECRYPT,
                         iv=GCM_IV, assoclen=len(associated))
        with pytest.raises(OSError) as raised:
            op.recv(32)
    assert raised.value.errno == errno.EBADMSG


def test_binding_an_unknown_algorithm_fails_with_enoent(impl, alg):
    transform = impl.socket(impl.AF_ALG, impl.SOCK_SEQPACKET, 0)
    with transform, pytest.raises(FileNotFoundError):
        transform.bind(("hash", "no-such-hash"))


def test_accept_on_a_transform_gives_the_same_peer_address_as_the_stdlib(impl, alg, differential):
    # The kernel has no address for an operation socket: asked for one,
    # accept() fails with ECONNABORTED, so the call must not ask.
    transform = impl.socket(impl.AF_ALG, impl.SOCK_SEQPACKET, 0)
    with transform:
        transform.bind(("hash", "sha256"))
        op, address = transform.accept()
        op.close()
    differential.observe("address accept() returns", address)

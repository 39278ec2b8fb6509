"""The lab VM's own initramfs, for the direct boot (see `lab.vm.direct`):
a static busybox, the guest kernel's modules that reach the host's root
(virtio, 9p, the virtio console) and every family's module, and the lab's
init (`init.sh` beside this file).

Built once per kernel and cached under the lab's cache folder: the modules
come from /lib/modules/<release> of the guest kernel, which its package
installs on this machine's file system even though the host kernel loads
none of them.  Nothing is compressed: the kernel unpacks a plain cpio at
memory speed, where gunzip under TCG costs a second.  Nor are the modules
signed: the kernel hashes a signed module whole before loading it, and
under TCG the 48 modules' 7 MB took 5.4 s of the guest's own (icount) time,
about a second of wall time; a kernel that does not enforce signatures loads
the same code unsigned (it marks itself tainted, which no test looks at).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import lzma
import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lab.kernel.modules import FAMILY_MODULES
from lab.paths import CACHE_DIR

INIT_SCRIPT = Path(__file__).resolve().parent / "init.sh"
MODULES_ROOT = Path("/lib/modules")
# What the init needs before the host's root is mounted: the PCI transport,
# the console the command's output goes to, and the 9p file system.
BOOT_MODULES = ("virtio_pci", "virtio_console", "9pnet_virtio", "9p")
BUSYBOX_CANDIDATES = ("/bin/busybox", "/usr/bin/busybox")
INSTALL_HINT = "install Debian's busybox-static (a statically linked busybox)"
# Bump when the layout changes, so that cached images are rebuilt.
LAYOUT = 4
CACHE = CACHE_DIR / "initramfs"


class InitramfsUnavailable(RuntimeError):
    """What stops the lab from building its initramfs; the message says how to fix it."""


def _module_name(path: str) -> str:
    name = Path(path).name
    for suffix in (".xz", ".gz", ".zst"):
        name = name.removesuffix(suffix)
    return name.removesuffix(".ko").replace("-", "_")


@dataclass
class KernelModules:
    """The modules of one kernel release as modules.dep lists them."""

    release: str
    root: Path = MODULES_ROOT
    paths: dict[str, str] = field(default_factory=dict)
    depends: dict[str, list[str]] = field(default_factory=dict)
    builtin: set[str] = field(default_factory=set)
    # modprobe's "softdep NAME pre: ..." (libcrc32c needs a crc32c first),
    # resolved through modules.alias to module names.
    before: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def read(cls, release: str, root: Path = MODULES_ROOT) -> KernelModules:
        folder = root / release
        try:
            dep_lines = (folder / "modules.dep").read_text().splitlines()
        except OSError as error:
            raise InitramfsUnavailable(f"no modules for kernel {release} ({error}); "
                                       "install the kernel's package, which ships them") from error
        found = cls(release, root)
        for line in dep_lines:
            target, _, deps = line.partition(":")
            name = _module_name(target)
            found.paths[name] = target
            found.depends[name] = [_module_name(d) for d in deps.split()]
        try:
            builtin = (folder / "modules.builtin").read_text().split()
        except OSError:
            builtin = []
        found.builtin = {_module_name(line) for line in builtin}
        found.before = _soft_dependencies(folder)
        return found

    def load_order(self, wanted: Iterable[str], skip: Iterable[str] = ()) -> tuple[list[str], list[str]]:
        """`wanted` and what they depend on, each after its dependencies
        (leaving out `skip` and the built-in ones); and the wanted names this
        kernel has neither as a module nor built in."""
        order: list[str] = []
        done = {_module_name(s) for s in skip} | self.builtin
        lacking = []

        def visit(name: str) -> None:
            if name in done:
                return
            done.add(name)
            for dep in [*self.before.get(name, []), *self.depends.get(name, [])]:
                visit(dep)
            order.append(name)

        for wanted_name in wanted:
            name = _module_name(wanted_name)
            if name not in self.paths and name not in self.builtin:
                lacking.append(wanted_name)
                continue
            visit(name)
        return order, lacking

    def content(self, name: str) -> bytes:
        """The module's object, decompressed (busybox's insmod takes plain
        .ko) and without its signature."""
        path = self.root / self.release / self.paths[name]
        data = path.read_bytes()
        if path.suffix == ".xz":
            data = lzma.decompress(data)
        elif path.suffix == ".gz":
            data = gzip.decompress(data)
        elif path.suffix == ".zst":
            raise InitramfsUnavailable(f"{path}: zstd-compressed modules are not supported yet")
        return unsigned(data)


# A signed module is the object, the signature, a 12-byte trailer whose last
# 4 bytes give the signature's length (big-endian), then this marker.
SIGNATURE_MARKER = b"~Module signature appended~\n"
SIGNATURE_TRAILER = 12


def unsigned(module: bytes) -> bytes:
    """`module` without its appended signature (as it is if it has none)."""
    if not module.endswith(SIGNATURE_MARKER):
        return module
    trailer_end = len(module) - len(SIGNATURE_MARKER)
    signature_end = trailer_end - SIGNATURE_TRAILER
    signature_length = int.from_bytes(module[trailer_end - 4:trailer_end], "big")
    if signature_length > signature_end:
        raise InitramfsUnavailable(f"a module's signature trailer gives a length of {signature_length} bytes, "
                                   f"more than the {signature_end} before it")
    return module[:signature_end - signature_length]


def _lines(path: Path) -> list[list[str]]:
    try:
        return [line.split() for line in path.read_text().splitlines() if line and not line.startswith("#")]
    except OSError:
        return []


def _soft_dependencies(folder: Path) -> dict[str, list[str]]:
    aliases: dict[str, list[str]] = {}
    for words in _lines(folder / "modules.alias"):
        if len(words) == 3 and words[0] == "alias":
            aliases.setdefault(words[1].replace("-", "_"), []).append(_module_name(words[2]))
    before: dict[str, list[str]] = {}
    for words in _lines(folder / "modules.softdep"):
        if len(words) < 4 or words[0] != "softdep" or words[2] != "pre:":
            continue
        names = []
        for word in words[3:]:
            if word.endswith(":"):
                break  # "post:" follows
            key = word.replace("-", "_")
            names += aliases.get(key, [key])
        before[_module_name(words[1])] = names
    return before


class Cpio:
    """A "newc" cpio archive, the format the kernel unpacks as an initramfs."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.inode = 300000

    def _entry(self, name: str, mode: int, data: bytes = b"", rdev: tuple[int, int] = (0, 0)) -> None:
        self.inode += 1
        encoded = name.encode() + b"\0"
        fields = (self.inode, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(encoded), 0)
        header = b"070701" + b"".join(f"{value:08x}".encode() for value in fields)
        self.parts.append(header + encoded + b"\0" * (-(110 + len(encoded)) % 4))
        self.parts.append(data + b"\0" * (-len(data) % 4))

    def directory(self, name: str) -> None:
        self._entry(name, stat.S_IFDIR | 0o755)

    def file(self, name: str, data: bytes, mode: int = 0o644) -> None:
        self._entry(name, stat.S_IFREG | mode, data)

    def symlink(self, name: str, target: str) -> None:
        self._entry(name, stat.S_IFLNK | 0o777, target.encode())

    def char_device(self, name: str, major: int, minor: int) -> None:
        self._entry(name, stat.S_IFCHR | 0o600, rdev=(major, minor))

    def bytes(self) -> bytes:
        self._entry("TRAILER!!!", 0)
        return b"".join(self.parts)


def _is_static(path: Path) -> bool:
    """An ELF executable without a program interpreter (PT_INTERP)."""
    data = path.read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2:
        return False
    phoff = int.from_bytes(data[32:40], "little")
    size, count = int.from_bytes(data[54:56], "little"), int.from_bytes(data[56:58], "little")
    return all(int.from_bytes(data[phoff + i * size:phoff + i * size + 4], "little") != 3 for i in range(count))


def busybox() -> Path:
    """A statically linked busybox on this machine, or `InitramfsUnavailable`."""
    for candidate in BUSYBOX_CANDIDATES:
        path = Path(candidate)
        if path.is_file() and _is_static(path):
            return path
    raise InitramfsUnavailable(f"no statically linked busybox in {' or '.join(BUSYBOX_CANDIDATES)}; "
                               f"{INSTALL_HINT}")


@dataclass(frozen=True)
class Initramfs:
    """A built image, and which family modules it lacks (the kernel has no such module)."""

    path: Path
    lacking: tuple[str, ...]


def _image(release: str, box: Path) -> tuple[bytes, list[str]]:
    modules = KernelModules.read(release)
    boot, lacking_boot = modules.load_order(BOOT_MODULES)
    if lacking_boot:
        raise InitramfsUnavailable(f"kernel {release} lacks {', '.join(lacking_boot)}, "
                                   "which the lab VM needs to reach the host's files")
    family, lacking = modules.load_order(FAMILY_MODULES, skip=boot)
    archive = Cpio()
    for folder in ("bin", "dev", "proc", "sys", "newroot", "ctl", "modules"):
        archive.directory(folder)
    archive.char_device("dev/console", 5, 1)
    archive.file("bin/busybox", box.read_bytes(), 0o755)
    archive.symlink("bin/sh", "busybox")
    archive.file("init", INIT_SCRIPT.read_bytes(), 0o755)
    for group, names in (("boot", boot), ("family", family)):
        for name in names:
            archive.file(f"modules/{name}.ko", modules.content(name))
        archive.file(f"modules/{group}.order", "".join(f"{name}\n" for name in names).encode())
    return archive.bytes(), lacking


def _key(release: str, box: Path) -> str:
    digest = hashlib.sha256()
    for part in (LAYOUT, release, box, box.stat().st_mtime_ns, INIT_SCRIPT.read_bytes(),
                 (MODULES_ROOT / release / "modules.dep").stat().st_mtime_ns, BOOT_MODULES, FAMILY_MODULES):
        digest.update(repr(part).encode())
    return digest.hexdigest()[:16]


def build(release: str) -> Initramfs:
    """The initramfs for kernel `release`, from the cache when it is there."""
    box = busybox()
    key = _key(release, box)
    path = CACHE / f"{release}-{key}.cpio"
    lacking_file = path.with_suffix(".lacking")
    if path.is_file() and lacking_file.is_file():
        return Initramfs(path, tuple(lacking_file.read_text().split()))
    image, lacking = _image(release, box)
    CACHE.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed, so that a concurrent run never boots half an image.
    with tempfile.NamedTemporaryFile(dir=CACHE, delete=False) as out:
        out.write(image)
    os.replace(out.name, path)
    lacking_file.write_text(" ".join(lacking))
    for stale in CACHE.glob(f"{release}-*"):
        if stale.stem != path.stem:
            stale.unlink(missing_ok=True)  # QEMU reads its image whole at start
    return Initramfs(path, tuple(lacking))


# Where each compressed payload of a bzImage starts.
PAYLOAD_MAGIC = {b"\xfd7zXZ\x00": "xz", b"\x1f\x8b\x08": "gzip", b"\x28\xb5\x2f\xfd": "zstd"}


def _decompress(kind: str, data: bytes) -> bytes:
    """One payload from its start, or b"" when it is not one; zstd (Debian's
    6.12 kernels) through the `zstd` program, which Python 3.11 lacks."""
    try:
        if kind == "xz":
            return lzma.LZMADecompressor(lzma.FORMAT_XZ).decompress(data)
        if kind == "gzip":
            return gzip.GzipFile(fileobj=io.BytesIO(data)).read()
    except (lzma.LZMAError, OSError, EOFError):
        return b""
    if shutil.which("zstd") is None:
        return b""
    # The image's trailer follows the frame: zstd reports it, the frame is out by then.
    done = subprocess.run(["zstd", "-d", "-c", "-q"], input=data, capture_output=True, check=False)
    return done.stdout


def _decompress_payload(image: bytes) -> bytes | None:
    for magic, kind in PAYLOAD_MAGIC.items():
        start = image.find(magic)
        while start != -1:
            data = _decompress(kind, image[start:])
            if data[:4] == b"\x7fELF":
                return data
            start = image.find(magic, start + 1)
    return None


def uncompressed_kernel(kernel: Path) -> Path:
    """The ELF `vmlinux` inside the `kernel` image, cached: QEMU boots it
    through its PVH entry point, and the guest skips decompressing itself,
    which costs seconds under TCG before the kernel's clock even starts.
    The image itself when its payload cannot be found (it boots the slow
    way; a zstd-compressed one needs the `zstd` program)."""
    key = hashlib.sha256(f"{kernel}:{kernel.stat().st_mtime_ns}".encode()).hexdigest()[:16]
    path = CACHE / f"vmlinux-{kernel.name.removeprefix('vmlinuz-')}-{key}"
    if path.is_file():
        return path
    elf = _decompress_payload(kernel.read_bytes())
    if elf is None:
        return kernel
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=CACHE, delete=False) as out:
        out.write(elf)
    os.replace(out.name, path)
    for stale in CACHE.glob(f"vmlinux-{kernel.name.removeprefix('vmlinuz-')}-*"):
        if stale != path:
            stale.unlink(missing_ok=True)  # the same kernel, since reinstalled
    return path


def why_unavailable(release: str) -> str | None:
    """What stops the direct boot for this kernel, or None."""
    if not INIT_SCRIPT.is_file():
        return f"{INIT_SCRIPT} is missing (package data of the lab)"
    try:
        busybox()
    except InitramfsUnavailable as error:
        return str(error)
    if not (MODULES_ROOT / release / "modules.dep").is_file():
        return f"no /lib/modules/{release}/modules.dep (the kernel's package ships it)"
    if shutil.which("qemu-system-x86_64") is None:
        return "qemu-system-x86_64 is not installed"
    return None

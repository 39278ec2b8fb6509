"""Run one fuzz target under atheris:

    python -m hardening.fuzz TARGET [libFuzzer options...] [corpus dirs...]

`make fuzz` passes -max_total_time and the target's corpus directory,
where libFuzzer keeps every input that found new coverage."""

from __future__ import annotations

import importlib
import sys

TARGETS = ("addr_codecs", "inet_args", "sockopt_forms", "ancillary")


def main(argv: list[str]) -> None:
    if len(argv) < 2 or argv[1] not in TARGETS:
        sys.exit(f"usage: python -m hardening.fuzz {{{','.join(TARGETS)}}} [libFuzzer args]")
    import atheris

    with atheris.instrument_imports(include=["sockimpl", "hardening"]):
        target = importlib.import_module(f"hardening.fuzz.{argv[1]}")
    atheris.Setup([argv[0], *argv[2:]], target.exercise)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)

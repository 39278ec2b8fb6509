"""Build the C half of sockimpl; everything else is in pyproject.toml."""

from pathlib import Path

from setuptools import Extension, setup

C_DIR = Path("sockimpl") / "_c"

setup(
    ext_modules=[
        Extension(
            "sockimpl._sockimpl",
            sources=sorted(str(p) for p in C_DIR.glob("*.c")),
            depends=sorted(str(p) for p in C_DIR.glob("*.h")),
            extra_compile_args=["-Wall", "-Wextra", "-Werror", "-O2", "-fno-strict-aliasing"],
        )
    ],
)

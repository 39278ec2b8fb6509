"""What the lab VM's guest runs for a `lab repro` share:

    python -m lab.repro.guest PLAN.json

PLAN.json holds the `lab repro` arguments the host chose (see
`lab.repro.vm`): the same cells, run with `--backend host` on the guest's
kernel, after every family's module is loaded."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from lab.kernel import modules as kernel_modules
from lab.repro import cli


def main(plan: str) -> int:
    lacking = kernel_modules.load(*kernel_modules.FAMILY_MODULES)
    if lacking:
        print("lab repro: this guest kernel lacks modules: " + " ".join(lacking), flush=True)
    return cli.main(json.loads(Path(plan).read_text()))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

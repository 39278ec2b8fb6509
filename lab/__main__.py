"""`python -m lab ...`, the same as the `socklab` command."""

import sys

from lab.cli import main

sys.exit(main())

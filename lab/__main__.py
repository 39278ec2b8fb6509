"""`python -m lab doctor|test|clean`."""

import sys

from lab.cli import main

sys.exit(main(sys.argv[1:]))

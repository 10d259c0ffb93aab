"""``python -m nnls_core``: the headless command line (see :mod:`nnls_core.cli`)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())

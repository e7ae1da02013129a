"""`python -m medtour.bench import [--rows 1000000] [--database postgres|sqlite|both]`."""

from __future__ import annotations

import sys

from medtour.bench.importing import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""`python -m medtour.bench import …` (records import) or `python -m medtour.bench pivot …`
(statistics engine)."""

from __future__ import annotations

import sys

from medtour.bench import importing, pivot

if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:1] == ["pivot"]:
        sys.exit(pivot.main(arguments[1:]))
    sys.exit(importing.main(arguments))

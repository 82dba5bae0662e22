"""`python -m bench NAME [args]` runs bench/NAME.py's `main`."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> None:
    names = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]))
    if len(sys.argv) < 2 or sys.argv[1] not in names:
        sys.exit(f"usage: python -m bench {{{'|'.join(names)}}} [args]")
    module = importlib.import_module(f"bench.{sys.argv[1]}")
    sys.argv = [f"bench {sys.argv[1]}", *sys.argv[2:]]
    sys.exit(module.main())


if __name__ == "__main__":
    main()

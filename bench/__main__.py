"""`python -m bench all|PART [options]`: the parts' figures in one table.

`voice` keeps its own report (it needs espeak-ng): `python -m bench voice`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path
from types import ModuleType

from bench.report import Figure, print_table

PARTS = ("ack", "load", "throughput", "queries", "papers", "print", "erp", "erpsync")


def _part(name: str) -> ModuleType:
    return importlib.import_module(f"bench.{name}")


def parser_for(names: tuple[str, ...]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"python -m bench {names[0] if len(names) == 1 else 'all'}",
        description=_part(names[0]).__doc__ if len(names) == 1 else __doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=None,
        help="keep generated SQLite databases in this directory and reuse them",
    )
    if len(names) == 1:
        _part(names[0]).options(parser)
    return parser


def run_parts(names: tuple[str, ...], argv: list[str]) -> list[Figure]:
    """Each part with its own defaults, plus the options given (all of them for one part)."""
    common = parser_for(names).parse_args(argv)
    figures: list[Figure] = []
    for name in names:
        defaults = parser_for((name,)).parse_args([])
        args = argparse.Namespace(**(vars(defaults) | vars(common)))
        figures += _part(name).run(args)
    return figures


def main() -> None:
    choices = ("all", *PARTS, "voice")
    if len(sys.argv) < 2 or sys.argv[1] not in choices:
        sys.exit(f"usage: python -m bench {{{'|'.join(choices)}}} [options]")
    name, argv = sys.argv[1], sys.argv[2:]
    if name == "voice":
        sys.argv = ["bench voice", *argv]
        sys.exit(_part("voice").main())
    figures = run_parts(PARTS if name == "all" else (name,), argv)
    print_table(figures)
    sys.exit(0 if all(figure.met is not False for figure in figures) else 1)


if __name__ == "__main__":
    main()

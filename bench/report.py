"""Figures as one Rich table: what was measured, against which floor, and the target."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console
from rich.table import Table


@dataclass(frozen=True)
class Figure:
    """One measurement; `floor` is the baseline measured side by side in the same run."""

    part: str
    what: str
    value: float
    unit: str
    floor: float | None = None
    target: str = ""
    met: bool | None = None

    @property
    def ratio(self) -> float | None:
        return self.value / self.floor if self.floor else None


def percentile(samples: Sequence[float], p: int) -> float:
    """The p-th percentile (inclusive method: p50 of [1, 2, 3] is 2)."""
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1]


def _number(value: float | None, unit: str = "") -> str:
    if value is None:
        return ""
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
    return f"{text} {unit}".strip()


def print_table(figures: Sequence[Figure], console: Console | None = None) -> None:
    table = Table(title="releasebot benchmarks")
    for column in ("part", "measure", "releasebot", "floor", "ratio", "target", "met"):
        table.add_column(column, justify="right" if column in {"ratio"} else "left")
    for figure in figures:
        table.add_row(
            figure.part,
            figure.what,
            _number(figure.value, figure.unit),
            _number(figure.floor, figure.unit),
            f"{figure.ratio:.2f}" if figure.ratio is not None else "",
            figure.target,
            {None: "", True: "[green]yes[/green]", False: "[red]no[/red]"}[figure.met],
        )
    console = console or Console()
    if not console.is_terminal:
        console.width = 140  # a file or a pipe: no wrapping of the measures
    console.print(table)

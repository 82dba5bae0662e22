"""Papers rendered from what the papers use case loads: a release's, a reprint's, a
printer job's (domain/services/papers.py decides which orders each shows)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from domain.services.papers import Papers
from domain.statuses import PaperKind
from reports.render import render_paper


def render_release_papers(
    papers: Papers,
    release_id: int,
    kinds: Sequence[PaperKind],
    out_dir: Path,
    paper_size: str = "A4",
) -> list[Path]:
    """The papers a release asked for; called after its orders have committed."""
    released = papers.of_release(release_id)
    if not released.orders:
        return []
    return [
        render_paper(kind, released.orders, released.number, out_dir, paper_size) for kind in kinds
    ]


def reprint(
    papers: Papers,
    order_numbers: Sequence[str],
    kind: PaperKind,
    out_dir: Path,
    paper_size: str = "A4",
) -> Path:
    """Papers again for orders that are released; anything else is refused, naming it."""
    orders = papers.reprint(order_numbers)
    return render_paper(
        kind, orders, reprint_label([o.number for o in orders]), out_dir, paper_size
    )


def reprint_label(numbers: Sequence[str]) -> str:
    """What a reprint's file and header are named by: its orders, when they are few."""
    return "-".join(numbers) if len(numbers) <= 3 else "reprint"


def render_for_printer(
    papers: Papers,
    order_numbers: Sequence[str],
    kind: PaperKind,
    label: str,
    out_dir: Path,
    paper_size: str = "A4",
    warehouses: Sequence[str] | None = None,
) -> Path:
    """One paper of these released orders as a printer queue gets it (its warehouses'
    picking pages only, when it serves some warehouses)."""
    orders = papers.for_printer(order_numbers, warehouses)
    return render_paper(kind, orders, label, out_dir, paper_size)

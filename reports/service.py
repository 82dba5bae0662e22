"""Which orders a paper prints: a release's released orders, or a reprint's released orders."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from domain.model import Release
from domain.printing import pages_for
from domain.queries import OrderDetail, order_detail, released_order_numbers
from domain.rules import normalize_order_number
from domain.statuses import OrderStatus, PaperKind
from reports.pages import PaperRefused
from reports.render import render_paper


def released_orders(session: Session, release_id: int) -> list[OrderDetail]:
    """The orders this release did release, in the order they were asked for."""
    numbers = released_order_numbers(session, release_id)
    return [detail for number in numbers if (detail := order_detail(session, number))]


def render_release_papers(
    sessions: sessionmaker[Session],
    release_id: int,
    kinds: Sequence[PaperKind],
    out_dir: Path,
    paper_size: str = "A4",
) -> list[Path]:
    """The papers a release asked for; called after its orders have committed."""
    with sessions() as session:
        orders = released_orders(session, release_id)
        number = session.get_one(Release, release_id).number
    if not orders:
        return []
    return [render_paper(kind, orders, number, out_dir, paper_size) for kind in kinds]


def reprint(
    sessions: sessionmaker[Session],
    order_numbers: Sequence[str],
    kind: PaperKind,
    out_dir: Path,
    paper_size: str = "A4",
) -> Path:
    """Papers again for orders that are released; anything else is refused, naming it."""
    with sessions() as session:
        orders = []
        for number in dict.fromkeys(normalize_order_number(n) for n in order_numbers):
            detail = order_detail(session, number)
            if detail is None:
                raise PaperRefused(f"{number}: no such production order")
            if detail.status is not OrderStatus.RELEASED:
                raise PaperRefused(
                    f"{number} is {detail.status.value.replace('_', ' ')}: papers are "
                    "printed for released orders only"
                )
            orders.append(detail)
    return render_paper(
        kind, orders, reprint_label([o.number for o in orders]), out_dir, paper_size
    )


def reprint_label(numbers: Sequence[str]) -> str:
    """What a reprint's file and header are named by: its orders, when they are few."""
    return "-".join(numbers) if len(numbers) <= 3 else "reprint"


def render_for_printer(
    sessions: sessionmaker[Session],
    order_numbers: Sequence[str],
    kind: PaperKind,
    label: str,
    out_dir: Path,
    paper_size: str = "A4",
    warehouses: Sequence[str] | None = None,
) -> Path:
    """One paper of these released orders as a printer queue gets it (its warehouses'
    picking pages only, when it serves some warehouses)."""
    with sessions() as session:
        orders = [
            pages_for(detail, warehouses)
            for number in order_numbers
            if (detail := order_detail(session, number)) is not None
        ]
    if not orders:
        raise PaperRefused(f"none of {', '.join(order_numbers)} is in the database")
    return render_paper(kind, orders, label, out_dir, paper_size)

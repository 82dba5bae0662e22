"""What a release would do, order by order, before anyone confirms it. Changes nothing.

The release service decides again under its locks at confirmation; this is what
a person reads to decide whether to confirm.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from config import ShortagePolicy
from domain.model import ProductionOrder, Warehouse
from domain.rules import (
    input_location_refusal,
    normalize_order_number,
    paper_refusal,
    site_refusal,
    status_refusal,
)
from domain.services.materials import describe_shortages, input_locations, plan_order
from domain.statuses import PaperKind
from domain.types import written_quantity


@dataclass(frozen=True)
class OrderPreview:
    number: str
    releasable: bool
    # what will happen (work per warehouse, shortages) or why it cannot be released
    notes: tuple[str, ...]
    # set when the chosen papers do not suit this order (a field error, not a refusal)
    paper_problem: str | None = None
    item: str = ""
    quantity: str = ""


def preview_release(
    session: Session,
    numbers: Sequence[str],
    papers: Collection[PaperKind],
    allowed_sites: Collection[str] | None,
    policy: ShortagePolicy,
) -> list[OrderPreview]:
    return [
        _preview(session, number, papers, allowed_sites, policy)
        for number in dict.fromkeys(normalize_order_number(n) for n in numbers)
    ]


def _preview(
    session: Session,
    number: str,
    papers: Collection[PaperKind],
    allowed_sites: Collection[str] | None,
    policy: ShortagePolicy,
) -> OrderPreview:
    order = session.scalars(
        select(ProductionOrder).where(ProductionOrder.number == number)
    ).one_or_none()
    if order is None:
        return OrderPreview(number, False, (f"{number}: no such production order",))
    described = {
        "item": f"{order.item.number} {order.item.name}",
        "quantity": written_quantity(order.quantity, order.unit),
    }
    refusal = site_refusal(number, order.site.code, allowed_sites) or status_refusal(
        number, order.status, order.released_by, order.released_at
    )
    if refusal:
        return OrderPreview(number, False, (refusal,), **described)
    paper_problem = paper_refusal(number, order.scheduling_level, len(order.jobs), papers)
    plan = plan_order(session, order)
    shortages = describe_shortages(order, plan.shortages)
    if shortages and policy is ShortagePolicy.REQUIRE_FULL:
        notes = tuple(f"short: {line.describe()}" for line in shortages)
        return OrderPreview(number, False, notes, paper_problem, **described)
    warehouses: dict[int, str] = {
        warehouse_id: code
        for warehouse_id, code in session.execute(
            select(Warehouse.id, Warehouse.code).where(Warehouse.id.in_(plan.picks_by_warehouse()))
        )
    }
    destinations = input_locations(session, set(warehouses))
    missing = [w for w in plan.picks_by_warehouse() if w not in destinations]
    if missing:
        refusal = input_location_refusal(number, warehouses[missing[0]])
        return OrderPreview(number, False, (refusal,), paper_problem, **described)
    notes = tuple(
        f"picking work in warehouse {warehouses[warehouse_id]}: "
        f"{len(picks)} line{'s' if len(picks) != 1 else ''}"
        for warehouse_id, picks in plan.picks_by_warehouse().items()
    ) or ("no picking work (nothing warehouse-managed)",)
    notes += tuple(f"released short: {line.describe()}" for line in shortages)
    return OrderPreview(number, True, notes, paper_problem, **described)

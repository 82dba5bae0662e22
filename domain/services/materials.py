"""The facts a release decision needs, loaded from the database, and the decisions on them.

`domain.decision.decide` decides; this module reads what it decides on (the orders, their
BOM lines, the stock and the warehouses' input locations) and asks it, for everyone who
wants to know before a release: the preview, `releasebot check`, the digest, the App Home.
The release itself reads the same facts under its locks.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from domain.decision import (
    Ask,
    Because,
    BomFacts,
    Decision,
    Go,
    ItemFacts,
    OrderFacts,
    ShortageLine,
    decide,
    decide_in_turn,
)
from domain.model import (
    BomLine,
    Job,
    Location,
    OnHand,
    ProductionOrder,
    RouteOperation,
    Warehouse,
)
from domain.picking import Stock, StockSlot
from domain.rules import normalize_order_number

# loaded with the orders, a few queries instead of one per order and BOM line
_WHAT_A_DECISION_READS = (
    selectinload(ProductionOrder.site),
    selectinload(ProductionOrder.bom_lines).selectinload(BomLine.item),
)


def load_orders(
    session: Session,
    numbers: Collection[str],
    *,
    lock: bool = False,
    also: Sequence[LoaderOption] = (),
) -> dict[str, ProductionOrder]:
    """The orders by number, with what the decision reads; locked in id order (no deadlocks)
    when they are about to change."""
    query = (
        select(ProductionOrder)
        .where(ProductionOrder.number.in_(numbers))
        .order_by(ProductionOrder.id)
        .options(*_WHAT_A_DECISION_READS, *also)
    )
    if lock:
        query = query.with_for_update()
    return {order.number: order for order in session.scalars(query)}


def facts_of(session: Session, orders: Mapping[str, ProductionOrder]) -> dict[str, OrderFacts]:
    """The decision's facts of loaded orders: with their job counts and warehouse codes,
    each item's facts made once however many lines use it."""
    jobs = _job_counts(session, [order.id for order in orders.values()])
    warehouses = {line.warehouse_id for order in orders.values() for line in order.bom_lines}
    codes = dict(
        session.execute(select(Warehouse.id, Warehouse.code).where(Warehouse.id.in_(warehouses)))
        .tuples()
        .all()
    )
    items: dict[int, ItemFacts] = {}

    def item(line: BomLine) -> ItemFacts:
        found = items.get(line.item_id)
        if found is None:
            found = items[line.item_id] = ItemFacts(
                line.item_id,
                line.item.number,
                line.item.name,
                line.item.unit,
                line.item.warehouse_managed,
            )
        return found

    return {
        number: OrderFacts(
            number=number,
            status=order.status,
            site=order.site.code,
            scheduling_level=order.scheduling_level,
            job_count=jobs.get(order.id, 0),
            released_by=order.released_by,
            released_at=order.released_at,
            bom=tuple(
                BomFacts(
                    line.id,
                    line.line_number,
                    item(line),
                    line.warehouse_id,
                    codes[line.warehouse_id],
                    line.quantity,
                    line.location_id,
                )
                for line in order.bom_lines
            ),
        )
        for number, order in orders.items()
    }


def _job_counts(session: Session, order_ids: Collection[int]) -> dict[int, int]:
    """How many jobs each order has, without loading them."""
    rows = session.execute(
        select(RouteOperation.order_id, func.count(Job.id))
        .join(Job, Job.operation_id == RouteOperation.id)
        .where(RouteOperation.order_id.in_(order_ids))
        .group_by(RouteOperation.order_id)
    )
    return dict(rows.tuples().all())


def load_stock(session: Session, orders: Iterable[OrderFacts], *, lock: bool = False) -> Stock:
    """The stock of the items the orders need in the warehouses they need them from, locked
    (rows in id order, so that concurrent releases never deadlock) when it will be reserved;
    and those warehouses' production input locations."""
    keys = {(line.item_id, line.warehouse_id) for order in orders for line in order.requirements()}
    if not keys:
        return Stock.of((), {})
    query = (
        select(OnHand, Location)
        .join(Location, OnHand.location_id == Location.id)
        .where(tuple_(OnHand.item_id, Location.warehouse_id).in_(sorted(keys)))
        .order_by(OnHand.id)
    )
    if lock:
        query = query.with_for_update(of=OnHand)
    slots = [
        StockSlot(
            on_hand_id=on_hand.id,
            item_id=on_hand.item_id,
            warehouse_id=location.warehouse_id,
            location_id=location.id,
            location_code=location.code,
            available=on_hand.available,
        )
        for on_hand, location in session.execute(query).tuples()
    ]
    inputs = session.execute(
        select(Location.warehouse_id, Location.id).where(
            Location.warehouse_id.in_({warehouse for _, warehouse in keys}),
            Location.is_production_input,
        )
    )
    return Stock.of(slots, dict(inputs.tuples().all()))


@dataclass(frozen=True)
class Decided:
    """An order (None: no such order) and what a release of it would do now."""

    number: str
    order: ProductionOrder | None
    decision: Decision


def decisions(
    session: Session,
    numbers: Iterable[str],
    ask: Ask,
    *,
    together: bool = True,
    also: Sequence[LoaderOption] = (),
) -> list[Decided]:
    """What one release of these orders would do now (`together`: each order from what the
    ones before it leave), or each order released on its own; changes nothing. `also`: what
    else to load with the orders, for the one who asks."""
    wanted = list(dict.fromkeys(normalize_order_number(number) for number in numbers))
    orders = load_orders(session, wanted, also=also)
    facts = facts_of(session, orders)
    stock = load_stock(session, facts.values())
    asked = [(number, facts.get(number)) for number in wanted]
    if together:
        decided = decide_in_turn(asked, ask, stock)
    else:
        decided = [decide(number, order, ask, stock) for number, order in asked]
    return [
        Decided(number, orders.get(number), decision)
        for number, decision in zip(wanted, decided, strict=True)
    ]


@dataclass(frozen=True)
class AvailabilityReport:
    """Before release: what an order would lack if it were released now, or why it could
    not be released for another reason."""

    order_number: str
    found: bool
    status: str | None = None
    shortages: tuple[ShortageLine, ...] = ()
    # released and later orders hold their material already: there is nothing to check
    checked: bool = True
    refusal: str | None = None  # refused for something else than material


def check_availability(
    session: Session, numbers: Sequence[str], ask: Ask | None = None
) -> list[AvailabilityReport]:
    """The decision for each order released on its own, told as material: `ask` by default
    is the command line's (every site, no papers, shortages refused)."""
    reports = []
    for decided in decisions(session, numbers, ask or Ask(), together=False):
        order, decision = decided.order, decided.decision
        if order is None:
            reports.append(AvailabilityReport(decided.number, found=False))
            continue
        status = order.status.value
        if order.status.is_after_release:
            reports.append(AvailabilityReport(decided.number, True, status, checked=False))
        elif isinstance(decision, Go) or decision.because is Because.SHORTAGE:
            reports.append(AvailabilityReport(decided.number, True, status, decision.shortages))
        else:
            reports.append(
                AvailabilityReport(decided.number, True, status, refusal=decision.reason)
            )
    return reports

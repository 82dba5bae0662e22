"""Material availability: planning an order's picking against the stock there is now."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from sqlalchemy import bindparam, select, tuple_, update
from sqlalchemy.orm import Session

from domain.model import BomLine, Location, OnHand, ProductionOrder
from domain.picking import (
    ZERO,
    PickPlan,
    Requirement,
    Shortage,
    StockSlot,
    plan_picks,
    reserved_per_slot,
)
from domain.rules import normalize_order_number
from domain.types import written, written_quantity


@dataclass(frozen=True)
class ShortageLine:
    """A shortage as a person reads it."""

    line_number: int
    item_number: str
    item_name: str
    warehouse: str
    unit: str
    required: Decimal
    short: Decimal

    def describe(self) -> str:
        return (
            f"{self.item_number} {self.item_name}: short {written(self.short)} of "
            f"{written_quantity(self.required, self.unit)} in {self.warehouse}"
        )


def requirements_of(order: ProductionOrder) -> list[Requirement]:
    """The BOM lines that need picking work: those of warehouse-managed items."""
    return [
        Requirement(
            bom_line_id=line.id,
            item_id=line.item_id,
            warehouse_id=line.warehouse_id,
            quantity=line.quantity,
            location_id=line.location_id,
        )
        for line in order.bom_lines
        if line.item.warehouse_managed
    ]


def stock_for(
    session: Session, requirements: Sequence[Requirement], *, lock: bool = False
) -> list[StockSlot]:
    """Stock of the required items in the required warehouses, locked when we will reserve it.

    Rows are locked in id order so that concurrent releases never deadlock.
    """
    keys = {(requirement.item_id, requirement.warehouse_id) for requirement in requirements}
    if not keys:
        return []
    query = (
        select(OnHand, Location)
        .join(Location, OnHand.location_id == Location.id)
        .where(tuple_(OnHand.item_id, Location.warehouse_id).in_(sorted(keys)))
        .order_by(OnHand.id)
    )
    if lock:
        query = query.with_for_update(of=OnHand)
    return [
        StockSlot(
            on_hand_id=on_hand.id,
            item_id=on_hand.item_id,
            warehouse_id=location.warehouse_id,
            location_id=location.id,
            location_code=location.code,
            available=on_hand.available,
        )
        for on_hand, location in session.execute(query)
    ]


def input_locations(session: Session, warehouse_ids: set[int]) -> dict[int, int]:
    """The production input location of each warehouse that has one."""
    if not warehouse_ids:
        return {}
    rows = session.execute(
        select(Location.warehouse_id, Location.id).where(
            Location.warehouse_id.in_(warehouse_ids), Location.is_production_input
        )
    )
    return {warehouse_id: location_id for warehouse_id, location_id in rows}


def plan_order(session: Session, order: ProductionOrder) -> PickPlan:
    requirements = requirements_of(order)
    excluded = input_locations(session, {r.warehouse_id for r in requirements}).values()
    return plan_picks(requirements, stock_for(session, requirements), excluded)


@dataclass
class LockedStock:
    """The stock a batch of orders picks from, locked until the batch commits, and drawn
    down as each order is planned, so that two orders never pick the same units."""

    slots: dict[tuple[int, int], list[StockSlot]]  # by (item, warehouse)
    available: dict[int, Decimal]  # by on-hand row, what the orders planned so far left
    destinations: dict[int, int]  # each warehouse's production input location
    taken: dict[int, Decimal] = field(default_factory=dict)

    @classmethod
    def of(cls, session: Session, orders: Sequence[ProductionOrder]) -> LockedStock:
        requirements = [line for order in orders for line in requirements_of(order)]
        destinations = input_locations(session, {line.warehouse_id for line in requirements})
        slots: dict[tuple[int, int], list[StockSlot]] = {}
        for slot in stock_for(session, requirements, lock=True):
            slots.setdefault((slot.item_id, slot.warehouse_id), []).append(slot)
        available = {slot.on_hand_id: slot.available for group in slots.values() for slot in group}
        return cls(slots, available, destinations)

    def plan(self, order: ProductionOrder) -> PickPlan:
        requirements = requirements_of(order)
        keys = {(line.item_id, line.warehouse_id) for line in requirements}
        current = [
            replace(slot, available=self.available[slot.on_hand_id])
            for key in keys
            for slot in self.slots.get(key, [])
        ]
        return plan_picks(requirements, current, self.destinations.values())

    def without_input_location(self, plan: PickPlan) -> list[int]:
        """The warehouses of the plan that have no production input location to pick to."""
        return [w for w in plan.picks_by_warehouse() if w not in self.destinations]

    def take(self, plan: PickPlan) -> None:
        for on_hand_id, quantity in reserved_per_slot(plan.picks).items():
            self.available[on_hand_id] -= quantity
            self.taken[on_hand_id] = self.taken.get(on_hand_id, ZERO) + quantity

    def reserve(self, session: Session) -> None:
        """Write what was taken as reservations: one statement for all the rows."""
        if not self.taken:
            return
        table = OnHand.__table__
        session.connection().execute(
            update(table)
            .where(table.c.id == bindparam("slot"))
            .values(reserved=table.c.reserved + bindparam("claimed")),
            [{"slot": slot, "claimed": quantity} for slot, quantity in self.taken.items()],
        )


def describe_shortages(order: ProductionOrder, shortages: Sequence[Shortage]) -> list[ShortageLine]:
    lines: dict[int, BomLine] = {line.id: line for line in order.bom_lines}
    return [
        ShortageLine(
            line_number=lines[shortage.bom_line_id].line_number,
            item_number=lines[shortage.bom_line_id].item.number,
            item_name=lines[shortage.bom_line_id].item.name,
            warehouse=lines[shortage.bom_line_id].warehouse.code,
            unit=lines[shortage.bom_line_id].item.unit,
            required=shortage.required,
            short=shortage.short,
        )
        for shortage in shortages
    ]


@dataclass(frozen=True)
class AvailabilityReport:
    """Before release: what an order would lack if it were released now."""

    order_number: str
    found: bool
    status: str | None = None
    shortages: tuple[ShortageLine, ...] = ()
    # released and later orders hold their material already: there is nothing to check
    checked: bool = True


def check_availability(session: Session, numbers: Sequence[str]) -> list[AvailabilityReport]:
    reports = []
    for number in dict.fromkeys(normalize_order_number(n) for n in numbers):
        order = session.scalars(
            select(ProductionOrder).where(ProductionOrder.number == number)
        ).one_or_none()
        if order is None:
            reports.append(AvailabilityReport(order_number=number, found=False))
            continue
        if order.status.is_after_release:
            reports.append(
                AvailabilityReport(
                    order_number=number, found=True, status=order.status.value, checked=False
                )
            )
            continue
        plan = plan_order(session, order)
        reports.append(
            AvailabilityReport(
                order_number=number,
                found=True,
                status=order.status.value,
                shortages=tuple(describe_shortages(order, plan.shortages)),
            )
        )
    return reports

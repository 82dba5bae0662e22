"""Deriving raw-material picking from BOM lines and stock: pure rules, no database.

A BOM line of a warehouse-managed item is picked from the locations of its
warehouse that hold available stock (its own location only, when the line names
one), largest available first, split over several locations when one does not
hold enough. The warehouse's production input location is the destination, never
a source. Whatever cannot be covered is a shortage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

ZERO = Decimal(0)


@dataclass(frozen=True)
class Requirement:
    """What one BOM line needs from one warehouse."""

    bom_line_id: int
    item_id: int
    warehouse_id: int
    quantity: Decimal
    location_id: int | None = None


@dataclass(frozen=True)
class StockSlot:
    """Available (on hand minus reserved) stock of an item at one location."""

    on_hand_id: int
    item_id: int
    warehouse_id: int
    location_id: int
    location_code: str
    available: Decimal


@dataclass(frozen=True)
class Pick:
    bom_line_id: int
    item_id: int
    warehouse_id: int
    on_hand_id: int
    from_location_id: int
    quantity: Decimal


@dataclass(frozen=True)
class Shortage:
    bom_line_id: int
    item_id: int
    warehouse_id: int
    required: Decimal
    short: Decimal


@dataclass
class PickPlan:
    picks: list[Pick] = field(default_factory=list)
    shortages: list[Shortage] = field(default_factory=list)

    @property
    def is_complete(self) -> bool:
        return not self.shortages

    def picks_by_warehouse(self) -> dict[int, list[Pick]]:
        grouped: dict[int, list[Pick]] = {}
        for pick in self.picks:
            grouped.setdefault(pick.warehouse_id, []).append(pick)
        return grouped


def plan_picks(
    requirements: Iterable[Requirement],
    stock: Iterable[StockSlot],
    excluded_locations: Iterable[int] = (),
) -> PickPlan:
    """Cover each requirement in turn from what is left after the earlier ones."""
    excluded = set(excluded_locations)
    remaining: dict[int, Decimal] = {}
    slots_by_key: dict[tuple[int, int], list[StockSlot]] = {}
    for slot in stock:
        if slot.location_id in excluded or slot.available <= ZERO:
            continue
        remaining[slot.on_hand_id] = slot.available
        slots_by_key.setdefault((slot.item_id, slot.warehouse_id), []).append(slot)

    ordered = list(requirements)
    position = {requirement.bom_line_id: index for index, requirement in enumerate(ordered)}
    plan = PickPlan()
    # Lines pinned to a location can take only from there, the others from anywhere:
    # covering the pinned ones first never leaves one short that could have been covered.
    for requirement in sorted(ordered, key=lambda requirement: requirement.location_id is None):
        _cover(
            requirement,
            slots_by_key.get((requirement.item_id, requirement.warehouse_id), []),
            remaining,
            plan,
        )
    plan.picks.sort(key=lambda pick: position[pick.bom_line_id])  # back in BOM line order
    plan.shortages.sort(key=lambda shortage: position[shortage.bom_line_id])
    return plan


def _cover(
    requirement: Requirement,
    slots: Sequence[StockSlot],
    remaining: dict[int, Decimal],
    plan: PickPlan,
) -> None:
    needed = requirement.quantity
    # largest first by what is left now, after the lines covered before this one
    for slot in sorted(slots, key=lambda slot: (-remaining[slot.on_hand_id], slot.location_code)):
        if needed <= ZERO:
            break
        if requirement.location_id is not None and slot.location_id != requirement.location_id:
            continue
        take = min(needed, remaining[slot.on_hand_id])
        if take <= ZERO:
            continue
        remaining[slot.on_hand_id] -= take
        needed -= take
        plan.picks.append(
            Pick(
                bom_line_id=requirement.bom_line_id,
                item_id=requirement.item_id,
                warehouse_id=requirement.warehouse_id,
                on_hand_id=slot.on_hand_id,
                from_location_id=slot.location_id,
                quantity=take,
            )
        )
    if needed > ZERO:
        plan.shortages.append(
            Shortage(
                bom_line_id=requirement.bom_line_id,
                item_id=requirement.item_id,
                warehouse_id=requirement.warehouse_id,
                required=requirement.quantity,
                short=needed,
            )
        )


def reserved_per_slot(picks: Iterable[Pick]) -> Mapping[int, Decimal]:
    """How much each on-hand row gives up to these picks."""
    totals: dict[int, Decimal] = {}
    for pick in picks:
        totals[pick.on_hand_id] = totals.get(pick.on_hand_id, ZERO) + pick.quantity
    return totals


@dataclass(frozen=True)
class Stock:
    """The stock orders are planned against: the stocked locations by (item, warehouse),
    what is available at each, and each warehouse's production input location. A value:
    `without` gives the stock an order's picks leave, for the order after it."""

    slots: Mapping[tuple[int, int], Sequence[StockSlot]]  # by (item, warehouse)
    available: Mapping[int, Decimal]  # by on-hand row
    inputs: Mapping[int, int]  # warehouse -> its production input location

    @classmethod
    def of(cls, slots: Iterable[StockSlot], inputs: Mapping[int, int]) -> Stock:
        grouped: dict[tuple[int, int], list[StockSlot]] = {}
        for slot in slots:
            grouped.setdefault((slot.item_id, slot.warehouse_id), []).append(slot)
        available = {
            slot.on_hand_id: slot.available for group in grouped.values() for slot in group
        }
        return cls(grouped, available, dict(inputs))

    def plan(self, requirements: Sequence[Requirement]) -> PickPlan:
        """Picks for the requirements from what is available now; never from an input."""
        keys = {(line.item_id, line.warehouse_id) for line in requirements}
        current = [
            replace(slot, available=self.available[slot.on_hand_id])
            for key in keys
            for slot in self.slots.get(key, ())
        ]
        return plan_picks(requirements, current, self.inputs.values())

    def without(self, plan: PickPlan) -> Stock:
        taken = reserved_per_slot(plan.picks)
        if not taken:
            return self
        available = dict(self.available)
        for on_hand_id, quantity in taken.items():
            available[on_hand_id] -= quantity
        return replace(self, available=available)

"""Whether an order may be released now, and with which picking work: the one decision.

Release, its preview (the Review screen and the chat question), `releasebot check`, the
digest and the App Home all load the facts and ask `decide`; none of them decides on its
own. Pure: no session, no Slack, no clock. The checks, in the order a person fixes them:
the person's site, the order's status, the papers, the material (under the shortage
policy), somewhere to pick to.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from config import ShortagePolicy
from domain.picking import PickPlan, Requirement, Shortage, Stock
from domain.rules import input_location_refusal, paper_refusal, site_refusal, status_refusal
from domain.statuses import OrderStatus, PaperKind, SchedulingLevel
from domain.types import written, written_quantity


@dataclass(frozen=True, slots=True)
class ItemFacts:
    item_id: int
    number: str
    name: str
    unit: str
    warehouse_managed: bool  # picked by warehouse work; other items get none


@dataclass(frozen=True, slots=True)
class BomFacts:
    """One BOM line as the decision needs it, and as a shortage is told."""

    bom_line_id: int
    line_number: int
    item: ItemFacts
    warehouse_id: int
    warehouse_code: str
    quantity: Decimal  # what the whole order needs
    location_id: int | None = None  # the one location to pick from, when the line names one


@dataclass(frozen=True)
class OrderFacts:
    number: str
    status: OrderStatus
    site: str
    scheduling_level: SchedulingLevel
    job_count: int
    bom: tuple[BomFacts, ...]
    released_by: str | None = None
    released_at: datetime | None = None

    def requirements(self) -> list[Requirement]:
        """The BOM lines that need picking work: those of warehouse-managed items."""
        return [
            Requirement(
                bom_line_id=line.bom_line_id,
                item_id=line.item.item_id,
                warehouse_id=line.warehouse_id,
                quantity=line.quantity,
                location_id=line.location_id,
            )
            for line in self.bom
            if line.item.warehouse_managed
        ]


@dataclass(frozen=True)
class Ask:
    """What is asked: these papers, by someone who may release for `allowed_sites` (None:
    every site), under this shortage policy."""

    papers: frozenset[PaperKind] = frozenset()
    allowed_sites: frozenset[str] | None = None
    policy: ShortagePolicy = ShortagePolicy.REQUIRE_FULL


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


class Because(StrEnum):
    """What a refusal is about: the Review screen shows a paper refusal on the papers field."""

    NOT_FOUND = "unknown_order"
    SITE = "site"
    STATUS = "status"
    PAPERS = "paper"
    SHORTAGE = "shortage"
    NO_INPUT_LOCATION = "no_input_location"


@dataclass(frozen=True)
class Refusal:
    """The order stays as it is: `reason` says why and what to do."""

    reason: str
    because: Because
    shortages: tuple[ShortageLine, ...] = ()


@dataclass(frozen=True)
class Go:
    """The order may be released with this picking work (and, under `allow_partial`,
    released short of `shortages`)."""

    plan: PickPlan
    destinations: Mapping[int, int]  # warehouse -> the production input location to pick to
    shortages: tuple[ShortageLine, ...] = ()


Decision = Go | Refusal


def decide(number: str, order: OrderFacts | None, ask: Ask, stock: Stock) -> Decision:
    """The decision for one order against the stock there is."""
    if order is None:
        return Refusal(f"{number}: no such production order", Because.NOT_FOUND)
    for because, reason in (
        (Because.SITE, site_refusal(number, order.site, ask.allowed_sites)),
        (
            Because.STATUS,
            status_refusal(number, order.status, order.released_by, order.released_at),
        ),
        (
            Because.PAPERS,
            paper_refusal(number, order.scheduling_level, order.job_count, ask.papers),
        ),
    ):
        if reason:
            return Refusal(reason, because)
    plan = stock.plan(order.requirements())
    shortages = tuple(_told(order, plan.shortages))
    if shortages and ask.policy is ShortagePolicy.REQUIRE_FULL:
        reason = f"{number} is short of material: " + "; ".join(s.describe() for s in shortages)
        return Refusal(reason, Because.SHORTAGE, shortages)
    warehouses = plan.picks_by_warehouse()
    missing = [warehouse for warehouse in warehouses if warehouse not in stock.inputs]
    if missing:
        code = next(line.warehouse_code for line in order.bom if line.warehouse_id == missing[0])
        return Refusal(input_location_refusal(number, code), Because.NO_INPUT_LOCATION)
    return Go(plan, {warehouse: stock.inputs[warehouse] for warehouse in warehouses}, shortages)


def decide_in_turn(
    orders: Iterable[tuple[str, OrderFacts | None]], ask: Ask, stock: Stock
) -> list[Decision]:
    """Each order in turn against what the ones released before it leave, as one release
    of them all would go: two orders never count on the same units."""
    decisions: list[Decision] = []
    for number, order in orders:
        decision = decide(number, order, ask, stock)
        if isinstance(decision, Go):
            stock = stock.without(decision.plan)
        decisions.append(decision)
    return decisions


def _told(order: OrderFacts, shortages: Sequence[Shortage]) -> list[ShortageLine]:
    lines = {line.bom_line_id: line for line in order.bom}
    return [
        ShortageLine(
            line_number=line.line_number,
            item_number=line.item.number,
            item_name=line.item.name,
            warehouse=line.warehouse_code,
            unit=line.item.unit,
            required=shortage.required,
            short=shortage.short,
        )
        for shortage in shortages
        for line in (lines[shortage.bom_line_id],)
    ]

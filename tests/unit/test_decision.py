"""The release decision on its own: facts in, a refusal or a go out, no database."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from config import ShortagePolicy
from domain.decision import (
    Ask,
    Because,
    BomFacts,
    Go,
    ItemFacts,
    OrderFacts,
    Refusal,
    decide,
    decide_in_turn,
)
from domain.picking import Stock, StockSlot
from domain.statuses import OrderStatus, PaperKind, SchedulingLevel

STEEL = ItemFacts(1, "RM-1", "Steel", "kg", warehouse_managed=True)
OIL = ItemFacts(2, "OIL", "Oil", "l", warehouse_managed=False)
WAREHOUSE, SHELF, INPUT = 11, 100, 900


def order(number: str = "P000001", quantity: str = "4", **changes: Any) -> OrderFacts:
    """A scheduled job-level order at site 1 needing `quantity` kg of steel (and oil, which
    is not warehouse-managed), with `changes`."""
    bom = (
        BomFacts(1, 1, STEEL, WAREHOUSE, "11", Decimal(quantity)),
        BomFacts(2, 2, OIL, WAREHOUSE, "11", Decimal(1)),
    )
    facts = OrderFacts(number, OrderStatus.SCHEDULED, "1", SchedulingLevel.JOB, 2, bom)
    return replace(facts, **changes)


def stock(on_shelf: str = "5", inputs: dict[int, int] | None = None) -> Stock:
    slot = StockSlot(1, STEEL.item_id, WAREHOUSE, SHELF, "A-01", Decimal(on_shelf))
    return Stock.of([slot], {WAREHOUSE: INPUT} if inputs is None else inputs)


def test_a_go_picks_the_managed_lines_to_the_input_location() -> None:
    decision = decide("P000001", order(), Ask(), stock())

    assert isinstance(decision, Go)
    [pick] = decision.plan.picks
    assert (pick.bom_line_id, pick.from_location_id, pick.quantity) == (1, SHELF, Decimal(4))
    assert decision.destinations == {WAREHOUSE: INPUT}
    assert decision.shortages == ()


def test_the_checks_come_in_the_order_a_person_fixes_them() -> None:
    """Site before status before papers before material before somewhere to pick to."""
    everything_wrong = order(
        status=OrderStatus.CREATED, scheduling_level=SchedulingLevel.OPERATION, quantity="9"
    )
    asks = [
        (Ask(frozenset({PaperKind.JOB_CARD}), frozenset({"2"})), Because.SITE),
        (Ask(frozenset({PaperKind.JOB_CARD})), Because.STATUS),
    ]
    for ask, because in asks:
        decision = decide("P000001", everything_wrong, ask, stock(inputs={}))
        assert isinstance(decision, Refusal) and decision.because is because

    scheduled = order(scheduling_level=SchedulingLevel.OPERATION, quantity="9")
    papers = decide("P000001", scheduled, Ask(frozenset({PaperKind.JOB_CARD})), stock(inputs={}))
    short = decide("P000001", order(quantity="9"), Ask(), stock(inputs={}))
    nowhere = decide("P000001", order(), Ask(), stock(inputs={}))

    assert isinstance(papers, Refusal) and papers.because is Because.PAPERS
    assert isinstance(short, Refusal) and short.reason == (
        "P000001 is short of material: RM-1 Steel: short 4 of 9 kg in 11"
    )
    assert isinstance(nowhere, Refusal) and nowhere.reason == (
        "P000001: warehouse 11 has no production input location to pick to; set one up first"
    )


def test_allow_partial_goes_with_what_is_there_and_says_what_is_short() -> None:
    decision = decide(
        "P000001", order(quantity="9"), Ask(policy=ShortagePolicy.ALLOW_PARTIAL), stock()
    )

    assert isinstance(decision, Go)
    assert [pick.quantity for pick in decision.plan.picks] == [Decimal(5)]
    assert [line.describe() for line in decision.shortages] == ["RM-1 Steel: short 4 of 9 kg in 11"]


def test_in_turn_each_order_gets_what_the_ones_before_it_left() -> None:
    first, second = order("P000001"), order("P000002")

    decided = decide_in_turn([("P000001", first), ("P000002", second)], Ask(), stock("5"))
    alone = decide("P000002", second, Ask(), stock("5"))

    assert isinstance(decided[0], Go) and isinstance(alone, Go)
    assert isinstance(decided[1], Refusal) and decided[1].because is Because.SHORTAGE


def test_an_unknown_order_is_named() -> None:
    decision = decide("P000099", None, Ask(), stock())

    assert decision == Refusal("P000099: no such production order", Because.NOT_FOUND)

"""The pick planner: where each BOM line's material comes from, and what is short."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from domain.picking import Pick, Requirement, Shortage, StockSlot, plan_picks, reserved_per_slot

WAREHOUSE = 11
OTHER_WAREHOUSE = 12
RM1, RM2 = 101, 102
INPUT = 900  # the production input location of warehouse 11


def slot(
    on_hand_id: int,
    location_id: int,
    available: str,
    *,
    item: int = RM1,
    warehouse: int = WAREHOUSE,
) -> StockSlot:
    return StockSlot(
        on_hand_id=on_hand_id,
        item_id=item,
        warehouse_id=warehouse,
        location_id=location_id,
        location_code=f"L-{location_id}",
        available=Decimal(available),
    )


def need(
    line: int,
    quantity: str,
    *,
    item: int = RM1,
    warehouse: int = WAREHOUSE,
    location: int | None = None,
) -> Requirement:
    return Requirement(
        bom_line_id=line,
        item_id=item,
        warehouse_id=warehouse,
        quantity=Decimal(quantity),
        location_id=location,
    )


def picked(picks: list[Pick]) -> list[tuple[int, int, Decimal]]:
    """(BOM line, from location, quantity) of each pick, in the planner's order."""
    return [(p.bom_line_id, p.from_location_id, p.quantity) for p in picks]


def test_one_location_holding_enough_covers_the_line_alone() -> None:
    plan = plan_picks([need(1, "4")], [slot(1, 10, "3"), slot(2, 20, "9")])

    assert picked(plan.picks) == [(1, 20, Decimal("4"))]
    assert plan.is_complete


def test_a_line_is_split_over_locations_largest_first() -> None:
    stock = [slot(1, 10, "3"), slot(2, 20, "9"), slot(3, 30, "5")]

    plan = plan_picks([need(1, "16")], stock)

    assert picked(plan.picks) == [
        (1, 20, Decimal("9")),
        (1, 30, Decimal("5")),
        (1, 10, Decimal("2")),
    ]
    assert plan.shortages == []


def test_equal_stock_is_taken_in_location_code_order() -> None:
    stock = [slot(1, 30, "5"), slot(2, 10, "5")]

    plan = plan_picks([need(1, "7")], stock)

    assert picked(plan.picks) == [(1, 10, Decimal("5")), (1, 30, Decimal("2"))]


def test_a_line_pinned_to_a_location_picks_only_there() -> None:
    stock = [slot(1, 10, "3"), slot(2, 20, "50")]

    plan = plan_picks([need(1, "5", location=10)], stock)

    assert picked(plan.picks) == [(1, 10, Decimal("3"))]
    assert plan.shortages == [
        Shortage(
            bom_line_id=1,
            item_id=RM1,
            warehouse_id=WAREHOUSE,
            required=Decimal("5"),
            short=Decimal("2"),
        )
    ]


def test_the_production_input_location_is_never_a_source() -> None:
    stock = [slot(1, INPUT, "100"), slot(2, 10, "2")]

    plan = plan_picks([need(1, "5")], stock, excluded_locations=[INPUT])

    assert picked(plan.picks) == [(1, 10, Decimal("2"))]
    assert [s.short for s in plan.shortages] == [Decimal("3")]


def test_a_line_pinned_to_the_production_input_location_is_short() -> None:
    plan = plan_picks([need(1, "5", location=INPUT)], [slot(1, INPUT, "100")], [INPUT])

    assert plan.picks == []
    assert [s.short for s in plan.shortages] == [Decimal("5")]


def test_stock_of_another_item_or_warehouse_is_not_picked() -> None:
    stock = [slot(1, 10, "50", item=RM2), slot(2, 40, "50", warehouse=OTHER_WAREHOUSE)]

    plan = plan_picks([need(1, "5")], stock)

    assert plan.picks == []
    assert [(s.bom_line_id, s.required, s.short) for s in plan.shortages] == [
        (1, Decimal("5"), Decimal("5"))
    ]


def test_empty_or_over_reserved_locations_are_skipped() -> None:
    stock = [slot(1, 10, "0"), slot(2, 20, "-2"), slot(3, 30, "1")]

    plan = plan_picks([need(1, "1")], stock)

    assert picked(plan.picks) == [(1, 30, Decimal("1"))]


def test_lines_of_the_same_item_share_what_is_left_largest_first() -> None:
    stock = [slot(1, 10, "10"), slot(2, 20, "8")]

    plan = plan_picks([need(1, "5"), need(2, "7"), need(3, "9")], stock)

    # line 2 starts at location 20 (8 left) rather than 10 (5 left after line 1)
    assert picked(plan.picks) == [
        (1, 10, Decimal("5")),
        (2, 20, Decimal("7")),
        (3, 10, Decimal("5")),
        (3, 20, Decimal("1")),
    ]
    assert [(s.bom_line_id, s.short) for s in plan.shortages] == [(3, Decimal("3"))]
    assert reserved_per_slot(plan.picks) == {1: Decimal("10"), 2: Decimal("8")}


def test_an_unpinned_line_leaves_a_pinned_line_its_location() -> None:
    """Line 1 could take from either location; line 2 only from 10: both are covered."""
    stock = [slot(1, 10, "5"), slot(2, 20, "5")]

    plan = plan_picks([need(1, "5"), need(2, "5", location=10)], stock)

    assert plan.is_complete
    assert sorted(picked(plan.picks)) == [(1, 20, Decimal("5")), (2, 10, Decimal("5"))]


def test_shortages_are_exact_decimals() -> None:
    stock = [slot(1, 10, "0.333"), slot(2, 20, "0.334")]

    plan = plan_picks([need(1, "1.000")], stock)

    assert sum(p.quantity for p in plan.picks) == Decimal("0.667")
    assert plan.shortages[0].short == Decimal("0.333")
    assert plan.shortages[0].required == Decimal("1.000")


def test_lines_in_two_warehouses_are_grouped_per_warehouse() -> None:
    stock = [slot(1, 10, "5"), slot(2, 40, "5", item=RM2, warehouse=OTHER_WAREHOUSE)]

    plan = plan_picks([need(1, "2"), need(2, "3", item=RM2, warehouse=OTHER_WAREHOUSE)], stock)

    grouped = plan.picks_by_warehouse()
    assert sorted(grouped) == [WAREHOUSE, OTHER_WAREHOUSE]
    assert picked(grouped[OTHER_WAREHOUSE]) == [(2, 40, Decimal("3"))]


def test_no_requirements_need_nothing() -> None:
    plan = plan_picks([], [slot(1, 10, "5")])

    assert plan.picks == [] and plan.is_complete


quantities = st.integers(min_value=0, max_value=6).map(Decimal)


@given(
    stock=st.lists(
        st.tuples(st.sampled_from([10, 20, 30, INPUT]), quantities),
        max_size=6,
        unique_by=lambda entry: entry[0],
    ),
    lines=st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=6).map(Decimal), st.sampled_from([None, 10, 20])
        ),
        max_size=5,
    ),
)
def test_picks_never_exceed_stock_and_cover_exactly_what_is_not_short(
    stock: list[tuple[int, Decimal]], lines: list[tuple[Decimal, int | None]]
) -> None:
    slots = [slot(index, location, str(amount)) for index, (location, amount) in enumerate(stock)]
    requirements = [need(index, str(q), location=loc) for index, (q, loc) in enumerate(lines)]

    plan = plan_picks(requirements, slots, excluded_locations=[INPUT])

    available = {s.on_hand_id: s.available for s in slots}
    for on_hand_id, taken in reserved_per_slot(plan.picks).items():
        assert 0 < taken <= available[on_hand_id]
    assert all(p.from_location_id != INPUT for p in plan.picks)
    short = {s.bom_line_id: s.short for s in plan.shortages}
    for requirement in requirements:
        covered = sum(
            (p.quantity for p in plan.picks if p.bom_line_id == requirement.bom_line_id),
            Decimal(0),
        )
        assert covered + short.get(requirement.bom_line_id, Decimal(0)) == requirement.quantity
        if requirement.location_id is not None:
            assert {
                p.from_location_id for p in plan.picks if p.bom_line_id == requirement.bom_line_id
            } <= {requirement.location_id}
    usable = {s.location_id: s.available for s in slots if s.location_id != INPUT}
    demand = sum((r.quantity for r in requirements), Decimal(0))
    pinned_fit = all(
        sum((r.quantity for r in requirements if r.location_id == location), Decimal(0))
        <= usable.get(location, Decimal(0))
        for location in {r.location_id for r in requirements if r.location_id is not None}
    )
    assert plan.is_complete == (pinned_fit and demand <= sum(usable.values(), Decimal(0)))
    if all(r.location_id is None for r in requirements):  # short only of what is missing
        assert sum(short.values(), Decimal(0)) == max(demand - sum(usable.values()), 0)

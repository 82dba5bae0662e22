"""Reset status (undo a release) on real databases: its rules, and resets at the same time."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from config import ShortagePolicy
from domain.clock import utc_now
from domain.model import OnHand, OrderShortage, ProductionOrder, WarehouseWork
from domain.services.release import ReleaseRequest, ReleaseService
from domain.services.reset import ResetResult, ResetService
from domain.statuses import OrderStatus, WorkStatus
from tests.builders import Plant
from tests.concurrently import at_once


def _release(sessions: sessionmaker[Session], *numbers: str, policy=ShortagePolicy.REQUIRE_FULL):
    report = ReleaseService(sessions, policy, clock=utc_now).release(
        ReleaseRequest(order_numbers=numbers, requested_by="ann")
    )
    assert report.all_released, [result.reason for result in report.results]
    return report


def _reset(sessions: sessionmaker[Session], *numbers: str, user: str = "bob") -> list[ResetResult]:
    return ResetService(sessions, clock=utc_now).reset(
        numbers, requested_by=user, source="slack #plant"
    )


def _reserved(sessions: sessionmaker[Session]) -> dict[str, Decimal]:
    with sessions() as session:
        return {row.location.code: row.reserved for row in session.scalars(select(OnHand))}


def _order(session: Session, number: str) -> ProductionOrder:
    return session.scalars(select(ProductionOrder).where(ProductionOrder.number == number)).one()


@pytest.fixture
def two_warehouse_order(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        plant = Plant(session)
        plant.warehouse("12")
        plant.stock("RM-1", "11", "A-01", 3)
        plant.stock("RM-1", "11", "A-02", 5)
        plant.stock("RM-2", "12", "B-01", 9)
        plant.order([("RM-1", 7), ("RM-2", 9, "12")], number="P000001")


def test_reset_cancels_every_open_work_and_frees_every_reservation(
    sessions: sessionmaker[Session], two_warehouse_order: None
) -> None:
    works = _release(sessions, "P000001").results[0].work_numbers

    [result] = _reset(sessions, "p1")

    assert result == ResetResult(order_number="P000001", reset=True, cancelled_work_numbers=works)
    assert _reserved(sessions) == {
        "A-01": Decimal("0.000"),
        "A-02": Decimal("0.000"),
        "B-01": Decimal("0.000"),
    }
    with sessions() as session:
        order = _order(session, "P000001")
        assert order.status is OrderStatus.SCHEDULED
        assert (order.released_by, order.released_at, order.released_from) == (None, None, None)
        assert {work.status for work in order.works} == {WorkStatus.CANCELLED}
        last = order.events[-1]
        assert (last.actor, last.source, last.from_status, last.to_status, last.note) == (
            "bob",
            "slack #plant",
            OrderStatus.RELEASED,
            OrderStatus.SCHEDULED,
            "reset status",
        )


def test_reset_clears_the_shortage_recorded_by_a_partial_release(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        plant = Plant(session)
        plant.stock("RM-1", "11", "A-01", 2)
        plant.order([("RM-1", 5)], number="P000001")
    _release(sessions, "P000001", policy=ShortagePolicy.ALLOW_PARTIAL)

    assert _reset(sessions, "P000001")[0].reset

    with sessions() as session:
        assert session.scalars(select(OrderShortage)).all() == []
    assert _reserved(sessions) == {"A-01": Decimal("0.000")}


def test_release_and_reset_again_and_again_never_frees_twice(
    sessions: sessionmaker[Session], two_warehouse_order: None
) -> None:
    for _ in range(3):
        _release(sessions, "P000001")
        assert _reserved(sessions) == {
            "A-01": Decimal("2.000"),
            "A-02": Decimal("5.000"),
            "B-01": Decimal("9.000"),
        }
        assert _reset(sessions, "P000001")[0].reset
        assert set(_reserved(sessions).values()) == {Decimal("0.000")}
    with sessions() as session:
        statuses = session.scalars(select(WarehouseWork.status)).all()
    assert statuses == [WorkStatus.CANCELLED] * 6


@pytest.mark.parametrize(
    "status",
    [status for status in OrderStatus if status is not OrderStatus.RELEASED],
)
def test_only_a_released_order_can_be_reset(
    sessions: sessionmaker[Session], status: OrderStatus
) -> None:
    with sessions.begin() as session:
        Plant(session).order([], number="P000001", status=status)

    [result] = _reset(sessions, "P000001")

    spoken = status.value.replace("_", " ")
    assert result == ResetResult(
        order_number="P000001",
        reset=False,
        reason=f"P000001 is {spoken}: only a released order can be reset to scheduled",
        cause="status",
    )
    with sessions() as session:
        assert _order(session, "P000001").status is status


@pytest.mark.parametrize("started", [WorkStatus.IN_PROGRESS, WorkStatus.CLOSED])
def test_reset_is_refused_once_any_work_has_started_and_nothing_changes(
    sessions: sessionmaker[Session], two_warehouse_order: None, started: WorkStatus
) -> None:
    _release(sessions, "P000001")
    with sessions.begin() as session:
        first, second = session.scalars(select(WarehouseWork).order_by(WarehouseWork.id))
        second.status = started
        started_number, open_number = second.number, first.number
    before = _reserved(sessions)

    [result] = _reset(sessions, "P000001")

    assert not result.reset
    assert result.reason == (
        f"P000001 cannot be reset: its work {started_number} has already started"
    )
    assert _reserved(sessions) == before
    with sessions() as session:
        order = _order(session, "P000001")
        assert order.status is OrderStatus.RELEASED
        assert {work.number: work.status for work in order.works} == {
            open_number: WorkStatus.OPEN,
            started_number: started,
        }


def test_one_refusal_does_not_stop_the_other_orders_of_the_call(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        plant = Plant(session)
        plant.stock("RM-1", "11", "A-01", 10)
        plant.order([("RM-1", 2)], number="P000001")
        plant.order([("RM-1", 3)], number="P000002")
    _release(sessions, "P000001", "P000002")

    results = _reset(sessions, "P000001", "P000099", "P000001", "P000002")

    assert [(r.order_number, r.reset, r.reason) for r in results] == [
        ("P000001", True, None),
        ("P000099", False, "P000099: no such production order"),
        ("P000002", True, None),
    ]
    assert _reserved(sessions) == {"A-01": Decimal("0.000")}


def test_many_threads_resetting_one_order_reset_it_once(
    sessions: sessionmaker[Session], two_warehouse_order: None
) -> None:
    _release(sessions, "P000001")

    results = at_once(8, lambda i: _reset(sessions, "P000001", user=f"user-{i}")[0])

    assert sum(result.reset for result in results) == 1
    assert {r.reason for r in results if not r.reset} == {
        "P000001 is scheduled: only a released order can be reset to scheduled"
    }
    assert set(_reserved(sessions).values()) == {Decimal("0.000")}


def test_resets_and_releases_of_orders_sharing_stock_never_deadlock(
    sessions: sessionmaker[Session],
) -> None:
    """Orders list the same two items in opposite BOM order, so their work lines hold the
    same stock rows in opposite order; half are reset while the other half are released."""
    orders = [f"P{index:06d}" for index in range(1, 9)]
    with sessions.begin() as session:
        plant = Plant(session)
        plant.stock("RM-1", "11", "A-01", 1000)
        plant.stock("RM-2", "11", "A-02", 1000)
        for index, number in enumerate(orders):
            bom = [("RM-1", 1), ("RM-2", 1)] if index % 2 else [("RM-2", 1), ("RM-1", 1)]
            plant.order(bom, number=number)
    released, scheduled = orders[:4], orders[4:]
    _release(sessions, *released)

    def reset_or_release(index: int) -> bool:
        if index < len(released):
            return _reset(sessions, released[index])[0].reset
        return (
            ReleaseService(sessions, clock=utc_now)
            .release(
                ReleaseRequest(order_numbers=[scheduled[index - len(released)]], requested_by="ann")
            )
            .all_released
        )

    for _ in range(4):
        assert all(at_once(len(orders), reset_or_release))
        released, scheduled = scheduled, released

    assert _reserved(sessions) == {"A-01": Decimal("4.000"), "A-02": Decimal("4.000")}


def test_a_reset_failing_at_commit_changes_nothing_and_the_next_order_still_resets(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        plant = Plant(session)
        plant.stock("RM-1", "11", "A-01", 10)
        plant.order([("RM-1", 2)], number="P000001")
        plant.order([("RM-1", 3)], number="P000002")
    _release(sessions, "P000001", "P000002")

    def fail_commit_of_p1(session: Session) -> None:
        for instance in session.identity_map.values():
            if (
                isinstance(instance, ProductionOrder)
                and instance.number == "P000001"
                and instance.status is OrderStatus.SCHEDULED
            ):
                raise RuntimeError("connection lost at commit")

    event.listen(sessions, "before_commit", fail_commit_of_p1)
    try:
        first, second = _reset(sessions, "P000001", "P000002")
    finally:
        event.remove(sessions, "before_commit", fail_commit_of_p1)

    assert not first.reset
    assert first.reason == (
        "P000001 could not be reset because of an internal error; nothing was changed, try again"
    )
    assert second.reset
    with sessions() as session:
        assert _order(session, "P000001").status is OrderStatus.RELEASED
        assert [w.status for w in _order(session, "P000001").works] == [WorkStatus.OPEN]
    assert _reserved(sessions) == {"A-01": Decimal("2.000")}

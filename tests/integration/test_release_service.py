"""The release service against real databases (SQLite and PostgreSQL)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from config import ShortagePolicy
from domain.clock import utc_now
from domain.model import OnHand, ProductionOrder, ReleaseResult, WarehouseWork
from domain.services.materials import check_availability
from domain.services.release import ReleaseReport, ReleaseRequest, ReleaseService
from domain.services.reset import ResetService
from domain.statuses import OrderStatus, PaperKind, SchedulingLevel, WorkStatus
from tests.builders import Plant


def _release(
    sessions: sessionmaker[Session],
    *numbers: str,
    policy: ShortagePolicy = ShortagePolicy.REQUIRE_FULL,
    source: str = "cli",
    papers: frozenset[PaperKind] = frozenset(),
) -> ReleaseReport:
    service = ReleaseService(sessions, policy, clock=utc_now)
    request = ReleaseRequest(numbers, "ann", source=source, papers=papers)
    return service.release(request)


def test_release_creates_work_per_warehouse_and_reserves_stock(sessions) -> None:
    with sessions.begin() as session:
        plant = Plant(session)
        plant.warehouse("12")
        plant.stock("RM-1", "11", "A-01", 5)
        plant.stock("RM-1", "11", "A-02", 20)
        plant.stock("RM-2", "12", "B-01", 8)
        plant.item("OIL", managed=False)
        plant.order([("RM-1", 22), ("RM-2", 8, "12"), ("OIL", 3)], number="P000001")

    report = _release(sessions, "P000001", source="cli")

    assert report.all_released
    [result] = report.results
    assert len(result.work_numbers) == 2
    with sessions() as session:
        order = session.scalars(select(ProductionOrder)).one()
        assert order.status is OrderStatus.RELEASED
        assert order.released_by == "ann"
        works = {work.warehouse.code: work for work in order.works}
        assert sorted(works) == ["11", "12"]
        picks = sorted((line.from_location.code, line.quantity) for line in works["11"].lines)
        assert picks == [("A-01", Decimal("2.000")), ("A-02", Decimal("20.000"))]
        assert {line.to_location.code for line in works["11"].lines} == {"PROD-IN"}
        reserved = {row.location.code: row.reserved for row in session.scalars(select(OnHand))}
        assert reserved == {
            "A-01": Decimal("2.000"),
            "A-02": Decimal("20.000"),
            "B-01": Decimal("8.000"),
        }
        assert [w.number for w in order.works] == list(result.work_numbers)


def test_short_order_is_refused_under_require_full_and_nothing_changes(sessions) -> None:
    with sessions.begin() as session:
        plant = Plant(session)
        plant.stock("RM-1", "11", "A-01", 5)
        plant.order([("RM-1", 6)], number="P000001")

    report = _release(sessions, "P000001")

    [result] = report.results
    assert not result.released and result.reason is not None
    assert "short of material" in result.reason and "short 1" in result.reason
    with sessions() as session:
        assert session.scalar(select(ProductionOrder.status)) is OrderStatus.SCHEDULED
        assert session.scalar(select(func.count(WarehouseWork.id))) == 0
        assert session.scalar(select(OnHand.reserved)) == 0
        assert session.scalar(select(ReleaseResult.reason)) == result.reason


def test_allow_partial_releases_what_is_there_and_records_the_shortage(sessions) -> None:
    with sessions.begin() as session:
        plant = Plant(session)
        plant.stock("RM-1", "11", "A-01", 5)
        plant.order([("RM-1", 6)], number="P000001")

    report = _release(sessions, "P000001", policy=ShortagePolicy.ALLOW_PARTIAL)

    [result] = report.results
    assert result.released
    assert [line.short for line in result.shortages] == [Decimal("1.000")]
    with sessions() as session:
        order = session.scalars(select(ProductionOrder)).one()
        assert [s.quantity_short for s in order.shortages] == [Decimal("1.000")]
        assert order.works[0].lines[0].quantity == Decimal("5.000")


def test_wrong_status_and_unknown_order_are_refused_with_reasons(sessions) -> None:
    with sessions.begin() as session:
        plant = Plant(session)
        plant.order([], number="P000001", status=OrderStatus.CREATED)
        plant.order([], number="P000002", status=OrderStatus.ESTIMATED)

    report = _release(sessions, "P000001", "p2", "P000099")

    reasons = [result.reason for result in report.results]
    assert reasons == [
        "P000001 is created: estimate and schedule it first, then release it",
        "P000002 is estimated: schedule it first, then release it",
        "P000099: no such production order",
    ]


def test_job_papers_are_refused_for_operation_scheduled_orders(sessions) -> None:
    with sessions.begin() as session:
        Plant(session).order([], number="P000001", level=SchedulingLevel.OPERATION)

    refused = _release(sessions, "P000001", papers=frozenset({PaperKind.JOB_CARD}))
    released = _release(sessions, "P000001", papers=frozenset({PaperKind.ROUTE_CARD}))

    reason = refused.results[0].reason
    assert reason is not None
    assert "operation level" in reason
    assert "Route card" in reason
    assert released.all_released


def test_second_release_is_told_who_released(sessions) -> None:
    with sessions.begin() as session:
        Plant(session).order([], number="P000001")
    _release(sessions, "P000001")

    again = ReleaseService(sessions, clock=utc_now).release(
        ReleaseRequest(order_numbers=["P000001"], requested_by="bob")
    )

    reason = again.results[0].reason
    assert reason is not None and reason.startswith("P000001 was already released by ann at ")


def test_reset_cancels_open_work_and_frees_reservations(sessions) -> None:
    with sessions.begin() as session:
        plant = Plant(session)
        plant.stock("RM-1", "11", "A-01", 10)
        plant.order([("RM-1", 4)], number="P000001")
    _release(sessions, "P000001")

    [result] = ResetService(sessions, clock=utc_now).reset(["P000001"], requested_by="ann")

    assert result.reset and len(result.cancelled_work_numbers) == 1
    with sessions() as session:
        order = session.scalars(select(ProductionOrder)).one()
        assert order.status is OrderStatus.SCHEDULED
        assert order.released_by is None
        assert [work.status for work in order.works] == [WorkStatus.CANCELLED]
        assert session.scalar(select(OnHand.reserved)) == 0
        assert [(e.from_status, e.to_status) for e in order.events] == [
            (OrderStatus.SCHEDULED, OrderStatus.RELEASED),
            (OrderStatus.RELEASED, OrderStatus.SCHEDULED),
        ]
    assert _release(sessions, "P000001").all_released  # released again after the undo


def test_reset_is_refused_once_work_has_started(sessions) -> None:
    with sessions.begin() as session:
        plant = Plant(session)
        plant.stock("RM-1", "11", "A-01", 10)
        plant.order([("RM-1", 4)], number="P000001")
    _release(sessions, "P000001")
    with sessions.begin() as session:
        session.scalars(select(WarehouseWork)).one().status = WorkStatus.IN_PROGRESS

    [result] = ResetService(sessions, clock=utc_now).reset(["P000001"], requested_by="ann")

    assert not result.reset
    assert result.reason is not None and "has already started" in result.reason
    with sessions() as session:
        assert session.scalar(select(ProductionOrder.status)) is OrderStatus.RELEASED
        assert session.scalar(select(OnHand.reserved)) == Decimal("4.000")


def test_material_check_skips_orders_that_already_hold_their_material(sessions) -> None:
    with sessions.begin() as session:
        plant = Plant(session)
        plant.stock("RM-1", "11", "A-01", 5)
        plant.order([("RM-1", 5)], number="P000001")
        plant.order([("RM-1", 5)], number="P000002")
    _release(sessions, "P000001")

    with sessions() as session:
        released, waiting = check_availability(session, ["P000001", "P000002"])

    assert (released.status, released.checked, released.shortages) == ("released", False, ())
    assert waiting.checked and [line.short for line in waiting.shortages] == [Decimal("5.000")]


def test_material_check_says_what_else_would_refuse_the_release(sessions) -> None:
    """`releasebot check` asks the release's decision: material there, nowhere to pick to."""
    with sessions.begin() as session:
        plant = Plant(session)
        plant.warehouse("11", input_location="")
        plant.stock("RM-1", "11", "A-01", 5)
        plant.order([("RM-1", 5)], number="P000001")
        plant.order([("RM-1", 5)], number="P000002", status=OrderStatus.CREATED)

    with sessions() as session:
        nowhere, created = check_availability(session, ["P000001", "P000002"])

    assert (nowhere.refusal, nowhere.shortages) == (
        "P000001: warehouse 11 has no production input location to pick to; set one up first",
        (),
    )
    assert created.refusal == "P000002 is created: estimate and schedule it first, then release it"

"""Undo of a whole release (the Slack *Undo* button): who may, when, and what is recorded."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from domain.clock import utc_now
from domain.model import OnHand, OrderEvent, ProductionOrder, ReleaseUndo, WarehouseWork
from domain.services.release import ReleaseRequest, ReleaseService
from domain.services.reset import ResetService, UndoResult
from domain.statuses import OrderStatus, WorkStatus
from tests.builders import Plant

ANN = "UANN"


@pytest.fixture
def released(sessions: sessionmaker[Session]) -> int:
    """Release R000001 of P000001 and P000002 by Ann, who shares RM-1 between them."""
    with sessions.begin() as session:
        plant = Plant(session)
        plant.stock("RM-1", "11", "A-01", 10)
        plant.order([("RM-1", 4)], number="P000001")
        plant.order([("RM-1", 3)], number="P000002")
    report = ReleaseService(sessions, clock=utc_now).release(
        ReleaseRequest(["P000001", "P000002"], requested_by="Ann Planner", requester_id=ANN)
    )
    assert report.all_released
    return report.release_id


def _undo(sessions: sessionmaker[Session], release_id: int, user: str, admin: bool = False):
    return ResetService(sessions, clock=utc_now).undo_release(
        release_id, user, f"name of {user}", "slack:CFLOOR", admin=admin
    )


def _statuses(sessions: sessionmaker[Session]) -> dict[str, OrderStatus]:
    with sessions() as session:
        query = select(ProductionOrder.number, ProductionOrder.status)
        return dict(session.execute(query).tuples().all())


def _audit(sessions: sessionmaker[Session]) -> list[tuple[str, bool, str | None]]:
    with sessions() as session:
        return list(
            session.execute(
                select(ReleaseUndo.requester_id, ReleaseUndo.undone, ReleaseUndo.reason).order_by(
                    ReleaseUndo.id
                )
            ).tuples()
        )


def test_the_releaser_undoes_the_whole_release_and_it_is_recorded(
    sessions: sessionmaker[Session], released: int
) -> None:
    result = ResetService(sessions, clock=utc_now).undo_release(
        released, ANN, "Ann Planner", "slack:CFLOOR"
    )

    assert result == UndoResult(
        "R000001", True, None, ("P000001", "P000002"), ("W000001", "W000002")
    )
    assert _statuses(sessions) == {
        "P000001": OrderStatus.SCHEDULED,
        "P000002": OrderStatus.SCHEDULED,
    }
    with sessions() as session:
        assert set(session.scalars(select(WarehouseWork.status))) == {WorkStatus.CANCELLED}
        assert session.scalar(select(OnHand.reserved)) == 0
        events = session.execute(
            select(OrderEvent.actor, OrderEvent.source, OrderEvent.to_status).where(
                OrderEvent.to_status == OrderStatus.SCHEDULED
            )
        ).all()
    assert events == [("Ann Planner", "slack:CFLOOR", OrderStatus.SCHEDULED)] * 2
    assert _audit(sessions) == [(ANN, True, None)]


def test_someone_else_is_refused_and_nothing_changes(
    sessions: sessionmaker[Session], released: int
) -> None:
    result = _undo(sessions, released, "UEVE")

    assert result == UndoResult(
        "R000001", False, "only the person who released R000001 or an admin may undo it"
    )
    assert set(_statuses(sessions).values()) == {OrderStatus.RELEASED}
    assert _audit(sessions) == [("UEVE", False, result.reason)]


def test_an_admin_may_undo_anyones_release(sessions: sessionmaker[Session], released: int) -> None:
    assert _undo(sessions, released, "UADMIN", admin=True).undone
    assert set(_statuses(sessions).values()) == {OrderStatus.SCHEDULED}


def test_started_work_refuses_the_undo_of_every_order(
    sessions: sessionmaker[Session], released: int
) -> None:
    with sessions.begin() as session:
        work = session.scalars(select(WarehouseWork).order_by(WarehouseWork.id.desc())).first()
        assert work is not None
        work.status = WorkStatus.IN_PROGRESS

    result = _undo(sessions, released, ANN)

    assert result.reason == "P000002 cannot be reset: its work W000002 has already started"
    assert set(_statuses(sessions).values()) == {OrderStatus.RELEASED}  # P000001 too
    with sessions() as session:
        assert WorkStatus.CANCELLED not in set(session.scalars(select(WarehouseWork.status)))


def test_an_undone_release_is_not_undone_twice(
    sessions: sessionmaker[Session], released: int
) -> None:
    assert _undo(sessions, released, ANN).undone

    again = _undo(sessions, released, ANN)

    assert again.reason == "R000001 was already undone by name of UANN"


def test_an_order_released_again_since_refuses_the_old_undo(
    sessions: sessionmaker[Session], released: int
) -> None:
    ResetService(sessions, clock=utc_now).reset(["P000001"], requested_by="bob")
    assert (
        ReleaseService(sessions, clock=utc_now)
        .release(ReleaseRequest(["P000001"], "bob"))
        .all_released
    )

    result = _undo(sessions, released, ANN)

    assert result.reason == "P000001 was released again in R000002: undo that one"
    assert _statuses(sessions)["P000002"] is OrderStatus.RELEASED


def test_an_unknown_release_is_refused_without_an_audit_row(
    sessions: sessionmaker[Session], released: int
) -> None:
    assert _undo(sessions, 999, ANN).reason == "R000999: no such release"
    assert _audit(sessions) == []

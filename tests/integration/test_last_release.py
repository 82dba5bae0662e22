"""What "undo" in chat refers to: the asker's latest release that released something and
was not undone yet (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from config import ShortagePolicy
from domain.clock import utc_now
from domain.model import ReleaseUndo
from domain.queries import LastRelease, last_undoable_release
from domain.services.release import ReleaseRequest, ReleaseService
from domain.statuses import OrderStatus
from tests.builders import Plant


def _release(sessions: sessionmaker[Session], user: str, *numbers: str) -> int:
    service = ReleaseService(sessions, ShortagePolicy.REQUIRE_FULL, clock=utc_now)
    report = service.release(
        ReleaseRequest(order_numbers=numbers, requested_by=user, requester_id=user)
    )
    return int(report.release_number.removeprefix("R"))


def test_the_latest_release_that_released_something_and_was_not_undone(sessions) -> None:
    with sessions.begin() as session:
        plant = Plant(session)
        for number in ("P000001", "P000002", "P000003", "P000004"):
            plant.order(number=number)
        plant.order(number="P000009", status=OrderStatus.CREATED)

    first = _release(sessions, "UANN", "P000001", "P000002")
    _release(sessions, "UBOB", "P000003")
    undone = _release(sessions, "UANN", "P000004")
    _release(sessions, "UANN", "P000009")  # refused: released nothing
    with sessions.begin() as session:
        session.add(
            ReleaseUndo(
                release_id=undone,
                requester_id="UANN",
                requested_by="Ann",
                requested_at=datetime.now(UTC),
                source="slack:D1",
                undone=True,
            )
        )

    with sessions() as session:
        assert last_undoable_release(session, "UANN") == LastRelease(
            id=first, number=f"R{first:06d}", orders=["P000001", "P000002"]
        )
        assert last_undoable_release(session, "UEVE") is None

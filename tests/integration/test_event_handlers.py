"""The handler table (domain/services/handlers.py): each event of a release or an undo turns
into its outbox rows and remembered choices in the transaction that raised it, so that a
failure there rolls back both the change and what it queued."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from domain.clock import utc_now
from domain.events import PrintAt, ReleaseOpened, ReleaseOver, ReleaseUndone
from domain.model import OutboxMessage, PrintPreference, ProductionOrder, Release, ReleaseUndo
from domain.outbox import Outgoing, enqueue
from domain.services.handlers import HANDLERS, handle
from domain.services.release import ReleaseRequest, ReleaseService
from domain.services.reset import ResetService
from domain.statuses import OrderStatus, PaperKind
from tests.builders import MONDAY, Plant

ANN = "UANN"
GRID = ("E1", "T1")  # a workspace of an Enterprise Grid org


@pytest.fixture
def plant(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        plant = Plant(session)
        plant.stock("RM-1", "11", "A-01", 100)
        plant.order([("RM-1", 2)], number="P000001")
        plant.order([("RM-1", 2)], number="P000002")


def _release(sessions: sessionmaker[Session], **asked: Any) -> int:
    request = ReleaseRequest(
        ["p1", "P000002", "P000001"], requested_by="Ann Planner", requester_id=ANN, **asked
    )
    report = ReleaseService(sessions, clock=lambda: MONDAY).release(request)
    assert report.all_released
    return report.release_id


def _queued(sessions: sessionmaker[Session]) -> list[tuple[str, str, dict[str, Any], Any, Any]]:
    with sessions() as session:
        rows = session.execute(
            select(
                OutboxMessage.dedupe_key,
                OutboxMessage.kind,
                OutboxMessage.payload,
                OutboxMessage.enterprise_id,
                OutboxMessage.team_id,
            ).order_by(OutboxMessage.id)
        )
        return [tuple(row) for row in rows]


def _remembered(sessions: sessionmaker[Session]) -> list[tuple[str, list[str], Any]]:
    with sessions() as session:
        rows = session.execute(
            select(PrintPreference.user_id, PrintPreference.papers, PrintPreference.printers)
        )
        return [tuple(row) for row in rows]


def _statuses(sessions: sessionmaker[Session]) -> set[OrderStatus]:
    with sessions() as session:
        return set(session.scalars(select(ProductionOrder.status)))


@pytest.mark.usefixtures("plant")
def test_a_release_from_the_chat_queues_its_result_its_printing_and_remembers_the_choice(
    sessions: sessionmaker[Session],
) -> None:
    release_id = _release(
        sessions,
        papers=frozenset({PaperKind.ROUTE_CARD, PaperKind.PICKING_LIST}),
        workspace=GRID,
        report_in="CFLOOR",
        print_at=PrintAt(("floor-1",)),
        remember_choice=True,
    )

    orders = ["P000001", "P000002"]
    assert _queued(sessions) == [
        (
            f"release:{release_id}:summary",
            "release_summary",
            {"release_id": release_id, "channel": "CFLOOR", "user": ANN, "orders": orders},
            "E1",
            "T1",
        ),
        (
            f"release:{release_id}:print",
            "print_plan",
            {
                "release_id": release_id,
                "orders": orders,
                "channel": "CFLOOR",
                "queues": ["floor-1"],
                "printer": None,
            },
            "E1",
            "T1",
        ),
    ]
    assert _remembered(sessions) == [(ANN, ["picking_list", "route_card"], ["floor-1"])]


@pytest.mark.usefixtures("plant")
def test_queues_offered_but_none_chosen_print_nothing_and_are_remembered_as_none(
    sessions: sessionmaker[Session],
) -> None:
    release_id = _release(sessions, report_in="CFLOOR", print_at=PrintAt(()), remember_choice=True)

    assert [(key, workspace) for key, _, _, workspace, _ in _queued(sessions)] == [
        (f"release:{release_id}:summary", None)
    ]
    assert _remembered(sessions) == [(ANN, [], [])]


@pytest.mark.usefixtures("plant")
def test_a_workflow_step_reports_but_remembers_nobodys_choice(
    sessions: sessionmaker[Session],
) -> None:
    _release(sessions, report_in="CFLOOR", papers=frozenset({PaperKind.ROUTE_CARD}))

    assert [kind for _, kind, _, _, _ in _queued(sessions)] == ["release_summary"]
    assert _remembered(sessions) == []


@pytest.mark.usefixtures("plant")
def test_the_command_line_queues_only_its_printing_at_the_printer_it_names(
    sessions: sessionmaker[Session],
) -> None:
    release_id = _release(sessions, print_at=PrintAt(printer="office"))

    assert _queued(sessions) == [
        (
            f"release:{release_id}:print",
            "print_plan",
            {
                "release_id": release_id,
                "orders": ["P000001", "P000002"],
                "channel": None,
                "queues": None,
                "printer": "office",
            },
            None,
            None,
        )
    ]


@pytest.mark.usefixtures("plant")
def test_a_handler_that_fails_rolls_back_the_release_and_everything_it_queued(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(session: Session, event: ReleaseOpened) -> None:
        raise RuntimeError("the outbox is full")

    monkeypatch.setitem(HANDLERS, ReleaseOpened, [*HANDLERS[ReleaseOpened], broken])
    with pytest.raises(RuntimeError, match="the outbox is full"):
        _release(
            sessions,
            report_in="CFLOOR",
            print_at=PrintAt(("floor-1",)),
            remember_choice=True,
        )

    with sessions() as session:
        assert session.scalar(select(func.count(Release.id))) == 0
    assert _queued(sessions) == []
    assert _remembered(sessions) == []
    assert _statuses(sessions) == {OrderStatus.SCHEDULED}


@pytest.mark.usefixtures("plant")
def test_the_undo_queues_the_update_of_the_result_message_with_it_or_not_at_all(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    release_id = _release(sessions, workspace=GRID, report_in="CFLOOR")
    resets = ResetService(sessions, clock=utc_now)

    def broken(session: Session, event: ReleaseUndone) -> None:
        raise RuntimeError("the outbox is full")

    with monkeypatch.context() as patched:
        patched.setitem(HANDLERS, ReleaseUndone, [*HANDLERS[ReleaseUndone], broken])
        with pytest.raises(RuntimeError, match="the outbox is full"):
            resets.undo_release(release_id, ANN, "Ann Planner", "slack:CFLOOR")
    assert _statuses(sessions) == {OrderStatus.RELEASED}
    assert [kind for _, kind, _, _, _ in _queued(sessions)] == ["release_summary"]
    with sessions() as session:
        assert session.scalar(select(func.count(ReleaseUndo.id))) == 0

    assert resets.undo_release(release_id, "UADMIN", "Ada Admin", "slack:COTHER", admin=True).undone
    assert _statuses(sessions) == {OrderStatus.SCHEDULED}
    assert _queued(sessions)[1:] == [
        (
            f"release:{release_id}:undone",
            "release_undone",
            {"release_id": release_id, "undone_by": "UADMIN"},
            "E1",  # where the release was asked and its message is, wherever undone
            "T1",
        )
    ]


def test_a_release_over_makes_what_waited_for_it_due_now(sessions: sessionmaker[Session]) -> None:
    later = MONDAY + timedelta(minutes=5)
    with sessions.begin() as session:
        enqueue(
            session,
            [
                Outgoing("release:7:summary", "release_summary", {}),
                Outgoing("release:7:print", "print_plan", {}),
                Outgoing("release:70:summary", "release_summary", {}),
            ],
            later,
        )
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.dedupe_key == "release:7:print")
            .values(last_error="CUPS is down")  # backing off an error: left to wait
        )

    with sessions.begin() as session:
        handle(session, ReleaseOver(7, MONDAY))

    with sessions() as session:
        rows = session.execute(select(OutboxMessage.dedupe_key, OutboxMessage.next_attempt_at))
        due = dict(rows.tuples().all())
    assert due == {
        "release:7:summary": MONDAY,
        "release:7:print": later,
        "release:70:summary": later,
    }


@pytest.mark.usefixtures("plant")
def test_a_release_whose_end_cannot_be_said_is_released_all_the_same(
    sessions: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(session: Session, event: ReleaseOver) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setitem(HANDLERS, ReleaseOver, [broken])

    release_id = _release(sessions, report_in="CFLOOR")

    assert _statuses(sessions) == {OrderStatus.RELEASED}
    assert [key for key, *_ in _queued(sessions)] == [f"release:{release_id}:summary"]
    assert f"could not say that release {release_id} is over" in caplog.text

"""The use cases the papers, the printers and a release's messages read through
(`Papers`, `ReleaseResults`), on both databases: what each returns, and what each refuses."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from domain.clock import utc_now
from domain.outbox import Outbox, Outgoing
from domain.services.papers import PaperRefused, Papers
from domain.services.release import ReleaseRequest, ReleaseService
from domain.services.results import ReleaseResults
from domain.statuses import OrderStatus, OutboxStatus, PaperKind
from tests.builders import Plant


@pytest.fixture
def release_id(sessions: sessionmaker[Session]) -> int:
    """P000002 then P000001 released (P000001 picks in warehouses 11 and 12), P000003 not
    asked for, P000004 refused (not scheduled)."""
    with sessions.begin() as session:
        plant = Plant(session)
        plant.warehouse("12")
        plant.stock("RM-1", "11", "A-01", 50)
        plant.stock("RM-2", "12", "B-01", 8)
        plant.order([("RM-1", 22), ("RM-2", 8, "12")], number="P000001")
        plant.order([("RM-1", 2)], number="P000002")
        plant.order([], number="P000003")
        plant.order([], number="P000004", status=OrderStatus.CREATED)
    report = ReleaseService(sessions, clock=utc_now).release(
        ReleaseRequest(
            order_numbers=["P000002", "P000001", "P000004"],
            requested_by="ann",
            papers=frozenset({PaperKind.PICKING_LIST}),
            requester_id="U1",
        )
    )
    assert [r.released for r in report.results] == [True, True, False]
    return report.release_id


def test_a_release_papers_show_its_released_orders_in_the_order_asked(
    sessions: sessionmaker[Session], release_id: int
) -> None:
    papers = Papers(sessions)
    released = papers.of_release(release_id)
    assert released.number == "R000001"
    assert [order.number for order in released.orders] == ["P000002", "P000001"]
    with pytest.raises(LookupError, match="release 999 is not in the database"):
        papers.of_release(999)


def test_a_release_print_plan_reads_its_papers_and_where_its_orders_belong(
    sessions: sessionmaker[Session], release_id: int
) -> None:
    record = ReleaseResults(sessions).record(release_id)
    assert record is not None
    assert record.papers == [PaperKind.PICKING_LIST]
    assert record.has_result_for(["P000001", "P000002", "P000004"])
    places = Papers(sessions).places([order.number for order in record.released])
    assert [(p.number, p.site, sorted(p.warehouses)) for p in places] == [
        ("P000002", "1", ["11"]),
        ("P000001", "1", ["11", "12"]),
    ]


def test_a_reprint_takes_released_orders_once_each_and_refuses_the_rest_by_name(
    sessions: sessionmaker[Session], release_id: int
) -> None:
    papers = Papers(sessions)
    assert [o.number for o in papers.reprint(["p1", "P000001", "2"])] == ["P000001", "P000002"]
    with pytest.raises(PaperRefused, match="P000003 is scheduled: papers are printed for"):
        papers.reprint(["P000001", "P000003"])
    with pytest.raises(PaperRefused, match="P000009: no such production order"):
        papers.reprint(["P000009"])


def test_a_printer_gets_its_warehouses_pages_and_nothing_for_orders_not_there(
    sessions: sessionmaker[Session], release_id: int
) -> None:
    papers = Papers(sessions)
    [order] = papers.for_printer(["P000001", "P000009"], warehouses=["12"])
    assert [work.warehouse for work in order.works] == ["12"]
    [whole] = papers.for_printer(["P000001"])
    assert sorted(work.warehouse for work in whole.works) == ["11", "12"]
    with pytest.raises(PaperRefused, match="none of P000008, P000009 is a production order"):
        papers.for_printer(["P000008", "P000009"])
    assert [place.number for place in papers.places(["P000009", "P000003"])] == ["P000003"]


def test_a_release_result_message_is_read_with_its_record(
    sessions: sessionmaker[Session], release_id: int
) -> None:
    results = ReleaseResults(sessions)
    key = f"release:{release_id}:summary"
    assert results.message(key) is None
    record = results.record(release_id)
    assert record is not None and record.requester_id == "U1"
    assert [o.number for o in record.refused] == ["P000004"]
    assert results.record(999) is None

    outbox = Outbox(sessions)
    outbox.queue([Outgoing(key, "summary", {"release_id": release_id})])
    waiting = results.with_message(release_id, key)
    assert waiting.record == record
    assert waiting.message is not None and waiting.message.status is OutboxStatus.PENDING
    assert waiting.message.posted is None

    outbox.queue([Outgoing(f"release:{release_id}:print:1", "print_job", {"queue": "q1"})])
    [claimed, job] = outbox.claim()
    outbox.sent(claimed, {"channel": "C1", "ts": "1.0"})
    outbox.give_up(job, "no such queue")
    sent = results.message(key)
    assert sent is not None and sent.posted == {"channel": "C1", "ts": "1.0"}
    [summary, failed] = results.queued_under(f"release:{release_id}:")
    assert (summary.dedupe_key, summary.status) == (key, OutboxStatus.SENT)
    assert (failed.status, failed.last_error, failed.result) == (
        OutboxStatus.FAILED,
        "no such queue",
        None,
    )
    gave_up = results.message(failed.dedupe_key)
    assert gave_up is not None and gave_up.posted is None

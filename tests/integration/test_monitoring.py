"""The operators' gauges (`Monitoring`), read as /metrics reads them, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from domain.outbox import Outbox, Outgoing
from domain.services.monitoring import Monitoring
from domain.statuses import OutboxStatus

T0 = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def test_gauges_count_the_unsent_by_status_and_age_the_oldest_pending(
    sessions: sessionmaker[Session],
) -> None:
    monitoring = Monitoring(sessions)
    empty = monitoring.gauges()
    assert {status: b.count for status, b in empty.backlog.items()} == {
        status: 0 for status in OutboxStatus if status is not OutboxStatus.SENT
    }
    assert empty.slots == {True: 0, False: 0}
    assert empty.oldest_pending_age(T0) == 0

    moments = iter([T0, T0 + timedelta(minutes=1), T0 + timedelta(minutes=2)])
    outbox = Outbox(sessions, clock=lambda: next(moments))
    outbox.queue([Outgoing("a", "notice", {}), Outgoing("b", "notice", {})])
    [first, _] = outbox.claim()
    outbox.give_up(first, "channel_not_found")

    gauges = monitoring.gauges()
    assert gauges.backlog[OutboxStatus.PENDING].count == 1
    assert gauges.backlog[OutboxStatus.FAILED].count == 1
    assert gauges.backlog[OutboxStatus.PARKED].count == 0
    assert gauges.oldest_pending_age(T0 + timedelta(minutes=5)) == 300

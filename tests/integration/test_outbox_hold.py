"""The outbox's hold on both databases: Slack's messages parked and not claimed while Slack
refuses the token, print jobs still claimed; `resume` queues the parked ones again."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from bot.delivery import kinds
from domain.outbox import Outbox, Outgoing, current_hold, unsent
from domain.statuses import OutboxStatus


def test_a_hold_parks_and_stops_slack_messages_and_lets_print_jobs_through(
    sessions: sessionmaker[Session],
) -> None:
    outbox = Outbox(sessions, held_kinds=kinds.SLACK)
    outbox.queue([Outgoing("a", kinds.SUMMARY, {}), Outgoing("b", kinds.PRINT, {})])

    parked = outbox.hold("app_uninstalled")
    outbox.queue([Outgoing("c", kinds.NOTICE, {}), Outgoing("d", kinds.PRINT, {})])

    assert parked == 1
    assert [m.dedupe_key for m in outbox.claim(limit=10)] == ["b", "d"]
    with sessions() as session:
        hold = current_hold(session)
        assert hold is not None and hold.reason == "app_uninstalled"
        waiting = {(m.dedupe_key, m.status, m.last_error) for m in unsent(session)}
    assert {("a", OutboxStatus.PARKED, "app_uninstalled"), ("c", OutboxStatus.PENDING, None)} <= (
        waiting
    )
    assert outbox.claim(limit=10) == []  # c waits: it is for Slack

    assert outbox.resume() == 1
    assert sorted(m.dedupe_key for m in outbox.claim(limit=10)) == ["a", "c"]
    with sessions() as session:
        assert current_hold(session) is None


def test_a_token_error_parks_the_message_and_holds_the_rest(
    sessions: sessionmaker[Session],
) -> None:
    outbox = Outbox(sessions, held_kinds=kinds.SLACK)
    outbox.queue([Outgoing("a", kinds.SUMMARY, {}), Outgoing("b", kinds.PAPER, {})])
    [first] = outbox.claim(limit=1)

    outbox.park(first, "token_revoked", hold=True)

    assert outbox.claim() == []
    with sessions() as session:
        assert [(m.dedupe_key, m.status, m.last_error) for m in unsent(session)] == [
            ("a", OutboxStatus.PARKED, "token_revoked"),
            ("b", OutboxStatus.PARKED, "token_revoked"),
        ]


def test_missing_scope_parks_that_message_only(sessions: sessionmaker[Session]) -> None:
    outbox = Outbox(sessions, held_kinds=kinds.SLACK)
    outbox.queue([Outgoing("a", kinds.PAPER, {}), Outgoing("b", kinds.SUMMARY, {})])
    [first] = outbox.claim(limit=1)

    outbox.park(first, "missing_scope")

    assert [m.dedupe_key for m in outbox.claim()] == ["b"]

"""The digests use case (`Digests`) on both databases: subscriptions made once, listed and
ended by channel; a slot's digest claimed, gathered and queued together or not at all."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from domain.digests.content import Digest
from domain.digests.spec import SpecError, parse_spec
from domain.model import DigestRun, OutboxMessage
from domain.outbox import Outgoing
from domain.services.digests import Digests
from tests.builders import MONDAY, Plant

NOW = MONDAY - timedelta(hours=2)


@pytest.fixture
def digests(sessions: sessionmaker[Session]) -> Digests:
    with sessions.begin() as session:
        plant = Plant(session)
        plant.order([])
        plant.order([])
    return Digests(sessions)


def _counts(sessions: sessionmaker[Session]) -> tuple[int, int]:
    with sessions() as session:
        runs = session.scalar(select(func.count()).select_from(DigestRun))
        queued = session.scalar(select(func.count()).select_from(OutboxMessage))
    return runs or 0, queued or 0


def test_a_channel_subscribes_once_lists_and_ends_its_digests(digests: Digests) -> None:
    daily, created = digests.subscribe("C1", parse_spec("daily 07:00"), "UTC", "U1", NOW)
    again, created_again = digests.subscribe("C1", parse_spec("daily 07:00"), "UTC", "U2", NOW)
    hourly, _ = digests.subscribe(
        "C1", parse_spec("every 2h site 1"), "UTC", "U1", NOW, ("E1", "T1")
    )
    other, _ = digests.subscribe("C2", parse_spec("daily 08:00"), "UTC", "U1", NOW)
    assert (created, created_again, again) == (True, False, daily)
    assert (hourly.enterprise_id, hourly.team_id) == ("E1", "T1")
    with pytest.raises(SpecError, match="there is no site `9`"):
        digests.subscribe("C1", parse_spec("daily 07:00 site 9"), "UTC", "U1", NOW)

    assert digests.active("C1") == [daily, hourly]
    assert digests.active() == [daily, hourly, other]
    assert digests.end("C1", "U3", NOW, [hourly.id, other.id]) == [hourly]
    assert digests.end("C1", "U3", NOW) == [daily]
    assert digests.active() == [other]


def test_a_slot_is_claimed_with_its_message_queued_once(
    sessions: sessionmaker[Session], digests: Digests
) -> None:
    subscription, _ = digests.subscribe("C1", parse_spec("daily 07:00"), "UTC", "U1", NOW)
    seen: list[Digest] = []

    def message(digest: Digest) -> Outgoing:
        seen.append(digest)
        return Outgoing(f"digest:{subscription.id}", "notice", {"total": digest.total})

    digest = digests.post(subscription, NOW, "replica-a", NOW, message)
    assert digest is not None and digest.total == 2 and seen == [digest]
    assert digests.post(subscription, NOW, "replica-b", NOW, message) is None
    assert len(seen) == 1 and _counts(sessions) == (1, 1)
    assert digests.waiting(NOW, timedelta(days=1)).total == 2


def test_a_digest_that_says_nothing_claims_its_slot_and_queues_nothing(
    sessions: sessionmaker[Session], digests: Digests
) -> None:
    subscription, _ = digests.subscribe("C1", parse_spec("daily 07:00"), "UTC", "U1", NOW)
    assert digests.post(subscription, NOW, "replica-a", NOW, lambda _: None) is not None
    with sessions() as session:
        run = session.scalars(select(DigestRun)).one()
    assert (run.posted, run.order_count, run.claimed_by) == (False, 2, "replica-a")
    assert _counts(sessions) == (1, 0)


def test_a_failed_message_leaves_the_slot_unclaimed_and_an_ended_digest_posts_nothing(
    sessions: sessionmaker[Session], digests: Digests
) -> None:
    subscription, _ = digests.subscribe("C1", parse_spec("daily 07:00"), "UTC", "U1", NOW)

    def broken(digest: Digest) -> Outgoing:
        raise ValueError("no message")

    with pytest.raises(ValueError, match="no message"):
        digests.post(subscription, NOW, "replica-a", NOW, broken)
    assert _counts(sessions) == (0, 0)
    digests.end("C1", "U1", NOW)
    assert digests.post(subscription, NOW, "replica-a", NOW, lambda _: None) is None
    assert _counts(sessions) == (0, 0)

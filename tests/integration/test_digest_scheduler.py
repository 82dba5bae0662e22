"""The digest scheduler on a fake clock: local fire times across DST, one post per slot
however many schedulers share the database, jobs following the subscriptions table."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.digests.poster import DigestPoster
from bot.digests.scheduler import DigestScheduler
from domain.db import make_engine, make_session_factory
from domain.digests.spec import parse_spec
from domain.digests.subscriptions import Subscription, end_subscriptions, subscribe
from domain.model import DigestRun, OutboxMessage, ProductionOrder
from domain.services.digests import Digests
from tests.builders import Plant
from tests.concurrently import at_once

BEFORE_DST_END = datetime(2026, 10, 24, 4, 59, tzinfo=UTC)  # 06:59 in Berlin, summer time


def _subscribe(sessions: sessionmaker[Session], spec: str, channel: str = "CFLOOR") -> Subscription:
    with sessions.begin() as session:
        subscription, _ = subscribe(
            session, channel, parse_spec(spec), "Europe/Berlin", "UANN", BEFORE_DST_END
        )
    return subscription


def _waiting_orders(sessions: sessionmaker[Session], start: datetime) -> None:
    with sessions.begin() as session:
        plant = Plant(session)
        plant.order([], operations=1)
        plant.order([], operations=1)
        session.execute(update(ProductionOrder).values(scheduled_start=start))


def _runs(sessions: sessionmaker[Session]) -> list[tuple[datetime, str]]:
    with sessions() as session:
        return list(
            session.execute(
                select(DigestRun.slot_at, DigestRun.claimed_by).order_by(DigestRun.slot_at)
            ).tuples()
        )


def _wait_for_runs(sessions: sessionmaker[Session], count: int) -> list[tuple[datetime, str]]:
    for _ in range(400):  # real time passes while the fake clock stands still
        runs = _runs(sessions)
        if len(runs) >= count:
            return runs
        time.sleep(0.025)
    raise AssertionError(f"{count} digest runs expected, got {_runs(sessions)}")


class Replica:
    """One process's scheduler, with its own engine on the shared database."""

    def __init__(self, url: str, name: str) -> None:
        self.engine = make_engine(url)
        self.sessions = make_session_factory(self.engine)
        digests = Digests(self.sessions)
        self.scheduler = DigestScheduler(digests, DigestPoster(digests, lambda: None, replica=name))

    def wake(self) -> None:
        self.scheduler._scheduler.wakeup()

    def stop(self) -> None:
        self.scheduler.stop()
        self.engine.dispose()


@pytest.fixture
def replicas(engine: Engine, database_url: str) -> Iterator[list[Replica]]:
    started = [Replica(database_url, "replica-a"), Replica(database_url, "replica-b")]
    yield started
    for replica in started:
        replica.stop()


def test_daily_digest_fires_at_local_time_across_a_dst_change(
    sessions: sessionmaker[Session], replicas: list[Replica]
) -> None:
    _waiting_orders(sessions, BEFORE_DST_END + timedelta(hours=3))
    subscription = _subscribe(sessions, "daily 07:00 horizon 60d")
    [replica, _] = replicas
    with time_machine.travel(BEFORE_DST_END, tick=False) as clock:
        replica.scheduler.start()
        [job] = [j for j in replica.scheduler._scheduler.get_jobs() if j.id.startswith("digest:")]
        assert job.next_run_time == datetime(2026, 10, 24, 5, 0, tzinfo=UTC)

        clock.move_to(datetime(2026, 10, 24, 5, 0, tzinfo=UTC))
        replica.wake()
        first = _wait_for_runs(sessions, 1)
        # Sunday: Berlin is back on UTC+1, so 07:00 is 06:00 UTC, not 05:00
        clock.move_to(datetime(2026, 10, 25, 5, 0, tzinfo=UTC))
        replica.wake()
        time.sleep(0.3)
        assert _runs(sessions) == first
        assert replica.scheduler._scheduler.get_job(f"digest:{subscription.id}").next_run_time == (
            datetime(2026, 10, 25, 6, 0, tzinfo=UTC)
        )
        clock.move_to(datetime(2026, 10, 25, 6, 0, tzinfo=UTC))
        replica.wake()
        runs = _wait_for_runs(sessions, 2)

    assert [slot for slot, _ in runs] == [
        datetime(2026, 10, 24, 5, 0, tzinfo=UTC),
        datetime(2026, 10, 25, 6, 0, tzinfo=UTC),
    ]
    with sessions() as session:
        keys = session.scalars(select(OutboxMessage.dedupe_key).order_by(OutboxMessage.id)).all()
    assert keys == [
        f"digest:{subscription.id}:20261024T050000Z",
        f"digest:{subscription.id}:20261025T060000Z",
    ]


def test_two_schedulers_sharing_the_database_post_one_digest_per_slot(
    sessions: sessionmaker[Session], replicas: list[Replica]
) -> None:
    _waiting_orders(sessions, BEFORE_DST_END)
    _subscribe(sessions, "daily 07:00")
    fire_at = datetime(2026, 10, 24, 5, 0, tzinfo=UTC)
    with time_machine.travel(BEFORE_DST_END, tick=False) as clock:
        for replica in replicas:
            replica.scheduler.start()
        clock.move_to(fire_at)
        for replica in replicas:
            replica.wake()
        [(slot, _)] = _wait_for_runs(sessions, 1)
        time.sleep(0.5)  # the other replica has fired too by now

    assert slot == fire_at
    assert len(_runs(sessions)) == 1
    with sessions() as session:
        assert session.scalar(select(func.count(OutboxMessage.id))) == 1


def test_a_slot_claimed_concurrently_is_posted_once(
    sessions: sessionmaker[Session], replicas: list[Replica]
) -> None:
    _waiting_orders(sessions, BEFORE_DST_END)
    subscription = _subscribe(sessions, "daily 07:00")
    slot = datetime(2026, 10, 24, 5, 0, tzinfo=UTC)

    claimed = at_once(2, lambda i: replicas[i].scheduler._poster.post(subscription, slot))

    assert sorted(claimed) == [False, True]
    assert len(_runs(sessions)) == 1


def test_jobs_follow_the_table_also_for_changes_made_by_another_replica(
    sessions: sessionmaker[Session], replicas: list[Replica]
) -> None:
    [here, there] = replicas
    here.scheduler.start()
    assert here.scheduler.job_ids() == set()

    subscription = _subscribe(there.sessions, "every 2h")  # made on the other replica
    here.scheduler.sync()  # what the periodic resync does
    assert here.scheduler.job_ids() == {f"digest:{subscription.id}"}

    with there.sessions.begin() as session:
        end_subscriptions(session, "CFLOOR", "UANN", BEFORE_DST_END)
    here.scheduler.sync()
    assert here.scheduler.job_ids() == set()


def test_nothing_is_posted_when_nothing_waits_unless_all_clear_was_asked(
    sessions: sessionmaker[Session], replicas: list[Replica]
) -> None:
    quiet = _subscribe(sessions, "daily 07:00")
    reassuring = _subscribe(sessions, "daily 07:00 all-clear")
    slot = datetime(2026, 10, 24, 5, 0, tzinfo=UTC)
    poster = replicas[0].scheduler._poster

    assert poster.post(quiet, slot) and poster.post(reassuring, slot)

    with sessions() as session:
        posted = session.execute(
            select(DigestRun.subscription_id, DigestRun.posted).order_by(DigestRun.id)
        ).all()
        [payload] = session.scalars(select(OutboxMessage.payload)).all()
    assert posted == [(quiet.id, False), (reassuring.id, True)]
    assert payload["text"].startswith(":white_check_mark: All clear: no orders wait for release")

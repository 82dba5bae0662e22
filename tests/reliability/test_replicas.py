"""Two `releasebot serve` processes on one PostgreSQL schema, as two replicas behind a load
balancer: many people confirm the same 100 orders at once, each request delivered twice."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from domain.db import make_engine, make_session_factory, upgrade
from domain.model import OutboxMessage, Release
from domain.statuses import OutboxStatus
from tests.concurrently import at_once
from tests.e2e.slack.conftest import CHANNEL, Endpoint
from tests.e2e.slack.payloads import view_submission
from tests.e2e.slack.process import slack_env, start_server
from tests.e2e.slack.standin import SlackStandIn
from tests.e2e.slack.test_guarantees import confirmation_for
from tests.reliability.orders import plant_orders, released_once_or_untouched

ORDERS = 100
PEOPLE = 8  # each confirms all the orders in a modal of their own
DELIVERIES = 4  # each confirmation reaches each replica twice (Slack's retries)


@pytest.mark.postgres
def test_two_replicas_release_each_order_once_and_post_each_result_once(
    postgres_url: str, slack: SlackStandIn, tmp_path: Path
) -> None:
    engine = make_engine(postgres_url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    numbers = plant_orders(sessions, ORDERS)
    env = slack_env(tmp_path, slack, postgres_url)
    replicas = [start_server(env, tmp_path) for _ in range(2)]
    endpoints = [Endpoint(replica.url) for replica in replicas]
    try:
        confirm = confirmation_for(endpoints[0], slack, numbers, papers=[])
        submissions = [view_submission(confirm, view_id=f"VCONF{i}") for i in range(PEOPLE)]

        answers = at_once(
            PEOPLE * DELIVERIES,
            lambda i: endpoints[i % 2].interact(submissions[(i // 2) % PEOPLE]).status_code,
        )

        assert answers == [200] * PEOPLE * DELIVERIES
        slack.wait_for("chat.postMessage", count=PEOPLE, channel=CHANNEL, timeout=90)
        time.sleep(1)  # a second post of any result would come now
    finally:
        outputs = [replica.stop() for replica in replicas]
    assert all("Traceback" not in output for output in outputs), outputs

    assert released_once_or_untouched(sessions) == ORDERS
    with sessions() as session:
        release_ids = session.scalars(select(Release.id)).all()
        outbox = session.execute(select(OutboxMessage.dedupe_key, OutboxMessage.status)).all()
    assert len(release_ids) == PEOPLE  # the repeats were taken as repeats
    assert sorted(outbox) == sorted(
        (f"release:{n}:summary", OutboxStatus.SENT) for n in release_ids
    )
    posted = slack.ok_calls("chat.postMessage", channel=CHANNEL)
    keys = Counter(call.args["metadata"]["event_payload"]["key"] for call in posted)
    assert keys == Counter(key for key, _ in outbox)
    released = sum(int(call.args["text"].split(": ")[1].split()[0]) for call in posted)
    assert released == ORDERS  # the messages tell the orders out between the releases
    engine.dispose()

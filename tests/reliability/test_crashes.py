"""kill -9 of `releasebot serve` in the middle of a big release and in the middle of posting,
and SIGTERM in the middle of a release: after a restart each order is released with its
work or untouched, and every message and paper reaches Slack exactly once (the stand-in
records every call)."""

from __future__ import annotations

import queue
import signal
import time
from collections import Counter
from pathlib import Path

import pytest
import requests
from sqlalchemy import Engine, create_engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.slack.blocks.confirm import CALLBACK_ID, ConfirmedChoice
from domain.model import ReleaseResult
from domain.services.release import BATCH_SIZE
from tests.e2e.slack.conftest import CHANNEL, Endpoint
from tests.e2e.slack.payloads import view_submission
from tests.e2e.slack.process import ServerProcess, slack_env, start_server
from tests.e2e.slack.standin import SlackStandIn
from tests.e2e.slack.test_guarantees import confirmation_for
from tests.reliability.orders import plant_orders, released_once_or_untouched

# short, so that a restart takes over at once what the killed process held
FAST_TAKEOVER = {"OUTBOX_LEASE_SECONDS": "1", "RELEASE_INTERRUPTED_AFTER_SECONDS": "2"}
PAPERS = ["job_card", "picking_list"]


def _results(watcher: Engine) -> int:
    """How many orders the release has done, read without taking SQLite's write lock."""
    with watcher.connect() as connection:
        return connection.execute(select(func.count(ReleaseResult.id))).scalar_one()


def _titles(slack: SlackStandIn) -> Counter[str]:
    return Counter(
        file["title"]
        for call in slack.ok_calls("files.completeUploadExternal")
        for file in call.args["files"]
    )


def test_kill_9_in_the_middle_of_a_200_order_release(
    database_url: str, sessions: sessionmaker[Session], slack: SlackStandIn, tmp_path: Path
) -> None:
    numbers = plant_orders(sessions, 200)
    env = slack_env(tmp_path, slack, database_url, **FAST_TAKEOVER)
    server = start_server(env, tmp_path)
    confirm = confirmation_for(Endpoint(server.url), slack, numbers, papers=["picking_list"])
    watcher = create_engine(database_url)
    Endpoint(server.url).interact(view_submission(confirm))
    deadline = time.monotonic() + 60
    while _results(watcher) < 20:
        assert time.monotonic() < deadline, "the release did not start"
        time.sleep(0.005)
    server.kill()

    done_before_restart = _results(watcher)
    watcher.dispose()
    assert done_before_restart < len(numbers), "the release was over before the kill"
    released = released_once_or_untouched(sessions)
    assert released == done_before_restart  # every order done so far was released whole

    server = start_server(env, tmp_path)
    try:
        [message] = slack.wait_for("chat.postMessage", channel=CHANNEL, timeout=60)
        slack.wait_for("files.completeUploadExternal", timeout=60)
        time.sleep(1.5)  # a lease run out: a second post would come now
    finally:
        server.stop()
    assert message.args["text"] == (
        f"Release R000001 by <@UANN>: {released} orders released, "
        f"{len(numbers) - released} not processed"
    )
    assert len(slack.ok_calls("chat.postMessage", channel=CHANNEL)) == 1
    assert _titles(slack) == {"picking-lists-R000001.pdf": 1}
    assert released_once_or_untouched(sessions) == released  # the restart released nothing


def test_kill_9_after_slack_took_a_post_but_before_the_bot_heard(
    database_url: str, sessions: sessionmaker[Session], slack: SlackStandIn, tmp_path: Path
) -> None:
    numbers = plant_orders(sessions, 5)
    env = slack_env(tmp_path, slack, database_url, **FAST_TAKEOVER)
    servers: list[ServerProcess] = [start_server(env, tmp_path)]
    confirm = confirmation_for(Endpoint(servers[-1].url), slack, numbers, papers=PAPERS)

    # Slack has the result message, the bot dies before it hears so
    slack.after_call("chat.postMessage", lambda _: servers[-1].kill())
    Endpoint(servers[-1].url).interact(view_submission(confirm))
    slack.wait_for("chat.postMessage", channel=CHANNEL, timeout=60)
    servers[-1].process.wait(30)

    # the restart finds it posted; then Slack has the first paper, the bot dies again
    # the upload may come before start_server returns: the callback waits for the server
    restarted: queue.Queue[ServerProcess] = queue.Queue()
    slack.after_call("files.completeUploadExternal", lambda _: restarted.get(timeout=60).kill())
    servers.append(start_server(env, tmp_path))
    restarted.put(servers[-1])
    slack.wait_for("files.completeUploadExternal", timeout=60)
    servers[-1].process.wait(30)

    servers.append(start_server(env, tmp_path))
    try:
        deadline = time.monotonic() + 60
        while len(_titles(slack)) < len(PAPERS):
            assert time.monotonic() < deadline, f"papers posted: {_titles(slack)}"
            time.sleep(0.05)
        time.sleep(1.5)  # a lease run out: a second post would come now
    finally:
        servers[-1].stop()

    assert [p.returncode for p in (s.process for s in servers[:2])] == [-9, -9]
    assert len(slack.ok_calls("chat.postMessage", channel=CHANNEL)) == 1
    assert _titles(slack) == {"job-cards-R000001.pdf": 1, "picking-lists-R000001.pdf": 1}
    assert slack.ok_calls("conversations.history") and slack.ok_calls("conversations.replies")
    assert released_once_or_untouched(sessions) == len(numbers)


def test_sigterm_in_the_middle_of_a_release_finishes_its_batch_and_posts_once(
    database_url: str, sessions: sessionmaker[Session], slack: SlackStandIn, tmp_path: Path
) -> None:
    """SIGTERM, as an orchestrator stops a replica: the listener closes, the batch under way
    commits, the orders after it are recorded as not processed, and the result is posted
    once (by the stopping process or its restart)."""
    numbers = plant_orders(sessions, 1_000)  # 10 batches: SIGTERM comes while they run
    env = slack_env(tmp_path, slack, database_url, **FAST_TAKEOVER)
    server = start_server(env, tmp_path)
    choice = ConfirmedChoice(numbers, [], CHANNEL)
    view = {"callback_id": CALLBACK_ID, "private_metadata": choice.to_metadata(), "blocks": []}
    watcher = create_engine(database_url)
    assert Endpoint(server.url).interact(view_submission(view)).status_code == 200
    deadline = time.monotonic() + 60
    while _results(watcher) < 1:
        assert time.monotonic() < deadline, "the release did not start"
        time.sleep(0.005)
    server.process.send_signal(signal.SIGTERM)
    time.sleep(0.3)  # uvicorn's tick
    with pytest.raises(requests.ConnectionError):  # no new request is taken
        requests.get(f"{server.url}/healthz", timeout=5)
    server.process.wait(60)
    watcher.dispose()

    released = released_once_or_untouched(sessions)
    assert 0 < released < len(numbers) and released % BATCH_SIZE == 0, released
    server = start_server(env, tmp_path)
    try:
        [message] = slack.wait_for("chat.postMessage", channel=CHANNEL, timeout=60)
        time.sleep(1.5)  # a lease run out: a second post would come now
    finally:
        server.stop()
    refused = len(numbers) - released
    assert message.args["text"] == (
        f"Release R000001 by <@UANN>: {released:,} orders released, {refused:,} refused"
    )
    assert "was not processed: releasebot was stopped during the release" in str(
        message.args["blocks"]
    )
    assert len(slack.ok_calls("chat.postMessage", channel=CHANNEL)) == 1
    assert released_once_or_untouched(sessions) == released  # the restart released nothing
    assert "Traceback" not in server.output()

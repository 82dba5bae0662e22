"""The app uninstalled or its token revoked, over signed HTTP and the real CLI: sending stops
at once, queued messages are parked with their error (not retried for ever, not dropped),
`releasebot outbox` lists them and `releasebot outbox retry` sends them after a reinstall."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select

from domain.model import OutboxHold, OutboxMessage
from domain.statuses import OrderStatus, OutboxStatus
from tests.e2e.slack.conftest import CHANNEL, Bot
from tests.e2e.slack.payloads import view_submission
from tests.e2e.slack.standin import SlackStandIn
from tests.e2e.slack.test_guarantees import confirmation_for, first_post_tried
from tests.e2e.slack.test_release_flow import plant, status_of

RELEASEBOT = str(Path(sys.executable).with_name("releasebot"))


def releasebot(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "RELEASEBOT_CONFIG"}
    result = subprocess.run(
        [RELEASEBOT, *args],
        env=env | {"DATABASE_URL": database_url, "COLUMNS": "250"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return result


def outbox_rows(bot: Bot) -> list[tuple[str, OutboxStatus, str | None]]:
    with bot.sessions() as session:
        return [
            tuple(row)
            for row in session.execute(
                select(OutboxMessage.kind, OutboxMessage.status, OutboxMessage.last_error).order_by(
                    OutboxMessage.id
                )
            )
        ]


def parked_for(bot: Bot, reason: str) -> None:
    """Wait until the event's listener (it runs after the ack) has parked the queue."""
    deadline = time.monotonic() + 20
    while outbox_rows(bot) != [("release_summary", OutboxStatus.PARKED, reason)]:
        assert time.monotonic() < deadline, outbox_rows(bot)
        time.sleep(0.05)


def settled(bot: Bot) -> None:
    """Wait until no dispatcher holds a message (a send under way has ended)."""
    deadline = time.monotonic() + 20
    while True:
        with bot.sessions() as session:
            if (
                session.scalar(
                    select(OutboxMessage.id).where(OutboxMessage.lease_until.is_not(None))
                )
                is None
            ):
                return
        assert time.monotonic() < deadline, "a send did not end"
        time.sleep(0.05)


def event(bot: Bot, kind: str, **fields: object) -> None:
    answer = bot.event({"type": kind, **fields}, event_id=f"Ev{kind}")
    assert answer.status_code == 200


def test_app_uninstalled_stops_every_call_and_parks_the_queue_until_retry(
    bot: Bot, slack: SlackStandIn, database_url: str
) -> None:
    plant(bot)
    confirm = confirmation_for(bot, slack, ["P000001"])
    slack.fail("chat.postMessage", 500, times=10_000)  # the result waits in the outbox
    bot.interact(view_submission(confirm))
    first_post_tried(slack)

    event(bot, "app_uninstalled")
    parked_for(bot, "app_uninstalled")
    settled(bot)  # the send under way when the event came (and its client's retries) is over
    calls = len(slack.calls)
    time.sleep(2.5)  # the backoff here is 0.2 s to 1 s: it would have tried twice more

    assert len(slack.calls) == calls, [c.method for c in slack.calls[calls:]]
    assert outbox_rows(bot) == [("release_summary", OutboxStatus.PARKED, "app_uninstalled")]
    assert status_of(bot, "P000001") is OrderStatus.RELEASED  # the release itself stands
    listed = releasebot(database_url, "outbox").stdout
    assert "Sending is stopped since" in listed and "(app_uninstalled)" in listed
    assert "release_summary" in listed and "parked" in listed and "release:1:summary" in listed

    slack.fail("chat.postMessage", 500, times=0)  # reinstalled
    assert "1 parked message queued again" in releasebot(database_url, "outbox", "retry").stdout

    [posted] = slack.wait_for("chat.postMessage", channel=CHANNEL, timeout=30)
    assert posted.args["text"].startswith("Release R000001")
    slack.wait_for("files.completeUploadExternal", timeout=60)
    deadline = time.monotonic() + 20  # Slack has the paper; the dispatcher notes it next
    while {status for _, status, _ in outbox_rows(bot)} != {OutboxStatus.SENT}:
        assert time.monotonic() < deadline, outbox_rows(bot)
        time.sleep(0.05)
    with bot.sessions() as session:
        assert session.scalar(select(OutboxHold.id)) is None


def test_token_revoked_from_chat_post_message_parks_it_and_stops_sending(
    bot: Bot, slack: SlackStandIn, database_url: str
) -> None:
    plant(bot)
    first = confirmation_for(bot, slack, ["P000001"])
    second = confirmation_for(bot, slack, ["P000002"])
    slack.fail("chat.postMessage", 200, times=1, error="token_revoked")

    bot.interact(view_submission(first))
    parked_for(bot, "token_revoked")
    bot.interact(view_submission(second, view_id="VMODAL2"))  # queued while sending is held
    deadline = time.monotonic() + 20
    while len(outbox_rows(bot)) < 2:  # the worker queues it after the ack
        assert time.monotonic() < deadline, outbox_rows(bot)
        time.sleep(0.05)
    time.sleep(1)  # a dispatcher not held would have posted it by now

    assert [c.status for c in slack.calls if c.method == "chat.postMessage"] == [200]  # refused
    assert not slack.ok_calls("chat.postMessage")
    listing = json.loads(releasebot(database_url, "outbox", "--json").stdout)
    assert listing["held"]["reason"] == "token_revoked"
    assert [(m["status"], m["last_error"]) for m in listing["messages"]] == [
        ("parked", "token_revoked"),
        ("pending", None),
    ]

    releasebot(database_url, "outbox", "retry")

    posted = slack.wait_for("chat.postMessage", count=2, channel=CHANNEL, timeout=30)
    assert sorted(c.args["text"].split(" by ")[0] for c in posted) == [
        "Release R000001",
        "Release R000002",
    ]


def test_tokens_revoked_for_the_bot_parks_what_waits(bot: Bot, slack: SlackStandIn) -> None:
    plant(bot)
    confirm = confirmation_for(bot, slack, ["P000001"])
    event(bot, "tokens_revoked", tokens={"oauth": ["UANN"]})  # a user token: not ours
    slack.fail("chat.postMessage", 500, times=10_000)
    bot.interact(view_submission(confirm))
    first_post_tried(slack)

    time.sleep(0.3)
    assert outbox_rows(bot)[0][1] is OutboxStatus.PENDING  # a user's token changed nothing

    event(bot, "tokens_revoked", tokens={"bot": ["UBOT"]})

    parked_for(bot, "tokens_revoked")

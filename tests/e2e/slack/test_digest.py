"""`/release digest …` over signed HTTP, and a digest posted through the outbox whose
buttons open the release modal."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, update

from bot.digests.poster import DigestPoster
from domain.db import make_engine, make_session_factory, upgrade
from domain.digests.spec import parse_spec
from domain.digests.subscriptions import active_subscriptions, subscribe
from domain.model import DigestSubscription, OutboxMessage, ProductionOrder
from domain.statuses import OutboxStatus
from tests.blocks import release_buttons
from tests.builders import MONDAY, Plant
from tests.e2e.slack.conftest import CHANNEL, GROUP_MEMBER, Bot
from tests.e2e.slack.payloads import button
from tests.e2e.slack.standin import SlackStandIn
from tests.e2e.slack.test_release_flow import plant
from tests.e2e.test_cli import Cli


def _wait_until_sent(bot: Bot) -> None:
    for _ in range(400):
        with bot.sessions() as session:
            if session.scalar(select(OutboxMessage.status)) == "sent":
                return
        time.sleep(0.05)
    raise AssertionError("the digest was not sent")


def _subscriptions(bot: Bot) -> int:
    with bot.sessions() as session:
        return session.scalar(select(func.count(DigestSubscription.id))) or 0


def test_subscribe_list_and_end_a_channels_digests(bot: Bot) -> None:
    plant(bot)
    subscribed = bot.command("digest daily 07:00 site 1").json()

    assert subscribed["response_type"] == "ephemeral"
    assert subscribed["text"].startswith(
        f"Subscribed <#{CHANNEL}>: number 1, daily 07:00 Europe/Berlin, within 1d, site 1 "
        "(by <@UANN>). The first comes "
    )
    assert bot.services.scheduler.job_ids() == {"digest:1"}
    # no time zone given: the person's own, as Slack's users.info has it
    bot.command("digest weekdays 06:30 horizon 2d", user=GROUP_MEMBER)
    again = bot.command("digest daily 7:00 site 1").json()
    assert again["text"].startswith(f"<#{CHANNEL}> has that digest already: number 1")

    listing = bot.command("digest").json()["text"]

    assert listing.startswith(f"Digests of <#{CHANNEL}>:\n• number 1, daily 07:00 Europe/Berlin")
    assert "• number 2, weekdays 06:30 America/Los_Angeles, within 2d (by <@UBOB>)" in listing
    assert bot.services.scheduler.job_ids() == {"digest:1", "digest:2"}

    ended = bot.command("digest off 2").json()["text"]
    assert ended.startswith(f"Ended in <#{CHANNEL}>:\n• number 2, weekdays 06:30")
    assert bot.services.scheduler.job_ids() == {"digest:1"}
    assert (
        bot.command("digest off").json()["text"].startswith(f"Ended in <#{CHANNEL}>:\n• number 1")
    )
    assert bot.services.scheduler.job_ids() == set()
    assert bot.command("digest").json()["text"].startswith(f"<#{CHANNEL}> has no digests.")


def test_a_bad_spec_is_answered_with_examples_and_saves_nothing(bot: Bot) -> None:
    plant(bot)
    for spec, error in [
        ("daily 7pm", "`daily` needs a time such as 07:00"),
        ("every 2h tz Moon/Base", "`Moon/Base` is not a time zone"),
        ("daily 07:00 site 9", "there is no site `9`"),
        ("0 7 * * 8", "`0 7 * * 8` is not a cron expression"),
    ]:
        answer = bot.command(f"digest {spec}").json()

        assert answer["response_type"] == "ephemeral"
        assert answer["text"].startswith(f"I could not read that digest: {error}"), answer
        assert "Nothing was saved." in answer["text"]
        assert "`/release digest weekdays 06:30 tz Europe/Berlin`" in answer["text"]
    assert _subscriptions(bot) == 0
    assert bot.command("digest off soon").json()["text"].startswith("`off` takes digest numbers")


def test_the_digest_is_posted_once_per_slot_and_its_buttons_open_the_modal(
    bot: Bot, slack: SlackStandIn
) -> None:
    now = datetime.now(UTC)
    with bot.sessions.begin() as session:
        plant = Plant(session)
        for _ in range(23):
            plant.order([], operations=1)
        session.execute(update(ProductionOrder).values(scheduled_start=now))
    bot.command("digest every 2h horizon 2d site 1")
    with bot.sessions() as session:
        [subscription] = active_subscriptions(session, CHANNEL)
    poster = DigestPoster(
        bot.services.runtime.digests, bot.services.dispatcher.wake, replica="test"
    )
    slot = now.replace(minute=0, second=0, microsecond=0)

    assert poster.post(subscription, slot)
    assert not poster.post(subscription, slot)  # the slot is taken: no second post

    [posted] = slack.wait_for("chat.postMessage", channel=CHANNEL)
    assert posted.args["text"] == "23 orders waiting for release at site 1"
    buttons = [*release_buttons(posted.args["blocks"]), posted.args["blocks"][-1]["accessory"]]
    assert [b["value"] for b in buttons[:20]] == [f"P{n:06d}" for n in range(1, 21)]
    assert [b["accessibility_label"] for b in buttons[:2]] == [
        "Release P000001…",
        "Release P000002…",
    ]
    assert "…and 3 more." in posted.args["blocks"][-1]["text"]["text"]

    bot.interact(button(buttons[4]["action_id"], buttons[4]["value"]))
    [one] = slack.wait_for("views.open")
    orders = next(b for b in one.args["view"]["blocks"] if b["block_id"] == "orders")
    assert [o["value"] for o in orders["element"]["initial_options"]] == ["P000005"]

    bot.interact(button(buttons[-1]["action_id"], buttons[-1]["value"]))
    filtered = slack.wait_for("views.open", count=2)[-1].args["view"]["blocks"]
    site = next(b for b in filtered if b["block_id"] == "site")["element"]["initial_option"]
    start_to = next(b for b in filtered if b["block_id"] == "start_to")["element"]
    assert site["value"] == "1"
    assert start_to["initial_date"] == (now + timedelta(days=2)).date().isoformat()
    assert len(slack.ok_calls("chat.postMessage", channel=CHANNEL)) == 1


def test_the_command_line_posts_a_channels_digest_through_the_outbox(
    tmp_path: Path, slack: SlackStandIn
) -> None:
    cli = Cli(tmp_path, tmp_path / "plant.db")
    engine = make_engine(cli.url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        Plant(session).order([], operations=1)
        subscribe(session, CHANNEL, parse_spec("daily 07:00 horizon 60d"), "UTC", "UANN", MONDAY)
    slack_env = {"SLACK_API_URL": slack.api_url, "SLACK_BOT_TOKEN": "xoxb-test"}

    result = cli("digest", "--channel", CHANNEL, "--post", **slack_env)

    assert result.returncode == 0, result.stderr
    assert "1 orders waiting for release" in result.stdout
    assert f"posted in {CHANNEL}: 1 order waiting for release" in result.stdout
    [posted] = slack.ok_calls("chat.postMessage", channel=CHANNEL)
    assert [b["value"] for b in release_buttons(posted.args["blocks"])] == ["P000001"]

    slack.fail("chat.postMessage", 500, times=20)
    time.sleep(1)  # another second: another message
    later = cli("digest", "--channel", CHANNEL, "--post", **slack_env)

    assert later.returncode == 0
    assert "Slack did not take the digest now; it waits in the outbox" in later.stderr
    with sessions() as session:
        assert (
            session.scalar(
                select(func.count(OutboxMessage.id)).where(OutboxMessage.status == "pending")
            )
            == 1
        )
    engine.dispose()


def test_a_digest_slack_took_before_its_sender_died_is_not_posted_again(
    bot: Bot, slack: SlackStandIn
) -> None:
    plant(bot)
    bot.command("digest daily 07:00 horizon 60d")
    with bot.sessions() as session:
        [subscription] = active_subscriptions(session, CHANNEL)
    now = datetime.now(UTC)
    DigestPoster(bot.services.runtime.digests, bot.services.dispatcher.wake).post(subscription, now)
    [posted] = slack.wait_for("chat.postMessage", channel=CHANNEL)
    _wait_until_sent(bot)
    with bot.sessions.begin() as session:  # as if the sender died before it noted the post
        row = session.scalars(select(OutboxMessage)).one()
        row.status, row.result, row.next_attempt_at = OutboxStatus.PENDING, None, now

    bot.services.dispatcher.wake()
    _wait_until_sent(bot)

    assert len(slack.ok_calls("chat.postMessage", channel=CHANNEL)) == 1
    assert slack.ok_calls("conversations.history", channel=CHANNEL)
    with bot.sessions() as session:
        result = session.scalars(select(OutboxMessage.result)).one()
    assert result is not None and result["ts"] == posted.response["ts"]

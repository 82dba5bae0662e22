"""What must hold whatever Slack or a person does: signatures, repeats, rights, outages."""

from __future__ import annotations

import time
from collections.abc import Sequence

from sqlalchemy import func, select, update

from domain.model import OutboxMessage, ProductionOrder, Release, ReleaseResult
from domain.statuses import OrderStatus, OutboxStatus
from tests.concurrently import at_once
from tests.e2e.slack.conftest import (
    CHANNEL,
    GROUP_MEMBER,
    OUTSIDER,
    PLANNER,
    Bot,
    Endpoint,
    serve,
    signed_headers,
)
from tests.e2e.slack.payloads import view_submission
from tests.e2e.slack.standin import SlackStandIn
from tests.e2e.slack.test_release_flow import open_modal, plant, review, status_of


def confirmation_for(
    bot: Endpoint,
    slack: SlackStandIn,
    orders: list[str],
    user: str = PLANNER,
    papers: Sequence[str] = ("picking_list",),
):
    modal = open_modal(bot, slack, " ".join(orders))
    confirmation = review(bot, modal, orders, list(papers), user=user).json()
    assert confirmation["response_action"] == "update", confirmation
    return confirmation["view"]


def first_post_tried(slack: SlackStandIn) -> None:
    """Wait until the dispatcher has tried to post (Slack failing, the message waits)."""
    deadline = time.monotonic() + 20
    while not any(c.method == "chat.postMessage" for c in slack.calls):
        assert time.monotonic() < deadline
        time.sleep(0.05)


def releases(bot: Bot) -> int:
    with bot.sessions() as session:
        return session.scalars(select(func.count(Release.id))).one()


def test_forged_and_stale_signatures_get_401_and_change_nothing(
    bot: Bot, slack: SlackStandIn
) -> None:
    plant(bot)
    confirm = confirmation_for(bot, slack, ["P000001"])
    calls_before = len(slack.calls)
    body = "payload=" + __import__("urllib.parse").parse.quote(
        __import__("json").dumps(view_submission(confirm))
    )

    forged = bot.post(body, signed_headers(body, secret="not-the-signing-secret"))
    stale = bot.post(body, signed_headers(body, at=int(time.time()) - 10 * 60))
    unsigned = bot.post(body, {"Content-Type": "application/x-www-form-urlencoded"})
    tampered = bot.post(body.replace("P000001", "P000003"), signed_headers(body))

    assert [r.status_code for r in (forged, stale, unsigned, tampered)] == [401] * 4
    time.sleep(0.3)  # give a wrongly accepted request the time to do harm
    assert releases(bot) == 0
    assert status_of(bot, "P000001") is OrderStatus.SCHEDULED
    assert len(slack.calls) == calls_before


def test_job_card_for_an_operation_scheduled_order_is_a_field_error(
    bot: Bot, slack: SlackStandIn
) -> None:
    plant(bot)
    modal = open_modal(bot, slack)

    answer = review(bot, modal, ["P000001", "P000002"], ["job_card", "picking_list"]).json()

    assert answer == {
        "response_action": "errors",
        "errors": {
            "papers": "P000002 is scheduled at operation level: Job card needs job "
            "scheduling; choose Route card instead"
        },
    }
    assert releases(bot) == 0


def test_a_redelivered_or_double_clicked_confirmation_releases_once(
    bot: Bot, slack: SlackStandIn
) -> None:
    plant(bot)
    confirm = confirmation_for(bot, slack, ["P000001"])
    payload = view_submission(confirm, view_id="VCONFIRM")

    first = bot.interact(payload)
    retried = bot.interact(payload, **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "timeout"})
    clicks = at_once(3, lambda _: bot.interact(payload).status_code)

    assert first.status_code == retried.status_code == 200 and clicks == [200] * 3
    slack.wait_for("chat.postMessage", channel=CHANNEL)
    slack.wait_for("files.completeUploadExternal")
    time.sleep(0.5)  # the repeats have had their chance to post again
    assert len(slack.ok_calls("chat.postMessage", channel=CHANNEL)) == 1
    assert len(slack.ok_calls("files.completeUploadExternal")) == 1
    assert releases(bot) == 1
    with bot.sessions() as session:
        assert session.scalar(select(func.count(ReleaseResult.id))) == 1


def test_a_person_without_rights_may_look_but_not_release(bot: Bot, slack: SlackStandIn) -> None:
    plant(bot)
    modal = open_modal(bot, slack, "P000001")

    answer = review(bot, modal, ["P000001"], [], user=OUTSIDER).json()
    assert answer["response_action"] == "errors"
    assert answer["errors"]["orders"].startswith("You may look at orders but not release them")

    # a confirmation sent anyway (forged, or made before the rights were taken away)
    planner_confirm = confirmation_for(bot, slack, ["P000001"])
    bot.interact(view_submission(planner_confirm, user=OUTSIDER, view_id="VEVE"))

    [message] = slack.wait_for("chat.postMessage", channel=CHANNEL)
    assert message.args["text"] == f"Release R000001 by <@{OUTSIDER}>: 0 orders released, 1 refused"
    assert "P000001 belongs to site 1 and you may not release orders; ask an administrator" in str(
        message.args["blocks"]
    )
    assert status_of(bot, "P000001") is OrderStatus.SCHEDULED


def test_rights_through_a_user_group_cover_its_sites_only(bot: Bot, slack: SlackStandIn) -> None:
    plant(bot)
    confirm = confirmation_for(bot, slack, ["P000001", "P000003"], user=GROUP_MEMBER)
    text = str(confirm["blocks"])
    assert "P000001 belongs to site 1 and you may release for site 2 only" in text

    bot.interact(view_submission(confirm, user=GROUP_MEMBER))

    slack.wait_for("chat.postMessage", channel=CHANNEL)
    assert status_of(bot, "P000003") is OrderStatus.RELEASED
    assert status_of(bot, "P000001") is OrderStatus.SCHEDULED
    assert slack.ok_calls("usergroups.users.list", usergroup="SPLANNERS")


def test_slack_down_then_slow_two_replicas_post_every_message_once(
    database_url: str, engine, slack: SlackStandIn
) -> None:
    """Each replica's dispatcher sees every row; the leases (shorter here than Slack's slow
    answer, renewed while it lasts) keep either from taking over what the other is sending."""
    replicas = [serve(database_url, slack, outbox_lease_seconds=1.5) for _ in range(2)]
    (first, _), (second, _) = replicas
    try:
        plant(first)
        confirms = [
            confirmation_for(first, slack, ["P000001"]),
            confirmation_for(second, slack, ["P000002"]),
            confirmation_for(first, slack, ["P000003"], user=GROUP_MEMBER),
        ]
        slack.fail("chat.postMessage", 429, times=4)
        slack.fail("files.getUploadURLExternal", 500, times=4)
        slack.after_call("files.completeUploadExternal", lambda _: time.sleep(3.5))  # > the lease

        for index, (confirm, user) in enumerate(
            zip(confirms, [PLANNER, PLANNER, GROUP_MEMBER], strict=True)
        ):
            replica = replicas[index % 2][0]
            replica.interact(view_submission(confirm, user=user, view_id=f"VCONFIRM{index}"))

        slack.wait_for("chat.postMessage", count=3, channel=CHANNEL, timeout=60)
        slack.wait_for("files.completeUploadExternal", count=3, timeout=60)
        time.sleep(2)  # the leases have run out again: a double post would be here now
    finally:
        for bot, served in replicas:
            served.stop()
            bot.services.runtime.engine.dispose()
    failed = [(c.method, c.status) for c in slack.calls if c.status != 200]
    assert (
        sorted(failed)
        == [("chat.postMessage", 429)] * 4 + [("files.getUploadURLExternal", 500)] * 4
    )
    posted = slack.ok_calls("chat.postMessage", channel=CHANNEL)
    assert sorted(c.args["metadata"]["event_payload"]["key"] for c in posted) == [
        f"release:{n}:summary" for n in (1, 2, 3)
    ]
    uploaded = [c.args["files"][0]["title"] for c in slack.ok_calls("files.completeUploadExternal")]
    assert sorted(uploaded) == [f"picking-lists-R00000{n}.pdf" for n in (1, 2, 3)]
    assert {status_of(first, n) for n in ("P000001", "P000002", "P000003")} == {
        OrderStatus.RELEASED
    }


def test_a_restart_during_an_outage_loses_nothing(
    database_url: str, engine, slack: SlackStandIn
) -> None:
    first, served = serve(database_url, slack)
    plant(first)
    confirm = confirmation_for(first, slack, ["P000001"])
    slack.fail("chat.postMessage", 500, times=10_000)
    first.interact(view_submission(confirm))
    first_post_tried(slack)
    served.stop()
    first.services.runtime.engine.dispose()
    with engine.connect() as connection:
        [(status, attempts)] = connection.execute(
            select(OutboxMessage.status, OutboxMessage.attempts)
        ).all()
    assert status == OutboxStatus.PENDING and attempts >= 1

    slack.fail("chat.postMessage", 500, times=0)  # Slack is back
    second, served = serve(database_url, slack)
    try:
        slack.wait_for("chat.postMessage", channel=CHANNEL, timeout=30)
        slack.wait_for("files.completeUploadExternal", timeout=30)
        time.sleep(0.3)
        assert len(slack.ok_calls("chat.postMessage", channel=CHANNEL)) == 1
    finally:
        served.stop()
        second.services.runtime.engine.dispose()


def test_a_channel_the_bot_may_not_post_in_is_told_to_the_person_once(
    bot: Bot, slack: SlackStandIn
) -> None:
    plant(bot)
    confirm = confirmation_for(bot, slack, ["P000001"])
    slack.fail("chat.postMessage", 200, times=1, error="not_in_channel")

    bot.interact(view_submission(confirm))

    [notice] = slack.wait_for("chat.postMessage", channel=PLANNER)
    assert notice.args["text"].startswith(
        "I could not post the result of your release in <#CFLOOR> (Slack said `not_in_channel`)"
    )
    time.sleep(0.5)
    assert [c.status for c in slack.calls if c.method == "chat.postMessage"] == [200, 200]
    assert not slack.ok_calls("chat.postMessage", channel=CHANNEL)
    assert status_of(bot, "P000001") is OrderStatus.RELEASED
    with bot.sessions() as session:
        assert session.scalars(select(OutboxMessage.status).order_by(OutboxMessage.id)).all() == [
            OutboxStatus.FAILED,
            OutboxStatus.SENT,
        ]


def test_a_confirmation_with_nothing_releasable_releases_and_posts_nothing(
    bot: Bot, slack: SlackStandIn
) -> None:
    plant(bot)
    with bot.sessions.begin() as session:
        session.execute(update(ProductionOrder).values(status=OrderStatus.CREATED))
    confirm = confirmation_for(bot, slack, ["P000001"])
    assert "submit" not in confirm and "None of these orders can be released now." in str(
        confirm["blocks"]
    )

    answer = bot.interact(view_submission(confirm))  # crafted: the view has no submit button

    assert answer.json() == {"response_action": "clear"}
    time.sleep(0.3)
    assert releases(bot) == 0 and not slack.ok_calls("chat.postMessage")

"""Chat with the bot over real HTTP: a DM or a mention -> what it understood -> Confirm /
Edit / Cancel -> the same release path as the modal (worker, outbox, papers)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update

from domain.clock import utc_now
from domain.model import DigestSubscription, ProductionOrder, Release, WarehouseWork
from domain.services.release import ReleaseRequest, ReleaseService
from domain.statuses import OrderStatus
from tests.blocks import table_rows
from tests.builders import Plant
from tests.concurrently import at_once
from tests.e2e.slack.conftest import CHANNEL, OUTSIDER, PLANNER, Bot
from tests.e2e.slack.payloads import button, mention_event, message_event
from tests.e2e.slack.standin import Call, SlackStandIn
from tests.e2e.slack.test_guarantees import releases
from tests.e2e.slack.test_release_flow import open_modal, plant, review, status_of

DM = "DPLANNER"


def ask(bot: Bot, slack: SlackStandIn, event: dict[str, Any]) -> Call:
    """Send the event; the bot's answer in that conversation."""
    answered = len(slack.ok_calls("chat.postMessage", channel=event["channel"]))
    assert bot.event(event).status_code == 200
    return slack.wait_for("chat.postMessage", count=answered + 1, channel=event["channel"])[-1]


def buttons(answer: Call) -> dict[str, dict[str, Any]]:
    return {
        element["action_id"]: element
        for block in answer.args.get("blocks", [])
        if block["type"] == "actions"
        for element in block["elements"]
    }


def click(bot: Bot, answer: Call, action_id: str, user: str = PLANNER, value: str | None = None):
    message = {
        "ts": answer.response["ts"],
        "text": answer.args["text"],
        "blocks": answer.args["blocks"],
    }
    if value is None:  # the button's own value; else a crafted one
        value = buttons(answer)[action_id]["value"]
    payload = button(action_id, value, user, answer.args["channel"], message=message)
    return bot.interact(payload)


def test_a_chat_release_is_asked_confirmed_and_released_once(bot: Bot, slack: SlackStandIn) -> None:
    plant(bot)

    answer = ask(bot, slack, message_event("release 1 with picking list please"))

    assert answer.args["text"] == "Release P000001 with Picking list?"
    assert "picking work in warehouse 11: 2 lines" in str(answer.args["blocks"])
    assert list(buttons(answer)) == ["chat_confirm", "chat_edit", "chat_cancel"]
    assert releases(bot) == 0 and status_of(bot, "P000001") is OrderStatus.SCHEDULED

    clicks = at_once(3, lambda _: click(bot, answer, "chat_confirm").status_code)  # double click

    assert clicks == [200] * 3
    [result] = slack.wait_for("chat.postMessage", channel=DM, count=2)[1:]
    with bot.sessions() as session:  # PostgreSQL's sequence may skip the losing clicks' ids
        [release] = session.scalars(select(Release))
    assert result.args["text"] == f"Release {release.number} by <@{PLANNER}>: 1 order released"
    [paper] = slack.wait_for("files.completeUploadExternal")
    assert paper.args["thread_ts"] == result.response["ts"]
    time.sleep(0.5)  # the other clicks have had their chance
    assert len(slack.ok_calls("chat.postMessage", channel=DM)) == 2
    assert len(slack.ok_calls("files.completeUploadExternal")) == 1
    assert releases(bot) == 1 and status_of(bot, "P000001") is OrderStatus.RELEASED
    with bot.sessions() as session:
        assert session.scalar(select(func.count(WarehouseWork.id))) == 1
    updated = slack.ok_calls("chat.update", channel=DM, ts=answer.response["ts"])
    assert updated and "Confirmed by <@UANN>: releasing" in updated[0].args["text"]
    assert "actions" not in str(updated[0].args["blocks"])


def test_a_crafted_button_value_is_told_and_changes_nothing(bot: Bot, slack: SlackStandIn) -> None:
    plant(bot)
    answer = ask(bot, slack, message_event("release 1"))

    click(bot, answer, "chat_confirm", value="{not json")
    click(bot, answer, "chat_pick_order", value='{"release": 5}')

    told = slack.wait_for("chat.postEphemeral", count=2, user=PLANNER)
    assert {call.args["text"] for call in told} == {"That button no longer works: ask me again."}
    time.sleep(0.3)
    assert releases(bot) == 0 and not slack.ok_calls("chat.update")


def test_cancel_changes_nothing(bot: Bot, slack: SlackStandIn) -> None:
    plant(bot)
    answer = ask(bot, slack, message_event("release P000001 and 2 with route card"))
    assert answer.args["text"] == "Release P000001 and P000002 with Route card?"

    click(bot, answer, "chat_cancel")

    [update] = slack.wait_for("chat.update", ts=answer.response["ts"])
    assert "Cancelled by <@UANN>: nothing was released." in update.args["text"]
    time.sleep(0.3)
    assert releases(bot) == 0
    assert status_of(bot, "P000001") is status_of(bot, "P000002") is OrderStatus.SCHEDULED


def test_someone_without_rights_is_told_and_a_crafted_confirm_is_refused(
    bot: Bot, slack: SlackStandIn
) -> None:
    plant(bot)
    refused = ask(bot, slack, message_event("release 1", user=OUTSIDER, channel="DEVE"))
    assert refused.args["text"].startswith("You may look at orders but not release them")
    assert not buttons(refused)

    planners = ask(bot, slack, mention_event("release 1"))
    click(bot, planners, "chat_confirm", user=OUTSIDER)

    [result] = slack.wait_for("chat.postMessage", channel=CHANNEL, count=2)[1:]
    assert result.args["text"] == f"Release R000001 by <@{OUTSIDER}>: 0 orders released, 1 refused"
    assert status_of(bot, "P000001") is OrderStatus.SCHEDULED


def test_a_paper_that_does_not_fit_keeps_that_order_out_and_edit_opens_the_modal(
    bot: Bot, slack: SlackStandIn
) -> None:
    plant(bot)
    answer = ask(bot, slack, message_event("release 1 and 2 with job card"))

    blocks = str(answer.args["blocks"])
    assert "P000002 is scheduled at operation level: Job card needs job scheduling" in blocks
    assert '"orders": ["P000001"]' in buttons(answer)["chat_confirm"]["value"]

    click(bot, answer, "chat_edit")

    [opened] = slack.wait_for("views.open")
    view = opened.args["view"]
    orders = next(b for b in view["blocks"] if b.get("block_id") == "orders")
    assert [o["value"] for o in orders["element"]["initial_options"]] == ["P000001", "P000002"]
    papers = next(b for b in view["blocks"] if b.get("block_id") == "papers")
    assert [o["value"] for o in papers["element"]["initial_options"]] == ["job_card"]
    assert releases(bot) == 0


def test_the_question_and_the_review_refuse_what_the_release_refuses(
    bot: Bot, slack: SlackStandIn
) -> None:
    """All material there, but nowhere to pick it to: asked before, it must not look
    releasable (it was: ✅ and Confirm, then the release refused it)."""
    with bot.sessions.begin() as session:
        plant = Plant(session)
        plant.warehouse("11", input_location="")
        plant.stock("RM-1", "11", "A-01", 100)
        plant.order([("RM-1", 4)], number="P000001")
    refusal = "P000001: warehouse 11 has no production input location to pick to; set one up first"

    asked = ask(bot, slack, message_event("release 1"))
    reviewed = review(bot, open_modal(bot, slack, "P000001"), ["P000001"], []).json()["view"]

    assert refusal in str(asked.args["blocks"])
    assert "chat_confirm" not in buttons(asked)
    assert "None of these orders can be released now." in str(asked.args["blocks"])
    assert refusal in str(reviewed["blocks"])
    assert reviewed.get("submit") is None  # no Release button
    released = ReleaseService(bot.sessions, clock=utc_now).release(
        ReleaseRequest(["P000001"], "tester")
    )
    assert [(r.released, r.reason) for r in released.results] == [(False, refusal)]
    assert status_of(bot, "P000001") is OrderStatus.SCHEDULED


def test_an_ambiguous_number_asks_which_order(bot: Bot, slack: SlackStandIn) -> None:
    with bot.sessions.begin() as session:
        plant = Plant(session)
        plant.stock("RM-1", "11", "A-01", 100)
        plant.order([("RM-1", 1)], number="P004123")
        plant.order([("RM-1", 1)], number="P005123")

    answer = ask(bot, slack, mention_event("release 123 with route card"))

    assert answer.args["text"] == "Which order do you mean by 123: P004123 or P005123?"
    assert answer.args["thread_ts"] == "1700000200.000200"
    pick = next(b for b in answer.args["blocks"] if b["type"] == "actions")["elements"][1]
    assert pick["text"]["text"] == "P005123"

    click(bot, answer, "chat_pick_order", value=pick["value"])

    [update] = slack.wait_for("chat.update", ts=answer.response["ts"])
    assert update.args["text"] == "Release P005123 with Route card?"
    assert "chat_confirm" in str(update.args["blocks"])
    assert releases(bot) == 0


def test_unknown_orders_are_named(bot: Bot, slack: SlackStandIn) -> None:
    plant(bot)

    typed = ask(bot, slack, message_event("release P000009 please"))
    short = ask(bot, slack, message_event("show 77"))

    assert typed.args["text"] == "No production order matches P000009."
    assert short.args["text"] == "No production order matches 77."
    assert releases(bot) == 0


def test_show_waiting_help_and_nonsense_are_answered_without_changes(
    bot: Bot, slack: SlackStandIn
) -> None:
    plant(bot)
    with bot.sessions.begin() as session:  # P000003 (site 2) starts today, the others later
        session.execute(
            update(ProductionOrder)
            .where(ProductionOrder.number.in_(["P000002", "P000003"]))
            .values(scheduled_start=datetime.now(UTC))
        )

    shown = ask(bot, slack, message_event("show P000001"))
    waiting = ask(bot, slack, mention_event("what's waiting for release at site 2 today?"))
    helped = ask(bot, slack, message_event("help"))
    confused = ask(bot, slack, message_event("what is the weather like"))

    assert shown.args["text"] == "P000001: scheduled"
    assert "*P000001* FG-BIKE" in str(shown.args["blocks"])
    assert shown.args["blocks"][0]["accessory"]["accessibility_label"] == "Release P000001…"
    assert waiting.args["text"] == "1 order waiting for release"  # P000003: site 2, today
    assert '"value": "P000003"' in str(waiting.args["blocks"]).replace("'", '"')
    assert helped.args["text"].startswith("Write to me here, or mention me")
    assert confused.args["text"].startswith("I didn't catch that. Try for example:")
    assert releases(bot) == 0
    with bot.sessions() as session:
        assert session.scalar(select(func.count(Release.id))) == 0


def test_undo_in_chat_is_asked_and_goes_through_the_undo_of_the_result_message(
    bot: Bot, slack: SlackStandIn
) -> None:
    plant(bot)
    click(bot, ask(bot, slack, message_event("release 1")), "chat_confirm")
    slack.wait_for("chat.postMessage", channel=DM, count=2)
    assert status_of(bot, "P000001") is OrderStatus.RELEASED

    question = ask(bot, slack, message_event("undo"))
    assert question.args["text"] == "Undo your last release, R000001 (P000001)?"
    assert status_of(bot, "P000001") is OrderStatus.RELEASED  # asking changes nothing

    click(bot, question, "chat_confirm_undo")

    [update] = slack.wait_for("chat.update", ts=question.response["ts"])
    assert update.args["text"].endswith(
        "Undone by <@UANN>: P000001 back to scheduled, work W000001 cancelled."
    )
    assert status_of(bot, "P000001") is OrderStatus.SCHEDULED
    click(bot, question, "chat_confirm_undo")  # a second click
    [told] = slack.wait_for("chat.postEphemeral", user=PLANNER)
    assert told.args["text"].startswith("Not undone: ")
    assert ask(bot, slack, message_event("undo")).args["text"] == "You have no release to undo."


def test_a_digest_from_chat_is_asked_then_subscribed_like_the_slash_command(
    bot: Bot, slack: SlackStandIn
) -> None:
    cancelled = ask(bot, slack, message_event("digest daily 7:00"))
    click(bot, cancelled, "chat_cancel")
    slack.wait_for("chat.update", ts=cancelled.response["ts"])
    with bot.sessions() as session:
        assert session.scalar(select(func.count(DigestSubscription.id))) == 0

    question = ask(bot, slack, mention_event("digest on weekdays at 6:30"))
    assert question.args["text"] == (
        "Post the orders waiting for release here every weekday at 06:30?"
    )

    click(bot, question, "chat_confirm_digest")

    [update] = slack.wait_for("chat.update", ts=question.response["ts"])
    assert f"Subscribed <#{CHANNEL}>: number 1" in update.args["text"]
    with bot.sessions() as session:
        [subscription] = session.scalars(select(DigestSubscription)).all()
        assert subscription.channel_id == CHANNEL


def test_a_german_planner_reads_times_in_german_in_the_dm_and_a_channel_in_utc(
    bot: Bot, slack: SlackStandIn
) -> None:
    plant(bot)  # every order starts on Monday 30 November 2026, 06:00 UTC
    slack.locales[PLANNER] = "de-DE"  # and Ann's time zone is Europe/Berlin

    in_dm = ask(bot, slack, message_event("show P000001"))
    in_channel = ask(bot, slack, mention_event("show P000001"))
    listed = bot.command("list").json()  # ephemeral: hers alone

    assert "start Mo., 30. Nov. 07:00 · end Mo., 30. Nov. 15:00" in str(in_dm.args["blocks"])
    assert "start Mon 30 Nov 06:00 · end Mon 30 Nov 14:00" in str(in_channel.args["blocks"])
    assert table_rows(listed["blocks"])[1][4] == "Mo., 30. Nov. 07:00"  # the Start column

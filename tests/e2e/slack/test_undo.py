"""The *Undo* button of a release's result message, over signed HTTP."""

from __future__ import annotations

import time

from sqlalchemy import select

from domain.model import ReleaseUndo, WarehouseWork
from domain.statuses import OrderStatus, WorkStatus
from tests.e2e.slack.conftest import CHANNEL, OUTSIDER, PLANNER, Bot
from tests.e2e.slack.payloads import button, view_submission
from tests.e2e.slack.standin import Call, SlackStandIn
from tests.e2e.slack.test_release_flow import open_modal, plant, review, status_of


def _released(bot: Bot, slack: SlackStandIn) -> Call:
    plant(bot)
    confirmation = review(bot, open_modal(bot, slack, "P000001"), ["P000001"], []).json()
    bot.interact(view_submission(confirmation["view"], view_id="VUNDO1"))
    [message] = slack.wait_for("chat.postMessage", channel=CHANNEL)
    return message


def _undo_button(message: Call) -> dict:
    [actions] = [b for b in message.args["blocks"] if b["type"] == "actions"]
    [undo] = actions["elements"]
    return undo


def test_the_releaser_undoes_and_the_message_says_so(bot: Bot, slack: SlackStandIn) -> None:
    message = _released(bot, slack)
    undo = _undo_button(message)
    assert (undo["action_id"], undo["value"]) == ("undo_release", "R000001")
    assert undo["confirm"]["title"]["text"] == "Undo this release?"

    assert bot.interact(button("undo_release", "R000001")).status_code == 200

    [updated] = slack.wait_for("chat.update")
    assert updated.args["ts"] == message.response["ts"]
    assert updated.args["channel"] == CHANNEL
    assert updated.args["text"] == (
        f"Release R000001 by <@{PLANNER}>: 1 order released (undone by <@{PLANNER}>)"
    )
    assert "Undone by <@UANN>: the orders are back to scheduled" in str(updated.args["blocks"])
    assert not [b for b in updated.args["blocks"] if b["type"] == "actions"]
    assert status_of(bot, "P000001") is OrderStatus.SCHEDULED
    with bot.sessions() as session:
        assert session.execute(select(ReleaseUndo.requester_id, ReleaseUndo.undone)).all() == [
            (PLANNER, True)
        ]
        assert session.scalar(select(WarehouseWork.status)) is WorkStatus.CANCELLED


def test_someone_else_is_told_why_not_and_nothing_changes(bot: Bot, slack: SlackStandIn) -> None:
    _released(bot, slack)

    bot.interact(button("undo_release", "R000001", user=OUTSIDER))

    [told] = slack.wait_for("chat.postEphemeral", user=OUTSIDER)
    assert told.args["text"] == (
        "Not undone: only the person who released R000001 or an admin may undo it."
    )
    assert status_of(bot, "P000001") is OrderStatus.RELEASED
    assert not slack.ok_calls("chat.update")


def test_started_work_refuses_the_undo(bot: Bot, slack: SlackStandIn) -> None:
    _released(bot, slack)
    with bot.sessions.begin() as session:
        session.scalars(select(WarehouseWork)).one().status = WorkStatus.IN_PROGRESS

    bot.interact(button("undo_release", "R000001"))

    [told] = slack.wait_for("chat.postEphemeral", user=PLANNER)
    assert told.args["text"] == (
        "Not undone: P000001 cannot be reset: its work W000001 has already started."
    )
    assert status_of(bot, "P000001") is OrderStatus.RELEASED


def test_an_undo_before_the_result_is_posted_updates_it_once_slack_took_it(
    bot: Bot, slack: SlackStandIn
) -> None:
    plant(bot)
    slack.fail("chat.postMessage", 500, times=10_000)  # Slack is down
    confirmation = review(bot, open_modal(bot, slack, "P000001"), ["P000001"], []).json()
    bot.interact(view_submission(confirmation["view"], view_id="VUNDO2"))
    for _ in range(400):
        if status_of(bot, "P000001") is OrderStatus.RELEASED:
            break
        time.sleep(0.05)

    assert bot.services.undo.undo(1, PLANNER, CHANNEL).undone  # as the chat's "undo" does
    slack.fail("chat.postMessage", 500, times=0)  # Slack is back

    [message] = slack.wait_for("chat.postMessage", channel=CHANNEL, timeout=30)
    [updated] = slack.wait_for("chat.update", timeout=30)
    assert updated.args["ts"] == message.response["ts"]
    assert updated.args["text"].endswith(f"(undone by <@{PLANNER}>)")
    assert status_of(bot, "P000001") is OrderStatus.SCHEDULED

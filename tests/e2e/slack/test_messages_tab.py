"""The Messages tab over signed HTTP: suggested prompts the first time a person opens it,
never again; a tap on one is answered as if the person had typed it."""

from __future__ import annotations

import json
import time

from bot.conversation.language import PROMPTS
from tests.blocks import release_buttons
from tests.e2e.slack.conftest import PLANNER, Bot, signed_headers
from tests.e2e.slack.payloads import button
from tests.e2e.slack.standin import SlackStandIn
from tests.e2e.slack.test_release_flow import plant

DM = "DANN"


def _open_messages_tab(bot: Bot, number: int, user: str = PLANNER) -> None:
    body = json.dumps(
        {
            "type": "event_callback",
            "team_id": "T1",
            "api_app_id": "A1",
            "event_id": f"EvTab{number}",
            "event_time": 1700000000,
            "event": {"type": "app_home_opened", "user": user, "channel": DM, "tab": "messages"},
        }
    )
    answer = bot.post(body, signed_headers(body) | {"Content-Type": "application/json"})
    assert answer.status_code == 200


def test_the_prompts_come_once_and_a_tap_answers_it(bot: Bot, slack: SlackStandIn) -> None:
    plant(bot)

    _open_messages_tab(bot, 1)
    [shown] = slack.wait_for("chat.postMessage", channel=DM)
    _open_messages_tab(bot, 2)
    time.sleep(1)

    assert len(slack.ok_calls("chat.postMessage", channel=DM)) == 1  # once, ever
    assert not slack.ok_calls("views.publish")  # the Home tab is not published for it
    [actions] = [b for b in shown.args["blocks"] if b["type"] == "actions"]
    buttons = actions["elements"]
    assert [b["text"]["text"] for b in buttons] == list(PROMPTS)
    assert "What's waiting at site 1?" in shown.args["text"]

    waiting = button(buttons[0]["action_id"], buttons[0]["value"], channel=DM, message=shown.args)
    assert bot.interact(waiting).status_code == 200
    answer = slack.wait_for("chat.postMessage", count=2, channel=DM)[-1]
    listed = [b["value"] for b in release_buttons(answer.args["blocks"])]
    assert listed == ["P000001", "P000002"]  # site 1's; P000003 is at site 2

    undo = button(buttons[2]["action_id"], buttons[2]["value"], channel=DM, message=shown.args)
    bot.interact(undo)
    answer = slack.wait_for("chat.postMessage", count=3, channel=DM)[-1]
    assert answer.args["text"] == "You have no release to undo."

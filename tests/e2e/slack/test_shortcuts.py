"""Shortcuts over signed HTTP: a message's *Release these orders* and the global
*Release orders…* open the release dialog; malformed shortcut payloads get 400."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.slack.listeners.shortcuts import NO_ORDERS_IN_MESSAGE, RELEASE_IN_MESSAGE, RELEASE_ORDERS
from tests.e2e.slack.conftest import CHANNEL, Bot
from tests.e2e.slack.payloads import global_shortcut, message_shortcut
from tests.e2e.slack.standin import SlackStandIn
from tests.e2e.slack.test_release_flow import plant

MANIFEST = Path(__file__).parents[3] / "manifest.yml"


def _block(view: dict, block_id: str) -> dict:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def _opened(slack: SlackStandIn, trigger_id: str) -> dict:
    [call] = slack.wait_for("views.open", trigger_id=trigger_id)
    return call.args["view"]


def test_a_message_shortcut_opens_the_dialog_with_the_orders_the_message_names(
    bot: Bot, slack: SlackStandIn
) -> None:
    plant(bot)
    text = "Can we get P000002 and p1 out before noon? 20 pcs at site 1, and P999999 too"

    answer = bot.interact(message_shortcut(text, RELEASE_IN_MESSAGE))

    assert answer.status_code == 200
    view = _opened(slack, "1337.45.mnop")
    assert view["callback_id"] == "release_choose"
    chosen = _block(view, "orders")["element"]["initial_options"]
    assert sorted(o["value"] for o in chosen) == ["P000001", "P000002"]  # not 20, not site 1
    assert "Not found, left out: P999999" in str(view["blocks"][0])
    assert _block(view, "channel")["element"]["initial_conversation"] == CHANNEL


def test_a_message_that_is_a_command_is_read_as_the_chat_reads_it(
    bot: Bot, slack: SlackStandIn
) -> None:
    plant(bot)

    bot.interact(message_shortcut("release 1 and 3 with route card", RELEASE_IN_MESSAGE))

    view = _opened(slack, "1337.45.mnop")
    assert [o["value"] for o in _block(view, "orders")["element"]["initial_options"]] == [
        "P000001",
        "P000003",
    ]
    papers = _block(view, "papers")["element"]["initial_options"]
    assert [o["value"] for o in papers] == ["route_card"]


def test_a_message_without_order_numbers_opens_an_empty_dialog_that_says_so(
    bot: Bot, slack: SlackStandIn
) -> None:
    bot.interact(message_shortcut("lunch at 12?", RELEASE_IN_MESSAGE))

    view = _opened(slack, "1337.45.mnop")
    assert NO_ORDERS_IN_MESSAGE in str(view["blocks"][0])
    assert "initial_options" not in _block(view, "orders")["element"]


def test_the_global_shortcut_opens_the_dialog_asking_where_to_post(
    bot: Bot, slack: SlackStandIn
) -> None:
    answer = bot.interact(global_shortcut(RELEASE_ORDERS))

    assert answer.status_code == 200
    view = _opened(slack, "1337.46.qrst")
    assert view["callback_id"] == "release_choose"
    assert "initial_conversation" not in _block(view, "channel")["element"]


def test_shortcut_payloads_without_what_slack_always_sends_get_400(
    bot: Bot, slack: SlackStandIn
) -> None:
    no_trigger = global_shortcut(RELEASE_ORDERS)
    del no_trigger["trigger_id"]
    no_channel = message_shortcut("P000001", RELEASE_IN_MESSAGE)
    del no_channel["channel"]
    odd_text = message_shortcut("P000001", RELEASE_IN_MESSAGE)
    odd_text["message"]["text"] = ["P000001"]

    answers = [bot.interact(payload) for payload in (no_trigger, no_channel, odd_text)]

    assert [a.status_code for a in answers] == [400, 400, 400]
    assert "shortcut.trigger_id: Field required" in answers[0].text
    assert "message_action.channel: Field required" in answers[1].text
    assert not slack.ok_calls("views.open")


def test_the_manifest_offers_both_shortcuts_under_the_callback_ids_the_code_listens_to() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())

    shortcuts = {s["callback_id"]: s for s in manifest["features"]["shortcuts"]}

    assert shortcuts[RELEASE_IN_MESSAGE]["type"] == "message"
    assert shortcuts[RELEASE_ORDERS]["type"] == "global"
    assert all(1 <= len(s["name"]) <= 24 for s in shortcuts.values())  # Slack's limit
    assert manifest["settings"]["interactivity"]["is_enabled"] is True

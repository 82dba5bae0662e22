"""`/release` and the shortcuts, called directly: the modal they open (with the orders
and papers they read), the answers they ack, and what they say to bad input."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack
from sqlalchemy import select

from bot.bootstrap import BotDependencies
from bot.slack.listeners import shortcuts
from bot.slack.listeners.commands.release import IN_CHAT, release_command
from domain.model import DigestSubscription
from domain.statuses import SchedulingLevel
from tests.builders import Plant
from tests.e2e.slack.conftest import CHANNEL, GROUP_MEMBER, PLANNER
from tests.e2e.slack.payloads import global_shortcut, message_shortcut
from tests.unit.listeners.conftest import (
    answer,
    chosen_orders,
    chosen_papers,
    notes,
    opened_modal,
)
from tests.unit.listeners.slack import RecordingSlack


def command(text: str, user: str = PLANNER) -> dict[str, Any]:
    return {
        "command": "/release",
        "text": text,
        "user_id": user,
        "channel_id": CHANNEL,
        "trigger_id": "1337.42.abcd",
    }


def run(text: str, services: BotDependencies, slack: RecordingSlack, user: str = PLANNER) -> Ack:
    ack = Ack()
    release_command(ack, command(text, user), slack, services)
    return ack


def test_without_words_the_modal_opens_empty_with_the_last_papers(
    services: BotDependencies, slack: RecordingSlack, plant: Plant
) -> None:
    plant.order()
    plant.session.commit()
    ack = run("", services, slack)
    assert answer(ack) == {}
    view = opened_modal(slack)
    assert slack.made("views.open")[0]["trigger_id"] == "1337.42.abcd"
    assert chosen_orders(view) == [] and chosen_papers(view) == set()
    assert notes(view) == ""


def test_orders_and_papers_named_open_the_modal_with_them(
    services: BotDependencies, slack: RecordingSlack, plant: Plant
) -> None:
    plant.order()
    plant.order()
    plant.session.commit()
    run("P000002 1 P000099 with route card", services, slack)
    view = opened_modal(slack)
    assert sorted(chosen_orders(view)) == ["P000001", "P000002"]
    assert chosen_papers(view) == {"route_card"}
    assert "Not found, left out: P000099" in notes(view)


def test_a_list_request_lists_only_that_site(
    services: BotDependencies, slack: RecordingSlack, plant: Plant
) -> None:
    plant.order(warehouse="11")
    plant.warehouse("21", site="2")
    plant.order(warehouse="21")
    plant.session.commit()
    said = answer(run("list site 2", services, slack, user=GROUP_MEMBER))
    assert said["response_type"] == "ephemeral"
    assert said["text"].startswith("1 order waiting")
    listed = json.dumps(said["blocks"])
    assert "P000002" in listed and "P000001" not in listed
    assert slack.made("views.open") == []


def test_digest_subscribes_the_channel(services: BotDependencies, slack: RecordingSlack) -> None:
    said = answer(run("digest daily 07:00", services, slack))
    assert said["response_type"] == "ephemeral" and "07:00" in said["text"]
    with services.runtime.sessions() as session:
        [subscribed] = session.scalars(select(DigestSubscription)).all()
    assert subscribed.channel_id == CHANNEL


def test_a_bad_digest_spec_is_told_and_changes_nothing(
    services: BotDependencies, slack: RecordingSlack
) -> None:
    said = answer(run("digest at 25:99", services, slack))
    assert said["response_type"] == "ephemeral" and said["text"]
    with services.runtime.sessions() as session:
        assert session.scalars(select(DigestSubscription)).all() == []


def test_help_and_words_not_understood_get_help(
    services: BotDependencies, slack: RecordingSlack
) -> None:
    helped = answer(run("help", services, slack))
    puzzled = answer(run("frobnicate the widgets", services, slack))
    assert helped["response_type"] == puzzled["response_type"] == "ephemeral"
    assert puzzled["text"].startswith("I did not understand `frobnicate the widgets`")
    assert puzzled["text"].endswith(helped["text"])
    assert slack.calls == []


def test_what_only_chat_does_is_sent_to_chat(
    services: BotDependencies, slack: RecordingSlack
) -> None:
    assert answer(run("undo", services, slack))["text"].startswith(IN_CHAT)


def test_a_message_shortcut_opens_the_modal_with_the_orders_it_names(
    services: BotDependencies, slack: RecordingSlack, plant: Plant
) -> None:
    plant.order(level=SchedulingLevel.OPERATION)
    plant.session.commit()
    body = message_shortcut("please release P000001 with picking list", "release_in_message")
    ack = Ack()
    shortcuts.release_in_message(ack, body, slack, services)
    assert answer(ack) == {}
    view = opened_modal(slack)
    assert chosen_orders(view) == ["P000001"] and chosen_papers(view) == {"picking_list"}
    assert view["private_metadata"] == f'{{"channel": "{CHANNEL}"}}'


def test_a_message_without_orders_opens_the_modal_saying_so(
    services: BotDependencies, slack: RecordingSlack
) -> None:
    body = message_shortcut("lunch at noon?", "release_in_message")
    shortcuts.release_in_message(Ack(), body, slack, services)
    assert notes(opened_modal(slack)) == shortcuts.NO_ORDERS_IN_MESSAGE


def test_the_global_shortcut_asks_where_to_post(
    services: BotDependencies, slack: RecordingSlack
) -> None:
    shortcuts.release_orders(Ack(), global_shortcut("release_orders"), slack, services)
    view = opened_modal(slack)
    assert view["private_metadata"] == '{"channel": null}'
    channel = next(b for b in view["blocks"] if b.get("block_id") == "channel")
    assert channel["element"]["default_to_current_conversation"] is True

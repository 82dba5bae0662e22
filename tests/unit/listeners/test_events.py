"""The Events API listeners called directly: a mention and a DM answered, the App Home
published, the Messages tab's prompts, an uninstall or a revoked token stopping the
sending. Events not from a person in a conversation get no answer."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, Say
from sqlalchemy import select

from bot.bootstrap import BotDependencies
from bot.conversation.language import PROMPTS
from bot.slack.blocks import chat as views
from bot.slack.listeners.events import direct, home, installation, mention, messages_tab
from domain.model import OutboxMessage
from domain.services.release import ReleaseRequest
from domain.statuses import OutboxStatus
from tests.builders import Plant
from tests.e2e.slack.conftest import CHANNEL, GROUP_MEMBER, OUTSIDER, PLANNER
from tests.e2e.slack.payloads import button, mention_event, message_event
from tests.unit.listeners.conftest import answer, releasable
from tests.unit.listeners.slack import RecordingSlack

DM = "DANN"


def said_to(event: dict[str, Any], slack: RecordingSlack) -> Say:
    """Bolt's `say` for the event: a message in its conversation."""
    return Say(slack, event.get("channel"))


def outbox(services: BotDependencies) -> list[OutboxMessage]:
    with services.runtime.sessions() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all())


def test_a_mention_is_answered_in_its_thread(
    services: BotDependencies, slack: RecordingSlack, plant: Plant
) -> None:
    plant.order()
    plant.session.commit()
    event = mention_event("what is waiting")
    mention.mentioned(event, said_to(event, slack), services)
    [posted] = slack.made("chat.postMessage")
    assert posted["channel"] == CHANNEL and posted["thread_ts"] == event["ts"]
    assert "P000001" in json.dumps(posted["blocks"])


def test_a_mention_not_from_a_person_gets_help(
    services: BotDependencies, slack: RecordingSlack
) -> None:
    event = {**mention_event("release P000001"), "user": None}
    mention.mentioned(event, said_to(event, slack), services)
    [posted] = slack.made("chat.postMessage")
    assert posted["text"] == views.CHAT_HELP


def test_a_mention_without_a_conversation_is_not_answered(
    services: BotDependencies, slack: RecordingSlack
) -> None:
    event = {**mention_event("help"), "channel": None}
    mention.mentioned(event, said_to(event, slack), services)
    assert slack.calls == []


def test_a_direct_message_is_answered(services: BotDependencies, slack: RecordingSlack) -> None:
    event = message_event("help", channel=DM)
    direct.direct_message(event, said_to(event, slack), services)
    [posted] = slack.made("chat.postMessage")
    assert posted["channel"] == DM and posted["text"]


def test_messages_not_a_persons_dm_are_not_answered(
    services: BotDependencies, slack: RecordingSlack
) -> None:
    for event in (
        {**message_event("help"), "channel_type": "channel"},
        {**message_event("help"), "subtype": "message_changed"},
        {**message_event("help"), "bot_id": "B1"},
        {**message_event("help"), "user": None},
        message_event(""),
    ):
        direct.direct_message(event, said_to(event, slack), services)
    assert slack.calls == []


def test_the_home_shows_the_orders_at_the_persons_sites(
    services: BotDependencies, slack: RecordingSlack, plant: Plant
) -> None:
    plant.stock("RM-1", "11", "A-01", 1)
    plant.order([("RM-1", 2)])
    plant.warehouse("21", site="2")
    plant.order(warehouse="21")
    plant.session.commit()
    home.home_opened({"user": PLANNER, "channel": DM, "tab": "home"}, slack, services)
    home.home_opened({"user": GROUP_MEMBER, "channel": DM}, slack, services)
    home.home_opened({"user": OUTSIDER, "channel": DM}, slack, services)
    planner, member, outsider = slack.made("views.publish")
    assert planner["user_id"] == PLANNER
    planners = json.dumps(planner["view"])
    assert "P000001" in planners and "P000002" not in planners
    assert "short" in planners.lower()  # 1 of the 2 RM-1 in stock
    members = json.dumps(member["view"])
    assert "P000002" in members and "P000001" not in members
    outsiders = json.dumps(outsider["view"])
    assert "you may look but not release" in outsiders and "P000001" in outsiders


def test_the_home_lists_the_persons_releases_and_the_digests(
    services: BotDependencies, slack: RecordingSlack, plant: Plant
) -> None:
    plant.order()
    plant.session.commit()
    report = services.runtime.releases.release(
        ReleaseRequest(["P000001"], "Ann Planner", "slack", requester_id=PLANNER)
    )
    services.digests.handle("daily 07:00", PLANNER, CHANNEL)
    home.home_opened({"user": PLANNER, "channel": DM}, slack, services)
    [published] = slack.made("views.publish")
    shown = json.dumps(published["view"])
    assert f"*{report.release_number}*" in shown and "1 released, 0 refused" in shown
    assert CHANNEL in shown


def test_a_home_event_without_a_person_publishes_nothing(
    services: BotDependencies, slack: RecordingSlack
) -> None:
    for event in ({}, {"user": "not an id", "channel": DM}, {"user": PLANNER}):
        home.home_opened(event, slack, services)
    assert slack.calls == []


def test_home_and_messages_tabs_go_to_their_listeners() -> None:
    assert home.opened_tab("home")({"type": "app_home_opened"})
    assert not home.opened_tab("home")({"tab": "messages"})
    assert home.opened_tab("messages")({"tab": "messages"})


def test_the_prompts_are_queued_once_per_person(services: BotDependencies) -> None:
    for _ in range(2):
        messages_tab.messages_opened({"user": PLANNER, "channel": DM}, services)
    messages_tab.messages_opened({"user": None, "channel": DM}, services)
    [queued] = outbox(services)
    assert queued.dedupe_key.endswith(f"prompts:{PLANNER}")
    assert queued.payload["channel"] == DM


def test_a_tapped_prompt_is_answered_as_if_typed(
    services: BotDependencies, slack: RecordingSlack
) -> None:
    body = button(f"{views.PROMPT}_0", PROMPTS[0], channel=DM)
    ack = Ack()
    messages_tab.prompt(ack, body, body["actions"][0], slack, services)
    assert answer(ack) == {}
    [posted] = slack.made("chat.postMessage")
    assert posted["channel"] == DM and posted["text"]


def test_an_empty_prompt_is_not_answered(services: BotDependencies, slack: RecordingSlack) -> None:
    body = button(f"{views.PROMPT}_0", "  ", channel=DM)
    messages_tab.prompt(Ack(), body, body["actions"][0], slack, services)
    assert slack.calls == []


def test_an_uninstall_parks_what_was_queued(services: BotDependencies) -> None:
    messages_tab.messages_opened({"user": PLANNER, "channel": DM}, services)
    installation.uninstalled(services)
    [parked] = outbox(services)
    assert parked.status is OutboxStatus.PARKED
    assert "app_uninstalled" in (parked.last_error or "")


def test_only_a_revoked_bot_token_stops_sending(services: BotDependencies) -> None:
    messages_tab.messages_opened({"user": PLANNER, "channel": DM}, services)
    installation.revoked({"tokens": {"oauth": ["UANN"]}}, services)
    installation.revoked({}, services)
    assert outbox(services)[0].status is OutboxStatus.PENDING
    installation.revoked({"tokens": {"bot": ["UBOT"]}}, services)
    assert outbox(services)[0].status is OutboxStatus.PARKED


def dm(
    text: str, services: BotDependencies, slack: RecordingSlack, user: str = PLANNER
) -> dict[str, Any]:
    """The bot's answer to a DM from `user` saying `text`."""
    event = message_event(text, user=user, channel=DM)
    direct.direct_message(event, said_to(event, slack), services)
    return slack.made("chat.postMessage")[-1]


def test_a_dm_shows_an_order_asked_by_its_last_digits(
    services: BotDependencies, slack: RecordingSlack, plant: Plant
) -> None:
    plant.order()
    plant.session.commit()
    card = dm("show 1", services, slack)
    assert "P000001" in card["text"]
    assert dm("show P000042", services, slack)["text"] == "No production order matches P000042."


def test_a_dm_asking_to_release_gets_the_question_with_confirm(
    services: BotDependencies, slack: RecordingSlack, plant: Plant
) -> None:
    releasable(plant)
    question = dm("release P000001 with route card", services, slack)
    buttons = json.dumps(question["blocks"])
    assert views.CONFIRM in buttons and "P000001" in buttons
    refused = dm("release P000001", services, slack, user=OUTSIDER)
    assert "look at orders but not release" in refused["text"]


def test_a_dm_asking_to_undo_names_the_last_release(
    services: BotDependencies, slack: RecordingSlack, plant: Plant
) -> None:
    assert dm("undo", services, slack)["text"] == "You have no release to undo."
    releasable(plant)
    report = services.runtime.releases.release(
        ReleaseRequest(["P000001"], "Ann Planner", "slack", requester_id=PLANNER)
    )
    question = dm("undo", services, slack)
    assert question["text"].startswith(
        f"Undo your last release, {report.release_number} (P000001)?"
    )
    assert views.CONFIRM_UNDO in json.dumps(question["blocks"])

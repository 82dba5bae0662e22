"""The buttons' listeners called directly: a chat answer's Confirm, Edit, Cancel, undo,
digest and pick; the *Release…* buttons; the result message's *Undo*. Each with what a
button that is not ours (a crafted or stale value, no conversation) gets."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack
from sqlalchemy import select

from bot.bootstrap import BotDependencies
from bot.conversation.commands import Digest, ReleaseOrders
from bot.slack.blocks import chat as views
from bot.slack.blocks.confirm import ConfirmedChoice
from bot.slack.blocks.digest import filter_value
from bot.slack.listeners.actions import chat, open_release, undo
from domain.model import DigestSubscription, ProductionOrder
from domain.queries import OrderFilter
from domain.services.release import ReleaseRequest
from domain.statuses import OrderStatus, PaperKind
from tests.builders import Plant
from tests.e2e.slack.conftest import CHANNEL, GROUP_MEMBER, PLANNER
from tests.e2e.slack.payloads import button
from tests.unit.listeners.conftest import (
    answer,
    call,
    chosen_orders,
    chosen_papers,
    opened_modal,
    releasable,
    released,
)
from tests.unit.listeners.slack import RecordingSlack

QUESTION = {"ts": "1700000000.000009", "text": "Release P000001?"}


def click(
    listener: Any,
    action_id: str,
    value: str,
    services: BotDependencies,
    slack: RecordingSlack,
    user: str = PLANNER,
    message: dict[str, Any] | None = QUESTION,
) -> dict[str, Any]:
    """Clicks the button; returns the body Bolt would have handed the listener."""
    body = button(action_id, value, user=user, message=message)
    ack = Ack()
    call(listener, ack=ack, body=body, action=body["actions"][0], client=slack, services=services)
    assert answer(ack) == {}
    return body


def without_channel(body: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in body.items() if key not in ("channel", "container")}


def status_of(services: BotDependencies, number: str = "P000001") -> OrderStatus:
    with services.runtime.sessions() as session:
        order = session.scalars(select(ProductionOrder).filter_by(number=number)).one()
        return order.status


def release_of(services: BotDependencies, plant: Plant, user: str = PLANNER) -> int:
    releasable(plant)
    report = services.runtime.releases.release(
        ReleaseRequest(["P000001"], "Ann Planner", "slack", requester_id=user)
    )
    return report.release_id


def test_confirm_releases_the_question_once_and_settles_it(
    services: BotDependencies, slack: RecordingSlack, plant: Plant
) -> None:
    releasable(plant)
    value = ConfirmedChoice(["P000001"], [PaperKind.ROUTE_CARD], CHANNEL).to_metadata()
    click(chat.confirm, views.CONFIRM, value, services, slack)
    click(chat.confirm, views.CONFIRM, value, services, slack)  # a double click
    [release] = released(services)
    services.worker.shutdown()
    assert release.idempotency_key == f"slack:chat:{CHANNEL}:{QUESTION['ts']}"
    assert status_of(services) is OrderStatus.RELEASED
    updated = slack.made("chat.update")
    assert updated[0]["ts"] == QUESTION["ts"]
    assert updated[0]["text"].startswith("Release P000001? Confirmed by <@UANN>: releasing")


def test_a_stale_confirm_is_told_privately_and_releases_nothing(
    services: BotDependencies, slack: RecordingSlack
) -> None:
    click(chat.confirm, views.CONFIRM, "{not ours", services, slack)
    [told] = slack.made("chat.postEphemeral")
    assert told == {"channel": CHANNEL, "user": PLANNER, "text": chat.STALE_BUTTON}
    assert slack.made("chat.update") == []


def test_buttons_without_a_conversation_do_nothing(
    services: BotDependencies, slack: RecordingSlack
) -> None:
    value = ConfirmedChoice(["P000001"], [], CHANNEL).to_metadata()
    for listener, action_id, action_value in (
        (chat.confirm, views.CONFIRM, value),
        (chat.edit, views.EDIT, value),
        (chat.cancel, views.CANCEL, ""),
        (chat.confirm_undo, views.CONFIRM_UNDO, "1"),
        (chat.confirm_digest, views.CONFIRM_DIGEST, "daily 07:00"),
        (chat.pick, views.PICK_ORDER, "{}"),
    ):
        body = without_channel(button(action_id, action_value))
        ack = Ack()
        call(
            listener, ack=ack, body=body, action=body["actions"][0], client=slack, services=services
        )
        assert answer(ack) == {}
    assert slack.calls == []


def test_edit_opens_the_modal_with_the_question_filled_in(
    services: BotDependencies, slack: RecordingSlack, plant: Plant
) -> None:
    plant.order()
    plant.session.commit()
    value = ConfirmedChoice(["P000001"], [PaperKind.ROUTE_CARD], CHANNEL).to_metadata()
    click(chat.edit, views.EDIT, value, services, slack)
    view = opened_modal(slack)
    assert chosen_orders(view) == ["P000001"] and chosen_papers(view) == {"route_card"}


def test_cancel_settles_the_question_and_releases_nothing(
    services: BotDependencies, slack: RecordingSlack, plant: Plant
) -> None:
    plant.order()
    plant.session.commit()
    body = button(views.CANCEL, "", message=QUESTION)
    chat.cancel(Ack(), body, slack)
    [updated] = slack.made("chat.update")
    assert "Cancelled by <@UANN>: nothing was released." in updated["text"]
    assert status_of(services) is OrderStatus.SCHEDULED


def test_the_ticked_printer_only_acks() -> None:
    ack = Ack()
    chat.tick_printer(ack)
    assert answer(ack) == {}


def test_confirm_undo_puts_the_orders_back(
    services: BotDependencies, slack: RecordingSlack, plant: Plant
) -> None:
    release_id = release_of(services, plant)
    click(chat.confirm_undo, views.CONFIRM_UNDO, str(release_id), services, slack)
    [updated] = slack.made("chat.update")
    assert "Undone by <@UANN>: P000001 back to scheduled" in updated["text"]
    assert status_of(services) is OrderStatus.SCHEDULED


def test_confirm_undo_refused_is_told_privately_and_the_question_stays(
    services: BotDependencies, slack: RecordingSlack, plant: Plant
) -> None:
    release_id = release_of(services, plant)
    click(chat.confirm_undo, views.CONFIRM_UNDO, str(release_id), services, slack, GROUP_MEMBER)
    click(chat.confirm_undo, views.CONFIRM_UNDO, "R²", services, slack)
    refused, stale = slack.made("chat.postEphemeral")
    assert refused["user"] == GROUP_MEMBER and refused["text"].startswith("Not undone: ")
    assert stale["text"] == chat.STALE_BUTTON
    assert slack.made("chat.update") == []
    assert status_of(services) is OrderStatus.RELEASED


def test_confirm_digest_subscribes_and_settles(
    services: BotDependencies, slack: RecordingSlack
) -> None:
    click(chat.confirm_digest, views.CONFIRM_DIGEST, "daily 07:00", services, slack)
    [updated] = slack.made("chat.update")
    assert "07:00" in updated["text"]
    with services.runtime.sessions() as session:
        assert session.scalars(select(DigestSubscription.channel_id)).all() == [CHANNEL]


def test_a_picked_order_is_answered_again(
    services: BotDependencies, slack: RecordingSlack, plant: Plant
) -> None:
    releasable(plant)
    value = views.command_value(ReleaseOrders(("P000001",), frozenset()))
    click(chat.pick, views.PICK_ORDER, value, services, slack)
    click(chat.pick, views.PICK_ORDER, '{"release": 5}', services, slack)
    [updated] = slack.made("chat.update")
    assert "P000001" in updated["text"] and updated["ts"] == QUESTION["ts"]
    [stale] = slack.made("chat.postEphemeral")
    assert stale["text"] == chat.STALE_BUTTON


def test_a_picked_digest_is_asked_to_confirm_and_a_crafted_one_refused(
    services: BotDependencies, slack: RecordingSlack
) -> None:
    click(
        chat.pick, views.PICK_ORDER, views.command_value(Digest("weekdays 06:30")), services, slack
    )
    click(chat.pick, views.PICK_ORDER, '{"digest": "every 1s"}', services, slack)
    [updated] = slack.made("chat.update")
    assert "every weekday at 06:30" in updated["text"] and updated["ts"] == QUESTION["ts"]
    [confirm] = [
        element
        for block in updated["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == views.CONFIRM_DIGEST
    ]
    assert confirm["value"] == "weekdays 06:30"
    [stale] = slack.made("chat.postEphemeral")
    assert stale["text"] == chat.STALE_BUTTON
    with services.runtime.sessions() as session:  # nothing subscribed before Confirm
        assert session.scalars(select(DigestSubscription.channel_id)).all() == []


def test_a_release_button_opens_the_modal_with_its_order(
    services: BotDependencies, slack: RecordingSlack, plant: Plant
) -> None:
    plant.order()
    plant.session.commit()
    click(open_release.open_from_list, "open_release", "P000001", services, slack, message=None)
    view = opened_modal(slack)
    assert chosen_orders(view) == ["P000001"]
    assert view["private_metadata"] == f'{{"channel": "{CHANNEL}"}}'


def test_release_from_all_opens_the_modal_filtered(
    services: BotDependencies, slack: RecordingSlack, plant: Plant
) -> None:
    plant.warehouse("21", site="2")
    plant.session.commit()
    value = filter_value(OrderFilter(site="2"))
    click(open_release.open_filtered, "open_release_filtered", value, services, slack)
    click(open_release.open_filtered, "open_release_filtered", "crafted", services, slack)
    filtered, unfiltered = (call["view"] for call in slack.made("views.open"))
    site = next(b for b in filtered["blocks"] if b.get("block_id") == "site")
    assert site["element"]["initial_option"]["value"] == "2"
    site = next(b for b in unfiltered["blocks"] if b.get("block_id") == "site")
    assert "initial_option" not in site["element"]


def test_undo_button_undoes_or_says_why_not(
    services: BotDependencies, slack: RecordingSlack, plant: Plant
) -> None:
    release_id = release_of(services, plant)
    click(undo.undo, "undo_release", f"R{release_id}", services, slack, GROUP_MEMBER)
    [refused] = slack.made("chat.postEphemeral")
    assert refused["user"] == GROUP_MEMBER and refused["text"].startswith("Not undone: ")
    assert status_of(services) is OrderStatus.RELEASED
    click(undo.undo, "undo_release", f"R{release_id}", services, slack)
    assert status_of(services) is OrderStatus.SCHEDULED


def test_an_undo_button_not_ours_is_ignored(
    services: BotDependencies, slack: RecordingSlack
) -> None:
    for value in ("R²", "R9999999999", "", "drop table"):
        click(undo.undo, "undo_release", value, services, slack)
    assert slack.calls == []

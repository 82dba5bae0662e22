"""The buttons of a chat or voice answer: Confirm releases (through the release worker, like
the modal), Edit opens the modal filled in, Cancel changes nothing, an order picked among
several answers the command again with it."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.chat import Chat
from bot.listeners.modal import open_release_modal
from bot.release_jobs import ReleaseJob
from bot.services import BotServices
from bot.views import chat as views
from bot.views.confirm import ConfirmedChoice

STALE_BUTTON = "That button no longer works: ask me again."
BAD_VALUE = (ValueError, KeyError, TypeError)  # json.JSONDecodeError is a ValueError


def _where(body: dict[str, Any]) -> tuple[str, str, str]:
    """(channel, message ts, the question's text) of the message the button is on."""
    message = body.get("message") or {}
    container = body.get("container") or {}
    ts = message.get("ts") or container.get("message_ts", "")
    return body["channel"]["id"], ts, message.get("text", "")


def register(app: App, services: BotServices) -> None:
    chat = Chat(services)

    def choice_of(
        action: dict[str, Any], body: dict[str, Any], client: WebClient
    ) -> ConfirmedChoice | None:
        try:
            return ConfirmedChoice.from_metadata(action["value"])
        except BAD_VALUE:
            client.chat_postEphemeral(
                channel=body["channel"]["id"], user=body["user"]["id"], text=STALE_BUTTON
            )
            return None

    @app.action(views.CONFIRM)
    def confirm(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        choice = choice_of(action, body, client)
        if choice is None:
            return
        channel, ts, question = _where(body)
        user = body["user"]["id"]
        services.worker.submit(
            ReleaseJob(
                orders=choice.orders,
                papers=frozenset(choice.papers),
                channel=choice.channel,
                user_id=user,
                # the question's message, not the click: a double click releases once
                idempotency_key=f"slack:chat:{channel}:{ts}",
            )
        )
        outcome = f"Confirmed by <@{user}>: releasing; the result follows in <#{choice.channel}>."
        client.chat_update(channel=channel, ts=ts, **views.settled(question, outcome))

    @app.action(views.EDIT)
    def edit(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        choice = choice_of(action, body, client)
        if choice is None:
            return
        open_release_modal(
            client,
            services,
            body["trigger_id"],
            body["user"]["id"],
            choice.channel,
            choice.orders,
            papers=choice.papers,
        )

    @app.action(views.CANCEL)
    def cancel(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        channel, ts, question = _where(body)
        outcome = f"Cancelled by <@{body['user']['id']}>: nothing was released."
        client.chat_update(channel=channel, ts=ts, **views.settled(question, outcome))

    @app.action(views.PICK_ORDER)
    def pick(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        channel, ts, _ = _where(body)
        try:
            command = views.command_from_value(action["value"])
        except BAD_VALUE:
            client.chat_postEphemeral(channel=channel, user=body["user"]["id"], text=STALE_BUTTON)
            return
        answer = chat.answer(command, body["user"]["id"], channel)
        client.chat_update(channel=channel, ts=ts, **answer)

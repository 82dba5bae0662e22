"""The buttons of a chat or voice answer: Confirm releases (through the release worker, like
the modal), Edit opens the modal filled in, Cancel changes nothing, an order picked among
several answers the command again with it."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.bootstrap import BotDependencies
from bot.release_jobs import ReleaseJob
from bot.slack.blocks import chat as blocks
from bot.slack.blocks.confirm import PRINT_AT, ConfirmedChoice
from bot.slack.chat import Chat
from bot.slack.envelope import channel_of
from bot.slack.listeners.modal import open_release_modal

STALE_BUTTON = "That button no longer works: ask me again."
BAD_VALUE = (ValueError, KeyError, TypeError, RecursionError)  # JSONDecodeError: ValueError


def _where(body: dict[str, Any]) -> tuple[str, str, str] | None:
    """(channel, message ts, the question's text) of the message the button is on; None for
    a crafted request without a channel (a chat answer's button is always in one)."""
    channel = channel_of(body)
    if not channel:
        return None
    message = body.get("message") or {}
    container = body.get("container") or {}
    ts = message.get("ts") or container.get("message_ts", "")
    return channel, ts, message.get("text", "")


def _choice_of(
    action: dict[str, Any], body: dict[str, Any], client: WebClient
) -> ConfirmedChoice | None:
    """The release the button's value carries; None (the person told) when it is not ours."""
    where = _where(body)
    if where is None:
        return None
    try:
        return ConfirmedChoice.from_metadata(action.get("value") or "")
    except BAD_VALUE:
        client.chat_postEphemeral(channel=where[0], user=body["user"]["id"], text=STALE_BUTTON)
        return None


def confirm(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    services: BotDependencies,
) -> None:
    ack()
    choice = _choice_of(action, body, client)
    where = _where(body)
    if choice is None or where is None:
        return
    channel, ts, question = where
    user = body["user"]["id"]
    services.worker.submit(
        ReleaseJob(
            orders=choice.orders,
            papers=frozenset(choice.papers),
            channel=choice.channel,
            user_id=user,
            # the question's message, not the click: a double click releases once
            idempotency_key=f"slack:chat:{channel}:{ts}",
            printers=choice.printers_chosen(body),
        )
    )
    outcome = f"Confirmed by <@{user}>: releasing; the result follows in <#{choice.channel}>."
    client.chat_update(channel=channel, ts=ts, **blocks.settled(question, outcome))


def tick_printer(ack: Ack) -> None:
    """Ticking a queue only changes the question's state, which Confirm reads."""
    ack()


def edit(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    services: BotDependencies,
) -> None:
    ack()
    choice = _choice_of(action, body, client)
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


def cancel(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    ack()
    where = _where(body)
    if where is None:
        return
    channel, ts, question = where
    outcome = f"Cancelled by <@{body['user']['id']}>: nothing was released."
    client.chat_update(channel=channel, ts=ts, **blocks.settled(question, outcome))


def confirm_undo(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    services: BotDependencies,
) -> None:
    """Through the same undo as the result message's *Undo* button; refused: said to the
    person alone, the question stays (a second click of a done undo changes nothing)."""
    ack()
    where = _where(body)
    if where is None:  # a crafted request: no conversation to answer in
        return
    channel, ts, question = where
    user = body["user"]["id"]
    if not str(action.get("value", "")).isdigit():
        client.chat_postEphemeral(channel=channel, user=user, text=STALE_BUTTON)
        return
    result = services.undo.undo(int(action["value"]), user, channel)
    if not result.undone:
        client.chat_postEphemeral(channel=channel, user=user, text=f"Not undone: {result.reason}.")
        return
    outcome = f"Undone by <@{user}>: {', '.join(result.order_numbers)} back to scheduled" + (
        f", work {', '.join(result.cancelled_work_numbers)} cancelled."
        if result.cancelled_work_numbers
        else "."
    )
    client.chat_update(channel=channel, ts=ts, **blocks.settled(question, outcome))


def confirm_digest(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    services: BotDependencies,
) -> None:
    """Through the same handler as `/release digest <spec>`."""
    ack()
    where = _where(body)
    if where is None:  # a crafted request: no conversation to answer in
        return
    channel, ts, question = where
    answer = services.digests.handle(str(action.get("value", "")), body["user"]["id"], channel)
    client.chat_update(channel=channel, ts=ts, **blocks.settled(question, answer))


def pick(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    services: BotDependencies,
) -> None:
    """One order picked among several, or one of two readings of a clip: the command
    answered again with it."""
    ack()
    where = _where(body)
    if where is None:
        return
    channel, ts, _ = where
    try:
        command = blocks.command_from_value(action.get("value") or "")
    except BAD_VALUE:
        client.chat_postEphemeral(channel=channel, user=body["user"]["id"], text=STALE_BUTTON)
        return
    answer = Chat(services).answer(command, body["user"]["id"], channel)
    client.chat_update(channel=channel, ts=ts, **answer)


def register(app: App) -> None:
    app.action(blocks.CONFIRM)(confirm)
    app.action(PRINT_AT)(tick_printer)
    app.action(blocks.EDIT)(edit)
    app.action(blocks.CANCEL)(cancel)
    app.action(blocks.CONFIRM_UNDO)(confirm_undo)
    app.action(blocks.CONFIRM_DIGEST)(confirm_digest)
    app.action(blocks.PICK_ORDER)(pick)

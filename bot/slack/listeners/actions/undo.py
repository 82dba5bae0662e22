"""The *Undo* button of a release's result message: undone (the message is updated from
the outbox), or the person is told why not."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.bootstrap import BotDependencies
from bot.slack.blocks.result import UNDO_RELEASE
from bot.slack.envelope import channel_of

log = logging.getLogger(__name__)
RELEASE_NUMBER = re.compile(r"R?([0-9]{1,9})")  # ASCII digits, within a database integer


def undo(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    services: BotDependencies,
) -> None:
    ack()
    user = body["user"]["id"]
    channel = channel_of(body)
    number = RELEASE_NUMBER.fullmatch(str(action.get("value", "")))
    if number is None:  # not a button of ours ('R²' passed isdigit(), R9…9 overflowed)
        log.warning("undo button with value %r ignored", action.get("value"))
        return
    result = services.undo.undo(int(number[1]), user, channel)
    if result.undone:
        log.info("%s undone by %s", result.release_number, user)
    elif channel:
        client.chat_postEphemeral(channel=channel, user=user, text=f"Not undone: {result.reason}.")


def register(app: App) -> None:
    app.action(UNDO_RELEASE)(undo)

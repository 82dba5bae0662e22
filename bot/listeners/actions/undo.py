"""The *Undo* button of a release's result message: undone (the message is updated from
the outbox), or the person is told why not."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.services import BotServices
from bot.views.summary import UNDO_RELEASE

log = logging.getLogger(__name__)


def register(app: App, services: BotServices) -> None:
    @app.action(UNDO_RELEASE)
    def undo(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        user = body["user"]["id"]
        channel = (body.get("channel") or {}).get("id")
        number = str(action.get("value", "")).removeprefix("R")
        if not number.isdigit():  # not a button of ours
            log.warning("undo button with value %r ignored", action.get("value"))
            return
        result = services.undo.undo(int(number), user, channel)
        if result.undone:
            log.info("%s undone by %s", result.release_number, user)
        elif channel:
            client.chat_postEphemeral(
                channel=channel, user=user, text=f"Not undone: {result.reason}."
            )

"""The *Release…* button of `/release list`: the modal with that order chosen."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.listeners.modal import open_release_modal
from bot.services import BotServices
from bot.views.waiting_list import OPEN_RELEASE


def register(app: App, services: BotServices) -> None:
    @app.action(OPEN_RELEASE)
    def open_from_list(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        channel = (body.get("channel") or {}).get("id")
        open_release_modal(
            client, services, body["trigger_id"], body["user"]["id"], channel, [action["value"]]
        )

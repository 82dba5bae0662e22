"""A direct message to the bot gets the help: releasing starts with `/release`."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, Say

from bot.services import BotServices
from bot.views.help import HELP


def register(app: App, services: BotServices) -> None:
    @app.event("message")
    def direct_message(event: dict[str, Any], say: Say) -> None:
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        say(text=HELP)

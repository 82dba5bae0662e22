"""A mention of the bot gets the help in a thread: releasing starts with `/release`."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, Say

from bot.services import BotServices
from bot.views.help import HELP


def register(app: App, services: BotServices) -> None:
    @app.event("app_mention")
    def mentioned(event: dict[str, Any], say: Say) -> None:
        say(text=HELP, thread_ts=event.get("thread_ts") or event["ts"])

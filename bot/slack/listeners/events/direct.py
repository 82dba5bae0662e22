"""A direct message to the bot, typed or a voice clip: answered like a mention."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, Say

from bot.bootstrap import BotDependencies
from bot.slack.chat import Chat

# a plain message, or one with files (a voice clip); not edits, joins or the bot's own posts
ANSWERED_SUBTYPES = {None, "file_share"}


def direct_message(event: dict[str, Any], say: Say, services: BotDependencies) -> None:
    if (
        event.get("channel_type") != "im"
        or event.get("subtype") not in ANSWERED_SUBTYPES
        or event.get("bot_id")
    ):
        return
    answer = Chat(services).reply(event)
    if answer:
        say(**answer)


def register(app: App) -> None:
    app.event("message")(direct_message)

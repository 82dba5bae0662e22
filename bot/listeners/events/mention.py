"""A mention of the bot, typed or with a voice clip: answered in the mention's thread."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, Say

from bot.chat import Chat
from bot.services import BotServices
from bot.views import chat as views


def register(app: App, services: BotServices) -> None:
    chat = Chat(services)

    @app.event("app_mention")
    def mentioned(event: dict[str, Any], say: Say) -> None:
        if not event.get("channel"):  # no mention Slack sends: nowhere to answer
            return
        answer = chat.reply(event) or views.message(views.CHAT_HELP)
        say(**answer, thread_ts=event.get("thread_ts") or event.get("ts"))

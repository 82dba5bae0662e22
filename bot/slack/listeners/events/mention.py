"""A mention of the bot, typed or with a voice clip: answered in the mention's thread."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, Say

from bot.bootstrap import BotDependencies
from bot.slack.blocks import chat as blocks
from bot.slack.chat import Chat


def mentioned(event: dict[str, Any], say: Say, services: BotDependencies) -> None:
    if not event.get("channel"):  # no mention Slack sends: nowhere to answer
        return
    answer = Chat(services).reply(event) or blocks.message(blocks.CHAT_HELP)
    say(**answer, thread_ts=event.get("thread_ts") or event.get("ts"))


def register(app: App) -> None:
    app.event("app_mention")(mentioned)

"""The bot's Messages tab: the first time a person opens it, suggested prompts (once per
person, ever: the outbox keeps one message per key); a tap on one answers it as if typed."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.bootstrap import BotDependencies
from bot.delivery import kinds
from bot.slack import envelope
from bot.slack.blocks import chat as blocks
from bot.slack.chat import Chat
from bot.slack.listeners.events.home import opened_tab


def messages_opened(event: dict[str, Any], services: BotDependencies) -> None:
    person = envelope.from_person(event.get("user"), event.get("channel"))
    if person is None:
        return
    user, channel = person
    prompts = blocks.suggested_prompts()
    services.dispatcher.queue(
        [kinds.notice(f"prompts:{user}", channel, prompts["text"], prompts["blocks"])]
    )


def prompt(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    services: BotDependencies,
) -> None:
    """The prompt's words, read and answered as if the person had typed them there."""
    ack()
    user, channel = body["user"]["id"], envelope.channel_of(body)
    chat = Chat(services)
    heard = chat.understand(str(action.get("value") or ""))
    if channel is None or heard is None:
        return
    client.chat_postMessage(channel=channel, **chat.answer(heard, user, channel))


def register(app: App) -> None:
    app.event("app_home_opened", matchers=[opened_tab("messages")])(messages_opened)
    app.action(re.compile(rf"^{blocks.PROMPT}_\d+$"))(prompt)

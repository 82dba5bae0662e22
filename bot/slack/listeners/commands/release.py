"""`/release`: read by the same parser as chat, with "release" implied in front, so that it
understands what chat does: orders and papers open the modal with them chosen, a list
request (site, horizon) lists as chat lists; `digest …` keeps its own spec syntax (cron,
time zones); `help` and anything else get help."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.bootstrap import BotDependencies
from bot.conversation.commands import Digest, Help, ListWaiting, NotUnderstood, ReleaseOrders
from bot.conversation.parser import parse
from bot.slack.blocks.help import help_message
from bot.slack.chat import Chat
from bot.slack.listeners.modal import open_release_modal

# a typed command names up to the modal's 100 orders, and its papers
MAX_COMMAND_TOKENS = 200
IN_CHAT = "`/release` lists and releases orders; write that to me in a message instead."


def release_command(
    ack: Ack, command: dict[str, Any], client: WebClient, services: BotDependencies
) -> None:
    text = command.get("text", "").strip()
    user, channel = command["user_id"], command["channel_id"]  # the door checked both
    first, *rest = text.split(maxsplit=1) or [""]
    if first.lower() == "digest":
        answer = services.digests.handle(" ".join(rest), user, channel)
        ack(response_type="ephemeral", text=answer)
        return
    heard = parse(text, implied="release", max_tokens=MAX_COMMAND_TOKENS) if text else None
    match heard:
        case None | ReleaseOrders():
            ack()
            open_release_modal(
                client,
                services,
                command["trigger_id"],
                user,
                channel,
                heard.orders if heard else (),
                (heard.papers or None) if heard else None,  # none named: the last choice
            )
        case ListWaiting():
            listed = Chat(services).answer(heard, user, channel, private=True)
            ack(response_type="ephemeral", **listed)
        case Digest(spec):  # said as chat says it: "set a digest daily at 7"
            ack(response_type="ephemeral", text=services.digests.handle(spec, user, channel))
        case Help():
            ack(**help_message())
        case NotUnderstood(reason=reason):
            note = f"I did not understand `{text}`" + (f": {reason}." if reason else ".")
            ack(**help_message(note))
        case _:  # show, undo: answered in a conversation with the bot
            ack(**help_message(IN_CHAT))


def register(app: App) -> None:
    app.command("/release")(release_command)

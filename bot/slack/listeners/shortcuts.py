"""Shortcuts: *Release orders in this message* (a message's context menu) opens the dialog
with the orders the message names; *Release orders…* (the shortcuts menu) opens it empty."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.bootstrap import BotDependencies
from bot.conversation.orders import orders_in_message
from bot.slack.envelope import channel_of
from bot.slack.listeners.modal import open_release_modal

RELEASE_IN_MESSAGE = "release_orders_in_message"  # callback ids, as in manifest.yml
RELEASE_ORDERS = "release_orders"
NO_ORDERS_IN_MESSAGE = "No order numbers in that message (written like P000123): choose below."


def release_in_message(
    ack: Ack, shortcut: dict[str, Any], client: WebClient, services: BotDependencies
) -> None:
    ack()
    found = orders_in_message((shortcut.get("message") or {}).get("text") or "")
    open_release_modal(
        client,
        services,
        shortcut["trigger_id"],
        shortcut["user"]["id"],
        channel_of(shortcut),
        found.orders,
        found.papers,
        note=None if found.orders else NO_ORDERS_IN_MESSAGE,
    )


def release_orders(
    ack: Ack, shortcut: dict[str, Any], client: WebClient, services: BotDependencies
) -> None:
    """A global shortcut has no conversation: the dialog asks where to post."""
    ack()
    open_release_modal(client, services, shortcut["trigger_id"], shortcut["user"]["id"], None)


def register(app: App) -> None:
    app.shortcut(RELEASE_IN_MESSAGE)(release_in_message)
    app.shortcut(RELEASE_ORDERS)(release_orders)

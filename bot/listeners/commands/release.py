"""`/release`: opens the modal (with orders given), `list`, `digest …`, `help`; anything else
gets help."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.listeners.modal import open_release_modal
from bot.services import BotServices
from bot.views.help import help_message
from bot.views.waiting_list import SHOWN, waiting_list
from domain.queries import OrderFilter, search_orders
from domain.rules import order_number
from domain.statuses import OrderStatus


def register(app: App, services: BotServices) -> None:
    @app.command("/release")
    def release_command(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        words = command.get("text", "").replace(",", " ").split()
        first = words[0].lower() if words else ""
        if first == "help":
            ack(**help_message())
            return
        if first == "digest":
            rest = command.get("text", "").strip()[len("digest") :]
            text = services.digests.handle(rest, command["user_id"], command["channel_id"])
            ack(response_type="ephemeral", text=text)
            return
        if first == "list":
            with services.runtime.sessions() as session:
                orders, total = search_orders(
                    session, OrderFilter(status=OrderStatus.SCHEDULED), "", SHOWN
                )
            ack(**waiting_list(orders, total))
            return
        numbers = [order_number(word) for word in words]
        unknown = [word for word, number in zip(words, numbers, strict=True) if number is None]
        if unknown:
            ack(**help_message(f"I did not understand `{' '.join(unknown)}`."))
            return
        ack()
        open_release_modal(
            client,
            services,
            command["trigger_id"],
            command["user_id"],
            command.get("channel_id"),
            [number for number in numbers if number],
        )

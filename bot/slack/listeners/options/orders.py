"""The orders multi-select: scheduled orders matching the text and the modal's filters."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.bootstrap import BotDependencies
from bot.slack.blocks import release_modal as modal
from bot.slack.blocks.order_options import order_options
from domain.queries import OrderFilter
from domain.statuses import OrderStatus

SHOWN = 100  # Slack shows at most 100 options


def filters_of(view: dict[str, Any] | None) -> OrderFilter:
    """The filters as the modal's state has them (Slack sends the view with the load)."""
    chosen = modal.read_state(view)
    return OrderFilter(
        status=OrderStatus.SCHEDULED,
        site=chosen.site,
        warehouse=chosen.warehouse,
        start_from=chosen.start_from,
        start_to=chosen.start_to,
    )


def load_orders(
    ack: Ack, payload: dict[str, Any], body: dict[str, Any], services: BotDependencies
) -> None:
    typed = payload.get("value") or ""
    matches, total = services.runtime.orders.search(filters_of(body.get("view")), typed, SHOWN)
    ack(**order_options(matches, total))


def register(app: App) -> None:
    app.options(modal.ORDERS)(load_orders)

"""The orders multi-select: scheduled orders matching the text and the modal's filters."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.services import BotServices
from bot.views import release_modal as modal
from bot.views.order_options import order_options
from domain.queries import OrderFilter, search_orders
from domain.statuses import OrderStatus


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


def register(app: App, services: BotServices) -> None:
    @app.options(modal.ORDERS)
    def load_orders(ack: Ack, payload: dict[str, Any], body: dict[str, Any]) -> None:
        with services.runtime.sessions() as session:
            matches, total = search_orders(
                session, filters_of(body.get("view")), payload.get("value") or "", 100
            )
        ack(**order_options(matches, total))

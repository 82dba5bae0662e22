"""The orders multi-select: scheduled orders matching the text and the modal's filters."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_bolt import Ack, App

from bot.services import BotServices
from bot.views import release_modal as modal
from bot.views.order_options import order_options
from domain.queries import OrderFilter, search_orders
from domain.statuses import OrderStatus


def filters_of(view: dict[str, Any] | None) -> OrderFilter:
    """The filters as the modal's state has them (Slack sends the view with the load)."""
    values = ((view or {}).get("state") or {}).get("values") or {}

    def picked(block: str, key: str) -> Any:
        return (values.get(block, {}).get(block) or {}).get(key)

    site = picked(modal.SITE, "selected_option")
    warehouse = picked(modal.WAREHOUSE, "selected_option")
    start_from = picked(modal.START_FROM, "selected_date")
    start_to = picked(modal.START_TO, "selected_date")
    return OrderFilter(
        status=OrderStatus.SCHEDULED,
        site=site["value"] if site else None,
        warehouse=warehouse["value"] if warehouse else None,
        start_from=date.fromisoformat(start_from) if start_from else None,
        start_to=date.fromisoformat(start_to) if start_to else None,
    )


def register(app: App, services: BotServices) -> None:
    @app.options(modal.ORDERS)
    def load_orders(ack: Ack, payload: dict[str, Any], body: dict[str, Any]) -> None:
        with services.runtime.sessions() as session:
            matches, total = search_orders(
                session, filters_of(body.get("view")), payload.get("value") or "", 100
            )
        ack(**order_options(matches, total))

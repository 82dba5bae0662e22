"""The orders multi-select's options load: at most 100, most urgent first, never cut silently."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import Option, OptionGroup

from bot.slack.blocks.text import clip, counted
from domain.queries import OrderSummary
from domain.types import written_quantity

OPTION_TEXT_LIMIT = 75


def order_option(order: OrderSummary) -> Option:
    start = f"{order.scheduled_start:%Y-%m-%d %H:%M}" if order.scheduled_start else "no start"
    return Option(
        value=order.number,
        label=clip(
            f"{order.number} · {order.item} {order.item_name} · "
            f"{written_quantity(order.quantity, order.unit)}",
            OPTION_TEXT_LIMIT,
        ),
        description=clip(
            f"site {order.site} · wh {order.warehouse} · start {start} · "
            f"{order.scheduling_level.value} level",
            OPTION_TEXT_LIMIT,
        ),
    )


def order_options(matches: Sequence[OrderSummary], total: int) -> dict[str, Any]:
    """The options load's answer; when more match than are shown, a group label says so."""
    options = [order_option(order) for order in matches]
    if total <= len(matches):
        return {"options": [option.to_dict() for option in options]}
    label = f"{len(matches)} most urgent of {counted(total)} matches: type to narrow"
    return {
        "option_groups": [
            OptionGroup(label=clip(label, OPTION_TEXT_LIMIT), options=options).to_dict()
        ]
    }

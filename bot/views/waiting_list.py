"""`/release list`: the orders waiting for release, each with a button that opens the modal."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.views.moments import in_utc
from bot.views.text import clip, counted, plural
from domain.queries import OrderSummary
from domain.types import written_quantity

OPEN_RELEASE = "open_release"
SHOWN = 20


def release_button(number: str) -> ButtonElement:
    """*Release…* for one order, wherever orders are listed; a screen reader says which."""
    return ButtonElement(
        text="Release…",
        action_id=OPEN_RELEASE,
        value=number,
        accessibility_label=f"Release {number}…",
    )


def order_line(order: OrderSummary, at: Callable[[datetime], str] | None = None) -> str:
    """An order in two lines: what, and where and when; `at` writes the start for one
    person (bot/views/moments.py), else it is written in English, UTC."""
    start = (at or in_utc)(order.scheduled_start) if order.scheduled_start else "no start"
    return (
        f"*{order.number}* {order.item} {order.item_name}, "
        f"{written_quantity(order.quantity, order.unit)}\n"
        f"site {order.site} · warehouse {order.warehouse} · start {start} · "
        f"{order.scheduling_level.value} level"
    )


def shortage_mark(shortages: Sequence[str]) -> str:
    """What marks a waiting order that is short of material, wherever it is listed."""
    return ":small_red_triangle: *short*: " + "; ".join(shortages)


def waiting_list(
    orders: Sequence[OrderSummary], total: int, at: Callable[[datetime], str] | None = None
) -> dict[str, Any]:
    """The ephemeral answer to `/release list` (the slash command's response body); `at`
    writes times for the one person who reads it."""
    if not orders:
        return {"response_type": "ephemeral", "text": "No orders are waiting for release."}
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(text=clip(order_line(order, at), 3000)),
            accessory=release_button(order.number),
        )
        for order in orders
    ]
    shown = f"The {len(orders)} most urgent of {counted(total)}" if total > len(orders) else "All"
    blocks.append(
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=f"{shown} orders waiting for release. `/release` searches them all."
                )
            ]
        )
    )
    return {
        "response_type": "ephemeral",
        "text": f"{plural(total, 'order', counted(total))} waiting for release".capitalize(),
        "blocks": [block.to_dict() for block in blocks],
    }

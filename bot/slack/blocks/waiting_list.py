"""`/release list`: the orders waiting for release, each with a button that opens the modal."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    RawTextObject,
    TableBlock,
)

from bot.slack.blocks.moments import in_utc
from bot.slack.blocks.text import clip, counted, plural
from domain.queries import OrderSummary
from domain.types import written_quantity

OPEN_RELEASE = "open_release"
SHOWN = 20
TABLE_ROW_LIMIT = 100  # Slack's limit on a table block's rows, the header row included
ACTIONS_ELEMENT_LIMIT = 25  # Slack's limit on an actions block's elements
CELL_TEXT_LIMIT = 200  # a cell shows a line or two: 21 rows of 6 such cells stay far below
# the size of a message Slack takes
TABLE_HEADER = ("Order", "Item", "Qty", "Site", "Start")


def release_button(number: str, named: bool = False) -> ButtonElement:
    """*Release…* for one order, wherever orders are listed; a screen reader says which.
    `named` writes the number on the button too, for a row of buttons away from the order."""
    return ButtonElement(
        text=f"Release {number}…" if named else "Release…",
        action_id=OPEN_RELEASE,
        value=number,
        accessibility_label=f"Release {number}…",
    )


def order_line(order: OrderSummary, at: Callable[[datetime], str] | None = None) -> str:
    """An order in two lines: what, and where and when; `at` writes the start for one
    person (bot/slack/blocks/moments.py), else it is written in English, UTC."""
    start = (at or in_utc)(order.scheduled_start) if order.scheduled_start else "no start"
    return (
        f"*{order.number}* {order.item} {order.item_name}, "
        f"{written_quantity(order.quantity, order.unit)}\n"
        f"site {order.site} · warehouse {order.warehouse} · start {start} · "
        f"{order.scheduling_level.value} level"
    )


def order_table(
    orders: Sequence[OrderSummary],
    at: Callable[[datetime], str] | None = None,
    marks: tuple[str, Sequence[str]] | None = None,
) -> list[Block]:
    """Orders listed in a message: one table (Slack allows one a message) and, since a cell
    cannot hold a button, the orders' *Release…* buttons in rows below it, in the same order.
    `marks` is a last column's heading and its text for each order."""
    assert 0 < len(orders) < TABLE_ROW_LIMIT, "a table holds at most 99 orders"
    header = [*TABLE_HEADER, marks[0]] if marks else list(TABLE_HEADER)
    rows = [[_cell(heading) for heading in header]]
    for index, order in enumerate(orders):
        start = (at or in_utc)(order.scheduled_start) if order.scheduled_start else "no start"
        row = [
            order.number,
            f"{order.item} {order.item_name}",
            written_quantity(order.quantity, order.unit),
            order.site,
            start,
        ]
        if marks:
            row.append(marks[1][index])
        rows.append([_cell(text) for text in row])
    buttons = [release_button(order.number, named=True) for order in orders]
    return [
        TableBlock(rows=rows),
        *(
            ActionsBlock(elements=buttons[i : i + ACTIONS_ELEMENT_LIMIT])
            for i in range(0, len(buttons), ACTIONS_ELEMENT_LIMIT)
        ),
    ]


def _cell(text: str) -> RawTextObject:
    # Slack refuses an empty cell; a dash says there is nothing.
    return RawTextObject(text=clip(text.strip() or "-", CELL_TEXT_LIMIT))


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
    blocks = order_table(orders, at)
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

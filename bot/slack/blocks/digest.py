"""The digest message: a count, the most urgent orders in a table with their marks and a
*Release…* button each, and a button that opens the modal on all of them when more wait
than are shown.

Whatever the number of waiting orders, the message has one table of at most `SHOWN` orders,
one row of buttons and three more blocks, well within Slack's 50.
"""

from __future__ import annotations

import json
from datetime import date
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ValidationError
from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.slack.blocks.result import MESSAGE_BLOCK_LIMIT, Message
from bot.slack.blocks.text import SECTION_TEXT_LIMIT, clip, plural
from bot.slack.blocks.waiting_list import order_table
from domain.digests.content import Digest, WaitingOrder
from domain.queries import OrderFilter

OPEN_RELEASE_FILTERED = "open_release_filtered"


def digest_message(digest: Digest, timezone: str, all_clear: bool = False) -> Message | None:
    """The message to post, or None when nothing waits and no all-clear was asked for."""
    zone = ZoneInfo(timezone)
    until = f"{digest.horizon_end.astimezone(zone):%a %d %b %H:%M} {timezone}"
    where = f" at site {digest.site}" if digest.site else ""
    if not digest.total:
        if not all_clear:
            return None
        text = f":white_check_mark: All clear: no orders{where} wait for release until {until}."
        return Message(text=text, blocks=[_section(text).to_dict()])
    headline = f"{plural(digest.total, 'order')} waiting for release{where}"
    facts = [f"starting before {until}"]
    if digest.overdue:
        facts.append(f":warning: {digest.overdue:,} overdue")
    blocks: list[Block] = [
        _section(f"*{headline}*"),
        ContextBlock(elements=[MarkdownTextObject(text=" · ".join(facts))]),
    ]
    blocks += order_table(
        [waiting.order for waiting in digest.orders],
        marks=("Marks", [_marks(waiting) for waiting in digest.orders]),
    )
    if digest.more:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text=f"…and {digest.more:,} more. `/release` searches them all."
                ),
                accessory=ButtonElement(
                    text="Release from all…",
                    action_id=OPEN_RELEASE_FILTERED,
                    value=filter_value(digest.order_filter()),
                ),
            )
        )
    rendered = [block.to_dict() for block in blocks]  # validates each block's limits
    assert len(rendered) <= MESSAGE_BLOCK_LIMIT, "digest overflows Slack's 50 blocks"
    return Message(text=headline, blocks=rendered)


def filter_value(order_filter: OrderFilter) -> str:
    """The filter a button carries to the modal: site and last start date."""
    start_to = order_filter.start_to.isoformat() if order_filter.start_to else None
    return json.dumps({"site": order_filter.site, "to": start_to})


class _Filter(BaseModel):
    site: str | None = None
    to: date | None = None


def filter_of(value: str) -> tuple[str | None, date | None]:
    """(site, last start date) a *Release from all…* button carries; none when the value is
    not one a digest wrote (a crafted request: the modal opens unfiltered)."""
    try:
        data = _Filter.model_validate_json(value)
    except ValidationError:
        return None, None
    return data.site, data.to


def _marks(waiting: WaitingOrder) -> str:
    """A table cell is raw text: the marks in words, no emoji codes or bold."""
    marks = []
    if waiting.overdue:
        marks.append("overdue")
    if waiting.shortages:
        marks.append("short: " + "; ".join(waiting.shortages))
    return " · ".join(marks)


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=clip(text, SECTION_TEXT_LIMIT)))

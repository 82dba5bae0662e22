"""The result message of a release: what was released, by whom, the work, what was refused.

A release of any size gives a valid message: lines are packed into sections and what
does not fit within Slack's 50 blocks is counted, not dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.views.text import clip, pack_lines, plural
from domain.release_record import ReleasedOrder, ReleaseRecord
from domain.statuses import PaperKind

MESSAGE_BLOCK_LIMIT = 50
FALLBACK_TEXT_LIMIT = 4000
RELEASED_SECTIONS = 25
REFUSED_SECTIONS = 15


@dataclass(frozen=True)
class Message:
    text: str
    blocks: list[dict[str, Any]]


def summary_message(
    record: ReleaseRecord, requested_by: str, unfinished: list[str] | None = None
) -> Message:
    """`requested_by` is how the message names the person (a Slack mention)."""
    unfinished = unfinished or []
    counts = [f"{plural(len(record.released), 'order')} released"]
    if record.refused:
        counts.append(f"{len(record.refused):,} refused")
    if unfinished:
        counts.append(f"{len(unfinished):,} not processed")
    headline = f"Release {record.number} by {requested_by}: {', '.join(counts)}"
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=f"*{headline}*"))]
    blocks += _listing(
        [_released_line(order) for order in record.released],
        RELEASED_SECTIONS,
        "released",
    )
    refusals = [f":no_entry: {clip(order.reason, 500)}" for order in record.refused]
    refusals += [
        f":warning: {number}: not processed, the release was interrupted; nothing was "
        "changed for it, release it again"
        for number in unfinished
    ]
    if refusals:
        blocks.append(DividerBlock())
        blocks += _listing(refusals, REFUSED_SECTIONS, "refused")
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=_papers_note(record))]))
    rendered = [block.to_dict() for block in blocks]  # validates each block's limits
    assert len(rendered) <= MESSAGE_BLOCK_LIMIT, "summary overflows Slack's 50 blocks"
    return Message(text=clip(headline, FALLBACK_TEXT_LIMIT), blocks=rendered)


def _released_line(order: ReleasedOrder) -> str:
    work = ", ".join(order.work_numbers) or "no picking work"
    line = (
        f":white_check_mark: *{order.number}* {order.item} {order.item_name}, "
        f"{order.quantity:f} {order.unit} — work {work}"
    )
    if order.shortages:
        line += " — released short: " + "; ".join(order.shortages)
    return line


def _listing(lines: list[str], max_sections: int, what: str) -> list[Block]:
    chunks, left_out = pack_lines(lines, max_sections)
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=c)) for c in chunks]
    if left_out:
        note = f"…and {plural(left_out, 'more order')} {what}: `releasebot show ORDER` has each."
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=note)]))
    return blocks


def _papers_note(record: ReleaseRecord) -> str:
    if not record.papers:
        return "No papers were asked for."
    if not record.released:
        return "No papers: nothing was released."
    kinds = ", ".join(kind.label for kind in PaperKind if kind in record.papers)
    return f"{kinds}: the PDFs follow in this thread."

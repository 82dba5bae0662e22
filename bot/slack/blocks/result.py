"""The result message of a release: what was released, by whom, the work, what was refused.

A release of any size gives a valid message: lines are packed into sections and what
does not fit within Slack's 50 blocks is counted, not dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    DividerBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.slack.blocks.text import clip, pack_lines, plural
from domain.release_record import ReleasedOrder, ReleaseRecord
from domain.statuses import PaperKind
from domain.types import written_quantity

UNDO_RELEASE = "undo_release"
MESSAGE_BLOCK_LIMIT = 50
FALLBACK_TEXT_LIMIT = 4000
NUMBERS_TEXT_LIMIT = 2800  # of a context element's 3000, leaving room for the words
# each order on its own line up to these counts; the rest by number only
RELEASED_LINES = 30
REFUSED_LINES = 20


@dataclass(frozen=True)
class Message:
    text: str
    blocks: list[dict[str, Any]]


def summary_message(
    record: ReleaseRecord,
    requested_by: str,
    unfinished: list[str] | None = None,
    undone_by: str | None = None,
) -> Message:
    """`requested_by` is how the message names the person (a Slack mention); a release
    with released orders gets an *Undo* button, until `undone_by` (a mention) undid it."""
    unfinished = unfinished or []
    counts = [f"{plural(len(record.released), 'order')} released"]
    if record.refused:
        counts.append(f"{len(record.refused):,} refused")
    if unfinished:
        counts.append(f"{len(unfinished):,} not processed")
    headline = f"Release {record.number} by {requested_by}: {', '.join(counts)}"
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=f"*{headline}*"))]
    blocks += _listing(
        [(order.number, _released_line(order)) for order in record.released],
        RELEASED_LINES,
        "Also released",
    )
    refusals = [(order.number, f":no_entry: {clip(order.reason, 500)}") for order in record.refused]
    refusals += [
        (
            number,
            f":warning: {number}: not processed, the release was interrupted; nothing was "
            "changed for it, release it again",
        )
        for number in unfinished
    ]
    if refusals:
        blocks.append(DividerBlock())
        blocks += _listing(refusals, REFUSED_LINES, "Also refused or not processed")
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=_papers_note(record))]))
    if undone_by:
        headline += f" (undone by {undone_by})"
        blocks[0] = SectionBlock(text=MarkdownTextObject(text=f"*{headline}*"))
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=_undone_note(undone_by))]))
    elif record.released:
        blocks.append(ActionsBlock(elements=[_undo_button(record)]))
    rendered = [block.to_dict() for block in blocks]  # validates each block's limits
    assert len(rendered) <= MESSAGE_BLOCK_LIMIT, "summary overflows Slack's 50 blocks"
    return Message(text=clip(headline, FALLBACK_TEXT_LIMIT), blocks=rendered)


def _undo_button(record: ReleaseRecord) -> ButtonElement:
    return ButtonElement(
        text="Undo",
        action_id=UNDO_RELEASE,
        value=record.number,
        accessibility_label=f"Undo release {record.number}",
        confirm=ConfirmObject(
            title="Undo this release?",
            text=f"The orders of {record.number} go back to scheduled and their open picking "
            "work is cancelled. Only while none of the work has started.",
            confirm="Undo",
            deny="Keep",
        ),
    )


def _undone_note(undone_by: str) -> str:
    return (
        f":leftwards_arrow_with_hook: Undone by {undone_by}: the orders are back to scheduled "
        "and their picking work is cancelled."
    )


def _released_line(order: ReleasedOrder) -> str:
    work = ", ".join(order.work_numbers) or "no picking work"
    line = (
        f":white_check_mark: *{order.number}* {order.item} {order.item_name}, "
        f"{written_quantity(order.quantity, order.unit)} — work {work}"
    )
    if order.shortages:
        line += " — released short: " + "; ".join(order.shortages)
    return line


def _listing(entries: list[tuple[str, str]], full_lines: int, also: str) -> list[Block]:
    """The first entries line by line, the rest as order numbers, and a count of any beyond."""
    chunks, _ = pack_lines([line for _, line in entries[:full_lines]], max_chunks=full_lines)
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=c)) for c in chunks]
    rest = [number for number, _ in entries[full_lines:]]
    if rest:
        listed = _fitting(rest, NUMBERS_TEXT_LIMIT)
        text = f"{also} ({len(rest):,}): {', '.join(listed)}"
        if len(listed) < len(rest):
            text += f" and {len(rest) - len(listed):,} more (`releasebot show ORDER` has each)"
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=text)]))
    return blocks


def _fitting(numbers: list[str], limit: int) -> list[str]:
    """As many numbers as fit in `limit` characters, comma-separated."""
    fitting: list[str] = []
    length = 0
    for number in numbers:
        length += len(number) + 2
        if length > limit:
            break
        fitting.append(number)
    return fitting


def _papers_note(record: ReleaseRecord) -> str:
    if not record.papers:
        return "No papers were asked for."
    if not record.released:
        return "No papers: nothing was released."
    kinds = ", ".join(kind.label for kind in PaperKind if kind in record.papers)
    return f"{kinds}: the PDFs follow in this thread."

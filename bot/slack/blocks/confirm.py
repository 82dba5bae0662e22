"""The confirmation view: per order, what the release will do and what it cannot."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    SectionBlock,
    StaticMultiSelectElement,
)
from slack_sdk.models.views import View

from bot.slack.blocks.text import pack_lines, plural
from bot.slack.envelope import ConversationId
from domain.services.preview import OrderPreview
from domain.statuses import PaperKind

CALLBACK_ID = "release_confirm"
PRINT_AT = "print_at"  # block and action id
MAX_CHECKBOXES = 10
MAX_SECTIONS = 40  # of the 100 blocks a modal may hold


@dataclass(frozen=True)
class ConfirmedChoice:
    """What the confirm button releases; carried in the view's private metadata."""

    orders: list[str]
    papers: list[PaperKind]
    channel: str
    printers: list[str] = field(default_factory=list)  # the queues "Print at" offered

    def to_metadata(self) -> str:
        return json.dumps(
            {
                "orders": self.orders,
                "papers": [p.value for p in self.papers],
                "ch": self.channel,
                "pr": self.printers,
            }
        )

    @classmethod
    def from_metadata(cls, text: str) -> ConfirmedChoice:
        """ValueError when the text is not metadata this view wrote (a crafted request)."""
        data = _Metadata.model_validate_json(text)
        return cls(orders=data.orders, papers=data.papers, channel=data.ch, printers=data.pr)

    def printers_chosen(self, container: Mapping[str, Any]) -> list[str] | None:
        """The offered queues ticked in the view or message (its `state`), never one it did
        not offer; None when none was offered."""
        if not self.printers:
            return None
        values = ((container.get("state") or {}).get("values") or {}).get(PRINT_AT) or {}
        element = values.get(PRINT_AT) or {}
        ticked = {
            option.get("value")
            for option in element.get("selected_options") or []
            if isinstance(option, dict)
        }
        return [queue for queue in self.printers if queue in ticked]


class _Metadata(BaseModel):
    orders: list[str]
    papers: list[PaperKind]
    ch: ConversationId
    pr: list[str] = []


def print_at_element(
    offered: Sequence[str], checked: Collection[str]
) -> CheckboxesElement | StaticMultiSelectElement:
    """ "Print at …": the queues that serve the chosen papers and orders, as checkboxes
    (a multi-select beyond the 10 checkboxes Slack allows); the modal and the chat question
    read it from the same place of their state (PRINT_AT, PRINT_AT)."""
    options = [Option(value=queue, label=queue) for queue in offered]
    initial = [option for option in options if option.value in checked] or None
    if len(options) <= MAX_CHECKBOXES:
        return CheckboxesElement(action_id=PRINT_AT, options=options, initial_options=initial)
    return StaticMultiSelectElement(
        action_id=PRINT_AT, placeholder="Print at", options=options, initial_options=initial
    )


def print_at(offered: Sequence[str], checked: Collection[str]) -> InputBlock:
    element = print_at_element(offered, checked)
    return InputBlock(block_id=PRINT_AT, label="Print at", optional=True, element=element)


def order_line(preview: OrderPreview) -> str:
    """One order of a confirmation: a mark, the order, and what will happen or why not."""
    what = f" {preview.item}, {preview.quantity}" if preview.item else ""
    notes = "; ".join(preview.notes)
    mark = ":white_check_mark:" if preview.releasable else ":no_entry:"
    return f"{mark} *{preview.number}*{what}: {notes}"


def confirm_view(
    previews: Sequence[OrderPreview],
    papers: Collection[PaperKind],
    channel: str,
    printers: Sequence[str] = (),
    checked: Collection[str] = (),
) -> View:
    """`printers`: the queues to offer under "Print at", `checked` of them ticked."""
    releasable = [p for p in previews if p.releasable]
    refused = [p for p in previews if not p.releasable]
    lines = [order_line(p) for p in releasable] + [order_line(p) for p in refused]
    chunks, left_out = pack_lines(lines, MAX_SECTIONS)
    chosen = ", ".join(kind.label for kind in PaperKind if kind in papers) or "no papers"
    intro = (
        f"Release {plural(len(releasable), 'order')} and post the result in <#{channel}>, "
        f"with {chosen}."
        if releasable
        else "None of these orders can be released now."
    )
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=intro))]
    blocks += [SectionBlock(text=MarkdownTextObject(text=chunk)) for chunk in chunks]
    footer = []
    if refused and releasable:
        footer.append(f"{plural(len(refused), 'order')} will be left out.")
    if left_out:
        footer.append(f"{plural(left_out, 'more order')} not shown.")
    if footer:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=" ".join(footer))]))
    offered = list(printers) if releasable else []
    if offered:
        blocks.append(print_at(offered, checked))
    choice = ConfirmedChoice([p.number for p in releasable], sorted(papers), channel, offered)
    return View(
        type="modal",
        callback_id=CALLBACK_ID,
        title="Confirm release",
        submit="Release" if releasable else None,
        close="Cancel",
        blocks=blocks,
        private_metadata=choice.to_metadata(),
    )


def releasing_view(count: int, channel: str) -> View:
    """What the modal shows once the release is under way."""
    return View(
        type="modal",
        title="Releasing",
        close="Close",
        blocks=[
            SectionBlock(
                text=MarkdownTextObject(
                    text=f"Releasing {plural(count, 'order')}. The result and the papers "
                    f"will be posted in <#{channel}>."
                )
            )
        ],
    )

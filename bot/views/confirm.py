"""The confirmation view: per order, what the release will do and what it cannot."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from pydantic import BaseModel
from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject, SectionBlock
from slack_sdk.models.views import View

from bot.envelope import ConversationId
from bot.views.text import pack_lines, plural
from domain.services.preview import OrderPreview
from domain.statuses import PaperKind

CALLBACK_ID = "release_confirm"
MAX_SECTIONS = 40  # of the 100 blocks a modal may hold


@dataclass(frozen=True)
class ConfirmedChoice:
    """What the confirm button releases; carried in the view's private metadata."""

    orders: list[str]
    papers: list[PaperKind]
    channel: str

    def to_metadata(self) -> str:
        return json.dumps(
            {"orders": self.orders, "papers": [p.value for p in self.papers], "ch": self.channel}
        )

    @classmethod
    def from_metadata(cls, text: str) -> ConfirmedChoice:
        """ValueError when the text is not metadata this view wrote (a crafted request)."""
        data = _Metadata.model_validate_json(text)
        return cls(orders=data.orders, papers=data.papers, channel=data.ch)


class _Metadata(BaseModel):
    orders: list[str]
    papers: list[PaperKind]
    ch: ConversationId


def order_line(preview: OrderPreview) -> str:
    """One order of a confirmation: a mark, the order, and what will happen or why not."""
    what = f" {preview.item}, {preview.quantity}" if preview.item else ""
    notes = "; ".join(preview.notes)
    mark = ":white_check_mark:" if preview.releasable else ":no_entry:"
    return f"{mark} *{preview.number}*{what}: {notes}"


def confirm_view(
    previews: Sequence[OrderPreview], papers: Collection[PaperKind], channel: str
) -> View:
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
    blocks = [SectionBlock(text=MarkdownTextObject(text=intro))]
    blocks += [SectionBlock(text=MarkdownTextObject(text=chunk)) for chunk in chunks]
    footer = []
    if refused and releasable:
        footer.append(f"{plural(len(refused), 'order')} will be left out.")
    if left_out:
        footer.append(f"{plural(left_out, 'more order')} not shown.")
    if footer:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=" ".join(footer))]))
    choice = ConfirmedChoice([p.number for p in releasable], sorted(papers), channel)
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

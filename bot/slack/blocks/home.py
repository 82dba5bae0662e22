"""The App Home: the orders waiting at the person's sites, their recent releases, the
channels' digests, and buttons to release. At most about 45 of a tab's 100 blocks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.slack.blocks.digest import OPEN_RELEASE_FILTERED, filter_value
from bot.slack.blocks.moments import Moments
from bot.slack.blocks.text import clip, counted, plural
from bot.slack.blocks.waiting_list import order_line, release_button, shortage_mark
from domain.digests.subscriptions import Subscription
from domain.queries import COUNTED_UP_TO, OrderFilter, OrderSummary
from domain.services.materials import AvailabilityReport
from domain.statuses import OrderStatus

HOME_BLOCK_LIMIT = 100
SHOWN_ORDERS = 15
SHOWN_RELEASES = 5
SHOWN_DIGESTS = 10


def home_view(
    orders: Sequence[OrderSummary],
    total: int,
    now: datetime,
    sites: frozenset[str] | None,
    releases: Sequence[str],
    digests: Sequence[Subscription],
    moments: Moments | None = None,
    checks: Mapping[str, AvailabilityReport] | None = None,
) -> View:
    """`orders`: the most urgent of the `total` waiting at the person's sites (`sites`, None
    for all; `total` as `search_orders` counts, exact up to `COUNTED_UP_TO`); `releases`:
    lines about their recent releases; `digests`: every channel's; `moments`: how the person
    reads times (their locale and time zone); `checks`: by order, what stands in the way of
    releasing it now."""
    checks = checks or {}
    where = "all sites" if sites is None else f"site {', '.join(sorted(sites))}"
    if sites is not None and not sites:
        where = "no site: you may look but not release"
    blocks: list[Block] = [
        HeaderBlock(text="Orders waiting for release"),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=f"Yours to release: {where}."
                    + (f" Times in {moments.timezone}." if moments else "")
                )
            ]
        ),
        ActionsBlock(
            elements=[
                ButtonElement(
                    text="Release orders…",
                    action_id=OPEN_RELEASE_FILTERED,
                    value=filter_value(OrderFilter(status=OrderStatus.SCHEDULED)),
                    style="primary",
                )
            ]
        ),
    ]
    for order in orders:
        overdue = order.scheduled_start is not None and order.scheduled_start < now
        marks = [":warning: *overdue*"] if overdue else []
        check = checks.get(order.number)
        if check is not None and check.refusal:
            marks.append(f":no_entry: {check.refusal}")
        elif check is not None and check.shortages:
            marks.append(shortage_mark([line.describe() for line in check.shortages]))
        text = " · ".join([order_line(order, moments.at if moments else None), *marks])
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(text=clip(text, 3000)),
                accessory=release_button(order.number),
            )
        )
    if total > len(orders):
        others = (
            f"{total - len(orders):,} more"
            if total <= COUNTED_UP_TO
            else f"others, {counted(total)} in all"
        )
        blocks.append(_note(f"…and {others}: *Release orders…* searches them all."))
    if not total:
        blocks.append(_note("Nothing is waiting."))
    blocks += [DividerBlock(), HeaderBlock(text="Your recent releases")]
    blocks += [_note(line) for line in releases] or [_note("None yet.")]
    blocks += [DividerBlock(), HeaderBlock(text="Digests")]
    blocks += [_note(f"<#{s.channel}>: {s.describe()}") for s in digests[:SHOWN_DIGESTS]] or [
        _note("No channel has a digest: `/release digest daily 07:00` in a channel starts one.")
    ]
    if len(digests) > SHOWN_DIGESTS:
        blocks.append(_note(f"and {plural(len(digests) - SHOWN_DIGESTS, 'more digest')}"))
    assert len(blocks) <= HOME_BLOCK_LIMIT, "the home tab overflows Slack's 100 blocks"
    return View(type="home", blocks=blocks)


def _note(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=clip(text, 3000))])

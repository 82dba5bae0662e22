"""The `/release` modal: filters, the orders (searched by the options load), papers, channel."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError
from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    ContextBlock,
    ConversationSelectElement,
    DatePickerElement,
    ExternalDataMultiSelectElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.slack.blocks.order_options import order_option
from bot.slack.blocks.text import clip
from bot.slack.envelope import ConversationId
from domain.queries import OrderSummary
from domain.statuses import PaperKind

CALLBACK_ID = "release_choose"
# block ids double as action ids: one element per input block
SITE = "site"
WAREHOUSE = "warehouse"
START_FROM = "start_from"
START_TO = "start_to"
ORDERS = "orders"
PAPERS = "papers"
CHANNEL = "channel"
FILTERS = (SITE, WAREHOUSE, START_FROM, START_TO)

MAX_ORDERS = 100  # one release per modal; larger lots go in several releases or the CLI
MAX_SELECT_OPTIONS = 100


@dataclass(frozen=True)
class ModalChoices:
    """What the modal offers and what it starts with."""

    sites: Sequence[str]
    warehouses: Sequence[str]
    chosen: Sequence[OrderSummary] = ()
    papers: Collection[PaperKind] = ()
    channel: str | None = None
    not_found: Sequence[str] = ()
    left_out: Sequence[str] = ()  # beyond MAX_ORDERS
    site: str | None = None  # filters set beforehand (a digest's "and N more")
    start_to: date | None = None
    note: str | None = None  # what the person should know first (a shortcut found no orders)


@dataclass(frozen=True)
class ModalState:
    """What the person chose in the modal (Slack sends it with a submission or a load)."""

    orders: list[str]
    papers: frozenset[PaperKind]
    channel: str | None
    site: str | None
    warehouse: str | None
    start_from: date | None
    start_to: date | None


class _Option(BaseModel):
    value: str


class _Input(BaseModel):
    """One input's value, as Slack puts it in `view.state.values[block][action]`."""

    selected_options: list[_Option] = []
    selected_option: _Option | None = None
    selected_conversation: ConversationId | None = None
    selected_date: date | None = None


class _Metadata(BaseModel):
    channel: ConversationId | None = None


def read_state(view: Mapping[str, Any] | None) -> ModalState:
    """The modal's choices; an input that does not read as Slack writes it counts as unset,
    so a crafted request gets the modal's own field errors rather than a failure."""
    values = ((view or {}).get("state") or {}).get("values") or {}

    def read(block: str) -> _Input:
        try:
            return _Input.model_validate(values[block][block])
        except (KeyError, TypeError, ValidationError):  # left empty, or crafted
            return _Input()

    def option(block: str) -> str | None:
        chosen = read(block).selected_option
        return chosen.value if chosen else None

    try:
        metadata = _Metadata.model_validate_json((view or {}).get("private_metadata") or "{}")
    except ValidationError:
        metadata = _Metadata()
    papers = {option.value for option in read(PAPERS).selected_options}
    return ModalState(
        orders=[option.value for option in read(ORDERS).selected_options],
        papers=frozenset(kind for kind in PaperKind if kind.value in papers),
        channel=read(CHANNEL).selected_conversation or metadata.channel,
        site=option(SITE),
        warehouse=option(WAREHOUSE),
        start_from=read(START_FROM).selected_date,
        start_to=read(START_TO).selected_date,
    )


def paper_option(kind: PaperKind) -> Option:
    return Option(value=kind.value, label=kind.label)


def release_modal(choices: ModalChoices) -> View:
    blocks: list[Block] = [
        _filter(SITE, "Site", choices.sites, choices.site),
        _filter(WAREHOUSE, "Warehouse", choices.warehouses),
        InputBlock(
            block_id=START_FROM,
            label="Scheduled start from",
            optional=True,
            element=DatePickerElement(action_id=START_FROM),
        ),
        InputBlock(
            block_id=START_TO,
            label="Scheduled start to",
            optional=True,
            element=DatePickerElement(
                action_id=START_TO,
                initial_date=choices.start_to.isoformat() if choices.start_to else None,
            ),
        ),
        InputBlock(
            block_id=ORDERS,
            label="Orders",
            hint=f"Type an order or item number; most urgent first. Up to {MAX_ORDERS} orders.",
            element=ExternalDataMultiSelectElement(
                action_id=ORDERS,
                placeholder="Search scheduled orders",
                min_query_length=0,
                max_selected_items=MAX_ORDERS,
                initial_options=[order_option(order) for order in choices.chosen] or None,
            ),
        ),
        InputBlock(
            block_id=PAPERS,
            label="Print",
            optional=True,
            element=CheckboxesElement(
                action_id=PAPERS,
                options=[paper_option(kind) for kind in PaperKind],
                initial_options=[paper_option(k) for k in PaperKind if k in choices.papers] or None,
            ),
        ),
        InputBlock(
            block_id=CHANNEL,
            label="Post the result in",
            element=ConversationSelectElement(
                action_id=CHANNEL,
                initial_conversation=choices.channel,
                default_to_current_conversation=choices.channel is None,
            ),
        ),
    ]
    notes = [choices.note] if choices.note else []
    if choices.not_found:
        notes.append(f"Not found, left out: {', '.join(choices.not_found)}")
    if choices.left_out:
        notes.append(
            f"At most {MAX_ORDERS} orders per release; left out for a next one: "
            + ", ".join(choices.left_out)
        )
    if notes:
        text = clip("\n".join(notes), 3000)
        blocks.insert(0, ContextBlock(elements=[MarkdownTextObject(text=text)]))
    return View(
        type="modal",
        callback_id=CALLBACK_ID,
        title="Release orders",
        submit="Review",
        close="Cancel",
        blocks=blocks,
        private_metadata=json.dumps({"channel": choices.channel}),
    )


def _filter(
    block_id: str, label: str, codes: Sequence[str], chosen: str | None = None
) -> InputBlock:
    options = [Option(value=code, label=code) for code in codes[:MAX_SELECT_OPTIONS]]
    return InputBlock(
        block_id=block_id,
        label=label,
        optional=True,
        element=StaticSelectElement(
            action_id=block_id,
            placeholder=f"Any {label.lower()}",
            options=options,
            initial_option=next((o for o in options if o.value == chosen), None),
        ),
    )

"""Answers to chat and voice: the question a release waits on, which order was meant, an
order's card, and help. Each answer is the keyword arguments of one message."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.conversation.commands import Digest, ReleaseOrders, ShowOrder
from bot.conversation.language import EXAMPLES, PROMPTS
from bot.conversation.orders import Ambiguous, choose
from bot.conversation.parser import parse
from bot.conversation.question import confirmation, digest_when
from bot.slack.blocks.confirm import PRINT_AT, ConfirmedChoice, order_line, print_at_element
from bot.slack.blocks.moments import in_utc
from bot.slack.blocks.text import SECTION_TEXT_LIMIT, clip, pack_lines, plural
from bot.slack.blocks.waiting_list import release_button
from domain.queries import OrderDetail
from domain.services.preview import OrderPreview
from domain.statuses import OrderStatus, PaperKind
from domain.types import written_quantity

CONFIRM = "chat_confirm"
CONFIRM_UNDO = "chat_confirm_undo"
CONFIRM_DIGEST = "chat_confirm_digest"
EDIT = "chat_edit"
CANCEL = "chat_cancel"
PICK_ORDER = "chat_pick_order"
PROMPT = "chat_prompt"
MAX_PREVIEW_SECTIONS = 12  # 36,000 characters: under what a message may hold
MAX_CANDIDATE_BUTTONS = 10

Message = dict[str, Any]


def message(text: str, blocks: Sequence[Block] = ()) -> Message:
    """`text` is the notification and fallback; blocks, when given, are what people see."""
    answer: Message = {"text": clip(text, 3000)}
    if blocks:
        answer["blocks"] = [block.to_dict() for block in blocks]
    return answer


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=clip(text, SECTION_TEXT_LIMIT)))


def release_question(
    question: str,
    previews: Sequence[OrderPreview],
    papers: Collection[PaperKind],
    channel: str,
    printers: Sequence[str] = (),
    checked: Collection[str] = (),
) -> Message:
    """ "Release P000123 with Route card?", what each order will get, "Print at" the
    `printers` (`checked` ticked), Confirm / Edit / Cancel.

    Confirm carries only the orders that can be released; Edit all of them, into the modal."""
    releasable = [p for p in previews if p.releasable]
    lines = [order_line(p) for p in releasable]
    lines += [order_line(p) for p in previews if not p.releasable]
    chunks, left_out = pack_lines(lines, MAX_PREVIEW_SECTIONS)
    blocks: list[Block] = [_section(f"*{question}*"), *map(_section, chunks)]
    if left_out:
        blocks.append(_context(f"{plural(left_out, 'more order')} not shown."))
    buttons = [
        ButtonElement(
            text="Edit",
            action_id=EDIT,
            value=_choice([p.number for p in previews], papers, channel),
        ),
        _cancel(),
    ]
    if releasable:
        offered = list(printers)
        if offered:
            blocks.append(_context("Print at"))
            element = print_at_element(offered, checked)
            blocks.append(ActionsBlock(block_id=PRINT_AT, elements=[element]))
        value = _choice([p.number for p in releasable], papers, channel, offered)
        buttons.insert(
            0, ButtonElement(text="Confirm", action_id=CONFIRM, value=value, style="primary")
        )
    else:
        blocks.append(_context("None of these orders can be released now."))
    blocks.append(ActionsBlock(elements=buttons))
    return message(question, blocks)


def yes_no(question: str, action_id: str, value: str) -> Message:
    """A question about something else than a release (undo, a digest): Confirm or Cancel."""
    confirm = ButtonElement(text="Confirm", action_id=action_id, value=value, style="primary")
    return message(
        question, [_section(f"*{question}*"), ActionsBlock(elements=[confirm, _cancel()])]
    )


def _cancel() -> ButtonElement:
    return ButtonElement(text="Cancel", action_id=CANCEL, value="cancel")


def _choice(
    orders: list[str], papers: Collection[PaperKind], channel: str, printers: Sequence[str] = ()
) -> str:
    """A button's value (at most 2,000 characters: the parser's 60 words name fewer orders)."""
    return ConfirmedChoice(orders, sorted(papers), channel, list(printers)).to_metadata()


def _context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=clip(text, SECTION_TEXT_LIMIT))])


def settled(question: str, outcome: str) -> Message:
    """The question once answered: struck through, with what became of it; no buttons."""
    return message(f"{question} {outcome}", [_section(f"~{question}~\n{outcome}")])


def which_order(ambiguous: Ambiguous, command: ReleaseOrders | ShowOrder) -> Message:
    """The candidates as buttons; each carries the whole command with that order filled in."""
    question = ambiguous.question()
    buttons = [
        ButtonElement(
            text=candidate,
            action_id=PICK_ORDER,
            value=command_value(choose(command, ambiguous.reference, candidate)),
            accessibility_label=f"Mean {candidate}",
        )
        for candidate in ambiguous.candidates[:MAX_CANDIDATE_BUTTONS]
    ]
    return message(question, [_section(question), ActionsBlock(elements=buttons)])


def which_reading(commands: Sequence[ReleaseOrders | ShowOrder | Digest]) -> Message:
    """Two readings of a clip stayed plausible: "Did you say …?" with a button for each; a
    tap answers as if that one had been said (its question still asks to confirm)."""
    said = [confirmation(command).removesuffix("?") for command in commands]
    question = "I heard two things. Did you say " + " or ".join(f"“{s}”" for s in said) + "?"
    buttons = [
        ButtonElement(
            text=clip(_reading_button(command, text), 75),
            action_id=PICK_ORDER,
            value=command_value(command),
            accessibility_label=clip(f"I said: {text}", 75),
        )
        for text, command in zip(said, commands, strict=True)
    ]
    return message(question, [_section(question), ActionsBlock(elements=buttons)])


def _reading_button(command: ReleaseOrders | ShowOrder | Digest, said: str) -> str:
    """A reading's button: what was said; a digest by its time alone (two long sentences
    that differ at their end look alike on a phone, which cuts a button's text short)."""
    if not isinstance(command, Digest):
        return said
    when = digest_when(command)
    return f"Digest {when}" if when else "Stop the digest"


def command_value(command: ReleaseOrders | ShowOrder | Digest) -> str:
    if isinstance(command, ShowOrder):
        return json.dumps({"show": command.order})
    if isinstance(command, Digest):
        return json.dumps({"digest": command.spec})
    return json.dumps({"release": command.orders, "papers": sorted(command.papers)})


def command_from_value(value: str) -> ReleaseOrders | ShowOrder | Digest:
    """The command a button carries; ValueError (or KeyError) when it was not ours."""
    data = json.loads(value)
    if "show" in data:
        return ShowOrder(str(data["show"]))
    if "digest" in data:
        digest = Digest(str(data["digest"]))
        if parse(f"digest {digest.spec}") != digest:  # a spec only as the parser writes it
            raise ValueError(f"not a digest the chat says: {digest.spec!r}")
        return digest
    return ReleaseOrders(
        tuple(str(order) for order in data["release"]),
        frozenset(PaperKind(paper) for paper in data["papers"]),
    )


def order_card(order: OrderDetail, at: Callable[[datetime], str] | None = None) -> Message:
    """`show P000123`: the order at a glance; a *Release…* button while it waits for release.
    `at` writes times for the one person who reads it (else English, UTC)."""

    def when(moment: datetime | None) -> str:
        return (at or in_utc)(moment) if moment else "not set"

    lines = [
        f"*{order.number}* {order.item} {order.item_name}, "
        f"{written_quantity(order.quantity, order.unit)} — *{order.status.value}*",
        f"site {order.site} · warehouse {order.warehouse} · "
        f"{order.scheduling_level.value} level ({plural(order.jobs, 'job')}) · "
        f"priority {order.priority}",
        f"start {when(order.scheduled_start)} · end {when(order.scheduled_end)}"
        + (f" · delivery {order.delivery_date:%a %d %b}" if order.delivery_date else ""),
    ]
    if order.released_by:
        lines.append(
            f"released by {order.released_by} {when(order.released_at)} "
            f"from {order.released_from or 'unknown'}"
        )
    lines += [
        f"picking work {work.number}: warehouse {work.warehouse}, {work.status}, "
        f"{plural(len(work.lines), 'line')}"
        for work in order.works
    ]
    section = _section("\n".join(lines))
    if order.status is OrderStatus.SCHEDULED:
        section.accessory = release_button(order.number)
    return message(f"{order.number}: {order.status.value}", [section])


CHAT_HELP = (
    "Write to me here, or mention me in a channel, or send a voice clip. For example:\n"
    + "\n".join(f"• {example}" for example in EXAMPLES)
    + "\nOrder numbers may be short: `123`, `p123` or said as “one two three”. "
    "Before anything is released I ask you to confirm what I understood. "
    "`/release` opens the dialog."
)


PROMPTS_TEXT = "Write to me in plain words, or send a voice clip. To start, tap one of these:"


def suggested_prompts() -> Message:
    """The first words in the Messages tab: a button per prompt, a tap says it for you."""
    return message(
        PROMPTS_TEXT + " " + "; ".join(f"“{prompt}”" for prompt in PROMPTS),
        [
            _section(PROMPTS_TEXT),
            ActionsBlock(
                block_id=PROMPT,
                elements=[
                    ButtonElement(text=prompt, action_id=f"{PROMPT}_{index}", value=prompt)
                    for index, prompt in enumerate(PROMPTS)
                ],
            ),
            ContextBlock(elements=[MarkdownTextObject(text="`help` shows more examples.")]),
        ],
    )

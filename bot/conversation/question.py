"""What the bot understood, as the question a person confirms before anything happens."""

from __future__ import annotations

from functools import singledispatch

from bot.conversation.commands import (
    Command,
    Digest,
    Help,
    ListWaiting,
    NotUnderstood,
    ReleaseOrders,
    ShowOrder,
    Undo,
)
from bot.conversation.language import EXAMPLES
from domain.statuses import PaperKind


def listing(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


@singledispatch
def confirmation(command: Command) -> str:
    """The question for the Confirm / Edit / Cancel buttons."""
    raise TypeError(f"not a command: {command!r}")


@confirmation.register
def _(command: ReleaseOrders) -> str:
    papers = [paper.label for paper in PaperKind if paper in command.papers]
    with_papers = f"with {listing(papers)}" if papers else "without papers"
    return f"Release {listing(list(command.orders))} {with_papers}?"


@confirmation.register
def _(command: ListWaiting) -> str:
    where = f" at site {command.site}" if command.site else ""
    until = f" due by {command.horizon}" if command.horizon else ""
    return f"List the orders waiting for release{where}{until}?"


@confirmation.register
def _(command: ShowOrder) -> str:
    return f"Show {command.order}?"


@confirmation.register
def _(command: Undo) -> str:
    return "Undo your last release?"


@confirmation.register
def _(command: Help) -> str:
    return "Show what I can do?"


@confirmation.register
def _(command: Digest) -> str:
    when = digest_when(command)
    if when is None:
        return "Stop the digest in this conversation?"
    return f"Post the orders waiting for release here {when}?"


def digest_when(command: Digest) -> str | None:
    """When the digest would be posted ("every weekday at 06:30"); None for "off"."""
    if command.spec == "off":
        return None
    frequency, time = command.spec.split()
    return f"{'every weekday' if frequency == 'weekdays' else 'every day'} at {time}"


def not_understood(result: NotUnderstood) -> str:
    """ "I didn't catch that", why when known, and what to say instead."""
    reason = f" ({result.reason})" if result.reason else ""
    examples = "\n".join(f"• {example}" for example in EXAMPLES)
    return f"I didn't catch that{reason}. Try for example:\n{examples}"

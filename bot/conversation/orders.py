"""Order numbers as people say them (123, p123, "one two three") -> the orders that exist."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

from bot.conversation.commands import Command, ReleaseOrders, ShowOrder
from bot.conversation.parser import parse, tokens
from domain.rules import normalize_order_number, order_number
from domain.statuses import PaperKind

FULL_DIGITS = 6
SHOWN_CANDIDATES = 10


@dataclass(frozen=True)
class Ambiguous:
    """A number that fits several orders: ask which one."""

    reference: str
    candidates: tuple[str, ...]

    def question(self) -> str:
        shown = list(self.candidates[:SHOWN_CANDIDATES])
        more = len(self.candidates) - len(shown)
        if more:
            shown.append(f"{more} more")
        choices = ", ".join(shown[:-1]) + f" or {shown[-1]}"
        return f"Which order do you mean by {self.reference}: {choices}?"


@dataclass(frozen=True)
class NoSuchOrder:
    reference: str

    def message(self) -> str:
        """A full number as order numbers are written (the parser hands over its digits)."""
        digits = self.reference.upper().removeprefix("P")
        full = digits.isdigit() and len(digits) == FULL_DIGITS
        return f"No production order matches {f'P{digits}' if full else self.reference}."


def match_order(reference: str, existing: Collection[str]) -> str | Ambiguous | NoSuchOrder:
    """The one existing order `reference` names.

    The number itself wins (123 is P000123). Short of all six digits, a number may also be
    the end of an order number (123 -> P004123); several such endings are ambiguous.
    """
    digits = reference.strip().upper().removeprefix("P")
    number = normalize_order_number(digits)
    if number in existing:
        return number
    if not digits.isdigit() or len(digits) >= FULL_DIGITS:
        return NoSuchOrder(reference)
    endings = sorted(order for order in existing if order.endswith(digits))
    if len(endings) == 1:
        return endings[0]
    if endings:
        return Ambiguous(reference, tuple(endings))
    return NoSuchOrder(reference)


def resolve(command: Command, existing: Collection[str]) -> Command | Ambiguous | NoSuchOrder:
    """The command with every order reference replaced by the order it names, or the first
    reference that names none or several."""
    if isinstance(command, ShowOrder):
        found = match_order(command.order, existing)
        return replace(command, order=found) if isinstance(found, str) else found
    if isinstance(command, ReleaseOrders):
        numbers: list[str] = []
        for reference in command.orders:
            found = match_order(reference, existing)
            if not isinstance(found, str):
                return found
            if found not in numbers:
                numbers.append(found)
        return replace(command, orders=tuple(numbers))
    return command


def choose(
    command: ReleaseOrders | ShowOrder, reference: str, order: str
) -> ReleaseOrders | ShowOrder:
    """The command with `reference` replaced by the order a person picked for it."""
    if isinstance(command, ShowOrder):
        return replace(command, order=order)
    return replace(
        command, orders=tuple(order if said == reference else said for said in command.orders)
    )


def references(command: Command) -> tuple[str, ...]:
    """The digits of the order references a command names, to look the candidates up by."""
    if isinstance(command, ShowOrder):
        said: tuple[str, ...] = (command.order,)
    elif isinstance(command, ReleaseOrders):
        said = command.orders
    else:
        said = ()
    return tuple(reference.upper().removeprefix("P") for reference in said)


@dataclass(frozen=True)
class InMessage:
    """The orders (and papers, when it names them) a message is about."""

    orders: tuple[str, ...]
    papers: frozenset[PaperKind] | None = None


def orders_in_message(text: str) -> InMessage:
    """What a message shortcut opens the dialog with. A message that is a command ("release
    123 and 124 with route card") is read as the chat reads it; in any other text an order
    number is a word written as one, with its P (`p123`, `P000123`), read as `/release` reads
    it: a bare number in running text is as likely a quantity or a site."""
    heard = parse(text)
    if isinstance(heard, ReleaseOrders):
        said, papers = heard.orders, heard.papers or None
    elif isinstance(heard, ShowOrder):
        said, papers = (heard.order,), None
    else:
        said = tuple(word for word in tokens(text) if word[:1] in "pP")
        papers = None
    numbers = (order_number(word) for word in said)
    return InMessage(tuple(dict.fromkeys(n for n in numbers if n)), papers)

"""Order numbers as people say them (123, p123, "one two three") -> the orders that exist."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

from bot.conversation.commands import Command, ReleaseOrders, ShowOrder
from domain.rules import normalize_order_number

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
        return f"No production order matches {self.reference}."


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


def references(command: Command) -> tuple[str, ...]:
    """The order references a command names, to look the candidates up for."""
    if isinstance(command, ShowOrder):
        return (command.order,)
    if isinstance(command, ReleaseOrders):
        return command.orders
    return ()

"""What a person can ask the bot, by chat, voice or `/release`: one frozen value per command."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from domain.queries import OrderFilter
from domain.statuses import OrderStatus, PaperKind


class Horizon(StrEnum):
    """How far ahead "waiting" looks; overdue orders are always included."""

    TODAY = "today"
    TOMORROW = "tomorrow"
    THIS_WEEK = "this week"

    def last_day(self, today: date) -> date:
        if self is Horizon.TODAY:
            return today
        if self is Horizon.TOMORROW:
            return today + timedelta(days=1)
        return today + timedelta(days=6 - today.weekday())


@dataclass(frozen=True)
class ReleaseOrders:
    """Release orders with papers. `orders` are references as said until resolved."""

    orders: tuple[str, ...]
    papers: frozenset[PaperKind] = frozenset()


@dataclass(frozen=True)
class ListWaiting:
    """The scheduled orders waiting for release, optionally at one site, up to a horizon."""

    site: str | None = None
    horizon: Horizon | None = None

    def order_filter(self, today: date) -> OrderFilter:
        return OrderFilter(
            status=OrderStatus.SCHEDULED,
            site=self.site,
            start_to=self.horizon.last_day(today) if self.horizon else None,
        )


@dataclass(frozen=True)
class ShowOrder:
    order: str


@dataclass(frozen=True)
class Undo:
    """Undo this person's last release (the reset service)."""


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class Digest:
    """Subscribe the conversation to the digest: spec as `/release digest` takes it."""

    spec: str


Command = ReleaseOrders | ListWaiting | ShowOrder | Undo | Help | Digest


@dataclass(frozen=True)
class NotUnderstood:
    """Text or speech that is no command; `reason` says what was wrong when we know."""

    heard: str
    reason: str | None = None

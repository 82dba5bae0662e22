"""Looking orders up as people ask for them (the picker, a list, a partial number, what a
clip may name) and the release a person would undo; each read in a session of its own.
One order's details are the ERP's: `domain.services.details`."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from sqlalchemy.orm import Session, sessionmaker

from domain.decision import Ask
from domain.queries import (
    LastRelease,
    OrderFilter,
    OrderSummary,
    last_undoable_release,
    list_orders,
    order_numbers_ending,
    search_orders,
    site_and_warehouse_codes,
    spoken_order_numbers,
)
from domain.services.materials import AvailabilityReport, check_availability


class Orders:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def listed(self, order_filter: OrderFilter) -> list[OrderSummary]:
        """Every order the filter picks, most urgent first (`releasebot orders`)."""
        with self._sessions() as session:
            return list_orders(session, order_filter)

    def availability(
        self, numbers: Sequence[str], ask: Ask | None = None
    ) -> list[AvailabilityReport]:
        """What each order would be short of if released on its own now, or why it could
        not be (`check_availability`; `ask` by default the command line's)."""
        with self._sessions() as session:
            return check_availability(session, numbers, ask)

    def search(
        self, order_filter: OrderFilter, text: str, limit: int
    ) -> tuple[list[OrderSummary], int]:
        """The `limit` most urgent orders matching the filter and the typed text, and how
        many match (as `search_orders` counts)."""
        with self._sessions() as session:
            return search_orders(session, order_filter, text, limit)

    def numbers_ending(self, endings: Iterable[str]) -> list[str]:
        """The order numbers a partial number (its last digits) may mean."""
        with self._sessions() as session:
            return order_numbers_ending(session, endings)

    def vocabulary(
        self, limit: int, sites: Collection[str] | None
    ) -> tuple[list[str] | None, list[str]]:
        """What a voice clip may name: the orders people talk about at `sites` (None when
        more than `limit`), and every site code."""
        with self._sessions() as session:
            orders = spoken_order_numbers(session, limit, sites)
            codes, _ = site_and_warehouse_codes(session)
        return orders, codes

    def last_undoable(self, requester_id: str) -> LastRelease | None:
        """What "undo" in chat means for this person (whether it still can be, the reset
        decides)."""
        with self._sessions() as session:
            return last_undoable_release(session, requester_id)

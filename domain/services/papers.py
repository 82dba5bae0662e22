"""Which orders a paper shows, as the papers and the printers get them: a release's
released orders, a reprint's (released ones only), a printer job's, and where each
order's papers belong. Read in one transaction each; `reports` renders what these return.

The orders a paper prints are read as the ERP has them when the paper is made
(`OrderDetails`); where each order's papers belong reads the copy (the order's site and
warehouses). Raises `domain.erp.ErpUnavailable` when the ERP does not answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from domain.model import Release
from domain.printing import OrderPlace, pages_for
from domain.queries import OrderDetail, order_detail, released_order_numbers
from domain.rules import normalize_order_number
from domain.services.details import OrderDetails
from domain.statuses import OrderStatus


class PaperRefused(Exception):
    """These orders cannot have this paper (not released, not there, no jobs for a job
    paper); the message says which and why."""


@dataclass(frozen=True)
class ReleasedOrders:
    """A release's released orders, in the order they were asked for, under its number."""

    number: str
    orders: list[OrderDetail]


class Papers:
    def __init__(
        self, sessions: sessionmaker[Session], details: OrderDetails | None = None
    ) -> None:
        """`details`: where the orders are read (default: releasebot's own database)."""
        self._sessions = sessions
        self._details = details or OrderDetails(sessions)

    def of_release(self, release_id: int) -> ReleasedOrders:
        """Once its orders have committed; LookupError for a release that is not there."""
        with self._sessions() as session:
            release = session.get(Release, release_id)
            if release is None:
                raise LookupError(f"release {release_id} is not in the database")
            number, released = release.number, released_order_numbers(session, release_id)
        return ReleasedOrders(number, self._details.of(released))

    def reprint(self, order_numbers: Sequence[str]) -> list[OrderDetail]:
        """Released orders for papers again; anything else is refused, naming it."""
        orders = []
        for number in dict.fromkeys(normalize_order_number(n) for n in order_numbers):
            detail = self._details.detail(number)
            if detail is None:
                raise PaperRefused(f"{number}: no such production order")
            if detail.status is not OrderStatus.RELEASED:
                raise PaperRefused(
                    f"{number} is {detail.status.value.replace('_', ' ')}: papers are "
                    "printed for released orders only"
                )
            orders.append(detail)
        return orders

    def places(self, order_numbers: Sequence[str]) -> list[OrderPlace]:
        """Where each of these orders' papers belong (those in the database)."""
        with self._sessions() as session:
            return [
                OrderPlace.of(detail)
                for number in order_numbers
                if (detail := order_detail(session, number)) is not None
            ]

    def for_printer(
        self, order_numbers: Sequence[str], warehouses: Sequence[str] | None = None
    ) -> list[OrderDetail]:
        """The orders as a printer queue gets them: its warehouses' picking pages only,
        when it serves some warehouses; PaperRefused when none is in the database."""
        orders = [pages_for(detail, warehouses) for detail in self._details.of(order_numbers)]
        if not orders:
            raise PaperRefused(f"none of {', '.join(order_numbers)} is a production order")
        return orders

"""Reset status (undo a release): released -> scheduled while none of its work has started."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session, sessionmaker

from domain.model import OnHand, OrderEvent, ProductionOrder, WarehouseWork
from domain.rules import normalize_order_number
from domain.services.release import Clock, utc_now
from domain.statuses import OrderStatus, WorkStatus

log = logging.getLogger(__name__)

_STARTED = {WorkStatus.IN_PROGRESS, WorkStatus.CLOSED}


@dataclass(frozen=True)
class ResetResult:
    order_number: str
    reset: bool
    reason: str | None = None
    cancelled_work_numbers: tuple[str, ...] = ()


class ResetRefused(Exception):
    pass


class ResetService:
    def __init__(self, session_factory: sessionmaker[Session], clock: Clock = utc_now) -> None:
        self._sessions = session_factory
        self._clock = clock

    def reset(
        self, order_numbers: Sequence[str], requested_by: str, source: str = "cli"
    ) -> list[ResetResult]:
        numbers = dict.fromkeys(normalize_order_number(n) for n in order_numbers)
        return [self._reset_one(number, requested_by, source) for number in numbers]

    def _reset_one(self, number: str, requested_by: str, source: str) -> ResetResult:
        try:
            with self._sessions.begin() as session:
                cancelled = self._transition(session, number, requested_by, source)
        except ResetRefused as refusal:
            return ResetResult(order_number=number, reset=False, reason=str(refusal))
        except Exception:
            log.exception("reset of %s failed; its transaction was rolled back", number)
            return ResetResult(
                order_number=number,
                reset=False,
                reason=f"{number} could not be reset because of an internal error; "
                "nothing was changed, try again",
            )
        return ResetResult(order_number=number, reset=True, cancelled_work_numbers=cancelled)

    def _transition(
        self, session: Session, number: str, requested_by: str, source: str
    ) -> tuple[str, ...]:
        order = session.scalars(
            select(ProductionOrder).where(ProductionOrder.number == number).with_for_update()
        ).one_or_none()
        if order is None:
            raise ResetRefused(f"{number}: no such production order")
        if order.status is not OrderStatus.RELEASED:
            raise ResetRefused(
                f"{number} is {order.status.value.replace('_', ' ')}: "
                "only a released order can be reset to scheduled"
            )
        open_works = _lock_works(session, order)
        started = [work.number for work in open_works if work.status in _STARTED]
        if started:
            raise ResetRefused(
                f"{number} cannot be reset: its work {', '.join(started)} has already started"
            )
        cancelling = [work for work in open_works if work.status is WorkStatus.OPEN]
        _free_reservations(session, cancelling)
        for work in cancelling:
            work.status = WorkStatus.CANCELLED
        order.shortages = []
        order.status = OrderStatus.SCHEDULED
        order.released_by = order.released_at = order.released_from = None
        session.add(
            OrderEvent(
                order=order,
                at=self._clock(),
                actor=requested_by,
                source=source,
                from_status=OrderStatus.RELEASED,
                to_status=OrderStatus.SCHEDULED,
                note="reset status",
            )
        )
        return tuple(work.number for work in open_works if work.status is WorkStatus.CANCELLED)


def _lock_works(session: Session, order: ProductionOrder) -> list[WarehouseWork]:
    """The order's works not yet cancelled, locked so nobody starts one while we cancel it."""
    return list(
        session.scalars(
            select(WarehouseWork)
            .where(
                WarehouseWork.order_id == order.id,
                WarehouseWork.status != WorkStatus.CANCELLED,
            )
            .order_by(WarehouseWork.id)
            .with_for_update()
        )
    )


def _free_reservations(session: Session, works: Sequence[WarehouseWork]) -> None:
    """Give back the stock the works reserved, locking its rows in id order as a release
    does, so that resets and releases of orders sharing stock never deadlock."""
    lines = [line for work in works for line in work.lines]
    keys = sorted({(line.item_id, line.from_location_id) for line in lines})
    if not keys:
        return
    rows = session.scalars(
        select(OnHand)
        .where(tuple_(OnHand.item_id, OnHand.location_id).in_(keys))
        .order_by(OnHand.id)
        .with_for_update()
    )
    on_hand = {(row.item_id, row.location_id): row for row in rows}
    for line in lines:
        on_hand[line.item_id, line.from_location_id].reserved -= line.quantity

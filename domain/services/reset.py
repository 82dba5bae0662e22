"""Reset status (undo a release): released -> scheduled while none of its work has started."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session, sessionmaker

from domain.clock import Clock
from domain.erp import Erp, ErpUnavailable
from domain.events import ReleaseUndone
from domain.model import (
    OnHand,
    OrderEvent,
    ProductionOrder,
    Release,
    ReleaseResult,
    ReleaseUndo,
    WarehouseWork,
    numbered,
)
from domain.rules import normalize_order_number
from domain.services.handlers import handle
from domain.statuses import OrderStatus, ReleaseOutcome, WorkStatus

log = logging.getLogger(__name__)

_STARTED = {WorkStatus.IN_PROGRESS, WorkStatus.CLOSED}


@dataclass(frozen=True)
class ResetResult:
    order_number: str
    reset: bool
    reason: str | None = None
    cancelled_work_numbers: tuple[str, ...] = ()
    cause: str | None = None  # when refused: status, started, unknown_order, others


class ResetRefused(Exception):
    def __init__(self, reason: str, cause: str = "status") -> None:
        super().__init__(reason)
        self.cause = cause


class _NotAll(Exception):
    """Rolls back a reset of several orders of which one was refused."""


@dataclass(frozen=True)
class UndoResult:
    """An undo of a whole release: done (its orders back to scheduled) or refused, why."""

    release_number: str
    undone: bool
    reason: str | None = None
    order_numbers: tuple[str, ...] = ()
    cancelled_work_numbers: tuple[str, ...] = ()


class ResetService:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        clock: Clock,
        erp: Erp | None = None,
    ) -> None:
        """`clock`: the composition root's (domain/runtime.py). `erp`: the ERP that holds the
        orders and decides the reset; None: releasebot's own database."""
        self._sessions = session_factory
        self._clock = clock
        self._erp = erp

    def reset(
        self, order_numbers: Sequence[str], requested_by: str, source: str = "cli"
    ) -> list[ResetResult]:
        numbers = dict.fromkeys(normalize_order_number(n) for n in order_numbers)
        if self._erp is not None:
            return [self._reset_at_erp(number, requested_by, source) for number in numbers]
        return [self._reset_one(number, requested_by, source) for number in numbers]

    def _reset_at_erp(self, number: str, requested_by: str, source: str) -> ResetResult:
        """The ERP resets (or refuses, why); the read copy is corrected from its answer."""
        try:
            answer = self._erp.reset(number, actor=requested_by, source=source)  # type: ignore[union-attr]
        except ErpUnavailable as error:
            return ResetResult(
                number, False, f"{number} was not reset: {error}; nothing was changed"
            )
        if not answer.reset:
            return ResetResult(number, False, answer.reason, cause=answer.cause)
        with self._sessions.begin() as session:
            self._copy_reset(session, number, requested_by, source, "reset status at the ERP")
        return ResetResult(order_number=number, reset=True)

    def _copy_reset(
        self, session: Session, number: str, requested_by: str, source: str, note: str
    ) -> None:
        """The read copy of an order the ERP reset: scheduled again if the copy had it
        released (the ERP is the judge; a copy already behind is left to the next sync)."""
        order = session.scalars(
            select(ProductionOrder).where(ProductionOrder.number == number).with_for_update()
        ).one_or_none()
        if order is not None and order.status is OrderStatus.RELEASED:
            self._back_to_scheduled(session, order, requested_by, source, note)

    def _reset_one(self, number: str, requested_by: str, source: str) -> ResetResult:
        try:
            with self._sessions.begin() as session:
                cancelled = self._transition(session, number, requested_by, source)
        except ResetRefused as refusal:
            return ResetResult(number, False, str(refusal), cause=refusal.cause)
        except Exception:
            log.exception("reset of %s failed; its transaction was rolled back", number)
            return ResetResult(
                order_number=number,
                reset=False,
                reason=f"{number} could not be reset because of an internal error; "
                "nothing was changed, try again",
            )
        return ResetResult(order_number=number, reset=True, cancelled_work_numbers=cancelled)

    def reset_together(
        self, order_numbers: Sequence[str], requested_by: str, source: str
    ) -> list[ResetResult]:
        """These orders reset in one transaction or none: one refused and none is, each
        answered with its reason (the others: which ones stopped them)."""
        numbers = list(dict.fromkeys(normalize_order_number(n) for n in order_numbers))
        results: list[ResetResult] = []
        try:
            with self._sessions.begin() as session:
                for number in numbers:
                    try:
                        cancelled = self._transition(session, number, requested_by, source)
                    except ResetRefused as refusal:  # raised before this order was changed
                        results.append(
                            ResetResult(number, False, str(refusal), cause=refusal.cause)
                        )
                    else:
                        results.append(ResetResult(number, True, cancelled_work_numbers=cancelled))
                if not all(result.reset for result in results):
                    raise _NotAll
        except _NotAll:
            refused = ", ".join(r.order_number for r in results if not r.reset)
            return [
                result
                if not result.reset
                else ResetResult(
                    result.order_number,
                    False,
                    f"{result.order_number} was not reset: {refused} could not be, and these "
                    "orders are reset all together or not at all",
                    cause="others",
                )
                for result in results
            ]
        return results

    def undo_release(
        self,
        release_id: int,
        requester_id: str,
        requested_by: str,
        source: str,
        *,
        admin: bool = False,
    ) -> UndoResult:
        """Reset every order a release released, all or none, for the person who asked for
        it (or an admin); the attempt, done or refused, is recorded with who asked, and what
        follows an undo (ReleaseUndone) is queued with it."""
        number = numbered("R", release_id)
        audit = ReleaseUndo(
            release_id=release_id,
            requester_id=requester_id,
            requested_by=requested_by,
            requested_at=self._clock(),
            source=source,
            undone=True,
        )
        try:
            with self._sessions.begin() as session:
                orders = self._undoable_orders(session, release_id, number, requester_id, admin)
                if self._erp is not None:
                    self._undo_at_erp(session, number, orders, requested_by, source)
                    cancelled: list[str] = []
                else:
                    cancelled = [
                        work
                        for order in orders
                        for work in self._transition(session, order, requested_by, source)
                    ]
                session.add(audit)
                release = session.get_one(Release, release_id)  # locked by _undoable_orders
                workspace = (release.enterprise_id, release.team_id)
                handle(
                    session, ReleaseUndone(release_id, audit.requested_at, requester_id, workspace)
                )
        except ResetRefused as refusal:
            self._record_refusal(audit, str(refusal))
            return UndoResult(number, undone=False, reason=str(refusal))
        return UndoResult(number, True, None, tuple(orders), tuple(cancelled))

    def _undo_at_erp(
        self, session: Session, number: str, orders: list[str], requested_by: str, source: str
    ) -> None:
        """The ERP resets the release's orders in one transaction of its own, all or none
        (its key, `undo R000012`, settles a lost answer), then the read copy follows."""
        try:
            answers = self._erp.reset_all(  # type: ignore[union-attr]
                orders, key=f"undo {number}", actor=requested_by, source=source
            )
        except ErpUnavailable as error:
            raise ResetRefused(
                f"{number} was not undone: {error}; undo it again once the ERP answers"
            ) from error
        if not all(answer.reset for answer in answers):
            raise ResetRefused(
                "; ".join(
                    answer.reason or f"{answer.order_number} cannot be reset"
                    for answer in answers
                    if not answer.reset and answer.cause != "others"
                )
            )
        for order in orders:
            self._copy_reset(session, order, requested_by, source, f"undo of {number} at the ERP")

    def _undoable_orders(
        self, session: Session, release_id: int, number: str, requester_id: str, admin: bool
    ) -> list[str]:
        release = session.get(Release, release_id, with_for_update=True)
        if release is None:
            raise ResetRefused(f"{number}: no such release")
        if not admin and requester_id != release.requester_id:
            raise ResetRefused(f"only the person who released {number} or an admin may undo it")
        earlier = session.scalar(
            select(ReleaseUndo.requested_by).where(
                ReleaseUndo.release_id == release_id, ReleaseUndo.undone
            )
        )
        if earlier is not None:
            raise ResetRefused(f"{number} was already undone by {earlier}")
        released = session.execute(
            select(ReleaseResult.order_id, ReleaseResult.order_number).where(
                ReleaseResult.release_id == release_id,
                ReleaseResult.outcome == ReleaseOutcome.RELEASED,
            )
        ).all()
        if not released:
            raise ResetRefused(f"{number} released nothing: there is nothing to undo")
        again = session.execute(
            select(ReleaseResult.order_number, ReleaseResult.release_id).where(
                ReleaseResult.order_id.in_([order_id for order_id, _ in released]),
                ReleaseResult.outcome == ReleaseOutcome.RELEASED,
                ReleaseResult.release_id > release_id,
            )
        ).first()
        if again is not None:
            raise ResetRefused(
                f"{again[0]} was released again in {numbered('R', again[1])}: undo that one"
            )
        return sorted(order_number for _, order_number in released)

    def _record_refusal(self, audit: ReleaseUndo, reason: str) -> None:
        audit.undone, audit.reason = False, reason
        with self._sessions.begin() as session:
            if session.get(Release, audit.release_id) is not None:
                session.add(audit)

    def _transition(
        self, session: Session, number: str, requested_by: str, source: str
    ) -> tuple[str, ...]:
        order = session.scalars(
            select(ProductionOrder).where(ProductionOrder.number == number).with_for_update()
        ).one_or_none()
        if order is None:
            raise ResetRefused(f"{number}: no such production order", "unknown_order")
        if order.status is not OrderStatus.RELEASED:
            raise ResetRefused(
                f"{number} is {order.status.value.replace('_', ' ')}: "
                "only a released order can be reset to scheduled"
            )
        open_works = _lock_works(session, order)
        started = [work.number for work in open_works if work.status in _STARTED]
        if started:
            raise ResetRefused(
                f"{number} cannot be reset: its work {', '.join(started)} has already started",
                "started",
            )
        cancelling = [work for work in open_works if work.status is WorkStatus.OPEN]
        _free_reservations(session, cancelling)
        for work in cancelling:
            work.status = WorkStatus.CANCELLED
        self._back_to_scheduled(session, order, requested_by, source, "reset status")
        return tuple(work.number for work in open_works if work.status is WorkStatus.CANCELLED)

    def _back_to_scheduled(
        self, session: Session, order: ProductionOrder, requested_by: str, source: str, note: str
    ) -> None:
        """A released order scheduled again, its release and shortages forgotten, with the
        event in its history: the same whether releasebot or the ERP reset it."""
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
                note=note,
            )
        )


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

"""LocalErp: releasebot's own database as the system of record (the embedded default).

It answers through the services every other part of releasebot uses (release, reset,
availability, the read models), so that a release through the port is exactly a
release as the command line and Slack make it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from config import ShortagePolicy
from domain.clock import Clock
from domain.decision import Ask, Go, ShortageLine
from domain.erp import (
    ErpEvent,
    ErpInput,
    ErpOperation,
    ErpOrder,
    ErpOrderDetails,
    ErpRelease,
    ErpReset,
    ErpStatus,
    PickLine,
    PickWork,
    Shortage,
)
from domain.model import ProductionOrder, Release, ReleaseResult, WarehouseWork, WorkLine
from domain.rules import normalize_order_number
from domain.services.materials import decisions
from domain.services.release import AlreadyRequested, ReleaseRequest, ReleaseService
from domain.services.reset import ResetResult, ResetService
from domain.statuses import OrderStatus, WorkStatus

# the status changes that are a release or a reset, in the port's words
_ACTIONS = {
    (OrderStatus.SCHEDULED, OrderStatus.RELEASED): "release",
    (OrderStatus.RELEASED, OrderStatus.SCHEDULED): "reset",
}


class LocalErp:
    """The port over releasebot's database."""

    kind = "local"

    def __init__(self, sessions: sessionmaker[Session], *, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    def orders(self, changed_since: datetime | None = None) -> Iterator[ErpOrder]:
        with self._sessions() as session:
            query = select(ProductionOrder).options(
                selectinload(ProductionOrder.item), selectinload(ProductionOrder.warehouse)
            )
            if changed_since is None:  # (the local database keeps no write dates: with
                # changed_since every order is listed, as any of them may have changed)
                query = query.where(ProductionOrder.status == OrderStatus.SCHEDULED)
            for order in session.scalars(query.order_by(ProductionOrder.id)):
                yield _order(order)

    def details(self, number: str) -> ErpOrderDetails | None:
        with self._sessions() as session:
            order = session.scalars(
                select(ProductionOrder).where(
                    ProductionOrder.number == normalize_order_number(number)
                )
            ).one_or_none()
            if order is None:
                return None
            return ErpOrderDetails(
                order=_order(order),
                inputs=tuple(
                    ErpInput(
                        line.item.number,
                        line.item.name,
                        float(line.quantity),
                        line.item.unit,
                        line.location.code if line.location else None,
                    )
                    for line in order.bom_lines
                ),
                operations=tuple(
                    ErpOperation(op.operation_number, op.name, op.resource.code)
                    for op in order.operations
                ),
                picking=tuple(
                    _pick_work(work)
                    for work in order.works
                    if work.status is not WorkStatus.CANCELLED
                ),
                history=tuple(
                    ErpEvent(action, event.actor, event.source, event.at)
                    for event in order.events
                    if (action := _ACTIONS.get((event.from_status, event.to_status)))
                ),
            )

    def availability(self, number: str, policy: ShortagePolicy) -> ErpRelease:
        """What a release would do now: the release's own decision, nothing changed."""
        with self._sessions() as session:
            (decided,) = decisions(session, [number], Ask(policy=policy))
        decision = decided.decision
        shortages = tuple(_shortage(line) for line in decision.shortages)
        if isinstance(decision, Go):
            return ErpRelease(decided.number, True, shortages=shortages)
        return ErpRelease(
            decided.number, False, decision.because, decision.reason, shortages=shortages
        )

    def release(
        self,
        number: str,
        *,
        key: str,
        actor: str,
        source: str,
        policy: ShortagePolicy,
        expected_version: str | None = None,
    ) -> ErpRelease:
        number = normalize_order_number(number)
        service = ReleaseService(self._sessions, policy, clock=self._clock)
        try:
            report = service.release(
                ReleaseRequest([number], requested_by=actor, source=source, idempotency_key=key)
            )
        except AlreadyRequested:
            return self._earlier_answer(number, key)
        (result,) = report.results
        if result.released:
            return self._released(number, report.release_id)
        winner = self._winner(number) if result.cause == "status" else (None, None)
        return ErpRelease(
            number,
            False,
            cause=result.cause,
            reason=result.reason,
            shortages=tuple(_shortage(line) for line in result.shortages),
            released_by=winner[0],
            released_from=winner[1],
        )

    def _earlier_answer(self, number: str, key: str) -> ErpRelease:
        with self._sessions() as session:
            row = session.execute(
                select(ReleaseResult.release_id, ReleaseResult.outcome, ReleaseResult.reason)
                .join(Release, Release.id == ReleaseResult.release_id)
                .where(Release.idempotency_key == key, ReleaseResult.order_number == number)
            ).first()
        if row is None or row.reason is not None:
            return ErpRelease(number, False, "status", row.reason if row else None)
        return self._released(number, row.release_id)

    def _released(self, number: str, release_id: int) -> ErpRelease:
        with self._sessions() as session:
            order = session.scalars(
                select(ProductionOrder).where(ProductionOrder.number == number)
            ).one()
            works = session.scalars(
                select(WarehouseWork)
                .where(WarehouseWork.order_id == order.id, WarehouseWork.release_id == release_id)
                .options(
                    selectinload(WarehouseWork.lines).selectinload(WorkLine.item),
                    selectinload(WarehouseWork.lines).selectinload(WorkLine.from_location),
                    selectinload(WarehouseWork.lines).selectinload(WorkLine.to_location),
                    selectinload(WarehouseWork.warehouse),
                )
                .order_by(WarehouseWork.id)
            )
            return ErpRelease(
                number,
                True,
                works=tuple(_pick_work(work) for work in works),
                shortages=tuple(
                    Shortage(
                        s.bom_line.item.number,
                        s.bom_line.item.name,
                        float(s.quantity_short),
                        s.bom_line.item.unit,
                    )
                    for s in order.shortages
                ),
                released_by=order.released_by,
                released_from=order.released_from,
            )

    def _winner(self, number: str) -> tuple[str | None, str | None]:
        with self._sessions() as session:
            row = session.execute(
                select(ProductionOrder.released_by, ProductionOrder.released_from).where(
                    ProductionOrder.number == number
                )
            ).first()
        return (row[0], row[1]) if row else (None, None)

    def reset(self, number: str, *, actor: str, source: str) -> ErpReset:
        (result,) = ResetService(self._sessions, clock=self._clock).reset([number], actor, source)
        return _reset(result)

    def reset_all(
        self, numbers: Sequence[str], *, key: str, actor: str, source: str
    ) -> tuple[ErpReset, ...]:
        """One transaction of releasebot's database (`key` unused: the answer of an
        in-process call is never lost, there is nothing to settle)."""
        return tuple(
            map(
                _reset,
                ResetService(self._sessions, clock=self._clock).reset_together(
                    numbers, actor, source
                ),
            )
        )

    def check(self) -> ErpStatus:
        with self._sessions() as session:
            session.execute(select(1))
        return ErpStatus("local", reachable=True, module_active=True)


def _order(order: ProductionOrder) -> ErpOrder:
    return ErpOrder(
        number=order.number,
        status=order.status.value,
        item=order.item.number,
        item_name=order.item.name,
        quantity=float(order.quantity),
        unit=order.unit,
        warehouse=order.warehouse.code,
        planned_start=order.scheduled_start.date().isoformat() if order.scheduled_start else None,
        planned_end=order.scheduled_end.date().isoformat() if order.scheduled_end else None,
        version=str(order.version),
    )


def _pick_work(work: WarehouseWork) -> PickWork:
    return PickWork(
        work.number,
        work.warehouse.code,
        tuple(
            PickLine(
                line.item.number,
                line.item.name,
                float(line.quantity),
                line.item.unit,
                line.from_location.code,
                line.to_location.code,
            )
            for line in work.lines
        ),
    )


def _reset(result: ResetResult) -> ErpReset:
    return ErpReset(result.order_number, result.reset, result.cause, result.reason)


def _shortage(line: ShortageLine) -> Shortage:
    return Shortage(line.item_number, line.item_name, float(line.short), line.unit)

"""Releasing production orders: scheduled -> released, with picking work, atomically per order.

Each order is one transaction: its status, its picking work, the stock it
reserves and its line of the release record commit together or not at all. Two
releases of the same order serialise on the order's row (SELECT ... FOR UPDATE on
PostgreSQL, BEGIN IMMEDIATE on SQLite); the later one finds it released and says
by whom.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from config import ShortagePolicy
from domain.model import (
    BomLine,
    OnHand,
    OrderEvent,
    OrderShortage,
    ProductionOrder,
    Release,
    ReleaseResult,
    RouteOperation,
    WarehouseWork,
    WorkLine,
    numbered,
)
from domain.picking import PickPlan, reserved_per_slot
from domain.rules import normalize_order_number, paper_refusal, site_refusal, status_refusal
from domain.services.materials import (
    ShortageLine,
    describe_shortages,
    input_locations,
    plan_order,
)
from domain.statuses import OrderStatus, PaperKind, ReleaseOutcome, WorkStatus, WorkType

log = logging.getLogger(__name__)
# one line per release: who (name and id), from where, what was released and refused
audit = logging.getLogger("releasebot.audit")

Clock = Callable[[], datetime]
# runs inside the transaction that opens the release record, e.g. to queue its chat message
OpenHook = Callable[[Session, Release], None]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ReleaseRequest:
    order_numbers: Sequence[str]
    requested_by: str
    source: str = "cli"
    papers: frozenset[PaperKind] = frozenset()
    # the same key twice (a redelivered request, a double click) releases once
    idempotency_key: str | None = None
    # the sites this person may release for; None: every site (the command line)
    allowed_sites: frozenset[str] | None = None
    # the chat user ID of who asked, recorded so that an undo can check it is them
    requester_id: str | None = None


@dataclass(frozen=True)
class OrderResult:
    """What became of one order: released with its work, or refused with the reason."""

    order_number: str
    released: bool
    reason: str | None = None
    work_numbers: tuple[str, ...] = ()
    shortages: tuple[ShortageLine, ...] = ()


@dataclass(frozen=True)
class ReleaseReport:
    release_id: int
    results: list[OrderResult] = field(default_factory=list)

    @property
    def release_number(self) -> str:
        return numbered("R", self.release_id)

    @property
    def all_released(self) -> bool:
        return all(result.released for result in self.results)


class AlreadyRequested(Exception):
    """A release with this idempotency key exists: the request was a repeat."""

    def __init__(self, release_number: str) -> None:
        super().__init__(f"this request was already taken as release {release_number}")
        self.release_number = release_number


class Refused(Exception):
    """An order cannot be released; the message says why and what to do."""

    def __init__(self, reason: str, shortages: Iterable[ShortageLine] = ()) -> None:
        super().__init__(reason)
        self.shortages = tuple(shortages)


# loaded with the order, a few queries instead of one per BOM line and operation
_WHAT_A_RELEASE_READS = (
    selectinload(ProductionOrder.site),
    selectinload(ProductionOrder.bom_lines).selectinload(BomLine.item),
    selectinload(ProductionOrder.operations).selectinload(RouteOperation.jobs),
)


class ReleaseService:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        policy: ShortagePolicy = ShortagePolicy.REQUIRE_FULL,
        clock: Clock = utc_now,
    ) -> None:
        self._sessions = session_factory
        self._policy = policy
        self._clock = clock

    def release(self, request: ReleaseRequest, on_open: OpenHook | None = None) -> ReleaseReport:
        """Release each order in its own transaction; `AlreadyRequested` for a repeated key."""
        release_id = self._open_release_record(request, on_open)
        numbers = dict.fromkeys(normalize_order_number(n) for n in request.order_numbers)
        results = [self._release_one(release_id, number, request) for number in numbers]
        report = ReleaseReport(release_id=release_id, results=results)
        _audit(report, request)
        return report

    def _open_release_record(self, request: ReleaseRequest, on_open: OpenHook | None) -> int:
        try:
            with self._sessions.begin() as session:
                release = Release(
                    requested_by=request.requested_by,
                    requested_at=self._clock(),
                    source=request.source,
                    options={"papers": sorted(paper.value for paper in request.papers)},
                    idempotency_key=request.idempotency_key,
                    requester_id=request.requester_id,
                )
                session.add(release)
                session.flush()
                if on_open is not None:
                    on_open(session, release)
                return release.id
        except IntegrityError:
            if request.idempotency_key is None:
                raise
            with self._sessions() as session:
                earlier = session.scalar(
                    select(Release.id).where(Release.idempotency_key == request.idempotency_key)
                )
            if earlier is None:
                raise
            raise AlreadyRequested(numbered("R", earlier)) from None

    def _release_one(self, release_id: int, number: str, request: ReleaseRequest) -> OrderResult:
        try:
            with self._sessions.begin() as session:
                return self._transition(session, release_id, number, request)
        except Refused as refusal:  # the transaction rolled back: nothing of this order stays
            return self._record_refusal(release_id, number, refusal)
        except Exception:
            log.exception("release of %s failed; its transaction was rolled back", number)
            return self._record_refusal(
                release_id,
                number,
                Refused(
                    f"{number} could not be released because of an internal error; "
                    "nothing was changed, try again"
                ),
            )

    def _transition(
        self, session: Session, release_id: int, number: str, request: ReleaseRequest
    ) -> OrderResult:
        order = session.scalars(
            select(ProductionOrder)
            .where(ProductionOrder.number == number)
            .options(*_WHAT_A_RELEASE_READS)
            .with_for_update()
        ).one_or_none()
        if order is None:
            raise Refused(f"{number}: no such production order")
        reason = (
            site_refusal(number, order.site.code, request.allowed_sites)
            or status_refusal(number, order.status, order.released_by, order.released_at)
            or paper_refusal(number, order.scheduling_level, len(order.jobs), request.papers)
        )
        if reason:
            raise Refused(reason)

        plan = plan_order(session, order, lock=True)
        shortages = describe_shortages(order, plan.shortages)
        if shortages and self._policy is ShortagePolicy.REQUIRE_FULL:
            raise Refused(
                f"{number} is short of material: "
                + "; ".join(line.describe() for line in shortages),
                shortages,
            )

        now = self._clock()
        works = self._queue_picking_work(session, order, plan, release_id, now)
        order.shortages = [
            OrderShortage(bom_line_id=shortage.bom_line_id, quantity_short=shortage.short)
            for shortage in plan.shortages
        ]
        order.status = OrderStatus.RELEASED
        order.released_by = request.requested_by
        order.released_at = now
        order.released_from = request.source
        session.add_all(
            [
                OrderEvent(
                    order=order,
                    at=now,
                    actor=request.requested_by,
                    source=request.source,
                    from_status=OrderStatus.SCHEDULED,
                    to_status=OrderStatus.RELEASED,
                    note=f"release {numbered('R', release_id)}",
                ),
                ReleaseResult(
                    release_id=release_id,
                    order_number=number,
                    order_id=order.id,
                    outcome=ReleaseOutcome.RELEASED,
                ),
            ]
        )
        session.flush()
        return OrderResult(
            order_number=number,
            released=True,
            work_numbers=tuple(work.number for work in works),
            shortages=tuple(shortages),
        )

    def _queue_picking_work(
        self,
        session: Session,
        order: ProductionOrder,
        plan: PickPlan,
        release_id: int,
        now: datetime,
    ) -> list[WarehouseWork]:
        """One work per warehouse, one line per pick, and the picked stock reserved."""
        picks_by_warehouse = plan.picks_by_warehouse()
        destinations = input_locations(session, set(picks_by_warehouse))
        works = []
        for warehouse_id, picks in picks_by_warehouse.items():
            if warehouse_id not in destinations:
                raise Refused(
                    f"{order.number}: warehouse {_warehouse_code(order, warehouse_id)} has no "
                    "production input location to pick to; set one up first"
                )
            work = WarehouseWork(
                order=order,
                warehouse_id=warehouse_id,
                release_id=release_id,
                work_type=WorkType.RAW_MATERIAL_PICKING,
                status=WorkStatus.OPEN,
                created_at=now,
                lines=[
                    WorkLine(
                        line_number=index,
                        bom_line_id=pick.bom_line_id,
                        item_id=pick.item_id,
                        quantity=pick.quantity,
                        from_location_id=pick.from_location_id,
                        to_location_id=destinations[warehouse_id],
                    )
                    for index, pick in enumerate(picks, start=1)
                ],
            )
            session.add(work)
            works.append(work)
        session.flush()
        reserved = reserved_per_slot(plan.picks)
        if reserved:  # the rows are locked (plan_order): one statement for all of them
            session.connection().execute(
                update(OnHand.__table__)
                .where(OnHand.__table__.c.id == bindparam("slot"))
                .values(reserved=OnHand.__table__.c.reserved + bindparam("claimed")),
                [{"slot": slot, "claimed": quantity} for slot, quantity in reserved.items()],
            )
        return works

    def _record_refusal(self, release_id: int, number: str, refusal: Refused) -> OrderResult:
        reason = str(refusal)
        with self._sessions.begin() as session:
            order_id = session.scalar(
                select(ProductionOrder.id).where(ProductionOrder.number == number)
            )
            session.add(
                ReleaseResult(
                    release_id=release_id,
                    order_number=number,
                    order_id=order_id,
                    outcome=ReleaseOutcome.REFUSED,
                    reason=reason,
                )
            )
        return OrderResult(
            order_number=number, released=False, reason=reason, shortages=refusal.shortages
        )


def _audit(report: ReleaseReport, request: ReleaseRequest) -> None:
    released = [result.order_number for result in report.results if result.released]
    refused = [result.order_number for result in report.results if not result.released]
    audit.info(
        "release %s by %s (%s) from %s: released %s; refused %s",
        report.release_number,
        request.requested_by,
        request.requester_id or "no chat ID",
        request.source,
        " ".join(released) or "none",
        " ".join(refused) or "none",
    )


def _warehouse_code(order: ProductionOrder, warehouse_id: int) -> str:
    return next(
        line.warehouse.code for line in order.bom_lines if line.warehouse_id == warehouse_id
    )

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
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from config import ShortagePolicy
from domain.clock import Clock
from domain.decision import (
    Ask,
    Because,
    Go,
    OrderFacts,
    Refusal,
    ShortageLine,
    decide,
    decide_in_turn,
)
from domain.erp import Erp, ErpUnavailable
from domain.erp.sync import refresh
from domain.events import PrintAt, ReleaseOpened, ReleaseOver
from domain.model import (
    ErpOrderVersion,
    OnHand,
    OrderEvent,
    OrderShortage,
    ProductionOrder,
    Release,
    ReleaseResult,
    WarehouseWork,
    WorkLine,
    numbered,
)
from domain.outbox import Workspace
from domain.picking import ZERO, PickPlan, Stock, reserved_per_slot
from domain.rules import normalize_order_number
from domain.services.handlers import handle
from domain.services.materials import facts_of, load_orders, load_stock
from domain.statuses import OrderStatus, PaperKind, ReleaseOutcome, WorkStatus, WorkType

log = logging.getLogger(__name__)
# one line per release: who (name and id), from where, what was released and refused
audit = logging.getLogger("releasebot.audit")


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
    # (enterprise, team) of the chat workspace (or org, team None) it was asked in, when
    # installed in several
    workspace: Workspace = (None, None)
    # the channel its result is posted in (asked in the chat); None: none (the command line)
    report_in: str | None = None
    # where the papers are printed; None: printing was not offered
    print_at: PrintAt | None = None
    # the person's papers (and queues) offered again next time; not a workflow's
    remember_choice: bool = False


@dataclass(frozen=True)
class OrderResult:
    """What became of one order: released with its work, or refused with the reason."""

    order_number: str
    released: bool
    reason: str | None = None
    work_numbers: tuple[str, ...] = ()
    shortages: tuple[ShortageLine, ...] = ()
    cause: str | None = None  # a refusal's kind, from `Refused.CAUSES`, for counting them


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
    """An order cannot be released; the message says why and what to do, `cause` what kind
    of refusal it is (one of `CAUSES`)."""

    CAUSES = (
        *Because,
        "internal_error",
        "stopped",
        "erp_unavailable",  # the ERP did not answer: nothing was released
        "changed",  # the ERP's order changed since releasebot's copy was read
    )

    def __init__(self, reason: str, cause: str, shortages: Iterable[ShortageLine] = ()) -> None:
        super().__init__(reason)
        self.cause = cause
        self.shortages = tuple(shortages)


# besides what the decision reads: replaced on release, so never lazy-loaded then
_WHAT_A_RELEASE_ALSO_READS = (selectinload(ProductionOrder.shortages),)


# orders per transaction: one commit and a few reads for many orders, locks held briefly
BATCH_SIZE = 100


class ReleaseService:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        policy: ShortagePolicy = ShortagePolicy.REQUIRE_FULL,
        *,
        clock: Clock,
        erp: Erp | None = None,
    ) -> None:
        """`clock`: the composition root's (domain/runtime.py). `erp`: the ERP that holds the
        orders and decides their release (domain/erp); None: releasebot's own database,
        released here in batches."""
        self._sessions = session_factory
        self._policy = policy
        self._clock = clock
        self._erp = erp

    def release(
        self, request: ReleaseRequest, stopping: Callable[[], bool] = lambda: False
    ) -> ReleaseReport:
        """Release the orders in batches; `AlreadyRequested` for a repeated key.

        Once `stopping()` (the process is asked to stop), the batch under way finishes and
        the orders after it are recorded as not processed, so the result can be posted at
        once, by this process or the next, instead of waiting to be found interrupted.
        """
        numbers = list(dict.fromkeys(normalize_order_number(n) for n in request.order_numbers))
        release_id = self._open_release_record(request, numbers)
        results: list[OrderResult] = []
        for first in range(0, len(numbers), BATCH_SIZE):
            if stopping():
                results += self._record_stopped(release_id, numbers[first:])
                break
            batch = numbers[first : first + BATCH_SIZE]
            if self._erp is None:
                results += self._release_batch(release_id, batch, request)
            else:
                results += self._release_batch_at_erp(release_id, batch, request)
        report = ReleaseReport(release_id=release_id, results=results)
        _audit(report, request)
        self._over(release_id)
        return report

    def _over(self, release_id: int) -> None:
        """The release is over: said in a transaction of its own, which may fail without
        undoing the release (what follows it is only hurried by it)."""
        try:
            with self._sessions.begin() as session:
                handle(session, ReleaseOver(release_id, self._clock()))
        except Exception:
            log.warning("could not say that release %s is over", release_id, exc_info=True)

    def _open_release_record(self, request: ReleaseRequest, numbers: list[str]) -> int:
        """The release record, and what its opening leads to (domain/services/handlers.py),
        in one transaction."""
        try:
            with self._sessions.begin() as session:
                release = Release(
                    requested_by=request.requested_by,
                    requested_at=self._clock(),
                    source=request.source,
                    options={"papers": sorted(paper.value for paper in request.papers)},
                    idempotency_key=request.idempotency_key,
                    requester_id=request.requester_id,
                    enterprise_id=request.workspace[0],
                    team_id=request.workspace[1],
                )
                session.add(release)
                session.flush()
                handle(session, _opened(release, request, numbers))
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

    def _release_batch(
        self, release_id: int, numbers: list[str], request: ReleaseRequest
    ) -> list[OrderResult]:
        """The batch in one transaction; should it fail, each order again in its own, so that
        an error costs only its own order (the others are released, it stays untouched)."""
        try:
            with self._sessions.begin() as session:
                return self._transition(session, release_id, numbers, request)
        except Exception:
            if len(numbers) > 1:
                log.debug("a release batch failed; releasing its orders one by one")
                return [
                    result
                    for number in numbers
                    for result in self._release_batch(release_id, [number], request)
                ]
            log.exception("release of %s failed; its transaction was rolled back", numbers[0])
            return [
                self._record_refusal(
                    release_id,
                    numbers[0],
                    Refused(
                        f"{numbers[0]} could not be released because of an internal error; "
                        "nothing was changed, try again",
                        "internal_error",
                    ),
                )
            ]

    def _transition(
        self, session: Session, release_id: int, numbers: list[str], request: ReleaseRequest
    ) -> list[OrderResult]:
        """Lock the orders, then their stock (both in id order: no deadlocks), decide each
        order from what the ones before it left, and release those that may; one flush."""
        orders = load_orders(session, numbers, lock=True, also=_WHAT_A_RELEASE_ALSO_READS)
        facts = facts_of(session, orders)
        stock = load_stock(session, facts.values(), lock=True)
        ask = Ask(request.papers, request.allowed_sites, self._policy)
        decided = decide_in_turn(((number, facts.get(number)) for number in numbers), ask, stock)
        now = self._clock()
        writes = _Writes()
        outcomes: list[_Released | OrderResult] = []
        for number, decision in zip(numbers, decided, strict=True):
            if isinstance(decision, Refusal):
                order = orders.get(number)
                refusal = Refused(decision.reason, decision.because, decision.shortages)
                outcomes.append(
                    self._refuse(writes, release_id, number, order.id if order else None, refusal)
                )
            else:  # a go is for an order there is
                order = orders[number]
                outcomes.append(
                    self._release_order(writes, release_id, order, decision, request, now)
                )
        _reserve(session, [d.plan for d in decided if isinstance(d, Go)])
        writes.insert(session)
        return [
            outcome.result(writes.work_ids) if isinstance(outcome, _Released) else outcome
            for outcome in outcomes
        ]

    def _release_order(
        self,
        writes: _Writes,
        release_id: int,
        order: ProductionOrder,
        go: Go,
        request: ReleaseRequest,
        now: datetime,
    ) -> _Released:
        """The writes that release one order of the batch as decided."""
        works = self._queue_picking_work(writes, order, go, release_id, now)
        if order.shortages or go.plan.shortages:  # most have none, before and after
            order.shortages = [
                OrderShortage(bom_line_id=shortage.bom_line_id, quantity_short=shortage.short)
                for shortage in go.plan.shortages
            ]
        writes.orders.append(
            {"order": order.id, "by": request.requested_by, "at": now, "source": request.source}
        )
        writes.events.append(
            {
                "order_id": order.id,
                "at": now,
                "actor": request.requested_by,
                "source": request.source,
                "from_status": OrderStatus.SCHEDULED,
                "to_status": OrderStatus.RELEASED,
                "note": f"release {numbered('R', release_id)}",
            }
        )
        writes.results.append(
            {
                "release_id": release_id,
                "order_number": order.number,
                "order_id": order.id,
                "outcome": ReleaseOutcome.RELEASED,
                "reason": None,
            }
        )
        return _Released(order.number, works, go.shortages)

    def _queue_picking_work(
        self, writes: _Writes, order: ProductionOrder, go: Go, release_id: int, now: datetime
    ) -> list[int]:
        """One work per warehouse, one line per pick; returns the works' places in `writes`."""
        works = []
        for warehouse_id, picks in go.plan.picks_by_warehouse().items():
            works.append(len(writes.works))
            writes.works.append(
                {
                    "order_id": order.id,
                    "warehouse_id": warehouse_id,
                    "release_id": release_id,
                    "work_type": WorkType.RAW_MATERIAL_PICKING,
                    "status": WorkStatus.OPEN,
                    "created_at": now,
                }
            )
            writes.lines += [
                (
                    works[-1],
                    {
                        "line_number": index,
                        "bom_line_id": pick.bom_line_id,
                        "item_id": pick.item_id,
                        "quantity": pick.quantity,
                        "from_location_id": pick.from_location_id,
                        "to_location_id": go.destinations[warehouse_id],
                    },
                )
                for index, pick in enumerate(picks, start=1)
            ]
        return works

    @staticmethod
    def _refuse(
        writes: _Writes,
        release_id: int,
        number: str,
        order_id: int | None,
        refusal: Refused,
    ) -> OrderResult:
        """The refusal's line of the release record; nothing else of the order changes."""
        reason = str(refusal)
        writes.results.append(
            {
                "release_id": release_id,
                "order_number": number,
                "order_id": order_id,
                "outcome": ReleaseOutcome.REFUSED,
                "reason": reason,
            }
        )
        return OrderResult(
            order_number=number,
            released=False,
            reason=reason,
            shortages=refusal.shortages,
            cause=refusal.cause,
        )

    def _release_batch_at_erp(
        self, release_id: int, numbers: list[str], request: ReleaseRequest
    ) -> list[OrderResult]:
        """Order by order; once the ERP did not answer, the rest are refused with that reason
        without asking it again (a release of many orders must not wait out each one)."""
        results: list[OrderResult] = []
        for number in numbers:
            down = next((r for r in results if r.cause == "erp_unavailable"), None)
            if down is None:
                results.append(self._release_at_erp(release_id, number, request))
                continue
            reason = f"{number} was not released: the ERP did not answer (see {down.order_number})"
            results.append(
                self._record_refusal(release_id, number, Refused(reason, "erp_unavailable"))
            )
        return results

    def _release_at_erp(self, release_id: int, number: str, request: ReleaseRequest) -> OrderResult:
        """One order released by the ERP (which decides status and stock, atomically, once per
        key); releasebot checks what is its own (who may release for the site, papers), and
        records the answer and corrects its read copy of the order from it."""
        with self._sessions() as session:
            copy = session.scalars(
                select(ProductionOrder)
                .where(ProductionOrder.number == number)
                .options(selectinload(ProductionOrder.site))
            ).one_or_none()
            version = session.scalar(
                select(ErpOrderVersion.version).where(
                    ErpOrderVersion.order_id == (copy.id if copy else None)
                )
            )
        if copy is not None:  # what is releasebot's to decide: the person's site, the papers
            ask = Ask(request.papers, request.allowed_sites, self._policy)
            ours = decide(number, _as_the_erp_sees_it(copy), ask, _NO_STOCK)
            if isinstance(ours, Refusal):
                refused = Refused(ours.reason, ours.because.value, ours.shortages)
                return self._record_refusal(release_id, number, refused)
        key = f"{request.idempotency_key or numbered('R', release_id)}/{number}"
        try:
            answer = self._erp.release(  # type: ignore[union-attr]
                number,
                key=key,
                actor=request.requested_by,
                source=request.source,
                policy=self._policy,
                expected_version=version,
            )
        except ErpUnavailable as error:
            return self._record_refusal(
                release_id,
                number,
                Refused(
                    f"{number} was not released: {error}; nothing was changed", "erp_unavailable"
                ),
            )
        if not answer.released:
            if answer.cause in {"status", "changed"}:  # the copy was out of date: correct it
                refresh(self._sessions, self._erp, [number])  # type: ignore[arg-type]
            refused = Refused(answer.reason or f"{number} was refused", answer.cause or "status")
            return self._record_refusal(release_id, number, refused)
        with self._sessions.begin() as session:
            order = session.scalars(
                select(ProductionOrder).where(ProductionOrder.number == number).with_for_update()
            ).one_or_none()
            now = self._clock()
            if order is not None:  # the read copy, corrected from the ERP's answer
                order.status = OrderStatus.RELEASED
                order.released_by, order.released_at = request.requested_by, now
                order.released_from = request.source
                session.add(
                    OrderEvent(
                        order=order,
                        at=now,
                        actor=request.requested_by,
                        source=request.source,
                        from_status=OrderStatus.SCHEDULED,
                        to_status=OrderStatus.RELEASED,
                        note=f"release {numbered('R', release_id)} at the ERP",
                    )
                )
            session.add(
                ReleaseResult(
                    release_id=release_id,
                    order_number=number,
                    order_id=order.id if order else None,
                    outcome=ReleaseOutcome.RELEASED,
                    reason=None,
                    erp_answer={
                        "works": [asdict(work) for work in answer.works],
                        "shortages": [shortage.describe() for shortage in answer.shortages],
                    },
                )
            )
        return OrderResult(
            order_number=number,
            released=True,
            work_numbers=tuple(work.number for work in answer.works),
        )

    def _record_stopped(self, release_id: int, numbers: list[str]) -> list[OrderResult]:
        """The orders a stopping process leaves untouched, refused in one transaction."""
        with self._sessions.begin() as session:
            ids = dict(
                session.execute(
                    select(ProductionOrder.number, ProductionOrder.id).where(
                        ProductionOrder.number.in_(numbers)
                    )
                )
                .tuples()
                .all()
            )
            writes = _Writes()
            results = [
                self._refuse(
                    writes,
                    release_id,
                    number,
                    ids.get(number),
                    Refused(
                        f"{number} was not processed: releasebot was stopped during the "
                        "release; nothing was changed, release it again",
                        "stopped",
                    ),
                )
                for number in numbers
            ]
            writes.insert(session)
            return results

    def _record_refusal(self, release_id: int, number: str, refusal: Refused) -> OrderResult:
        """A refusal in a transaction of its own, after the order's failed."""
        with self._sessions.begin() as session:
            order = session.scalars(
                select(ProductionOrder).where(ProductionOrder.number == number)
            ).one_or_none()
            writes = _Writes()
            result = self._refuse(writes, release_id, number, order.id if order else None, refusal)
            writes.insert(session)
            return result


@dataclass
class _Writes:
    """What a batch writes besides its works: gathered, then one statement per table."""

    orders: list[dict[str, Any]] = field(default_factory=list)  # released: by, at, from
    works: list[dict[str, Any]] = field(default_factory=list)
    work_ids: list[int] = field(default_factory=list)  # of `works`, once inserted
    lines: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # work's place
    events: list[dict[str, Any]] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)  # in the request's order

    def insert(self, session: Session) -> None:
        session.flush()  # shortages, the rare orders that have them
        if self.works:
            self.work_ids = list(
                session.scalars(
                    insert(WarehouseWork).returning(WarehouseWork.id, sort_by_parameter_order=True),
                    self.works,
                )
            )
        if self.orders:  # locked since the batch read them: no version to compare
            table = cast(Table, ProductionOrder.__table__)
            session.connection().execute(
                update(table)
                .where(table.c.id == bindparam("order"))
                .values(
                    status=OrderStatus.RELEASED,
                    released_by=bindparam("by"),
                    released_at=bindparam("at"),
                    released_from=bindparam("source"),
                    version=table.c.version + 1,
                ),
                self.orders,
            )
        lines = [{**row, "work_id": self.work_ids[work]} for work, row in self.lines]
        for model, rows in (
            (WorkLine, lines),
            (OrderEvent, self.events),
            (ReleaseResult, self.results),
        ):
            if rows:
                session.execute(insert(model), rows)


@dataclass(frozen=True)
class _Released:
    """A released order of a batch; its work numbers are known once the batch is flushed."""

    number: str
    works: list[int]  # places in the batch's works
    shortages: tuple[ShortageLine, ...]

    def result(self, work_ids: list[int]) -> OrderResult:
        return OrderResult(
            order_number=self.number,
            released=True,
            work_numbers=tuple(numbered("W", work_ids[work]) for work in self.works),
            shortages=self.shortages,
        )


def _opened(release: Release, request: ReleaseRequest, numbers: list[str]) -> ReleaseOpened:
    return ReleaseOpened(
        release_id=release.id,
        at=release.requested_at,
        orders=tuple(numbers),
        papers=request.papers,
        requester_id=request.requester_id,
        workspace=request.workspace,
        report_in=request.report_in,
        print_at=request.print_at,
        remember_choice=request.remember_choice,
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


def _reserve(session: Session, plans: Iterable[PickPlan]) -> None:
    """The picked stock reserved: one statement for all the rows the batch picks from."""
    taken: dict[int, Decimal] = {}
    for plan in plans:
        for on_hand_id, quantity in reserved_per_slot(plan.picks).items():
            taken[on_hand_id] = taken.get(on_hand_id, ZERO) + quantity
    if not taken:
        return
    table = cast(Table, OnHand.__table__)
    session.connection().execute(
        update(table)
        .where(table.c.id == bindparam("slot"))
        .values(reserved=table.c.reserved + bindparam("claimed")),
        [{"slot": slot, "claimed": quantity} for slot, quantity in taken.items()],
    )


# An ERP decides status and material itself (atomically, at its side); releasebot's part of
# the one decision is asked with the order as scheduled, with no BOM and no stock to plan
_NO_STOCK = Stock.of((), {})


def _as_the_erp_sees_it(copy: ProductionOrder) -> OrderFacts:
    """The read copy's facts for releasebot's part; the ERPs we speak to plan no jobs, so
    job cards and route jobs are refused by name (docs/erp.md)."""
    return OrderFacts(
        number=copy.number,
        status=OrderStatus.SCHEDULED,
        site=copy.site.code,
        scheduling_level=copy.scheduling_level,
        job_count=0,
        bom=(),
    )

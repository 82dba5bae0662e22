"""The read copy: the ERP's orders in releasebot's database, for fast search and listing.

Searching and the options load stay fast at a million orders because they read
releasebot's own tables; this module keeps them a copy of the ERP's orders (new,
changed, no longer scheduled). The ERP stays the judge: a release sends the copied
write date and the ERP refuses an order that changed since, and the copy is
corrected from each answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Protocol

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from domain.erp import Erp, ErpOrder, ErpOrderDetails
from domain.model import ErpOrderVersion, Item, ProductionOrder, Site, Warehouse
from domain.statuses import OrderStatus, SchedulingLevel

log = logging.getLogger(__name__)
# the ERP's words for a status that releasebot's lifecycle has no step for
_STATUS = {"cancelled": OrderStatus.ENDED}
# the ERPs we speak to give orders no priority: the middle of releasebot's 1-9
PRIORITY = 5
BATCH = 500


def copied_status(status: str) -> OrderStatus:
    """An ERP order's status (the port's words) in releasebot's lifecycle."""
    return _STATUS.get(status) or OrderStatus(status)


@dataclass
class SyncReport:
    new: int = 0
    changed: int = 0
    gone: int = 0  # copied as scheduled, no longer scheduled at the ERP

    def describe(self) -> str:
        return f"{self.new} new, {self.changed} changed, {self.gone} no longer scheduled"


class OrderSource(Protocol):
    """What a sync asks of the ERP: its orders, and one order when it is not listed."""

    def orders(self, changed_since: datetime | None = None) -> Iterator[ErpOrder]: ...

    def details(self, number: str) -> ErpOrderDetails | None: ...


def sync_orders(
    sessions: sessionmaker[Session],
    erp: OrderSource,
    changed_since: datetime | None = None,
    progress: Callable[[int], None] | None = None,
) -> SyncReport:
    """Copy the ERP's scheduled orders (or those changed since a time); without
    `changed_since`, copied scheduled orders the ERP no longer lists are asked about."""
    report = SyncReport()
    listed: set[str] = set()
    copied = None
    if changed_since is None:  # everything is listed: look up only the orders copied before
        with sessions() as session:
            copied = set(session.scalars(select(ProductionOrder.number)))
    batch: list[ErpOrder] = []
    for order in erp.orders(changed_since):
        listed.add(order.number)
        batch.append(order)
        if len(batch) >= BATCH:
            _copy(sessions, batch, report, copied)
            if progress:
                progress(len(batch))
            batch = []
    _copy(sessions, batch, report, copied)
    if progress and batch:
        progress(len(batch))
    if changed_since is None:
        with sessions() as session:
            stale = [
                number
                for number in session.scalars(
                    select(ProductionOrder.number).where(
                        ProductionOrder.status == OrderStatus.SCHEDULED
                    )
                )
                if number not in listed
            ]
        refresh(sessions, erp, stale, report)
    return report


def refresh(
    sessions: sessionmaker[Session],
    erp: OrderSource,
    numbers: Iterable[str],
    report: SyncReport | None = None,
) -> SyncReport:
    """Ask the ERP about these orders now (the ones being reviewed or released)."""
    report = report or SyncReport()
    found = []
    for number in numbers:
        details = erp.details(number)
        if details is not None:
            found.append(details.order)
        else:  # gone from the ERP: no longer releasable
            found.append(ErpOrder(number, "ended", "", 0.0, "", None, None, version=None))
    _copy(sessions, found, report)
    return report


def _copy(
    sessions: sessionmaker[Session],
    orders: list[ErpOrder],
    report: SyncReport,
    copied: set[str] | None = None,
) -> None:
    """`copied`: the numbers that have a copy, when known (a full sync), so that a batch
    of new orders asks nothing (PostgreSQL plans `number IN (500 numbers)` as a scan of
    the table while it has no statistics yet: quadratic over a first sync)."""
    if not orders:
        return
    numbers = [order.number for order in orders if copied is None or order.number in copied]
    with sessions.begin() as session:
        existing = {
            order.number: order
            for order in (
                session.scalars(select(ProductionOrder).where(ProductionOrder.number.in_(numbers)))
                if numbers
                else ()
            )
        }
        versions = {
            row.order_id: row
            for row in (
                session.scalars(
                    select(ErpOrderVersion).where(
                        ErpOrderVersion.order_id.in_([order.id for order in existing.values()])
                    )
                )
                if existing
                else ()
            )
        }
        places = _Places(session, {order.item for order in orders if order.item})
        new: list[tuple[ErpOrder, Warehouse, Item]] = []
        for erp_order in orders:
            status = copied_status(erp_order.status)
            copy = existing.get(erp_order.number)
            if copy is None:
                if status is OrderStatus.SCHEDULED:  # only scheduled orders are worth copying
                    warehouse = places.warehouse(erp_order.warehouse or "ERP")
                    item = places.item(erp_order.item or "?", erp_order.item_name)
                    new.append((erp_order, warehouse, item))
                continue
            if erp_order.item:  # the item's name now (renamed there?)
                places.item(erp_order.item, erp_order.item_name)
            if copy.status is not status or planned(erp_order) != (
                copy.scheduled_start,
                copy.scheduled_end,
            ):
                if copy.status is OrderStatus.SCHEDULED and status is not OrderStatus.SCHEDULED:
                    report.gone += 1
                else:
                    report.changed += 1
                copy.status = status
                copy.scheduled_start, copy.scheduled_end = planned(erp_order)
                if erp_order.quantity:
                    copy.quantity = Decimal(str(erp_order.quantity))
            version = versions.get(copy.id)
            if erp_order.version is None:
                if version is not None:
                    session.delete(version)
            elif version is None:
                session.add(ErpOrderVersion(order_id=copy.id, version=erp_order.version))
            else:
                version.version = erp_order.version
        _insert_copies(session, new)
        report.new += len(new)
    if copied is not None:
        copied.update(erp_order.number for erp_order, _, _ in new)


def _insert_copies(session: Session, new: list[tuple[ErpOrder, Warehouse, Item]]) -> None:
    """The batch's new copies and their versions in two bulk INSERTs (a million orders
    copied object by object take the better part of an hour)."""
    if not new:
        return
    session.flush()  # the sites, warehouses and items seen first in this batch
    ids = session.scalars(
        insert(ProductionOrder).returning(ProductionOrder.id, sort_by_parameter_order=True),
        [_new_copy(erp_order, warehouse, item) for erp_order, warehouse, item in new],
    ).all()
    versions = [
        {"order_id": order_id, "version": erp_order.version}
        for order_id, (erp_order, _, _) in zip(ids, new, strict=True)
        if erp_order.version is not None
    ]
    if versions:
        session.execute(insert(ErpOrderVersion), versions)


def _new_copy(erp_order: ErpOrder, warehouse: Warehouse, item: Item) -> dict[str, object]:
    """A scheduled order's copy, as the row values of a bulk insert."""
    start, end = planned(erp_order)
    return {
        "number": erp_order.number,
        "item_id": item.id,
        "quantity": Decimal(str(erp_order.quantity)),
        "unit": erp_order.unit or "pcs",
        "site_id": warehouse.site_id,
        "warehouse_id": warehouse.id,
        "status": OrderStatus.SCHEDULED,
        # the ERPs we speak to plan operations (Tryton's routing), not jobs
        "scheduling_level": SchedulingLevel.OPERATION,
        "scheduled_start": start,
        "scheduled_end": end,
        "priority": PRIORITY,
        "version": 1,
    }


def planned(order: ErpOrder) -> tuple[datetime | None, datetime | None]:
    """The planned days as moments: from the start of the first to the end of the last."""

    def moment(day: str | None, at: time) -> datetime | None:
        return datetime.combine(date.fromisoformat(day[:10]), at, UTC) if day else None

    return moment(order.planned_start, time(0)), moment(order.planned_end, time(23, 59))


class _Places:
    """Sites, warehouses and items of the copy, made on first sight. An ERP warehouse is
    a releasebot site and warehouse of the same code (Tryton has no sites)."""

    def __init__(self, session: Session, items: set[str]) -> None:
        self._session = session
        self._warehouses = {w.code: w for w in session.scalars(select(Warehouse))}
        # the batch's items in one query (a sync names every copied order's item)
        self._items = {
            item.number: item
            for item in session.scalars(select(Item).where(Item.number.in_(sorted(items))))
        }

    def warehouse(self, code: str) -> Warehouse:
        if code not in self._warehouses:
            site = self._session.scalars(select(Site).where(Site.code == code)).one_or_none()
            if site is None:
                site = Site(code=code, name=f"Site {code}")
            warehouse = Warehouse(code=code, name=f"Warehouse {code}", site=site)
            self._session.add(warehouse)
            self._warehouses[code] = warehouse
        return self._warehouses[code]

    def item(self, number: str, name: str) -> Item:
        """The item `number`, named `name` (its number when the ERP gives no name)."""
        name = name[:100]  # items.name's length
        item = self._items.get(number)
        if item is None:
            item = Item(number=number, name=name or number, unit="pcs", warehouse_managed=True)
            self._session.add(item)
            self._items[number] = item
        elif name and item.name != name:
            item.name = name
        return item


class ErpSync:
    """`serve`'s job (APScheduler, every ERP_SYNC_SECONDS): a full copy first, then what
    changed since the last run began (a minute's overlap: clocks differ); the ERP being
    away costs one log line and the next run catches up."""

    OVERLAP = timedelta(minutes=1)

    def __init__(self, sessions: sessionmaker[Session], erp: Erp, every_seconds: float) -> None:
        self._sessions, self._erp = sessions, erp
        self._scheduler = BackgroundScheduler(
            timezone=UTC, job_defaults={"coalesce": True, "max_instances": 1}
        )
        self._every = every_seconds
        self._since: datetime | None = None

    def start(self) -> None:
        self._scheduler.add_job(
            self.run_once, "interval", seconds=self._every, next_run_time=datetime.now(UTC)
        )
        self._scheduler.start()

    def stop(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=True)

    def run_once(self) -> SyncReport | None:
        began = datetime.now(UTC)
        try:
            report = sync_orders(self._sessions, self._erp, self._since)
        except Exception:
            log.exception("the ERP's orders could not be copied; the next run tries again")
            return None
        # the ERP compares with its own naive UTC write dates
        self._since = (began - self.OVERLAP).replace(tzinfo=None)
        if report.new or report.changed or report.gone:
            log.info("ERP sync: %s", report.describe())
        return report

"""Read models: what listings and detail views show, independent of how they are shown."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, false, func, or_, select, true, union
from sqlalchemy.orm import Session, selectinload

from domain.model import (
    BomLine,
    Item,
    Job,
    ProductionOrder,
    Release,
    ReleaseResult,
    ReleaseUndo,
    RouteOperation,
    Site,
    Warehouse,
    WarehouseWork,
    WorkLine,
    numbered,
    order_number_trigrams,
)
from domain.rules import normalize_order_number, typed
from domain.statuses import OrderStatus, ReleaseOutcome, SchedulingLevel


class OrderFilter(BaseModel):
    status: OrderStatus | None = None
    site: str | None = None
    warehouse: str | None = None
    start_from: date | None = None
    start_to: date | None = None
    # to the minute, for digests: orders starting before this moment (overdue ones included)
    start_before: datetime | None = None
    # the sites a person may release for (None: every site)
    sites: frozenset[str] | None = None


class OrderSummary(BaseModel):
    number: str
    status: OrderStatus
    site: str
    warehouse: str
    item: str
    item_name: str
    quantity: Decimal
    unit: str
    scheduling_level: SchedulingLevel
    scheduled_start: datetime | None
    scheduled_end: datetime | None
    delivery_date: date | None
    priority: int
    jobs: int


class BomLineView(BaseModel):
    line_number: int
    item: str
    item_name: str
    quantity: Decimal
    unit: str
    warehouse: str
    location: str | None
    warehouse_managed: bool


class JobView(BaseModel):
    number: str
    kind: str
    resource: str
    scheduled_start: datetime
    scheduled_end: datetime


class OperationView(BaseModel):
    operation_number: int
    name: str
    resource: str
    setup_hours: Decimal | None  # None: the ERP plans no hours (Tryton)
    run_hours: Decimal | None
    scheduled_start: datetime | None
    scheduled_end: datetime | None
    jobs: list[JobView]


class WorkLineView(BaseModel):
    line_number: int
    item: str
    item_name: str
    quantity: Decimal
    unit: str
    from_location: str
    to_location: str


class WorkView(BaseModel):
    number: str
    warehouse: str
    status: str
    created_at: datetime | None  # None: the ERP does not say
    lines: list[WorkLineView]


class EventView(BaseModel):
    at: datetime
    actor: str
    source: str
    from_status: OrderStatus
    to_status: OrderStatus
    note: str | None


class OrderDetail(OrderSummary):
    released_by: str | None
    released_at: datetime | None
    released_from: str | None
    bom: list[BomLineView]
    route: list[OperationView]
    works: list[WorkView]
    history: list[EventView]


_jobs_of_order = (
    select(func.count(Job.id))
    .join(RouteOperation, Job.operation_id == RouteOperation.id)
    .where(RouteOperation.order_id == ProductionOrder.id)
    .scalar_subquery()
)

_SUMMARY_COLUMNS = (
    select(ProductionOrder, Site.code, Warehouse.code, Item, _jobs_of_order)
    .join(Site, ProductionOrder.site_id == Site.id)
    .join(Warehouse, ProductionOrder.warehouse_id == Warehouse.id)
    .join(Item, ProductionOrder.item_id == Item.id)
)

# longer than any order number, item number or item name: finds nothing (and a pattern
# that long is too complex for SQLite's LIKE)
LONGEST_SEARCHED = 100

# as ix_production_orders_urgency has it, so that the index gives this order
_MOST_URGENT_FIRST = (
    ProductionOrder.scheduled_start.is_(None).label("unscheduled"),
    ProductionOrder.scheduled_start,
    ProductionOrder.priority,
    ProductionOrder.number,
)

# the shortest part of an order number a trigram index finds
_TRIGRAM = 3

# an item search names the matching items' ids in the query (so that the planner weighs how
# many orders each has) when there are at most this many
_ITEMS_NAMED = 100


def _matching(order_filter: OrderFilter) -> list[ColumnElement[bool]]:
    """Conditions on the order row alone, so that ix_production_orders_urgency answers them
    without reading the table."""
    conditions = []
    if order_filter.status is not None:
        conditions.append(ProductionOrder.status == order_filter.status)
    if order_filter.site is not None:
        site = select(Site.id).where(Site.code == typed(order_filter.site)).scalar_subquery()
        conditions.append(ProductionOrder.site_id == site)
    if order_filter.warehouse is not None:
        warehouse = (
            select(Warehouse.id)
            .where(Warehouse.code == typed(order_filter.warehouse))
            .scalar_subquery()
        )
        conditions.append(ProductionOrder.warehouse_id == warehouse)
    if order_filter.start_from is not None:
        conditions.append(ProductionOrder.scheduled_start >= _midnight(order_filter.start_from))
    if order_filter.start_to is not None:
        conditions.append(ProductionOrder.scheduled_start < _midnight(order_filter.start_to, 1))
    if order_filter.sites is not None:
        sites = select(Site.id).where(Site.code.in_(sorted(order_filter.sites)))
        conditions.append(ProductionOrder.site_id.in_(sites))
    if order_filter.start_before is not None:
        conditions.append(ProductionOrder.scheduled_start < order_filter.start_before)
    return conditions


def _text_matches(session: Session, text: str) -> list[ColumnElement[bool]]:
    """The ways an order matches typed text, each with an index of its own: its number (any
    part of it, or the number the text means) or its item's number or name. No way for no
    text."""
    words = typed(text)
    if len(words) > LONGEST_SEARCHED:
        return [false()]
    if not words:
        return []
    number = _number_matches(session, words)
    part = words.lower()
    items = select(Item.id).where(
        or_(
            func.lower(Item.number).contains(part, autoescape=True),
            func.lower(Item.name).contains(part, autoescape=True),
        )
    )
    named = session.scalars(items.order_by(Item.id).limit(_ITEMS_NAMED + 1)).all()
    if not named:
        return [number]
    return [number, ProductionOrder.item_id.in_(named if len(named) <= _ITEMS_NAMED else items)]


def _number_matches(session: Session, words: str) -> ColumnElement[bool]:
    """Orders whose number has the words in it, or is the number they mean. SQLite finds a
    part of three characters or more in its trigram table; PostgreSQL's trigram index answers
    the LIKE."""
    meant = ProductionOrder.number == normalize_order_number(words)
    if _dialect(session) == "sqlite" and _part_indexed(session, words):
        phrase = '"' + words.replace('"', '""') + '"'  # the characters as typed, in a row
        having = select(order_number_trigrams.c.rowid).where(
            order_number_trigrams.c.number.op("MATCH")(phrase)
        )
        return or_(ProductionOrder.id.in_(having), meant)
    # % and _ are matched as typed, not as wildcards; numbers are upper case
    return or_(ProductionOrder.number.contains(words.upper(), autoescape=True), meant)


def _part_indexed(session: Session, words: str) -> bool:
    """Whether an index finds a part of an order number this long: PostgreSQL's trigram
    index any, SQLite's trigram table one of three characters or more."""
    return _dialect(session) == "postgresql" or len(words) >= _TRIGRAM


def _apart(
    session: Session, text: str, matches: list[ColumnElement[bool]]
) -> list[ColumnElement[bool]]:
    """Each way of matching looked up in its own index, where each has one (an OR of them is
    a filter on a walk over every scheduled order). Where a part of a number has no index,
    one walk tries the ways at once, and a short part matches so many orders that the walk
    soon has the most urgent."""
    return matches if _part_indexed(session, typed(text)) else _together(matches)


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _together(matches: list[ColumnElement[bool]]) -> list[ColumnElement[bool]]:
    """One condition for any of the ways of matching (none for no text)."""
    return [or_(*matches)] if matches else []


def list_orders(session: Session, order_filter: OrderFilter) -> list[OrderSummary]:
    """Orders matching the filter, most urgent first (earliest start, then priority)."""
    query = _SUMMARY_COLUMNS.where(*_matching(order_filter)).order_by(*_MOST_URGENT_FIRST)
    return [_summary(*row) for row in session.execute(query)]


# a search counts its matches up to this many; a total above it means "more than this"
COUNTED_UP_TO = 1_000


def search_orders(
    session: Session, order_filter: OrderFilter, text: str, limit: int, *, exact: bool = False
) -> tuple[list[OrderSummary], int]:
    """The `limit` most urgent orders matching filter and text, and how many match in all.

    The total is exact up to `COUNTED_UP_TO`; above it, it is exact only when asked for
    (`exact`: a count of every match, 0.1-0.2 s on PostgreSQL for 350,000 scheduled orders),
    otherwise any number above `COUNTED_UP_TO`. Only the orders shown are read in full.
    """
    fetched = max(limit, COUNTED_UP_TO) + 1
    ids = session.scalars(_most_urgent(session, order_filter, text, fetched)).all()
    shown = ids[:limit]
    rows = session.execute(
        _SUMMARY_COLUMNS.where(ProductionOrder.id.in_(shown)).order_by(*_MOST_URGENT_FIRST)
    )
    found = [_summary(*row) for row in rows]
    if len(ids) < fetched or not exact:
        return found, len(ids)
    return found, count_orders(session, order_filter, text)


def _most_urgent(
    session: Session, order_filter: OrderFilter, text: str, limit: int
) -> Select[tuple[int]]:
    """The ids of the `limit` most urgent matching orders: the most urgent of each way of
    matching (`_apart`), the most urgent of those."""
    conditions = _matching(order_filter)
    ways = _apart(session, text, _text_matches(session, text)) or [true()]
    each = [
        select(ProductionOrder.id, *_MOST_URGENT_FIRST)
        .where(*conditions, way)
        .order_by(*_MOST_URGENT_FIRST)
        .limit(limit)
        for way in ways
    ]
    if len(each) == 1:
        return each[0].with_only_columns(ProductionOrder.id)
    found = union(*(select(way.subquery()) for way in each)).subquery()
    urgency = [found.c[column.key] for column in _MOST_URGENT_FIRST]
    return select(found.c.id).order_by(*urgency).limit(limit)


def count_orders(session: Session, order_filter: OrderFilter, text: str = "") -> int:
    conditions = [*_matching(order_filter), *_together(_text_matches(session, text))]
    return session.scalar(select(func.count(ProductionOrder.id)).where(*conditions)) or 0


def order_summaries(session: Session, numbers: Iterable[str]) -> list[OrderSummary]:
    """These orders (those that exist), most urgent first."""
    wanted = {normalize_order_number(number) for number in numbers}
    query = _SUMMARY_COLUMNS.where(ProductionOrder.number.in_(wanted)).order_by(*_MOST_URGENT_FIRST)
    return [_summary(*row) for row in session.execute(query)]


def site_and_warehouse_codes(session: Session) -> tuple[list[str], list[str]]:
    """Every site code and warehouse code, for filters."""
    sites = session.scalars(select(Site.code).order_by(Site.code)).all()
    warehouses = session.scalars(select(Warehouse.code).order_by(Warehouse.code)).all()
    return list(sites), list(warehouses)


def _midnight(day: date, days_later: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=days_later)


def _summary(
    order: ProductionOrder, site: str, warehouse: str, item: Item, jobs: int
) -> OrderSummary:
    return OrderSummary(
        number=order.number,
        status=order.status,
        site=site,
        warehouse=warehouse,
        item=item.number,
        item_name=item.name,
        quantity=order.quantity,
        unit=order.unit,
        scheduling_level=order.scheduling_level,
        scheduled_start=order.scheduled_start,
        scheduled_end=order.scheduled_end,
        delivery_date=order.delivery_date,
        priority=order.priority,
        jobs=jobs,
    )


def find_order(session: Session, number: str) -> ProductionOrder | None:
    """The order with everything a detail view or a paper prints, loaded up front."""
    return session.scalars(
        select(ProductionOrder)
        .where(ProductionOrder.number == normalize_order_number(number))
        .options(
            selectinload(ProductionOrder.bom_lines).selectinload(BomLine.item),
            selectinload(ProductionOrder.operations)
            .selectinload(RouteOperation.jobs)
            .selectinload(Job.resource),
            selectinload(ProductionOrder.operations).selectinload(RouteOperation.resource),
            selectinload(ProductionOrder.works)
            .selectinload(WarehouseWork.lines)
            .selectinload(WorkLine.item),
            selectinload(ProductionOrder.events),
        )
    ).one_or_none()


def order_detail(session: Session, number: str) -> OrderDetail | None:
    order = find_order(session, number)
    if order is None:
        return None
    summary = _summary(order, order.site.code, order.warehouse.code, order.item, len(order.jobs))
    return OrderDetail(
        **summary.model_dump(),
        released_by=order.released_by,
        released_at=order.released_at,
        released_from=order.released_from,
        bom=[
            BomLineView(
                line_number=line.line_number,
                item=line.item.number,
                item_name=line.item.name,
                quantity=line.quantity,
                unit=line.item.unit,
                warehouse=line.warehouse.code,
                location=line.location.code if line.location else None,
                warehouse_managed=line.item.warehouse_managed,
            )
            for line in order.bom_lines
        ],
        route=[
            OperationView(
                operation_number=op.operation_number,
                name=op.name,
                resource=op.resource.code,
                setup_hours=op.setup_hours,
                run_hours=op.run_hours,
                scheduled_start=op.scheduled_start,
                scheduled_end=op.scheduled_end,
                jobs=[
                    JobView(
                        number=job.number,
                        kind=job.kind.value,
                        resource=job.resource.code,
                        scheduled_start=job.scheduled_start,
                        scheduled_end=job.scheduled_end,
                    )
                    for job in op.jobs
                ],
            )
            for op in order.operations
        ],
        works=[
            WorkView(
                number=work.number,
                warehouse=work.warehouse.code,
                status=work.status.value,
                created_at=work.created_at,
                lines=[
                    WorkLineView(
                        line_number=line.line_number,
                        item=line.item.number,
                        item_name=line.item.name,
                        quantity=line.quantity,
                        unit=line.item.unit,
                        from_location=line.from_location.code,
                        to_location=line.to_location.code,
                    )
                    for line in work.lines
                ],
            )
            for work in order.works
        ],
        history=[
            EventView(
                at=event.at,
                actor=event.actor,
                source=event.source,
                from_status=event.from_status,
                to_status=event.to_status,
                note=event.note,
            )
            for event in order.events
        ],
    )


def order_numbers_ending(session: Session, endings: Iterable[str]) -> list[str]:
    """Order numbers ending in any of these digits: the candidates for a partial number."""
    digits = {ending for ending in endings if ending.isdigit()}
    if not digits:
        return []
    return list(
        session.scalars(
            select(ProductionOrder.number)
            .where(or_(*(ProductionOrder.number.like(f"%{ending}") for ending in digits)))
            .order_by(ProductionOrder.number)
        )
    )


def spoken_order_numbers(
    session: Session, limit: int, sites: Collection[str] | None = None
) -> list[str] | None:
    """The orders people talk about (waiting for release, or released and maybe to undo or
    show), at `sites` when given; None when there are more than `limit`, too many to list
    for a speech grammar."""
    query = select(ProductionOrder.number).where(
        ProductionOrder.status.in_([OrderStatus.SCHEDULED, OrderStatus.RELEASED])
    )
    if sites:
        codes = select(Site.id).where(Site.code.in_(sorted(sites)))
        query = query.where(ProductionOrder.site_id.in_(codes))
    numbers = list(session.scalars(query.order_by(ProductionOrder.number).limit(limit + 1)))
    return numbers if len(numbers) <= limit else None


class LastRelease(BaseModel):
    id: int
    number: str
    orders: list[str]


def last_undoable_release(session: Session, requester_id: str) -> LastRelease | None:
    """The latest release this chat user asked for that released something and was not
    undone: what "undo" in chat means. Whether it can still be undone, the reset decides."""
    released = select(ReleaseResult.release_id).where(
        ReleaseResult.outcome == ReleaseOutcome.RELEASED
    )
    undone = select(ReleaseUndo.release_id).where(ReleaseUndo.undone.is_(True))
    release_id = session.scalar(
        select(Release.id)
        .where(
            Release.requester_id == requester_id,
            Release.id.in_(released),
            Release.id.not_in(undone),
        )
        .order_by(Release.id.desc())
        .limit(1)
    )
    if release_id is None:
        return None
    return LastRelease(
        id=release_id,
        number=numbered("R", release_id),
        orders=released_order_numbers(session, release_id),
    )


def released_order_numbers(session: Session, release_id: int) -> list[str]:
    """The orders this release did release, in the order they were asked for."""
    return list(
        session.scalars(
            select(ReleaseResult.order_number)
            .where(
                ReleaseResult.release_id == release_id,
                ReleaseResult.outcome == ReleaseOutcome.RELEASED,
            )
            .order_by(ReleaseResult.id)
        )
    )

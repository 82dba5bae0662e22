"""Importing production orders from JSON or CSV: all rows or none.

Every row is validated (pydantic for shape, the database for references) before
anything is written; one bad row rejects the file, and every bad row is reported
with its line in the file and its field.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from domain.model import (
    BomLine,
    Item,
    Job,
    Location,
    ProductionOrder,
    Resource,
    RouteOperation,
    Site,
    Warehouse,
)
from domain.rules import normalize_order_number
from domain.statuses import JobKind, OrderStatus, SchedulingLevel

Positive = Annotated[Decimal, Field(gt=0)]
Hours = Annotated[Decimal, Field(ge=0)]
CSV_COLUMNS = (
    "number",
    "item",
    "quantity",
    "site",
    "warehouse",
    "status",
    "scheduling_level",
    "scheduled_start",
    "scheduled_end",
    "delivery_date",
    "priority",
)


def _as_utc(value: datetime | None) -> datetime | None:
    """ISO 8601 with a zone; a time without one is taken as UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class JobIn(_Row):
    kind: JobKind
    resource: str
    scheduled_start: datetime
    scheduled_end: datetime

    _utc = field_validator("scheduled_start", "scheduled_end")(_as_utc)


class OperationIn(_Row):
    operation_number: Annotated[int, Field(gt=0)]
    name: Annotated[str, Field(min_length=1, max_length=100)]
    resource: str
    setup_hours: Hours = Decimal(0)
    run_hours: Hours = Decimal(0)
    scheduled_start: datetime | None = None
    scheduled_end: datetime | None = None
    jobs: list[JobIn] = []

    _utc = field_validator("scheduled_start", "scheduled_end")(_as_utc)


class BomLineIn(_Row):
    item: str
    quantity: Positive
    warehouse: str | None = None
    location: str | None = None


class OrderIn(_Row):
    number: Annotated[str, Field(min_length=1, max_length=20)]
    item: str
    quantity: Positive
    site: str
    warehouse: str
    status: OrderStatus = OrderStatus.SCHEDULED
    scheduling_level: SchedulingLevel = SchedulingLevel.OPERATION
    scheduled_start: datetime | None = None
    scheduled_end: datetime | None = None
    delivery_date: date | None = None
    priority: Annotated[int, Field(ge=1, le=9)] = 5
    bom: list[BomLineIn] = []
    operations: list[OperationIn] = []

    _utc = field_validator("scheduled_start", "scheduled_end")(_as_utc)
    _number = field_validator("number")(normalize_order_number)

    @field_validator("status")
    @classmethod
    def _not_yet_released(cls, status: OrderStatus) -> OrderStatus:
        if status.is_after_release:
            raise ValueError(
                f"{status.value} cannot be imported: import orders up to scheduled and "
                "release them with releasebot, so that their picking work exists"
            )
        return status

    @model_validator(mode="after")
    def _consistent(self) -> OrderIn:
        if (
            self.scheduled_start
            and self.scheduled_end
            and self.scheduled_end < self.scheduled_start
        ):
            raise ValueError("scheduled_end is before scheduled_start")
        has_jobs = any(op.jobs for op in self.operations)
        if has_jobs and self.scheduling_level is SchedulingLevel.OPERATION:
            raise ValueError("jobs given for an order scheduled at operation level")
        return self


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, field {self.field}: {self.message}"


class ImportFileError(Exception):
    """The file cannot be read as JSON or CSV at all."""


class ImportRejected(Exception):
    """Some rows are wrong; nothing was imported."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} errors, nothing imported")
        self.errors = errors


def read_rows(path: Path) -> list[tuple[int, Any]]:
    """(line, raw row) pairs from a .json or .csv file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ImportFileError(f"{path}: cannot read it ({error.__class__.__name__})") from error
    if path.suffix.lower() == ".json":
        return list(_json_rows(path, text))
    if path.suffix.lower() == ".csv":
        return list(_csv_rows(path, text))
    raise ImportFileError(f"{path}: use a .json or .csv file")


def _json_rows(path: Path, text: str) -> Iterator[tuple[int, Any]]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(f"{path}: not JSON: {error.msg} at line {error.lineno}") from error
    if isinstance(document, dict) and isinstance(document.get("orders"), list):
        start = re.search(r'"orders"\s*:\s*\[', text)
        position = start.end() if start else 0
    elif isinstance(document, list):
        position = text.index("[") + 1
    else:
        raise ImportFileError(f'{path}: expected a list of orders or {{"orders": [...]}}')
    decoder = json.JSONDecoder()
    while True:  # each element's own line, from where it starts in the text
        position = _skip(text, position)
        if text[position] == "]":
            return
        row, end = decoder.raw_decode(text, position)
        yield text.count("\n", 0, position) + 1, row
        position = _skip(text, end)
        if text[position] == ",":
            position += 1


def _skip(text: str, position: int) -> int:
    while text[position].isspace():
        position += 1
    return position


def _csv_rows(path: Path, text: str) -> Iterator[tuple[int, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "number" not in reader.fieldnames:
        raise ImportFileError(
            f"{path}: not a CSV with a header row naming the columns ({', '.join(CSV_COLUMNS)})"
        )
    try:
        for row in reader:
            yield (
                reader.line_num,
                {key: value for key, value in row.items() if value not in ("", None)},
            )
    except csv.Error as error:
        raise ImportFileError(f"{path}: not CSV: {error} at line {reader.line_num}") from error


def _validate(rows: list[tuple[int, Any]]) -> tuple[list[tuple[int, OrderIn]], list[RowError]]:
    orders: list[tuple[int, OrderIn]] = []
    errors: list[RowError] = []
    for line, raw in rows:
        try:
            orders.append((line, OrderIn.model_validate(raw)))
        except ValidationError as error:
            errors.extend(
                RowError(
                    line,
                    _dotted(issue["loc"]) or "(row)",
                    issue["msg"].removeprefix("Value error, "),
                )
                for issue in error.errors()
            )
    return orders, errors


def _dotted(location: tuple[int | str, ...]) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


class _References:
    """Codes and numbers that exist in the database, looked up once per import."""

    def __init__(self, session: Session) -> None:
        self.sites = dict(session.execute(select(Site.code, Site.id)).tuples().all())
        self.warehouses = dict(session.execute(select(Warehouse.code, Warehouse.id)).tuples().all())
        self.items = {item.number: item for item in session.scalars(select(Item))}
        self.resources = dict(session.execute(select(Resource.code, Resource.id)).tuples().all())
        self.locations = {
            (warehouse, code): location_id
            for warehouse, code, location_id in session.execute(
                select(Warehouse.code, Location.code, Location.id).join(Location.warehouse)
            )
        }
        self.orders = set(session.scalars(select(ProductionOrder.number)))

    def check(self, line: int, order: OrderIn, seen: set[str]) -> list[RowError]:
        problems: list[tuple[str, str]] = []
        if order.number in self.orders:
            problems.append(("number", f"{order.number} already exists"))
        elif order.number in seen:
            problems.append(("number", f"{order.number} appears twice in the file"))
        unknown: list[tuple[str, str, Collection[str]]] = [
            ("item", order.item, self.items),
            ("site", order.site, self.sites),
            ("warehouse", order.warehouse, self.warehouses),
        ]
        for index, line_in in enumerate(order.bom):
            unknown.append((f"bom[{index}].item", line_in.item, self.items))
            warehouse = line_in.warehouse or order.warehouse
            unknown.append((f"bom[{index}].warehouse", warehouse, self.warehouses))
            if line_in.location and (warehouse, line_in.location) not in self.locations:
                problems.append(
                    (
                        f"bom[{index}].location",
                        f"no location {line_in.location} in warehouse {warehouse}",
                    )
                )
        for index, operation in enumerate(order.operations):
            unknown.append((f"operations[{index}].resource", operation.resource, self.resources))
            for job_index, job in enumerate(operation.jobs):
                unknown.append(
                    (
                        f"operations[{index}].jobs[{job_index}].resource",
                        job.resource,
                        self.resources,
                    )
                )
        problems += [
            (field, f"unknown {field.rsplit('.', 1)[-1]} {value!r}")
            for field, value, known in unknown
            if value not in known
        ]
        return [RowError(line, field, message) for field, message in problems]


def import_orders(sessions: sessionmaker[Session], path: Path) -> int:
    """Import every order of the file in one transaction, or raise with every bad row."""
    orders, errors = _validate(read_rows(path))
    with sessions.begin() as session:
        references = _References(session)
        seen: set[str] = set()
        for line, order in orders:
            errors.extend(references.check(line, order, seen))
            seen.add(order.number)
        if errors:
            raise ImportRejected(sorted(errors, key=lambda error: error.line))
        session.add_all(_order_row(order, references) for _, order in orders)
    return len(orders)


def _order_row(order: OrderIn, refs: _References) -> ProductionOrder:
    item = refs.items[order.item]
    return ProductionOrder(
        number=order.number,
        item_id=item.id,
        quantity=order.quantity,
        unit=item.unit,
        site_id=refs.sites[order.site],
        warehouse_id=refs.warehouses[order.warehouse],
        status=order.status,
        scheduling_level=order.scheduling_level,
        scheduled_start=order.scheduled_start,
        scheduled_end=order.scheduled_end,
        delivery_date=order.delivery_date,
        priority=order.priority,
        bom_lines=[
            BomLine(
                line_number=index,
                item_id=refs.items[line.item].id,
                quantity=line.quantity,
                warehouse_id=refs.warehouses[line.warehouse or order.warehouse],
                location_id=refs.locations.get((line.warehouse or order.warehouse, line.location))
                if line.location
                else None,
            )
            for index, line in enumerate(order.bom, start=1)
        ],
        operations=[
            RouteOperation(
                operation_number=op.operation_number,
                name=op.name,
                resource_id=refs.resources[op.resource],
                setup_hours=op.setup_hours,
                run_hours=op.run_hours,
                scheduled_start=op.scheduled_start,
                scheduled_end=op.scheduled_end,
                jobs=[
                    Job(
                        kind=job.kind,
                        resource_id=refs.resources[job.resource],
                        scheduled_start=job.scheduled_start,
                        scheduled_end=job.scheduled_end,
                    )
                    for job in op.jobs
                ],
            )
            for op in order.operations
        ],
    )

"""Generated orders for benchmarks: many realistic orders on top of the demo company.

Rows go in with Core bulk inserts (executemany with RETURNING, in batches), which
makes 100,000 orders a matter of a minute rather than an hour of ORM flushes.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, text

from domain.model import BomLine, Job, ProductionOrder, RouteOperation
from domain.sample_data import demo
from domain.statuses import OrderStatus, SchedulingLevel

BATCH_SIZE = 1_000
# the tables a bulk load fills
ANALYZED = (
    "ANALYZE production_orders",
    "ANALYZE bom_lines",
    "ANALYZE route_operations",
    "ANALYZE jobs",
)
# generated orders never need picking work or reservations to be consistent
STATUS_WEIGHTS = {
    OrderStatus.CREATED: 15,
    OrderStatus.ESTIMATED: 10,
    OrderStatus.SCHEDULED: 35,
    OrderStatus.ENDED: 40,
}


def next_order_number(connection: Connection) -> int:
    """One past the highest P-number, comparing numbers, not strings (P1000000 > P999999)."""
    numbers = connection.scalars(
        select(ProductionOrder.number)
        .order_by(func.length(ProductionOrder.number).desc(), ProductionOrder.number.desc())
        .limit(1)
    ).all()
    digits = numbers[0].removeprefix("P") if numbers else "0"
    return int(digits) + 1 if digits.isdecimal() else 1


def generate_orders(
    engine: Engine,
    master: demo.MasterData,
    count: int,
    *,
    seed: int | None = None,
    now: datetime | None = None,
    progress: Callable[[int], None] = lambda done: None,
) -> int:
    """Add `count` orders with BOM lines, operations and (job level) jobs; returns the count."""
    rng = random.Random(seed)
    today = now or datetime.now(UTC)
    with engine.connect() as connection:
        first = next_order_number(connection)
    done = 0
    for batch_start in range(0, count, BATCH_SIZE):
        size = min(BATCH_SIZE, count - batch_start)
        specs = [_random_order(rng, first + batch_start + offset) for offset in range(size)]
        with engine.begin() as connection:
            _insert_batch(connection, specs, master, today)
        done += size
        progress(done)
    with engine.begin() as connection:  # the planner's statistics, before autovacuum has run
        for statement in ANALYZED:
            connection.execute(text(statement))
    return done


def _random_order(rng: random.Random, number: int) -> demo.DemoOrder:
    item = rng.choice(sorted(demo.ROUTES))
    warehouse = "21" if item in {"FG-2000", "FG-4000"} else "11"
    return demo.DemoOrder(
        number=f"P{number:06d}",
        item=item,
        quantity=rng.randint(1, 40),
        warehouse=warehouse,
        status=rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0],
        level=rng.choice(list(SchedulingLevel)),
        start_in_days=rng.randint(-30, 30),
        priority=rng.randint(1, 9),
    )


def _insert_batch(
    connection: Connection,
    specs: list[demo.DemoOrder],
    master: demo.MasterData,
    today: datetime,
) -> None:
    routes = [
        demo.scheduled_route(
            spec.item, demo.shift_start(today, spec.start_in_days), spec.level, master.resources
        )
        for spec in specs
    ]
    order_ids = _insert_returning_ids(
        connection,
        ProductionOrder,
        [
            demo.order_values(spec, route, master, spec.status) | {"version": 1}
            for spec, route in zip(specs, routes, strict=True)
        ],
    )
    connection.execute(
        insert(BomLine),
        [
            {**values, "order_id": order_id}
            for spec, order_id in zip(specs, order_ids, strict=True)
            for values in demo.bom_values(spec.item, spec.quantity, spec.warehouse, master)
        ],
    )
    operations = [
        (operation, order_id)
        for route, order_id in zip(routes, order_ids, strict=True)
        for operation in route
    ]
    operation_ids = _insert_returning_ids(
        connection,
        RouteOperation,
        [
            {key: value for key, value in operation.items() if key != "jobs"}
            | {"order_id": order_id}
            for operation, order_id in operations
        ],
    )
    jobs = [
        {**job, "operation_id": operation_id}
        for (operation, _), operation_id in zip(operations, operation_ids, strict=True)
        for job in operation["jobs"]
    ]
    if jobs:
        connection.execute(insert(Job), jobs)


def _insert_returning_ids(
    connection: Connection, model: type[Any], rows: list[dict[str, Any]]
) -> list[int]:
    """Bulk insert that gives back the new ids in the order of `rows`."""
    result = connection.execute(
        insert(model).returning(model.id, sort_by_parameter_order=True), rows
    )
    return list(result.scalars())

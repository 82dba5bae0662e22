"""Release throughput: orders (8 BOM lines, 5 operations, 10 jobs each) released with their
picking work through the domain release service, against a raw-SQL floor doing the same
writes in one transaction; on SQLite and on PostgreSQL (a fresh schema of TEST_DATABASE_URL).
Each side runs a few times, alternating, on a fresh plant each time; the fastest run of
each counts (other processes on the machine only ever make a run slower).
Target: at most 3 times the floor.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from bench.databases import fresh_postgres
from bench.report import Figure
from domain.clock import utc_now
from domain.db import make_engine, make_session_factory, upgrade
from domain.model import BomLine, OnHand, ProductionOrder, WorkLine
from domain.services.release import ReleaseRequest, ReleaseService
from domain.statuses import OrderStatus
from tests.builders import Plant

PART = "throughput"
MATERIALS = [f"RM-{index}" for index in range(1, 9)]
RELEASED_BY = "bench"


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--orders", type=int, default=1_000, help="orders released")
    parser.add_argument(
        "--databases", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql"
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="alternating runs of each; the fastest counts"
    )


def build_plant(engine: Engine, orders: int) -> list[str]:
    """Scheduled job-level orders with 8 warehouse-managed BOM lines each, stock for all."""
    with make_session_factory(engine).begin() as session:
        plant = Plant(session)
        for index, material in enumerate(MATERIALS, start=1):
            plant.stock(material, "11", f"A-{index:02d}", 10 * orders)
        return [
            plant.order([(material, 2) for material in MATERIALS], operations=5).number
            for _ in range(orders)
        ]


def release_with_service(engine: Engine, numbers: list[str]) -> None:
    service = ReleaseService(make_session_factory(engine), clock=utc_now)
    report = service.release(ReleaseRequest(numbers, RELEASED_BY, source="bench"))
    if not report.all_released:
        raise RuntimeError(f"the service refused orders: {report.results[0].reason}")


def release_with_raw_sql(engine: Engine, numbers: list[str]) -> None:
    """The floor: what the release writes, as plain statements in one transaction."""
    now = datetime.now(UTC).replace(tzinfo=None)
    with engine.begin() as connection:
        lines = connection.execute(
            text(
                "SELECT o.id, o.warehouse_id, b.id, b.item_id, b.quantity, s.id, s.location_id,"
                " p.id FROM production_orders o"
                " JOIN bom_lines b ON b.order_id = o.id"
                " JOIN locations l ON l.warehouse_id = b.warehouse_id"
                " JOIN on_hand s ON s.item_id = b.item_id AND s.location_id = l.id"
                " JOIN locations p ON p.warehouse_id = o.warehouse_id AND p.is_production_input"
                " WHERE o.status = 'scheduled' ORDER BY o.id, b.line_number"
            )
        ).all()
        release_id = connection.execute(
            text(
                "INSERT INTO releases (requested_by, requested_at, source, options)"
                " VALUES (:by, :at, 'bench', '{}') RETURNING id"
            ),
            {"by": RELEASED_BY, "at": now},
        ).scalar_one()
        by_order: dict[int, list[tuple]] = {}
        for line in lines:
            by_order.setdefault(line[0], []).append(tuple(line))
        for order_id, picks in by_order.items():
            _release_order(connection, release_id, order_id, picks, now)
    if len(by_order) != len(numbers):
        raise RuntimeError(f"the floor released {len(by_order)} of {len(numbers)} orders")


def _release_order(connection, release_id: int, order_id: int, picks: list[tuple], now) -> None:
    connection.execute(
        text(
            "UPDATE production_orders SET status = 'released', released_by = :by,"
            " released_at = :at, released_from = 'bench', version = version + 1 WHERE id = :id"
        ),
        {"by": RELEASED_BY, "at": now, "id": order_id},
    )
    work_id = connection.execute(
        text(
            "INSERT INTO warehouse_works (order_id, warehouse_id, release_id, work_type, status,"
            " created_at) VALUES (:order, :warehouse, :release, 'raw_material_picking', 'open',"
            " :at) RETURNING id"
        ),
        {"order": order_id, "warehouse": picks[0][1], "release": release_id, "at": now},
    ).scalar_one()
    connection.execute(
        text(
            "INSERT INTO work_lines (work_id, line_number, bom_line_id, item_id, quantity,"
            " from_location_id, to_location_id)"
            " VALUES (:work, :line, :bom, :item, :quantity, :source, :target)"
        ),
        [
            {
                "work": work_id,
                "line": index,
                "bom": pick[2],
                "item": pick[3],
                "quantity": float(pick[4]),
                "source": pick[6],
                "target": pick[7],
            }
            for index, pick in enumerate(picks, start=1)
        ],
    )
    connection.execute(
        text("UPDATE on_hand SET reserved = reserved + :quantity WHERE id = :id"),
        [{"quantity": float(pick[4]), "id": pick[5]} for pick in picks],
    )
    connection.execute(
        text(
            "INSERT INTO order_events (order_id, at, actor, source, from_status, to_status, note)"
            " VALUES (:order, :at, :by, 'bench', 'scheduled', 'released', 'release')"
        ),
        {"order": order_id, "at": now, "by": RELEASED_BY},
    )
    connection.execute(
        text(
            "INSERT INTO release_results (release_id, order_number, order_id, outcome)"
            " SELECT :release, number, id, 'released' FROM production_orders WHERE id = :order"
        ),
        {"release": release_id, "order": order_id},
    )


def _check_released(engine: Engine, orders: int) -> None:
    with Session(engine) as session:
        released = session.scalar(
            select(func.count()).where(ProductionOrder.status == OrderStatus.RELEASED)
        )
        lines = session.scalar(select(func.count(WorkLine.id)))
        reserved = session.scalar(select(func.sum(OnHand.reserved)))
        needed = session.scalar(select(func.sum(BomLine.quantity)))
    if (released, lines, reserved) != (orders, orders * len(MATERIALS), needed):
        raise RuntimeError(f"wrong result: {released} released, {lines} work lines")


@contextmanager
def _database(kind: str, workdir: Path, name: str) -> Iterator[Engine]:
    if kind == "sqlite":
        engine = make_engine(f"sqlite:///{workdir / name}.db")
        yield engine
        engine.dispose()
        return
    with fresh_postgres() as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()


def _timed(kind: str, workdir: Path, name: str, orders: int, release: Callable) -> float:
    with _database(kind, workdir, name) as engine:
        upgrade(engine)
        numbers = build_plant(engine, orders)
        started = time.perf_counter()
        release(engine, numbers)
        seconds = time.perf_counter() - started
        _check_released(engine, orders)
    return seconds


def run(args: argparse.Namespace) -> list[Figure]:
    figures = []
    with tempfile.TemporaryDirectory(prefix="bench-throughput-") as workdir:
        for kind in args.databases.split(","):
            floors, ours_runs = [], []
            for round_ in range(args.rounds):  # alternating, so both see the same machine
                floors.append(
                    _timed(kind, Path(workdir), f"floor{round_}", args.orders, release_with_raw_sql)
                )
                ours_runs.append(
                    _timed(kind, Path(workdir), f"ours{round_}", args.orders, release_with_service)
                )
            floor, ours = min(floors), min(ours_runs)
            figures.append(
                Figure(
                    PART,
                    f"release {args.orders:,} orders with picking work, {kind}",
                    ours,
                    "s",
                    floor,
                    "<= 3x raw SQL",
                    ours <= 3 * floor,
                )
            )
    return figures

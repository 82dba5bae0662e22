"""The read copy of the ERP's orders at 1,000,000 orders: sync speed and search on the copy.

Searching and the options load read releasebot's copy of the ERP's scheduled orders, so
that they stay within 50 ms at a million orders. This part fills a copy through the real
sync path (`domain.erp.sync.sync_orders`) and measures:

- the full sync of N orders (time, rows/s) and an incremental sync of the orders changed
  since (new planned dates, some released or cancelled at the ERP);
- the options load's searches (`bench.queries`, the same queries) on the synced copy,
  p50/p95, against releasebot's own database with N generated orders in the same run.

A million productions cannot be made in Tryton over its RPC in the time of a run, so the
bulk of the orders comes from a generator that answers the port's `orders()` with the
rows a Tryton lists (numbers, items with names, warehouses, planned dates, write dates),
while a small part runs against a real trytond (the test fixture's) to measure what
listing from Tryton costs per order; the report says so. Last figures: docs/erp.md.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from bench.databases import fresh_postgres, sqlite_url
from bench.erp import POSTGRES_URL, planned_productions
from bench.queries import TARGET_MS, orders_database, searched, timings_ms
from bench.report import Figure, percentile
from domain.db import make_engine, make_session_factory, upgrade
from domain.erp import ErpOrder, ErpOrderDetails
from domain.erp.sync import sync_orders
from domain.erp.tryton import TrytonErp
from domain.sample_data import demo
from tests.tryton import tryton_server, tryton_unavailable

PART = "erpsync"
# the demo company's finished goods, as the local baseline's generated orders have them
FINISHED = {number: demo.ITEMS[number] for number in sorted(demo.ROUTES)}
_ITEMS = tuple(FINISHED)
WAREHOUSES = ("11", "21")


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--orders", type=int, default=1_000_000, help="orders in the copy")
    parser.add_argument("--changed", type=int, default=1_000, help="orders changed since")
    parser.add_argument(
        "--tryton-orders", type=int, default=200, help="productions listed from a real trytond"
    )
    parser.add_argument("--runs", type=int, default=50, help="timed runs of each search")
    parser.add_argument(
        "--databases", default="postgresql", help="comma-separated: sqlite, postgresql"
    )


class GeneratedErp:
    """The ERP's answer at the port, generated: `count` scheduled orders (and, asked for
    what changed since the full list, `changed` of them spread over the numbers: planned a
    day later, one in ten released at the ERP and one in twenty cancelled)."""

    def __init__(self, count: int, changed: int, seed: int = 1) -> None:
        self.count, self.changed, self._seed = count, changed, seed
        self._today = date.today()
        self._written = datetime(2026, 11, 1, 6, 0)

    def details(self, number: str) -> ErpOrderDetails | None:
        """Asked only about copied orders it did not list: it lists every one it has."""
        return None

    def orders(self, changed_since: datetime | None = None) -> Iterator[ErpOrder]:
        rng = random.Random(self._seed)
        if changed_since is None:
            for serial in range(1, self.count + 1):
                yield self._order(rng, serial, "scheduled", 0, self._written)
            return
        step = max(1, self.count // max(1, self.changed))
        later = changed_since + timedelta(seconds=1)
        for index, serial in enumerate(range(1, self.count + 1, step)):
            if index >= self.changed:
                return
            status = "released" if index % 10 == 3 else "cancelled" if index % 20 == 7 else None
            yield self._order(rng, serial, status or "scheduled", 1, later)

    def _order(
        self, rng: random.Random, serial: int, status: str, moved: int, written: datetime
    ) -> ErpOrder:
        item = _ITEMS[serial % len(_ITEMS)]
        name, unit, _ = FINISHED[item]
        start = self._today + timedelta(days=serial % 61 - 30 + moved)
        return ErpOrder(
            number=f"P{serial:06d}",
            status=status,
            item=item,
            quantity=float(rng.randint(1, 40)),
            warehouse=WAREHOUSES[serial % len(WAREHOUSES)],
            planned_start=start.isoformat(),
            planned_end=(start + timedelta(days=1)).isoformat(),
            version=written.isoformat(),
            item_name=name,
            unit=unit,
        )


@contextmanager
def _empty_copy(kind: str, workdir: Path) -> Iterator[Engine]:
    """releasebot's database, migrated and empty (a new installation against an ERP)."""
    with (
        fresh_postgres() if kind == "postgresql" else _nothing(sqlite_url(workdir / "copy.db"))
    ) as url:
        engine = make_engine(url)
        upgrade(engine)
        yield engine
        engine.dispose()


@contextmanager
def _nothing(url: str) -> Iterator[str]:
    yield url


def _real_tryton(count: int, total: int, workdir: Path) -> list[Figure]:
    """What listing and syncing from a real trytond costs per order, `count` productions
    (and what listing `total` would take at that cost)."""
    with tryton_server(POSTGRES_URL) as server:
        erp = TrytonErp(server.url, server.database, server.user, SecretStr(server.password))
        planned_productions(erp, count)
        started = time.perf_counter()
        listed = list(erp.orders())
        listing = time.perf_counter() - started
        engine = make_engine(sqlite_url(workdir / "tryton-copy.db"))
        upgrade(engine)
        started = time.perf_counter()
        report = sync_orders(make_session_factory(engine), erp)
        syncing = time.perf_counter() - started
        engine.dispose()
    assert len(listed) >= count and report.new >= count, (len(listed), report.describe())
    what = f"{len(listed):,} orders from a real trytond 8.2"
    per_order = listing / len(listed)
    return [
        Figure(PART, f"list {what}: per order", per_order * 1000, "ms"),
        Figure(PART, f"full sync of {what}: rows/s", report.new / syncing, "rows/s"),
        Figure(
            PART,
            f"list {total:,} orders from Tryton at that cost per order (extrapolated)",
            per_order * total,
            "s",
        ),
    ]


def _sync(kind: str, engine: Engine, erp: GeneratedErp) -> list[Figure]:
    sessions = make_session_factory(engine)
    size = f"{erp.count:,} generated orders, {kind}"
    started = time.perf_counter()
    full = sync_orders(sessions, erp)
    took = time.perf_counter() - started
    assert full.new == erp.count, full.describe()
    if kind == "postgresql":  # statistics, as autovacuum gathers them after such a load
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    since = datetime.now(UTC).replace(tzinfo=None)
    started = time.perf_counter()
    changed = sync_orders(sessions, erp, changed_since=since)
    incremental = time.perf_counter() - started
    assert changed.changed + changed.gone == min(erp.changed, erp.count), changed.describe()
    return [
        Figure(PART, f"full sync of {size}", took, "s"),
        Figure(PART, f"full sync of {size}: rows/s", erp.count / took, "rows/s"),
        Figure(
            PART, f"incremental sync of {changed.describe()} ({size})", incremental * 1000, "ms"
        ),
    ]


def _searches(kind: str, copy: Engine, workdir: Path, args: argparse.Namespace) -> list[Figure]:
    """Each options-load search on the synced copy, p50 and p95, against the local
    database with as many generated orders (its p50/p95 the floor)."""
    with orders_database(kind, args.orders, workdir, args.cache) as url:
        local = make_engine(url)
        figures = []
        for label, typed in searched(args.orders).items():
            with Session(copy) as session:
                ours = timings_ms(session, typed, args.runs)
            with Session(local) as session:
                floor = timings_ms(session, typed, args.runs)
            for p in (50, 95):
                value = percentile(ours, p)
                figures.append(
                    Figure(
                        PART,
                        f"{label} on the synced copy, p{p}, {args.orders:,} orders, {kind}",
                        value,
                        "ms",
                        percentile(floor, p),
                        f"<= {TARGET_MS} ms",
                        value <= TARGET_MS,
                    )
                )
        local.dispose()
    return figures


def run(args: argparse.Namespace) -> list[Figure]:
    reason = tryton_unavailable(POSTGRES_URL)
    if reason:
        raise SystemExit(f"bench {PART}: {reason}")
    erp = GeneratedErp(args.orders, args.changed)
    print(
        f"bench {PART}: the {args.orders:,} orders of the copy come from a generator at the "
        "port (ErpOrder rows as Tryton lists them), not from Tryton; what listing from Tryton "
        f"costs per order is measured on a real trytond with {args.tryton_orders} productions"
    )
    started = time.perf_counter()
    generated = sum(1 for _ in erp.orders())
    figures = [
        Figure(
            PART,
            f"the generator alone, {generated:,} orders (inside each full sync below)",
            time.perf_counter() - started,
            "s",
        )
    ]
    with tempfile.TemporaryDirectory(prefix=f"bench-{PART}-") as workdir:
        figures += _real_tryton(args.tryton_orders, args.orders, Path(workdir))
        for kind in args.databases.split(","):
            with _empty_copy(kind, Path(workdir)) as copy:
                figures += _sync(kind, copy, erp)
                figures += _searches(kind, copy, Path(workdir), args)
    return figures

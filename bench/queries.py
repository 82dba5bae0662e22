"""The Slack options load's queries with 1,000,000 orders: the orders awaiting release (no
text typed) and the order search (an order number, a part of one, an item name).

Each is `domain.queries.search_orders` as the options load calls it (scheduled orders, the
100 most urgent, and how many match, counted up to 1,000), timed warm, median of the runs.
PostgreSQL's statistics are fresh (the generator ANALYZEs) but its visibility map is empty
(no VACUUM ran), as after a bulk load without autovacuum. Target: at most 50 ms each.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.orm import Session

from bench.databases import fill, fresh_postgres, sqlite_with_orders
from bench.report import Figure
from domain.db import make_engine
from domain.queries import OrderFilter, search_orders
from domain.statuses import OrderStatus

PART = "queries"
TARGET_MS = 50
SHOWN = 100  # what the options load asks for
SEARCHES = {
    "orders awaiting release": "",
    "search by order number": "P{middle:06d}",
    "search by part of an order number": "{tail}",
    "search by item name": "cabinet",
}


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--orders", type=int, default=1_000_000, help="orders in the database")
    parser.add_argument("--runs", type=int, default=20, help="timed runs of each query")
    parser.add_argument("--databases", default="sqlite", help="comma-separated: sqlite, postgresql")


@contextmanager
def orders_database(kind: str, orders: int, workdir: Path, cache: Path | None) -> Iterator[str]:
    """releasebot's own database (sqlite or postgresql) with `orders` generated orders."""
    if kind == "sqlite":
        yield sqlite_with_orders(orders, workdir / "queries.db", cache)
        return
    with fresh_postgres() as url:
        fill(url, orders)
        yield url


def timings_ms(session: Session, text: str, runs: int) -> list[float]:
    """The options load's search for `text` (scheduled orders), `runs` times, warm."""
    scheduled = OrderFilter(status=OrderStatus.SCHEDULED)
    search_orders(session, scheduled, text, SHOWN)  # warm: plans and pages cached
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        search_orders(session, scheduled, text, SHOWN)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def searched(orders: int) -> dict[str, str]:
    """What is typed for each search, by label, at `orders` orders."""
    middle = orders // 2 + 1234  # an order number somewhere in the middle
    tail = f"{middle:06d}"[-4:]
    typed = {what: text.format(middle=middle, tail=tail) for what, text in SEARCHES.items()}
    return {(f"{what} ({text!r})" if text else what): text for what, text in typed.items()}


def run(args: argparse.Namespace) -> list[Figure]:
    figures = []
    with tempfile.TemporaryDirectory(prefix="bench-queries-") as workdir:
        for kind in args.databases.split(","):
            with orders_database(kind, args.orders, Path(workdir), args.cache) as url:
                engine = make_engine(url)
                with Session(engine) as session:
                    for label, typed in searched(args.orders).items():
                        ms = statistics.median(timings_ms(session, typed, args.runs))
                        figures.append(
                            Figure(
                                PART,
                                f"{label}, {args.orders:,} orders, {kind}",
                                ms,
                                "ms",
                                target=f"<= {TARGET_MS} ms",
                                met=ms <= TARGET_MS,
                            )
                        )
                engine.dispose()
    return figures

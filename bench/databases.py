"""Databases full of orders for the benchmarks, made by `releasebot demo-data --orders N`.

Generating is slow (100,000 orders take about 16 s on SQLite), so a SQLite file can be
kept in a cache directory named on the command line (`--cache DIR`) and copied for each
use; without one, every run generates afresh.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from domain.db import make_engine, upgrade
from tests.conftest import POSTGRES_URL, fresh_postgres_schema

RELEASEBOT = str(Path(sys.executable).with_name("releasebot"))


def releasebot(*args: str, database_url: str) -> None:
    """Run the real command line against `database_url`; its progress shows on the terminal."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "RELEASEBOT_"))}
    subprocess.run([RELEASEBOT, *args], env=env | {"DATABASE_URL": database_url}, check=True)


def fresh_postgres() -> AbstractContextManager[str]:
    """A fresh schema of the test PostgreSQL server (TEST_DATABASE_URL), dropped after."""
    schema: Callable[[str], Iterator[str]] = fresh_postgres_schema
    return contextmanager(schema)(POSTGRES_URL)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def fill(database_url: str, orders: int) -> None:
    """Migrate, load the demo company and generate `orders` more orders."""
    if not database_url.startswith("sqlite"):  # SQLite files are migrated by every command
        releasebot("db", "upgrade", database_url=database_url)
    releasebot("demo-data", "--orders", str(orders), database_url=database_url)


def sqlite_with_orders(orders: int, path: Path, cache: Path | None) -> str:
    """A SQLite file at `path` with the demo company and `orders` generated orders."""
    if cache is None:
        fill(sqlite_url(path), orders)
        return sqlite_url(path)
    cached = cache / f"orders-{orders}.sqlite"
    if not cached.exists():
        cache.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        fill(sqlite_url(partial), orders)
        partial.rename(cached)
    shutil.copyfile(cached, path)
    engine = make_engine(sqlite_url(path))
    upgrade(engine)  # the code may be newer than the cached file
    engine.dispose()
    return sqlite_url(path)

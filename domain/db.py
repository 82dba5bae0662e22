"""Engines, sessions and schema migrations (Alembic) for SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import CursorResult, Engine, Result, create_engine, event
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_BUSY_TIMEOUT_MS = 30_000


class SchemaOutOfDate(Exception):
    """The database is behind the code and is not one we migrate on our own."""


class DatabaseFailed(Exception):
    """The database did not answer, or refused what was asked: one line to tell a person."""


@contextmanager
def database_errors() -> Iterator[None]:
    """SQLAlchemy's errors raised as DatabaseFailed, in the driver's words where it has
    some, so that the adapters need not know SQLAlchemy to say what went wrong."""
    try:
        yield
    except OperationalError as error:
        reason = f"cannot use the database at DATABASE_URL: {error.orig or error}"
        raise DatabaseFailed(reason.splitlines()[0]) from error
    except SQLAlchemyError as error:
        raise DatabaseFailed(f"database error: {error}".splitlines()[0]) from error


def make_engine(url: str) -> Engine:
    """An engine tuned for releases: SQLite serialises writers, PostgreSQL uses row locks."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        _serialise_sqlite_writers(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _serialise_sqlite_writers(engine: Engine) -> None:
    """WAL plus BEGIN IMMEDIATE: a transaction takes the write lock before it reads.

    Otherwise two releases read the same 'scheduled' order and the second fails
    with SQLITE_BUSY when upgrading to a writer, instead of waiting its turn.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")  # (the busy timeout is the connect timeout)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _head_revision() -> str | None:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to the newest migration (`releasebot db upgrade`) or to `revision`."""
    _migrate(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to `revision` (migrations are tested both ways)."""
    _migrate(engine, command.downgrade, revision)


def _migrate(engine: Engine, step: Callable[[Config, str], None], revision: str) -> None:
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        step(config, revision)


def ensure_schema(engine: Engine) -> None:
    """SQLite files are ours to upgrade; a shared PostgreSQL is upgraded on purpose only."""
    if current_revision(engine) == _head_revision():
        return
    if engine.dialect.name == "sqlite":
        upgrade(engine)
        return
    raise SchemaOutOfDate("the database schema is not up to date: run `releasebot db upgrade`")


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE changed: its result is a CursorResult, which
    `Session.execute`'s signature does not say."""
    return cast("CursorResult[Any]", result).rowcount

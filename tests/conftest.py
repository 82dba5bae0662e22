"""Databases for tests: a fresh SQLite file, and a fresh schema on the PostgreSQL server.

PostgreSQL is TEST_DATABASE_URL (default: the local `test` database). Where it is
not reachable its tests skip with the reason; in CI (CI=true) they fail instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from domain.db import make_engine, make_session_factory, upgrade
from tests.cups import CupsServer, PdfPrinter, cups_unavailable, pdf_printer, start_cupsd

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", DEFAULT_POSTGRES_URL)


def _postgres_unavailable() -> str | None:
    url = make_url(POSTGRES_URL)
    try:
        psycopg.connect(
            url.set(drivername="postgresql").render_as_string(False), connect_timeout=3
        ).close()
    except psycopg.Error as error:
        return f"PostgreSQL at {url.render_as_string()} is not reachable: {str(error).strip()}"
    return None


@pytest.fixture(scope="session")
def postgres_server() -> str:
    reason = _postgres_unavailable()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the PostgreSQL tests: {reason}")
        pytest.skip(reason)
    return POSTGRES_URL


def fresh_postgres_schema(server_url: str) -> Iterator[str]:
    """A schema of our own per test, so tests never see each other's rows."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_url(server_url).set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    url = make_url(server_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """An empty schema of its own on the test PostgreSQL server (PostgreSQL only)."""
    yield from fresh_postgres_schema(postgres_server)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each kind; tests that take it run once per kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'releasebot.db'}"
        return
    yield from fresh_postgres_schema(request.getfixturevalue("postgres_server"))


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def sqlite_sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    """SQLite only, for tests of rules that do not depend on the database kind."""
    engine = make_engine(f"sqlite:///{tmp_path / 'rules.db'}")
    upgrade(engine)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture(scope="session")
def cups_server() -> Iterator[CupsServer]:
    """A private cupsd for the whole session; skipped with the reason where it cannot run,
    failed instead in CI (CI=true), which must run the printing tests."""
    reason = cups_unavailable()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the printing tests: {reason}")
        pytest.skip(reason)
    server = start_cupsd()
    yield server
    server.stop()


@pytest.fixture
def printer(cups_server: CupsServer, tmp_path: Path) -> Iterator[PdfPrinter]:
    """A cups-pdf queue of its own; what it prints lands in `printer.out_dir`."""
    with pdf_printer(cups_server, tmp_path / "printed") as queue:
        yield queue

"""The composition root's own part: the database's errors told in one line, as the domain's
DatabaseFailed, and the health check's question."""

from __future__ import annotations

import pytest
from sqlalchemy import insert

from config import Settings
from domain.db import DatabaseFailed
from domain.model import Release
from domain.runtime import Runtime
from tests.builders import MONDAY
from tests.ports import free_port


def _nowhere() -> Runtime:
    """PostgreSQL at a loopback port nobody listens on."""
    return Runtime(
        Settings(database_url=f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/x")
    )


def test_a_database_that_answers_says_so(database_url: str) -> None:
    with Runtime(Settings(database_url=database_url)).started(migrate=True) as run:
        assert run.database_answers()


def test_a_database_that_does_not_answer_says_so() -> None:
    assert not _nowhere().database_answers()


def test_a_database_that_cannot_be_reached_is_one_line_of_the_domain() -> None:
    with pytest.raises(DatabaseFailed) as failed, _nowhere().started():
        pass

    assert str(failed.value).startswith(
        "cannot use the database at DATABASE_URL: connection failed: "
    )
    assert "\n" not in str(failed.value)


def test_a_failure_of_the_database_inside_the_command_is_one_line_of_the_domain(
    database_url: str,
) -> None:
    twice = [
        {
            "requested_by": "ann",
            "requested_at": MONDAY,
            "source": "cli",
            "options": {},
            "idempotency_key": "k",
        }
    ] * 2
    run = Runtime(Settings(database_url=database_url))
    with (
        pytest.raises(DatabaseFailed) as failed,
        run.started(migrate=True),
        run.sessions.begin() as session,
    ):
        session.execute(insert(Release), twice)

    assert str(failed.value).startswith("database error: ")
    assert "unique" in str(failed.value).lower()
    assert "\n" not in str(failed.value)

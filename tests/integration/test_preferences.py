"""The papers a person chose last time: written by concurrent releases without a conflict."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from domain.model import PrintPreference
from domain.preferences import remember_papers
from tests.concurrently import at_once

NOW = datetime(2026, 11, 30, 6, tzinfo=UTC)


def test_two_releases_of_one_person_at_once_both_remember_the_papers(
    sessions: sessionmaker[Session],
) -> None:
    def release(index: int) -> None:
        with sessions.begin() as session:
            remember_papers(session, "UANN", ["job_card"] if index else ["picking_list"], NOW)

    at_once(4, release)

    with sessions() as session:
        [papers] = session.scalars(select(PrintPreference.papers)).all()
    assert papers in (["job_card"], ["picking_list"])

"""What a person chose last time (the papers, the printer queues), offered again next time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from domain.model import PrintPreference


def remember_papers(
    session: Session,
    user_id: str,
    papers: Sequence[str],
    at: datetime,
    printers: Sequence[str] | None = None,
) -> None:
    """Insert or update in one statement (ON CONFLICT): two releases by one person at the
    same moment, on two replicas, both write it, and a read-then-insert made the later
    one's whole release fail on the primary key. `printers` None (no queue was offered)
    keeps the last choice of queues."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    values: dict[str, Any] = {"user_id": user_id, "papers": list(papers), "updated_at": at}
    if printers is not None:
        values["printers"] = list(printers)
    statement = insert(PrintPreference).values(**values)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[PrintPreference.user_id],
            set_={name: statement.excluded[name] for name in values if name != "user_id"},
        )
    )


def last_papers(session: Session, user_id: str) -> list[str] | None:
    """The papers the person chose last time; None when they never released."""
    return session.scalar(select(PrintPreference.papers).where(PrintPreference.user_id == user_id))


def last_printers(session: Session, user_id: str) -> list[str] | None:
    """The queues the person chose last time; None when never asked."""
    return session.scalar(
        select(PrintPreference.printers).where(PrintPreference.user_id == user_id)
    )

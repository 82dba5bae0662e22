"""What a person chose last time (the papers), offered again next time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from domain.model import PrintPreference


def remember_papers(session: Session, user_id: str, papers: Sequence[str], at: datetime) -> None:
    """Insert or update in one statement (ON CONFLICT): two releases by one person at the
    same moment, on two replicas, both write it, and a read-then-insert made the later
    one's whole release fail on the primary key."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(PrintPreference).values(user_id=user_id, papers=list(papers), updated_at=at)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[PrintPreference.user_id],
            set_={"papers": statement.excluded.papers, "updated_at": statement.excluded.updated_at},
        )
    )

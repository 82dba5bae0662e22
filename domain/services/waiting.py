"""The orders waiting for release within a horizon, as a digest lists them, read on demand
(a workflow step asks; the scheduled digests post theirs through the outbox)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from domain.digests.content import Digest, waiting_digest


class WaitingOrders:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def digest(self, now: datetime, horizon: timedelta, site: str | None, limit: int) -> Digest:
        """At `site` (None: every site), the `limit` most urgent shown."""
        with self._sessions() as session:
            return waiting_digest(session, now, horizon, site, limit=limit)

"""What the operators' gauges read from the database: the outbox's backlog and the digest
slots claimed, in one read, the same whichever replica is asked; and the messages not sent
yet, for `releasebot outbox`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from domain.digests.slots import slot_counts
from domain.outbox import Backlog, Hold, Unsent, backlog, current_hold, unsent
from domain.statuses import OutboxStatus


@dataclass(frozen=True)
class Gauges:
    """The outbox's messages not sent, by status, and the digest slots claimed, by whether
    a digest was posted."""

    backlog: dict[OutboxStatus, Backlog]
    slots: dict[bool, int]

    def oldest_pending_age(self, now: datetime) -> float:
        """Seconds the oldest pending message has waited; 0 when none waits."""
        oldest = self.backlog[OutboxStatus.PENDING].oldest
        return (now - oldest).total_seconds() if oldest else 0


class Monitoring:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def gauges(self) -> Gauges:
        """Read at each scrape; raises what the database raises when it does not answer."""
        with self._sessions() as session:
            return Gauges(backlog(session), slot_counts(session))

    def unsent(self, workspace: str | None = None) -> tuple[list[Unsent], Hold | None]:
        """The parked and pending messages, oldest first (of one chat workspace), and why
        sending is held, if it is."""
        with self._sessions() as session:
            return unsent(session, workspace), current_hold(session)

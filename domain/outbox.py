"""The outbox: chat messages queued in the transaction of the change they report.

Rows are claimed with a lease in a short transaction (`FOR UPDATE SKIP LOCKED` on
PostgreSQL, the single writer lock on SQLite), sent outside any transaction, then
marked sent with what the chat answered. A sender renews its lease while a send
is under way, so a slow send is never taken over by another process; a sender
that dies leaves its lease to expire and the row is claimed again (the sender
then asks the chat whether the dead one got it through). Nothing is lost. The
domain never looks inside a payload.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, true, update
from sqlalchemy.orm import Session, sessionmaker

from domain.model import OutboxMessage
from domain.services.release import Clock, utc_now
from domain.statuses import OutboxStatus

DEFAULT_LEASE = timedelta(minutes=1)


@dataclass(frozen=True)
class Outgoing:
    """A message to queue: `dedupe_key` names it, so it is queued at most once."""

    dedupe_key: str
    kind: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class Claimed:
    """A message this sender holds the lease of."""

    id: int
    dedupe_key: str
    kind: str
    payload: dict[str, Any]
    attempts: int
    created_at: datetime


def enqueue(session: Session, messages: Sequence[Outgoing], now: datetime) -> None:
    """Queue messages in the caller's transaction; one already queued under its key is kept."""
    keys = [message.dedupe_key for message in messages]
    queued = set(
        session.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys)))
    )
    session.add_all(
        OutboxMessage(
            dedupe_key=message.dedupe_key,
            kind=message.kind,
            payload=message.payload,
            status=OutboxStatus.PENDING,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
        for message in messages
        if message.dedupe_key not in queued
    )
    session.flush()


class Outbox:
    """Claiming and settling queued messages, for any number of senders at once."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        clock: Clock = utc_now,
        lease: timedelta = DEFAULT_LEASE,
    ) -> None:
        self._sessions = session_factory
        self._clock = clock
        self._lease = lease

    def claim(self, limit: int = 10, under: str | None = None) -> list[Claimed]:
        """Due messages, oldest first, leased to the caller (skipping rows others hold);
        only those whose key starts with `under` if given (a command sending its own)."""
        now = self._clock()
        with self._sessions.begin() as session:
            rows = session.scalars(
                select(OutboxMessage)
                .where(
                    OutboxMessage.status == OutboxStatus.PENDING,
                    OutboxMessage.next_attempt_at <= now,
                    or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < now),
                    OutboxMessage.dedupe_key.startswith(under, autoescape=True)
                    if under
                    else true(),
                )
                .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            ).all()
            for row in rows:
                row.lease_until = now + self._lease
                row.attempts += 1
            return [
                Claimed(row.id, row.dedupe_key, row.kind, row.payload, row.attempts, row.created_at)
                for row in rows
            ]

    @property
    def lease(self) -> timedelta:
        return self._lease

    def renew(self, claimed: Claimed) -> bool:
        """Extend the lease of a message still being sent; False if it has run out meanwhile.

        Only the holder renews, and an unexpired lease has no other holder, so the
        condition on `lease_until` is the whole ownership check.
        """
        now = self._clock()
        with self._sessions.begin() as session:
            renewed = session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.id == claimed.id,
                    OutboxMessage.status == OutboxStatus.PENDING,
                    OutboxMessage.lease_until >= now,
                )
                .values(lease_until=now + self._lease)
            )
            return renewed.rowcount == 1

    def queue(self, messages: Sequence[Outgoing]) -> None:
        """Queue messages on their own (not with a change of the domain)."""
        if messages:
            with self._sessions.begin() as session:
                enqueue(session, messages, self._clock())

    def sent(self, claimed: Claimed, result: dict[str, Any], then: Sequence[Outgoing] = ()) -> None:
        """Record the chat's answer, and queue what must follow it, in one transaction."""
        now = self._clock()
        with self._sessions.begin() as session:
            row = session.get_one(OutboxMessage, claimed.id, with_for_update=True)
            row.status = OutboxStatus.SENT
            row.result = result
            row.sent_at = now
            row.lease_until = None
            row.last_error = None
            enqueue(session, then, now)

    def retry_later(
        self,
        claimed: Claimed,
        delay: timedelta,
        error: str | None = None,
        then: Sequence[Outgoing] = (),
    ) -> None:
        """Not sent this time (the chat is down, or the message is not ready): try again
        later; `then` (what tells someone it waits) is queued in the same transaction."""
        now = self._clock()
        with self._sessions.begin() as session:
            row = session.get_one(OutboxMessage, claimed.id, with_for_update=True)
            row.next_attempt_at = now + delay
            row.lease_until = None
            row.last_error = error
            if error is None:  # waiting is not a failed attempt
                row.attempts -= 1
            enqueue(session, then, now)

    def give_up(self, claimed: Claimed, error: str) -> None:
        """A permanent error (a channel that does not exist): sending again cannot help."""
        with self._sessions.begin() as session:
            row = session.get_one(OutboxMessage, claimed.id, with_for_update=True)
            row.status = OutboxStatus.FAILED
            row.lease_until = None
            row.last_error = error

    def next_due(self) -> datetime | None:
        """When the earliest pending message is due, so a sender knows how long to sleep."""
        with self._sessions() as session:
            return session.scalar(
                select(OutboxMessage.next_attempt_at)
                .where(OutboxMessage.status == OutboxStatus.PENDING)
                .order_by(OutboxMessage.next_attempt_at)
                .limit(1)
            )


def message_state(
    session: Session, dedupe_key: str
) -> tuple[OutboxStatus, dict[str, Any] | None] | None:
    """Where a queued message stands and what the chat answered for it (its channel and
    ts once sent); None when no such message was queued."""
    row = session.execute(
        select(OutboxMessage.status, OutboxMessage.result).where(
            OutboxMessage.dedupe_key == dedupe_key
        )
    ).first()
    return None if row is None else (row[0], row[1])


def sent_result(session: Session, dedupe_key: str) -> dict[str, Any] | None:
    """What the chat answered for a sent message (its channel and ts), if it was sent."""
    state = message_state(session, dedupe_key)
    return state[1] if state is not None and state[0] is OutboxStatus.SENT else None


@dataclass(frozen=True)
class Settled:
    """A queued message as it stands."""

    dedupe_key: str
    kind: str
    status: OutboxStatus
    payload: dict[str, Any]
    result: dict[str, Any] | None
    last_error: str | None


def messages_under(session: Session, prefix: str) -> list[Settled]:
    """The messages whose key starts with `prefix`, in the order they were queued."""
    rows = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.dedupe_key.startswith(prefix, autoescape=True))
        .order_by(OutboxMessage.id)
    )
    return [
        Settled(row.dedupe_key, row.kind, row.status, row.payload, row.result, row.last_error)
        for row in rows
    ]

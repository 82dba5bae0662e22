"""The outbox: chat messages queued in the transaction of the change they report.

Rows are claimed with a lease in a short transaction (`FOR UPDATE SKIP LOCKED` on
PostgreSQL, the single writer lock on SQLite), sent outside any transaction, then
marked sent with what the chat answered. A sender renews its lease while a send
is under way, so a slow send is never taken over by another process; a sender
that dies leaves its lease to expire and the row is claimed again (the sender
then asks the chat whether the dead one got it through). Nothing is lost. The
domain never looks inside a payload.

When the chat refuses our credentials (the app uninstalled, its token revoked) messages
are parked: kept with the error, not tried again; a hold stops all sending at once.
`resume` (after a reinstall) lifts the hold and queues the parked messages again.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, exists, func, or_, select, true, update
from sqlalchemy.orm import Session, sessionmaker

from domain.clock import Clock, utc_now
from domain.db import rows_changed
from domain.model import OutboxHold, OutboxMessage
from domain.statuses import OutboxStatus

DEFAULT_LEASE = timedelta(minutes=1)


# a chat workspace as rows store it: (enterprise ID, team ID); (None, None) for the only one
Workspace = tuple[str | None, str | None]


@dataclass(frozen=True)
class Outgoing:
    """A message to queue: `dedupe_key` names it, so it is queued at most once."""

    dedupe_key: str
    kind: str
    payload: dict[str, Any]
    enterprise_id: str | None = None  # the chat workspace it goes to, when there are several
    team_id: str | None = None


@dataclass(frozen=True)
class Claimed:
    """A message this sender holds the lease of."""

    id: int
    dedupe_key: str
    kind: str
    payload: dict[str, Any]
    attempts: int
    created_at: datetime
    enterprise_id: str | None = None
    team_id: str | None = None


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
            enterprise_id=message.enterprise_id,
            team_id=message.team_id,
            status=OutboxStatus.PENDING,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
        for message in messages
        if message.dedupe_key not in queued
    )
    session.flush()


def due_now(session: Session, under: str, now: datetime) -> None:
    """The pending messages whose keys start with `under` are due now: what waited for
    something to be over (a release's result, its printing) need not sleep out its wait."""
    session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.dedupe_key.startswith(under, autoescape=True),
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.next_attempt_at > now,
            OutboxMessage.last_error.is_(None),  # waiting, not backing off an error
        )
        .values(next_attempt_at=now)
    )


class Outbox:
    """Claiming and settling queued messages, for any number of senders at once."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        clock: Clock = utc_now,
        lease: timedelta = DEFAULT_LEASE,
        held_kinds: Collection[str] | None = None,
    ) -> None:
        """`held_kinds`: the kinds of message a hold stops (the chat's, not the printers');
        None: every kind."""
        self._sessions = session_factory
        self._clock = clock
        self._lease = lease
        self._held = OutboxMessage.kind.in_(held_kinds) if held_kinds is not None else true()

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
                    self._not_held(),
                )
                .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            ).all()
            for row in rows:
                row.lease_until = now + self._lease
                row.attempts += 1
            return [
                Claimed(
                    row.id,
                    row.dedupe_key,
                    row.kind,
                    row.payload,
                    row.attempts,
                    row.created_at,
                    row.enterprise_id,
                    row.team_id,
                )
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
                    OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.PARKED]),
                    OutboxMessage.lease_until >= now,
                )
                .values(lease_until=now + self._lease)
            )
            return rows_changed(renewed) == 1

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
            row.lease_until = None
            if row.status is OutboxStatus.PARKED:  # held while it was being sent: keep why
                return
            row.next_attempt_at = now + delay
            row.last_error = error
            if error is None:  # waiting is not a failed attempt
                row.attempts -= 1
            enqueue(session, then, now)

    def give_up(self, claimed: Claimed, error: str) -> None:
        """A permanent error (a channel that does not exist): sending again cannot help."""
        self._stop(claimed, OutboxStatus.FAILED, error)

    def park(self, claimed: Claimed, error: str, hold: bool = False) -> None:
        """The chat refused our credentials for this message: keep it, with the error, until
        `resume`; `hold`: they are refused for everything, so stop all sending too."""
        self._stop(claimed, OutboxStatus.PARKED, error, hold)

    def _stop(self, claimed: Claimed, status: OutboxStatus, error: str, hold: bool = False) -> None:
        now = self._clock()
        with self._sessions.begin() as session:
            row = session.get_one(OutboxMessage, claimed.id, with_for_update=True)
            row.status = status
            row.lease_until = None
            row.last_error = error
            if hold:
                self._hold(session, error, now)

    def hold(self, reason: str) -> int:
        """Stop sending at once (the app was uninstalled): every pending message is parked.
        Returns how many were."""
        with self._sessions.begin() as session:
            return self._hold(session, reason, self._clock())

    def _hold(self, session: Session, reason: str, now: datetime) -> int:
        if session.scalar(select(OutboxHold.id).limit(1)) is None:
            session.add(OutboxHold(reason=reason, held_at=now))
        parked = (  # a send under way keeps its lease: it settles the row when it ends
            update(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.PENDING, self._held)
            .values(status=OutboxStatus.PARKED, last_error=reason)
        )
        return rows_changed(session.execute(parked))

    def _not_held(self) -> ColumnElement[bool]:
        """A message this outbox may send now: no hold, or one of a kind no hold stops."""
        return or_(~exists(select(OutboxHold.id)), ~self._held)

    def resume(self, workspace: str | None = None) -> int:
        """After a reinstall: lift the hold and queue every parked message again, due now;
        with `workspace` (installed in several), only that workspace's, hold or not.
        Returns how many were."""
        with self._sessions.begin() as session:
            if workspace is None:
                session.execute(delete(OutboxHold))
            queued = session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.status == OutboxStatus.PARKED, in_workspace(workspace))
                .values(
                    status=OutboxStatus.PENDING,
                    next_attempt_at=self._clock(),
                    lease_until=None,
                    attempts=0,
                )
            )
            return rows_changed(queued)

    def next_due(self) -> datetime | None:
        """When the earliest pending message is due, so a sender knows how long to sleep;
        None while sending is held."""
        with self._sessions() as session:
            return session.scalar(
                select(OutboxMessage.next_attempt_at)
                .where(OutboxMessage.status == OutboxStatus.PENDING, self._not_held())
                .order_by(OutboxMessage.next_attempt_at)
                .limit(1)
            )


def park_workspace(
    session: Session, enterprise_id: str | None, team_id: str | None, reason: str
) -> int:
    """One chat workspace's pending messages parked (it uninstalled the app, the others did
    not), in the caller's transaction: kept until `resume`; returns how many were."""
    parked = (
        update(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.enterprise_id == enterprise_id,
            OutboxMessage.team_id == team_id,
        )
        .values(status=OutboxStatus.PARKED, last_error=reason)
    )
    return rows_changed(session.execute(parked))


@dataclass(frozen=True)
class Unsent:
    """A message not sent yet, for the people who look after the outbox."""

    id: int
    dedupe_key: str
    kind: str
    status: OutboxStatus
    attempts: int
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime
    enterprise_id: str | None  # the chat workspace it goes to, when there are several
    team_id: str | None


@dataclass(frozen=True)
class Hold:
    reason: str
    since: datetime


def in_workspace(workspace: str | None) -> ColumnElement[bool]:
    """The messages of one chat workspace: its team ID, or an org's enterprise ID for what
    goes to the org installed org-wide; None: every message."""
    if workspace is None:
        return true()
    return or_(
        OutboxMessage.team_id == workspace,
        and_(OutboxMessage.team_id.is_(None), OutboxMessage.enterprise_id == workspace),
    )


def unsent(session: Session, workspace: str | None = None) -> list[Unsent]:
    """The parked and pending messages, oldest first (of one chat workspace, `in_workspace`)."""
    rows = session.execute(
        select(
            OutboxMessage.id,
            OutboxMessage.dedupe_key,
            OutboxMessage.kind,
            OutboxMessage.status,
            OutboxMessage.attempts,
            OutboxMessage.last_error,
            OutboxMessage.created_at,
            OutboxMessage.next_attempt_at,
            OutboxMessage.enterprise_id,
            OutboxMessage.team_id,
        )
        .where(
            OutboxMessage.status.in_([OutboxStatus.PARKED, OutboxStatus.PENDING]),
            in_workspace(workspace),
        )
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    ).all()
    return [Unsent(*row) for row in rows]


def current_hold(session: Session) -> Hold | None:
    """Why sending is held and since when; None while it is not."""
    row = session.execute(
        select(OutboxHold.reason, OutboxHold.held_at).order_by(OutboxHold.id).limit(1)
    ).first()
    return None if row is None else Hold(row[0], row[1])


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


@dataclass(frozen=True)
class Backlog:
    """The messages of one status not sent: how many, and when the oldest was queued."""

    count: int
    oldest: datetime | None


def backlog(session: Session) -> dict[OutboxStatus, Backlog]:
    """Every status but sent (pending, given up on, any added later), what waits in it."""
    unsent = [status for status in OutboxStatus if status is not OutboxStatus.SENT]
    rows = session.execute(
        select(OutboxMessage.status, func.count(), func.min(OutboxMessage.created_at))
        .where(OutboxMessage.status.in_(unsent))
        .group_by(OutboxMessage.status)
    )
    found = {OutboxStatus(status): Backlog(count, oldest) for status, count, oldest in rows}
    return {status: found.get(status, Backlog(0, None)) for status in unsent}

"""A release's result as its messages tell it, after the fact: the release as recorded,
and where the messages reporting it stand in the outbox (sent where, or not yet); the
same for what a command queued and sent itself (a digest, print jobs)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from domain.outbox import Settled, message_state, messages_under
from domain.release_record import ReleaseRecord, release_record
from domain.statuses import OutboxStatus


@dataclass(frozen=True)
class MessageState:
    """Where a queued message stands, and what the chat answered for it."""

    status: OutboxStatus
    result: dict[str, Any] | None

    @property
    def posted(self) -> dict[str, Any] | None:
        """Where the chat put it (its channel and ts); None until it is sent."""
        return self.result if self.status is OutboxStatus.SENT else None


@dataclass(frozen=True)
class ResultMessage:
    """A release's record with the state of its result message, read together."""

    record: ReleaseRecord | None
    message: MessageState | None


class ReleaseResults:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def record(self, release_id: int) -> ReleaseRecord | None:
        """The release as committed so far; None when it is not in the database."""
        with self._sessions() as session:
            return release_record(session, release_id)

    def message(self, dedupe_key: str) -> MessageState | None:
        """Where the message queued under this key stands; None when none was queued."""
        with self._sessions() as session:
            return _state(session, dedupe_key)

    def queued_under(self, prefix: str) -> list[Settled]:
        """The messages queued under keys starting with `prefix`, in order, as they stand."""
        with self._sessions() as session:
            return messages_under(session, prefix)

    def with_message(self, release_id: int, dedupe_key: str) -> ResultMessage:
        """The release's record and its result message (queued under `dedupe_key`)."""
        with self._sessions() as session:
            return ResultMessage(release_record(session, release_id), _state(session, dedupe_key))


def _state(session: Session, dedupe_key: str) -> MessageState | None:
    state = message_state(session, dedupe_key)
    return None if state is None else MessageState(*state)

"""What the use cases tell the rest of releasebot happened, raised inside the transaction
that made it happen. What follows each one (outbox rows, remembered choices) is written in
one table, domain/services/handlers.py, and commits with it or not at all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.outbox import Workspace
from domain.statuses import PaperKind


@dataclass(frozen=True)
class PrintAt:
    """Where a release's papers are printed: at the `queues` chosen (empty: chosen none,
    nothing is printed; None: every configured queue that serves them), or everything at
    one `printer`."""

    queues: tuple[str, ...] | None = None
    printer: str | None = None

    @property
    def prints(self) -> bool:
        return self.queues != ()


@dataclass(frozen=True)
class ReleaseOpened:
    """A release record was opened: its orders are about to be released."""

    release_id: int
    at: datetime
    orders: tuple[str, ...]  # as asked, normalised, each once
    papers: frozenset[PaperKind]
    requester_id: str | None  # the chat user who asked
    workspace: Workspace  # the chat workspace it was asked in: what it queues goes there
    report_in: str | None  # the channel its result message goes to; None: none (the CLI)
    print_at: PrintAt | None  # None: printing was not offered
    remember_choice: bool  # the person's papers and queues are offered again next time


@dataclass(frozen=True)
class ReleaseOver:
    """Every order of the release has its result (released, refused, or not processed)."""

    release_id: int
    at: datetime


@dataclass(frozen=True)
class ReleaseUndone:
    """Every order a release released is scheduled again."""

    release_id: int
    at: datetime
    undone_by: str  # the chat user who undid it
    workspace: Workspace  # the one the release was asked in (its message is there)


Event = ReleaseOpened | ReleaseOver | ReleaseUndone

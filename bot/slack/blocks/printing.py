"""What the release's thread and the command line say about printing, in one place."""

from __future__ import annotations

from domain.statuses import PaperKind


def papers_name(kind: PaperKind) -> str:
    return f"{kind.label}s"


def waiting(kind: PaperKind, queue: str, reason: str) -> str:
    return f"{papers_name(kind)}: printing on {queue} is waiting: {reason}"


def printed(kind: PaperKind, queue: str) -> str:
    return f"{papers_name(kind)}: printed on {queue}"


def failed(kind: PaperKind, queue: str, reason: str) -> str:
    return f"{papers_name(kind)}: printing on {queue} failed: {reason}"


def accepted(kind: PaperKind, queue: str, job_id: int) -> str:
    return f"{papers_name(kind)}: sent to {queue} (CUPS job {job_id})"

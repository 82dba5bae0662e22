"""The kinds of outbox message the Slack side queues, and their dedupe keys."""

from __future__ import annotations

from typing import Any

from domain.outbox import Outgoing
from domain.statuses import PaperKind

SUMMARY = "release_summary"
PAPER = "release_paper"
NOTICE = "notice"


def summary(release_id: int, channel: str, user: str, orders: list[str]) -> Outgoing:
    """Post the result of release `release_id` in `channel` once it is over."""
    payload: dict[str, Any] = {
        "release_id": release_id,
        "channel": channel,
        "user": user,
        "orders": orders,
    }
    return Outgoing(f"release:{release_id}:summary", SUMMARY, payload)


def paper(release_id: int, kind: PaperKind, channel: str, thread_ts: str) -> Outgoing:
    """Upload one paper (PDF) of the release into the thread of its result message."""
    payload = {"release_id": release_id, "kind": kind.value, "channel": channel, "ts": thread_ts}
    return Outgoing(f"release:{release_id}:paper:{kind.value}", PAPER, payload)


def notice(key: str, channel: str, text: str) -> Outgoing:
    """A plain message, e.g. to tell a person that something could not be delivered."""
    return Outgoing(f"notice:{key}", NOTICE, {"channel": channel, "text": text})

"""The kinds of outbox message the Slack side queues, and their dedupe keys."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from domain.outbox import Outgoing
from domain.statuses import PaperKind

SUMMARY = "release_summary"
PAPER = "release_paper"
NOTICE = "notice"
UNDONE = "release_undone"


def summary(release_id: int, channel: str, user: str, orders: list[str]) -> Outgoing:
    """Post the result of release `release_id` in `channel` once it is over."""
    payload: dict[str, Any] = {
        "release_id": release_id,
        "channel": channel,
        "user": user,
        "orders": orders,
    }
    return Outgoing(summary_key(release_id), SUMMARY, payload)


def summary_key(release_id: int) -> str:
    return f"release:{release_id}:summary"


def paper(release_id: int, kind: PaperKind, channel: str, thread_ts: str) -> Outgoing:
    """Upload one paper (PDF) of the release into the thread of its result message."""
    payload = {"release_id": release_id, "kind": kind.value, "channel": channel, "ts": thread_ts}
    return Outgoing(f"release:{release_id}:paper:{kind.value}", PAPER, payload)


def notice(key: str, channel: str, text: str) -> Outgoing:
    """A plain message, e.g. to tell a person that something could not be delivered."""
    return Outgoing(f"notice:{key}", NOTICE, {"channel": channel, "text": text})


def digest(
    subscription_id: int,
    slot: datetime,
    channel: str,
    subscriber: str,
    text: str,
    blocks: list[dict[str, Any]],
) -> Outgoing:
    """One time slot's digest; the subscriber is told if it cannot be posted."""
    payload = {
        "channel": channel,
        "text": text,
        "blocks": blocks,
        "on_failure": {
            "user": subscriber,
            "text": "Invite me there, or end the digest there with `/release digest off`.",
        },
    }
    return Outgoing(
        f"digest:{subscription_id}:{slot.astimezone(UTC):%Y%m%dT%H%M%SZ}", NOTICE, payload
    )


def undone(release_id: int, undone_by: str) -> Outgoing:
    """Update the result message of release `release_id` to say it was undone (once that
    message is posted)."""
    payload = {"release_id": release_id, "undone_by": undone_by}
    return Outgoing(f"release:{release_id}:undone", UNDONE, payload)

"""The kinds of outbox message the Slack side queues, and their dedupe keys; those a
release's events queue are the domain's (domain/release_messages.py), named here too."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.slack.workspaces import current
from domain.outbox import Outgoing
from domain.printing import PrintJob
from domain.release_messages import PRINT_PLAN as PRINT_PLAN
from domain.release_messages import SUMMARY, UNDONE
from domain.statuses import PaperKind

PAPER = "release_paper"
NOTICE = "notice"


def _outgoing(dedupe_key: str, kind: str, payload: dict[str, Any]) -> Outgoing:
    """A message for the workspace being acted for (bot/slack/workspaces.py), if any."""
    workspace = current()
    if workspace is None:
        return Outgoing(dedupe_key, kind, payload)
    return Outgoing(dedupe_key, kind, payload, workspace.enterprise_id, workspace.team_id)


def paper(release_id: int, kind: PaperKind, channel: str, thread_ts: str) -> Outgoing:
    """Upload one paper (PDF) of the release into the thread of its result message."""
    payload = {"release_id": release_id, "kind": kind.value, "channel": channel, "ts": thread_ts}
    return _outgoing(f"release:{release_id}:paper:{kind.value}", PAPER, payload)


def notice(
    key: str, channel: str, text: str, blocks: list[dict[str, Any]] | None = None
) -> Outgoing:
    """A message, e.g. to tell a person that something could not be delivered; queued once
    under its key, ever."""
    payload: dict[str, Any] = {"channel": channel, "text": text}
    if blocks:
        payload["blocks"] = blocks
    return _outgoing(f"notice:{key}", NOTICE, payload)


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
    return _outgoing(
        f"digest:{subscription_id}:{slot.astimezone(UTC):%Y%m%dT%H%M%SZ}", NOTICE, payload
    )


PRINT = "print_job"
PRINT_WATCH = "print_watch"
PRINT_NOTE = "print_note"
# what Slack sends: stopped while Slack refuses the token (uninstalled); printing goes on
SLACK = frozenset({SUMMARY, PAPER, NOTICE, UNDONE, PRINT_NOTE})


def print_job(
    origin: str,
    job: PrintJob,
    label: str,
    release_id: int | None = None,
    channel: str | None = None,
) -> Outgoing:
    """One paper of some orders sent to one CUPS queue; its key names the CUPS job too."""
    payload = {
        "queue": job.queue,
        "kind": job.kind.value,
        "orders": list(job.orders),
        "warehouses": None if job.warehouses is None else list(job.warehouses),
        "label": label,
        "release_id": release_id,
        "channel": channel,
    }
    return _outgoing(f"{origin}:{job.kind.value}@{job.queue}", PRINT, payload)


def print_watch(job_key: str, job: dict[str, Any], job_id: int) -> Outgoing:
    """Follow a submitted job until it printed or failed, to say so in the release's thread."""
    payload = {**job, "job_key": job_key, "job_id": job_id}
    return _outgoing(f"{job_key}:watch", PRINT_WATCH, payload)


def print_note(job_key: str, what: str, release_id: int, text: str) -> Outgoing:
    """A line about a print job in its release's thread, said once (`what`: waiting, ...)."""
    payload = {"release_id": release_id, "text": text}
    return _outgoing(f"{job_key}:{what}", PRINT_NOTE, payload)

"""The kinds of outbox message the Slack side queues, and their dedupe keys."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from bot.workspaces import current
from domain.model import Release
from domain.outbox import Outgoing
from domain.printing import PrintJob
from domain.statuses import PaperKind

SUMMARY = "release_summary"
PAPER = "release_paper"
NOTICE = "notice"
UNDONE = "release_undone"


def _outgoing(dedupe_key: str, kind: str, payload: dict[str, Any]) -> Outgoing:
    """A message for the workspace being acted for (bot/workspaces.py), if any."""
    workspace = current()
    if workspace is None:
        return Outgoing(dedupe_key, kind, payload)
    return Outgoing(dedupe_key, kind, payload, workspace.enterprise_id, workspace.team_id)


def of_release(release: Release, message: Outgoing) -> Outgoing:
    """`message` for the workspace `release` was asked in, whoever acts now (an undo asked
    in another workspace updates the message the release's own bot posted)."""
    return replace(message, enterprise_id=release.enterprise_id, team_id=release.team_id)


def summary(release_id: int, channel: str, user: str, orders: list[str]) -> Outgoing:
    """Post the result of release `release_id` in `channel` once it is over."""
    payload: dict[str, Any] = {
        "release_id": release_id,
        "channel": channel,
        "user": user,
        "orders": orders,
    }
    return _outgoing(summary_key(release_id), SUMMARY, payload)


def summary_key(release_id: int) -> str:
    return f"release:{release_id}:summary"


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


def undone(release_id: int, undone_by: str) -> Outgoing:
    """Update the result message of release `release_id` to say it was undone (once that
    message is posted)."""
    payload = {"release_id": release_id, "undone_by": undone_by}
    return _outgoing(f"release:{release_id}:undone", UNDONE, payload)


PRINT_PLAN = "print_plan"
PRINT = "print_job"
PRINT_WATCH = "print_watch"
PRINT_NOTE = "print_note"
# what Slack sends: stopped while Slack refuses the token (uninstalled); printing goes on
SLACK = frozenset({SUMMARY, PAPER, NOTICE, UNDONE, PRINT_NOTE})


def print_plan(
    release_id: int,
    orders: list[str],
    channel: str | None,
    queues: list[str] | None = None,
    printer: str | None = None,
) -> Outgoing:
    """Print release `release_id`'s papers once it is over: at the chosen configured
    `queues` (None: all that serve them), or everything at `printer`. A release from Slack
    says in its thread (`channel`) how printing went."""
    payload = {
        "release_id": release_id,
        "orders": orders,
        "channel": channel,
        "queues": queues,
        "printer": printer,
    }
    return _outgoing(print_key(release_id), PRINT_PLAN, payload)


def print_key(release_id: int) -> str:
    """The key of a release's printing; its jobs' keys start with it."""
    return f"release:{release_id}:print"


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

"""The outbox rows a release's events queue: its result message, its printing, the update
of that message once undone. Their kinds, keys and payloads are the domain's, so that
the use cases queue them in their own transactions; bot/delivery sends each kind. Each
goes to the chat workspace the release was asked in, whoever acts on it later."""

from __future__ import annotations

from typing import Any

from domain.outbox import Outgoing, Workspace

SUMMARY = "release_summary"
UNDONE = "release_undone"
PRINT_PLAN = "print_plan"


def summary(
    release_id: int, channel: str, user: str, orders: list[str], workspace: Workspace
) -> Outgoing:
    """Post the result of release `release_id` in `channel` once it is over."""
    payload: dict[str, Any] = {
        "release_id": release_id,
        "channel": channel,
        "user": user,
        "orders": orders,
    }
    return Outgoing(summary_key(release_id), SUMMARY, payload, *workspace)


def summary_key(release_id: int) -> str:
    return f"release:{release_id}:summary"


def undone(release_id: int, undone_by: str, workspace: Workspace) -> Outgoing:
    """Update the result message of release `release_id` to say it was undone (once that
    message is posted)."""
    payload = {"release_id": release_id, "undone_by": undone_by}
    return Outgoing(f"release:{release_id}:undone", UNDONE, payload, *workspace)


def print_plan(
    release_id: int,
    orders: list[str],
    channel: str | None,
    queues: list[str] | None,
    printer: str | None,
    workspace: Workspace,
) -> Outgoing:
    """Print release `release_id`'s papers once it is over: at the chosen configured
    `queues` (None: all that serve them), or everything at `printer`. A release from the
    chat says in its thread (`channel`) how printing went."""
    payload = {
        "release_id": release_id,
        "orders": orders,
        "channel": channel,
        "queues": queues,
        "printer": printer,
    }
    return Outgoing(print_key(release_id), PRINT_PLAN, payload, *workspace)


def print_key(release_id: int) -> str:
    """The key of a release's printing; its jobs' keys start with it."""
    return f"release:{release_id}:print"


def of_release(release_id: int) -> str:
    """What every key of a release's messages starts with."""
    return f"release:{release_id}:"

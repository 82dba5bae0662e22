"""Undo of a release from Slack: one call for the *Undo* button and for chat.

The domain's reset service does the undo (all of the release's orders or none, only
while none of their work has started, only for the releaser or an admin) and records
who asked; in the same transaction (the handler of its ReleaseUndone event) an update of
the release's result message is queued, which says it was undone (and waits for that
message if it is not posted yet).
"""

from __future__ import annotations

from bot.slack.directory import Directory
from domain.runtime import Runtime
from domain.services.reset import UndoResult


class Undoer:
    def __init__(self, runtime: Runtime, directory: Directory) -> None:
        self._runtime = runtime
        self._directory = directory

    def undo(self, release_id: int, user: str, channel: str | None) -> UndoResult:
        return self._runtime.resets.undo_release(
            release_id,
            requester_id=user,
            requested_by=self._directory.name(user),
            source=f"slack:{channel}" if channel else "slack",
            admin=self._directory.is_admin(user),
        )
